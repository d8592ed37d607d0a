//! What every command shares: where the database is, how to open it, the
//! clock, the time zone and the model's settings.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use mutual_analysis::drift::DriftConfig;
use mutual_analysis::weekly::WeekConfig;
use mutual_app::Settings;
use mutual_core::{Friend, ModelConfig};
use mutual_store::{Access, Db, Passphrase, Store, StoreError};

use crate::error::{bad, bad_input};

/// The command line's side of a run: where the database is and how its
/// passphrase is read (a file, or the terminal), over the application
/// layer's [`Settings`] (the clock, the zone, the model's knobs), which it
/// dereferences to.
#[derive(Debug)]
pub(crate) struct App {
    /// `--db`, when given.
    db_flag: Option<PathBuf>,
    passphrase_file: Option<PathBuf>,
    /// `--now` was given: the clock stands still.
    fixed_clock: bool,
    settings: Settings,
}

impl std::ops::Deref for App {
    type Target = Settings;

    fn deref(&self) -> &Settings {
        &self.settings
    }
}

impl App {
    pub(crate) fn new(
        db_flag: Option<PathBuf>,
        passphrase_file: Option<PathBuf>,
        now: Option<&str>,
        conversation_gap: Option<&str>,
    ) -> Result<App> {
        let tz = system_zone()?;
        let fixed_clock = now.is_some();
        let now = match now {
            None => Timestamp::now(),
            Some(text) => crate::when::absolute(text, &tz).ok_or_else(|| {
                bad(format!(
                    "--now '{text}' is not a time; expected e.g. 2026-11-27T09:00"
                ))
            })?,
        };
        let mut weeks = WeekConfig::default();
        if let Some(text) = conversation_gap {
            weeks.gap = text
                .parse::<jiff::SignedDuration>()
                .ok()
                .filter(|gap| {
                    *gap >= jiff::SignedDuration::from_mins(1) && *gap <= jiff::SignedDuration::from_hours(24 * 7)
                })
                .ok_or_else(|| {
                    bad(format!(
                        "--conversation-gap '{text}' is not a duration between 1 minute and 7 days; expected e.g. 3h or 90m"
                    ))
                })?;
        }
        Ok(App {
            db_flag,
            passphrase_file,
            fixed_clock,
            settings: Settings {
                now,
                tz,
                config: ModelConfig::default(),
                weeks,
                drift: DriftConfig::default(),
            },
        })
    }

    /// The same settings, on the database at `path`.
    pub(crate) fn with_db(&self, path: &Path) -> App {
        App {
            db_flag: Some(path.to_owned()),
            ..self.at(self.now)
        }
    }

    /// The same settings, evaluated as if it were `now`.
    pub(crate) fn at(&self, now: Timestamp) -> App {
        App {
            db_flag: self.db_flag.clone(),
            passphrase_file: self.passphrase_file.clone(),
            fixed_clock: self.fixed_clock,
            settings: self.settings.at(now),
        }
    }

    /// Whether `--now` fixed the moment.
    pub(crate) fn fixed_clock(&self) -> bool {
        self.fixed_clock
    }

    /// The settings, to hand to another face.
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The user's database: `--db`, else `MUTUAL_DB`, else the platform's
    /// data directory.
    pub(crate) fn db_path(&self) -> Result<PathBuf> {
        if let Some(path) = &self.db_flag {
            return Ok(path.clone());
        }
        if let Some(path) = std::env::var_os("MUTUAL_DB").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(path));
        }
        Ok(data_dir()?.join("mutual.db"))
    }

    /// Only an explicit `--db`: the demo never falls back to `MUTUAL_DB`.
    pub(crate) fn db_flag(&self) -> Option<&Path> {
        self.db_flag.as_deref()
    }

    /// Opens (creating when missing) the user's database, to write.
    pub(crate) fn open(&self) -> Result<Store> {
        let path = self.db_path()?;
        self.open_at(&path, Access::Write)
    }

    /// Opens the user's database to read: it must exist (a typo in `--db`
    /// creates nothing), and a file without write permission is read as
    /// it is.
    pub(crate) fn open_read(&self) -> Result<Store> {
        let path = self.db_path()?;
        let mut store = self.open_at(&path, Access::Read)?;
        // Once per database, as a migration: kept texts from an older
        // mutual get their features, and the weeks that read them.
        if !store.is_read_only() {
            self.upgrade(&mut store)?;
        }
        Ok(store)
    }

    /// Opens the user's database to read without asking anything (an
    /// encrypted one only with a passphrase file), for shell completion.
    pub(crate) fn open_quiet(&self) -> Result<Store> {
        let path = self.db_path()?;
        if mutual_store::is_encrypted(&path)? && self.passphrase_file.is_none() {
            return Err(mutual_store::locked(&path).into());
        }
        self.open_at(&path, Access::Read)
    }

    pub(crate) fn open_at(&self, path: &Path, access: Access) -> Result<Store> {
        Ok(self.open_keyed(path, access)?.0)
    }

    /// Opens the database at `path`, and returns the passphrase that
    /// opened it (for an encrypted one).
    pub(crate) fn open_keyed(&self, path: &Path, access: Access) -> Result<(Store, Option<Passphrase>)> {
        // A passphrase file is read whenever there is a database: the file
        // may be replaced by an encrypted one (a rekey) while this opens.
        let encrypted = mutual_store::is_encrypted(path)?;
        let passphrase = if self.passphrase_file.is_some() && path.metadata().is_ok_and(|m| m.len() > 0) {
            match self.passphrase("Passphrase") {
                Ok(p) => Some(p),
                Err(e) if encrypted => return Err(e),
                // A plain database needs none; a file that cannot be read is
                // no reason to refuse it.
                Err(_) => None,
            }
        } else if encrypted {
            if self.passphrase_file.is_none() && !std::io::stdin().is_terminal() {
                return Err(mutual_store::locked(path).into());
            }
            Some(self.passphrase("Passphrase")?)
        } else {
            None
        };
        match Store::open_as(path, passphrase.as_ref(), access) {
            Err(StoreError::Missing { path }) => bad_input!(
                "there is no mutual database at {} yet; start one with `mutual friend add NAME` or `mutual init`, or point --db or MUTUAL_DB at yours",
                path.display()
            ),
            other => Ok((other?, passphrase)),
        }
    }

    /// The passphrase from `--passphrase-file`, or asked for at the terminal.
    pub(crate) fn passphrase(&self, prompt: &str) -> Result<Passphrase> {
        match &self.passphrase_file {
            Some(path) => read_passphrase_file(path),
            None => ask_passphrase(prompt),
        }
    }

    /// A passphrase for a database being encrypted: from the file, or asked
    /// for twice at the terminal.
    pub(crate) fn new_passphrase(&self) -> Result<Passphrase> {
        match &self.passphrase_file {
            Some(path) => read_passphrase_file(path),
            None => ask_new_passphrase(),
        }
    }

    /// Finds a friend by name or alias, ignoring case.
    pub(crate) fn friend(&self, db: Db<'_>, name: &str) -> Result<Friend> {
        let friends = db.friends()?;
        find_friend(&friends, name).cloned()
    }
}

