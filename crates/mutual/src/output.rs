//! Files written beside the database: the report, the demo's report and
//! chats, man pages. None may land on the database or the files that go
//! with it (however the path is spelled, or through a link), and each is
//! readable by its owner only. What an encrypted database holds, once
//! written out, is not encrypted; the user is told so.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::error::bad;

/// The files that belong to a database at `path`, by the suffix added to
/// its name, and what each is.
const COMPANIONS: [(&str, &str); 5] = [
    ("", "the database itself"),
    ("-wal", "the database's write-ahead log"),
    ("-shm", "the database's shared-memory file"),
    ("-journal", "the database's rollback journal"),
    (".rekey", "the database's re-encryption file"),
];

/// Writes `bytes` to `out`, owner-only, by way of a partial file moved into
/// place (so a failed write leaves no half file behind), after refusing an
/// `out` that is the database at `db` or one of its files.
pub(crate) fn write(out: &Path, bytes: &[u8], db: Option<&Path>) -> Result<()> {
    let partial = suffixed(out, ".partial");
    if let Some(db) = db {
        check(out, db)?;
        check(&partial, db)?;
    }
    match fs::remove_file(&partial) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(unwritable(out, &e));
        }
        _ => {}
    }
    // A fresh file: `create_new` neither follows a link nor keeps old bytes.
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .and_then(|mut file| {
            fs::set_permissions(&partial, fs::Permissions::from_mode(0o600))?;
            file.write_all(bytes)?;
            file.flush()
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(unwritable(out, &e));
    }
    fs::rename(&partial, out).with_context(|| format!("moving {} into place", out.display()))?;
    Ok(())
}

/// Creates the folder `dir` when missing, owner-only, after refusing one
/// that is the database at `db` or one of its files.
pub(crate) fn folder(dir: &Path, db: Option<&Path>) -> Result<()> {
    if let Some(db) = db {
        check(dir, db)?;
    }
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| {
        bad(format!(
            "cannot create the folder {}: {e}; expected a path where a folder can be made",
            dir.display()
        ))
    })?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .with_context(|| format!("could not make {} private", dir.display()))
}

/// Makes an existing file owner-only.
pub(crate) fn protect(file: &Path) -> Result<()> {
    fs::set_permissions(file, fs::Permissions::from_mode(0o600))
        .with_context(|| format!("could not make {} private", file.display()))
}

/// Refuses `out` when it is the database at `db`, its `-wal`, `-shm` or
/// `-journal` file, a `.rekey` leftover or a migration backup
/// (`<db>.v<N>-<stamp>.bak`): by canonical path, and by device and inode
/// where the file exists, so `./` spellings, symlinks and hard links are
/// caught too.
pub(crate) fn check(out: &Path, db: &Path) -> Result<()> {
    match clash(out, db) {
        None => Ok(()),
        Some((kind, by_name)) => Err(bad(format!(
            "{} is {kind}{}, so nothing was written; expected a file apart from the database {} and its -wal, -shm and backup files",
            out.display(),
            if by_name { "" } else { " under another name" },
            db.display()
        ))),
    }
}

/// What of the database's `out` would overwrite, if anything, and whether
/// it is that by its name (rather than by a hard link).
fn clash(out: &Path, db: &Path) -> Option<(&'static str, bool)> {
    const BACKUP: &str = "a backup of the database";
    let out_real = resolve(out);
    let out_id = file_id(out);
    let same_file = |file: &Path| out_id.is_some() && file_id(file) == out_id;
    // The database as named (it may be a link) and as it really is.
    let mut bases = vec![resolve(db)];
    if let (Some(parent), Some(name)) = (db.parent(), db.file_name()) {
        let named = resolve(parent).join(name);
        if !bases.contains(&named) {
            bases.push(named);
        }
    }
    for base in &bases {
        for (suffix, kind) in COMPANIONS {
            let file = suffixed(base, suffix);
            if file == out_real {
                return Some((kind, true));
            }
            if same_file(&file) {
                return Some((kind, false));
            }
        }
        let (Some(dir), Some(name)) = (base.parent(), base.file_name().and_then(|n| n.to_str())) else {
            continue;
        };
        let out_name = out_real.file_name().and_then(|n| n.to_str());
        if out_real.parent() == Some(dir) && out_name.is_some_and(|n| is_backup(n, name)) {
            return Some((BACKUP, true));
        }
        if out_id.is_some() {
            let backups = fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|entry| entry.file_name().to_str().is_some_and(|n| is_backup(n, name)));
            for entry in backups {
                if same_file(&entry.path()) {
                    return Some((BACKUP, false));
                }
            }
        }
    }
    None
}

/// Whether `file` is named like a migration backup of the database `db`:
/// `<db>.v<N>-<stamp>.bak`.
fn is_backup(file: &str, db: &str) -> bool {
    file.strip_prefix(db)
        .and_then(|rest| rest.strip_prefix(".v"))
        .and_then(|rest| rest.strip_suffix(".bak"))
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(version, _)| !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()))
}

/// The device and inode of the file at `path` (following links), when it
/// exists.
fn file_id(path: &Path) -> Option<(u64, u64)> {
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// `path` made absolute, with every link that exists followed and `.` and
/// `..` taken out; the part that does not exist yet is kept as written.
fn resolve(path: &Path) -> PathBuf {
    resolve_within(path, 0)
}

fn resolve_within(path: &Path, depth: u32) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => {
                out.push(other);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                } else if let Ok(target) = fs::read_link(&out) {
                    // A link to a file that is not there yet.
                    if depth < 40 {
                        let from = out.parent().map(Path::to_owned).unwrap_or_default();
                        out = resolve_within(&from.join(target), depth + 1);
                    }
                }
            }
        }
    }
    out
}

/// `path` with `suffix` added to its file name.
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn unwritable(out: &Path, e: &std::io::Error) -> anyhow::Error {
    bad(format!(
        "cannot write {}: {e}; expected a writable file path",
        out.display()
    ))
}

/// Tells the user, on standard error, that `what` holds an encrypted
/// database's contents in the clear. Says nothing for a plain database.
pub(crate) fn note_if_encrypted(db: &Path, what: &str) -> Result<()> {
    if mutual_store::is_encrypted(db)? {
        anstream::eprintln!(
            "Note: {what} is not encrypted; it holds names, needs and notes in the clear, so keep it somewhere private."
        );
    }
    Ok(())
}
