use serde_json::json;

use crate::common::Env;

#[test]
fn add_and_list() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&["park", "add", "Sam", "money", "--until", "in 2 weeks"]);
    assert!(out.contains("Parked with Sam until 2026-06-29 (#1)"), "{out}");
    env.ok(&["park", "add", "Alex", "the wedding", "--until", "2026-06-20"]);

    let all = env.json(&["park", "list"]);
    // Soonest first.
    assert_eq!(
        all,
        json!([
            {"id": 2, "friend": 2, "friend_name": "Alex", "topic": "the wedding",
             "parked_on": "2026-06-15", "revisit_on": "2026-06-20", "revisited_on": null},
            {"id": 1, "friend": 1, "friend_name": "Sam", "topic": "money",
             "parked_on": "2026-06-15", "revisit_on": "2026-06-29", "revisited_on": null},
        ])
    );
    let human = env.ok(&["park", "list"]);
    assert!(human.contains("#1 Sam: money (until 2026-06-29)"), "{human}");
    let sam = env.json(&["park", "list", "Sam"]);
    assert_eq!(sam.as_array().unwrap().len(), 1);
    assert_eq!(sam[0]["topic"], "money");
}

#[test]
fn a_due_topic_is_on_the_agenda_until_revisited() {
    let mut env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["park", "add", "Sam", "money", "--until", "2026-06-20"]);
    // In the week before, it is coming up.
    let soon = env.agenda("parked-topic");
    assert_eq!(soon.len(), 1, "{soon:?}");
    assert_eq!(soon[0]["section"], "coming-up");
    env.at("2026-06-12T12:00:00Z");
    assert!(env.agenda("parked-topic").is_empty());

    env.at("2026-06-20T09:00:00Z");
    let found = env.agenda("parked-topic");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["friend_name"], "Sam");
    assert_eq!(found[0]["section"], "come-back-to");
    assert_eq!(found[0]["date"], "2026-06-20");
    assert!(found[0]["message"].as_str().unwrap().contains("money"));
    assert!(
        found[0]["suggestion"]
            .as_str()
            .unwrap()
            .contains("mutual park revisited 1")
    );

    // Still there days later, until you talk.
    env.at("2026-06-25T09:00:00Z");
    assert_eq!(env.agenda("parked-topic").len(), 1);
    let out = env.ok(&["park", "revisited", "1"]);
    assert!(out.contains("Parked topic #1 talked through"), "{out}");
    assert!(env.agenda("parked-topic").is_empty());
    let topic = &env.json(&["park", "list"])[0];
    assert_eq!(topic["revisited_on"], "2026-06-25");
    assert!(env.ok(&["park", "list"]).contains("money (revisited 2026-06-25)"));
}

#[test]
fn remove_deletes_it() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["park", "add", "Sam", "money", "--until", "2026-06-20"]);
    env.ok(&["park", "add", "Sam", "the move", "--until", "2026-07-20"]);
    assert!(
        env.ok(&["park", "remove", "1"])
            .contains("Removed parked topic #1")
    );
    let left = env.json(&["park", "list"]);
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["topic"], "the move");
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["park", "add", "Sam", "money", "--until", "2026-06-20"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["park", "add", "Sam", "x", "--until", "yesterday"],
            "--until 2026-06-14 is not after today",
        ),
        (
            &["park", "add", "Sam", "x", "--until", "2026-01-01"],
            "is not after today",
        ),
        (
            &["park", "add", "Sam", "x", "--until", "today"],
            "--until 2026-06-15 is not after today",
        ),
        (
            &["park", "add", "Sam", "x", "--until", "blah"],
            "'blah' is not a day",
        ),
        (&["park", "add", "Sam", "x"], "--until"),
        (
            &["park", "add", "Sam", " ", "--until", "2026-07-01"],
            "the topic is empty",
        ),
        (
            &["park", "add", "Zed", "x", "--until", "2026-07-01"],
            "no friend called 'Zed'",
        ),
        (&["park", "revisited", "9"], "no parked topic with id 9"),
        (
            &["park", "revisited", "first"],
            "'first' is not a valid parked topic id",
        ),
        (&["park", "remove", "9"], "no parked topic with id 9"),
        (&["park", "list", "Zed"], "no friend called 'Zed'"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}
