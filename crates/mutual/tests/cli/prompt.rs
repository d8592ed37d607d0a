use serde_json::Value;

use crate::common::Env;

#[test]
fn next_starts_light() {
    let env = Env::new();
    env.friends(&["Kim"]);
    let next = env.json(&["prompt", "next", "Kim"]);
    assert_eq!(next["depth"], "light");
    assert_eq!(next["reason"], "start");
    assert_eq!(next["answered_by_both"], 0);
    assert_eq!(next["prompt"]["id"], "light-01");
    assert_eq!(next["prompt"]["depth"], "light");
    assert!(!next["prompt"]["text"].as_str().unwrap().is_empty());

    let human = env.ok(&["prompt", "next", "Kim"]);
    assert!(human.contains("For you and Kim (light)"), "{human}");
    assert!(human.contains("[light-01]"), "{human}");
    assert!(
        human.contains("mutual prompt answered Kim light-01 --by both"),
        "{human}"
    );
}

#[test]
fn answered_prompts_are_not_suggested_again() {
    let env = Env::new();
    env.friends(&["Kim", "Lee"]);
    let out = env.ok(&["prompt", "answered", "Kim", "light-01"]);
    assert!(out.contains("Noted: light-01 with Kim"), "{out}");
    let next = env.json(&["prompt", "next", "Kim"]);
    assert_eq!(next["prompt"]["id"], "light-02");
    assert_eq!(next["answered_by_both"], 1);
    // Each friend has their own pace.
    assert_eq!(env.json(&["prompt", "next", "Lee"])["prompt"]["id"], "light-01");
}

#[test]
fn three_light_prompts_answered_by_both_open_the_personal_ones() {
    let env = Env::new();
    env.friends(&["Kim"]);
    // One-sided answers do not count towards going deeper.
    env.ok(&["prompt", "answered", "Kim", "light-01", "--by", "me"]);
    env.ok(&["prompt", "answered", "Kim", "light-02", "--by", "them"]);
    env.ok(&["prompt", "answered", "Kim", "light-03", "--by", "both"]);
    env.ok(&["prompt", "answered", "Kim", "light-04"]);
    let next = env.json(&["prompt", "next", "Kim"]);
    assert_eq!(next["depth"], "light");
    assert_eq!(next["answered_by_both"], 2);

    env.ok(&["prompt", "answered", "Kim", "light-05", "--by", "both"]);
    let next = env.json(&["prompt", "next", "Kim"]);
    assert_eq!(next["depth"], "personal");
    assert_eq!(next["reason"], "ready-to-deepen");
    assert_eq!(next["prompt"]["depth"], "personal");
    assert!(next["prompt"]["id"].as_str().unwrap().starts_with("personal-"));

    let uses = &env.snapshot().unwrap()["prompt_uses"];
    let who: Vec<(bool, bool)> = uses
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["me_answered"].as_bool().unwrap(),
                u["they_answered"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        who,
        [
            (true, false),
            (false, true),
            (true, true),
            (true, true),
            (true, true)
        ]
    );
}

#[test]
fn a_draining_stretch_keeps_prompts_light() {
    let env = Env::new();
    env.friends(&["Kim"]);
    for id in ["light-01", "light-02", "light-03"] {
        env.ok(&["prompt", "answered", "Kim", id]);
    }
    assert_eq!(env.json(&["prompt", "next", "Kim"])["depth"], "personal");
    env.ok(&["log", "Kim", "--at", "yesterday", "--energy", "-2"]);
    let next = env.json(&["prompt", "next", "Kim"]);
    assert_eq!(next["depth"], "light");
    assert_eq!(next["reason"], "depleted");
}

#[test]
fn deck_has_at_least_twenty_prompts_per_depth() {
    let env = Env::new();
    let mut total = 0;
    for depth in ["light", "personal", "deep"] {
        let deck = env.json(&["prompt", "deck", "--depth", depth]);
        let prompts = deck.as_array().unwrap();
        assert!(prompts.len() >= 20, "{depth}: {}", prompts.len());
        assert!(prompts.iter().all(|p| p["depth"] == depth), "{deck}");
        assert!(
            prompts
                .iter()
                .all(|p| p["id"].as_str().unwrap().starts_with(depth))
        );
        total += prompts.len();
    }
    let all = env.json(&["prompt", "deck"]);
    assert_eq!(all.as_array().unwrap().len(), total);
    let mut ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "prompt ids are unique");

    let human = env.ok(&["prompt", "deck", "--depth", "deep"]);
    assert!(human.lines().all(|l| l.starts_with("deep-")), "{human}");
    assert!(human.lines().count() >= 20);
    // Reading the deck needs no database.
    assert!(!env.db.exists());
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    env.friends(&["Kim"]);
    env.ok(&["prompt", "answered", "Kim", "light-01"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["prompt", "answered", "Kim", "light-99"],
            "there is no prompt 'light-99' in the deck",
        ),
        (
            &["prompt", "answered", "Kim", "hello"],
            "there is no prompt 'hello'",
        ),
        (
            &["prompt", "answered", "Kim", "light-02", "--by", "nobody"],
            "--by 'nobody' is not who answered",
        ),
        (
            &["prompt", "answered", "Kim", "light-02", "--at", "tomorrow"],
            "in the future",
        ),
        (
            &["prompt", "answered", "Zed", "light-02"],
            "no friend called 'Zed'",
        ),
        (&["prompt", "next", "Zed"], "no friend called 'Zed'"),
        (
            &["prompt", "deck", "--depth", "deeper"],
            "unknown depth 'deeper'; expected one of: light, personal, deep",
        ),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    let uses: &Value = &env.snapshot().unwrap()["prompt_uses"];
    assert_eq!(uses.as_array().unwrap().len(), 1);
}
