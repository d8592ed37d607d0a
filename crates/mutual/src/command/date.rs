//! `mutual date`: days that matter to a friend (a move, a surgery, an
//! anniversary), once or every year. They show under "Coming up" in the
//! week before and in the calendar.

use anyhow::Result;
use mutual_app::notes;
use mutual_core::KeyDateId;

use super::text;
use crate::app::App;
use crate::ui;
use crate::when;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Note a day that matters to a friend
    Add {
        friend: String,
        /// What the day is, e.g. "moving day"
        text: String,
        /// The day, e.g. 2026-12-12 or "next friday" (for --yearly, its first year)
        day: String,
        /// It comes back every year (an anniversary)
        #[arg(long)]
        yearly: bool,
    },
    /// List key dates
    List {
        friend: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a key date
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add {
            friend,
            text: words,
            day,
            yearly,
        } => {
            let words = text("key date", &words)?;
            let day = when::day(&day, app.now, &app.tz)?;
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let id = notes::add_key_date(app, &mut store, friend.id, &words, day, yearly)?;
            let every = if yearly { ", every year" } else { "" };
            ui::done(format!(
                "Noted {}'s \u{201c}{words}\u{201d} on {day}{every} (#{id}). It will show under \"Coming up\" in the week before.",
                friend.name
            ))
        }
        Command::List { friend, json } => super::list(
            app,
            friend.as_deref(),
            json,
            "No key dates noted yet.",
            |db, only| Ok(db.key_dates(only)?),
            |k| k.friend,
            |k, name| {
                let every = if k.yearly { " (every year)" } else { "" };
                format!("#{} {} {name}: {}{every}", k.id, k.day, k.text)
            },
        ),
        Command::Remove { id } => {
            let id = KeyDateId(super::id("key date", &id)?);
            notes::remove_key_date(&mut app.open()?, id)?;
            ui::done(format!("Removed key date #{id}."))
        }
    }
}
