//! `mutual senders`: the chat senders not linked to a friend yet, with how
//! many messages each has and the command that links them.

use anyhow::Result;
use serde_json::json;

use crate::app::{App, closest_friend};
use crate::ui::{self, shell_quote};

/// Chat senders not linked to a friend yet, and how to link each
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Every sender, linked or not
    #[arg(long)]
    all: bool,
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let store = app.open_read()?;
    let db = store.db();
    let friends = db.friends()?;
    let mut senders: Vec<_> = db
        .senders_with_counts()?
        .into_iter()
        .filter(|s| args.all || (!s.is_me && s.friend.is_none()))
        .collect();
    senders.sort_by(|a, b| b.messages.cmp(&a.messages).then_with(|| a.name.cmp(&b.name)));
    let rows: Vec<_> = senders
        .iter()
        .map(|s| {
            let linked = s.friend.and_then(|id| friends.iter().find(|f| f.id == id));
            let suggested = (!s.is_me && linked.is_none())
                .then(|| closest_friend(&friends, &s.name))
                .flatten();
            let friend = suggested.map_or(s.name.as_str(), |f| f.name.as_str());
            let map = format!(
                "{}={}",
                s.name.replace('\\', "\\\\").replace('=', "\\="),
                friend.replace('\\', "\\\\").replace('=', "\\=")
            );
            let command = match suggested {
                Some(f) => format!(
                    "mutual friend alias {} {} --platform {}",
                    shell_quote(&f.name),
                    shell_quote(&s.name),
                    s.platform
                ),
                None => format!("mutual friend add {}", shell_quote(&s.name)),
            };
            (s, linked, suggested, map, command)
        })
        .collect();
    if args.json {
        let out: Vec<_> = rows
            .iter()
            .map(|(s, linked, suggested, map, command)| {
                json!({
                    "platform": s.platform,
                    "name": s.name,
                    "messages": s.messages,
                    "is_me": s.is_me,
                    "friend": linked.map(|f| &f.name),
                    "suggested_friend": suggested.map(|f| &f.name),
                    "map": (!s.is_me && linked.is_none()).then_some(map),
                    "command": (!s.is_me && linked.is_none()).then_some(command),
                })
            })
            .collect();
        return ui::json(&out);
    }
    if rows.is_empty() {
        return ui::line("Every chat sender is linked to a friend (or is you).");
    }
    for (s, linked, suggested, map, command) in &rows {
        let who = match (s.is_me, linked) {
            (true, _) => " \u{2014} you".to_owned(),
            (false, Some(f)) => format!(" \u{2014} {}", f.name),
            (false, None) => String::new(),
        };
        ui::line(format!(
            "{} ({}, {}){who}",
            s.name,
            s.platform,
            ui::count(s.messages, "message", "messages")
        ))?;
        if !s.is_me && linked.is_none() {
            if let Some(f) = suggested {
                ui::hint(format!("  Probably {}: `{command}`", f.name))?;
            } else {
                ui::hint(format!("  A new friend: `{command}`"))?;
            }
            ui::hint(format!(
                "  (or add --map {} to the next import of their chat)",
                shell_quote(map)
            ))?;
        }
    }
    Ok(())
}
