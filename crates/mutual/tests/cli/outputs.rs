//! What the program writes besides the database: never onto the database,
//! owner-only, with a note when an encrypted database's contents leave it;
//! passphrase files; and hints whose commands are safe to paste.

use crate::common::{Env, check_bad_input};

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
