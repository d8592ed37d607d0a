//! Chat exports into the store, as every face imports them: each file's
//! chats matched to stored ones (`identity`), its messages streamed through
//! the feature workers into rows (`merge`), senders linked to friends, and
//! the weeks those messages touch recomputed, all in one transaction.
//!
//! A message's identity is (sender, UTC minute, fingerprint of kind and
//! text, ordinal among identical ones in that minute), so a re-export, an
//! overlapping export or the same chat from another app lands on rows that
//! are already there. Spans of a chat that an earlier import covered are
//! known without asking the index (the watermark), which makes re-imports
//! cheap. A failed or interrupted import leaves nothing behind.

pub mod identity;
mod merge;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use mutual_core::{Alias, ChatId};
use mutual_import::{Format, Input, Options};
use mutual_store::{NewFriend, Store, Tx};

pub use identity::How;
pub use merge::ChatMatch;

use crate::Settings;
use crate::error::AppError;

/// Why an import did not happen; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read as the export it was taken for.
    #[error("{}: {}", path.display(), unreadable(error))]
    Unreadable {
        path: PathBuf,
        error: mutual_import::Error,
    },
    /// One chat was named for a file that holds several.
    #[error("{}: a chat name was given for the one chat of a file, and this file holds several", path.display())]
    SeveralChats { path: PathBuf },
    /// The file's local times, read in the zone given, do not line up with
    /// the stored messages of its chat.
    #[error("{}: {why}", path.display())]
    Moved { path: PathBuf, why: String },
    /// A sender was to be linked to a name that is an alias of several.
    #[error("'{friend}' is an alias of more than one friend; link to the name of the one you mean")]
    AliasOfSeveral { friend: String },
    /// A sender was to be linked who writes in none of the files (nor
    /// in any chat stored before).
    #[error(
        "no one called '{sender}' writes in these chats; expected a sender's name as the import lists it"
    )]
    NoSuchSender { sender: String },
    #[error(transparent)]
    App(#[from] AppError),
}

fn unreadable(error: &mutual_import::Error) -> String {
    match error {
        mutual_import::Error::Io(io) => format!("cannot be read ({io})"),
        other => other.to_string(),
    }
}

impl From<mutual_store::StoreError> for ImportError {
    fn from(e: mutual_store::StoreError) -> Self {
        ImportError::App(e.into())
    }
}

impl From<anyhow::Error> for ImportError {
    fn from(e: anyhow::Error) -> Self {
        ImportError::App(e.into())
    }
}

impl ImportError {
    /// Whether asking differently (another file, format, zone or name) fixes it.
    pub fn is_bad_input(&self) -> bool {
        match self {
            ImportError::App(e) => e.is_bad_input(),
            _ => true,
        }
    }
}

/// One export file, opened, with its format (given, or detected).
#[derive(Debug)]
pub struct ImportFile {
    pub path: PathBuf,
    pub input: Input,
    pub format: Format,
}

impl ImportFile {
    /// Opens `path`; detects its format unless one is given.
    pub fn open(path: &Path, format: Option<Format>) -> Result<ImportFile, ImportError> {
        let unreadable = |error| ImportError::Unreadable {
            path: path.to_owned(),
            error,
        };
        let input = Input::file(path).map_err(unreadable)?;
        let format = match format {
            Some(f) => f,
            None => mutual_import::detect(&input).map_err(unreadable)?,
        };
        Ok(ImportFile {
            path: path.to_owned(),
            input,
            format,
        })
    }
}

/// What to import and how.
#[derive(Debug)]
pub struct ImportRequest<'a> {
    pub files: &'a [ImportFile],
    pub options: &'a Options,
    /// The names the user has in the exports.
    pub me: &'a [String],
    /// Senders to link to friends (added when new), before reading.
    pub links: &'a [(String, String)],
    /// The chat a single-chat file is, when the export cannot say.
    pub chat: Option<&'a str>,
    /// Also store the text of messages.
    pub keep_text: bool,
}

/// How far an import has come: the file being read (from 0) of how many,
/// and the messages read of it so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub file: usize,
    pub files: usize,
    pub read: u64,
}

