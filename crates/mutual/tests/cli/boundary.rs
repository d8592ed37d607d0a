use serde_json::{Value, json};

use crate::common::Env;

fn items_of_kind<'a>(agenda: &'a Value, kind: &str) -> Vec<&'a Value> {
    agenda["items"]
        .as_array()
        .expect("agenda items")
        .iter()
        .filter(|i| i["kind"] == kind)
        .collect()
}

#[test]
fn add_with_each_rule_and_list() {
    let env = Env::new();
    env.friends(&["Sam", "Alex"]);
    let out = env.ok(&[
        "boundary",
        "add",
        "Sam",
        "no late calls",
        "--quiet",
        "23:00-07:00",
        "--on",
        "call,video",
    ]);
    assert!(out.contains("Noted your boundary with Sam (#1)"), "{out}");
    assert!(
        out.contains("quiet hours 23:00-07:00 for calls and video calls"),
        "{out}"
    );
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "space after fights",
        "--whose",
        "them",
        "--cool-down",
        "3",
    ]);
    env.ok(&[
        "boundary",
        "add",
        "Alex",
        "not too often",
        "--at-most",
        "2/7",
        "--since",
        "2026-06-01",
    ]);
    env.ok(&["boundary", "add", "Alex", "no politics"]);

    let all = env.json(&["boundary", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 4);
    assert_eq!(
        all[0]["rule"],
        json!({"kind": "quiet-hours", "start": "23:00:00", "end": "07:00:00", "channels": ["call", "video"]})
    );
    assert_eq!(all[0]["whose"], "me");
    assert_eq!(all[0]["since"], "2026-06-15");
    assert_eq!(all[1]["rule"], json!({"kind": "cool-down", "days": 3}));
    assert_eq!(all[1]["whose"], "them");
    assert_eq!(
        all[2]["rule"],
        json!({"kind": "frequency-limit", "max": 2, "per_days": 7})
    );
    assert_eq!(all[2]["since"], "2026-06-01");
    assert_eq!(all[3]["rule"], Value::Null);

    let alex = env.json(&["boundary", "list", "Alex"]);
    assert_eq!(alex.as_array().unwrap().len(), 2);
    assert!(
        alex.as_array()
            .unwrap()
            .iter()
            .all(|b| b["friend_name"] == "Alex")
    );

    let human = env.ok(&["boundary", "list"]);
    assert!(
        human.contains("#2 Sam: space after fights (theirs) — 3 days of space after a conflict"),
        "{human}"
    );
    assert!(
        human.contains("#3 Alex: not too often (yours) — at most 2 contacts in 7 days"),
        "{human}"
    );
    assert!(human.contains("#4 Alex: no politics (yours)\n"), "{human}");
}

#[test]
fn edit_replaces_keeps_or_removes_the_rule() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "no late calls",
        "--quiet",
        "23:00-07:00",
    ]);

    // Without rule flags the rule stays.
    env.ok(&[
        "boundary",
        "edit",
        "1",
        "--text",
        "no calls at night",
        "--whose",
        "them",
        "--since",
        "2026-06-01",
    ]);
    let b = &env.json(&["boundary", "list"])[0];
    assert_eq!(b["text"], "no calls at night");
    assert_eq!(b["whose"], "them");
    assert_eq!(b["since"], "2026-06-01");
    assert_eq!(b["rule"]["kind"], "quiet-hours");

    env.ok(&[
        "boundary",
        "edit",
        "1",
        "--quiet",
        "22:00-06:00",
        "--on",
        "message",
    ]);
    let b = &env.json(&["boundary", "list"])[0];
    assert_eq!(
        b["rule"],
        json!({"kind": "quiet-hours", "start": "22:00:00", "end": "06:00:00", "channels": ["message"]})
    );
    assert_eq!(b["text"], "no calls at night");

    env.ok(&["boundary", "edit", "1", "--at-most", "3/14"]);
    assert_eq!(
        env.json(&["boundary", "list"])[0]["rule"],
        json!({"kind": "frequency-limit", "max": 3, "per_days": 14})
    );

    env.ok(&["boundary", "edit", "1", "--no-rule"]);
    let b = &env.json(&["boundary", "list"])[0];
    assert_eq!(b["rule"], Value::Null);
    assert_eq!(b["text"], "no calls at night");
}

