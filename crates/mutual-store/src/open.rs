//! Opening the database: file permissions, encryption, pragmas, migrations.

use std::fs::{self, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use zeroize::Zeroizing;

use crate::error::{Result, StoreError};
use crate::schema::{APPLICATION_ID, MIGRATIONS, Migration};

/// The first bytes of every unencrypted SQLite file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";
/// SQLCipher keeps its key-derivation salt in the file's first 16 bytes.
const SALT_LEN: usize = 16;
/// How long a writer waits for another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A passphrase, wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: String) -> Passphrase {
        Passphrase(Zeroizing::new(text))
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// Whether the file at `path` exists and is not plain SQLite, which for a
/// mutual database means SQLCipher-encrypted. Anything at `path` that is not
/// a regular file is refused before it is opened.
pub fn is_encrypted(path: &Path) -> Result<bool> {
    if regular_file(path)?.is_none() {
        return Ok(false);
    }
    let mut header = [0u8; 16];
    let mut file =
        fs::File::open(path).map_err(StoreError::io(format!("could not open {}", path.display())))?;
    let n = file
        .read(&mut header)
        .map_err(StoreError::io(format!("could not read {}", path.display())))?;
    Ok(n > 0 && header[..n] != PLAIN_HEADER[..n])
}

/// The metadata of the regular file at `path`, `None` when nothing is
/// there; a directory, device, FIFO or socket is refused.
fn regular_file(path: &Path) -> Result<Option<fs::Metadata>> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(Some(meta)),
        Ok(meta) => Err(StoreError::NotAFile {
            path: path.into(),
            what: file_kind(&meta.file_type()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(format!("could not look at {}", path.display()))(e)),
    }
}

fn file_kind(kind: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Which file this is, to notice when another one took its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).ok().map(|m| FileId {
            dev: m.dev(),
            ino: m.ino(),
        })
    }
}

/// A check, usable while the connection is borrowed, that the file at a
/// path is still the one a store opened.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FileCheck<'a> {
    pub(crate) path: &'a Path,
    pub(crate) file: FileId,
}

impl FileCheck<'_> {
    pub(crate) fn check(self) -> Result<()> {
        if FileId::of(self.path) == Some(self.file) {
            Ok(())
        } else {
            Err(StoreError::Replaced {
                path: self.path.to_owned(),
            })
        }
    }
}

/// What a command means to do with the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read and write; a missing database is created.
    Write,
    /// Mostly read: the database must exist, and a file without write
    /// permission is opened read-only.
    Read,
}

/// An open mutual database.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    /// The file this connection reads; a write checks it still has the name.
    pub(crate) file: FileId,
    read_only: bool,
    /// The file held data of an older schema and was migrated; a copy of it
    /// was kept here first.
    backup: Option<PathBuf>,
}

/// How a scrub went: complete, or waiting for another reader to let go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scrub {
    /// No freed page holds old bytes, in the file or its write-ahead log.
    Complete,
    /// Another process is still reading an older state of the file, so some
    /// old bytes stay until it lets go; the next open finishes the scrub.
    Pending,
}

/// The `meta` key that marks a scrub still to finish (see [`Store::scrub`]),
/// and its value once only the checkpoint is left to do.
const SCRUB_PENDING: &str = "scrub_pending";
const SCRUB_CHECKPOINT: &str = "checkpoint";

/// Another connection holds the lock this one waited for.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

impl Store {
    /// Opens the database at `path`, creating it (owner-only) when missing.
    /// A new database is encrypted when `passphrase` is given; an existing
    /// encrypted one needs it, a plain one ignores it.
    pub fn open(path: &Path, passphrase: Option<&Passphrase>) -> Result<Store> {
        Store::open_as(path, passphrase, Access::Write)
    }

    /// Opens the database at `path` for `access`.
    pub fn open_as(path: &Path, passphrase: Option<&Passphrase>, access: Access) -> Result<Store> {
        Store::open_with(path, passphrase, access, MIGRATIONS)
    }

