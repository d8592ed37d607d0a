//! `mutual forget`: remove a friend and every trace of them.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Result;

use crate::app::App;
use crate::error::bad_input;
use crate::ui;

/// Remove a friend and everything about them, leaving no trace in the file
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    friend: String,
    /// Do not ask for confirmation
    #[arg(long)]
    yes: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let mut store = app.open()?;
    let friend = app.friend(store.db(), &args.friend)?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            bad_input!(
                "forgetting {} cannot be undone; add --yes to confirm",
                friend.name
            );
        }
        let mut out = ui::stdout();
        write!(
            out,
            "This removes {} and everything about them, for good. Type their name to confirm: ",
            friend.name
        )?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if answer.trim() != friend.name {
            bad_input!("the name did not match; nothing was removed");
        }
    }
    let mut names = vec![friend.name.clone()];
    names.extend(friend.aliases.iter().map(|a| a.text.clone()));
    store.write(|tx| tx.forget_friend(friend.id, &names))?;
    store.compact()?;
    ui::done(format!("Forgot {} and everything about them.", friend.name))?;
    let backups = backups_beside(store.path());
    if !backups.is_empty() {
        ui::hint(format!(
            "Older backups still hold earlier data: {}. Delete them if you want no copy left.",
            backups.join(", ")
        ))?;
    }
    Ok(())
}

/// Backups that migrations left next to the database.
fn backups_beside(path: &std::path::Path) -> Vec<String> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with(name) && f.ends_with(".bak"))
        .map(|f| dir.join(f).display().to_string())
        .collect()
}
