use crate::common::{Env, contains};

#[test]
fn log_stores_every_field() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&[
        "log",
        "Sam",
        "Alex",
        "--at",
        "yesterday 19:00",
        "--via",
        "in-person",
        "--started-by",
        "them",
        "--gave",
        "listening:3,practical",
        "--got",
        "advice:1",
        "--energy",
        "-2",
        "--heard",
        "4",
        "--note",
        "long walk by the river",
        "--tag",
        "Walk",
        "--tag",
        "river",
        "--conflict",
        "--hard-news",
    ]);
    assert!(out.contains("Logged time with Sam, Alex"), "{out}");
    assert!(out.contains("you gave listening:3,practical:2"), "{out}");
    let entries = env.json(&["journal", "list"]);
    let e = &entries[0];
    assert_eq!(e["at"], "2026-06-14T19:00:00Z");
    assert_eq!(e["channel"], "in-person");
    assert_eq!(e["initiator"], "them");
    assert_eq!(e["gave"]["listening"], 3);
    assert_eq!(e["gave"]["practical"], 2);
    assert_eq!(e["got"]["advice"], 1);
    assert_eq!(e["energy"], -2);
    assert_eq!(e["felt_heard"], 4);
    assert_eq!(e["note"], "long walk by the river");
    assert_eq!(e["tags"], serde_json::json!(["river", "walk"]));
    assert_eq!(e["conflict"], true);
    assert_eq!(e["hard_news"], true);
    assert_eq!(e["friends"].as_array().unwrap().len(), 2);
}

#[test]
fn natural_and_iso_times() {
    let env = Env::new();
    env.friends(&["Sam"]);
    for (at, expected) in [
        ("2 days ago", "2026-06-13T12:00:00Z"),
        ("2026-06-01", "2026-06-01T12:00:00Z"),
        ("2026-06-01 08:15", "2026-06-01T08:15:00Z"),
        ("2026-06-01T08:15:00+02:00", "2026-06-01T06:15:00Z"),
    ] {
        env.ok(&["log", "Sam", "--at", at, "--via", "call"]);
        let entries = env.json(&["journal", "list", "--limit", "100"]);
        assert!(
            entries.as_array().unwrap().iter().any(|e| e["at"] == expected),
            "{at} should be stored as {expected}: {entries}"
        );
    }
}

#[test]
fn bad_input_is_one_line_and_writes_nothing() {
    let env = Env::new();
    env.friends(&["Sam", "Jordan"]);
    env.ok(&["log", "Sam", "--via", "other"]);
    let cases: &[(&[&str], &str)] = &[
        (&["log", "Sma", "--via", "other"], "did you mean"),
        (
            &["log", "Nobody", "--note", "a private thing"],
            "no friend called 'Nobody'",
        ),
        (
            &["log", "Sam", "--energy", "4"],
            "from -3 (depleted) to 3 (energized)",
        ),
        (&["log", "Sam", "--energy", "-4"], "from -3"),
        (&["log", "Sam", "--energy", "lots"], "out of range"),
        (&["log", "Sam", "--heard", "9"], "from 1 to 5"),
        (&["log", "Sam", "--gave", "hugs"], "unknown support kind 'hugs'"),
        (&["log", "Sam", "--got", "listening:7"], "is not 1, 2 or 3"),
        (
            &["log", "Sam", "--via", "pigeon"],
            "--via 'pigeon' is not a way of being in touch I know",
        ),
        (&["log", "Sam", "--started-by", "nobody"], "unknown initiator"),
        (
            &["log", "Sam", "--at", "2026-02-30", "--via", "other"],
            "expected e.g.",
        ),
        (
            &["log", "Sam", "--at", "next week", "--via", "other"],
            "in the future",
        ),
        (&["log", "Sam", "Sam"], "named twice"),
        (
            &["log", "Sam", "--at", "last tuesday"],
            "there is nothing to log but the time",
        ),
        (&["log", "Sam"], "e.g. mutual log Sam --via message"),
        (&["log", "Sam", "Jordan", "Nobody"], "no friend called 'Nobody'"),
        (&["log"], "required"),
        (&["log", "Sam", "--tag", " "], "empty"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
        assert!(
            !line.contains("a private thing"),
            "journal text leaked into an error: {line}"
        );
    }
}

#[test]
fn journal_text_never_reaches_the_error_stream() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let out = env
        .cmd()
        .args([
            "log",
            "Sam",
            "--note",
            "the secret about the surprise party",
            "--energy",
            "9",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !contains(&out.stderr, "secret"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn disclosure_suggests_a_follow_up() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let out = env.ok(&["log", "Sam", "--got", "disclosure:3"]);
    assert!(out.contains("shared something personal"), "{out}");
    assert!(out.contains("mutual followup add"), "{out}");
    let out = env.ok(&[
        "log",
        "Sam",
        "--got",
        "disclosure",
        "--follow-up",
        "ask about the scan",
        "--due",
        "2026-06-20",
    ]);
    assert!(!out.contains("shared something personal"), "{out}");
    let f = env.json(&["followup", "list"]);
    assert_eq!(f[0]["due"], "2026-06-20");
    assert!(f[0]["interaction"].is_number());
}

#[test]
fn names_are_found_without_accents_and_channels_by_everyday_words() {
    let env = Env::new();
    env.ok(&["friend", "add", "Tomás", "--alias", "Tomás Ruiz"]);
    env.ok(&["friend", "add", "Zoë"]);
    for (name, via, channel) in [
        ("Tomas", "phone", "call"),
        ("tomas ruiz", "text", "message"),
        ("TOMÁS", "in person", "in-person"),
        ("zoe", "facetime", "video"),
    ] {
        let out = env.ok(&["log", name, "--via", via]);
        assert!(out.contains("Logged time with"), "{out}");
        let entry = &env.json(&["journal", "list", "--limit", "1"])[0];
        assert_eq!(entry["channel"], channel, "{name} --via {via}");
    }
    let tomas = env.json(&["journal", "list", "Tomas"]);
    assert_eq!(tomas.as_array().unwrap().len(), 3);
    // Two friends who fold alike are not guessed between.
    env.ok(&["friend", "add", "Zoe"]);
    // An exact name still wins; "Zoé" is neither exactly.
    assert!(
        env.ok(&["log", "zoe", "--via", "other"])
            .contains("Logged time with Zoe ")
    );
    assert!(
        env.ok(&["log", "ZOË", "--via", "other"])
            .contains("Logged time with Zoë ")
    );
    let line = env.bad(&["log", "Zoé", "--via", "other"]);
    assert!(
        line.contains("'Zoé' could be more than one friend") && line.contains("Zoe") && line.contains("Zoë"),
        "{line}"
    );
}
