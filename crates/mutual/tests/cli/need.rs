use serde_json::json;

use crate::common::Env;

#[test]
fn add_records_whose_and_since() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&["need", "add", "Sam", "time alone on Sundays"]);
    assert!(out.contains("Noted your need with Sam (#1)"), "{out}");
    let out = env.ok(&[
        "need",
        "add",
        "Sam",
        "reassurance",
        "--whose",
        "them",
        "--since",
        "2026-05-01",
    ]);
    assert!(out.contains("Noted Sam's need (#2)."), "{out}");
    assert!(!out.contains("Saying it out loud"), "{out}");

    let needs = env.json(&["need", "list"]);
    assert_eq!(
        needs,
        json!([
            {"id": 1, "friend": 1, "friend_name": "Sam", "whose": "me", "text": "time alone on Sundays", "since": "2026-06-15"},
            {"id": 2, "friend": 1, "friend_name": "Sam", "whose": "them", "text": "reassurance", "since": "2026-05-01"},
        ])
    );
    let human = env.ok(&["need", "list"]);
    assert!(human.contains("#1 Sam"), "{human}");
    assert!(
        human.contains("time alone on Sundays (since 2026-06-15)"),
        "{human}"
    );
    assert!(human.contains("reassurance (since 2026-05-01)"), "{human}");
}

#[test]
fn list_can_be_limited_to_one_friend() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    env.ok(&["need", "add", "Sam", "quiet Sundays"]);
    env.ok(&["need", "add", "Alex", "a weekly call"]);
    let alex = env.json(&["need", "list", "Alex"]);
    assert_eq!(alex.as_array().unwrap().len(), 1);
    assert_eq!(alex[0]["text"], "a weekly call");
    assert_eq!(alex[0]["friend_name"], "Alex");
    env.friends(&["Kim"]);
    assert_eq!(env.json(&["need", "list", "Kim"]), json!([]));
    assert!(env.ok(&["need", "list", "Kim"]).contains("No needs noted yet"));
}

#[test]
fn edit_changes_only_the_fields_given() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["need", "add", "Sam", "time alone", "--since", "2026-05-01"]);

    env.ok(&["need", "edit", "1", "--text", "time alone on Sundays"]);
    let n = &env.json(&["need", "list"])[0];
    assert_eq!(n["text"], "time alone on Sundays");
    assert_eq!(n["whose"], "me");
    assert_eq!(n["since"], "2026-05-01");

    // An id may be written as it is shown in lists.
    env.ok(&["need", "edit", "#1", "--whose", "them", "--since", "2026-06-01"]);
    let n = &env.json(&["need", "list"])[0];
    assert_eq!(n["text"], "time alone on Sundays");
    assert_eq!(n["whose"], "them");
    assert_eq!(n["since"], "2026-06-01");
}

#[test]
fn remove_deletes_only_that_need() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["need", "add", "Sam", "first"]);
    env.ok(&["need", "add", "Sam", "second"]);
    let out = env.ok(&["need", "remove", "1"]);
    assert!(out.contains("Removed need #1"), "{out}");
    let needs = env.json(&["need", "list"]);
    assert_eq!(needs.as_array().unwrap().len(), 1);
    assert_eq!(needs[0]["text"], "second");
    assert!(env.bad(&["need", "remove", "1"]).contains("no need with id 1"));
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["need", "add", "Sam", "quiet Sundays"]);
    let cases: &[(&[&str], &str)] = &[
        (&["need", "add", "Sam", "  "], "the need is empty"),
        (
            &["need", "add", "Sam", "x", "--whose", "everyone"],
            "unknown side 'everyone'",
        ),
        (&["need", "add", "Sma", "x"], "did you mean Sam?"),
        (
            &["need", "add", "Sam", "x", "--since", "notaday"],
            "'notaday' is not a day",
        ),
        (&["need", "edit", "99", "--text", "x"], "no need with id 99"),
        (&["need", "edit", "abc"], "'abc' is not a valid need id"),
        (
            &["need", "edit", "0", "--text", "x"],
            "'0' is not a valid need id",
        ),
        (&["need", "edit", "1", "--whose", "us"], "unknown side 'us'"),
        (&["need", "edit", "1", "--text", " "], "the need is empty"),
        (&["need", "remove", "7"], "no need with id 7"),
        (&["need", "list", "Zed"], "no friend called 'Zed'"),
        (&["need", "add", "Sam"], "required"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}
