//! Opening the database: file permissions, encryption, pragmas, migrations.

use std::fs::{self, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
/// mutual database means SQLCipher-encrypted.
pub fn is_encrypted(path: &Path) -> Result<bool> {
    let mut header = [0u8; 16];
    match fs::File::open(path) {
        Ok(mut file) => {
            let n = file
                .read(&mut header)
                .map_err(StoreError::io(format!("could not read {}", path.display())))?;
            Ok(n > 0 && header[..n] != PLAIN_HEADER[..n])
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::io(format!("could not open {}", path.display()))(e)),
    }
}

/// An open mutual database.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// The file held data of an older schema and was migrated; a copy of it
    /// was kept here first.
    backup: Option<PathBuf>,
}

impl Store {
    /// Opens the database at `path`, creating it (owner-only) when missing.
    /// A new database is encrypted when `passphrase` is given; an existing
    /// encrypted one needs it, a plain one ignores it.
    pub fn open(path: &Path, passphrase: Option<&Passphrase>) -> Result<Store> {
        Store::open_with(path, passphrase, MIGRATIONS)
    }

    pub(crate) fn open_with(
        path: &Path,
        passphrase: Option<&Passphrase>,
        migrations: &[Migration],
    ) -> Result<Store> {
        let exists = path.metadata().is_ok_and(|m| m.len() > 0);
        let encrypted = is_encrypted(path)?;
        if !exists {
            create_private_file(path)?;
        }
        let key = match (exists, encrypted, passphrase) {
            (true, true, None) => return Err(StoreError::Locked { path: path.into() }),
            (true, true, Some(p)) => Some(raw_key(p, &read_salt(path)?)?),
            (true, false, _) => None,
            (false, _, Some(p)) => Some(raw_key(p, &new_salt()?)?),
            (false, _, None) => None,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // SQLCipher logs decryption failures to stderr; a wrong passphrase is
        // reported once, by us.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        if let Some(key) = &key {
            conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.as_str()))?;
        }
        // The first read is where a wrong key or a foreign file shows.
        if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
            return Err(match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) if key.is_some() => {
                    StoreError::WrongPassphrase { path: path.into() }
                }
                Some(rusqlite::ErrorCode::NotADatabase) => StoreError::Foreign { path: path.into() },
                _ => e.into(),
            });
        }
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON;
             PRAGMA cache_size = -16384;
             PRAGMA mmap_size = 268435456;",
        )?;
        let mut store = Store {
            conn,
            path: path.into(),
            backup: None,
        };
        store.migrate(migrations)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the pre-migration copy went, when this open migrated the file.
    pub fn backup(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    fn user_version(&self) -> Result<u32> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self, migrations: &[Migration]) -> Result<()> {
        let known = migrations.last().map_or(0, |m| m.version);
        let found = self.user_version()?;
        let app_id: i32 = self.conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if (found == 0 && tables > 0) || (found > 0 && app_id != APPLICATION_ID) {
            return Err(StoreError::Foreign {
                path: self.path.clone(),
            });
        }
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let found: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for m in migrations.iter().filter(|m| m.version > found) {
            tx.execute_batch(m.sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", m.version))?;
        }
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
        tx.commit()?;
        Ok(())
    }

    /// Copies the file, as it is on disk, beside itself before a migration.
    fn copy_to_backup(&self, version: u32) -> Result<PathBuf> {
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
        let backup = sibling(&self.path, &format!(".v{version}-{stamp}.bak"));
        create_private_file(&backup)?;
        fs::copy(&self.path, &backup).map_err(StoreError::io(format!(
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

    /// Rebuilds the file so that no freed page keeps old bytes.
    pub fn compact(&self) -> Result<()> {
        self.conn
            .execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Re-encrypts the database with `new` (or decrypts it when `None`),
    /// replacing the file. Other processes should not hold it open.
    pub fn rekey(self, new: Option<&Passphrase>) -> Result<()> {
        let target = sibling(&self.path, ".rekey");
        let _ = fs::remove_file(&target);
        create_private_file(&target)?;
        let key = match new {
            Some(p) => Zeroizing::new(format!("x'{}'", raw_key(p, &new_salt()?)?.as_str())),
            None => Zeroizing::new(String::new()),
        };
        let version = self.user_version()?;
        let result = (|| -> Result<()> {
            self.conn.execute(
                "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
                rusqlite::params![target.to_string_lossy(), key.as_str()],
            )?;
            self.conn
                .query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))?;
            self.conn.execute_batch(&format!(
                "PRAGMA rekeyed.user_version = {version}; PRAGMA rekeyed.application_id = {APPLICATION_ID}; DETACH DATABASE rekeyed;"
            ))?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&target);
            return Err(e);
        }
        let path = self.path.clone();
        drop(self);
        fs::rename(&target, &path)
            .map_err(StoreError::io(format!("could not replace {}", path.display())))?;
        for suffix in ["-wal", "-shm"] {
            let _ = fs::remove_file(sibling(&path, suffix));
        }
        Ok(())
    }
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
        let store = Store::open_with(&path, None, &[M1]).unwrap();
        store
            .conn
            .execute("INSERT INTO note VALUES ('kept')", [])
            .unwrap();
        drop(store);

        let store = Store::open_with(&path, None, &[M1, M2]).unwrap();
        assert_eq!(store.user_version().unwrap(), 2);
        let mood: i64 = store
            .conn
            .query_row("SELECT mood FROM note", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mood, 0);
        let backup = store.backup().expect("a backup was taken").to_owned();
        assert_eq!(backup.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        let old = Store::open_with(&backup, None, &[M1]).unwrap();
        assert_eq!(old.user_version().unwrap(), 1);
        assert_eq!(count(&old, "note"), 1);
    }

    #[test]
    fn newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        drop(Store::open_with(&path, None, &[M1, M2]).unwrap());
        let err = Store::open_with(&path, None, &[M1]).unwrap_err();
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