/// A sender of the file not linked to a friend yet.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Unlinked {
    pub sender: String,
    pub messages: u64,
    /// The friend they most likely are (a close name), else their own name.
    pub likely_friend: String,
}

/// What one file added.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Summary {
    pub file: String,
    pub format: &'static str,
    /// The chat the file was matched to (when it holds one chat).
    pub chat: Option<String>,
    /// Each chat of the file and how it was matched.
    pub chats: Vec<ChatMatch>,
    pub new: u64,
    pub known: u64,
    pub system: u64,
    /// Messages from senders not linked to a friend (kept, and counted once linked).
    pub unmapped: u64,
    pub unlinked: Vec<Unlinked>,
    /// Some sender of the file is known to be the user.
    pub me_known: bool,
    pub diagnostics: Vec<String>,
}

/// Imports `request.files` into `store`, telling `progress` as messages
/// are read; then brings every stale week up to date. On an error nothing
/// was written (a caller that made the database for this import may
/// remove it again: `Store::remove_if_empty`).
pub fn run(
    settings: &Settings,
    store: &mut Store,
    request: &ImportRequest<'_>,
    progress: &dyn Fn(Progress),
) -> Result<Vec<Summary>, ImportError> {
    let inputs = request.files;
    let options = request.options;
    let unreadable = |path: &Path, error| ImportError::Unreadable {
        path: path.to_owned(),
        error,
    };
    // The people of each single-chat export without ids tell its chat
    // apart from the stored ones and the other files of this import, and
    // name a new chat whose file name says nothing (`_chat.txt`). A file
    // imported before is known by its size and first bytes, and needs no
    // counting.
    let mut people = Vec::new();
    let mut files = Vec::new();
    let seed = store.db().meta(SEED)?.and_then(|s| s.parse::<u64>().ok());
    for f in inputs {
        let file = if has_chat_ids(f.format) {
            None
        } else {
            FileKey::of(&f.path, &f.input, f.format)
        };
        let known = match (&file, seed) {
            (Some(file), Some(seed)) => store
                .db()
                .meta(&file.key(seed))?
                .and_then(|id| id.parse().ok())
                .map(ChatId),
            _ => None,
        };
        let needed = !has_chat_ids(f.format) && known.is_none();
        people.push(if needed {
            let survey =
                mutual_import::survey(&f.input, f.format, options).map_err(|e| unreadable(&f.path, e))?;
            Some(identity::people_of(survey.senders.keys()))
        } else {
            None
        });
        files.push((file, known));
    }
    let written = store.write(|tx| -> Result<Vec<Summary>, ImportError> {
        for (sender, friend) in request.links {
            link(tx, sender, friend, settings.now)?;
        }
        let seed = fingerprint_seed(tx)?;
        let mut me_names: HashSet<String> = request.me.iter().map(|m| m.to_lowercase()).collect();
        me_names.extend(
            tx.db()
                .senders()?
                .into_iter()
                .filter(|s| s.is_me)
                .map(|s| s.name.to_lowercase()),
        );
        let shared = merge::Settings {
            seed,
            keep_text: request.keep_text,
            me: &me_names,
        };
        let mut summaries = Vec::new();
        let mut touched: HashMap<ChatId, (Timestamp, Timestamp)> = HashMap::new();
        for (index, ((f, people), (signature, known))) in inputs.iter().zip(&people).zip(&files).enumerate() {
            let platform = f.format.platform();
            let stored = tx.db().chats(platform)?;
            let zone = writes_local_times(f.format)
                .then(|| options.tz.iana_name().map(str::to_owned))
                .flatten();
            let mut matcher =
                identity::Matcher::new(stored.clone(), &me_names, request.chat.map(str::to_owned))
                    .knowing(*known);
            let no_one = identity::People::new();
            let people_or_known = people.as_ref().or(known.map(|_| &no_one));
            if let Some(people) = people_or_known {
                identity::check_chat(
                    tx,
                    &f.input,
                    f.format,
                    options,
                    &mut matcher,
                    people,
                    &stored,
                    zone.as_deref(),
                    seed,
                )
                .map_err(|e| match e {
                    identity::CheckError::Unreadable(e) => unreadable(&f.path, e),
                    identity::CheckError::Moved(why) => ImportError::Moved {
                        path: f.path.clone(),
                        why,
                    },
                    identity::CheckError::Other(e) => e.into(),
                })?;
            }
            let file = merge::FileSettings {
                matcher,
                people: people.as_ref(),
                zone,
            };
            let tell = |read| {
                progress(Progress {
                    file: index,
                    files: inputs.len(),
                    read,
                })
            };
            let outcome = merge::import_file(tx, &f.input, f.format, options, &shared, file, &tell).map_err(
                |e| match e {
                    merge::Failure::Unreadable(e) => unreadable(&f.path, e),
                    merge::Failure::SeveralChats => ImportError::SeveralChats { path: f.path.clone() },
                    merge::Failure::Other(e) => e.into(),
                },
            )?;
            if let (Some(signature), [chat]) = (signature, outcome.chats.as_slice()) {
                tx.set_meta(&signature.key(seed), &chat.id.0.to_string())?;
            }
            for (&chat, &(first, last)) in &outcome.touched {
                let span = touched.entry(chat).or_insert((first, last));
                *span = (span.0.min(first), span.1.max(last));
            }
            summaries.push(summarize(tx, &f.path, f.format, outcome)?);
        }
        // A link names a sender of these chats (or of chats stored before):
        // a misspelt one would only make a friend nobody writes as.
        let senders: HashSet<String> = tx
            .db()
            .senders()?
            .into_iter()
            .map(|s| s.name.to_lowercase())
            .collect();
        if let Some((sender, _)) = request
            .links
            .iter()
            .find(|(sender, _)| !senders.contains(&mutual_core::text::clean_name(sender).to_lowercase()))
        {
            return Err(ImportError::NoSuchSender {
                sender: sender.clone(),
            });
        }
        crate::chats::refresh_touched(tx, &touched, &settings.tz, &settings.weeks)?;
        Ok(summaries)
    });
    let summaries = written?;
    // Kept texts from before features were stored get theirs (once), and
    // any friend's weeks still stale are stored fresh: reads never write.
    settings.refresh_chats(store)?;
    Ok(summaries)
}

