//! `mutual export`: everything, as one JSON document on standard output.

use anyhow::Result;
use mutual_store::JournalFilter;
use serde_json::json;

use crate::app::App;
use crate::ui;

/// Print everything in the database as JSON (it includes your private notes)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args, app: &App) -> Result<()> {
    let store = app.open_with_chats()?;
    crate::output::note_if_encrypted(store.path(), "this export")?;
    let db = store.db();
    let document = json!({
        "format": "mutual-export",
        "version": 1,
        "exported_at": app.now,
        "friends": db.friends()?,
        "interactions": db.interactions(&JournalFilter::default())?.into_iter().rev().collect::<Vec<_>>(),
        "needs": db.needs(None)?,
        "boundaries": db.boundaries(None)?,
        "follow_ups": db.follow_ups(None)?,
        "wins": db.wins(None)?,
        "gratitude": db.gratitude(None)?,
        "parked_topics": db.parked_topics(None)?,
        "agreements": db.agreements(None)?,
        "prompt_uses": db.prompt_uses(None)?,
        "reviews": db.reviews(None)?,
        "chat_senders": db.senders_with_counts()?.into_iter().map(|s| json!({
            "platform": s.platform,
            "name": s.name,
            "is_me": s.is_me,
            "friend": s.friend,
            "messages": s.messages,
        })).collect::<Vec<_>>(),
        "messages": db.message_count()?,
        "chat_weeks": crate::chats::weeks(db, None)?
            .iter()
            .flat_map(|(friend, weeks)| weeks.iter().map(move |w| crate::chats::week_json(*friend, w)))
            .collect::<Vec<_>>(),
    });
    ui::json(&document)
}
