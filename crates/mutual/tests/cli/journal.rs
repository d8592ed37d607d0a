use serde_json::{Value, json};

use crate::common::Env;

fn ids(entries: &Value) -> Vec<i64> {
    entries
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| e["id"].as_i64().expect("an id"))
        .collect()
}

/// Sam and Alex with three entries: #1 Sam, #2 Alex, #3 both (newest).
fn three_entries() -> Env {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "3 days ago",
        "--via",
        "call",
        "--gave",
        "listening",
        "--energy",
        "1",
        "--note",
        "talked about work",
        "--tag",
        "work",
    ]);
    env.ok(&["log", "Alex", "--at", "2 days ago", "--via", "video"]);
    env.ok(&[
        "log",
        "Sam",
        "Alex",
        "--at",
        "yesterday 19:00",
        "--via",
        "in-person",
        "--got",
        "presence:3",
    ]);
    env
}

#[test]
fn list_is_newest_first_and_can_be_limited() {
    let env = three_entries();
    let all = env.json(&["journal", "list"]);
    assert_eq!(ids(&all), [3, 2, 1]);
    let first = &all[2];
    assert_eq!(first["friends"], json!([1]));
    assert_eq!(first["at"], "2026-06-12T12:00:00Z");
    assert_eq!(first["channel"], "call");
    assert_eq!(first["gave"], json!({"listening": 2}));
    assert_eq!(first["energy"], 1);
    assert_eq!(first["note"], "talked about work");
    assert_eq!(first["tags"], json!(["work"]));
    assert_eq!(all[0]["friends"], json!([1, 2]));
    assert_eq!(all[0]["at"], "2026-06-14T19:00:00Z");

    assert_eq!(ids(&env.json(&["journal", "list", "--limit", "2"])), [3, 2]);
    assert_eq!(ids(&env.json(&["journal", "list", "Sam"])), [3, 1]);
    assert_eq!(ids(&env.json(&["journal", "list", "Alex", "--limit", "1"])), [3]);

    let human = env.ok(&["journal", "list"]);
    let lines: Vec<&str> = human.lines().collect();
    assert!(lines[0].starts_with("#3 2026-06-14 19:00 in-person"), "{human}");
    assert!(lines[0].ends_with("Sam, Alex"), "{human}");
    assert!(
        human.contains("#1 2026-06-12 12:00 call, gave listening:2, energy +1 — Sam"),
        "{human}"
    );
    assert!(human.contains("    talked about work"), "{human}");
}

#[test]
fn an_empty_journal_says_how_to_start() {
    let env = Env::new();
    env.friends(&["Sam"]);
    assert_eq!(env.json(&["journal", "list"]), json!([]));
    assert!(env.ok(&["journal", "list"]).contains("No entries yet"));
}

#[test]
fn edit_changes_only_the_fields_given() {
    let env = three_entries();
    let out = env.ok(&[
        "journal",
        "edit",
        "1",
        "--via",
        "in-person",
        "--started-by",
        "me",
        "--gave",
        "advice:3",
        "--energy",
        "-2",
        "--heard",
        "4",
        "--tag",
        "Lunch",
        "--conflict",
        "--hard-news",
    ]);
    assert!(out.contains("Updated entry: #1"), "{out}");
    let e = env.json(&["journal", "list", "Sam"])[1].clone();
    assert_eq!(e["id"], 1);
    assert_eq!(e["channel"], "in-person");
    assert_eq!(e["initiator"], "me");
    assert_eq!(e["gave"], json!({"advice": 3}));
    assert_eq!(e["energy"], -2);
    assert_eq!(e["felt_heard"], 4);
    assert_eq!(e["tags"], json!(["lunch"]));
    assert_eq!(e["conflict"], true);
    assert_eq!(e["hard_news"], true);
    // Not given, so unchanged.
    assert_eq!(e["at"], "2026-06-12T12:00:00Z");
    assert_eq!(e["note"], "talked about work");
    assert_eq!(e["friends"], json!([1]));
    assert_eq!(e["got"], json!({}));

    // An empty note clears it; --conflict false turns it off.
    env.ok(&["journal", "edit", "1", "--note", "", "--conflict", "false"]);
    let e = env.json(&["journal", "list", "Sam"])[1].clone();
    assert_eq!(e["note"], Value::Null);
    assert_eq!(e["conflict"], false);
    assert_eq!(e["gave"], json!({"advice": 3}));
}

