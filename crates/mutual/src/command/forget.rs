//! `mutual forget`: remove a friend and every trace of them.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Result;
use mutual_store::{Forgotten, Scrub};

use crate::app::App;
use crate::error::bad_input;
use crate::ui;

/// Remove a friend and everything about them, leaving no trace in the file
///
/// Removes their journal entries (shared ones stay for the others, without
/// them), needs, boundaries, follow-ups, wins, thanks, parked topics,
/// agreements, prompts and reviews, their chat messages and the chats only
/// the two of you wrote in, and clears every note or text of yours that
/// mentions them. Kept chat texts that others wrote and that mention them
/// stay unless you add --also-mentions.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    friend: String,
    /// Do not ask for confirmation (what is about to go is still printed)
    #[arg(long)]
    yes: bool,
    /// Also clear kept chat texts that others wrote and that mention them
    #[arg(long)]
    also_mentions: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let mut store = app.open_read()?;
    let friend = app.friend(store.db(), &args.friend)?;
    let mut names = vec![friend.name.clone()];
    names.extend(friend.aliases.iter().map(|a| a.text.clone()));
    let (entries, messages) = store.db().footprint(friend.id)?;
    let others = store.db().others_mentions(friend.id, &names)?;
    let who = match friend.aliases.as_slice() {
        [] => friend.name.clone(),
        aliases => format!(
            "{} (also {})",
            friend.name,
            aliases
                .iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let held = format!(
        "{} and {}",
        ui::count(entries, "journal entry", "journal entries"),
        ui::count(messages, "chat message", "chat messages"),
    );
    if !args.yes && !std::io::stdin().is_terminal() {
        bad_input!(
            "forgetting {who} ({held}, and everything else about them) cannot be undone; add --yes to confirm"
        );
    }
    ui::line(format!(
        "About to forget {who}: {held}, everything else about them, and your own notes and texts that mention them."
    ))?;
    if others > 0 {
        let verb = if args.also_mentions {
            "they are cleared too"
        } else {
            "they stay unless you add --also-mentions"
        };
        ui::line(format!(
            "Others wrote {} that {} them; {verb}.",
            ui::count(others, "kept chat message", "kept chat messages"),
            if others == 1 { "mentions" } else { "mention" }
        ))?;
    }
    if !args.yes {
        let mut out = ui::stdout();
        write!(out, "This cannot be undone. Type their name to confirm: ")?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if answer.trim() != friend.name {
            bad_input!("the name did not match; nothing was removed");
        }
    }
    let (done, scrub) = mutual_app::services::forget(app, &mut store, friend.id, &names, args.also_mentions)?;
    ui::done(format!("Forgot {}. {}", friend.name, removed(&done)))?;
    match scrub {
        Scrub::Complete => ui::line("  No trace of them is left in the database file.")?,
        Scrub::Pending => ui::line(
            "  Another program is reading the database right now, so some of the old bytes stay in the file until it lets go; mutual finishes wiping them the next time it opens the database.",
        )?,
    }
    let backups = mutual_store::backups_of(store.path());
    if !backups.is_empty() {
        ui::hint(format!(
            "  Older backups still hold earlier data: {}. Delete them if you want no copy left.",
            backups
                .iter()
                .map(|b| b.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
    }
    Ok(())
}

/// What went, in words.
fn removed(done: &Forgotten) -> String {
    let gone: Vec<String> = [
        (done.entries, "journal entry", "journal entries"),
        (done.records, "other record", "other records"),
        (done.messages, "chat message", "chat messages"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| ui::count(n, one, many))
    .collect();
    let mut parts = vec![match gone.as_slice() {
        [] => "Removed their name and aliases".to_owned(),
        [one] => format!("Removed {one}"),
        [rest @ .., last] => format!("Removed {} and {last}", rest.join(", ")),
    }];
    if done.shared_entries > 0 {
        parts.push(format!(
            "{} shared with others {} for them",
            ui::count(done.shared_entries, "entry", "entries"),
            if done.shared_entries == 1 { "stays" } else { "stay" }
        ));
    }
    if done.my_mentions > 0 {
        parts.push(format!(
            "cleared {} of yours that mentioned them",
            ui::count(done.my_mentions, "note or text", "notes and texts")
        ));
    }
    if done.others_mentions > 0 {
        let verb = if done.others_mentions == 1 {
            "mentions"
        } else {
            "mention"
        };
        parts.push(if done.others_cleared {
            format!(
                "cleared {} by others that mentioned them",
                ui::count(done.others_mentions, "kept chat text", "kept chat texts")
            )
        } else {
            format!(
                "left {} by others that {verb} them",
                ui::count(done.others_mentions, "kept chat text", "kept chat texts")
            )
        });
    }
    format!("{}.", parts.join("; "))
}
