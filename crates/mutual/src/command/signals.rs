//! `mutual signals`: early, explained notes about each friendship, from
//! the journal and the chats.

use anyhow::Result;
use jiff::civil::Date;
use mutual_app::views::{SignalRow, signal_rows};

use crate::app::App;
use crate::error::bad;
use crate::ui::{self, BOLD, DIM, styled};

/// Early, explained notes about your friendships: drift, imbalance, rhythm, boundaries
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only this friend
    friend: Option<String>,
    /// Evaluate as if today were this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let as_of = match &args.as_of {
        None => None,
        Some(text) => Some(as_of(text, app)?),
    };
    let app = match as_of {
        Some(now) => app.at(now),
        None => app.at(app.now),
    };
    let store = app.open_read()?;
    let db = store.db();
    let only = args.friend.as_deref().map(|n| app.friend(db, n)).transpose()?;
    let records = app.records(db, only.map(|f| f.id))?;
    let found = signal_rows(&app, db, &records)?;
    if args.json {
        return ui::json(&found);
    }
    print(&found, records.len())
}

/// The end of a `YYYY-MM-DD` day, local.
fn as_of(text: &str, app: &App) -> Result<jiff::Timestamp> {
    let day: Date = text.trim().parse().map_err(|_| {
        bad(format!(
            "--as-of '{text}' is not a date; expected YYYY-MM-DD, e.g. 2026-03-01"
        ))
    })?;
    crate::when::within_range(text, day, app.now, &app.tz)?;
    let end = day.at(23, 59, 59, 0).to_zoned(app.tz.clone()).map_err(|_| {
        bad(format!(
            "--as-of '{text}' is out of range; expected a date such as 2026-03-01"
        ))
    })?;
    Ok(end.timestamp())
}

fn print(found: &[SignalRow], friends: usize) -> Result<()> {
    if friends == 0 {
        return ui::line("No friends here yet. Start with: mutual friend add \"Sam\" --every 14");
    }
    if found.is_empty() {
        return ui::line("Nothing stands out right now. Your friendships look steady.");
    }
    let mut last = None;
    for SignalRow {
        friend: name,
        signal: s,
    } in found
    {
        if last != Some(name) {
            if last.is_some() {
                ui::line("")?;
            }
            ui::line(styled(BOLD, name))?;
            last = Some(name);
        }
        ui::line(format!("  \u{2022} {}", s.message))?;
        ui::line(styled(DIM, format!("    {}", s.suggestion)))?;
        ui::line(styled(
            DIM,
            format!(
                "    {} \u{00b7} confidence {:.0}%",
                s.kind.as_str(),
                s.confidence * 100.0
            ),
        ))?;
    }
    Ok(())
}
