//! Reminders that reach you: `calendar --out FILE.ics` (read back with a
//! real iCalendar parser) and `remind` (exit 0 with what is due, 1 with
//! nothing; `--notify` through the desktop's own tool).

use std::collections::BTreeMap;

use icalendar::parser::{read_calendar, unfold};

use crate::common::Env;

/// Each event of a calendar file by UID: its properties by name, and the
/// properties of its reminder.
type Events = BTreeMap<String, (BTreeMap<String, String>, BTreeMap<String, String>)>;

fn events(ics: &str) -> Events {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).expect("a calendar that parses");
    let props = |c: &icalendar::parser::Component<'_>| -> BTreeMap<String, String> {
        c.properties
            .iter()
            .map(|p| (p.name.as_str().to_owned(), p.val.as_str().to_owned()))
            .collect()
    };
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|e| {
            let alarm = e
                .components
                .iter()
                .find(|c| c.name == "VALARM")
                .map(&props)
                .unwrap_or_default();
            let p = props(e);
            (p["UID"].clone(), (p, alarm))
        })
        .collect()
}

fn friends_with_dates(env: &Env) {
    env.ok(&["friend", "add", "Sam", "--every", "3", "--birthday", "06-19"]);
    env.ok(&["friend", "add", "Kim", "--every", "30", "--birthday", "02-29"]);
    env.friends(&["Maya"]);
    env.ok(&["log", "Sam", "--at", "yesterday", "--via", "other"]);
    env.ok(&["log", "Kim", "--at", "yesterday", "--via", "other"]);
    env.ok(&["date", "add", "Sam", "moving day", "2026-07-01"]);
    env.ok(&[
        "date",
        "add",
        "Sam",
        "wedding anniversary",
        "2020-06-17",
        "--yearly",
    ]);
    env.ok(&[
        "followup",
        "add",
        "Sam",
        "return the ladder",
        "--due",
        "in 5 days",
    ]);
    env.ok(&[
        "park",
        "add",
        "Kim",
        "the holiday budget",
        "--until",
        "in 10 days",
    ]);
    env.ok(&["friend", "pause", "Maya", "--until", "2026-06-25"]);
}

#[test]
fn the_calendar_holds_every_date_with_a_reminder_and_stable_uids() {
    let env = Env::new();
    friends_with_dates(&env);
    let out = env.path("friends.ics");
    let said = env.ok(&["calendar", "--out", out.to_str().unwrap()]);
    assert!(said.contains("(9 dates), each with a reminder"), "{said}");
    let ics = std::fs::read_to_string(&out).unwrap();
    let found = events(&ics);
    let uids: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(
        uids,
        [
            "birthday-1@mutual",
            "birthday-2@mutual",
            "check-in-1@mutual",
            "check-in-2@mutual",
            "follow-up-1@mutual",
            "key-date-1@mutual",
            "key-date-2@mutual",
            "pause-ends-3-2026-06-25@mutual",
            "revisit-1@mutual",
        ],
        "{ics}"
    );
    let (sam, sam_alarm) = &found["check-in-1@mutual"];
    assert_eq!(sam["SUMMARY"], "Check in with Sam");
    assert_eq!(sam["DTSTART"], "20260617");
    assert_eq!(sam["DTEND"], "20260618");
    assert_eq!(sam_alarm["ACTION"], "DISPLAY");
    assert_eq!(sam_alarm["TRIGGER"], "PT32400S");
    assert_eq!(found["follow-up-1@mutual"].0["DTSTART"], "20260620");
    assert_eq!(
        found["follow-up-1@mutual"].0["SUMMARY"],
        "Come back to Sam: return the ladder"
    );
    assert_eq!(found["revisit-1@mutual"].0["DTSTART"], "20260625");
    assert_eq!(found["key-date-1@mutual"].0["DTSTART"], "20260701");
    assert!(!found["key-date-1@mutual"].0.contains_key("RRULE"));
    // Yearly dates repeat; 29 February falls on the last day of February.
    let (anniversary, alarm) = &found["key-date-2@mutual"];
    assert_eq!(
        (anniversary["DTSTART"].as_str(), anniversary["RRULE"].as_str()),
        ("20200617", "FREQ=YEARLY")
    );
    assert_eq!(alarm["TRIGGER"], "-PT54000S", "a day's notice");
    assert_eq!(found["birthday-1@mutual"].0["SUMMARY"], "Sam's birthday");
    assert_eq!(found["birthday-1@mutual"].0["RRULE"], "FREQ=YEARLY");
    assert_eq!(
        found["birthday-2@mutual"].0["RRULE"],
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    );
    // Only the owner can read it.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // A later file has the same UIDs, so importing it updates the events.
    let mut later = env;
    later.at("2026-06-16T12:00:00Z");
    later.ok(&["log", "Sam", "--via", "other"]);
    later.ok(&["followup", "done", "1"]);
    let again = later.path("again.ics");
    later.ok(&["calendar", "--out", again.to_str().unwrap()]);
    let updated = events(&std::fs::read_to_string(&again).unwrap());
    assert_eq!(updated["check-in-1@mutual"].0["DTSTART"], "20260619");
    assert!(!updated.contains_key("follow-up-1@mutual"));
    assert!(updated.keys().all(|uid| found.contains_key(uid)));
}

