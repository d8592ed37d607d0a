//! The dashboard's shared state: the database, the settings, who is logged
//! in, and a small pool of connections (reads never wait for a write).

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine as _;
use jiff::Timestamp;
use mutual_app::error::AppError;
use mutual_app::views::{BalanceRow, FriendProfile, Review};
use mutual_app::{Settings, Snapshot};
use mutual_store::{Access, Db, Passphrase, Store, StoreError};

use crate::error::WebError;

/// Where "now" comes from: the clock, or a fixed moment (for tests and
/// for trying things out, like the command line's `--now`).
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    Live,
    Fixed(Timestamp),
}

/// How the dashboard was started.
#[derive(Debug)]
pub struct Config {
    /// The database file.
    pub db: PathBuf,
    /// The zone and the model's settings; `now` is replaced per request
    /// unless the clock is fixed.
    pub settings: Settings,
    pub clock: Clock,
    /// The address the server is bound to, as a browser writes it in the
    /// Host header (`127.0.0.1:8080`); `localhost` with the same port is
    /// accepted too.
    pub host: String,
    /// Served beyond this computer: over TLS, and logged into with the
    /// database's passphrase (no token link).
    pub remote: bool,
}

/// Failed logins (a wrong token or passphrase) allowed per minute.
const LOGIN_ATTEMPTS_PER_MINUTE: usize = 5;

/// Read connections kept open between requests.
const READERS: usize = 4;

/// The dashboard's state, shared by every request.
#[derive(Debug)]
pub struct Web {
    config: Config,
    /// The one-time login token, until it is used.
    token: Mutex<Option<String>>,
    sessions: Mutex<HashMap<String, Session>>,
    failures: Mutex<VecDeque<Instant>>,
    encrypted: bool,
    passphrase: Mutex<Option<Passphrase>>,
    readers: Mutex<Vec<Store>>,
    writer: Mutex<Option<Store>>,
    /// Imports started from the import page, by number.
    jobs: Mutex<HashMap<u64, Arc<crate::import::Job>>>,
    /// The connection that tells whether anyone wrote since the snapshot
    /// was read (`data_version` is per connection, so always this one).
    watch: Mutex<Option<Store>>,
    /// Every friend's records, weeks and drift, with the data version and
    /// day they were read for; computed once for all waiting requests.
    snapshot: Mutex<Option<(SnapshotKey, Arc<Cached>)>>,
}

/// What a snapshot was read for: the watching connection's data version
/// and the day.
type SnapshotKey = (i64, jiff::civil::Date);

/// A snapshot and what the pages derive from it, each worked out once, on
/// first use, for as long as the snapshot holds.
#[derive(Debug)]
pub(crate) struct Cached {
    snapshot: Snapshot,
    balance: Mutex<Option<Arc<Vec<BalanceRow>>>>,
    /// The balance rows as `/api/balance` sends them.
    balance_json: Mutex<Option<Arc<Vec<u8>>>>,
    review: Mutex<Option<Arc<Review>>>,
    profiles: Mutex<HashMap<i64, Arc<FriendProfile>>>,
}

impl std::ops::Deref for Cached {
    type Target = Snapshot;

    fn deref(&self) -> &Snapshot {
        &self.snapshot
    }
}

/// The value in `slot`, or `make`'s, kept there.
fn once<T>(
    slot: &Mutex<Option<Arc<T>>>,
    make: impl FnOnce() -> Result<T, AppError>,
) -> Result<Arc<T>, AppError> {
    let mut slot = lock(slot);
    if let Some(value) = slot.as_ref() {
        return Ok(Arc::clone(value));
    }
    let value = Arc::new(make()?);
    *slot = Some(Arc::clone(&value));
    Ok(value)
}

impl Cached {
    /// Every friend's balance row (`/friends`, `/api/balance`).
    pub(crate) fn balance_rows(
        &self,
        settings: &Settings,
        db: Db<'_>,
    ) -> Result<Arc<Vec<BalanceRow>>, AppError> {
        once(&self.balance, || {
            mutual_app::views::balance_rows_with(settings, db, &self.records, &self.weeks)
        })
    }

    /// The balance rows as JSON, serialized once.
    pub(crate) fn balance_json(&self, settings: &Settings, db: Db<'_>) -> Result<Arc<Vec<u8>>, AppError> {
        let rows = self.balance_rows(settings, db)?;
        once(&self.balance_json, || {
            serde_json::to_vec(&*rows).map_err(|e| AppError::Other(e.into()))
        })
    }

    /// The week in review (`/review`).
    pub(crate) fn review(&self, settings: &Settings, db: Db<'_>) -> Result<Arc<Review>, AppError> {
        once(&self.review, || {
            mutual_app::views::review_with(
                settings,
                db,
                self.records.clone(),
                &self.drift,
                mutual_core::Period::Week,
                None,
            )
        })
    }