    pub(crate) fn open_with(
        path: &Path,
        passphrase: Option<&Passphrase>,
        access: Access,
        migrations: &[Migration],
    ) -> Result<Store> {
        // A file replaced while this open waited (`rekey`) is opened again.
        for _ in 0..3 {
            if let Some(store) = Store::try_open(path, passphrase, access, migrations)? {
                return Ok(store);
            }
        }
        Err(StoreError::Busy { path: path.into() })
    }

    /// Opens, or `None` when the file at `path` was replaced during the open.
    fn try_open(
        path: &Path,
        passphrase: Option<&Passphrase>,
        access: Access,
        migrations: &[Migration],
    ) -> Result<Option<Store>> {
        let meta = regular_file(path)?;
        // SQLite's own files beside it too: a pipe there would hang the open.
        for suffix in ["-journal", "-wal", "-shm"] {
            regular_file(&sibling(path, suffix))?;
        }
        let exists = meta.as_ref().is_some_and(|m| m.len() > 0);
        if meta.is_none() && access == Access::Read {
            return Err(StoreError::Missing { path: path.into() });
        }
        // Permission bits say whether the owner means the file to change
        // (even for root, who could write it anyway).
        let read_only = meta.as_ref().is_some_and(|m| m.permissions().readonly());
        if read_only && access == Access::Write {
            return Err(StoreError::ReadOnly { path: path.into() });
        }
        let encrypted = is_encrypted(path)?;
        if !exists {
            create_private_file(path)?;
        }
        let key = match (exists, encrypted, passphrase) {
            (true, true, None) => return Err(locked(path)),
            (true, true, Some(p)) => Some(raw_key(p, &read_salt(path)?)?),
            (true, false, _) => None,
            (false, _, Some(p)) => Some(raw_key(p, &new_salt()?)?),
            (false, _, None) => None,
        };
        let Some(file) = FileId::of(path) else {
            return Ok(None);
        };
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(path, flags)?;
        // Until the file shows it is ours, closing merges nothing into it:
        // another application's log stays its own.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        // SQLCipher logs decryption failures to stderr; a wrong passphrase is
        // reported once, by us.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        if let Some(key) = &key {
            conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.as_str()))?;
        }
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The first read is where a wrong key or a foreign file shows. It
        // waits while another process holds the file to itself (`rekey`).
        let ours = conn.query_row(
            "SELECT (SELECT count(*) FROM sqlite_master), application_id, user_version
               FROM pragma_application_id, pragma_user_version",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i32>(1)?, r.get::<_, u32>(2)?)),
        );
        let (tables, app_id, version) = match ours {
            Ok(found) => found,
            Err(e) => {
                return Err(match e.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::NotADatabase) if key.is_some() => {
                        drop(conn);
                        tidy_unopened(path);
                        StoreError::WrongPassphrase { path: path.into() }
                    }
                    Some(rusqlite::ErrorCode::NotADatabase) => StoreError::Foreign { path: path.into() },
                    Some(rusqlite::ErrorCode::DatabaseBusy) => StoreError::Busy { path: path.into() },
                    _ => e.into(),
                });
            }
        };
        if FileId::of(path) != Some(file) {
            return Ok(None);
        }
        // Another application's file is refused before anything in it changes.
        if (version == 0 && tables > 0) || (version > 0 && app_id != APPLICATION_ID) {
            return Err(StoreError::Foreign { path: path.into() });
        }
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
        let mut store = Store {
            conn,
            path: path.into(),
            file,
            read_only,
            backup: None,
        };
        if read_only {
            store.conn.execute_batch("PRAGMA query_only = ON;")?;
            let known = migrations.last().map_or(0, |m| m.version);
            if version != known {
                return Err(if version > known {
                    StoreError::TooNew {
                        path: path.into(),
                        found: version,
                        known,
                    }
                } else {
                    StoreError::ReadOnly { path: path.into() }
                });
            }
            return Ok(Some(store));
        }
        store.conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON;
             PRAGMA cache_size = -16384;
             PRAGMA mmap_size = 268435456;",
        )?;
        // Nobody else holds the file to itself now, so a `.rekey` beside it
        // is what an interrupted rekey left (perhaps in the clear).
        clear_rekey_leftovers(path);
        store.migrate(migrations)?;
        // Finishing a scrub is owed, but it must not stop the command that
        // opened the file: what it cannot finish now, it finishes later.
        if store.db().meta(SCRUB_PENDING)?.is_some() {
            let _ = store.scrub();
        }
        Ok(Some(store))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file was opened read-only (it has no write permission).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Where the pre-migration copy went, when this open migrated the file.
    pub fn backup(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    /// Fails when the file at this store's path is no longer the one it
    /// opened: another process replaced it (`rekey`) or removed it.
    pub(crate) fn check_file(&self) -> Result<()> {
        FileCheck {
            path: &self.path,
            file: self.file,
        }
        .check()
    }

    pub(crate) fn check_writable(&self) -> Result<()> {
        if self.read_only {
            Err(StoreError::ReadOnly {
                path: self.path.clone(),
            })
        } else {
            Ok(())
        }
    }

    fn user_version(&self) -> Result<u32> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self, migrations: &[Migration]) -> Result<()> {
        let known = migrations.last().map_or(0, |m| m.version);
        let found = self.user_version()?;
        if found > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        if found == known {
            return Ok(());
        }
        if found > 0 {
            self.backup = Some(self.copy_to_backup(found)?);
        }
        let file = FileCheck {
            path: &self.path,
            file: self.file,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        file.check()?;
        // Another process may have migrated while we waited for the lock.
        let found: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for m in migrations.iter().filter(|m| m.version > found) {
            tx.execute_batch(m.sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", m.version))?;
        }
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
        tx.commit()?;
        if found > 0 {
            // A migration may rebuild a table; give the old pages back.
            self.conn.execute_batch("VACUUM;")?;
        }
        Ok(())
    }

    /// Copies the file, as it is on disk, beside itself before a migration.
    fn copy_to_backup(&self, version: u32) -> Result<PathBuf> {
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
        let backup = sibling(&self.path, &format!(".v{version}-{stamp}.bak"));
        create_private_file(&backup)?;
        // The bytes only: `fs::copy` would give the copy the database's mode.
        let copied = (|| -> std::io::Result<()> {
            let mut from = fs::File::open(&self.path)?;
            let mut to = OpenOptions::new().write(true).truncate(true).open(&backup)?;
            std::io::copy(&mut from, &mut to)?;
            to.sync_all()
        })();
        copied.map_err(StoreError::io(format!(
            "could not back up to {}",
            backup.display()
        )))?;
        Ok(backup)
    }

    /// Folds the write-ahead log into the main file and empties it.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Whether every frame of the write-ahead log is in the main file and
    /// the log is empty; `false` while another process reads an older state.
    fn checkpoint_complete(&self) -> Result<bool> {
        let (busy, log, done): (i64, i64, i64) =
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        Ok(busy == 0 && log == done)
    }

    /// Rebuilds the file so that no freed page keeps old bytes, in the file
    /// or its write-ahead log. Writes done before it ask for it with
    /// [`Tx::ask_scrub`]; until it completes, every open tries again. It
    /// goes in two steps, each remembered: `VACUUM` writes a clean copy
    /// into the log (it waits for another writer, but not for readers), and
    /// a truncating checkpoint moves it over the old pages (once no reader
    /// needs those any more); a later try takes up the step still to do.
    pub fn scrub(&mut self) -> Result<Scrub> {
        self.check_writable()?;
        let asked = self.db().meta(SCRUB_PENDING)?;
        if asked.as_deref() != Some(SCRUB_CHECKPOINT) {
            match self.conn.execute_batch("VACUUM;") {
                Ok(()) => {}
                Err(e) if is_busy(&e) => return Ok(Scrub::Pending),
                Err(e) => return Err(e.into()),
            }
            if asked.is_some() {
                self.write(|tx| tx.set_meta(SCRUB_PENDING, SCRUB_CHECKPOINT))?;
            }
        }
        // A reader of an older state keeps old pages alive; do not keep the
        // user waiting long for it.
        self.conn.busy_timeout(SCRUB_WAIT)?;
        let complete = self.checkpoint_complete();
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        match complete {
            Ok(true) => {}
            Ok(false) => return Ok(Scrub::Pending),
            Err(StoreError::Sqlite(e)) if is_busy(&e) => return Ok(Scrub::Pending),
            Err(e) => return Err(e),
        }
        if self.db().meta(SCRUB_PENDING)?.is_some() {
            self.write(|tx| tx.delete_meta(SCRUB_PENDING))?;
            // Only the page that held the mark changes here.
            let _ = self.checkpoint_complete();
        }
        Ok(Scrub::Complete)
    }

    /// Re-encrypts the database with `new` (or decrypts it when `None`),
    /// replacing the file. It holds the file to itself from start to end:
    /// it waits (up to the busy timeout) for every other process to close
    /// it, and keeps others out until the new file has taken its name.
    pub fn rekey(self, new: Option<&Passphrase>) -> Result<()> {
        self.check_writable()?;
        let held = self
            .conn
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
        if let Err(e) = held {
            let _ = self.conn.execute_batch("ROLLBACK;");
            return Err(if is_busy(&e) {
                StoreError::InUse { path: self.path }
            } else {
                e.into()
            });
        }
        self.check_file()?;
        // Another writer may have changed the schema (a forget's VACUUM)
        // between this open and the lock: read it again before the export,
        // which would otherwise stop at the stale one.
        self.conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
        let target = sibling(&self.path, REKEY_SUFFIX);
        export_to(&self.conn, &target, new)?;
        // The old write-ahead log must be gone before the new file takes the
        // name, or the next open would read it into the new file.
        let replaced = (|| -> Result<()> {
            self.conn
                .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
            fs::rename(&target, &self.path).map_err(StoreError::io(format!(
                "could not replace {}",
                self.path.display()
            )))
        })();
        if let Err(e) = replaced {
            let _ = fs::remove_file(&target);
            return Err(e);
        }
        for suffix in ["-wal", "-shm"] {
            let _ = fs::remove_file(sibling(&self.path, suffix));
        }
        Ok(())
    }
}

impl Store {
    /// Removes the database file (and its log) when nothing was ever
    /// stored in it, holding it to itself meanwhile, so that no other
    /// process's write goes with it. Returns whether it was removed.
    pub fn remove_if_empty(self) -> Result<bool> {
        let held = self
            .conn
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
        if held.is_err() || self.check_file().is_err() {
            return Ok(false);
        }
        let stored: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM friend) + (SELECT count(*) FROM interaction)
                  + (SELECT count(*) FROM message) + (SELECT count(*) FROM chat)",
            [],
            |r| r.get(0),
        )?;
        if stored > 0 {
            return Ok(false);
        }
        self.conn
            .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        fs::remove_file(&self.path).map_err(StoreError::io(format!(
            "could not remove {}",
            self.path.display()
        )))?;
        for suffix in ["-wal", "-shm"] {
            let _ = fs::remove_file(sibling(&self.path, suffix));
        }
        Ok(true)
    }
}

