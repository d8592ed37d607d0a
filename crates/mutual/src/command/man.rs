//! `mutual man`: the manual page, in roff.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::app::App;
use crate::output;
use crate::ui;

/// Print the man page (or write one page per command into a directory)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write mutual.1 and one page per subcommand here
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let cmd = crate::cli_command();
    match args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            std::io::Write::write_all(&mut std::io::stdout().lock(), &page)?;
            Ok(())
        }
        Some(dir) => {
            // Never onto the database or its files (when one can be found).
            let db = app.db_path().ok();
            output::folder(&dir, db.as_deref())?;
            let mut cmd = cmd.disable_help_subcommand(true);
            cmd.build();
            write_pages(cmd, &dir, db.as_deref())?;
            ui::done(format!("Wrote man pages to {}", dir.display()))
        }
    }
}

/// One page for `cmd` and one for each of its visible subcommands, named
/// as `clap_mangen::generate_to` names them.
fn write_pages(cmd: clap::Command, dir: &Path, db: Option<&Path>) -> Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub.clone(), dir, db)?;
    }
    let man = clap_mangen::Man::new(cmd);
    let mut page = Vec::new();
    man.render(&mut page)?;
    let path = dir.join(man.get_filename());
    output::write(&path, &page, db)
}
