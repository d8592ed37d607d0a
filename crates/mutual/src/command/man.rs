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
            page.extend_from_slice(sections().as_bytes());
            std::io::Write::write_all(&mut std::io::stdout().lock(), &page)?;
            Ok(())
        }
        Some(dir) => {
            // Never onto the database or its files (when one can be found).
            let db = app.db_path().ok();
            output::folder(&dir, db.as_deref())?;
            let mut cmd = cmd.disable_help_subcommand(true);
            cmd.build();
            let mut pages = Vec::new();
            render_pages(cmd, &dir, &mut pages)?;
            // Every page is checked before the first is written: a refusal
            // leaves nothing half done.
            if let Some(db) = db.as_deref() {
                for (path, _) in &pages {
                    output::check(path, db)?;
                }
            }
            for (path, page) in &pages {
                output::write(path, page, db.as_deref())?;
            }
            ui::done(format!("Wrote man pages to {}", dir.display()))
        }
    }
}

/// One page for `cmd` and one for each of its visible subcommands, named
/// as `clap_mangen::generate_to` names them, each with its path in `dir`;
/// the main page ends with examples and how the balance is read.
fn render_pages(cmd: clap::Command, dir: &Path, pages: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        render_pages(sub.clone(), dir, pages)?;
    }
    let top = cmd.get_name() == "mutual";
    let man = clap_mangen::Man::new(cmd);
    let mut page = Vec::new();
    man.render(&mut page)?;
    if top {
        page.extend_from_slice(sections().as_bytes());
    }
    pages.push((dir.join(man.get_filename()), page));
    Ok(())
}

/// The main page's own sections: EXAMPLES, and THE BALANCE (how B is
/// computed and read).
fn sections() -> String {
    use roff::{Roff, bold, roman};
    let mut page = Roff::new();
    page.control("SH", ["EXAMPLES"]);
    for (what, command) in [
        (
            "Add a friend you like to see about every two weeks:",
            "mutual friend add Sam --every 14",
        ),
        (
            "Log a call where you listened and they gave advice, and how it felt:",
            "mutual log Sam --via call --gave listening:3 --got advice --energy 1",
        ),
        (
            "Log hard news with something to come back to:",
            "mutual log Sam --hard-news --follow-up \"ask how the scan went\" --due \"in 3 days\"",
        ),
        ("See what needs you today:", "mutual today"),
        ("See the balance with everyone:", "mutual balance"),
        (
            "Import a WhatsApp chat, naming your own side:",
            "mutual import chat.zip --me \"Alex Moreno\"",
        ),
        (
            "Keep the dates in your calendar:",
            "mutual calendar --out friends.ics",
        ),
        ("Try it all on a generated year first:", "mutual demo"),
    ] {
        page.control("TP", [] as [&str; 0]);
        page.text([roman(what)]);
        page.text([bold(command)]);
    }
    page.control("SH", ["THE BALANCE"]);
    page.text([roman(
        "B = \u{3a3}w(given \u{2212} received) / \u{3a3}w(given + received), with w = exp(\u{2212}age/\u{3c4}) and \u{3c4} = 90 days, \
         runs from \u{2212}1 (they have given more lately) to +1 (you have given more lately). \
         Given and received are sums of the intensities you logged (1 to 3 per kind of support). \
         Within \u{b1}0.2 it reads balanced. Until about three recent times together with support \
         are logged it reads early days, and says how many more it takes. \
         Under an agreement, giving in one's agreed role counts as showing up, whatever its size, \
         so complementary roles balance. Seasons of giving more are normal, \
         and the balance is never a ledger of debts.",
    )]);
    page.render()
}
