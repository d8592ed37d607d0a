use serde_json::{Value, json};

use crate::common::{Env, NOW};

const SECTIONS: [&str; 11] = [
    "friends",
    "interactions",
    "needs",
    "boundaries",
    "follow_ups",
    "wins",
    "gratitude",
    "parked_topics",
    "agreements",
    "prompt_uses",
    "reviews",
];

fn export(env: &Env) -> Value {
    serde_json::from_str(&env.ok(&["export"])).expect("export is one JSON document")
}

#[test]
fn export_holds_every_section_with_what_was_added() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sammy"]);
    env.ok(&[
        "log",
        "Sam",
        "--gave",
        "listening:3",
        "--note",
        "a private note",
        "--follow-up",
        "ask about the move",
    ]);
    env.ok(&["need", "add", "Sam", "quiet Sundays"]);
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "no late calls",
        "--quiet",
        "23:00-07:00",
    ]);
    env.ok(&["win", "add", "Sam", "got the job"]);
    env.ok(&["thanks", "add", "Sam", "the soup"]);
    env.ok(&["park", "add", "Sam", "money", "--until", "2026-07-01"]);
    env.ok(&["agree", "add", "Sam", "turns", "--me", "listening"]);
    env.ok(&["prompt", "answered", "Sam", "light-01"]);
    env.ok(&["review", "Sam", "--went-well", "a long dinner"]);

    let doc = export(&env);
    assert_eq!(doc["format"], "mutual-export");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["exported_at"], NOW);
    for section in SECTIONS {
        let items = doc[section]
            .as_array()
            .unwrap_or_else(|| panic!("{section} is missing: {doc}"));
        assert_eq!(items.len(), 1, "{section}: {doc}");
        if section != "friends" && section != "interactions" {
            assert_eq!(items[0]["friend"], 1, "{section}");
        }
    }
    assert_eq!(doc["friends"][0]["name"], "Sam");
    assert!(
        doc["friends"][0]["aliases"].to_string().contains("Sammy"),
        "{}",
        doc["friends"][0]
    );
    assert_eq!(doc["interactions"][0]["note"], "a private note");
    assert_eq!(doc["interactions"][0]["gave"], json!({"listening": 3}));
    assert_eq!(doc["needs"][0]["text"], "quiet Sundays");
    assert_eq!(doc["boundaries"][0]["rule"]["kind"], "quiet-hours");
    assert_eq!(doc["follow_ups"][0]["text"], "ask about the move");
    assert_eq!(doc["follow_ups"][0]["interaction"], doc["interactions"][0]["id"]);
    assert_eq!(doc["wins"][0]["text"], "got the job");
    assert_eq!(doc["gratitude"][0]["text"], "the soup");
    assert_eq!(doc["parked_topics"][0]["topic"], "money");
    assert_eq!(doc["agreements"][0]["roles"]["me"], json!(["listening"]));
    assert_eq!(doc["prompt_uses"][0]["prompt"], "light-01");
    assert_eq!(doc["reviews"][0]["went_well"], "a long dinner");
}

#[test]
fn interactions_are_exported_oldest_first() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["log", "Sam", "--at", "yesterday", "--via", "other"]);
    env.ok(&["log", "Sam", "--at", "3 days ago", "--via", "other"]);
    env.ok(&["log", "Sam", "--via", "other"]);
    let doc = export(&env);
    let at: Vec<&str> = doc["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["at"].as_str().unwrap())
        .collect();
    assert_eq!(at, ["2026-06-12T12:00:00Z", "2026-06-14T12:00:00Z", NOW]);
}

#[test]
fn an_empty_database_exports_empty_sections() {
    let env = Env::new();
    env.ok(&["init"]);
    let doc = export(&env);
    for section in SECTIONS {
        assert_eq!(doc[section], json!([]), "{section}");
    }
}

#[test]
fn forgetting_a_friend_removes_them_from_the_export() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    env.ok(&["log", "Alex", "--note", "Alex's secret"]);
    env.ok(&["need", "add", "Alex", "space"]);
    env.ok(&["win", "add", "Sam", "got the job"]);
    env.ok(&["forget", "Alex", "--yes"]);
    let doc = export(&env);
    assert!(!doc.to_string().contains("Alex"), "{doc}");
    assert_eq!(doc["wins"].as_array().unwrap().len(), 1);
}
