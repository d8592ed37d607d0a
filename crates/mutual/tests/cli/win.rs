use serde_json::Value;

use crate::common::{Env, NOW};

#[test]
fn add_with_and_without_a_response() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&["win", "add", "Sam", "got the job"]);
    assert!(out.contains("Noted Sam's good news (#1)"), "{out}");
    assert!(out.contains("mutual win respond 1 enthusiastic"), "{out}");
    let out = env.ok(&[
        "win",
        "add",
        "Alex",
        "ran a marathon",
        "--response",
        "brief",
        "--at",
        "2 days ago",
    ]);
    assert!(!out.contains("win respond"), "{out}");

    let wins = env.json(&["win", "list"]);
    assert_eq!(wins.as_array().unwrap().len(), 2);
    // Oldest first.
    assert_eq!(wins[0]["text"], "ran a marathon");
    assert_eq!(wins[0]["at"], "2026-06-13T12:00:00Z");
    assert_eq!(wins[0]["response"], "brief");
    assert_eq!(wins[0]["friend_name"], "Alex");
    assert_eq!(wins[1]["text"], "got the job");
    assert_eq!(wins[1]["at"], NOW);
    assert_eq!(wins[1]["response"], Value::Null);

    let human = env.ok(&["win", "list"]);
    assert!(
        human.contains("#1 2026-06-15 Sam: got the job (not celebrated yet)"),
        "{human}"
    );
    assert!(
        human.contains("#2 2026-06-13 Alex: ran a marathon (brief)"),
        "{human}"
    );
    let sam = env.json(&["win", "list", "Sam"]);
    assert_eq!(sam.as_array().unwrap().len(), 1);
    assert_eq!(sam[0]["id"], 1);
}

#[test]
fn respond_records_the_response() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["win", "add", "Sam", "got the job"]);
    let out = env.ok(&["win", "respond", "1", "enthusiastic"]);
    assert!(out.contains("Win #1"), "{out}");
    assert_eq!(env.json(&["win", "list"])[0]["response"], "enthusiastic");
    env.ok(&["win", "respond", "#1", "Brief"]);
    assert_eq!(env.json(&["win", "list"])[0]["response"], "brief");
}

#[test]
fn an_uncelebrated_win_is_on_the_agenda_until_celebrated() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    env.ok(&["win", "add", "Sam", "got the job", "--at", "yesterday"]);
    env.ok(&[
        "win",
        "add",
        "Alex",
        "passed the exam",
        "--response",
        "enthusiastic",
    ]);
    let found = env.agenda("uncelebrated-win");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["friend_name"], "Sam");
    assert_eq!(found[0]["section"], "celebrate-and-thank");
    assert_eq!(found[0]["date"], "2026-06-14");
    assert_eq!(found[0]["evidence"]["win"], 1);
    assert!(found[0]["message"].as_str().unwrap().contains("got the job"));
    assert!(
        found[0]["suggestion"]
            .as_str()
            .unwrap()
            .contains("mutual win respond 1 enthusiastic")
    );

    env.ok(&["win", "respond", "1", "enthusiastic"]);
    assert!(env.agenda("uncelebrated-win").is_empty());

    // Missing it puts it back: it is still worth celebrating.
    env.ok(&["win", "respond", "1", "missed"]);
    assert_eq!(env.agenda("uncelebrated-win").len(), 1);
}

#[test]
fn old_good_news_leaves_the_agenda() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["win", "add", "Sam", "moved house", "--at", "2026-04-01"]);
    assert!(env.agenda("uncelebrated-win").is_empty());
    assert_eq!(env.json(&["win", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn the_agenda_says_when_in_plain_words() {
    // Today the message reads "Sam shared good news on today: ...".
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["win", "add", "Sam", "got the job"]);
    let found = env.agenda("uncelebrated-win");
    let message = found[0]["message"].as_str().unwrap();
    assert!(!message.contains(" on today"), "{message}");
    assert!(message.contains("today"), "{message}");
}

#[test]
fn remove_deletes_it() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["win", "add", "Sam", "one"]);
    env.ok(&["win", "add", "Sam", "two"]);
    assert!(env.ok(&["win", "remove", "1"]).contains("Removed win #1"));
    let wins = env.json(&["win", "list"]);
    assert_eq!(wins.as_array().unwrap().len(), 1);
    assert_eq!(wins[0]["text"], "two");
    assert_eq!(env.agenda("uncelebrated-win").len(), 1);
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["win", "add", "Sam", "got the job"]);
    let cases: &[(&[&str], &str)] = &[
        (&["win", "add", "Sam", "  "], "the good news is empty"),
        (
            &["win", "add", "Sam", "x", "--response", "yes"],
            "unknown response 'yes'",
        ),
        (&["win", "add", "Sam", "x", "--at", "tomorrow"], "in the future"),
        (&["win", "add", "Sma", "x"], "did you mean Sam?"),
        (
            &["win", "respond", "1", "wild"],
            "unknown response 'wild'; expected one of: enthusiastic, brief, missed",
        ),
        (&["win", "respond", "9", "brief"], "no win with id 9"),
        (&["win", "respond", "x", "brief"], "'x' is not a valid win id"),
        (&["win", "respond", "1"], "required"),
        (&["win", "remove", "9"], "no win with id 9"),
        (&["win", "list", "Zed"], "no friend called 'Zed'"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}