/// What an interrupted rekey leaves beside the database.
const REKEY_SUFFIX: &str = ".rekey";

/// Removes what an interrupted rekey left beside the database: the new
/// file (in the clear after `--decrypt`) and SQLite's files beside it.
fn clear_rekey_leftovers(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = fs::remove_file(sibling(path, &format!("{REKEY_SUFFIX}{suffix}")));
    }
}

/// The error for an encrypted database asked for without its passphrase,
/// after clearing what an interrupted rekey left beside it: a database
/// that cannot be opened still leaves nothing in the clear.
pub fn locked(path: &Path) -> StoreError {
    tidy_unopened(path);
    StoreError::Locked { path: path.into() }
}

/// Clears an interrupted rekey's leftovers beside a database this process
/// cannot open, unless a rekey is running now.
fn tidy_unopened(path: &Path) {
    if !held_by_another(path) {
        clear_rekey_leftovers(path);
    }
}

/// Whether another process holds the file to itself (a rekey running now),
/// asked without a key and without waiting: a read that gets as far as
/// finding the file unreadable held no lock against anyone.
fn held_by_another(path: &Path) -> bool {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(path, flags) else {
        return true;
    };
    let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
    let read = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0));
    !matches!(
        read.map_err(|e| e.sqlite_error_code()),
        Err(Some(rusqlite::ErrorCode::NotADatabase))
    )
}
/// How long a scrub waits for readers of an older state to let go.
const SCRUB_WAIT: Duration = Duration::from_secs(2);

