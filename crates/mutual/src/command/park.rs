//! `mutual park`: an intense topic paused by agreement, with a revisit date.

use anyhow::Result;
use mutual_core::ParkedTopicId;

use super::{name_of, named, text};
use crate::app::{App, find_friend};
use crate::error::bad_input;
use crate::ui;
use crate::when;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Park a topic until a day
    Add {
        friend: String,
        topic: String,
        /// When to come back to it; e.g. "in 2 weeks", 2026-12-15
        #[arg(long)]
        until: String,
    },
    /// List parked topics
    List {
        friend: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mark a parked topic as talked through
    Revisited { id: String },
    /// Delete a parked topic
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add { friend, topic, until } => {
            let topic = text("topic", &topic)?;
            let until = when::day(&until, app.now, &app.tz)?;
            let today = app.today();
            if until <= today {
                bad_input!("--until {until} is not after today; expected a day to come back to the topic");
            }
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let id = store.write(|tx| tx.add_parked_topic(friend.id, &topic, today, until))?;
            ui::done(format!(
                "Parked with {} until {until} (#{id}). Pausing a hard topic is a kindness too.",
                friend.name
            ))
        }
        Command::List { friend, json } => {
            let store = app.open()?;
            let db = store.db();
            let friends = db.friends()?;
            let only = friend.as_deref().map(|n| find_friend(&friends, n)).transpose()?;
            let items = db.parked_topics(only.map(|f| f.id))?;
            if json {
                return ui::json(&named(&items, &friends, |p| p.friend)?);
            }
            if items.is_empty() {
                return ui::line("No parked topics.");
            }
            for p in &items {
                let state = match p.revisited_on {
                    Some(d) => format!("revisited {d}"),
                    None => format!("until {}", p.revisit_on),
                };
                ui::line(format!(
                    "#{} {}: {} ({state})",
                    p.id,
                    name_of(&friends, p.friend),
                    p.topic
                ))?;
            }
            Ok(())
        }
        Command::Revisited { id } => {
            let id = ParkedTopicId(super::id("parked topic", &id)?);
            let mut store = app.open()?;
            let mut topic = store
                .db()
                .parked_topics(None)?
                .into_iter()
                .find(|p| p.id == id)
                .ok_or(mutual_store::StoreError::NotFound {
                    what: "parked topic",
                    id: id.0,
                })?;
            topic.revisited_on = Some(app.today());
            store.write(|tx| tx.update_parked_topic(&topic))?;
            ui::done(format!(
                "Parked topic #{id} talked through. Well done, both of you."
            ))
        }
        Command::Remove { id } => {
            let id = ParkedTopicId(super::id("parked topic", &id)?);
            app.open()?.write(|tx| tx.remove_parked_topic(id))?;
            ui::done(format!("Removed parked topic #{id}."))
        }
    }
}