#[test]
fn edit_with_replaces_who_was_there_and_at_moves_it() {
    let env = three_entries();
    env.ok(&[
        "journal",
        "edit",
        "2",
        "--with",
        "Sam, Alex",
        "--at",
        "2026-06-10T08:00:00Z",
    ]);
    let all = env.json(&["journal", "list"]);
    assert_eq!(ids(&all), [3, 1, 2]);
    assert_eq!(all[2]["friends"], json!([1, 2]));
    assert_eq!(all[2]["at"], "2026-06-10T08:00:00Z");
    assert_eq!(ids(&env.json(&["journal", "list", "Sam"])), [3, 1, 2]);

    env.ok(&["journal", "edit", "3", "--with", "Alex"]);
    assert_eq!(ids(&env.json(&["journal", "list", "Sam"])), [1, 2]);
    assert_eq!(ids(&env.json(&["journal", "list", "Alex"])), [3, 2]);
}

#[test]
fn remove_shows_what_it_removes_and_restore_brings_it_back() {
    let mut env = three_entries();
    // Not in a terminal, removing needs --yes; nothing is removed without it.
    let line = env.bad(&["journal", "remove", "1"]);
    assert!(line.contains("needs --yes when not in a terminal"), "{line}");
    assert!(line.contains("#1 2026-06-12 12:00 call"), "{line}");

    let out = env.ok(&["journal", "remove", "1", "--yes"]);
    assert!(
        out.contains("About to remove #1 2026-06-12 12:00 call, gave listening:2, energy +1 \u{2014} Sam"),
        "{out}"
    );
    assert!(out.contains("talked about work"), "{out}");
    assert!(out.contains("Removed entry #1."), "{out}");
    assert!(out.contains("`mutual journal restore 1`"), "{out}");
    assert_eq!(ids(&env.json(&["journal", "list"])), [3, 2]);
    let line = env.bad(&["journal", "remove", "1", "--yes"]);
    assert!(line.contains("no journal entry with id 1"), "{line}");

    // Restored as it was: its friends, tags, note and id.
    let before = env.json(&["journal", "list"]);
    env.at("2026-07-10T12:00:00Z");
    let out = env.ok(&["journal", "restore", "1"]);
    assert!(out.contains("Restored: #1 2026-06-12 12:00 call"), "{out}");
    let all = env.json(&["journal", "list"]);
    assert_eq!(ids(&all), [3, 2, 1]);
    assert_eq!(all[2]["tags"], json!(["work"]));
    assert_eq!(all[2]["note"], "talked about work");
    assert_eq!(all[2]["friends"], json!([1]));
    assert_eq!(before.as_array().unwrap().len(), 2);
    let line = env.bad(&["journal", "restore", "1"]);
    assert!(line.contains("not among the entries removed"), "{line}");

    // After 30 days it is gone for good.
    env.ok(&["journal", "remove", "2", "--yes"]);
    env.at("2026-08-10T12:00:00Z");
    let line = env.bad(&["journal", "restore", "2"]);
    assert!(
        line.contains("not among the entries removed in the last 30 days"),
        "{line}"
    );
}

#[test]
fn forgetting_a_friend_forgets_their_removed_entries_too() {
    let env = three_entries();
    env.ok(&["journal", "remove", "1", "--yes"]);
    env.ok(&["journal", "remove", "3", "--yes"]);
    env.ok(&["forget", "Sam", "--yes"]);
    // The entry with Sam alone is gone; the one with Alex too comes back
    // with Alex only.
    assert!(env.bad(&["journal", "restore", "1"]).contains("not among"));
    env.ok(&["journal", "restore", "3"]);
    let all = env.json(&["journal", "list"]);
    assert_eq!(ids(&all), [3, 2]);
    assert_eq!(all[0]["friends"], json!([2]));
    let file = std::fs::read(&env.db).unwrap();
    assert!(!crate::common::contains(&file, "talked about work"));
}

