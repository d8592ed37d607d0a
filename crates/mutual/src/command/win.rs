//! `mutual win`: a friend's good news and how I responded.

use anyhow::Result;
use mutual_app::notes;
use mutual_core::{WinId, WinResponse};

use super::{parse, parse_opt, text};
use crate::app::App;
use crate::ui;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Note a friend's good news
    Add {
        friend: String,
        text: String,
        /// When they shared it [default: now]
        #[arg(long)]
        at: Option<String>,
        /// How you responded: enthusiastic, brief or missed
        #[arg(long)]
        response: Option<String>,
    },
    /// Record how you responded: enthusiastic, brief or missed
    Respond { id: String, response: String },
    /// List wins
    List {
        friend: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a win
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add {
            friend,
            text: words,
            at,
            response,
        } => {
            let words = text("good news", &words)?;
            let at = super::past_or_now(app, at.as_deref())?;
            let response: Option<WinResponse> = parse_opt("--response", response.as_deref())?;
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let id = notes::add_win(&mut store, friend.id, at, &words, response)?;
            ui::done(format!("Noted {}'s good news (#{id}).", friend.name))?;
            if response.is_none() {
                ui::hint(format!(
                    "Celebrate it with them, then: mutual win respond {id} enthusiastic"
                ))?;
            }
            Ok(())
        }
        Command::Respond { id, response } => {
            let id = WinId(super::id("win", &id)?);
            let response: WinResponse = parse("response", &response)?;
            mutual_app::services::respond_to_win(&mut app.open()?, id, response)?;
            let words = match response {
                WinResponse::Enthusiastic => "Lovely — shared joy grows.",
                WinResponse::Brief => "Noted. A curious question later can still add to it.",
                WinResponse::Missed => "Noted. It is never too late to say \"I heard your news!\"",
            };
            ui::done(format!("Win #{id}: {words}"))
        }
        Command::List { friend, json } => super::list(
            app,
            friend.as_deref(),
            json,
            "No wins noted yet.",
            |db, only| Ok(db.wins(only)?),
            |w| w.friend,
            |w, name| {
                let response = w
                    .response
                    .map_or("not celebrated yet".to_owned(), |r| r.to_string());
                let day = w.at.to_zoned(app.tz.clone()).date();
                format!("#{} {day} {name}: {} ({response})", w.id, w.text)
            },
        ),
        Command::Remove { id } => {
            let id = WinId(super::id("win", &id)?);
            notes::remove_win(&mut app.open()?, id)?;
            ui::done(format!("Removed win #{id}."))
        }
    }
}
