//! Hard news leads the agenda for that friend while its support window
//! lasts, and "Coming up" lists the next 7 days: follow-ups, revisit dates,
//! the end of pauses, birthdays and key dates.

use serde_json::Value;

use crate::common::Env;

fn items(env: &Env) -> Vec<Value> {
    env.json(&["today"])["items"].as_array().unwrap().clone()
}

#[test]
fn hard_news_leads_the_agenda_with_its_rhythm_and_follow_up() {
    let env = Env::new();
    env.ok(&["friend", "add", "Tomás", "--every", "14"]);
    env.ok(&["friend", "add", "Sam", "--every", "14"]);
    env.ok(&["log", "Sam", "--at", "yesterday", "--gave", "listening"]);
    env.ok(&["log", "Tomás", "--at", "3 days ago", "--gave", "listening"]);
    env.ok(&[
        "log",
        "Tomás",
        "--hard-news",
        "--follow-up",
        "ask how his dad's surgery went",
        "--due",
        "in 4 days",
    ]);

    let all = items(&env);
    let lead = &all[0];
    assert_eq!(
        (&lead["kind"], &lead["section"]),
        (&"support-window".into(), &"be-there".into())
    );
    assert_eq!(lead["friend_name"], "Tomás");
    assert_eq!(lead["evidence"]["support_window_until"], "2026-07-06");
    assert_eq!(lead["evidence"]["check_in_due"], "2026-06-18");
    let message = lead["message"].as_str().unwrap();
    for part in [
        "Tomás shared hard news today.",
        "Until 6 Jul, a check-in every 3 days (rather than every 14 days)",
        "the next one is due on Thursday 18 Jun",
        "“ask how his dad's surgery went” on Friday 19 Jun",
    ] {
        assert!(message.contains(part), "{part:?} missing from {message}");
    }
    // The follow-up is told in the lead, not again under "Coming up".
    assert_eq!(
        all.iter().filter(|i| i["kind"] == "follow-up").count(),
        0,
        "{all:?}"
    );

    let today = env.ok(&["today"]);
    assert!(
        today.starts_with("Today, Monday 15 June\n\nBe there\n  \u{2022} Tomás shared hard news"),
        "{today}"
    );
    let list = env.ok(&["friend", "list"]);
    assert!(list.contains("3 days, until 6 Jul"), "{list}");
    let show = env.ok(&["friend", "show", "Tomás"]);
    assert!(
        show.contains("after their hard news, until 6 Jul; usually every 14 days"),
        "{show}"
    );

    // Once the window has passed, the lead goes and the usual rhythm is back.
    let mut later = env;
    later.at("2026-07-08T12:00:00Z");
    assert!(items(&later).iter().all(|i| i["kind"] != "support-window"));
    assert!(!later.ok(&["friend", "list"]).contains("until"));
}

