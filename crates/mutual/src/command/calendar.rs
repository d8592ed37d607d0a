//! `mutual calendar`: the dates to keep as an iCalendar file (built by
//! `mutual_app::calendar`).

use std::path::PathBuf;

use anyhow::Result;

use crate::app::App;
use crate::error::bad;
use crate::output;
use crate::ui;

/// Write the dates to keep as an iCalendar (.ics) file, with reminders
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The .ics file to write (import it into any calendar app; importing a
    /// newer one updates the events)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// How many days ahead one-off dates go (birthdays and yearly dates repeat)
    #[arg(long, value_name = "DAYS", default_value_t = 365)]
    days: u32,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    if args.out.is_dir() {
        return Err(bad(format!(
            "--out {} is a folder; expected a file name such as friends.ics",
            args.out.display()
        )));
    }
    if !(1..=3650).contains(&args.days) {
        return Err(bad(format!(
            "--days {} is out of range; expected 1 to 3650",
            args.days
        )));
    }
    let db_path = app.db_path()?;
    output::check(&args.out, &db_path)?;
    let store = app.open_read()?;
    let (text, events) = mutual_app::calendar::calendar(app, store.db(), args.days)?;
    output::write(&args.out, text.as_bytes(), Some(&db_path))?;
    ui::done(format!(
        "Wrote {} ({}), each with a reminder.",
        args.out.display(),
        ui::count(events as u64, "date", "dates")
    ))?;
    output::note_if_encrypted(&db_path, &args.out.display().to_string())
}
