//! `mutual need`: what each of us needs from the friendship.

use anyhow::Result;
use mutual_app::notes::{self, NeedEdit};
use mutual_core::{NeedId, Side};

use super::{day_or_today, parse, parse_opt, text};
use crate::app::App;
use crate::ui;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Record a need, yours (default) or theirs
    Add {
        friend: String,
        text: String,
        /// me or them
        #[arg(long, default_value = "me")]
        whose: String,
        /// Since when [default: today]
        #[arg(long)]
        since: Option<String>,
    },
    /// List needs
    List {
        friend: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change a need
    Edit {
        id: String,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        whose: Option<String>,
        #[arg(long)]
        since: Option<String>,
    },
    /// Remove a need
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add {
            friend,
            text: words,
            whose,
            since,
        } => {
            let words = text("need", &words)?;
            let whose: Side = parse("--whose", &whose)?;
            let since = day_or_today(app, since.as_deref())?;
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let id = notes::add_need(&mut store, friend.id, whose, &words, since)?;
            ui::done(if whose == Side::Me {
                format!(
                    "Noted your need with {} (#{id}). Saying it out loud is half the work.",
                    friend.name
                )
            } else {
                format!(
                    "Noted {}'s need (#{id}). Knowing what helps them is a kindness in itself.",
                    friend.name
                )
            })
        }
        Command::List { friend, json } => super::list(
            app,
            friend.as_deref(),
            json,
            "No needs noted yet.",
            |db, only| Ok(db.needs(only)?),
            |n| n.friend,
            |n, name| {
                let whose = if n.whose == Side::Me { "your" } else { "their" };
                format!("#{} {name} — {whose} need: {} (since {})", n.id, n.text, n.since)
            },
        ),
        Command::Edit {
            id,
            text: words,
            whose,
            since,
        } => {
            let id = NeedId(super::id("need", &id)?);
            let words = words.map(|w| text("need", &w)).transpose()?;
            let whose: Option<Side> = parse_opt("--whose", whose.as_deref())?;
            let since = since
                .map(|s| crate::when::day(&s, app.now, &app.tz))
                .transpose()?;
            let edit = NeedEdit {
                text: words,
                whose,
                since,
            };
            notes::edit_need(&mut app.open()?, id, edit)?;
            ui::done(format!("Updated need #{id}."))
        }
        Command::Remove { id } => {
            let id = NeedId(super::id("need", &id)?);
            notes::remove_need(&mut app.open()?, id)?;
            ui::done(format!("Removed need #{id}."))
        }
    }
}
