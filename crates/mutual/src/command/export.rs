//! `mutual export`: everything, as one JSON document on standard output.

use anyhow::Result;
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
    ui::json(&mutual_app::views::export(app, store.db())?)
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
