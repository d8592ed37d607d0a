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
fn remove_deletes_the_entry() {
    let env = three_entries();
    assert!(env.ok(&["journal", "remove", "3"]).contains("Removed entry #3"));
    assert_eq!(ids(&env.json(&["journal", "list"])), [2, 1]);
    assert_eq!(ids(&env.json(&["journal", "list", "Alex"])), [2]);
    let line = env.bad(&["journal", "remove", "3"]);
    assert!(line.contains("no journal entry with id 3"), "{line}");
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
        (&["journal", "remove", "0"], "'0' is not a valid journal entry id"),
        (&["journal", "remove", "99"], "no journal entry with id 99"),
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
            "unknown channel 'pigeon'",
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
