use serde_json::Value;

use crate::common::{Env, NOW};

fn kinds(agenda: &Value) -> Vec<&str> {
    agenda["items"]
        .as_array()
        .expect("agenda items")
        .iter()
        .map(|i| i["kind"].as_str().expect("a kind"))
        .collect()
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|f| f["id"].as_i64().expect("an id"))
        .collect()
}

#[test]
fn add_is_due_in_three_days_unless_told() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let out = env.ok(&["followup", "add", "Sam", "ask about the interview"]);
    assert!(
        out.contains("Follow-up #1: come back to Sam by 2026-06-18"),
        "{out}"
    );
    env.ok(&["followup", "add", "Sam", "send the recipe", "--due", "friday"]);
    env.ok(&["followup", "add", "Sam", "birthday card", "--due", "2026-07-01"]);
    env.ok(&["followup", "add", "Sam", "call back", "--due", "in 2 days"]);

    let list = env.json(&["followup", "list"]);
    // Sorted by due day.
    assert_eq!(ids(&list), [4, 1, 2, 3]);
    let first = &list[1];
    assert_eq!(first["text"], "ask about the interview");
    assert_eq!(first["due"], "2026-06-18");
    assert_eq!(first["state"], "open");
    assert_eq!(first["created_at"], NOW);
    assert_eq!(first["done_at"], Value::Null);
    assert_eq!(first["interaction"], Value::Null);
    assert_eq!(first["friend_name"], "Sam");
    assert_eq!(list[0]["due"], "2026-06-17");
    assert_eq!(list[2]["due"], "2026-06-19");
    assert_eq!(list[3]["due"], "2026-07-01");

    let human = env.ok(&["followup", "list"]);
    assert!(
        human.contains("#1 Sam: ask about the interview (due 2026-06-18)"),
        "{human}"
    );
}

#[test]
fn done_and_reopen() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["followup", "add", "Sam", "ask about the move"]);
    env.ok(&["followup", "add", "Sam", "return the book"]);

    let out = env.ok(&["followup", "done", "1"]);
    assert!(out.contains("Follow-up #1 done"), "{out}");
    assert_eq!(ids(&env.json(&["followup", "list"])), [2]);
    let all = env.json(&["followup", "list", "--all"]);
    assert_eq!(ids(&all), [1, 2]);
    assert_eq!(all[0]["state"], "done-on-time");
    assert_eq!(all[0]["done_at"], NOW);
    assert_eq!(all[1]["state"], "open");
    let human = env.ok(&["followup", "list", "--all"]);
    assert!(human.contains("ask about the move"), "{human}");

    assert!(env.ok(&["followup", "reopen", "1"]).contains("open again"));
    let list = env.json(&["followup", "list"]);
    assert_eq!(ids(&list), [1, 2]);
    assert_eq!(list[0]["state"], "open");
    assert_eq!(list[0]["done_at"], Value::Null);
}

#[test]
fn done_after_the_due_day_is_late() {
    let mut env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "followup",
        "add",
        "Sam",
        "ask about the scan",
        "--due",
        "2026-06-16",
    ]);
    env.ok(&["followup", "add", "Sam", "send photos", "--due", "2026-06-16"]);
    env.at("2026-06-20T12:00:00Z");
    env.ok(&["followup", "done", "1"]);
    env.ok(&["followup", "done", "2", "--at", "2026-06-16T18:00:00Z"]);
    let all = env.json(&["followup", "list", "--all"]);
    assert_eq!(all[0]["state"], "done-late");
    assert_eq!(all[0]["done_at"], "2026-06-20T12:00:00Z");
    assert_eq!(all[1]["state"], "done-on-time");
    assert_eq!(all[1]["done_at"], "2026-06-16T18:00:00Z");
}

#[test]
fn a_missed_follow_up_shows_up_today() {
    let mut env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["followup", "add", "Sam", "ask about the interview"]);
    assert!(!kinds(&env.json(&["today"])).contains(&"missed-followups"));

    env.at("2026-06-19T12:00:00Z");
    let list = env.json(&["followup", "list"]);
    assert_eq!(list[0]["state"], "missed");
    let agenda = env.json(&["today"]);
    let missed: Vec<_> = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "missed-followups")
        .collect();
    assert_eq!(missed.len(), 1, "{agenda}");
    assert_eq!(missed[0]["friend_name"], "Sam");
    assert_eq!(missed[0]["section"], "come-back-to");
    assert_eq!(missed[0]["evidence"]["missed"], 1);
    assert_eq!(missed[0]["evidence"]["latest_due"], "2026-06-18");
    assert!(
        missed[0]["suggestion"]
            .as_str()
            .unwrap()
            .contains("mutual followup done 1")
    );
    assert!(env.ok(&["followup", "list"]).contains("its day has passed"));

    // Done late still clears it from the agenda.
    env.ok(&["followup", "done", "1"]);
    assert!(!kinds(&env.json(&["today"])).contains(&"missed-followups"));
}