#[test]
fn coming_up_lists_the_next_seven_days() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--every", "30", "--birthday", "06-19"]);
    env.friends(&["Kim", "Maya"]);
    for name in ["Sam", "Kim", "Maya"] {
        env.ok(&["log", name, "--at", "yesterday", "--via", "message"]);
    }
    env.ok(&["friend", "edit", "Kim", "--birthday", "06-15"]);
    env.ok(&["date", "add", "Sam", "moving day", "2026-06-20"]);
    env.ok(&[
        "date",
        "add",
        "Sam",
        "wedding anniversary",
        "2020-06-17",
        "--yearly",
    ]);
    env.ok(&["date", "add", "Kim", "graduation", "2026-06-23"]);
    env.ok(&[
        "followup",
        "add",
        "Sam",
        "return the ladder",
        "--due",
        "in 5 days",
    ]);
    env.ok(&["park", "add", "Kim", "the holiday budget", "--until", "in 3 days"]);
    env.ok(&[
        "friend",
        "pause",
        "Maya",
        "--until",
        "2026-06-21",
        "--reason",
        "exams",
    ]);

    let coming: Vec<(String, String, String)> = items(&env)
        .iter()
        .filter(|i| i["section"] == "coming-up")
        .map(|i| {
            (
                i["date"].as_str().unwrap().to_owned(),
                i["kind"].as_str().unwrap().to_owned(),
                i["friend_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("2026-06-15", "birthday", "Kim"),
        ("2026-06-17", "key-date", "Sam"),
        ("2026-06-18", "parked-topic", "Kim"),
        ("2026-06-19", "birthday", "Sam"),
        ("2026-06-20", "follow-up", "Sam"),
        ("2026-06-20", "key-date", "Sam"),
        ("2026-06-21", "pause-ending", "Maya"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(d, k, n)| ((*d).to_owned(), (*k).to_owned(), (*n).to_owned()))
        .collect();
    // Sorted by day (then name); the graduation, 8 days away, is not yet.
    let mut got = coming.clone();
    got.sort();
    assert_eq!(got, expected, "{coming:?}");

    let today = env.ok(&["today"]);
    for line in [
        "It is Kim's birthday today.",
        "Sam's “wedding anniversary” is on Wednesday 17 Jun.",
        "You and Kim parked “the holiday budget” until Thursday 18 Jun.",
        "Sam's birthday is on Friday 19 Jun.",
        "Come back to Sam about “return the ladder” (due Saturday 20 Jun).",
        "Maya's busy season (exams) ends on Sunday 21 Jun.",
    ] {
        assert!(today.contains(line), "{line:?} missing from:\n{today}");
    }
    assert!(!today.contains("graduation"), "{today}");

    let show = env.ok(&["friend", "show", "Sam"]);
    assert!(show.contains("birthday: 19 June (next: 19 Jun)"), "{show}");
    assert!(
        show.contains("wedding anniversary: 2020-06-17, every year"),
        "{show}"
    );
    env.ok(&["friend", "edit", "Sam", "--birthday", "none"]);
    assert!(!env.ok(&["friend", "show", "Sam"]).contains("birthday:"));

    let dates = env.json(&["date", "list", "Sam"]);
    assert_eq!(dates.as_array().unwrap().len(), 2, "{dates}");
    let id = dates[0]["id"].to_string();
    assert!(env.ok(&["date", "remove", &id]).contains("Removed key date"));
    assert_eq!(env.json(&["date", "list", "Sam"]).as_array().unwrap().len(), 1);
    // Forgetting a friend forgets their dates too.
    env.ok(&["forget", "Kim", "--yes"]);
    let left = env.json(&["date", "list"]);
    assert!(
        left.as_array().unwrap().iter().all(|d| d["text"] != "graduation"),
        "{left}"
    );
}

#[test]
fn dates_that_cannot_be_read_are_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    for (args, expected) in [
        (
            &["friend", "edit", "Sam", "--birthday", "13-40"][..],
            "'13-40' is not a day of the year; expected MM-DD",
        ),
        (
            &["friend", "edit", "Sam", "--birthday", "1990-03-21"],
            "expected MM-DD",
        ),
        (&["friend", "add", "Kim", "--birthday", "02-30"], "expected MM-DD"),
        (
            &["date", "add", "Sam", "moving day", "someday"],
            "is not a day I can read",
        ),
        (&["date", "add", "Sam", " ", "2026-07-01"], "key date"),
        (&["date", "add", "Nobody", "moving day", "2026-07-01"], "Nobody"),
        (&["date", "remove", "99"], "99"),
    ] {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    // 29 February is a birthday; in other years it comes on the 28th.
    env.ok(&["friend", "edit", "Sam", "--birthday", "02-29"]);
    let mut env = env;
    env.at("2027-02-25T12:00:00Z");
    assert!(env.ok(&["today"]).contains("Sam's birthday is on Sunday 28 Feb."));
}

#[test]
fn the_report_lists_follow_ups_wins_thanks_and_what_is_coming_up() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--every", "14", "--birthday", "06-18"]);
    env.ok(&["log", "Sam", "--at", "yesterday", "--gave", "listening"]);
    env.ok(&[
        "followup",
        "add",
        "Sam",
        "ask about the interview",
        "--due",
        "in 2 days",
    ]);
    env.ok(&["followup", "add", "Sam", "send the photos", "--due", "today"]);
    env.ok(&["followup", "done", "2"]);
    env.ok(&["win", "add", "Sam", "got the flat", "--at", "2 days ago"]);
    env.ok(&["thanks", "add", "Sam", "lending me the bike"]);
    let out = env.path("report.html");
    env.ok(&["report", "--out", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(&out).unwrap();
    let coming = html
        .split("id=\"coming-up-title\"")
        .nth(1)
        .expect("a coming-up section");
    assert!(coming.contains("Thu 18 Jun"), "the birthday's day");
    assert!(
        coming.contains("Sam&#39;s birthday is on Thursday 18 Jun.")
            || coming.contains("Sam's birthday is on Thursday 18 Jun.")
    );
    assert!(coming.contains("ask about the interview"));
    for text in [
        "ask about the interview",
        "open; due 17 Jun",
        "send the photos",
        "done today",
        "got the flat",
        "not celebrated yet",
        "lending me the bike",
        "not told yet",
    ] {
        assert!(html.contains(text), "{text} missing from the report");
    }
    // Commands are code, never raw backticks.
    assert!(html.contains("<code>mutual win respond 1 enthusiastic</code>"));
    assert!(!html.contains('`'));
}