#[test]
fn the_calendar_refuses_what_it_cannot_write() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let db = env.db.to_str().unwrap().to_owned();
    for (args, expected) in [
        (vec!["calendar", "--out", db.as_str()], "database"),
        (
            vec!["calendar", "--out", "x.ics", "--days", "0"],
            "--days 0 is out of range",
        ),
    ] {
        let line = env.bad(&args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}

#[test]
fn remind_prints_what_is_due_today_and_exits_like_grep() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--every", "30", "--birthday", "06-15"]);
    env.ok(&["log", "Sam", "--at", "yesterday", "--via", "other"]);
    let quiet = env.cmd().arg("remind").output().unwrap();
    assert_eq!(quiet.status.code(), Some(0));
    let out = String::from_utf8(quiet.stdout).unwrap();
    assert_eq!(
        out,
        "Due today, Monday 15 June:\n  \u{2022} It is Sam's birthday.\n"
    );

    env.ok(&["friend", "add", "Kim", "--every", "30"]);
    env.ok(&["log", "Kim", "--hard-news", "--at", "2026-06-10"]);
    env.ok(&["followup", "add", "Kim", "send the photos", "--due", "today"]);
    let out = env.ok(&["remind"]);
    assert!(out.contains("Come back to Kim about “send the photos”."), "{out}");
    assert!(
        out.contains("Check in with Kim (a tighter rhythm after their hard news)."),
        "{out}"
    );

    // Nothing due: no output and exit 1, for cron and systemd timers.
    let mut tomorrow = env;
    tomorrow.at("2026-06-16T12:00:00Z");
    tomorrow.ok(&["followup", "done", "1"]);
    tomorrow.ok(&["log", "Kim", "--via", "other"]);
    let nothing = tomorrow.cmd().arg("remind").output().unwrap();
    assert_eq!(nothing.status.code(), Some(1));
    assert!(nothing.stdout.is_empty() && nothing.stderr.is_empty());
}

#[test]
fn remind_notify_hands_the_block_to_the_desktop() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--every", "30", "--birthday", "06-15"]);
    // A stand-in for notify-send that records what it was asked to show.
    let bin = env.path("bin");
    std::fs::create_dir(&bin).unwrap();
    let seen = env.path("seen.txt");
    let tool = bin.join("notify-send");
    std::fs::write(
        &tool,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", seen.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = env
        .cmd()
        .env("PATH", &path)
        .args(["remind", "--notify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let args = std::fs::read_to_string(&seen).unwrap();
    assert_eq!(
        args,
        "--app-name=mutual\n--\nDue today, Monday 15 June:\nIt is Sam's birthday.\n"
    );

    // Without the tool, what is due is still printed and a line says why
    // there was no notification.
    let out = env
        .cmd()
        .env("PATH", env.path("nowhere"))
        .args(["remind", "--notify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("It is Sam's birthday."));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the desktop notification was not shown"), "{err}");
}
