use std::process::Stdio;

use crate::common::Env;

const SUBCOMMANDS: [&str; 10] = [
    "friend", "log", "journal", "need", "boundary", "followup", "thanks", "park", "agree", "prompt",
];

#[test]
fn bash_completion_knows_the_subcommands() {
    let env = Env::new();
    let script = env.ok(&["completions", "bash"]);
    assert!(script.contains("_mutual()"), "not a bash completion function");
    assert!(
        script.contains("complete -F _mutual"),
        "the function is not registered"
    );
    for sub in SUBCOMMANDS {
        assert!(script.contains(sub), "bash completion lacks {sub}");
    }
    // Nested subcommands and their flags too.
    assert!(script.contains("--cool-down"));
    assert!(script.contains("--went-well"));
}

#[test]
fn every_shell_gets_a_script() {
    let env = Env::new();
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        assert!(script.contains("mutual"), "{shell}");
        assert!(script.contains("followup"), "{shell} lacks followup");
    }
    let line = env.bad(&["completions", "tcsh"]);
    assert!(line.contains("invalid value 'tcsh'"), "{line}");
    assert!(env.bad(&["completions"]).contains("required"));
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
        &["log", "--help"][..],
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