/// Writes everything `conn` holds into a new file at `target`, encrypted
/// with `new` (or in the clear), keeping the schema version and our mark.
fn export_to(conn: &Connection, target: &Path, new: Option<&Passphrase>) -> Result<()> {
    let _ = fs::remove_file(target);
    create_private_file(target)?;
    let key = match new {
        Some(p) => Zeroizing::new(format!("x'{}'", raw_key(p, &new_salt()?)?.as_str())),
        None => Zeroizing::new(String::new()),
    };
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let result = (|| -> Result<()> {
        conn.execute(
            "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
            rusqlite::params![target.to_string_lossy(), key.as_str()],
        )?;
        let exported = conn
            .query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))
            .and_then(|()| {
                conn.execute_batch(&format!(
                    "PRAGMA rekeyed.user_version = {version}; PRAGMA rekeyed.application_id = {APPLICATION_ID};"
                ))
            });
        let detached = conn.execute_batch("DETACH DATABASE rekeyed;");
        exported?;
        detached?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(target);
    }
    result
}

/// Re-encrypts (or decrypts, with `new` = `None`) a copy of a database
/// that no process has open, such as a migration backup, opened with `old`
/// (or in the clear). The copy keeps its own schema version.
pub fn rekey_copy(path: &Path, old: Option<&Passphrase>, new: Option<&Passphrase>) -> Result<()> {
    if regular_file(path)?.is_none() {
        return Err(StoreError::Missing { path: path.into() });
    }
    let key = match old {
        Some(p) if is_encrypted(path)? => Some(raw_key(p, &read_salt(path)?)?),
        _ => None,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    if let Some(key) = &key {
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.as_str()))?;
    }
    let app_id = conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0));
    match app_id {
        Ok(APPLICATION_ID) => {}
        Ok(_) => return Err(StoreError::Foreign { path: path.into() }),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(StoreError::WrongPassphrase { path: path.into() });
        }
        Err(e) => return Err(e.into()),
    }
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")?;
    let target = sibling(path, REKEY_SUFFIX);
    export_to(&conn, &target, new)?;
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    fs::rename(&target, path).map_err(StoreError::io(format!("could not replace {}", path.display())))?;
    drop(conn);
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(sibling(path, suffix));
    }
    Ok(())
}

