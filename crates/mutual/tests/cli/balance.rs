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
    env.friends(&["Sam", "Jordan", "Alex", "Kim", "Lee"]);
    for _ in 0..3 {
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
        env.ok(&[
            "log",
            "Alex",
            "--at",
            "1 day ago",
            "--got",
            "practical:3,listening:1",
        ]);
    }
    env.ok(&["log", "Jordan", "--at", "3 days ago", "--gave", "listening:3"]);
    env.ok(&["log", "Jordan", "--at", "5 days ago", "--gave", "presence:1"]);
    env.ok(&["log", "Jordan", "--at", "10 days ago", "--gave", "practical:2"]);
    env.ok(&["log", "Kim", "--at", "1 day ago", "--via", "other"]);
    env.ok(&["log", "Lee", "--at", "1 day ago", "--gave", "listening:3"]);

    let rows = env.json(&["balance"]);
    assert_eq!(rows.as_array().unwrap().len(), 5);
    let sam = row(&rows, "Sam");
    assert_eq!(sam["score"], 0.0);
    assert_eq!(sam["band"], "balanced");
    assert_eq!((&sam["entries"], &sam["needed"]), (&3.into(), &0.into()));
    let jordan = row(&rows, "Jordan");
    assert_eq!(jordan["score"], 1.0);
    assert_eq!(jordan["band"], "i-carry-more");
    assert_eq!(jordan["entries"], 3);
    let alex = row(&rows, "Alex");
    assert_eq!(alex["score"], -1.0);
    assert_eq!(alex["band"], "they-carry-more");
    // One entry is early days, whatever its score, and says what it takes.
    let lee = row(&rows, "Lee");
    assert_eq!(
        (&lee["score"], &lee["band"], &lee["needed"]),
        (&1.0.into(), &"early-days".into(), &2.into())
    );
    // An entry without support is not counted.
    let kim = row(&rows, "Kim");
    assert_eq!(
        (&kim["entries"], &kim["band"], &kim["needed"]),
        (&0.into(), &"early-days".into(), &3.into())
    );

    let only = env.json(&["balance", "Jordan"]);
    assert_eq!(only.as_array().unwrap().len(), 1);
}

#[test]
fn one_entry_is_early_days_not_a_verdict() {
    let env = Env::new();
    env.friends(&["Jordan"]);
    let logged = env.ok(&["log", "Jordan", "--gave", "listening:3"]);
    assert!(
        logged.contains("Balance with Jordan: early days: 2 more times together."),
        "{logged}"
    );
    for args in [
        &["balance"][..],
        &["friend", "show", "Jordan"],
        &["review", "--period", "week"],
    ] {
        let out = env.ok(args);
        assert!(
            out.contains("early days: 2 more times together"),
            "{args:?}:\n{out}"
        );
        assert!(!out.contains("carrying more"), "{args:?}:\n{out}");
        assert!(!out.contains("+1.00"), "{args:?}:\n{out}");
    }
    let report = env.path("report.html");
    env.ok(&["report", "--out", report.to_str().unwrap()]);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("early days: 2 more times together"));
    assert!(!html.contains("carrying more"));
    // Two more times together settle it.
    env.ok(&["log", "Jordan", "--gave", "listening:3"]);
    let logged = env.ok(&["log", "Jordan", "--gave", "listening:2"]);
    assert!(
        logged.contains("you have been carrying more lately (B = +1.00)"),
        "{logged}"
    );
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
    for _ in 0..3 {
        env.ok(&["log", "Jordan", "--gave", "listening:3"]);
    }
    let out = env.ok(&["balance"]);
    assert!(out.contains("you have been carrying more lately"), "{out}");
    assert!(!out.to_lowercase().contains("owe"), "{out}");
}