/// The friend called `name` (see [`mutual_app::friends::find_friend`]).
pub(crate) fn find_friend<'a>(friends: &'a [Friend], name: &str) -> Result<&'a Friend> {
    Ok(mutual_app::friends::find_friend(friends, name)?)
}

pub(crate) use mutual_app::friends::closest_friend;

/// The zone `TZ` names, else the system's. A `TZ` that names no zone is an
/// error, not a silent UTC: every local time would shift.
fn system_zone() -> Result<TimeZone> {
    match std::env::var_os("TZ") {
        Some(tz) if !tz.is_empty() => TimeZone::try_system().map_err(|_| {
            bad(format!(
                "TZ '{}' is not a time zone; expected an IANA name such as Europe/Berlin (or TZ unset, for the system's zone)",
                tz.to_string_lossy()
            ))
        }),
        _ => Ok(TimeZone::system()),
    }
}

/// `<data dir>/mutual`, following XDG on Linux.
pub(crate) fn data_dir() -> Result<PathBuf> {
    let base = dirs::data_dir()
        .ok_or_else(|| bad("could not find a data directory for the database; give one with --db PATH"))?;
    Ok(base.join("mutual"))
}

/// The passphrase on the first line of `path`; later lines are ignored.
/// The longest first line a passphrase file may have.
const PASSPHRASE_LINE_MAX: u64 = 64 * 1024;

/// The passphrase on the first line of `path` (a file, or a pipe such as
/// `<(pass show mutual)`), read no further than that line.
pub(crate) fn read_passphrase_file(path: &Path) -> Result<Passphrase> {
    use std::io::{BufRead, Read};
    let could_not = |e: std::io::Error| {
        bad(format!(
            "could not read the passphrase file {}: {e}",
            path.display()
        ))
    };
    let file = std::fs::File::open(path).map_err(could_not)?;
    let mut line = Vec::new();
    std::io::BufReader::new(file.take(PASSPHRASE_LINE_MAX + 1))
        .read_until(b'\n', &mut line)
        .map_err(could_not)?;
    if !line.ends_with(b"\n") && line.len() as u64 > PASSPHRASE_LINE_MAX {
        bad_input!(
            "the first line of the passphrase file {} is longer than 64 KiB; expected the passphrase on its first line",
            path.display()
        );
    }
    let Ok(text) = String::from_utf8(line) else {
        bad_input!(
            "the first line of the passphrase file {} is not UTF-8 text; expected the passphrase on its first line",
            path.display()
        );
    };
    let first = text
        .trim_start_matches('\u{feff}')
        .trim_end_matches('\n')
        .trim_end_matches('\r');
    if first.is_empty() {
        bad_input!(
            "the first line of the passphrase file {} is empty; expected the passphrase on its first line",
            path.display()
        );
    }
    Ok(Passphrase::new(first.to_owned()))
}

fn ask_passphrase(prompt: &str) -> Result<Passphrase> {
    if !std::io::stdin().is_terminal() {
        bad_input!("a passphrase is needed; give it with --passphrase-file or MUTUAL_PASSPHRASE_FILE");
    }
    let text = rpassword::prompt_password(format!("{prompt}: ")).context("could not read the passphrase")?;
    if text.is_empty() {
        bad_input!("the passphrase is empty; expected at least one character");
    }
    Ok(Passphrase::new(text))
}

/// Asks for a new passphrase twice at the terminal.
pub(crate) fn ask_new_passphrase() -> Result<Passphrase> {
    let first = ask_passphrase("New passphrase")?;
    let second = ask_passphrase("Once more")?;
    if first != second {
        bad_input!("the two passphrases differ; nothing was changed");
    }
    Ok(first)
}