/// The migration backups beside the database at `path`
/// (`<name>.v<N>-<stamp>.bak`), oldest first.
pub fn backups_of(path: &Path) -> Vec<PathBuf> {
    let (Some(name), dir) = (path.file_name().and_then(|n| n.to_str()), path.parent()) else {
        return Vec::new();
    };
    let dir = match dir {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let prefix = format!("{name}.v");
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|f| f.starts_with(&prefix) && f.ends_with(".bak"))
        })
        .map(|e| dir.join(e.file_name()))
        .collect();
    found.sort();
    found
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates an empty file readable and writable by its owner only (and its
/// directory, owner-only, when missing). SQLite gives its -wal and -shm
/// files the same permissions as the database file.
fn create_private_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        fs::create_dir_all(dir).map_err(StoreError::io(format!("could not create {}", dir.display())))?;
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    }
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(StoreError::io(format!("could not create {}", path.display())))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
        .map_err(StoreError::io(format!("could not protect {}", path.display())))
}

fn read_salt(path: &Path) -> Result<[u8; SALT_LEN]> {
    let mut salt = [0u8; SALT_LEN];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut salt))
        .map_err(|_| StoreError::WrongPassphrase { path: path.into() })?;
    Ok(salt)
}

fn new_salt() -> Result<[u8; SALT_LEN]> {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Kdf(e.to_string()))?;
    Ok(salt)
}

