use crate::common::Env;

#[test]
fn add_list_show_and_edit() {
    let env = Env::new();
    let out = env.ok(&[
        "friend",
        "add",
        "Sam",
        "--alias",
        "Sammy",
        "--alias",
        "+44 7700 900123",
        "--every",
        "10",
    ]);
    assert!(out.contains("Added Sam"), "{out}");
    assert!(out.contains("every 10 days (at most 30 days)"), "{out}");
    env.ok(&["friend", "add", "Alex", "--circle", "inner"]);

    let list = env.json(&["friend", "list"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["friend"]["name"], "Alex");
    assert_eq!(list[0]["friend"]["circle"], "inner");
    assert_eq!(list[1]["friend"]["cadence"]["ideal_days"], 10);
    assert_eq!(list[1]["friend"]["aliases"].as_array().unwrap().len(), 2);
    assert_eq!(list[1]["cadence"]["state"], "on-track");

    // Found by alias, ignoring case.
    let show = env.json(&["friend", "show", "sammy"]);
    assert_eq!(show["friend"]["name"], "Sam");
    let human = env.ok(&["friend", "show", "SAM"]);
    assert!(human.contains("also known as"), "{human}");

    env.ok(&[
        "friend",
        "edit",
        "Sam",
        "--name",
        "Samantha",
        "--every",
        "5",
        "--max",
        "12",
        "--notes",
        "loves jazz",
    ]);
    let show = env.json(&["friend", "show", "Samantha"]);
    assert_eq!(show["friend"]["cadence"]["ideal_days"], 5);
    assert_eq!(show["friend"]["cadence"]["max_days"], 12);
    assert_eq!(show["friend"]["notes"], "loves jazz");
    env.ok(&[
        "friend",
        "edit",
        "Samantha",
        "--default-rhythm",
        "--circle",
        "wider",
    ]);
    let show = env.json(&["friend", "show", "Samantha"]);
    assert_eq!(show["friend"]["cadence"], serde_json::Value::Null);
    assert_eq!(show["overview"]["cadence"]["cadence"]["ideal_days"], 30);
}

#[test]
fn names_and_aliases_are_unique() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "S"]);
    let line = env.bad(&["friend", "add", "sam"]);
    assert!(line.contains("already here"), "{line}");
    env.ok(&["friend", "add", "Alex"]);
    let line = env.bad(&["friend", "alias", "Alex", "s"]);
    assert!(line.contains("already belongs to Sam"), "{line}");
    let line = env.bad(&["friend", "edit", "Alex", "--name", "SAM"]);
    assert!(line.contains("already here"), "{line}");
}

#[test]
fn alias_add_and_remove_with_platform() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["friend", "alias", "Sam", "Sam R.", "--platform", "whatsapp"]);
    let show = env.json(&["friend", "show", "Sam R."]);
    assert_eq!(show["friend"]["aliases"][0]["platform"], "whatsapp");
    env.ok(&["friend", "alias", "Sam", "Sam R.", "--remove"]);
    assert!(
        env.json(&["friend", "show", "Sam"])["friend"]["aliases"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let line = env.bad(&["friend", "alias", "Sam", "Nobody", "--remove"]);
    assert!(line.contains("no alias"), "{line}");
    let line = env.bad(&["friend", "alias", "Sam", "x", "--platform", "myspace"]);
    assert!(line.contains("unknown platform 'myspace'"), "{line}");
}

#[test]
fn pause_resume_and_snooze_change_the_rhythm() {
    let mut env = Env::new();
    env.ok(&["friend", "add", "Maya", "--every", "7"]);
    env.ok(&[
        "friend",
        "pause",
        "Maya",
        "--until",
        "2026-07-01",
        "--reason",
        "thesis",
    ]);
    assert_eq!(env.json(&["friend", "list"])[0]["cadence"]["state"], "paused");
    env.at("2026-06-20T12:00:00Z");
    env.ok(&["friend", "resume", "Maya"]);
    let list = env.json(&["friend", "list"]);
    // Added 5 days before the pause ended... the paused days do not count.
    assert_eq!(list[0]["cadence"]["state"], "on-track");
    let pauses = &list[0]["friend"]["pauses"];
    assert_eq!(pauses[0]["until"], "2026-06-19");
    let line = env.bad(&["friend", "resume", "Maya"]);
    assert!(line.contains("not paused"), "{line}");

    env.at("2026-06-30T12:00:00Z");
    assert_eq!(env.json(&["friend", "list"])[0]["cadence"]["state"], "overdue");
    env.ok(&["friend", "snooze", "Maya", "--until", "2026-07-03"]);
    assert_eq!(env.json(&["friend", "list"])[0]["cadence"]["state"], "snoozed");
}

#[test]
fn bad_friend_input() {
    let env = Env::new();
    env.ok(&["friend", "add", "Jordan"]);
    let line = env.bad(&["friend", "show", "Jordn"]);
    assert!(line.contains("did you mean Jordan?"), "{line}");
    assert!(env.bad(&["friend", "add", "  "]).contains("empty"));
    assert!(
        env.bad(&["friend", "add", "Kim", "--every", "0"])
            .contains("at least 1 day")
    );
    assert!(
        env.bad(&["friend", "add", "Kim", "--every", "10", "--max", "5"])
            .contains("must not be shorter")
    );
    assert!(
        env.bad(&["friend", "add", "Kim", "--circle", "best"])
            .contains("unknown circle 'best'")
    );
    assert!(
        env.bad(&["friend", "add", "Kim", "--every", "ten"])
            .contains("invalid value")
    );
    let line = env.bad(&[
        "friend",
        "pause",
        "Jordan",
        "--from",
        "2026-07-10",
        "--until",
        "2026-07-01",
    ]);
    assert!(line.contains("before --from"), "{line}");
}
