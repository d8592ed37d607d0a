use crate::common::Env;

#[test]
fn demo_builds_a_year_and_never_touches_the_users_database() {
    let env = Env::new();
    env.friends(&["My Real Friend"]);
    let demo = env.path("demo.db");
    let out = env.ok(&["demo", "--db", demo.to_str().unwrap()]);
    for expected in [
        "Today, ",
        "Balance lately",
        "Try next",
        "Jordan",
        "Maya",
        "new messages",
        "demo-report.html",
    ] {
        assert!(out.contains(expected), "{expected} missing from:\n{out}");
    }
    // The user's database (MUTUAL_DB) is unchanged.
    let mine = env.json(&["friend", "list"]);
    assert_eq!(mine.as_array().unwrap().len(), 1);

    let db = demo.to_str().unwrap();
    let rows = env.json(&["--db", db, "balance"]);
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 5);
    let band = |name: &str| rows.iter().find(|r| r["friend"] == name).unwrap()["band"].clone();
    assert_eq!(band("Sam"), "balanced");
    assert_eq!(band("Jordan"), "i-carry-more");
    assert_eq!(band("Priya"), "balanced");
    let priya = rows.iter().find(|r| r["friend"] == "Priya").unwrap();
    assert!(priya["under_agreement"].as_i64().unwrap() > 0);

    let friends = env.json(&["--db", db, "friend", "list"]);
    let state = |name: &str| {
        friends
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["friend"]["name"] == name)
            .unwrap()["cadence"]["state"]
            .clone()
    };
    assert_eq!(state("Maya"), "paused");

    let kinds: Vec<String> = env.json(&["--db", db, "today"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect();
    for kind in [
        "imbalance",
        "depletion",
        "boundary",
        "missed-followups",
        "uncelebrated-win",
        "untold-gratitude",
        // Alex's drift shows in the generated chats.
        "fatigue",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} missing from {kinds:?}");
    }

    // The chats went through the importers, and the report was written.
    let alex = rows.iter().find(|r| r["friend"] == "Alex").unwrap();
    assert!(alex["chats"]["their_messages"].as_u64().unwrap() > 0, "{alex}");
    let report = std::fs::read_to_string(env.path("demo-report.html")).unwrap();
    assert!(report.contains("Alex") && report.matches("<svg").count() > 20);

    // Running it again replaces the demo with the same story.
    let again = env.ok(&["demo", "--db", db]);
    assert_eq!(again, out);
}

#[test]
fn demo_refuses_to_overwrite_a_real_database() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let line = env.bad(&["demo", "--db", env.db.to_str().unwrap()]);
    assert!(line.contains("not a mutual demo"), "{line}");
    assert_eq!(env.json(&["friend", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn demo_ignores_mutual_db() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["demo"]);
    assert!(env.path("xdg/mutual/demo.db").exists());
    assert_eq!(env.json(&["friend", "list"]).as_array().unwrap().len(), 1);
}
