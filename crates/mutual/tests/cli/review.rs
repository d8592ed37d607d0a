use serde_json::{Value, json};

use crate::common::{Env, NOW};

fn friend<'a>(review: &'a Value, name: &str) -> &'a Value {
    review["friends"]
        .as_array()
        .expect("friends")
        .iter()
        .find(|f| f["friend"] == name)
        .unwrap_or_else(|| panic!("{name} in {review}"))
}

#[test]
fn json_summarises_each_friendship_over_the_period() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2 days ago",
        "--gave",
        "listening:3",
        "--energy",
        "2",
    ]);
    env.ok(&["log", "Sam", "--at", "20 days ago", "--got", "practical"]);
    env.ok(&["log", "Sam", "--at", "15 days ago", "--gave", "listening:1"]);
    env.ok(&["win", "add", "Sam", "got the job", "--at", "yesterday"]);

    let review = env.json(&["review"]);
    assert_eq!(review["period"], "week");
    assert_eq!(review["since"], "2026-06-08T12:00:00Z");
    assert_eq!(review["reflections"], json!([]));
    assert_eq!(review["friends"].as_array().unwrap().len(), 2);
    let sam = friend(&review, "Sam");
    for key in ["entries", "score", "band", "energy", "cadence", "wins", "signals"] {
        assert!(sam.get(key).is_some(), "{key} missing from {sam}");
    }
    assert_eq!(sam["entries"], 1);
    assert_eq!(sam["wins"], 1);
    assert_eq!(sam["band"], "i-carry-more");
    assert!(sam["score"].as_f64().unwrap() > 0.2, "{sam}");
    assert_eq!(sam["energy"], 2.0);
    assert!(sam["signals"].is_array());
    let alex = friend(&review, "Alex");
    assert_eq!(alex["entries"], 0);
    assert_eq!(alex["wins"], 0);
    assert_eq!(alex["energy"], Value::Null);

    let month = env.json(&["review", "--period", "month"]);
    assert_eq!(month["period"], "month");
    assert_eq!(friend(&month, "Sam")["entries"], 3);

    let only = env.json(&["review", "Alex"]);
    assert_eq!(only["friends"].as_array().unwrap().len(), 1);
    assert_eq!(only["friends"][0]["friend"], "Alex");
}

#[test]
fn scripted_reflections_are_saved() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&[
        "review",
        "Sam",
        "--went-well",
        "a long dinner",
        "--to-adjust",
        "call more often",
    ]);
    assert!(out.contains("Saved your reflection on Sam (#1)"), "{out}");
    let out = env.ok(&["review", "--period", "month", "--note", "a good month overall"]);
    assert!(
        out.contains("Saved your reflection on your friendships (#2)"),
        "{out}"
    );

    let reflections = &env.json(&["review"])["reflections"];
    assert_eq!(
        reflections,
        &json!([
            {"id": 1, "at": NOW, "period": "week", "friend": 1,
             "went_well": "a long dinner", "to_adjust": "call more often", "note": null},
            {"id": 2, "at": NOW, "period": "month", "friend": null,
             "went_well": null, "to_adjust": null, "note": "a good month overall"},
        ])
    );
    // A review of one friend shows only reflections about them.
    let sam = &env.json(&["review", "Sam"])["reflections"];
    assert_eq!(sam.as_array().unwrap().len(), 1);
    assert_eq!(sam[0]["went_well"], "a long dinner");
    assert_eq!(env.json(&["review", "Alex"])["reflections"], json!([]));
}

#[test]
fn interactive_answers_save_reflections_and_gratitude() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    // Friends come alphabetically: Alex, then Sam; three questions each. An
    // empty answer skips a question.
    let out = env
        .cmd()
        .args(["review", "--interactive"])
        .write_stdin("Alex was kind\n\nthe lift home\nSam listened\nless screen time\n\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("What went well with Alex?"), "{stdout}");
    assert!(stdout.contains("Anything to thank Sam for?"), "{stdout}");
    assert!(
        stdout.contains("Saved 2 reflections and 1 note of gratitude"),
        "{stdout}"
    );

    let reflections = env.json(&["review"])["reflections"].clone();
    assert_eq!(reflections.as_array().unwrap().len(), 2);
    assert_eq!(reflections[0]["friend"], 2);
    assert_eq!(reflections[0]["went_well"], "Alex was kind");
    assert_eq!(reflections[0]["to_adjust"], Value::Null);
    assert_eq!(reflections[1]["friend"], 1);
    assert_eq!(reflections[1]["went_well"], "Sam listened");
    assert_eq!(reflections[1]["to_adjust"], "less screen time");

    let thanks = env.json(&["thanks", "list"]);
    assert_eq!(thanks.as_array().unwrap().len(), 1);
    assert_eq!(thanks[0]["friend_name"], "Alex");
    assert_eq!(thanks[0]["text"], "the lift home");
    assert_eq!(thanks[0]["told_at"], Value::Null);
}

#[test]
fn interactive_with_no_answers_saves_nothing() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let before = env.snapshot();
    let out = env
        .cmd()
        .args(["review", "--interactive"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Saved 0 reflections and 0 notes of gratitude"));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn without_a_terminal_or_flags_it_only_prints() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["log", "Sam", "--gave", "listening"]);
    let before = env.snapshot();
    let out = env.ok(&["review"]);
    assert!(out.contains("Your week in friendship"), "{out}");
    assert!(out.contains("Sam — 1 entry"), "{out}");
    assert!(out.contains("--went-well"), "{out}");
    assert!(!out.contains("What went well"), "{out}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["review", "--period", "year"],
            "unknown period 'year'; expected one of: week, month",
        ),
        (&["review", "--went-well", "  "], "the reflection is empty"),
        (&["review", "Sam", "--to-adjust", ""], "the reflection is empty"),
        (&["review", "--interactive", "--json"], "cannot be used with"),
        (
            &["review", "--interactive", "--went-well", "x"],
            "cannot be used with",
        ),
        (&["review", "Zed", "--went-well", "x"], "no friend called 'Zed'"),
        (&["review", "Zed", "--json"], "no friend called 'Zed'"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}
