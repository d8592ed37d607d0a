use crate::common::Env;

fn row<'a>(rows: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["friend"] == name)
        .unwrap()
}

#[test]
fn balance_json_has_the_documented_fields() {
    let env = Env::new();
    env.friends(&["Sam", "Jordan", "Alex", "Kim"]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "3 days ago",
        "--gave",
        "listening:2",
        "--got",
        "advice:2",
    ]);
    env.ok(&["log", "Jordan", "--at", "3 days ago", "--gave", "listening:3"]);
    env.ok(&["log", "Jordan", "--at", "10 days ago", "--gave", "practical:2"]);
    env.ok(&[
        "log",
        "Alex",
        "--at",
        "1 day ago",
        "--got",
        "practical:3,listening:1",
    ]);
    env.ok(&["log", "Kim", "--at", "1 day ago"]);

    let rows = env.json(&["balance"]);
    assert_eq!(rows.as_array().unwrap().len(), 4);
    let sam = row(&rows, "Sam");
    assert_eq!(sam["score"], 0.0);
    assert_eq!(sam["band"], "balanced");
    assert_eq!(sam["entries"], 1);
    let jordan = row(&rows, "Jordan");
    assert_eq!(jordan["score"], 1.0);
    assert_eq!(jordan["band"], "i-carry-more");
    assert_eq!(jordan["entries"], 2);
    let alex = row(&rows, "Alex");
    assert_eq!(alex["score"], -1.0);
    assert_eq!(alex["band"], "they-carry-more");
    // An entry without support is not counted.
    assert_eq!(row(&rows, "Kim")["entries"], 0);

    let only = env.json(&["balance", "Jordan"]);
    assert_eq!(only.as_array().unwrap().len(), 1);
}

#[test]
fn recent_entries_weigh_more() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["log", "Sam", "--at", "2026-01-15", "--got", "listening:3"]);
    env.ok(&["log", "Sam", "--at", "2026-06-14", "--gave", "listening:3"]);
    let score = env.json(&["balance"])[0]["score"].as_f64().unwrap();
    // 150 days apart with tau = 90: w = exp(-150/90) ≈ 0.19 → B ≈ 0.68.
    let w = (-(150.0_f64 - 1.0) / 90.0).exp();
    let expected = (1.0 - w) / (1.0 + w);
    assert!((score - expected).abs() < 0.01, "{score} vs {expected}");
}

#[test]
fn human_balance_says_bands_not_debts() {
    let env = Env::new();
    env.friends(&["Jordan"]);
    env.ok(&["log", "Jordan", "--gave", "listening:3"]);
    let out = env.ok(&["balance"]);
    assert!(out.contains("you have been carrying more lately"), "{out}");
    assert!(!out.to_lowercase().contains("owe"), "{out}");
}
