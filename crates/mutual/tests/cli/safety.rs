use std::os::unix::fs::PermissionsExt;

use crate::common::{Env, check_bad_input, contains};

#[test]
fn database_is_owner_only_and_found_by_flag_env_or_default() {
    let env = Env::new();
    env.friends(&["Sam"]);
    assert_eq!(env.db.metadata().unwrap().permissions().mode() & 0o777, 0o600);

    let other = env.path("other.db");
    env.ok(&["--db", other.to_str().unwrap(), "friend", "add", "Kim"]);
    assert_eq!(env.json(&["friend", "list"]).as_array().unwrap().len(), 1);
    let listed = env.ok(&["--db", other.to_str().unwrap(), "friend", "list"]);
    assert!(listed.contains("Kim") && !listed.contains("Sam"), "{listed}");

    // Without --db or MUTUAL_DB: the XDG data directory.
    env.cmd()
        .env_remove("MUTUAL_DB")
        .args(["friend", "add", "Lee"])
        .assert()
        .success();
    assert!(env.path("xdg/mutual/mutual.db").exists());
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let script = (0..15)
                .map(|i| format!("\"$0\" log Sam --gave listening:1 --note 'writer {w} entry {i}' || exit 1"))
                .collect::<Vec<_>>()
                .join("; ");
            std::process::Command::new("sh")
                .arg("-c")
                .arg(script)
                .stdout(std::process::Stdio::null())
                .arg(assert_cmd::cargo::cargo_bin("mutual"))
                .env("MUTUAL_DB", &env.db)
                .env("TZ", "UTC")
                .spawn()
                .unwrap()
        })
        .collect();
    for mut w in writers {
        assert!(w.wait().unwrap().success(), "a writer failed");
    }
    let entries = env.json(&["journal", "list", "--limit", "1000"]);
    assert_eq!(entries.as_array().unwrap().len(), 60);
}

#[test]
fn a_newer_database_is_refused() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    let out = env.cmd().args(["today"]).output().unwrap();
    let line = check_bad_input(&out, &["today"]);
    assert!(line.contains("newer mutual"), "{line}");
}

#[test]
fn a_foreign_file_is_refused() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    std::fs::write(&env.db, "these are my shopping notes, not a database").unwrap();
    let out = env.cmd().args(["today"]).output().unwrap();
    let line = check_bad_input(&out, &["today"]);
    assert!(line.contains("not a plain database"), "{line}");
    assert_eq!(
        std::fs::read_to_string(&env.db).unwrap(),
        "these are my shopping notes, not a database"
    );
}

#[test]
fn encryption_at_rest() {
    let env = Env::new();
    let pass = env.path("pass");
    std::fs::write(&pass, "a long and happy passphrase\n").unwrap();
    let wrong = env.path("wrong");
    std::fs::write(&wrong, "not it").unwrap();
    let with = |file: &std::path::Path| {
        let mut cmd = env.cmd();
        cmd.env("MUTUAL_PASSPHRASE_FILE", file);
        cmd
    };
    with(&pass).args(["init", "--encrypt"]).assert().success();
    with(&pass)
        .args(["friend", "add", "Secretive Sam"])
        .assert()
        .success();
    with(&pass)
        .args(["log", "Secretive Sam", "--note", "confided about the new job"])
        .assert()
        .success();
    with(&pass).args(["today"]).assert().success();
    let bytes = env.db_bytes();
    assert!(!contains(&bytes, "Secretive Sam"));
    assert!(!contains(&bytes, "confided"));
    assert!(!contains(&bytes[..16], "SQLite format 3"));

    let out = with(&wrong).args(["today"]).output().unwrap();
    assert!(check_bad_input(&out, &["today"]).contains("passphrase does not open"));
    let out = env.cmd().args(["today"]).output().unwrap();
    // The store says what is needed; the command line says how to give it.
    let line = check_bad_input(&out, &["today"]);
    assert!(
        line.ends_with(
            "its passphrase opens it; give it with --passphrase-file or MUTUAL_PASSPHRASE_FILE, or run in a terminal to be asked"
        ),
        "{line}"
    );
    let out = env
        .cmd()
        .args(["--passphrase-file", wrong.to_str().unwrap(), "today"])
        .output()
        .unwrap();
    assert!(check_bad_input(&out, &["today"]).contains("passphrase does not open"));

    // Rekey: the old passphrase stops working, the new one works.
    let new = env.path("new");
    std::fs::write(&new, "another passphrase").unwrap();
    with(&pass)
        .args(["rekey", "--new-passphrase-file", new.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        with(&pass).args(["today"]).output().unwrap().status.code(),
        Some(2)
    );
    let names = with(&new).args(["friend", "list", "--json"]).output().unwrap();
    assert!(contains(&names.stdout, "Secretive Sam"));

    // And back to plain.
    with(&new).args(["rekey", "--decrypt"]).assert().success();
    env.ok(&["today"]);
    assert!(contains(&env.db_bytes()[..16], "SQLite format 3"));
}

#[test]
fn init_refuses_an_existing_database() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["friend", "add", "Sam"]);
    let line = env.bad(&["init"]);
    assert!(line.contains("already exists"), "{line}");
}

