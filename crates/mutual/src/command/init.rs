//! `mutual init`: create the database, optionally encrypted.

use anyhow::Result;
use mutual_store::Store;

use crate::app::App;
use crate::error::bad_input;
use crate::ui;

/// Create your database (optionally encrypted with a passphrase)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Encrypt the database with a passphrase (SQLCipher, key derived with argon2id)
    #[arg(long)]
    encrypt: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let path = app.db_path()?;
    if path.metadata().is_ok_and(|m| m.len() > 0) {
        bad_input!(
            "{} already exists; nothing was changed (to encrypt it, use `mutual rekey`)",
            path.display()
        );
    }
    let passphrase = if args.encrypt {
        Some(app.new_passphrase()?)
    } else {
        None
    };
    let store = Store::open(&path, passphrase.as_ref())?;
    let how = if args.encrypt { "an encrypted" } else { "a" };
    ui::done(format!("Created {how} database at {}", store.path().display()))?;
    ui::hint("Next: mutual friend add \"Sam\" --every 14")?;
    Ok(())
}
