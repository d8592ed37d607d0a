//! The embedded database of `mutual`: the only crate that speaks SQL.
//!
//! [`Store::open`] creates or opens one SQLite file (owner-only permissions,
//! WAL, a busy timeout, `secure_delete`), optionally encrypted with SQLCipher
//! under a key derived by argon2id, and migrates it forward after taking a
//! backup. Reads go through [`Db`]; every write runs in one short
//! `BEGIN IMMEDIATE` transaction through [`Tx`], so that two processes
//! writing at once wait for each other instead of failing.
//!
//! The store is split by table: `friends`, `journal`, `care` (needs and
//! boundaries), `follow_ups`, `moments` (wins, gratitude, parked topics),
//! `agreements`, `prompts`, `reviews`, `checkins` (two-sided check-ins: keys
//! and both sides' answers), `messages` (imported chats), `weeks`
//! (weekly measures of the chats); `records` loads everything the model
//! needs per friend in a few sequential scans.

mod agreements;
mod care;
mod checkins;
mod error;
mod follow_ups;
mod forget;
mod friends;
mod journal;
mod key_dates;
mod messages;
mod moments;
mod open;
mod prompts;
mod records;
mod reviews;
mod schema;
mod sql;
mod weeks;

pub use checkins::{NewCheckin, Received, StoredCheckin};
pub use error::{Result, StoreError};
pub use forget::Forgotten;
pub use friends::NewFriend;
pub use journal::{JournalFilter, NewInteraction};
pub use messages::{
    IMPORT_FILE_PREFIX, MessageKey, MessageRecord, MessageWriter, NewMessage, PairMessage, SenderInfo, Span,
    StoredChat, StoredFeatures, UNREAD, Written, minute_of,
};
pub use open::{Access, Passphrase, Scrub, Store, backups_of, is_encrypted, locked, rekey_copy};
pub use reviews::NewReview;
pub use weeks::StoredWeek;

use rusqlite::{Connection, Transaction, TransactionBehavior};

/// Read access, outside or inside a write transaction.
#[derive(Clone, Copy, Debug)]
pub struct Db<'a> {
    conn: &'a Connection,
}

/// A write transaction; committed when the closure given to
/// [`Store::write`] returns `Ok`, rolled back otherwise.
#[derive(Debug)]
pub struct Tx<'a> {
    tx: Transaction<'a>,
}

impl Tx<'_> {
    /// Reads that see this transaction's writes.
    pub fn db(&self) -> Db<'_> {
        Db { conn: &self.tx }
    }
}

impl Store {
    pub fn db(&self) -> Db<'_> {
        Db { conn: &self.conn }
    }

    /// Runs `f` in one immediate transaction: it waits (up to the busy
    /// timeout) for other writers, then commits only if `f` succeeds.
    pub fn write<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        self.check_writable()?;
        let file = open::FileCheck {
            path: &self.path,
            file: self.file,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        // Holding the write lock, no rekey can replace the file any more;
        // one that did so while this waited wins, and nothing is written here.
        file.check()?;
        let tx = Tx { tx };
        let value = f(&tx)?;
        tx.tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}

impl Db<'_> {
    /// A value of the `meta` table.
    /// SQLite's `data_version` of this connection: it changes whenever
    /// another connection (in this process or another) commits, so a
    /// reader can tell that what it derived may be stale.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }
}

impl Tx<'_> {
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    pub fn delete_meta(&self, key: &str) -> Result<()> {
        self.tx.execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Asks for a scrub ([`Store::scrub`]) once this transaction commits:
    /// until one completes, every open of the file runs it again, so a
    /// process killed before it, or a reader in the way, delays it but
    /// never skips it.
    pub fn ask_scrub(&self) -> Result<()> {
        self.set_meta("scrub_pending", "vacuum")
    }

    pub(crate) fn changed(&self, what: &'static str, id: i64, rows: usize) -> Result<()> {
        if rows == 0 {
            Err(StoreError::NotFound { what, id })
        } else {
            Ok(())
        }
    }
}
