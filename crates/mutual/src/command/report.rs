//! `mutual report`: one self-contained HTML page per friend or for all,
//! with charts of the journal and the chats, the signals, needs, boundaries
//! and agreements.

use std::path::{Path, PathBuf};

use anyhow::Result;
use mutual_app::report::build;
use mutual_report::Report;

use crate::app::App;
use crate::error::bad;
use crate::output;
use crate::ui;

/// Write an HTML report: balance, energy, chats, signals, needs and agreements
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only this friend
    friend: Option<String>,
    /// The HTML file to write
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    if args.out.is_dir() {
        return Err(bad(format!(
            "--out {} is a folder; expected a file name such as report.html",
            args.out.display()
        )));
    }
    let db_path = app.db_path()?;
    output::check(&args.out, &db_path)?;
    let store = app.open_read()?;
    let db = store.db();
    let only = args.friend.as_deref().map(|n| app.friend(db, n)).transpose()?;
    let records = app.records(db, only.as_ref().map(|f| f.id))?;
    let weeks = app.weeks(db, only.as_ref().map(|f| f.id))?;
    let cx = app.context();
    let title = match &only {
        Some(f) => format!("You and {}", f.name),
        None => "Your friendships".to_owned(),
    };
    let drift = app.drift_in(&weeks, &records);
    let report = build(title, &records, &weeks, &drift, &cx);
    write(&report, &args.out, &db_path)?;
    ui::line(format!("Wrote {}", args.out.display()))?;
    output::note_if_encrypted(&db_path, &args.out.display().to_string())
}

/// Writes the page, owner-only, never onto the database at `db`.
pub(crate) fn write(report: &Report, out: &Path, db: &Path) -> Result<()> {
    output::write(out, mutual_report::render(report).as_bytes(), Some(db))
}
