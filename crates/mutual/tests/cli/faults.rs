//! No silent loss: each fault an adversarial probe found, reproduced as it
//! was found (chats that share a name, a rekey during an import, a forget
//! that picks the wrong friend, hostile names, odd files at --db, ...).

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use serde_json::Value;

use crate::common::{Env, check_bad_input, contains};

/// An Android WhatsApp export of `(day, time, sender, text)` lines, June 2026.
fn whatsapp(messages: &[(u32, &str, &str, &str)]) -> String {
    messages
        .iter()
        .map(|(day, time, sender, text)| format!("{day:02}/06/26, {time} - {sender}: {text}\n"))
        .collect()
}

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
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

/// A month of daily messages between me and `them`, at `minute` past nine.
fn month(them: &str, minute: u32) -> Vec<(u32, String, String, String)> {
    (1..=30)
        .flat_map(|day| {
            [
                (
                    day,
                    format!("09:{minute:02}"),
                    them.to_owned(),
                    format!("morning {day}"),
                ),
                (
                    day,
                    format!("10:{minute:02}"),
                    "Me Myself".to_owned(),
                    "ok".to_owned(),
                ),
            ]
        })
        .collect()
}

fn as_refs(lines: &[(u32, String, String, String)]) -> Vec<(u32, &str, &str, &str)> {
    lines
        .iter()
        .map(|(d, t, s, x)| (*d, t.as_str(), s.as_str(), x.as_str()))
        .collect()
}

// 1. Two chats with the same name.

#[test]
fn two_ios_chats_both_called_chat_are_both_kept() {
    let env = Env::new();
    // Every iOS export is `_chat.txt`; these are two different friendships
    // over the same month, with the same "ok" from me at the same minutes.
    let sam = write(&env, "sam/_chat.txt", &whatsapp(&as_refs(&month("Sam Lee", 1))));
    let kim = write(&env, "kim/_chat.txt", &whatsapp(&as_refs(&month("Kim Park", 1))));
    let first = import(&env, &["--me", "Me Myself", &sam]);
    assert_eq!(first[0]["new"], 60);
    let second = import(&env, &["--me", "Me Myself", &kim]);
    assert_eq!(
        (second[0]["new"].as_u64(), second[0]["known"].as_u64()),
        (Some(60), Some(0)),
        "{second:?}"
    );
    assert_eq!(stored(&env), 120);
    assert_ne!(
        first[0]["chat"], second[0]["chat"],
        "each file says which chat it went to"
    );
    assert_eq!(second[0]["chat"], "Kim Park");
    assert_eq!(second[0]["chats"][0]["matched"], "new");
    // Importing each again adds nothing, and says where it went.
    let again = import(&env, &["--me", "Me Myself", &kim]);
    assert_eq!(
        (again[0]["new"].as_u64(), again[0]["chat"].as_str()),
        (Some(0), Some("Kim Park"))
    );
}

#[test]
fn two_chats_in_one_import_are_told_apart_and_one_chat_from_two_phones_is_one() {
    let env = Env::new();
    let sam = write(&env, "sam/_chat.txt", &whatsapp(&as_refs(&month("Sam Lee", 1))));
    let kim = write(&env, "kim/_chat.txt", &whatsapp(&as_refs(&month("Kim Park", 1))));
    let sam_again = write(
        &env,
        "WhatsApp Chat with Sam Lee.txt",
        &whatsapp(&as_refs(&month("Sam Lee", 1))),
    );
    let out = import(&env, &["--me", "Me Myself", &sam, &kim, &sam_again]);
    let new: Vec<u64> = out.iter().map(|o| o["new"].as_u64().unwrap()).collect();
    assert_eq!(new, [60, 60, 0], "{out:?}");
    assert_eq!(out[2]["chat"], out[0]["chat"]);
    assert_eq!(stored(&env), 120);
}

#[test]
fn two_telegram_chats_both_called_alex_are_both_kept() {
    let env = Env::new();
    let chat = |id: u64, texts: &[&str]| {
        let messages: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                format!(
                    r#"{{"id": {i}, "type": "message", "date": "2026-06-0{}T09:00:00", "date_unixtime": "{}", "from": "Alex", "from_id": "user{id}", "text": "{text}"}}"#,
                    i + 1,
                    1_780_304_400 + i * 86_400
                )
            })
            .collect();
        format!(
            r#"{{"name": "Alex", "type": "personal_chat", "id": {id}, "messages": [{}]}}"#,
            messages.join(",")
        )
    };
    let one = write(
        &env,
        "one/result.json",
        &chat(4_000_001, &["hi", "how are you", "see you"]),
    );
    let two = write(
        &env,
        "two/result.json",
        &chat(4_000_002, &["hi", "different Alex", "bye"]),
    );
    let first = import(&env, &[&one]);
    let second = import(&env, &[&two]);
    assert_eq!(
        (second[0]["new"].as_u64(), second[0]["known"].as_u64()),
        (Some(3), Some(0)),
        "{second:?}"
    );
    assert_eq!(
        (first[0]["chat"].as_str(), second[0]["chat"].as_str()),
        (Some("Alex"), Some("Alex (2)"))
    );
    assert_eq!(stored(&env), 6);
    let again = import(&env, &[&one]);
    assert_eq!(
        (again[0]["new"].as_u64(), again[0]["chat"].as_str()),
        (Some(0), Some("Alex"))
    );
    assert_eq!(again[0]["chats"][0]["matched"], "same-id");
}