/// Links `sender` to the friend called `friend` (added when new), and
/// brings the chats' weeks up to date: a service of its own for a face
/// that links senders after the import (the dashboard's summary).
pub fn link_sender(
    settings: &Settings,
    store: &mut Store,
    sender: &str,
    friend: &str,
) -> Result<(), ImportError> {
    let (sender, friend) = (
        mutual_core::text::clean_name(sender),
        mutual_core::text::clean_name(friend),
    );
    if sender.is_empty() || friend.is_empty() {
        return Err(AppError::Invalid {
            field: "friend",
            value: friend,
            problem: "is empty".to_owned(),
            expected: "the name of a friend, new or known".to_owned(),
        }
        .into());
    }
    store.write(|tx| link(tx, &sender, &friend, settings.now))?;
    settings.refresh_chats(store)?;
    Ok(())
}

/// What tells one export file apart: its format, size and first 64 KiB (a
/// newer export of the chat, with more in it, is another file).
#[derive(Debug)]
struct FileKey {
    format: Format,
    size: u64,
    head: Vec<u8>,
}

impl FileKey {
    fn of(path: &Path, input: &Input, format: Format) -> Option<FileKey> {
        Some(FileKey {
            format,
            size: std::fs::metadata(path).ok()?.len(),
            head: input.head(64 * 1024).ok()?,
        })
    }

    /// The `meta` key that remembers which chat the file went to, hashed
    /// with the database's own seed so it says nothing outside it (the
    /// store drops it with the chat).
    fn key(&self, seed: u64) -> String {
        format!(
            "{}{}:{}:{:016x}",
            mutual_store::IMPORT_FILE_PREFIX,
            self.format.as_str(),
            self.size,
            xxhash_rust::xxh3::xxh3_64_with_seed(&self.head, seed)
        )
    }
}

