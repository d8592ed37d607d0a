use crate::common::Env;

fn kinds(agenda: &serde_json::Value) -> Vec<String> {
    agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_rhythm_moves_through_its_states() {
    let mut env = Env::new();
    env.ok(&["friend", "add", "Sam", "--every", "10", "--max", "20"]);
    env.ok(&["log", "Sam", "--at", "2026-06-15 09:00", "--via", "other"]);
    let agenda = env.json(&["today"]);
    assert_eq!(agenda["today"], "2026-06-15");
    assert!(kinds(&agenda).is_empty(), "{agenda}");
    assert_eq!(agenda["quiet"], 1);

    env.at("2026-06-23T12:00:00Z");
    assert_eq!(kinds(&env.json(&["today"])), ["check-in"]);
    env.at("2026-06-26T12:00:00Z");
    let agenda = env.json(&["today"]);
    assert_eq!(kinds(&agenda), ["overdue"]);
    assert_eq!(agenda["items"][0]["evidence"]["days_since"], 11);
    env.at("2026-07-10T12:00:00Z");
    let agenda = env.json(&["today"]);
    assert!(
        agenda["items"][0]["message"]
            .as_str()
            .unwrap()
            .contains("longer than the 20")
    );

    // Any contact resets it.
    env.ok(&["log", "Sam", "--via", "message"]);
    assert!(kinds(&env.json(&["today"])).is_empty());
}

#[test]
fn hard_news_tightens_the_rhythm() {
    let mut env = Env::new();
    env.ok(&["friend", "add", "Kim", "--every", "30"]);
    env.ok(&["log", "Kim", "--hard-news", "--got", "disclosure:3"]);
    env.at("2026-06-18T12:00:00Z");
    let agenda = env.json(&["today"]);
    // The support window leads; the tighter rhythm is overdue.
    assert_eq!(kinds(&agenda), ["support-window", "overdue"], "{agenda}");
    assert!(agenda["items"][1]["evidence"]["support_window_until"].is_string());
}

#[test]
fn depletion_and_chronic_imbalance_are_explained() {
    let env = Env::new();
    env.friends(&["Jordan"]);
    for days in (1..=70).step_by(7) {
        let at = format!("{days} days ago");
        env.ok(&[
            "log",
            "Jordan",
            "--at",
            &at,
            "--gave",
            "listening:3",
            "--energy",
            "-2",
            "--started-by",
            "them",
        ]);
    }
    let agenda = env.json(&["today"]);
    let items = agenda["items"].as_array().unwrap();
    let imbalance = items
        .iter()
        .find(|i| i["kind"] == "imbalance")
        .expect("an imbalance signal");
    assert_eq!(imbalance["evidence"]["band"], "i-carry-more");
    assert!(imbalance["evidence"]["weeks"].as_i64().unwrap() >= 6);
    assert!(imbalance["date"].is_string());
    let depletion = items
        .iter()
        .find(|i| i["kind"] == "depletion")
        .expect("a depletion signal");
    assert_eq!(depletion["evidence"]["mean_energy"], -2.0);
    let human = env.ok(&["today"]);
    assert!(human.contains("Take care"), "{human}");
    assert!(
        human.contains("carrying more of the support with Jordan"),
        "{human}"
    );
    assert!(!human.to_lowercase().contains("owe"), "{human}");
}

#[test]
fn empty_database_is_welcoming() {
    let env = Env::new();
    env.ok(&["init"]);
    let out = env.ok(&["today"]);
    assert!(out.contains("No friends here yet"), "{out}");
}