#[test]
fn the_same_words_to_two_chats_in_one_minute_are_two_messages() {
    let env = Env::new();
    let a = write(
        &env,
        "WhatsApp Chat with Sam Lee.txt",
        &whatsapp(&[
            (30, "00:00", "Me Myself", "Happy new year!"),
            (30, "00:01", "Sam Lee", "you too"),
        ]),
    );
    let b = write(
        &env,
        "WhatsApp Chat with Kim Park.txt",
        &whatsapp(&[
            (30, "00:00", "Me Myself", "Happy new year!"),
            (30, "00:02", "Kim Park", "yay"),
        ]),
    );
    import(&env, &["--me", "Me Myself", &a]);
    let second = import(&env, &["--me", "Me Myself", &b]);
    assert_eq!(second[0]["new"], 2, "{second:?}");
    assert_eq!(stored(&env), 4);
}

#[test]
fn chat_names_the_chat_a_file_belongs_to() {
    let env = Env::new();
    let first = write(
        &env,
        "a/_chat.txt",
        &whatsapp(&[(1, "09:00", "Sam Lee", "hello")]),
    );
    let out = import(&env, &["--chat", "Sam and me", &first]);
    assert_eq!(out[0]["chat"], "Sam and me");
    // A later export that only I wrote in cannot be matched by its people;
    // named, it joins the chat and skips what that chat already covered.
    let later = write(
        &env,
        "b/_chat.txt",
        &whatsapp(&[(1, "09:00", "Sam Lee", "hello"), (2, "09:00", "Me Myself", "hi!")]),
    );
    let out = import(&env, &["--chat", "sam and me", &later]);
    assert_eq!(
        (out[0]["chat"].as_str(), out[0]["new"].as_u64()),
        (Some("Sam and me"), Some(1))
    );
    assert_eq!(out[0]["chats"][0]["matched"], "named");
}

/// A chat matched by its people under a file name that says nothing is
/// looked up message by message first: a group where only Alex and I ever
/// wrote is not our one-to-one chat, though the people are the same.
#[test]
fn a_group_where_only_alex_writes_is_not_the_chat_with_alex() {
    let env = Env::new();
    let one_to_one = write(&env, "g1/_chat.txt", &whatsapp(&as_refs(&month("Alex Kim", 1))));
    let mut group = String::from("01/06/26, 08:00 - Alex Kim created group \"Trip planning\"\n");
    for (day, _, sender, _) in month("Alex Kim", 2) {
        group.push_str(&format!(
            "{day:02}/06/26, 12:02 - {sender}: plans for day {day}\n"
        ));
    }
    let group = write(&env, "g2/_chat.txt", &group);
    import(&env, &["--me", "Me Myself", &one_to_one]);
    let out = import(&env, &["--me", "Me Myself", &group]);
    assert_eq!(
        (out[0]["new"].as_u64(), out[0]["known"].as_u64()),
        (Some(60), Some(0)),
        "{out:?}"
    );
    assert_eq!(out[0]["chats"][0]["matched"], "new");
    assert_eq!(out[0]["chat"], "Alex Kim (2)");
    assert_eq!(stored(&env), 120);
}

/// Two contacts both saved as "Alex": the same name and the same people,
/// and nothing in common when their messages are looked up.
#[test]
fn two_contacts_called_alex_are_two_chats_in_whatsapp_and_line() {
    let env = Env::new();
    let first = write(&env, "c/_chat.txt", &whatsapp(&as_refs(&month("Alex", 1))));
    let second = write(&env, "d/_chat.txt", &whatsapp(&as_refs(&month("Alex", 7))));
    import(&env, &["--me", "Me Myself", &first]);
    let out = import(&env, &["--me", "Me Myself", &second]);
    assert_eq!(
        (out[0]["new"].as_u64(), out[0]["known"].as_u64()),
        (Some(60), Some(0)),
        "{out:?}"
    );
    assert_eq!(out[0]["chat"], "Alex (2)");

    let line = |minute: u32, word: &str| {
        let mut text = String::from("[LINE] Chat history with Alex\n\n");
        for day in 1..=20 {
            text.push_str(&format!("2026.03.{day:02} Sunday\n09:{minute:02}\tAlex\t{word} {day}\n09:{minute:02}\tMe Myself\tok\n\n"));
        }
        text
    };
    let env = Env::new();
    let first = write(&env, "one/chat.txt", &line(1, "hello"));
    let second = write(&env, "two/chat.txt", &line(5, "hey"));
    let a = import(&env, &["--me", "Me Myself", &first]);
    assert_eq!(a[0]["new"], 40, "{a:?}");
    let b = import(&env, &["--me", "Me Myself", &second]);
    assert_eq!(
        (b[0]["new"].as_u64(), b[0]["chat"].as_str()),
        (Some(40), Some("Alex (2)")),
        "{b:?}"
    );
    assert_eq!(stored(&env), 80);
}

