//! `mutual export`: everything, as one JSON document on standard output.

use anyhow::Result;
use mutual_store::JournalFilter;
use serde_json::json;

use crate::app::App;
use crate::ui;

/// Print everything in the database as JSON (it includes your private notes)
///
/// With --messages: every stored chat message instead, one JSON object per
/// line, oldest first (time in UTC, chat, sender, friend, kind, counts,
/// features, the language it was read in, and the text when it was kept).
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Every stored chat message, one JSON object per line
    #[arg(long)]
    messages: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    if args.messages {
        return messages(app);
    }
    let store = app.open_read()?;
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
        "key_dates": db.key_dates(None)?,
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
        "chat_weeks": app.weeks(db, None)?
            .iter()
            .flat_map(|(friend, weeks)| weeks.iter().map(move |w| mutual_app::chats::week_json(*friend, w)))
            .collect::<Vec<_>>(),
    });
    ui::json(&document)
}

/// `export --messages`: one line per stored message, streamed.
fn messages(app: &App) -> Result<()> {
    use std::io::Write as _;
    let store = app.open_read()?;
    crate::output::note_if_encrypted(store.path(), "this export")?;
    let db = store.db();
    let friends: std::collections::HashMap<_, _> =
        db.friends()?.into_iter().map(|f| (f.id, f.name)).collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    db.each_message(|m| -> Result<()> {
        let mut line = json!({
            "at": m.at,
            "platform": m.platform,
            "chat": m.chat,
            "sender": m.sender,
            "from_me": m.is_me,
            "friend": m.friend.and_then(|id| friends.get(&id)),
            "kind": m.kind,
            "words": m.words,
            "chars": m.chars,
            "emoji": m.emoji,
            "edited": m.edited,
            "reply": m.reply,
            "features": m.features.map(|f| super::features::stored_object(&f)),
            "lang": m.lang.as_deref().filter(|l| *l != mutual_store::UNREAD),
            "tone_measured": m.lang.as_deref() != Some(mutual_store::UNREAD),
        });
        if let Some(text) = m.text {
            line["text"] = text.into();
        }
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}
