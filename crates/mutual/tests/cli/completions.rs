use std::process::Stdio;

use crate::common::Env;

#[test]
fn every_shell_gets_a_script_that_asks_mutual_as_you_type() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(
        bash.contains("complete -o nospace"),
        "not a bash registration:\n{bash}"
    );
    assert!(bash.contains("-F _clap_complete_mutual mutual"), "{bash}");
    assert!(bash.contains("COMPLETE=\"bash\""), "{bash}");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        assert!(
            script.contains("COMPLETE") && script.contains("mutual"),
            "{shell}:\n{script}"
        );
    }
    let line = env.bad(&["completions", "tcsh"]);
    assert!(line.contains("invalid value 'tcsh'"), "{line}");
    assert!(env.bad(&["completions"]).contains("required"));
}

/// What the shell would be offered after `words` (the last one being typed).
fn offered(env: &Env, words: &[&str]) -> Vec<String> {
    let out = env
        .cmd()
        .env("COMPLETE", "fish")
        .arg("--")
        .arg("mutual")
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn completion_offers_friends_and_the_words_each_option_takes() {
    let env = Env::new();
    env.ok(&["friend", "add", "Tomás", "--alias", "Tomás Ruiz"]);
    env.friends(&["Sam"]);
    let log = offered(&env, &["log", ""]);
    assert!(
        log.contains(&"Sam".to_owned()) && log.contains(&"Tomás".to_owned()),
        "{log:?}"
    );
    assert!(log.contains(&"Tomás Ruiz".to_owned()), "{log:?}");
    assert_eq!(offered(&env, &["friend", "show", "T"]), ["Tomás", "Tomás Ruiz"]);
    assert_eq!(
        offered(&env, &["log", "Sam", "--via", ""]),
        ["in-person", "call", "video", "message", "other"]
    );
    assert_eq!(
        offered(&env, &["log", "Sam", "--gave", "pr"]),
        ["practical", "presence"]
    );
    let subcommands = offered(&env, &["fo"]);
    assert_eq!(subcommands, ["followup", "forget"]);
    // Files are not offered where a friend goes.
    std::fs::write(env.path("Sam-notes.txt"), "x").unwrap();
    assert!(
        !offered(&env, &["log", "S", "--via", "other"])
            .iter()
            .any(|c| c.contains("notes"))
    );
}

#[test]
fn man_prints_roff() {
    let env = Env::new();
    let page = env.ok(&["man"]);
    assert!(page.lines().any(|l| l.starts_with(".TH mutual 1")), "{page}");
    assert!(page.contains(".SH NAME"), "{page}");
    assert!(page.contains("Keep friendships healthy and reciprocal"), "{page}");
    assert!(page.contains("followup"), "{page}");
    // Examples to copy, and how the balance is read.
    assert!(page.contains(".SH EXAMPLES"), "{page}");
    assert!(
        page.contains("\\fBmutual friend add Sam \\-\\-every 14\\fR"),
        "{page}"
    );
    assert!(page.contains(".SH \"THE BALANCE\""), "{page}");
    assert!(page.contains("exp(\u{2212}age/\u{3c4})"), "{page}");
    assert!(page.contains("early days"), "{page}");
}

#[test]
fn help_puts_the_global_options_apart_and_explains_every_argument() {
    let env = Env::new();
    for args in [
        &["log", "--help", "--via", "other"][..],
        &["need", "add", "--help"],
        &["friend", "show", "--help"],
    ] {
        let help = env.ok(args);
        let (own, global) = help
            .split_once("Global options:\n")
            .unwrap_or_else(|| panic!("{args:?}:\n{help}"));
        assert!(
            !own.contains("--db"),
            "{args:?}: --db among the command's own options:\n{help}"
        );
        assert!(
            global.contains("--db <PATH>") && global.contains("--passphrase-file"),
            "{help}"
        );
        assert!(global.contains("[env: MUTUAL_PASSPHRASE_FILE]"), "{help}");
        assert!(!help.contains("=]"), "a stray = in an [env: ...]:\n{help}");
    }
    let show = env.ok(&["friend", "show", "--help"]);
    assert!(show.contains("<FRIEND>  The friend, by name or alias"), "{show}");
    assert!(show.contains("--json     Print JSON instead of text"), "{show}");
}

#[test]
fn man_dir_writes_one_page_per_command() {
    let env = Env::new();
    let dir = env.path("man/pages");
    let out = env.ok(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(out.contains("Wrote man pages to"), "{out}");
    let main = std::fs::read_to_string(dir.join("mutual.1")).unwrap();
    assert!(main.contains(".TH mutual 1"), "{main}");
    for page in [
        "mutual-followup.1",
        "mutual-followup-add.1",
        "mutual-boundary-edit.1",
        "mutual-prompt-deck.1",
    ] {
        let text = std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page}");
    }
}

#[test]
fn neither_touches_the_database() {
    let env = Env::new();
    env.ok(&["completions", "zsh"]);
    env.ok(&["man"]);
    assert!(!env.db.exists());
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    // The script is larger than a pipe's buffer, so closing the reading end
    // before reading makes the writer meet a broken pipe, as with `| head`.
    // Today clap_complete panics on it (exit 101).
    let env = Env::new();
    let mut child = env
        .std_cmd()
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