    /// One friend's profile (`/friends/{id}`, `/api/friends/{id}`).
    pub(crate) fn profile(
        &self,
        settings: &Settings,
        db: Db<'_>,
        id: i64,
    ) -> Result<Arc<FriendProfile>, AppError> {
        let mut profiles = lock(&self.profiles);
        if let Some(p) = profiles.get(&id) {
            return Ok(Arc::clone(p));
        }
        let p = Arc::new(mutual_app::views::friend_profile(
            settings,
            db,
            mutual_core::FriendId(id),
        )?);
        profiles.insert(id, Arc::clone(&p));
        Ok(p)
    }
}

/// A logged-in browser.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    /// The token every form of this session carries.
    pub(crate) csrf: String,
}

/// A random, URL-safe secret of 32 bytes.
pub(crate) fn secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares two secrets in time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these leaves plain data behind; go on.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Web {
    /// The state for a dashboard on `config.db`; an encrypted database
    /// waits for its passphrase on the unlock page.
    pub fn new(config: Config) -> Result<Web, WebError> {
        let encrypted = mutual_store::is_encrypted(&config.db).map_err(AppError::from)?;
        let token = (!config.remote).then(secret);
        Ok(Web {
            config,
            token: Mutex::new(token),
            sessions: Mutex::new(HashMap::new()),
            failures: Mutex::new(VecDeque::new()),
            encrypted,
            passphrase: Mutex::new(None),
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(None),
            jobs: Mutex::new(HashMap::new()),
            watch: Mutex::new(None),
            snapshot: Mutex::new(None),
        })
    }

    /// Keeps an import job; its number.
    pub(crate) fn add_job(&self, job: Arc<crate::import::Job>) -> u64 {
        let mut jobs = lock(&self.jobs);
        let id = jobs.keys().max().map_or(1, |n| n + 1);
        jobs.insert(id, job);
        id
    }

    pub(crate) fn job(&self, id: u64) -> Option<Arc<crate::import::Job>> {
        lock(&self.jobs).get(&id).cloned()
    }

    /// The address to open in a browser: with the one-time token, or (when
    /// served beyond this computer) the passphrase login page.
    pub fn login_url(&self) -> String {
        match lock(&self.token).clone() {
            Some(token) => format!("{}/login?token={token}", self.origin()),
            None => format!("{}/login", self.origin()),
        }
    }

    pub(crate) fn host(&self) -> &str {
        &self.config.host
    }

    /// `http://127.0.0.1:PORT`, or `https://ADDR:PORT` beyond this computer.
    pub(crate) fn origin(&self) -> String {
        let scheme = if self.config.remote { "https" } else { "http" };
        format!("{scheme}://{}", self.config.host)
    }

    /// Served beyond this computer: TLS and a passphrase login.
    pub(crate) fn is_remote(&self) -> bool {
        self.config.remote
    }

    /// A new session for a browser that logged in with the passphrase.
    pub(crate) fn passphrase_session(&self) -> String {
        self.new_session()
    }

    /// Whether `host` (a Host header) names this server.
    pub(crate) fn is_our_host(&self, host: &str) -> bool {
        if host == self.config.host {
            return true;
        }
        let port = self.config.host.rsplit_once(':').map(|(_, p)| p);
        match (host.rsplit_once(':'), port) {
            (Some(("localhost", p)), Some(port)) => p == port,
            _ => false,
        }
    }

    /// The settings of this moment.
    pub(crate) fn settings(&self) -> Settings {
        match self.config.clock {
            Clock::Live => self.config.settings.at(Timestamp::now()),
            Clock::Fixed(now) => self.config.settings.at(now),
        }
    }

    /// Exchanges the one-time token for a new session; `None` when the
    /// token is wrong or already used (which counts as a failed login).
    pub(crate) fn exchange(&self, token: &str) -> Option<String> {
        let mut slot = lock(&self.token);
        match slot.as_deref() {
            Some(expected) if same_secret(expected, token) => {
                *slot = None;
                drop(slot);
                Some(self.new_session())
            }
            _ => {
                self.failed_login();
                None
            }
        }
    }

    fn new_session(&self) -> String {
        let id = secret();
        lock(&self.sessions).insert(id.clone(), Session { csrf: secret() });
        id
    }

    pub(crate) fn session(&self, id: &str) -> Option<Session> {
        lock(&self.sessions).get(id).cloned()
    }

    pub(crate) fn end_session(&self, id: &str) {
        lock(&self.sessions).remove(id);
    }

    /// Whether too many logins failed in the last minute.
    pub(crate) fn login_blocked(&self) -> bool {
        let mut failures = lock(&self.failures);
        let minute_ago = Instant::now().checked_sub(Duration::from_secs(60));
        while failures.front().is_some_and(|t| Some(*t) < minute_ago) {
            failures.pop_front();
        }
        failures.len() >= LOGIN_ATTEMPTS_PER_MINUTE
    }

    pub(crate) fn failed_login(&self) {
        lock(&self.failures).push_back(Instant::now());
    }

    pub(crate) fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Whether the database waits for its passphrase.
    pub(crate) fn is_locked(&self) -> bool {
        self.encrypted && lock(&self.passphrase).is_none()
    }

    /// Tries `passphrase` on the database; keeps it when it opens.
    pub(crate) fn unlock(&self, passphrase: Passphrase) -> Result<(), WebError> {
        match Store::open_as(&self.config.db, Some(&passphrase), Access::Read) {
            Ok(store) => {
                lock(&self.readers).push(store);
                *lock(&self.passphrase) = Some(passphrase);
                Ok(())
            }
            Err(StoreError::WrongPassphrase { .. }) => {
                self.failed_login();
                Err(WebError::WrongPassphrase)
            }
            Err(e) => Err(AppError::from(e).into()),
        }
    }

    fn open(&self, access: Access) -> Result<Store, WebError> {
        if self.is_locked() {
            return Err(WebError::Locked);
        }
        let passphrase = lock(&self.passphrase).clone();
        Ok(Store::open_as(&self.config.db, passphrase.as_ref(), access).map_err(AppError::from)?)
    }

    /// Runs `f` on a read connection from the pool, off the async threads.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Settings, Db<'_>) -> Result<T, AppError> + Send + 'static,
    {
        let web = Arc::clone(self);
        blocking(move || {
            let store = lock(&web.readers).pop();
            let store = match store {
                Some(store) => store,
                None => web.open(Access::Read)?,
            };
            let out = f(&web.settings(), store.db());
            let replaced = matches!(&out, Err(AppError::Store(StoreError::Replaced { .. })));
            let mut pool = lock(&web.readers);
            if !replaced && pool.len() < READERS {
                pool.push(store);
            }
            Ok(out?)
        })
        .await
    }

    /// Every friend's records, weeks and drift, shared by all requests until
    /// someone writes (here or in another process) or the day changes; a
    /// request that finds it stale computes it once while the others wait.
    pub(crate) async fn snapshot(self: &Arc<Self>) -> Result<(Settings, Arc<Cached>), WebError> {
        let web = Arc::clone(self);
        blocking(move || {
            let settings = web.settings();
            let mut cached = lock(&web.snapshot);
            let version = {
                let mut watch = lock(&web.watch);
                if watch.is_none() {
                    *watch = Some(web.open(Access::Read)?);
                }
                let store = watch
                    .as_ref()
                    .expect("the watching connection was opened just above");
                match store.db().data_version() {
                    Ok(v) => v,
                    Err(e) => {
                        *watch = None;
                        return Err(AppError::from(e).into());
                    }
                }
            };
            let key = (version, settings.today());
            if let Some((k, snapshot)) = cached.as_ref()
                && *k == key
            {
                return Ok((settings, Arc::clone(snapshot)));
            }
            let store = lock(&web.readers).pop();
            let store = match store {
                Some(store) => store,
                None => web.open(Access::Read)?,
            };
            let snapshot = Arc::new(Cached {
                snapshot: settings.snapshot(store.db())?,
                balance: Mutex::new(None),
                balance_json: Mutex::new(None),
                review: Mutex::new(None),
                profiles: Mutex::new(HashMap::new()),
            });
            let mut pool = lock(&web.readers);
            if pool.len() < READERS {
                pool.push(store);
            }
            drop(pool);
            *cached = Some((key, Arc::clone(&snapshot)));
            Ok((settings, snapshot))
        })
        .await
    }

    /// Runs `f` on the one write connection, off the async threads.
    pub(crate) async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Settings, &mut Store) -> Result<T, AppError> + Send + 'static,
    {
        let web = Arc::clone(self);
        blocking(move || {
            let mut slot = lock(&web.writer);
            if slot.is_none() {
                *slot = Some(web.open(Access::Write)?);
            }
            let store = slot.as_mut().expect("the write connection was opened just above");
            let out = f(&web.settings(), store);
            if matches!(&out, Err(AppError::Store(StoreError::Replaced { .. }))) {
                *slot = None;
            }
            Ok(out?)
        })
        .await
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Internal(format!("a request's work stopped: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_compared_whole() {
        let (a, b) = (secret(), secret());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
        assert!(!same_secret(&a, &a[..42]));
    }
}