/// The SQLCipher raw key for `passphrase`: 32 bytes from argon2id over the
/// file's salt, followed by the salt itself, as hex. Giving SQLCipher the key
/// raw skips its own PBKDF2; giving it the salt keeps it in the file header,
/// where the next open finds it.
fn raw_key(passphrase: &Passphrase, salt: &[u8; SALT_LEN]) -> Result<Zeroizing<String>> {
    // OWASP's argon2id baseline: 19 MiB, two passes, one lane.
    let params =
        argon2::Params::new(19 * 1024, 2, 1, Some(32)).map_err(|e| StoreError::Kdf(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| StoreError::Kdf(e.to_string()))?;
    let mut hex = Zeroizing::new(String::with_capacity(96));
    for byte in key.iter().chain(salt) {
        use std::fmt::Write;
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(s: &str) -> Passphrase {
        Passphrase::new(s.to_owned())
    }

    fn count(store: &Store, table: &str) -> i64 {
        store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn new_database_is_private_wal_and_ours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/mutual.db");
        let store = Store::open(&path, None).unwrap();
        assert_eq!(path.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let id: i32 = store
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
        assert!(!is_encrypted(&path).unwrap());
        drop(store);
        assert!(Store::open(&path, None).unwrap().backup().is_none());
    }

    #[test]
    fn encrypted_database_needs_the_right_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.db");
        let store = Store::open(&path, Some(&pass("correct horse"))).unwrap();
        store
            .conn
            .execute("INSERT INTO meta VALUES ('k', 'a private value')", [])
            .unwrap();
        store.checkpoint().unwrap();
        drop(store);
        assert!(is_encrypted(&path).unwrap());
        let bytes = fs::read(&path).unwrap();
        assert!(!bytes.windows(15).any(|w| w == b"a private value"));

        assert!(matches!(Store::open(&path, None), Err(StoreError::Locked { .. })));
        assert!(matches!(
            Store::open(&path, Some(&pass("wrong"))),
            Err(StoreError::WrongPassphrase { .. })
        ));
        let store = Store::open(&path, Some(&pass("correct horse"))).unwrap();
        assert_eq!(count(&store, "meta"), 1);
    }

    #[test]
    fn rekey_changes_the_passphrase_and_can_encrypt_or_decrypt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let store = Store::open(&path, None).unwrap();
        store
            .conn
            .execute("INSERT INTO meta VALUES ('k', 'v')", [])
            .unwrap();
        store.rekey(Some(&pass("one"))).unwrap();
        assert!(is_encrypted(&path).unwrap());
        assert_eq!(path.metadata().unwrap().permissions().mode() & 0o777, 0o600);

        Store::open(&path, Some(&pass("one")))
            .unwrap()
            .rekey(Some(&pass("two")))
            .unwrap();
        assert!(matches!(
            Store::open(&path, Some(&pass("one"))),
            Err(StoreError::WrongPassphrase { .. })
        ));
        let store = Store::open(&path, Some(&pass("two"))).unwrap();
        assert_eq!(count(&store, "meta"), 1);
        store.rekey(None).unwrap();
        assert!(!is_encrypted(&path).unwrap());
        assert_eq!(count(&Store::open(&path, None).unwrap(), "meta"), 1);
    }

    #[test]
    fn a_store_whose_file_was_replaced_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut store = Store::open(&path, None).unwrap();
        let other = dir.path().join("other.db");
        drop(Store::open(&other, None).unwrap());
        fs::rename(&other, &path).unwrap();
        let wrote = store.write(|tx| tx.set_meta("k", "lost"));
        assert!(matches!(wrote, Err(StoreError::Replaced { .. })), "{wrote:?}");
        let fresh = Store::open(&path, None).unwrap();
        assert_eq!(fresh.db().meta("k").unwrap(), None);
    }

    #[test]
    fn rekey_waits_for_others_to_close_the_file_or_says_it_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        drop(Store::open(&path, None).unwrap());
        let reader = Store::open(&path, None).unwrap();
        assert_eq!(reader.db().meta("k").unwrap(), None);
        let store = Store::open(&path, None).unwrap();
        store.conn.busy_timeout(Duration::from_millis(200)).unwrap();
        assert!(matches!(
            store.rekey(Some(&pass("p"))),
            Err(StoreError::InUse { .. })
        ));
        assert!(!is_encrypted(&path).unwrap(), "nothing changed");
        drop(reader);
        Store::open(&path, None).unwrap().rekey(Some(&pass("p"))).unwrap();
        assert!(is_encrypted(&path).unwrap());
        assert!(!sibling(&path, "-wal").exists() || fs::metadata(sibling(&path, "-wal")).unwrap().len() == 0);
    }

    #[test]
    fn a_scrub_waits_for_a_reader_and_remembers_the_step_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut store = Store::open(&path, None).unwrap();
        store
            .write(|tx| {
                tx.set_meta("secret", "marmalade")?;
                tx.delete_meta("secret")?;
                tx.ask_scrub()
            })
            .unwrap();
        let reader = Connection::open(&path).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        reader
            .query_row("SELECT count(*) FROM meta", [], |r| r.get::<_, i64>(0))
            .unwrap();
        assert_eq!(store.scrub().unwrap(), Scrub::Pending);
        assert_eq!(
            store.db().meta(SCRUB_PENDING).unwrap().as_deref(),
            Some(SCRUB_CHECKPOINT)
        );
        drop(reader);
        assert_eq!(store.scrub().unwrap(), Scrub::Complete);
        assert_eq!(store.db().meta(SCRUB_PENDING).unwrap(), None);
    }

    const M1: Migration = Migration {
        version: 1,
        sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE note (text TEXT);",
    };
    const M2: Migration = Migration {
        version: 2,
        sql: "ALTER TABLE note ADD COLUMN mood INTEGER NOT NULL DEFAULT 0;",
    };

    #[test]
    fn older_database_is_backed_up_then_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let store = Store::open_with(&path, None, Access::Write, &[M1]).unwrap();
        store
            .conn
            .execute("INSERT INTO note VALUES ('kept')", [])
            .unwrap();
        drop(store);
        // A database someone made readable to others still gets a backup
        // only its owner can read.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();

        let store = Store::open_with(&path, None, Access::Write, &[M1, M2]).unwrap();
        assert_eq!(store.user_version().unwrap(), 2);
        let mood: i64 = store
            .conn
            .query_row("SELECT mood FROM note", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mood, 0);
        let backup = store.backup().expect("a backup was taken").to_owned();
        assert_eq!(backup.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        let old = Store::open_with(&backup, None, Access::Write, &[M1]).unwrap();
        assert_eq!(old.user_version().unwrap(), 1);
        assert_eq!(count(&old, "note"), 1);
    }

    #[test]
    fn newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        drop(Store::open_with(&path, None, Access::Write, &[M1, M2]).unwrap());
        let err = Store::open_with(&path, None, Access::Write, &[M1]).unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::TooNew {
                    found: 2,
                    known: 1,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("newer mutual"));
    }

    #[test]
    fn foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(conn);
        assert!(matches!(
            Store::open(&path, None),
            Err(StoreError::Foreign { .. })
        ));

        let text = dir.path().join("notes.txt");
        fs::write(&text, "just some text, not a database at all").unwrap();
        assert!(matches!(Store::open(&text, None), Err(StoreError::Locked { .. })));
        assert!(matches!(
            Store::open(&text, Some(&pass("x"))),
            Err(StoreError::WrongPassphrase { .. })
        ));
    }
}