#[test]
fn a_follow_up_due_today_or_soon_is_on_the_agenda() {
    let mut env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "followup",
        "add",
        "Sam",
        "wish luck for the exam",
        "--due",
        "today",
    ]);
    env.ok(&["followup", "add", "Sam", "ask how it went"]);
    let agenda = env.json(&["today"]);
    // Today's is to come back to; the one in three days is coming up.
    assert_eq!(kinds(&agenda), ["follow-up", "follow-up"], "{agenda}");
    let item = &agenda["items"][0];
    assert_eq!(
        (&item["date"], &item["section"]),
        (&"2026-06-15".into(), &"come-back-to".into())
    );
    assert!(item["message"].as_str().unwrap().contains("due today"), "{item}");
    let later = &agenda["items"][1];
    assert_eq!(
        (&later["date"], &later["section"]),
        (&"2026-06-18".into(), &"coming-up".into())
    );
    assert!(
        later["message"]
            .as_str()
            .unwrap()
            .contains("(due Thursday 18 Jun)"),
        "{later}"
    );
    assert_eq!(env.json(&["followup", "list"])[0]["state"], "due-today");

    // Beyond the next 7 days a follow-up is not on the agenda yet.
    env.ok(&["followup", "done", "1"]);
    env.ok(&["followup", "done", "2"]);
    env.ok(&["followup", "add", "Sam", "send the photos", "--due", "2026-06-23"]);
    assert!(kinds(&env.json(&["today"])).is_empty());
    env.at("2026-06-16T12:00:00Z");
    let agenda = env.json(&["today"]);
    assert_eq!(kinds(&agenda), ["follow-up"], "{agenda}");
    assert_eq!(agenda["items"][0]["date"], "2026-06-23");
}

#[test]
fn log_with_follow_up_creates_one_linked_to_the_entry() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&[
        "log",
        "Sam",
        "--follow-up",
        "ask how the move went",
        "--due",
        "2026-06-20",
    ]);
    assert!(out.contains("Follow-up #1 with Sam due 2026-06-20"), "{out}");
    env.ok(&["log", "Sam", "--follow-up", "send the photos"]);
    let list = env.json(&["followup", "list", "Sam"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["text"], "send the photos");
    assert_eq!(list[0]["due"], "2026-06-18");
    assert_eq!(list[0]["interaction"], 2);
    assert_eq!(list[1]["text"], "ask how the move went");
    assert_eq!(list[1]["due"], "2026-06-20");
    assert_eq!(list[1]["interaction"], 1);
    assert_eq!(env.json(&["followup", "list", "Alex"]), serde_json::json!([]));
    assert!(
        env.ok(&["followup", "list", "Alex"])
            .contains("Nothing to come back to")
    );
}

#[test]
fn remove_deletes_it() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["followup", "add", "Sam", "one"]);
    env.ok(&["followup", "add", "Sam", "two"]);
    env.ok(&["followup", "done", "2"]);
    assert!(
        env.ok(&["followup", "remove", "2"])
            .contains("Removed follow-up #2")
    );
    assert_eq!(ids(&env.json(&["followup", "list", "--all"])), [1]);
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["followup", "add", "Sam", "one"]);
    let cases: &[(&[&str], &str)] = &[
        (&["followup", "add", "Sam", " "], "the follow-up is empty"),
        (
            &["followup", "add", "Sam", "x", "--due", "someday"],
            "'someday' is not a day",
        ),
        (
            &["followup", "add", "Sam", "x", "--due", "2026-02-30"],
            "is not a day",
        ),
        (&["followup", "add", "Zed", "x"], "no friend called 'Zed'"),
        (&["followup", "done", "9"], "no follow-up with id 9"),
        (&["followup", "done", "1", "--at", "tomorrow"], "in the future"),
        (&["followup", "done", "one"], "'one' is not a valid follow-up id"),
        (&["followup", "reopen", "9"], "no follow-up with id 9"),
        (&["followup", "remove", "9"], "no follow-up with id 9"),
        (&["followup", "remove", "-1"], "unexpected argument"),
        (&["followup", "list", "Zed"], "no friend called 'Zed'"),
        (&["log", "Sam", "--due", "2026-06-20"], "--follow-up"),
        (&["log", "Sam", "--follow-up", " "], "the follow-up is empty"),
        (
            &["log", "Sam", "--follow-up", "x", "--due", "someday"],
            "'someday' is not a day",
        ),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}

#[test]
fn edit_changes_text_and_due() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["followup", "add", "Sam", "ask about the move"]);
    env.ok(&["followup", "edit", "1", "--due", "2026-06-30"]);
    let f = env.json(&["followup", "list"]);
    assert_eq!(f[0]["due"], "2026-06-30");
    assert_eq!(f[0]["text"], "ask about the move");
    env.ok(&["followup", "edit", "1", "--text", "help with the move"]);
    assert_eq!(env.json(&["followup", "list"])[0]["text"], "help with the move");
    assert!(
        env.bad(&["followup", "edit", "9", "--text", "x"])
            .contains("no follow-up with id 9")
    );
    assert!(
        env.bad(&["followup", "edit", "1", "--due", "someday"])
            .contains("not a day")
    );
}
