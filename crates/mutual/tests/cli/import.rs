//! `mutual import`: detection, dry runs, merging without double counting,
//! sender mapping, privacy, bad input and interrupted imports.

use std::io::Write;

use serde_json::Value;

use crate::common::Env;

/// An Android WhatsApp export of `(day, time, sender, text)` lines, June 2026.
fn whatsapp(messages: &[(u32, &str, &str, &str)]) -> String {
    let mut out = String::new();
    for (day, time, sender, text) in messages {
        if sender.is_empty() {
            out.push_str(&format!("{day}/06/26, {time} - {text}\n"));
        } else {
            out.push_str(&format!("{day}/06/26, {time} - {sender}: {text}\n"));
        }
    }
    out
}

/// The same messages as an iOS export would write them.
fn whatsapp_ios(messages: &[(u32, &str, &str, &str)]) -> String {
    let mut out = String::new();
    for (day, time, sender, text) in messages {
        let text = if *text == "<Media omitted>" {
            "\u{200e}image omitted"
        } else {
            text
        };
        out.push_str(&format!("[{day:02}.06.26, {time}:00] {sender}: {text}\n"));
    }
    out
}

const CHAT: &[(u32, &str, &str, &str)] = &[
    (13, "09:00", "", "Messages and calls are end-to-end encrypted."),
    (13, "09:01", "Sam Lee", "how did the interview go?"),
    (13, "09:03", "Me Myself", "really well, thank you for asking"),
    (13, "09:03", "Me Myself", "really well, thank you for asking"),
    (13, "21:40", "Sam Lee", "<Media omitted>"),
    (14, "08:15", "Sam Lee", "coffee on friday?"),
    (14, "08:20", "Me Myself", "yes please"),
];

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn import(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["import", "--json"];
    all.extend_from_slice(args);
    env.ok(&all)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn stored(env: &Env) -> u64 {
    let export: Value = serde_json::from_str(&env.ok(&["export"])).expect("export is JSON");
    export["messages"].as_u64().expect("a message count")
}

#[test]
fn a_dry_run_reports_what_the_file_holds_and_writes_nothing() {
    let env = Env::new();
    let file = write(&env, "WhatsApp Chat with Sam Lee.txt", &whatsapp(CHAT));
    let out = env.ok(&["import", "--dry-run", "--json", &file]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["format"], "whatsapp");
    assert_eq!(report["messages"], 6);
    assert_eq!(report["system"], 1);
    assert_eq!(
        report["senders"],
        serde_json::json!({"Sam Lee": 3, "Me Myself": 3})
    );
    assert_eq!(report["first"], "2026-06-13T09:01:00");
    assert_eq!(report["last"], "2026-06-14T08:20:00");
    assert!(report["diagnostics"].as_array().unwrap().is_empty());
    assert!(!env.db.exists(), "a dry run must not create the database");
}

#[test]
fn importing_the_same_export_twice_adds_nothing() {
    let env = Env::new();
    let file = write(&env, "WhatsApp Chat with Sam Lee.txt", &whatsapp(CHAT));
    let first = import(&env, &[&file]);
    assert_eq!(first.len(), 1);
    assert_eq!(
        (
            first[0]["new"].as_u64(),
            first[0]["known"].as_u64(),
            first[0]["system"].as_u64()
        ),
        (Some(6), Some(0), Some(1))
    );
    let again = import(&env, &[&file]);
    assert_eq!(
        (again[0]["new"].as_u64(), again[0]["known"].as_u64()),
        (Some(0), Some(6))
    );
    assert_eq!(
        stored(&env),
        6,
        "two identical messages in one minute are both kept"
    );
}

#[test]
fn a_newer_overlapping_export_adds_only_what_is_new() {
    let env = Env::new();
    let older = write(&env, "older.txt", &whatsapp(&CHAT[..4]));
    let mut later: Vec<_> = CHAT[2..].to_vec();
    later.push((15, "10:00", "Sam Lee", "see you there"));
    let newer = write(&env, "newer.txt", &whatsapp(&later));
    assert_eq!(import(&env, &[&older])[0]["new"], 3);
    let second = import(&env, &[&newer]);
    assert_eq!(
        (second[0]["new"].as_u64(), second[0]["known"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(stored(&env), 7);
}

#[test]
fn the_same_chat_exported_by_another_phone_is_not_counted_twice() {
    let env = Env::new();
    let messages = &CHAT[1..];
    let android = write(&env, "WhatsApp Chat with Sam Lee.txt", &whatsapp(messages));
    let ios = write(&env, "_chat.txt", &whatsapp_ios(messages));
    assert_eq!(import(&env, &[&android])[0]["new"], 6);
    let second = import(&env, &[&ios]);
    assert_eq!(
        (second[0]["new"].as_u64(), second[0]["known"].as_u64()),
        (Some(0), Some(6)),
        "{second:?}"
    );
}

#[test]
fn unknown_senders_are_listed_with_the_command_that_links_them() {
    let env = Env::new();
    let file = write(&env, "chat.txt", &whatsapp(CHAT));
    let summary = &import(&env, &[&file])[0];
    assert_eq!(summary["unmapped"], 6);
    let senders = summary["unmapped_senders"].as_array().unwrap();
    assert_eq!(senders.len(), 2);
    assert_eq!(senders[0]["messages"], 3);
    let command = senders.iter().find(|s| s["sender"] == "Sam Lee").unwrap()["command"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(command, format!("mutual import --map 'Sam Lee=Sam Lee' {file}"));

    // Running the suggested command (with --me for my side) links them; nothing is stored twice.
    let linked = import(&env, &["--map", "Sam Lee=Sam Lee", "--me", "Me Myself", &file]);
    assert_eq!(
        (linked[0]["new"].as_u64(), linked[0]["unmapped"].as_u64()),
        (Some(0), Some(0))
    );
    let friends = env.json(&["friend", "list"]);
    assert!(friends.to_string().contains("Sam Lee"), "{friends}");
    // Human output names the file and counts.
    let human = env.ok(&["import", &file]);
    assert!(
        human.contains("0 new messages, 6 already known, 1 system line skipped"),
        "{human}"
    );
}

#[test]
fn a_mapped_alias_counts_as_contact_for_the_rhythm() {
    let mut env = Env::new();
    env.ok(&["friend", "add", "Sam", "--every", "7"]);
    env.ok(&["log", "Sam", "--at", "2026-04-01", "--gave", "listening"]);
    env.at("2026-06-15T12:00:00Z");
    let overdue = env.agenda("overdue");
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    let file = write(&env, "chat.txt", &whatsapp(CHAT));
    import(&env, &["--map", "Sam Lee=Sam", &file]);
    assert!(env.agenda("overdue").is_empty(), "a chat two days ago is contact");
}

#[test]
fn text_is_kept_only_when_asked() {
    let env = Env::new();
    let file = write(
        &env,
        "chat.txt",
        &whatsapp(&[(13, "09:01", "Sam Lee", "zebra crossing marmalade")]),
    );
    import(&env, &[&file]);
    assert!(
        !contains(&env.db_bytes(), b"marmalade"),
        "text must not be stored by default"
    );
    let env = Env::new();
    let file = write(
        &env,
        "chat.txt",
        &whatsapp(&[(13, "09:01", "Sam Lee", "zebra crossing marmalade")]),
    );
    import(&env, &["--keep-text", &file]);
    assert!(contains(&env.db_bytes(), b"marmalade"));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn bad_exports_get_one_line_naming_the_file_and_where() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let good = write(&env, "good.txt", &whatsapp(CHAT));
    let cases: Vec<(String, Vec<u8>, &str)> = vec![
        ("empty.txt".into(), Vec::new(), "empty"),
        ("garbage.bin".into(), (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect(), "not look like a chat export; expected a WhatsApp .txt or .zip"),
        ("truncated.json".into(), br#"{"name": "Sam", "type": "personal_chat", "id": 1, "messages": [{"id": 1, "type": "message", "date": "2026-06-01T10:00:00", "from": "Sam", "text": "hi"}, {"id": 2, "#.to_vec(), "truncated.json"),
        ("latin1.txt".into(), b"13/06/26, 09:01 - Sam: caf\xe9 au lait\n".to_vec(), "line 1"),
    ];
    for (name, bytes, expected) in cases {
        let path = env.path(&name);
        std::fs::write(&path, bytes).unwrap();
        let line = env.bad(&["import", path.to_str().unwrap()]);
        assert!(line.contains(&name), "{line}");
        assert!(line.contains(expected), "{name}: {line}");
        if name == "garbage.bin" {
            // The command line says how to name the format itself.
            assert!(
                line.ends_with("LINE .txt; or name the format with --format"),
                "{line}"
            );
        }
        // A bad file among good ones stops the whole import.
        env.bad(&["import", &good, path.to_str().unwrap()]);
    }
    assert_eq!(stored(&env), 0);
}

#[test]
fn a_zip_without_a_chat_and_a_huge_line_are_bad_input() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let zip_path = env.path("photos.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        zip.start_file("IMG-0001.jpg", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"\xff\xd8\xff").unwrap();
        zip.finish().unwrap();
    }
    let line = env.bad(&["import", zip_path.to_str().unwrap()]);
    assert!(line.contains("photos.zip") && line.contains("no .txt"), "{line}");

    let huge = env.path("huge.txt");
    let mut text = whatsapp(&CHAT[1..2]).into_bytes();
    text.extend(std::iter::repeat_n(b'a', 50 * 1024 * 1024));
    std::fs::write(&huge, text).unwrap();
    let line = env.bad(&["import", huge.to_str().unwrap()]);
    assert!(
        line.contains("huge.txt: line 2") || line.contains("huge.txt: line 1"),
        "{line}"
    );
}

#[test]
fn a_first_import_that_fails_leaves_no_database() {
    let env = Env::new();
    let path = env.path("latin1.txt");
    std::fs::write(&path, b"13/06/26, 09:01 - Sam: caf\xe9\n").unwrap();
    env.bad(&["import", path.to_str().unwrap()]);
    assert!(!env.db.exists(), "no database file");
    assert!(!env.db.with_extension("db-wal").exists(), "no WAL file");
}

#[test]
fn bad_flags_are_bad_input() {
    let env = Env::new();
    let file = write(&env, "chat.txt", &whatsapp(CHAT));
    assert!(
        env.bad(&["import", "--tz", "Mars/Olympus", &file])
            .contains("IANA")
    );
    assert!(
        env.bad(&["import", "--map", "Sam", &file])
            .contains("SENDER=FRIEND")
    );
    assert!(
        env.bad(&["import", "--format", "fax", &file])
            .contains("whatsapp")
    );
    assert!(env.bad(&["import", "missing.txt"]).contains("missing.txt"));
}

#[test]
fn an_import_killed_at_any_moment_leaves_a_consistent_database() {
    let env = Env::new();
    let path = env.path("big.txt");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let start = jiff::civil::date(2020, 1, 1).at(8, 0, 0, 0);
        let mut generator = mutual_import::synth::Generator::new(11, &["Sam Lee", "Me Myself"], start);
        mutual_import::synth::write_whatsapp(&mut out, &mut generator, 150_000).unwrap();
    }
    let file = path.display().to_string();
    let expected = serde_json::from_str::<Value>(&env.ok(&["import", "--dry-run", "--json", &file])).unwrap()
        ["messages"]
        .as_u64()
        .unwrap();
    env.ok(&["init"]); // create the schema, so a kill never lands in the first migration
    for delay_ms in [30, 120, 400] {
        let mut child = env
            .std_cmd()
            .args(["import", &file])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM message", [], |r| r.get(0))
            .unwrap();
        let n = n as u64;
        assert!(
            n == 0 || n == expected,
            "after a kill at {delay_ms} ms: {n} of {expected} messages"
        );
    }
    let done = import(&env, &[&file]);
    assert_eq!(
        done[0]["new"].as_u64().unwrap() + done[0]["known"].as_u64().unwrap(),
        expected
    );
    assert_eq!(stored(&env), expected);
}

#[test]
fn a_store_that_fails_midway_ends_the_import_with_an_error_and_nothing_written() {
    let env = Env::new();
    let path = env.path("big.txt");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let start = jiff::civil::date(2020, 1, 1).at(8, 0, 0, 0);
        let mut generator = mutual_import::synth::Generator::new(12, &["Sam Lee", "Me Myself"], start);
        mutual_import::synth::write_whatsapp(&mut out, &mut generator, 100_000).unwrap();
    }
    env.ok(&["init"]);
    // As a full disk would: SQLite refuses a write partway through.
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute_batch(
            "CREATE TABLE filled (n INTEGER);
             INSERT INTO filled VALUES (0);
             CREATE TRIGGER full BEFORE INSERT ON message
             BEGIN
                 UPDATE filled SET n = n + 1;
                 SELECT RAISE(ABORT, 'database or disk is full') WHERE (SELECT n FROM filled) > 5000;
             END;",
        )
        .unwrap();
    let mut child = env
        .std_cmd()
        .args(["import", path.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the import hung after the store failed");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(1));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("disk is full"), "{err}");
    assert_eq!(stored(&env), 0);
}

#[test]
fn forgetting_a_friend_removes_their_chats_without_a_trace() {
    let env = Env::new();
    let one_to_one = write(
        &env,
        "WhatsApp Chat with Zebulon Quixote.txt",
        &whatsapp(&[
            (13, "09:01", "Zebulon Quixote", "marmalade plans"),
            (13, "09:02", "Me Myself", "tell me more"),
        ]),
    );
    let group = write(
        &env,
        "WhatsApp Chat with Book club.txt",
        &whatsapp(&[
            (14, "19:00", "Zebulon Quixote", "chapter three"),
            (14, "19:01", "Kim", "loved it"),
            (14, "19:02", "Me Myself", "same"),
        ]),
    );
    import(
        &env,
        &[
            "--keep-text",
            "--me",
            "Me Myself",
            "--map",
            "Zebulon Quixote=Zeb",
            "--map",
            "Kim=Kim",
            &one_to_one,
            &group,
        ],
    );
    assert_eq!(stored(&env), 5);
    env.ok(&["forget", "Zeb", "--yes"]);
    // The one-to-one chat goes entirely, the group keeps Kim's and my messages.
    assert_eq!(stored(&env), 2);
    let bytes = env.db_bytes();
    for gone in [&b"Zebulon"[..], b"marmalade", b"chapter three", b"tell me more"] {
        assert!(
            !contains(&bytes, gone),
            "{:?} is still in the file",
            String::from_utf8_lossy(gone)
        );
    }
    assert!(contains(&bytes, b"loved it"));
}

/// A file under ../shared/fixtures/chat-samples (or `MUTUAL_FIXTURES`).
fn fixture(relative: &str) -> String {
    mutual_import::synth::fixtures_dir()
        .join(relative)
        .display()
        .to_string()
}

#[test]
fn every_kind_of_export_is_detected_and_imported() {
    let env = Env::new();
    let cases = [
        ("whatsapp/Chatistics___chat.txt", "whatsapp"),
        ("telegram/tg2md__result.json", "telegram"),
        ("telegram/chat-miner__test_batch_export.json", "telegram"),
        ("signal/chat-miner__test_export.txt", "signal-text"),
        ("signal/signal-export__db.sqlite", "signal-desktop"),
        (
            "messenger/chat-miner__facebookMessenger_testlog.json",
            "messenger",
        ),
        ("messenger/fbchat-archive-parser__simulated_data.htm", "messenger"),
        ("instagram/chat-miner__instagram_testlog.json", "instagram"),
        ("sms-backup-restore/sms-backup-reader-2__sms_small.xml", "sms"),
        (
            "sms-backup-restore/sms-backup-restore-parser__minimal_calls.xml",
            "sms",
        ),
        ("line/Line-analytics__chat_zh_tw.txt", "line"),
    ];
    let mut total = 0;
    for (file, format) in cases {
        let path = fixture(file);
        let survey: Value = serde_json::from_str(&env.ok(&["import", "--dry-run", "--json", &path])).unwrap();
        assert_eq!(survey["format"], format, "{file}");
        let messages = survey["messages"].as_u64().unwrap();
        assert!(messages > 0, "{file}: {survey}");
        let summary = &import(&env, &[&path])[0];
        assert_eq!(summary["format"], format, "{file}");
        // Messages of one file that land on the same key (the same sender
        // saying the same thing in the same minute in two chats) count once.
        let (new, known) = (
            summary["new"].as_u64().unwrap(),
            summary["known"].as_u64().unwrap(),
        );
        assert_eq!(new + known, messages, "{file}: {summary}");
        assert_eq!(summary["system"], survey["system"], "{file}");
        total += new;
    }
    assert_eq!(stored(&env), total);
}

#[test]
fn a_sender_close_to_a_friend_is_suggested_as_that_friend() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let file = write(&env, "chat.txt", &whatsapp(CHAT));
    let summary = &import(&env, &["--me", "Me Myself", &file])[0];
    let sender = &summary["unmapped_senders"][0];
    assert_eq!(sender["sender"], "Sam Lee");
    assert_eq!(
        sender["command"],
        format!("mutual import --map 'Sam Lee=Sam' {file}")
    );

    // `senders` lists who is not linked, with counts and the command.
    let listed = env.ok(&["senders"]);
    assert!(listed.starts_with("Sam Lee (whatsapp, 3 messages)\n"), "{listed}");
    assert!(
        listed.contains("Probably Sam: `mutual friend alias Sam 'Sam Lee' --platform whatsapp`"),
        "{listed}"
    );
    assert!(listed.contains("--map 'Sam Lee=Sam'"), "{listed}");
    let json = env.json(&["senders"]);
    assert_eq!(json[0]["suggested_friend"], "Sam");
    assert_eq!(json[0]["messages"], 3);

    // Running it links Sam's messages to Sam.
    env.ok(&["friend", "alias", "Sam", "Sam Lee", "--platform", "whatsapp"]);
    assert_eq!(
        env.ok(&["senders"]),
        "Every chat sender is linked to a friend (or is you).\n"
    );
    let all = env.json(&["senders", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    let balance = env.json(&["balance", "Sam"]);
    assert!(balance[0]["chats"].is_object(), "{balance}");

    // Nobody close: a new friend is the suggestion.
    let other = write(&env, "kim.txt", &whatsapp(&[(14, "10:00", "Kim Park", "hello!")]));
    import(&env, &[&other]);
    assert!(
        env.ok(&["senders"])
            .contains("A new friend: `mutual friend add 'Kim Park'`")
    );
}

#[test]
fn an_sms_backup_shows_my_own_side_as_you() {
    let env = Env::new();
    let file = fixture("sms-backup-restore/sms-backup-restore-parser__mixed.xml");
    let out = env.ok(&["import", "--dry-run", &file]);
    assert!(out.contains("\n  you 1\n"), "{out}");
    assert!(!out.contains("(no name)"), "{out}");
}