/// The same chat exported again a day later, from another folder: its
/// messages are found where they were, and only the new day is added.
#[test]
fn the_same_chat_exported_again_later_adds_only_what_is_new() {
    let env = Env::new();
    let lines = month("Sam Lee", 1);
    let first = write(&env, "june/_chat.txt", &whatsapp(&as_refs(&lines[..58])));
    import(&env, &["--me", "Me Myself", &first]);
    let later = write(&env, "july/_chat.txt", &whatsapp(&as_refs(&lines)));
    let out = import(&env, &["--me", "Me Myself", &later]);
    assert_eq!(
        (out[0]["new"].as_u64(), out[0]["known"].as_u64()),
        (Some(2), Some(58)),
        "{out:?}"
    );
    assert_eq!(out[0]["chats"][0]["matched"], "same-people");
    assert_eq!(out[0]["chats"][0]["checked_each"], false);
    assert_eq!(stored(&env), 60);

    // Some of its messages there and some not (texts edited since): every
    // message is checked, none skipped, none counted twice.
    let mut edited = lines.clone();
    for line in edited.iter_mut().step_by(4) {
        line.3 = format!("{} (edited)", line.3);
    }
    let edited = write(&env, "august/_chat.txt", &whatsapp(&as_refs(&edited)));
    let out = import(&env, &["--me", "Me Myself", &edited]);
    assert_eq!(out[0]["chats"][0]["checked_each"], true, "{out:?}");
    assert_eq!(
        (out[0]["new"].as_u64(), out[0]["known"].as_u64()),
        (Some(15), Some(45)),
        "{out:?}"
    );
    assert_eq!(stored(&env), 75);
}

// 2. Rekey during an import.

