//! `mutual rekey`: change the passphrase, encrypt a plain database, or decrypt.

use std::path::PathBuf;

use anyhow::Result;

use crate::app::App;
use crate::error::bad_input;
use crate::ui;

/// Change the database passphrase (or encrypt a plain database)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Read the new passphrase from this file instead of asking
    #[arg(long, value_name = "PATH")]
    new_passphrase_file: Option<PathBuf>,
    /// Remove the encryption instead
    #[arg(long, conflicts_with = "new_passphrase_file")]
    decrypt: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let path = app.db_path()?;
    if !path.exists() {
        bad_input!(
            "there is no database at {} yet; create one with `mutual init --encrypt`",
            path.display()
        );
    }
    let was_encrypted = mutual_store::is_encrypted(&path)?;
    if args.decrypt && !was_encrypted {
        bad_input!("{} is not encrypted; nothing to decrypt", path.display());
    }
    let (store, old) = app.open_keyed(&path, mutual_store::Access::Write)?;
    let new = if args.decrypt {
        None
    } else {
        Some(match &args.new_passphrase_file {
            Some(file) => crate::app::read_passphrase_file(file)?,
            None => crate::app::ask_new_passphrase()?,
        })
    };
    store.rekey(new.as_ref())?;
    let what = match (was_encrypted, args.decrypt) {
        (_, true) => "decrypted; it is now readable without a passphrase",
        (true, false) => "re-encrypted with the new passphrase",
        (false, false) => "encrypted; keep the passphrase somewhere safe, it cannot be recovered",
    };
    ui::done(format!("{} {what}.", path.display()))?;
    backups(&path, old.as_ref(), new.as_ref(), args.decrypt)
}

/// Brings the migration backups beside the database along: each is
/// encrypted with the new passphrase (or decrypted), so that no copy in the
/// clear stays beside an encrypted database. One that opens with neither
/// passphrase is left as it is, and named.
fn backups(
    path: &std::path::Path,
    old: Option<&mutual_store::Passphrase>,
    new: Option<&mutual_store::Passphrase>,
    decrypt: bool,
) -> Result<()> {
    let mut done = Vec::new();
    let mut left = Vec::new();
    for backup in mutual_store::backups_of(path) {
        let was_encrypted = mutual_store::is_encrypted(&backup)?;
        match mutual_store::rekey_copy(&backup, old.filter(|_| was_encrypted), new) {
            Ok(()) => done.push(backup.display().to_string()),
            Err(mutual_store::StoreError::WrongPassphrase { .. }) => left.push(backup.display().to_string()),
            Err(e) => return Err(e.into()),
        }
    }
    if !done.is_empty() {
        let how = if decrypt { "Decrypted" } else { "Encrypted" };
        ui::line(format!(
            "  {how} the {} beside it the same way: {}.",
            if done.len() == 1 { "backup" } else { "backups" },
            done.join(", ")
        ))?;
    }
    if !left.is_empty() {
        ui::hint(format!(
            "  Left as they were (they open with an older passphrase): {}. Delete them if you no longer need them.",
            left.join(", ")
        ))?;
    }
    Ok(())
}
