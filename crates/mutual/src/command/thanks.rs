//! `mutual thanks`: gratitude, and whether I told them.

use anyhow::Result;
use mutual_app::notes;
use mutual_core::GratitudeId;

use super::text;
use crate::app::App;
use crate::ui;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Note something a friend did that you appreciate
    Add {
        friend: String,
        text: String,
        #[arg(long)]
        at: Option<String>,
        /// You already told them
        #[arg(long)]
        told: bool,
    },
    /// Mark gratitude as told
    Told {
        id: String,
        #[arg(long)]
        at: Option<String>,
    },
    /// List gratitude
    List {
        friend: Option<String>,
        /// Only what you have not told yet
        #[arg(long)]
        untold: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete a gratitude note
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add {
            friend,
            text: words,
            at,
            told,
        } => {
            let words = text("gratitude", &words)?;
            let at = super::past_or_now(app, at.as_deref())?;
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let id = notes::add_gratitude(&mut store, friend.id, at, &words, told.then_some(app.now))?;
            ui::done(format!("Noted your gratitude to {} (#{id}).", friend.name))?;
            if !told {
                ui::hint(format!(
                    "Telling them takes a minute. Afterwards: mutual thanks told {id}"
                ))?;
            }
            Ok(())
        }
        Command::Told { id, at } => {
            let id = GratitudeId(super::id("gratitude", &id)?);
            let at = super::past_or_now(app, at.as_deref())?;
            mutual_app::services::told(&mut app.open()?, id, at)?;
            ui::done(format!("Gratitude #{id} told. That will have meant something."))
        }
        Command::List { friend, untold, json } => super::list(
            app,
            friend.as_deref(),
            json,
            "No gratitude noted here yet.",
            |db, only| {
                let mut items = db.gratitude(only)?;
                items.retain(|g| !untold || g.told_at.is_none());
                Ok(items)
            },
            |g| g.friend,
            |g, name| {
                let told = if g.told_at.is_some() {
                    "told"
                } else {
                    "not told yet"
                };
                let day = g.at.to_zoned(app.tz.clone()).date();
                format!("#{} {day} {name}: {} ({told})", g.id, g.text)
            },
        ),
        Command::Remove { id } => {
            let id = GratitudeId(super::id("gratitude", &id)?);
            notes::remove_gratitude(&mut app.open()?, id)?;
            ui::done(format!("Removed gratitude #{id}."))
        }
    }
}
