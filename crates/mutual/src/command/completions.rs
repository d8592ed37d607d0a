//! `mutual completions`: shell completion that knows your friends. The
//! script it prints asks `mutual` itself for candidates as you type
//! (clap_complete's dynamic completion): friend names and aliases where a
//! friend goes, channel and support words for `--via`, `--gave` and the
//! like, subcommands and flags everywhere else.

use std::io::Write;

use anyhow::Result;
use clap_complete::env::Shells;

/// The environment variable through which a shell asks for candidates.
pub(crate) const VAR: &str = "COMPLETE";

/// Print a shell completion script (bash, zsh, fish, elvish, powershell)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// bash, zsh, fish, elvish or powershell
    shell: clap_complete::Shell,
}

pub(crate) fn run(args: Args) -> Result<()> {
    let name = args.shell.to_string();
    let shells = Shells::builtins();
    let Some(shell) = shells.completer(&name) else {
        crate::error::bad_input!(
            "there is no completion for {name}; expected bash, zsh, fish, elvish or powershell"
        );
    };
    // Rendered into memory first, then written in one go.
    let mut script = Vec::new();
    shell.write_registration(VAR, "mutual", "mutual", "mutual", &mut script)?;
    std::io::stdout().lock().write_all(&script)?;
    Ok(())
}

/// The names and aliases of the friends in the database the shell's
/// `MUTUAL_DB` (or the default) points at; nothing when it cannot be read
/// without asking (an encrypted one without `MUTUAL_PASSPHRASE_FILE`).
pub(crate) fn friend_names() -> Vec<clap_complete::CompletionCandidate> {
    let Ok(app) = crate::app::App::new(
        None,
        std::env::var_os("MUTUAL_PASSPHRASE_FILE").map(Into::into),
        None,
        None,
    ) else {
        return Vec::new();
    };
    let Ok(store) = app.open_quiet() else {
        return Vec::new();
    };
    let Ok(friends) = store.db().friends() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in friends {
        out.push(clap_complete::CompletionCandidate::new(f.name.clone()));
        for a in f.aliases {
            out.push(
                clap_complete::CompletionCandidate::new(a.text).help(Some(format!("also {}", f.name).into())),
            );
        }
    }
    out
}

/// Fixed words for an argument, with what each means.
pub(crate) fn words(
    words: &'static [(&'static str, &'static str)],
) -> Vec<clap_complete::CompletionCandidate> {
    words
        .iter()
        .map(|(w, help)| clap_complete::CompletionCandidate::new(*w).help(Some((*help).into())))
        .collect()
}