#[test]
fn remove_deletes_it() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["boundary", "add", "Sam", "one", "--cool-down", "2"]);
    env.ok(&["boundary", "add", "Sam", "two"]);
    assert!(
        env.ok(&["boundary", "remove", "1"])
            .contains("Removed boundary #1")
    );
    let left = env.json(&["boundary", "list"]);
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["text"], "two");
    assert!(
        env.bad(&["boundary", "remove", "1"])
            .contains("no boundary with id 1")
    );
}

#[test]
fn bad_rules_are_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "no late calls",
        "--quiet",
        "23:00-07:00",
    ]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["--quiet", "25:00-07:00"],
            "is not a time window; expected HH:MM-HH:MM",
        ),
        (&["--quiet", "23:00"], "is not a time window"),
        (&["--quiet", "late"], "is not a time window"),
        (&["--quiet", "23:00-23:00"], "starts and ends at the same time"),
        (
            &["--quiet", "23:00-07:00", "--on", "pigeon"],
            "unknown channel 'pigeon'",
        ),
        (&["--on", "call"], "--quiet"),
        (&["--cool-down", "0"], "expected 1 to 365 days"),
        (&["--cool-down", "400"], "expected 1 to 365 days"),
        (&["--cool-down", "soon"], "invalid value"),
        (&["--at-most", "0/7"], "expected N/DAYS such as 2/7"),
        (&["--at-most", "2/0"], "expected N/DAYS"),
        (&["--at-most", "2"], "expected N/DAYS"),
        (&["--at-most", "2/400"], "expected N/DAYS"),
        (&["--quiet", "23:00-07:00", "--cool-down", "3"], "one rule"),
        (&["--cool-down", "3", "--at-most", "2/7"], "one rule"),
        (&["--whose", "x"], "unknown side 'x'"),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["boundary", "add", "Sam", "a rule"];
        args.extend_from_slice(flags);
        let line = env.bad(&args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    let cases: &[(&[&str], &str)] = &[
        (
            &["boundary", "edit", "1", "--no-rule", "--quiet", "22:00-06:00"],
            "cannot be used with",
        ),
        (
            &["boundary", "edit", "1", "--quiet", "7-9"],
            "is not a time window",
        ),
        (&["boundary", "edit", "1", "--text", " "], "the boundary is empty"),
        (
            &["boundary", "edit", "77", "--text", "x"],
            "no boundary with id 77",
        ),
        (
            &["boundary", "edit", "x", "--text", "y"],
            "'x' is not a valid boundary id",
        ),
        (&["boundary", "add", "Sam", " "], "the boundary is empty"),
        (&["boundary", "add", "Nobody", "x"], "no friend called 'Nobody'"),
        (&["boundary", "list", "Nobody"], "no friend called 'Nobody'"),
    ];
    for (args, expected) in cases {
        let line = env.bad(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}

#[test]
fn no_rule_is_refused_when_adding() {
    // `--no-rule` is documented as "Remove the rule (edit only)"; on `add`
    // it is silently ignored today.
    let env = Env::new();
    env.friends(&["Sam"]);
    let line = env.bad(&["boundary", "add", "Sam", "no late calls", "--no-rule"]);
    assert!(line.contains("--no-rule"), "{line}");
}

#[test]
fn quiet_hours_crossing_shows_up_today() {
    // The scenario from the manual: a call from Sam at 23:30 local time.
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "no late calls",
        "--quiet",
        "23:00-07:00",
        "--since",
        "2026-06-01",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-14 23:30",
        "--via",
        "call",
        "--started-by",
        "them",
    ]);
    let agenda = env.json(&["today"]);
    let found = items_of_kind(&agenda, "boundary");
    assert_eq!(found.len(), 1, "{agenda}");
    assert_eq!(found[0]["friend_name"], "Sam");
    assert_eq!(found[0]["date"], "2026-06-14");
}

#[test]
fn quiet_hours_count_only_their_contacts_on_the_listed_channels() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "no late calls",
        "--quiet",
        "23:00-07:00",
        "--on",
        "message",
        "--since",
        "2026-06-01",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-14T23:30:00Z",
        "--via",
        "call",
        "--started-by",
        "them",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-13T23:30:00Z",
        "--via",
        "message",
        "--started-by",
        "me",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-12T20:00:00Z",
        "--via",
        "message",
        "--started-by",
        "them",
    ]);
    assert!(env.agenda("boundary").is_empty());

    env.ok(&[
        "boundary",
        "edit",
        "1",
        "--quiet",
        "23:00-07:00",
        "--on",
        "call,message",
    ]);
    let agenda = env.json(&["today"]);
    let found = items_of_kind(&agenda, "boundary");
    assert_eq!(found.len(), 1, "{agenda}");
    let b = found[0];
    assert_eq!(b["section"], "take-care");
    assert_eq!(b["evidence"]["boundary"], 1);
    assert_eq!(b["evidence"]["whose"], "me");
    assert_eq!(b["evidence"]["crossings"], 1);
    assert_eq!(
        b["evidence"]["rule"],
        "quiet hours 23:00-07:00 for calls and messages"
    );
    let message = b["message"].as_str().unwrap();
    assert!(
        message.contains("Sam reached out") && message.contains("23:30"),
        "{message}"
    );

    // Without a rule there is nothing to cross.
    env.ok(&["boundary", "edit", "1", "--no-rule"]);
    assert!(env.agenda("boundary").is_empty());
}

