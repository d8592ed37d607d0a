//! `mutual man`: the manual page, in roff.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::ui;

/// Print the man page (or write one page per command into a directory)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write mutual.1 and one page per subcommand here
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Result<()> {
    let cmd = crate::cli_command();
    match args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            std::io::Write::write_all(&mut std::io::stdout().lock(), &page)?;
            Ok(())
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| format!("could not write to {}", dir.display()))?;
            ui::done(format!("Wrote man pages to {}", dir.display()))
        }
    }
}
