//! What the program writes besides the database: never onto the database,
//! owner-only, with a note when an encrypted database's contents leave it;
//! passphrase files; and hints whose commands are safe to paste.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::{Env, check_bad_input};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_report_never_overwrites_the_database_or_its_files() {
    let env = Env::new();
    env.friends(&["Sam"]);
    // Reading settles the write-ahead log into the file; from here on the
    // file's bytes stay as they are unless something writes over them.
    env.snapshot();
    let before = std::fs::read(&env.db).unwrap();
    let unchanged = || std::fs::read(&env.db).unwrap() == before;
    let backup = env.path("data/mutual.db.v1-20260101-120000.bak");
    std::fs::write(&backup, "an older copy").unwrap();
    std::fs::hard_link(&env.db, env.path("hard.html")).unwrap();
    std::fs::hard_link(&backup, env.path("old.html")).unwrap();
    std::os::unix::fs::symlink(&env.db, env.path("soft.html")).unwrap();
    std::os::unix::fs::symlink("data/mutual.db-wal", env.path("dangling.html")).unwrap();
    for (out, kind) in [
        (env.db.to_str().unwrap(), "the database itself"),
        ("./data/../data/mutual.db", "the database itself"),
        ("data/./mutual.db", "the database itself"),
        ("hard.html", "the database itself under another name"),
        ("soft.html", "the database itself"),
        ("data/mutual.db-wal", "write-ahead log"),
        ("dangling.html", "write-ahead log"),
        ("data/mutual.db-shm", "shared-memory file"),
        ("data/mutual.db-journal", "rollback journal"),
        ("data/mutual.db.rekey", "re-encryption file"),
        (
            "data/mutual.db.v1-20260101-120000.bak",
            "a backup of the database",
        ),
        (
            "data/mutual.db.v7-20300101-000000.bak",
            "a backup of the database",
        ),
        ("old.html", "a backup of the database under another name"),
    ] {
        let line = env.bad(&["report", "--out", out]);
        assert!(line.contains(kind), "{out}: {line}");
        assert!(
            line.contains("expected a file apart from the database"),
            "{out}: {line}"
        );
        assert!(unchanged(), "{out} changed the database");
    }
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), "an older copy");
    assert!(!env.path("data/mutual.db-journal").exists());
    assert!(!env.path("data/mutual.db.rekey").exists());
    // And through --db spelled another way.
    let line = env.bad(&["--db", "data/../data/mutual.db", "report", "--out", "hard.html"]);
    assert!(line.contains("the database itself under another name"), "{line}");
    assert!(unchanged());
}

#[test]
fn files_written_beside_the_database_are_owner_only() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let report = env.path("report.html");
    env.ok(&["report", "--out", "report.html"]);
    assert_eq!(mode(&report), 0o600);
    // An existing file that is overwritten ends up owner-only too.
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.ok(&["report", "Sam", "--out", "report.html"]);
    assert_eq!(mode(&report), 0o600);
    assert!(std::fs::read_to_string(&report).unwrap().contains("Sam"));

    env.ok(&["man", "--dir", "pages"]);
    assert_eq!(mode(&env.path("pages")), 0o700);
    assert_eq!(mode(&env.path("pages/mutual.1")), 0o600);
    assert_eq!(mode(&env.path("pages/mutual-log.1")), 0o600);

    env.ok(&["demo", "--db", "demo/demo.db"]);
    assert_eq!(mode(&env.path("demo/demo-report.html")), 0o600);
    assert_eq!(mode(&env.path("demo/demo-chats")), 0o700);
    for chat in std::fs::read_dir(env.path("demo/demo-chats")).unwrap() {
        assert_eq!(mode(&chat.unwrap().path()), 0o600);
    }
}

#[test]
fn the_demo_and_man_pages_never_land_on_a_database() {
    let env = Env::new();
    // A demo whose database is named like its report or its chats folder.
    for db in ["d/demo-report.html", "d/demo-chats"] {
        let line = env.bad(&["demo", "--db", db]);
        assert!(line.contains("over its own database"), "{db}: {line}");
        assert!(line.contains("expected another --db"), "{db}: {line}");
        assert!(!env.path(db).exists(), "{db} was written");
    }
    // A chats folder holding a link to the database.
    env.ok(&["--db", "e/demo.db", "friend", "add", "Sam"]);
    let db = std::fs::read(env.path("e/demo.db")).unwrap();
    let same = |path: &str, bytes: &[u8]| std::fs::read(env.path(path)).unwrap() == bytes;
    std::fs::create_dir(env.path("e/demo-chats")).unwrap();
    std::os::unix::fs::symlink(env.path("e/demo.db"), env.path("e/demo-chats/sam.txt")).unwrap();
    let line = env.bad(&["demo", "--db", "e/demo.db"]);
    assert!(
        line.contains("demo-chats/sam.txt over its own database"),
        "{line}"
    );
    assert!(same("e/demo.db", &db));

    // Man pages into the folder of a database named like one of them.
    env.ok(&["--db", "pages/mutual-log.1", "friend", "add", "Sam"]);
    let db = std::fs::read(env.path("pages/mutual-log.1")).unwrap();
    let line = env.bad(&["--db", "pages/mutual-log.1", "man", "--dir", "pages"]);
    assert!(line.contains("the database itself"), "{line}");
    assert!(same("pages/mutual-log.1", &db));
    // Named like the last page written, the refusal comes before the first.
    env.ok(&["--db", "fresh/mutual.1", "friend", "add", "Sam"]);
    let line = env.bad(&["--db", "fresh/mutual.1", "man", "--dir", "fresh"]);
    assert!(line.contains("the database itself"), "{line}");
    let pages: Vec<_> = std::fs::read_dir(env.path("fresh"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".1") && name != "mutual.1")
        .collect();
    assert!(pages.is_empty(), "{pages:?}");
}