/// A seeded WhatsApp export of `messages` between Sam Lee and me.
fn big_chat(env: &Env, seed: u64, messages: usize) -> std::path::PathBuf {
    let path = env.path("big.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let start = jiff::civil::date(2020, 1, 1).at(8, 0, 0, 0);
    let mut generator = mutual_import::synth::Generator::new(seed, &["Sam Lee", "Me Myself"], start);
    mutual_import::synth::write_whatsapp(&mut out, &mut generator, messages).unwrap();
    path
}

/// Runs `rekey` to the passphrase in `pass` `delay` ms after `other`
/// started; both outputs, once both are done.
fn rekey_during(
    env: &Env,
    pass: &std::path::Path,
    delay: u64,
    other: std::process::Child,
) -> (std::process::Output, std::process::Output) {
    std::thread::sleep(std::time::Duration::from_millis(delay));
    let rekeyed = env
        .std_cmd()
        .args(["rekey", "--new-passphrase-file", pass.to_str().unwrap()])
        .output()
        .unwrap();
    (rekeyed, other.wait_with_output().unwrap())
}

#[test]
fn a_rekey_during_an_import_loses_nothing() {
    let messages = 100_000;
    let source = Env::new();
    let path = big_chat(&source, 3, messages);
    for delay in [100, 300, 900] {
        let env = Env::new();
        env.ok(&["init"]);
        let pass = env.path("new-pass");
        std::fs::write(&pass, "a brand new passphrase\n").unwrap();
        let importer = env
            .std_cmd()
            .env("MUTUAL_PASSPHRASE_FILE", &pass)
            .args(["import", "--json", path.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (rekeyed, imported) = rekey_during(&env, &pass, delay, importer);
        let out = env
            .cmd()
            .env("MUTUAL_PASSPHRASE_FILE", &pass)
            .arg("export")
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).expect("export is JSON");
        let count = doc["messages"].as_u64().unwrap();
        // Whatever the order, an import that says it stored messages did.
        if imported.status.success() {
            let summary: Value = serde_json::from_slice(&imported.stdout).unwrap();
            let new = summary["new"].as_u64().unwrap();
            assert!(new > messages as u64 * 9 / 10, "{summary}");
            assert_eq!(count, new, "after a rekey {delay} ms into the import");
        } else {
            let err = String::from_utf8_lossy(&imported.stderr);
            assert!(err.contains("nothing was written"), "{err}");
            assert_eq!(count, 0);
        }
        if rekeyed.status.success() {
            assert!(mutual_store::is_encrypted(&env.db).unwrap());
        } else {
            let err = String::from_utf8_lossy(&rekeyed.stderr);
            assert!(err.contains("another program has"), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
        assert!(
            imported.status.success() || rekeyed.status.success(),
            "one of the two gets through"
        );
    }
}

/// A rekey that starts while a forget runs (its scrub changes the schema
/// under the rekey's feet) either goes through after it or says the file
/// is in use: never a raw database error, and the friend stays forgotten.
#[test]
fn a_rekey_during_a_forget_waits_and_the_friend_stays_forgotten() {
    let source = Env::new();
    let path = big_chat(&source, 5, 40_000);
    for delay in [0, 30, 90] {
        let env = Env::new();
        let file = path.to_str().unwrap();
        env.ok(&["import", "--me", "Me Myself", "--map", "Sam Lee=Sam", file]);
        let pass = env.path("new-pass");
        std::fs::write(&pass, "a brand new passphrase\n").unwrap();
        let forgetting = env
            .std_cmd()
            .env("MUTUAL_PASSPHRASE_FILE", &pass)
            .args(["forget", "Sam", "--yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (rekeyed, forgot) = rekey_during(&env, &pass, delay, forgetting);
        let err = String::from_utf8_lossy(&rekeyed.stderr);
        assert!(!err.contains("database error"), "{delay} ms: {err}");
        assert!(
            rekeyed.status.success() || err.contains("another program has"),
            "{delay} ms: {err}"
        );
        assert!(
            forgot.status.success(),
            "{}",
            String::from_utf8_lossy(&forgot.stderr)
        );
        let friends = env
            .cmd()
            .env("MUTUAL_PASSPHRASE_FILE", &pass)
            .args(["friend", "list", "--json"])
            .output()
            .unwrap();
        let list: Value = serde_json::from_slice(&friends.stdout).expect("friends as JSON");
        assert!(list.as_array().unwrap().is_empty(), "{delay} ms: {list}");
    }
}

#[test]
fn a_writer_that_waited_through_a_rekey_writes_nothing_into_the_old_file() {
    let env = Env::new();
    env.friends(&["Sam"]);
    // A reader holds the database open, so the rekey waits for it...
    let holder = rusqlite::Connection::open(&env.db).unwrap();
    holder
        .query_row("SELECT count(*) FROM friend", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let pass = env.path("pass");
    std::fs::write(&pass, "another passphrase").unwrap();
    let rekey = env
        .std_cmd()
        .args(["rekey", "--new-passphrase-file", pass.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    // ... and a writer starts meanwhile; then the reader lets go.
    let writer = env
        .std_cmd()
        .env("MUTUAL_PASSPHRASE_FILE", &pass)
        .args(["log", "Sam", "--note", "written during the rekey"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(holder);
    let rekeyed = rekey.wait_with_output().unwrap();
    let wrote = writer.wait_with_output().unwrap();
    assert!(
        rekeyed.status.success(),
        "{}",
        String::from_utf8_lossy(&rekeyed.stderr)
    );
    let entries = env
        .cmd()
        .env("MUTUAL_PASSPHRASE_FILE", &pass)
        .args(["journal", "list", "--json"])
        .output()
        .unwrap();
    let entries: Value = serde_json::from_slice(&entries.stdout).unwrap();
    let logged = entries.as_array().unwrap().len();
    // Either the entry is in the rekeyed file, or the writer said it wrote nothing.
    if wrote.status.success() {
        assert_eq!(logged, 1);
    } else {
        assert_eq!(logged, 0);
        let err = String::from_utf8_lossy(&wrote.stderr);
        assert!(
            err.contains("nothing was written") || err.contains("passphrase"),
            "{err}"
        );
    }
}

// 3. A name or alias points to one friend.

#[test]
fn a_name_or_alias_that_names_another_friend_is_refused() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Rivera"]);
    env.friends(&["Kim"]);
    let line = env.bad(&["friend", "add", "Sam Rivera"]);
    assert!(line.contains("already an alias of Sam"), "{line}");
    let line = env.bad(&["friend", "add", "Zed", "--alias", "sam"]);
    assert!(line.contains("name of another friend, Sam"), "{line}");
    let line = env.bad(&["friend", "alias", "Sam", "Kim"]);
    assert!(line.contains("name of another friend, Kim"), "{line}");
    let line = env.bad(&["friend", "alias", "Kim", "Sam Rivera"]);
    assert!(line.contains("already belongs to Sam"), "{line}");
    let line = env.bad(&["friend", "edit", "Kim", "--name", "SAM RIVERA"]);
    assert!(line.contains("already an alias of Sam"), "{line}");
    // The same alias on two different platforms is two people.
    env.ok(&["friend", "alias", "Sam", "Alex", "--platform", "whatsapp"]);
    env.ok(&["friend", "alias", "Kim", "Alex", "--platform", "telegram"]);
    let line = env.bad(&["forget", "Alex", "--yes"]);
    assert!(
        line.contains("more than one friend") && line.contains("Kim") && line.contains("Sam"),
        "{line}"
    );
}

#[test]
fn forget_prefers_an_exact_name_and_says_who_it_forgets() {
    let env = Env::new();
    env.ok(&["friend", "add", "Sam", "--alias", "Sam Rivera"]);
    env.ok(&["log", "Sam", "--note", "coffee"]);
    let line = env.bad(&["forget", "Samuel", "--yes"]);
    assert!(line.contains("no friend called 'Samuel'"), "{line}");
    let out = env.ok(&["forget", "Sam Rivera", "--yes"]);
    assert!(
        out.contains("About to forget Sam (also Sam Rivera): 1 journal entry"),
        "{out}"
    );
    assert!(out.contains("Forgot Sam"), "{out}");
    assert!(env.json(&["friend", "list"]).as_array().unwrap().is_empty());
}

/// What forget says it is about to remove is what it removes: their
/// messages and my side of the chat only the two of us write in.
#[test]
fn forget_counts_what_it_will_remove_before_it_does() {
    let env = Env::new();
    let file = write(&env, "sam/_chat.txt", &whatsapp(&as_refs(&month("Sam Lee", 1))));
    import(&env, &["--me", "Me Myself", "--map", "Sam Lee=Sam", &file]);
    let out = env.ok(&["forget", "Sam", "--yes"]);
    let about = out.lines().find(|l| l.contains("About to forget")).unwrap();
    assert!(about.contains("60 chat messages"), "{out}");
    assert_eq!(out.matches("60 chat messages").count(), 2, "{out}");
    assert_eq!(stored(&env), 0);
}

// 6. Names that try to take over the terminal.

#[test]
fn names_from_exports_cannot_take_over_the_terminal() {
    let env = Env::new();
    let hostile = "Mallory\u{1b}]0;OWNED\u{7}\u{1b}[2J";
    let file = write(
        &env,
        "WhatsApp Chat with Mallory.txt",
        &whatsapp(&[(1, "09:00", hostile, "hi"), (1, "09:01", "Me Myself", "hello")]),
    );
    // As in a real terminal: styles on, output not stripped.
    let run = |args: &[&str]| {
        let out = env
            .cmd()
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let checks = [
        run(&["import", "--dry-run", &file]),
        run(&["import", "--me", "Me Myself", &file]),
        run(&["import", "--map", "Mallory]0;OWNED[2J=Mallory", &file]),
        run(&["friend", "show", "Mallory"]),
        run(&["friend", "list"]),
    ];
    for out in &checks {
        assert!(!out.contains('\u{7}'), "a bell reached the terminal: {out:?}");
        assert!(
            !out.contains("\u{1b}]"),
            "an OSC sequence reached the terminal: {out:?}"
        );
        assert!(
            !out.contains("\u{1b}[2J"),
            "a clear-screen reached the terminal: {out:?}"
        );
    }
    assert!(checks[1].contains("Mallory]0;OWNED[2J"), "{}", checks[1]);
    assert!(
        checks[1].contains("\u{1b}[1m"),
        "styles are still on: {}",
        checks[1]
    );
    // Typed names are cleaned the same way; old data is escaped on the way out.
    env.ok(&["friend", "add", "Eve\u{1b}[2J"]);
    assert!(env.json(&["friend", "list"]).to_string().contains("\"Eve[2J\""));
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE friend SET notes = 'x\u{1b}]0;T\u{7}' WHERE name = 'Eve[2J'",
        [],
    )
    .unwrap();
    drop(conn);
    let shown = run(&["friend", "show", "Eve[2J"]);
    assert!(shown.contains("x\\x1b]0;T\\x07"), "{shown}");
}

#[test]
fn a_sender_whose_name_holds_an_equals_sign_can_be_linked_by_its_hint() {
    let env = Env::new();
    let file = write(
        &env,
        "WhatsApp Chat with ab.txt",
        &whatsapp(&[(1, "09:00", "a=b", "hi"), (1, "09:01", "Me Myself", "hello")]),
    );
    let out = import(&env, &["--me", "Me Myself", &file]);
    let hint = out[0]["unmapped_senders"][0]["command"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(hint.contains(r"--map 'a\=b=a\=b'"), "{hint}");
    // The hint, run by a shell, links the sender to a friend called "a=b".
    let script = hint.replacen("mutual", "\"$0\"", 1);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .arg(assert_cmd::cargo::cargo_bin("mutual"))
        .envs([("MUTUAL_DB", env.db.as_os_str()), ("TZ", "UTC".as_ref())])
        .current_dir(env.dir.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let friends = env.json(&["friend", "list"]);
    assert_eq!(friends[0]["friend"]["name"], "a=b");
    assert_eq!(
        friends[0]["cadence"]["last_contact"], "2026-06-01",
        "their message counts"
    );
    // Unescaped, the first '=' splits it: a sender "a" writes in no chat,
    // so nothing is linked, and no friend made for nobody.
    for map in ["a=b=a=b", "nosuch=Zed"] {
        let line = env.bad(&["import", "--me", "Me Myself", "--map", map, &file]);
        assert!(line.contains("no one called"), "{line}");
    }
    assert_eq!(env.json(&["friend", "list"]).as_array().unwrap().len(), 1);
}

// 8, and the scrub after a kill -9: forget finishes wiping, later if it must.

#[test]
fn forget_while_another_process_reads_says_so_and_finishes_at_the_next_open() {
    let env = Env::new();
    env.friends(&["Zebulon", "Kim"]);
    env.ok(&["log", "Zebulon", "--note", "marmalade secrets"]);
    // Another process in the middle of a read.
    let reader = rusqlite::Connection::open(&env.db).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    reader
        .query_row("SELECT count(*) FROM interaction", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let out = env.ok(&["forget", "Zebulon", "--yes"]);
    assert!(out.contains("finishes wiping them the next time"), "{out}");
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    env.ok(&["friend", "list"]);
    let bytes = env.db_bytes();
    assert!(!contains(&bytes, "marmalade"), "the note is still in the file");
    assert!(!contains(&bytes, "Zebulon"), "the name is still in the file");
}

#[test]
fn a_scrub_cut_short_by_a_kill_finishes_at_the_next_open() {
    let env = Env::new();
    env.friends(&["Zebulon"]);
    env.ok(&["log", "Zebulon", "--note", "marmalade secrets"]);
    // What a kill -9 between forget's commit and its VACUUM leaves: the
    // rows gone, their bytes still on free pages, the scrub asked for.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "PRAGMA secure_delete = OFF;
         DELETE FROM interaction; DELETE FROM friend;
         INSERT INTO meta VALUES ('scrub_pending', '1');
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);
    assert!(
        contains(&env.db_bytes(), "marmalade"),
        "the bytes are still there before"
    );
    env.ok(&["friend", "list"]);
    assert!(!contains(&env.db_bytes(), "marmalade"));
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let pending: i64 = conn
        .query_row("SELECT count(*) FROM meta WHERE key = 'scrub_pending'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(pending, 0, "a finished scrub is not asked for again");
}

#[test]
fn forget_clears_my_mentions_and_with_also_mentions_others() {
    let env = Env::new();
    env.friends(&["Zebulon", "Kim"]);
    env.ok(&["log", "Kim", "--note", "talked about Zebulon's move"]);
    env.ok(&["need", "add", "Kim", "space after Zebulon visits"]);
    env.ok(&["log", "Kim", "--note", "nothing about anyone"]);
    let group = write(
        &env,
        "WhatsApp Chat with Book club.txt",
        &whatsapp(&[
            (1, "19:00", "Kim", "is zebulon coming?"),
            (1, "19:01", "Me Myself", "Zebulon said yes"),
            (1, "19:02", "Kim", "great"),
        ]),
    );
    import(
        &env,
        &["--keep-text", "--me", "Me Myself", "--map", "Kim=Kim", &group],
    );
    let out = env.ok(&["forget", "Zebulon", "--yes"]);
    assert!(
        out.contains("Others wrote 1 kept chat message that mentions them"),
        "{out}"
    );
    assert!(out.contains("cleared 3 notes and texts of yours"), "{out}");
    assert!(out.contains("left 1 kept chat text by others"), "{out}");
    let bytes = env.db_bytes();
    assert!(!contains(&bytes, "Zebulon's move") && !contains(&bytes, "Zebulon said yes"));
    assert!(!contains(&bytes, "space after Zebulon"));
    assert!(contains(&bytes, "nothing about anyone") && contains(&bytes, "great"));
    assert!(
        contains(&bytes, "is zebulon coming?"),
        "others' words stay by default"
    );

    env.friends(&["Zebulon"]);
    let out = env.ok(&["forget", "Zebulon", "--yes", "--also-mentions"]);
    assert!(out.contains("cleared 1 kept chat text by others"), "{out}");
    assert!(!contains(&env.db_bytes(), "zebulon coming"));
}

// 9. Rekey and the backups beside the database.

#[test]
fn rekey_encrypts_the_plaintext_backups_beside_the_database() {
    let env = Env::new();
    env.friends(&["Secretive Sam"]);
    env.ok(&["log", "Secretive Sam", "--note", "confided about the job"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    drop(conn);
    // As a migration leaves it: a plain copy beside the database.
    let backup = env.path("data/mutual.db.v3-20261101-120000.bak");
    std::fs::copy(&env.db, &backup).unwrap();
    assert!(contains(&std::fs::read(&backup).unwrap(), "confided"));
    let pass = env.path("pass");
    std::fs::write(&pass, "a long and happy passphrase").unwrap();
    let out = env.ok(&["rekey", "--new-passphrase-file", pass.to_str().unwrap()]);
    assert!(out.contains("Encrypted the backup beside it"), "{out}");
    let bytes = std::fs::read(&backup).unwrap();
    assert!(!contains(&bytes, "confided") && !contains(&bytes, "Secretive"));
    assert!(!contains(&bytes[..16], "SQLite format 3"));
    assert!(mutual_store::is_encrypted(&backup).unwrap());
    // The new passphrase opens it, like the database.
    let copy = env.path("restored.db");
    std::fs::copy(&backup, &copy).unwrap();
    let store = mutual_store::Store::open(
        &copy,
        Some(&mutual_store::Passphrase::new(
            "a long and happy passphrase".into(),
        )),
    );
    assert!(store.is_ok(), "{store:?}");
    // Decrypting brings it back in the clear with the database.
    let out = env
        .cmd()
        .env("MUTUAL_PASSPHRASE_FILE", &pass)
        .args(["rekey", "--decrypt"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Decrypted the backup"));
    assert!(!mutual_store::is_encrypted(&backup).unwrap());
}

// 10. What --db points at.

#[test]
fn only_a_regular_file_can_be_the_database() {
    let env = Env::new();
    let dir = env.path("a-folder");
    std::fs::create_dir(&dir).unwrap();
    let fifo = env.path("a-pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut places = vec![(dir, "a directory"), (fifo, "a named pipe")];
    // A device of our own (root can make one; the null device's numbers).
    let device = env.path("a-device");
    let made = std::process::Command::new("mknod")
        .args([device.to_str().unwrap(), "c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        places.push((device, "a device"));
    }
    for (place, what) in places {
        let before = std::fs::metadata(&place).unwrap().permissions().mode();
        for args in [&["friend", "add", "Sam"][..], &["today"]] {
            let mut all = vec!["--db", place.to_str().unwrap()];
            all.extend_from_slice(args);
            let out = env
                .cmd()
                .args(&all)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            let line = check_bad_input(&out, &all);
            assert!(
                line.contains(&format!("is {what}, not a database file")),
                "{line}"
            );
        }
        assert_eq!(std::fs::metadata(&place).unwrap().permissions().mode(), before);
        let journal = format!("{}-journal", place.display());
        assert!(!std::path::Path::new(&journal).exists());
    }
    // SQLite's files beside a database: a pipe or a folder there is
    // refused too, not waited on or failed on with a database error.
    env.friends(&["Sam"]);
    for (suffix, what) in [("-journal", "a named pipe"), ("-shm", "a directory")] {
        let side = format!("{}{suffix}", env.db.display());
        let _ = std::fs::remove_file(&side);
        if suffix == "-shm" {
            std::fs::create_dir(&side).unwrap();
        } else {
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&side)
                    .status()
                    .unwrap()
                    .success()
            );
        }
        for args in [&["friend", "add", "Kim"][..], &["today"]] {
            let out = env
                .cmd()
                .args(args)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            let line = check_bad_input(&out, args);
            assert!(
                line.contains(&format!("is {what}, not a database file")),
                "{line}"
            );
        }
        if suffix == "-shm" {
            std::fs::remove_dir(&side).unwrap();
        } else {
            std::fs::remove_file(&side).unwrap();
        }
    }
}

#[test]
fn a_read_command_never_creates_a_database() {
    let env = Env::new();
    for args in [
        &["today"][..],
        &["balance"],
        &["friend", "list"],
        &["export"],
        &["signals"],
    ] {
        let mut all = vec!["--db", "typo.db"];
        all.extend_from_slice(args);
        let line = env.bad(&all);
        assert!(line.contains("there is no mutual database at typo.db"), "{line}");
        assert!(!env.path("typo.db").exists());
    }
    // A write that fails on its input leaves no empty database behind.
    for args in [
        &["log", "Nobody"][..],
        &["need", "add", "Nobody", "quiet"],
        &["friend", "alias", "Nobody", "N"],
    ] {
        let mut all = vec!["--db", "typo.db"];
        all.extend_from_slice(args);
        env.bad(&all);
        for file in ["typo.db", "typo.db-wal", "typo.db-shm"] {
            assert!(!env.path(file).exists(), "{args:?} left {file}");
        }
    }
}

// 11. Another application's file.

#[test]
fn another_applications_database_is_refused_untouched() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "PRAGMA application_id = 42; PRAGMA user_version = 7;
         CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');",
    )
    .unwrap();
    drop(conn);
    let before = std::fs::read(&env.db).unwrap();
    for args in [&["today"][..], &["friend", "add", "Sam"]] {
        let out = env.cmd().args(args).output().unwrap();
        let line = check_bad_input(&out, args);
        assert!(line.contains("is not a mutual database"), "{line}");
    }
    assert!(
        std::fs::read(&env.db).unwrap() == before,
        "not a byte changed (not even the journal mode)"
    );
    assert!(!env.path("data/mutual.db-wal").exists());

    // Another application's file in WAL mode, with writes still in its log:
    // the log is neither merged into the file nor removed.
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA application_id = 42; PRAGMA user_version = 7;
         CREATE TABLE recipes (name TEXT);",
    )
    .unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); INSERT INTO recipes VALUES ('soup');")
        .unwrap();
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .unwrap();
    drop(conn);
    let wal = env.path("data/mutual.db-wal");
    let (file, log) = (std::fs::read(&env.db).unwrap(), std::fs::read(&wal).unwrap());
    assert!(!log.is_empty(), "the insert waits in the log");
    for args in [&["today"][..], &["friend", "add", "Sam"]] {
        let out = env.cmd().args(args).output().unwrap();
        let line = check_bad_input(&out, args);
        assert!(line.contains("is not a mutual database"), "{line}");
    }
    assert!(std::fs::read(&env.db).unwrap() == file, "the file is as it was");
    assert!(std::fs::read(&wal).unwrap() == log, "its log is as it was");
}

// Smaller faults.

#[test]
fn an_interrupted_rekey_leaves_nothing_in_the_clear_beside_the_database() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let leftover = env.path("data/mutual.db.rekey");
    std::fs::write(&leftover, "SQLite format 3\0 what a killed rekey --decrypt left").unwrap();
    env.ok(&["friend", "list"]);
    assert!(!leftover.exists());

    // An encrypted database opened without its passphrase still clears
    // what a killed `rekey --decrypt` left: the plain copy and its journal.
    let pass = env.path("pass");
    std::fs::write(&pass, "a long and happy passphrase").unwrap();
    env.ok(&["rekey", "--new-passphrase-file", pass.to_str().unwrap()]);
    let journal = env.path("data/mutual.db.rekey-journal");
    std::fs::write(&leftover, "SQLite format 3\0 Sam, in the clear").unwrap();
    std::fs::write(&journal, "CREATE TABLE friend").unwrap();
    let out = env.cmd().args(["friend", "list"]).output().unwrap();
    let line = check_bad_input(&out, &["friend", "list"]);
    assert!(line.contains("passphrase"), "{line}");
    assert!(!leftover.exists() && !journal.exists());
}

#[test]
fn a_read_only_database_opens_read_only_for_reads() {
    let env = Env::new();
    env.friends(&["Sam"]);
    env.ok(&["log", "Sam", "--gave", "listening"]);
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let before = std::fs::read(&env.db).unwrap();
    assert!(env.ok(&["today"]).contains("Today"));
    assert_eq!(env.json(&["friend", "list"]).as_array().unwrap().len(), 1);
    env.ok(&["balance"]);
    assert!(std::fs::read(&env.db).unwrap() == before, "a read wrote nothing");
    let line = env.bad(&["log", "Sam", "--gave", "listening"]);
    assert!(line.contains("read-only"), "{line}");
}

#[test]
fn a_zone_that_names_no_zone_is_an_error() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let out = env
        .cmd()
        .env("TZ", "Garbage/Zone")
        .args(["today"])
        .output()
        .unwrap();
    let line = check_bad_input(&out, &["today"]);
    assert!(line.contains("TZ 'Garbage/Zone' is not a time zone"), "{line}");
    env.cmd()
        .env("TZ", "Europe/Berlin")
        .args(["today"])
        .assert()
        .success();
}

#[test]
fn the_same_export_under_another_zone_matches_or_is_refused() {
    let env = Env::new();
    let chat = whatsapp(&[
        (10, "09:00", "Sam Lee", "morning"),
        (10, "09:05", "Me Myself", "hi"),
        (11, "18:30", "Sam Lee", "dinner?"),
        (11, "18:31", "Me Myself", "yes"),
    ]);
    let file = write(&env, "WhatsApp Chat with Sam Lee.txt", &chat);
    import(&env, &["--me", "Me Myself", "--tz", "Europe/Berlin", &file]);
    // The same file read in another zone would shift every message.
    let line = env.bad(&["import", "--me", "Me Myself", "--tz", "America/New_York", &file]);
    assert!(
        line.contains("read in Europe/Berlin") && line.contains("--tz Europe/Berlin"),
        "{line}"
    );
    assert_eq!(stored(&env), 4);
    // A newer export from a phone that moved writes every time in its new
    // zone: read in that zone, all of them line up, and it goes through.
    let moved: String = chat
        .lines()
        .map(|l| {
            l.replace("09:00", "03:00")
                .replace("09:05", "03:05")
                .replace("18:30", "12:30")
                .replace("18:31", "12:31")
        })
        .chain(["12/06/26, 08:00 - Sam Lee: new zone, new me".to_owned()])
        .map(|l| format!("{l}\n"))
        .collect();
    let newer = write(&env, "newer/WhatsApp Chat with Sam Lee.txt", &moved);
    let out = import(&env, &["--me", "Me Myself", "--tz", "America/New_York", &newer]);
    assert_eq!(
        (out[0]["new"].as_u64(), out[0]["known"].as_u64()),
        (Some(1), Some(4)),
        "{out:?}"
    );
}

#[test]
fn a_damaged_zip_entry_is_refused_and_nothing_written() {
    use std::io::Write as _;
    let env = Env::new();
    env.friends(&["Sam"]);
    let zip_path = env.path("WhatsApp Chat - Sam Lee.zip");
    let text = whatsapp(&[(1, "09:00", "Sam Lee", "a perfectly ordinary message")]);
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("_chat.txt", stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    // A bit flips on the way: the stored bytes no longer match their CRC.
    let mut bytes = std::fs::read(&zip_path).unwrap();
    let at = bytes.windows(8).position(|w| w == b"ordinary").unwrap();
    bytes[at] = b'O';
    std::fs::write(&zip_path, bytes).unwrap();
    let line = env.bad(&["import", zip_path.to_str().unwrap()]);
    assert!(line.contains("damaged"), "{line}");
}

#[test]
fn one_endless_message_is_cut_and_the_rest_imported() {
    let env = Env::new();
    let path = env.path("WhatsApp Chat with Sam Lee.txt");
    let mut text = whatsapp(&[(1, "09:00", "Sam Lee", "here is a long story")]).into_bytes();
    let line = "and then it went on and on, line after line of it\n";
    while text.len() < 8 * 1024 * 1024 {
        text.extend_from_slice(line.as_bytes());
    }
    text.extend_from_slice(whatsapp(&[(1, "09:05", "Me Myself", "wow")]).as_bytes());
    std::fs::write(&path, text).unwrap();
    let out = import(
        &env,
        &["--keep-text", "--me", "Me Myself", path.to_str().unwrap()],
    );
    assert_eq!(out[0]["new"], 2, "{out:?}");
    let said = out[0]["diagnostics"].to_string();
    assert!(said.contains("was cut to its first 256 KiB"), "{said}");
    let export: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    assert_eq!(export["messages"], 2);
    let db = std::fs::metadata(&env.db).unwrap().len();
    assert!(db < 2 * 1024 * 1024, "the kept text was cut too ({db} bytes)");
}

#[test]
fn a_utf16_export_reads_as_its_utf8_original() {
    let env = Env::new();
    let text = whatsapp(&[
        (1, "09:00", "Zoë", "¿qué tal? 🙂"),
        (1, "09:01", "Me Myself", "bien"),
    ]);
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = env.path("WhatsApp Chat with Zoë.txt");
    std::fs::write(&path, utf16).unwrap();
    let out = import(&env, &["--me", "Me Myself", path.to_str().unwrap()]);
    assert_eq!(
        (out[0]["new"].as_u64(), out[0]["chat"].as_str()),
        (Some(2), Some("Zoë"))
    );
    assert_eq!(out[0]["unmapped_senders"][0]["sender"], "Zoë");
    // Without its byte-order mark, either way round, it is named for what
    // it is, and nothing is written.
    for big_endian in [false, true] {
        let bytes: Vec<u8> = text
            .encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect();
        let bare = env.path("bare.txt");
        std::fs::write(&bare, bytes).unwrap();
        let line = env.bad(&["import", bare.to_str().unwrap()]);
        assert!(line.contains("UTF-16 text without a byte-order mark"), "{line}");
    }
    assert_eq!(stored(&env), 2);
}

#[test]
fn an_sms_backup_with_a_doctype_is_detected() {
    let env = Env::new();
    let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE smses [
  <!ELEMENT smses (sms*)>
  <!ATTLIST smses count CDATA #IMPLIED>
]>
<!-- File Created By SMS Backup & Restore v10.05.602 -->
<smses count="2">
  <sms address="+15550001" date="1780304400000" type="1" body="hi" contact_name="Sam" />
  <sms address="+15550001" date="1780304460000" type="2" body="hello" contact_name="Sam" />
</smses>
"#;
    let path = write(&env, "sms-20260601.xml", xml);
    let out = import(&env, &[&path]);
    assert_eq!(
        (out[0]["format"].as_str(), out[0]["new"].as_u64()),
        (Some("sms"), Some(2))
    );
}

#[test]
fn a_file_seen_before_is_never_matched_to_a_chat_that_took_its_place() {
    let env = Env::new();
    let zeb = write(&env, "zeb/_chat.txt", &whatsapp(&as_refs(&month("Zebulon", 1))));
    let kim = write(&env, "kim/_chat.txt", &whatsapp(&as_refs(&month("Kim Park", 1))));
    let first = import(&env, &["--me", "Me Myself", "--map", "Zebulon=Zeb", &zeb]);
    assert_eq!(first[0]["new"], 60);
    env.ok(&["forget", "Zeb", "--yes"]);
    assert_eq!(stored(&env), 0);
    // Kim's chat may take the forgotten chat's place in the table.
    import(&env, &["--me", "Me Myself", &kim]);
    let again = import(&env, &["--me", "Me Myself", "--map", "Zebulon=Zeb", &zeb]);
    assert_eq!(
        (again[0]["new"].as_u64(), again[0]["chat"].as_str()),
        (Some(60), Some("Zebulon"))
    );
    assert_eq!(stored(&env), 120);
    let same = import(&env, &["--me", "Me Myself", &zeb]);
    assert_eq!(
        (same[0]["new"].as_u64(), same[0]["chats"][0]["matched"].as_str()),
        (Some(0), Some("same-file"))
    );
}
