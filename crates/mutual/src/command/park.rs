//! `mutual park`: an intense topic paused by agreement, with a revisit date.

use anyhow::Result;
use mutual_app::notes;
use mutual_core::ParkedTopicId;

use super::text;
use crate::app::App;
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
            if until <= app.today() {
                bad_input!("--until {until} is not after today; expected a day to come back to the topic");
            }
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let id = notes::park(app, &mut store, friend.id, &topic, until)?;
            ui::done(format!(
                "Parked with {} until {until} (#{id}). Pausing a hard topic is a kindness too.",
                friend.name
            ))
        }
        Command::List { friend, json } => super::list(
            app,
            friend.as_deref(),
            json,
            "No parked topics.",
            |db, only| Ok(db.parked_topics(only)?),
            |p| p.friend,
            |p, name| {
                let state = match p.revisited_on {
                    Some(d) => format!("revisited {d}"),
                    None => format!("until {}", p.revisit_on),
                };
                format!("#{} {name}: {} ({state})", p.id, p.topic)
            },
        ),
        Command::Revisited { id } => {
            let id = ParkedTopicId(super::id("parked topic", &id)?);
            mutual_app::services::revisited(app, &mut app.open()?, id)?;
            ui::done(format!(
                "Parked topic #{id} talked through. Well done, both of you."
            ))
        }
        Command::Remove { id } => {
            let id = ParkedTopicId(super::id("parked topic", &id)?);
            notes::remove_parked_topic(&mut app.open()?, id)?;
            ui::done(format!("Removed parked topic #{id}."))
        }
    }
}
