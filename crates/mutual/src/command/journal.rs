//! `mutual journal`: list (with filters), edit, remove and restore journal
//! entries. A removed entry can be restored for 30 days.

use std::io::{BufRead, IsTerminal, Write};

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
        #[arg(conflicts_with = "friend_flag")]
        friend: Option<String>,
        /// Only entries with this friend (the same as naming them first)
        #[arg(long = "friend", value_name = "FRIEND")]
        friend_flag: Option<String>,
        /// Only entries on or after this day, e.g. 2026-11-01 or "2 weeks ago"
        #[arg(long, value_name = "DAY")]
        since: Option<String>,
        /// Only entries on or before this day
        #[arg(long, value_name = "DAY")]
        until: Option<String>,
        /// Only entries with this tag
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only entries whose note holds this text (any case; searched on
        /// this machine only)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
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
    /// Remove an entry (it can be restored for 30 days)
    Remove {
        id: String,
        /// Do not ask (needed when not in a terminal)
        #[arg(long)]
        yes: bool,
    },
    /// Bring back an entry removed in the last 30 days
    Restore { id: String },
}

use mutual_app::services::RESTORE_DAYS;

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::List {
            friend,
            friend_flag,
            since,
            until,
            tag,
            search,
            limit,
            json,
        } => list(
            app,
            &Filters {
                friend: friend.or(friend_flag),
                since,
                until,
                tag,
                search,
            },
            limit,
            json,
        ),
        Command::Edit { id, with, fields } => edit(app, &id, with.as_deref(), &fields),
        Command::Remove { id, yes } => remove(app, &id, yes),
        Command::Restore { id } => restore(app, &id),
    }
}

/// Removes an entry after showing what it is (and, in a terminal, asking).
fn remove(app: &App, id: &str, yes: bool) -> Result<()> {
    let id = InteractionId(super::id("journal entry", id)?);
    let mut store = app.open()?;
    let entry = store.db().interaction(id)?;
    let friends = store.db().friends()?;
    let names = names_of(&entry, &friends);
    let what = format!("{} \u{2014} {}", summary(&entry, app), names.join(", "));
    if !yes && !std::io::stdin().is_terminal() {
        bad_input!("removing entry {what} needs --yes when not in a terminal; nothing was removed");
    }
    ui::line(format!("About to remove {what}"))?;
    if let Some(note) = &entry.note {
        ui::line(styled(DIM, format!("    {note}")))?;
    }
    if !yes {
        let mut out = ui::stdout();
        write!(
            out,
            "Remove it? You can restore it for {RESTORE_DAYS} days. [y/N] "
        )?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            return ui::line("Kept it; nothing was removed.");
        }
    }
    mutual_app::services::remove_entry(app, &mut store, id)?;
    ui::done(format!("Removed entry #{id}."))?;
    ui::hint(format!(
        "Changed your mind? `mutual journal restore {id}` brings it back for {RESTORE_DAYS} days."
    ))
}

/// Brings back an entry removed in the last 30 days.
fn restore(app: &App, id: &str) -> Result<()> {
    let id = InteractionId(super::id("journal entry", id)?);
    let mut store = app.open()?;
    let restored = mutual_app::services::restore_entry(app, &mut store, id)?;
    let Some(new) = restored else {
        bad_input!(
            "entry #{id} is not among the entries removed in the last {RESTORE_DAYS} days (or everyone in it was forgotten since); expected the id `journal remove` printed"
        );
    };
    let entry = store.db().interaction(new)?;
    let friends = store.db().friends()?;
    let names = names_of(&entry, &friends);
    let under = if new == id {
        String::new()
    } else {
        format!(" as #{new} (#{id} is taken by a newer entry)")
    };
    ui::done(format!(
        "Restored{under}: {} \u{2014} {}",
        summary(&entry, app),
        names.join(", ")
    ))
}

fn names_of<'a>(entry: &Interaction, friends: &'a [mutual_core::Friend]) -> Vec<&'a str> {
    entry
        .friends
        .iter()
        .filter_map(|id| friends.iter().find(|f| f.id == *id).map(|f| f.name.as_str()))
        .collect()
}

/// What `journal list` keeps.
struct Filters {
    friend: Option<String>,
    since: Option<String>,
    until: Option<String>,
    tag: Option<String>,
    search: Option<String>,
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

fn list(app: &App, filters: &Filters, limit: usize, json: bool) -> Result<()> {
    if limit == 0 {
        bad_input!("--limit 0 would list nothing; expected 1 or more");
    }
    let day = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| {
                crate::when::day(t, app.now, &app.tz)
                    .map_err(|e| crate::error::bad(format!("{flag} {}", crate::error::one_line(&e))))
            })
            .transpose()
    };
    let since = day("--since", &filters.since)?;
    let until = day("--until", &filters.until)?;
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        bad_input!("--since {s} is after --until {u}; expected a span that starts before it ends");
    }
    let start_of = |d: jiff::civil::Date| d.to_zoned(app.tz.clone()).map(|z| z.timestamp());
    let tag = filters
        .tag
        .as_deref()
        .map(|t| super::text("tag", t).map(|t| t.to_lowercase()))
        .transpose()?;
    let search = filters
        .search
        .as_deref()
        .map(|t| super::text("--search", t).map(|t| t.to_lowercase()))
        .transpose()?;
    let store = app.open_read()?;
    let db = store.db();
    let friends = db.friends()?;
    let only = filters
        .friend
        .as_deref()
        .map(|n| find_friend(&friends, n))
        .transpose()?;
    let mut entries = db.interactions(&JournalFilter {
        friend: only.map(|f| f.id),
        since: since.map(start_of).transpose()?,
        until: until
            .and_then(|u| u.tomorrow().ok())
            .map(start_of)
            .transpose()?
            .map(|t| t - jiff::SignedDuration::from_secs(1)),
        tag,
        // A search reads the notes here, so it takes every entry first.
        limit: search.is_none().then_some(limit),
    })?;
    if let Some(text) = &search {
        entries.retain(|e| {
            e.note
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(text.as_str()))
        });
        entries.truncate(limit);
    }
    if json {
        return ui::json(&entries);
    }
    if entries.is_empty() {
        let filtered = filters.friend.is_some()
            || filters.since.is_some()
            || filters.until.is_some()
            || filters.tag.is_some()
            || filters.search.is_some();
        return ui::line(if filtered {
            "No entries match."
        } else {
            "No entries yet. Log one with: mutual log \"Sam\" --gave listening --energy 1"
        });
    }
    for entry in &entries {
        let names = names_of(entry, &friends);
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
    mutual_app::services::edit_entry(&mut store, &entry)?;
    ui::done(format!("Updated entry: {}", summary(&entry, app)))
}
