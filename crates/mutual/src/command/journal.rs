//! `mutual journal`: list, edit and remove journal entries.

use anyhow::Result;
use mutual_core::{Interaction, InteractionId};
use mutual_store::JournalFilter;

use super::log::EntryFields;
use crate::app::{App, find_friend};
use crate::error::bad_input;
use crate::ui::{self, DIM, styled};

// The edit variant carries every entry field; it is parsed once per run.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// List journal entries, newest first
    List {
        /// Only entries with this friend
        friend: Option<String>,
        /// How many, newest first
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Change an entry (only the fields given)
    Edit {
        id: String,
        /// Replace who was there (comma-separated names)
        #[arg(long, value_name = "FRIENDS")]
        with: Option<String>,
        #[command(flatten)]
        fields: EntryFields,
    },
    /// Delete an entry
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::List { friend, limit, json } => list(app, friend.as_deref(), limit, json),
        Command::Edit { id, with, fields } => edit(app, &id, with.as_deref(), &fields),
        Command::Remove { id } => {
            let id = InteractionId(super::id("journal entry", &id)?);
            let mut store = app.open()?;
            store.write(|tx| tx.remove_interaction(id))?;
            ui::done(format!("Removed entry #{id}."))
        }
    }
}

/// One line about an entry: when, with whom, what flowed, how it felt.
pub(crate) fn summary(entry: &Interaction, app: &App) -> String {
    let e = &entry.exchange;
    let when = e.at.to_zoned(app.tz.clone()).strftime("%Y-%m-%d %H:%M");
    let mut parts = vec![format!("#{} {when} {}", entry.id, e.channel)];
    if e.initiator != mutual_core::Initiator::Unknown {
        parts.push(format!("started by {}", e.initiator));
    }
    if !e.gave.is_empty() {
        parts.push(format!("gave {}", e.gave));
    }
    if !e.got.is_empty() {
        parts.push(format!("got {}", e.got));
    }
    if let Some(energy) = e.energy {
        parts.push(format!("energy {:+}", energy.get()));
    }
    parts.join(", ")
}

fn list(app: &App, friend: Option<&str>, limit: usize, json: bool) -> Result<()> {
    if limit == 0 {
        bad_input!("--limit 0 would list nothing; expected 1 or more");
    }
    let store = app.open_read()?;
    let db = store.db();
    let friends = db.friends()?;
    let only = friend.map(|n| find_friend(&friends, n)).transpose()?;
    let entries = db.interactions(&JournalFilter {
        friend: only.map(|f| f.id),
        limit: Some(limit),
        ..JournalFilter::default()
    })?;
    if json {
        return ui::json(&entries);
    }
    if entries.is_empty() {
        return ui::line("No entries yet. Log one with: mutual log \"Sam\" --gave listening --energy 1");
    }
    for entry in &entries {
        let names: Vec<&str> = entry
            .friends
            .iter()
            .filter_map(|id| friends.iter().find(|f| f.id == *id).map(|f| f.name.as_str()))
            .collect();
        ui::line(format!("{} — {}", summary(entry, app), names.join(", ")))?;
        if let Some(note) = &entry.note {
            ui::line(styled(DIM, format!("    {note}")))?;
        }
    }
    Ok(())
}

fn edit(app: &App, id: &str, with: Option<&str>, fields: &EntryFields) -> Result<()> {
    let id = InteractionId(super::id("journal entry", id)?);
    let f = fields.parse(app)?;
    let mut store = app.open()?;
    let db = store.db();
    let mut entry = db.interaction(id)?;
    if let Some(with) = with {
        let all = db.friends()?;
        let mut ids = Vec::new();
        for name in with.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let friend = find_friend(&all, name)?;
            if ids.contains(&friend.id) {
                bad_input!(
                    "{} is named twice in --with; expected each friend once",
                    friend.name
                );
            }
            ids.push(friend.id);
        }
        if ids.is_empty() {
            bad_input!("--with is empty; expected one or more friend names separated by commas");
        }
        entry.friends = ids;
    }
    let e = &mut entry.exchange;
    e.at = f.at.unwrap_or(e.at);
    e.channel = f.channel.unwrap_or(e.channel);
    e.initiator = f.initiator.unwrap_or(e.initiator);
    e.gave = f.gave.unwrap_or(e.gave);
    e.got = f.got.unwrap_or(e.got);
    e.energy = f.energy.or(e.energy);
    e.conflict = f.conflict.unwrap_or(e.conflict);
    e.hard_news = f.hard_news.unwrap_or(e.hard_news);
    entry.felt_heard = f.felt_heard.or(entry.felt_heard);
    if let Some(note) = f.note {
        entry.note = Some(note).filter(|n| !n.is_empty());
    }
    if !f.tags.is_empty() {
        entry.tags = f.tags;
    }
    store.write(|tx| tx.update_interaction(&entry))?;
    ui::done(format!("Updated entry: {}", summary(&entry, app)))
}