#[test]
fn writing_out_an_encrypted_database_says_it_is_not_encrypted() {
    let env = Env::new();
    let pass = env.path("pass");
    std::fs::write(&pass, "a long and happy passphrase\n").unwrap();
    let with = || {
        let mut cmd = env.cmd();
        cmd.env("MUTUAL_PASSPHRASE_FILE", &pass);
        cmd
    };
    with().args(["init", "--encrypt"]).assert().success();
    with().args(["friend", "add", "Sam"]).assert().success();

    let out = with().args(["report", "--out", "report.html"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("report.html is not encrypted"), "{stderr}");
    assert!(stderr.contains("in the clear"), "{stderr}");
    assert!(!String::from_utf8(out.stdout).unwrap().contains("encrypted"));

    let out = with().arg("export").output().unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout stays JSON");
    assert_eq!(doc["friends"][0]["name"], "Sam");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("this export is not encrypted"), "{stderr}");

    // A plain database gets no note.
    let plain = Env::new();
    plain.friends(&["Sam"]);
    for args in [&["report", "--out", "r.html"][..], &["export"]] {
        let out = plain.cmd().args(args).output().unwrap();
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_passphrase_file_is_read_to_the_end_of_its_first_line() {
    let env = Env::new();
    let first = env.path("first");
    std::fs::write(&first, "open sesame\n").unwrap();
    env.cmd()
        .env("MUTUAL_PASSPHRASE_FILE", &first)
        .args(["init", "--encrypt"])
        .assert()
        .success();
    for text in [
        "open sesame",
        "open sesame\nwritten on 2026-06-15\nkeep safe\n",
        "open sesame\r\nsecond line\r\n",
    ] {
        let file = env.path("more");
        std::fs::write(&file, text).unwrap();
        env.cmd()
            .env("MUTUAL_PASSPHRASE_FILE", &file)
            .args(["friend", "list"])
            .assert()
            .success();
    }
    // A byte-order mark is not part of it.
    let marked = env.path("marked");
    std::fs::write(&marked, "\u{feff}open sesame\n").unwrap();
    env.cmd()
        .env("MUTUAL_PASSPHRASE_FILE", &marked)
        .args(["friend", "list"])
        .assert()
        .success();
    // Only the first line is read: an endless file is refused at once, and
    // bytes that are not text are refused, not guessed at.
    let latin1 = env.path("latin1");
    std::fs::write(&latin1, b"s\xe9same\n").unwrap();
    for (endless, why) in [
        ("/dev/zero", "longer than 64 KiB"),
        (latin1.to_str().unwrap(), "not UTF-8"),
    ] {
        let out = env
            .cmd()
            .env("MUTUAL_PASSPHRASE_FILE", endless)
            .args(["friend", "list"])
            .output()
            .unwrap();
        let line = check_bad_input(&out, &["friend", "list"]);
        assert!(line.contains(why) && line.contains("first line"), "{line}");
    }
    let empty = env.path("empty");
    std::fs::write(&empty, "\nopen sesame\n").unwrap();
    let out = env
        .cmd()
        .env("MUTUAL_PASSPHRASE_FILE", &empty)
        .args(["friend", "list"])
        .output()
        .unwrap();
    let line = check_bad_input(&out, &["friend", "list"]);
    assert!(
        line.contains("expected the passphrase on its first line"),
        "{line}"
    );
}

/// The command a hint prints, from `mutual` to the end of the line.
fn hinted(out: &str, starts: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.contains(starts))
        .unwrap_or_else(|| panic!("no hint with {starts} in:\n{out}"));
    line[line.find(starts).unwrap()..].to_owned()
}

/// Runs a hinted command through `sh` with `mutual` replaced by `printf`,
/// and returns the arguments the shell passed.
fn words_of(env: &Env, command: &str) -> Vec<String> {
    let script = command.replacen("mutual", r"printf '%s\n'", 1);
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{script}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn hints_quote_names_for_the_shell() {
    let env = Env::new();
    for name in [
        r#"a"; touch PWNED; echo ""#,
        "Jo O'Neil $(touch PWNED) `touch PWNED`",
    ] {
        let added = env.ok(&["friend", "add", name]);
        let words = words_of(&env, &hinted(&added, "mutual log"));
        assert_eq!(words[..2], ["log", name], "{added}");

        let shown = env.ok(&["friend", "show", name]);
        assert_eq!(words_of(&env, &hinted(&shown, "mutual log"))[..2], ["log", name]);

        let logged = env.ok(&["log", name, "--got", "disclosure"]);
        let words = words_of(&env, &hinted(&logged, "mutual followup add"));
        assert_eq!(words[..3], ["followup", "add", name], "{logged}");

        let next = env.ok(&["prompt", "next", name]);
        let words = words_of(&env, &hinted(&next, "mutual prompt answered"));
        assert_eq!(words[..3], ["prompt", "answered", name], "{next}");
    }
    assert!(!env.path("PWNED").exists(), "a hint ran a command when pasted");
}