/// Formats whose exports give each conversation an id of its own.
fn has_chat_ids(format: Format) -> bool {
    matches!(
        format,
        Format::Telegram | Format::SignalDesktop | Format::Discord | Format::IMessage | Format::Sms
    )
}

/// Formats that write local times without a zone.
pub fn writes_local_times(format: Format) -> bool {
    matches!(format, Format::WhatsApp | Format::Line | Format::SignalText)
}

/// Points `sender` at `friend` (adding the friend when new).
fn link(tx: &Tx<'_>, sender: &str, friend: &str, now: Timestamp) -> Result<(), ImportError> {
    let friends = tx.db().friends()?;
    // The friend's name, or an alias only they go by; otherwise a new friend.
    let existing = match crate::friends::find_friend(&friends, friend) {
        Ok(found)
            if found.name.eq_ignore_ascii_case(friend)
                || found.aliases.iter().any(|a| a.text.eq_ignore_ascii_case(friend)) =>
        {
            Some(found)
        }
        _ if friends
            .iter()
            .any(|f| f.aliases.iter().any(|a| a.text.eq_ignore_ascii_case(friend))) =>
        {
            return Err(ImportError::AliasOfSeveral {
                friend: friend.to_owned(),
            });
        }
        _ => None,
    };
    let id = match existing {
        Some(f)
            if f.name.eq_ignore_ascii_case(sender)
                || f.aliases.iter().any(|a| a.text.eq_ignore_ascii_case(sender)) =>
        {
            return Ok(());
        }
        Some(f) => f.id,
        None => tx.add_friend(
            &NewFriend {
                name: friend.to_owned(),
                ..NewFriend::default()
            },
            now,
        )?,
    };
    if !sender.eq_ignore_ascii_case(friend) {
        tx.add_alias(
            id,
            &Alias {
                text: sender.to_owned(),
                platform: None,
            },
        )?;
    }
    Ok(())
}

/// Where the fingerprint key is kept.
const SEED: &str = "message_fingerprint_seed";

/// The per-database key of message fingerprints, made on first use, so that
/// stored fingerprints say nothing about text outside this file.
fn fingerprint_seed(tx: &Tx<'_>) -> Result<u64, ImportError> {
    if let Some(seed) = tx.db().meta(SEED)?.and_then(|s| s.parse().ok()) {
        return Ok(seed);
    }
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for the fingerprint key: {e}"))?;
    let seed = u64::from_le_bytes(bytes);
    tx.set_meta(SEED, &seed.to_string())?;
    Ok(seed)
}

/// Sums up one file: counts, and the senders still to link.
fn summarize(
    tx: &Tx<'_>,
    path: &Path,
    format: Format,
    outcome: merge::Outcome,
) -> Result<Summary, ImportError> {
    let mut unlinked = Vec::new();
    let mut me_known = false;
    let friends = tx.db().friends()?;
    for info in tx.db().senders()? {
        let Some(&messages) = outcome.per_sender.get(&info.id) else {
            continue;
        };
        me_known |= info.is_me;
        if info.is_me || info.friend.is_some() {
            continue;
        }
        // A friend with a close name is most likely who it is.
        let likely_friend = crate::friends::closest_friend(&friends, &info.name)
            .map_or_else(|| info.name.clone(), |f| f.name.clone());
        unlinked.push(Unlinked {
            sender: info.name,
            messages,
            likely_friend,
        });
    }
    unlinked.sort_by(|a, b| b.messages.cmp(&a.messages).then_with(|| a.sender.cmp(&b.sender)));
    Ok(Summary {
        file: path.display().to_string(),
        format: format.as_str(),
        chat: match outcome.chats.as_slice() {
            [one] => Some(one.name.clone()),
            _ => None,
        },
        chats: outcome.chats,
        new: outcome.new,
        known: outcome.known,
        system: outcome.system,
        unmapped: unlinked.iter().map(|u| u.messages).sum(),
        unlinked,
        me_known,
        diagnostics: outcome.diagnostics.iter().map(ToString::to_string).collect(),
    })
}
