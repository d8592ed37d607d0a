//! `mutual completions`: shell completion scripts.

use std::io::Write;

use anyhow::Result;
use clap_complete::Shell;

/// Print a shell completion script (bash, zsh, fish, elvish, powershell)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    shell: Shell,
}

pub(crate) fn run(args: Args) -> Result<()> {
    let mut cmd = crate::cli_command();
    // Rendered into memory first: the generator panics on a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "mutual", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(())
}