#[test]
fn list_filters_by_friend_days_tag_and_note() {
    let env = three_entries();
    env.ok(&[
        "log",
        "Alex",
        "--at",
        "10 days ago",
        "--note",
        "Moving Day plans",
        "--tag",
        "move",
    ]);
    let list = |args: &[&str]| {
        let mut all = vec!["journal", "list"];
        all.extend_from_slice(args);
        ids(&env.json(&all))
    };
    assert_eq!(list(&["--friend", "Sam"]), [3, 1]);
    assert_eq!(list(&["--since", "2026-06-13"]), [3, 2]);
    assert_eq!(list(&["--until", "2026-06-12"]), [1, 4]);
    assert_eq!(list(&["--since", "2026-06-12", "--until", "2026-06-13"]), [2, 1]);
    assert_eq!(list(&["--tag", "work"]), [1]);
    assert_eq!(list(&["--tag", "WORK"]), [1]);
    assert_eq!(list(&["--search", "moving day"]), [4]);
    assert_eq!(list(&["--search", "WORK", "--friend", "Sam"]), [1]);
    assert_eq!(list(&["--search", "nothing like it"]), Vec::<i64>::new());
    assert!(
        env.ok(&["journal", "list", "--tag", "nope"])
            .contains("No entries match.")
    );
    let line = env.bad(&[
        "journal",
        "list",
        "--since",
        "2026-06-14",
        "--until",
        "2026-06-01",
    ]);
    assert!(line.contains("is after --until"), "{line}");
    let line = env.bad(&["journal", "list", "--since", "whenever"]);
    assert!(
        line.contains("--since 'whenever' is not a day I can read"),
        "{line}"
    );
    let line = env.bad(&["journal", "list", "Sam", "--friend", "Alex"]);
    assert!(line.contains("cannot be used with"), "{line}");
}

#[test]
fn the_same_time_logged_twice_within_minutes_is_pointed_out() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-14 19:00",
        "--via",
        "call",
        "--gave",
        "listening",
    ]);
    let out = env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-14 19:05",
        "--via",
        "call",
        "--gave",
        "listening",
    ]);
    assert!(
        out.contains("! This looks like entry #1 (2026-06-14 19:00), 5 minutes apart."),
        "{out}"
    );
    assert!(out.contains("`mutual journal remove 2 --yes`"), "{out}");
    // Another channel, or an hour later, is another time together.
    for args in [
        ["--at", "2026-06-14 19:05", "--via", "video"],
        ["--at", "2026-06-14 20:30", "--via", "call"],
    ] {
        let mut all = vec!["log", "Sam", "--gave", "listening"];
        all.extend_from_slice(&args);
        assert!(!env.ok(&all).contains("looks like entry"), "{args:?}");
    }
}

#[test]
fn days_read_one_way_only() {
    let env = Env::new();
    env.friends(&["Sam"]);
    // 2026-06-15 is a Monday: "monday" and "next monday" are the same day.
    env.ok(&["followup", "add", "Sam", "a", "--due", "monday"]);
    env.ok(&["followup", "add", "Sam", "b", "--due", "next monday"]);
    let due: Vec<Value> = env
        .json(&["followup", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["due"].clone())
        .collect();
    assert_eq!(due, [json!("2026-06-22"), json!("2026-06-22")]);
    let line = env.bad(&["followup", "add", "Sam", "c", "--due", "10/12"]);
    assert!(
        line.contains("'10/12' could be 10 December or 12 October"),
        "{line}"
    );
}

#[test]
fn bad_input_is_refused() {
    let env = three_entries();
    let cases: &[(&[&str], &str)] = &[
        (
            &["journal", "edit", "99", "--via", "call"],
            "no journal entry with id 99",
        ),
        (
            &["journal", "edit", "x", "--via", "call"],
            "'x' is not a valid journal entry id",
        ),
        (&["journal", "edit", "0"], "'0' is not a valid journal entry id"),
        (
            &["journal", "remove", "0", "--yes"],
            "'0' is not a valid journal entry id",
        ),
        (
            &["journal", "remove", "99", "--yes"],
            "no journal entry with id 99",
        ),
        (
            &["journal", "edit", "1", "--energy", "5"],
            "--energy '5' is out of range",
        ),
        (
            &["journal", "edit", "1", "--heard", "0"],
            "--heard '0' is out of range",
        ),
        (
            &["journal", "edit", "1", "--via", "pigeon"],
            "--via 'pigeon' is not a way of being in touch I know",
        ),
        (
            &["journal", "edit", "1", "--gave", "hugs"],
            "unknown support kind 'hugs'",
        ),
        (&["journal", "edit", "1", "--at", "tomorrow"], "in the future"),
        (&["journal", "edit", "1", "--with", ""], "--with is empty"),
        (&["journal", "edit", "1", "--with", " , "], "--with is empty"),
        (
            &["journal", "edit", "1", "--with", "Sam,Bob"],
            "no friend called 'Bob'",
        ),
        (&["journal", "list", "Bob"], "no friend called 'Bob'"),
        (&["journal", "list", "--limit", "many"], "invalid value 'many'"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}
