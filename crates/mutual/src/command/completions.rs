//! `mutual completions`: shell completion scripts.

use anyhow::Result;
use clap_complete::Shell;

/// Print a shell completion script (bash, zsh, fish, elvish, powershell)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    shell: Shell,
}

pub(crate) fn run(args: Args) -> Result<()> {
    let mut cmd = crate::cli_command();
    clap_complete::generate(args.shell, &mut cmd, "mutual", &mut std::io::stdout().lock());
    Ok(())
}
