use serde_json::{Value, json};

use crate::common::{Env, NOW};

fn balance_of(env: &Env, name: &str) -> Value {
    let rows = env.json(&["balance", name]);
    assert_eq!(rows.as_array().expect("an array").len(), 1, "{rows}");
    rows[0].clone()
}

#[test]
fn add_with_roles_and_list() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&[
        "agree",
        "add",
        "Sam",
        "I listen, Sam helps with the house",
        "--me",
        "listening,affirmation",
        "--them",
        "practical",
        "--since",
        "2026-01-01",
    ]);
    assert!(out.contains("Recorded your agreement with Sam (#1)"), "{out}");
    assert!(out.contains("count as a balanced exchange"), "{out}");
    let out = env.ok(&["agree", "add", "Alex", "we take turns hosting"]);
    assert!(!out.contains("balanced exchange"), "{out}");

    let all = env.json(&["agree", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let a = &all[0];
    assert_eq!(a["text"], "I listen, Sam helps with the house");
    assert_eq!(
        a["roles"],
        json!({"me": ["listening", "affirmation"], "them": ["practical"]})
    );
    assert_eq!(a["since"], "2026-01-01T12:00:00Z");
    assert_eq!(a["ended_at"], Value::Null);
    assert_eq!(a["friend_name"], "Sam");
    assert_eq!(all[1]["roles"], json!({"me": [], "them": []}));
    assert_eq!(all[1]["since"], NOW);

    let human = env.ok(&["agree", "list", "Sam"]);
    assert!(
        human.contains("#1 Sam: I listen, Sam helps with the house (you: listening,affirmation; them: practical; in force)"),
        "{human}"
    );
    assert!(!human.contains("Alex"), "{human}");
}

#[test]
fn agreed_roles_make_complementary_giving_balanced() {
    let env = Env::new();
    env.friends(&["Sam"]);
    // Three times together: enough for a verdict, not early days.
    for _ in 0..3 {
        env.ok(&["log", "Sam", "--gave", "listening:3", "--got", "practical:1"]);
    }
    let before = balance_of(&env, "Sam");
    assert_eq!(before["band"], "i-carry-more");
    assert!(before["score"].as_f64().unwrap() > 0.2, "{before}");
    assert_eq!(before["under_agreement"], 0);

    env.ok(&[
        "agree",
        "add",
        "Sam",
        "I listen, Sam helps with the house",
        "--me",
        "listening",
        "--them",
        "practical",
        "--since",
        "2026-01-01",
    ]);
    let after = balance_of(&env, "Sam");
    assert_eq!(after["band"], "balanced");
    assert_eq!(after["score"], 0.0);
    assert_eq!(after["under_agreement"], 3);
    assert!(
        after["per_kind"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["in_agreed_roles"] == true),
        "{after}"
    );
}

#[test]
fn ending_an_agreement_keeps_what_happened_under_it() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "agree",
        "add",
        "Sam",
        "roles",
        "--me",
        "listening",
        "--them",
        "practical",
        "--since",
        "2026-01-01",
    ]);
    for day in ["2026-06-08", "2026-06-09", "2026-06-10"] {
        let at = format!("{day}T12:00:00Z");
        env.ok(&[
            "log",
            "Sam",
            "--at",
            &at,
            "--gave",
            "listening:3",
            "--got",
            "practical:1",
        ]);
    }

    let out = env.ok(&["agree", "end", "1"]);
    assert!(out.contains("Agreement #1 ended"), "{out}");
    let a = &env.json(&["agree", "list"])[0];
    assert_eq!(a["ended_at"], NOW);
    assert!(env.ok(&["agree", "list"]).contains("; ended)"));

    // The entry from before the end still counts by roles.
    let b = balance_of(&env, "Sam");
    assert_eq!(b["under_agreement"], 3);
    assert_eq!(b["band"], "balanced");

    // Ending it earlier, before the entry, counts the entry by size again.
    env.ok(&["agree", "end", "1", "--at", "2026-06-01"]);
    assert_eq!(
        env.json(&["agree", "list"])[0]["ended_at"],
        "2026-06-01T12:00:00Z"
    );
    let b = balance_of(&env, "Sam");
    assert_eq!(b["under_agreement"], 0);
    assert_eq!(b["band"], "i-carry-more");
}

#[test]
fn remove_deletes_it_and_its_effect() {
    let env = Env::new();
    env.friends(&["Sam"]);
    // Three times together: enough for a verdict, not early days.
    for _ in 0..3 {
        env.ok(&["log", "Sam", "--gave", "listening:3", "--got", "practical:1"]);
    }
    env.ok(&[
        "agree",
        "add",
        "Sam",
        "roles",
        "--me",
        "listening",
        "--them",
        "practical",
        "--since",
        "2026-01-01",
    ]);
    assert_eq!(balance_of(&env, "Sam")["band"], "balanced");
    assert!(env.ok(&["agree", "remove", "1"]).contains("Removed agreement #1"));
    assert_eq!(env.json(&["agree", "list"]), json!([]));
    assert!(env.ok(&["agree", "list"]).contains("No agreements recorded"));
    assert_eq!(balance_of(&env, "Sam")["band"], "i-carry-more");
}

#[test]
fn an_agreement_that_has_not_started_is_not_ended() {
    // Today `agree list` calls an agreement whose --since is still ahead "ended".
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["agree", "add", "Sam", "from July on", "--since", "2026-07-01"]);
    let human = env.ok(&["agree", "list"]);
    assert!(human.contains("from July on"), "{human}");
    assert!(!human.contains("ended"), "{human}");
}

#[test]
fn an_agreement_cannot_end_before_it_began() {
    // Today `agree end 1 --at 2025-01-01` is accepted for an agreement since 2026-01-01.
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["agree", "add", "Sam", "roles", "--since", "2026-01-01"]);
    env.bad(&["agree", "end", "1", "--at", "2025-01-01"]);
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["agree", "add", "Sam", "roles", "--me", "listening"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["agree", "add", "Sam", "x", "--me", "hugs"],
            "--me: unknown support kind 'hugs'",
        ),
        (
            &["agree", "add", "Sam", "x", "--them", "listening,money"],
            "--them: unknown support kind 'money'",
        ),
        (&["agree", "add", "Sam", " "], "the agreement is empty"),
        (
            &["agree", "add", "Sam", "x", "--since", "whenever"],
            "not a date or time",
        ),
        (&["agree", "add", "Nobody", "x"], "no friend called 'Nobody'"),
        (&["agree", "end", "9"], "no agreement with id 9"),
        (
            &["agree", "end", "1", "--at", "zzz"],
            "'zzz' is not a date or time",
        ),
        (&["agree", "end", "first"], "agreement id; expected a number"),
        (&["agree", "remove", "9"], "no agreement with id 9"),
        (&["agree", "list", "Nobody"], "no friend called 'Nobody'"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}