#[test]
fn contacts_before_the_boundary_was_set_do_not_count() {
    let env = Env::new();
    env.friends(&["Sam"]);
    // Set today (the default): yesterday's late call came before it.
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "no late calls",
        "--quiet",
        "23:00-07:00",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-14T23:30:00Z",
        "--via",
        "call",
        "--started-by",
        "them",
    ]);
    assert!(env.agenda("boundary").is_empty());
    env.ok(&["boundary", "edit", "1", "--since", "2026-06-14"]);
    assert_eq!(env.agenda("boundary").len(), 1);
}

#[test]
fn cool_down_after_a_conflict_is_checked() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "space after fights",
        "--whose",
        "them",
        "--cool-down",
        "3",
        "--since",
        "2026-06-01",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-10T18:00:00Z",
        "--conflict",
        "--started-by",
        "both",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-11T10:00:00Z",
        "--via",
        "message",
        "--started-by",
        "me",
    ]);
    let agenda = env.json(&["today"]);
    let found = items_of_kind(&agenda, "boundary");
    assert_eq!(found.len(), 1, "{agenda}");
    assert_eq!(found[0]["evidence"]["whose"], "them");
    assert_eq!(found[0]["date"], "2026-06-11");
    assert!(
        found[0]["message"].as_str().unwrap().contains("Sam's boundary"),
        "{}",
        found[0]
    );
}

#[test]
fn frequency_limit_flags_contacts_past_the_limit() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&[
        "boundary",
        "add",
        "Sam",
        "not every day",
        "--at-most",
        "2/7",
        "--since",
        "2026-06-01",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-10T10:00:00Z",
        "--started-by",
        "them",
    ]);
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-11T10:00:00Z",
        "--started-by",
        "them",
    ]);
    assert!(env.agenda("boundary").is_empty());
    env.ok(&[
        "log",
        "Sam",
        "--at",
        "2026-06-12T10:00:00Z",
        "--started-by",
        "them",
    ]);
    let agenda = env.json(&["today"]);
    let found = items_of_kind(&agenda, "boundary");
    assert_eq!(found.len(), 1, "{agenda}");
    assert_eq!(found[0]["evidence"]["crossings"], 1);
    assert_eq!(found[0]["date"], "2026-06-12");
}

#[test]
fn a_new_boundary_says_which_earlier_entries_it_would_have_counted() {
    let env = Env::new();
    env.friends(&["Jordan"]);
    for at in ["2026-06-01 23:40", "2026-06-05 23:15"] {
        env.ok(&[
            "log",
            "Jordan",
            "--at",
            at,
            "--via",
            "call",
            "--started-by",
            "them",
        ]);
    }
    let out = env.ok(&[
        "boundary",
        "add",
        "Jordan",
        "no late calls",
        "--quiet",
        "23:00-07:00",
    ]);
    assert!(
        out.contains(
            "It counts from 2026-06-15. 2 earlier entries would have crossed it, the first on 2026-06-01."
        ),
        "{out}"
    );
    assert!(
        out.contains("`mutual boundary edit 1 --since 2026-06-01`"),
        "{out}"
    );
    assert!(
        env.agenda("boundary").is_empty(),
        "nothing counts before it is asked for"
    );
    env.ok(&["boundary", "edit", "1", "--since", "2026-06-01"]);
    assert_eq!(env.agenda("boundary").len(), 1);

    // Given --since, or with nothing earlier to count, it says nothing more.
    let out = env.ok(&[
        "boundary",
        "add",
        "Jordan",
        "again",
        "--quiet",
        "23:00-07:00",
        "--since",
        "2026-06-10",
    ]);
    assert!(!out.contains("would have crossed"), "{out}");
    let help = env.ok(&["boundary", "add", "--help"]);
    assert!(help.contains("The day its rule counts from"), "{help}");
}
