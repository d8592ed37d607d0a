use serde_json::Value;

use crate::common::{Env, NOW};

#[test]
fn add_and_list() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&[
        "thanks",
        "add",
        "Sam",
        "drove me to the airport",
        "--at",
        "2 days ago",
    ]);
    assert!(out.contains("Noted your gratitude to Sam (#1)"), "{out}");
    assert!(out.contains("mutual thanks told 1"), "{out}");
    let out = env.ok(&["thanks", "add", "Alex", "lent me a book", "--told"]);
    assert!(!out.contains("thanks told"), "{out}");

    let all = env.json(&["thanks", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0]["text"], "drove me to the airport");
    assert_eq!(all[0]["at"], "2026-06-13T12:00:00Z");
    assert_eq!(all[0]["told_at"], Value::Null);
    assert_eq!(all[0]["friend_name"], "Sam");
    assert_eq!(all[1]["text"], "lent me a book");
    assert_eq!(all[1]["told_at"], NOW);

    let human = env.ok(&["thanks", "list"]);
    assert!(
        human.contains("#1 2026-06-13 Sam: drove me to the airport (not told yet)"),
        "{human}"
    );
    assert!(
        human.contains("#2 2026-06-15 Alex: lent me a book (told)"),
        "{human}"
    );
    let alex = env.json(&["thanks", "list", "Alex"]);
    assert_eq!(alex.as_array().unwrap().len(), 1);
    assert_eq!(alex[0]["id"], 2);
}

#[test]
fn told_and_the_untold_filter() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["thanks", "add", "Sam", "the soup when I was ill"]);
    env.ok(&["thanks", "add", "Sam", "the birthday playlist"]);
    env.ok(&["thanks", "add", "Sam", "the lift", "--told"]);
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&env.json(&["thanks", "list", "--untold"])), [1, 2]);

    let out = env.ok(&["thanks", "told", "1"]);
    assert!(out.contains("Gratitude #1 told"), "{out}");
    assert_eq!(ids(&env.json(&["thanks", "list", "--untold"])), [2]);
    env.ok(&["thanks", "told", "2", "--at", "2026-06-15T09:00:00Z"]);
    assert_eq!(env.json(&["thanks", "list", "--untold"]), serde_json::json!([]));
    let all = env.json(&["thanks", "list"]);
    assert_eq!(all[0]["told_at"], NOW);
    assert_eq!(all[1]["told_at"], "2026-06-15T09:00:00Z");
    assert!(
        env.ok(&["thanks", "list", "--untold"])
            .contains("No gratitude noted here yet")
    );
}

#[test]
fn untold_gratitude_older_than_a_day_is_on_the_agenda() {
    let mut env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["thanks", "add", "Sam", "the soup when I was ill"]);
    // Fresh gratitude gets a day to be told first.
    assert!(env.agenda("untold-gratitude").is_empty());

    env.at("2026-06-17T12:00:00Z");
    let found = env.agenda("untold-gratitude");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["friend_name"], "Sam");
    assert_eq!(found[0]["section"], "celebrate-and-thank");
    assert_eq!(found[0]["date"], "2026-06-15");
    assert_eq!(found[0]["evidence"]["gratitude"], 1);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("the soup when I was ill")
    );
    assert!(
        found[0]["suggestion"]
            .as_str()
            .unwrap()
            .contains("mutual thanks told 1")
    );

    env.ok(&["thanks", "told", "1"]);
    assert!(env.agenda("untold-gratitude").is_empty());
}

#[test]
fn the_agenda_says_when_in_plain_words() {
    // Today the message reads "On yesterday you noted being grateful ...".
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["thanks", "add", "Sam", "the soup", "--at", "yesterday"]);
    let found = env.agenda("untold-gratitude");
    let message = found[0]["message"].as_str().unwrap();
    assert!(!message.starts_with("On yesterday"), "{message}");
    assert!(message.contains("yesterday"), "{message}");
}

#[test]
fn remove_deletes_it() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["thanks", "add", "Sam", "one", "--at", "3 days ago"]);
    env.ok(&["thanks", "add", "Sam", "two"]);
    assert_eq!(env.agenda("untold-gratitude").len(), 1);
    assert!(
        env.ok(&["thanks", "remove", "1"])
            .contains("Removed gratitude #1")
    );
    let all = env.json(&["thanks", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["text"], "two");
    assert!(env.agenda("untold-gratitude").is_empty());
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["thanks", "add", "Sam", "the soup"]);
    let cases: &[(&[&str], &str)] = &[
        (&["thanks", "add", "Sam", " "], "the gratitude is empty"),
        (
            &["thanks", "add", "Sam", "x", "--at", "tomorrow"],
            "in the future",
        ),
        (
            &["thanks", "add", "Sam", "x", "--at", "whenever"],
            "not a date or time",
        ),
        (&["thanks", "add", "Nobody", "x"], "no friend called 'Nobody'"),
        (&["thanks", "told", "9"], "no gratitude note with id 9"),
        (&["thanks", "told", "1", "--at", "tomorrow"], "in the future"),
        (&["thanks", "told", "one"], "'one' is not a valid gratitude id"),
        (&["thanks", "remove", "9"], "no gratitude note with id 9"),
        (&["thanks", "list", "Nobody"], "no friend called 'Nobody'"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}
