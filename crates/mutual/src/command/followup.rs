//! `mutual followup`: things to come back to.

use anyhow::Result;
use mutual_app::notes::{self, FollowUpEdit};
use mutual_core::{FollowUpId, FollowUpState};

use super::{name_of, named, text};
use crate::app::{App, find_friend};
use crate::ui::{self, DIM, styled};
use crate::when;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Something to come back to with a friend
    Add {
        friend: String,
        text: String,
        /// When [default: in 3 days]; e.g. friday, "in 2 days", 2026-12-01
        #[arg(long)]
        due: Option<String>,
    },
    /// Mark a follow-up done
    Done {
        id: String,
        /// When you did it [default: now]
        #[arg(long)]
        at: Option<String>,
    },
    /// Change a follow-up's text or due day
    Edit {
        id: String,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        due: Option<String>,
    },
    /// Open a follow-up again
    Reopen { id: String },
    /// List open follow-ups (or all with --all)
    List {
        friend: Option<String>,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete a follow-up
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add {
            friend,
            text: words,
            due,
        } => {
            let words = text("follow-up", &words)?;
            let due = due.map(|d| when::day(&d, app.now, &app.tz)).transpose()?;
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let f = notes::add_follow_up(app, &mut store, friend.id, &words, due)?;
            ui::done(format!(
                "Follow-up #{}: come back to {} by {}.",
                f.id, friend.name, f.due
            ))
        }
        Command::Done { id, at } => {
            let id = FollowUpId(super::id("follow-up", &id)?);
            let at = super::past_or_now(app, at.as_deref())?;
            mutual_app::services::follow_up_done(&mut app.open()?, id, Some(at))?;
            ui::done(format!(
                "Follow-up #{id} done. Showing up like that is what trust is made of."
            ))
        }
        Command::Edit { id, text: words, due } => {
            let id = FollowUpId(super::id("follow-up", &id)?);
            let words = words.map(|w| text("follow-up", &w)).transpose()?;
            let due = due.map(|d| when::day(&d, app.now, &app.tz)).transpose()?;
            let edit = FollowUpEdit { text: words, due };
            let f = notes::edit_follow_up(&mut app.open()?, id, edit)?;
            ui::done(format!("Follow-up #{id}: {} (due {}).", f.text, f.due))
        }
        Command::Reopen { id } => {
            let id = FollowUpId(super::id("follow-up", &id)?);
            mutual_app::services::follow_up_done(&mut app.open()?, id, None)?;
            ui::done(format!("Follow-up #{id} is open again."))
        }
        Command::List { friend, all, json } => {
            let store = app.open_read()?;
            let db = store.db();
            let friends = db.friends()?;
            let only = friend.as_deref().map(|n| find_friend(&friends, n)).transpose()?;
            let today = app.today();
            let items: Vec<_> = db
                .follow_ups(only.map(|f| f.id))?
                .into_iter()
                .filter(|f| all || f.done_at.is_none())
                .collect();
            if json {
                let mut values = named(&items, &friends, |f| f.friend)?;
                for (v, f) in values.iter_mut().zip(&items) {
                    v["state"] = f.state(today, &app.tz).as_str().into();
                }
                return ui::json(&values);
            }
            if items.is_empty() {
                return ui::line("Nothing to come back to right now.");
            }
            for f in &items {
                let state = f.state(today, &app.tz);
                let note = match state {
                    FollowUpState::Missed => " — its day has passed; it is not too late".to_owned(),
                    FollowUpState::DueToday => " — due today".to_owned(),
                    _ => String::new(),
                };
                ui::line(format!(
                    "#{} {}: {} (due {}){note}",
                    f.id,
                    name_of(&friends, f.friend),
                    f.text,
                    f.due
                ))?;
            }
            ui::line(styled(DIM, "Mark one done with: mutual followup done ID"))
        }
        Command::Remove { id } => {
            let id = FollowUpId(super::id("follow-up", &id)?);
            notes::remove_follow_up(&mut app.open()?, id)?;
            ui::done(format!("Removed follow-up #{id}."))
        }
    }
}