#[test]
fn plain_rekey_encrypts() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let pass = env.path("pass");
    std::fs::write(&pass, "sesame").unwrap();
    env.ok(&["rekey", "--new-passphrase-file", pass.to_str().unwrap()]);
    assert!(!contains(&env.db_bytes()[..16], "SQLite format 3"));
    let out = env.cmd().args(["friend", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    env.cmd()
        .env("MUTUAL_PASSPHRASE_FILE", &pass)
        .args(["friend", "list"])
        .assert()
        .success();
}

#[test]
fn forget_leaves_no_trace() {
    let env = Env::new();
    env.ok(&[
        "friend",
        "add",
        "Zebulon Quixote",
        "--alias",
        "Zeb",
        "--notes",
        "met at the quarry swim",
    ]);
    env.ok(&["friend", "add", "Kim"]);
    env.ok(&[
        "log",
        "Zebulon Quixote",
        "--note",
        "talked about his marmalade venture",
        "--tag",
        "marmalade",
    ]);
    env.ok(&["log", "Zeb", "Kim", "--note", "games night where Zeb won twice"]);
    env.ok(&["log", "Kim", "--note", "kept this one"]);
    env.ok(&["need", "add", "Zeb", "quiet Tuesdays", "--whose", "them"]);
    env.ok(&[
        "boundary",
        "add",
        "Zeb",
        "no calls before nine",
        "--quiet",
        "00:00-09:00",
    ]);
    env.ok(&["followup", "add", "Zeb", "ask about the quarry permit"]);
    env.ok(&["win", "add", "Zeb", "won the jam fair"]);
    env.ok(&["thanks", "add", "Zeb", "the pickled onions"]);
    env.ok(&[
        "park",
        "add",
        "Zeb",
        "the borrowed canoe",
        "--until",
        "in 10 days",
    ]);
    env.ok(&[
        "agree",
        "add",
        "Zeb",
        "honest feedback on recipes",
        "--me",
        "advice",
        "--them",
        "affirmation",
    ]);
    env.ok(&["prompt", "answered", "Zeb", "light-01"]);
    env.ok(&["review", "Zeb", "--went-well", "Zebulon laughed a lot"]);
    for secret in ["Zebulon", "marmalade", "quarry", "pickled onions"] {
        assert!(
            contains(&env.db_bytes(), secret),
            "{secret} should be stored before forgetting"
        );
    }

    let out = env.ok(&["forget", "Zeb", "--yes"]);
    assert!(out.contains("Forgot Zebulon Quixote"), "{out}");
    let bytes = env.db_bytes();
    for secret in [
        "Zebulon",
        "Quixote",
        "Zeb won",
        "marmalade",
        "quarry",
        "quiet Tuesdays",
        "pickled onions",
        "jam fair",
        "borrowed canoe",
        "honest feedback",
        "laughed",
    ] {
        assert!(
            !contains(&bytes, secret),
            "'{secret}' is still in the database file"
        );
    }
    // Kim keeps the shared evening (without its note that named Zeb) and her own entry.
    let entries = env.json(&["journal", "list", "Kim"]);
    assert_eq!(entries.as_array().unwrap().len(), 2);
    assert!(contains(&bytes, "kept this one"));
    let line = env.bad(&["friend", "show", "Zeb"]);
    assert!(line.contains("no friend called"), "{line}");
}

#[test]
fn forget_needs_confirmation() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let line = env.bad(&["forget", "Sam"]);
    assert!(line.contains("--yes"), "{line}");
}

#[test]
fn colour_follows_no_color() {
    let env = Env::new();
    env.friends(&["Sam"]);
    let out = env
        .cmd()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .arg("today")
        .output()
        .unwrap();
    assert!(contains(&out.stdout, "\u{1b}["), "colour expected when forced");
    let out = env
        .cmd()
        .env("CLICOLOR_FORCE", "1")
        .arg("today")
        .output()
        .unwrap();
    assert!(!contains(&out.stdout, "\u{1b}["), "NO_COLOR must win");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    let env = Env::new();
    for i in 0..60 {
        env.ok(&["friend", "add", &format!("Friend number {i}")]);
    }
    for args in [
        &["friend", "list", "--json"][..],
        &["export"],
        &["prompt", "deck"],
    ] {
        let mut child = env
            .std_cmd()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The reading end is closed now; the rest of the output hits a broken pipe.
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
