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
