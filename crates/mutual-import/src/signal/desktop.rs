//! Signal Desktop's database: `<Signal>/sql/db.sqlite`, encrypted with
//! SQLCipher under the key in `<Signal>/config.json`, read strictly read-only.
//!
//! ```text
//! config.json     {"key": "<64 hex digits>"}   (since 2024 often {"encryptedKey": "…"}, sealed by the OS keychain)
//! messages        (rowid, id, conversationId, type, body, sent_at, sourceServiceId | sourceUuid | source, json, …)
//! conversations   (id, type, name, profileName, profileFamilyName, profileFullName, e164, serviceId | uuid, …)
//! ```
//!
//! Columns differ across versions and are often NULL, with the whole
//! message in `json`; a column is used when it has a value, `json`
//! otherwise. Messages stream in `sent_at` order (milliseconds, UTC).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::bounded;
use crate::imessage::{database_path, open_read_only};
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, MAX_MESSAGE_BYTES, Message, Options, Position, Sink};

const EXPECTED: &str = "Signal Desktop's sql/db.sqlite, with the config.json that Signal wrote beside it \
                        (holding \"key\")";

/// The settings signal-export opens the database with; SQLCipher 4's own
/// defaults differ only in `kdf_iter`, which a raw key does not use.
const SIGNAL_EXPORT_SETTINGS: [&str; 4] = [
    "PRAGMA cipher_page_size = 4096",
    "PRAGMA kdf_iter = 64000",
    "PRAGMA cipher_hmac_algorithm = HMAC_SHA512",
    "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512",
];

/// Whether the input looks like an encrypted database (not a plain SQLite
/// file, random-looking first bytes, whole pages) with a Signal
/// `config.json` beside it.
pub fn sniff_desktop(input: &Input, head: &[u8]) -> bool {
    let Some(path) = input.path() else {
        return false;
    };
    let Some(salt) = head.get(..64) else {
        return false;
    };
    if head.starts_with(b"SQLite format 3\0") || salt.iter().filter(|b| is_text_byte(**b)).count() > 48 {
        return false;
    }
    let whole_pages = std::fs::metadata(path).is_ok_and(|m| m.len() % 512 == 0);
    whole_pages && find_config(path).is_some_and(|config| read_config(&config).is_ok())
}

fn is_text_byte(b: u8) -> bool {
    b.is_ascii_graphic() || b.is_ascii_whitespace()
}

/// Streams every message of the database, in `sent_at` order, into `sink`.
pub fn parse_desktop(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    let path = database_path(input, EXPECTED)?;
    let config = find_config(path).ok_or_else(|| {
        Error::unreadable(
            Position::Whole,
            "there is no config.json beside the database (looked in its folder and the folder above)",
            EXPECTED,
        )
    })?;
    let key = match read_config(&config)? {
        Config::Key(key) => key,
        Config::Sealed => {
            return Err(Error::unreadable(
                Position::Whole,
                "config.json holds only \"encryptedKey\": this Signal Desktop keeps the database key \
                 sealed by the system keychain",
                "a config.json with a plain \"key\" (64 hex digits), for example one written by a tool \
                 that unseals it, such as sigtop or signal-export",
            ));
        }
    };
    let db = open_keyed(path, &key)?;
    let mut reader = Reader::new(&db, options)?;
    reader.read(&db, sink)
}

/// The `config.json` of the database at `db`: in its folder, the folder above
/// (Signal's own layout, `<Signal>/sql/db.sqlite`), or a sibling whose name
/// ends in `config.json` (a renamed copy of the pair).
fn find_config(db: &Path) -> Option<PathBuf> {
    let db = std::fs::canonicalize(db).ok()?;
    let folder = db.parent()?;
    let candidates = [
        Some(folder.join("config.json")),
        folder.parent().map(|p| p.join("config.json")),
    ];
    if let Some(found) = candidates.into_iter().flatten().find(|c| c.is_file()) {
        return Some(found);
    }
    let mut siblings: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with("config.json"))
        })
        .collect();
    siblings.sort();
    siblings.into_iter().next()
}

enum Config {
    Key(String),
    /// Only `encryptedKey`: the key is sealed by the OS keychain.
    Sealed,
}

fn read_config(path: &Path) -> Result<Config, Error> {
    const LIMIT: u64 = 1 << 20;
    let unreadable = |problem: String| Error::unreadable(Position::Whole, problem, EXPECTED);
    if std::fs::metadata(path)?.len() > LIMIT {
        return Err(unreadable("config.json is larger than 1 MiB".to_owned()));
    }
    let json: Value = serde_json::from_slice(&std::fs::read(path)?)
        .map_err(|e| unreadable(format!("config.json is not JSON ({e})")))?;
    match (json.get("key").and_then(Value::as_str), json.get("encryptedKey")) {
        (Some(key), _) if !key.trim().is_empty() => Ok(Config::Key(key.trim().to_owned())),
        (_, Some(_)) => Ok(Config::Sealed),
        _ => Err(unreadable("config.json has no \"key\"".to_owned())),
    }
}

/// Opens the database with `key`: a 64-hex-digit key as SQLCipher's raw
/// key, as Signal does; any other key as a passphrase, first as
/// signal-export gives it (`x'<key>'`, which SQLCipher takes as a
/// passphrase when it is not hex) with signal-export's settings, then the
/// key itself with those settings and with SQLCipher 4's defaults.
fn open_keyed(path: &Path, key: &str) -> Result<Connection, Error> {
    let hex = matches!(key.len(), 64 | 96) && key.bytes().all(|b| b.is_ascii_hexdigit());
    let raw = format!("x'{key}'");
    let attempts: Vec<(&str, &[&str])> = if hex {
        vec![
            (raw.as_str(), &[]),
            (raw.as_str(), &["PRAGMA cipher_compatibility = 3"]),
        ]
    } else {
        vec![
            (raw.as_str(), &SIGNAL_EXPORT_SETTINGS),
            (key, &SIGNAL_EXPORT_SETTINGS),
            (key, &[]),
        ]
    };
    for (secret, settings) in attempts {
        let db = open_read_only(path)?;
        // Failed attempts are expected; SQLCipher would log each to stderr.
        // The setting is process-wide, and this crate reports its own errors.
        let _ = db.pragma_update(None, "cipher_log_level", "NONE");
        db.pragma_update(None, "key", secret)
            .map_err(|e| cannot_open(&e))?;
        for setting in settings {
            db.execute_batch(setting).map_err(|e| cannot_open(&e))?;
        }
        if db
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
            .is_ok()
        {
            return Ok(db);
        }
    }
    Err(Error::unreadable(
        Position::Whole,
        "the key in config.json does not open the database (tried as a raw key and as a passphrase)",
        "the config.json that Signal Desktop wrote beside this db.sqlite",
    ))
}

fn cannot_open(e: &rusqlite::Error) -> Error {
    Error::unreadable(
        Position::Whole,
        format!("the database cannot be opened ({e})"),
        EXPECTED,
    )
}

fn query_failed(e: &rusqlite::Error) -> Error {
    Error::unreadable(
        Position::Whole,
        format!("the messages cannot be read ({e})"),
        EXPECTED,
    )
}

/// The columns a table has.
fn columns(db: &Connection, table: &str) -> Result<Vec<String>, Error> {
    let mut statement = db
        .prepare("SELECT name FROM pragma_table_info(?1)")
        .map_err(|e| query_failed(&e))?;
    let names = statement
        .query_map([table], |row| row.get::<_, String>(0))
        .and_then(Iterator::collect::<rusqlite::Result<Vec<String>>>)
        .map_err(|e| query_failed(&e))?;
    if names.is_empty() {
        return Err(Error::unreadable(
            Position::Whole,
            format!("the database has no `{table}` table"),
            EXPECTED,
        ));
    }
    Ok(names)
}

/// `column` if `columns` has it, else NULL.
fn column(columns: &[String], column: &str) -> String {
    if columns.iter().any(|c| c == column) {
        format!("\"{column}\"")
    } else {
        "NULL".to_owned()
    }
}

/// A conversation as messages name it.
#[derive(Debug)]
struct Conversation {
    name: String,
    private: bool,
    /// What names the conversation on any install of Signal: a group's
    /// `groupId`, a contact's service id (else their number). The row's
    /// own `id` is made up by each install, so it is only the last resort.
    stable_id: String,
}

/// Reads messages with what it knows of conversations and contacts.
struct Reader {
    zone: Zone,
    conversations: HashMap<String, Conversation>,
    /// Service ids, UUIDs and phone numbers to the name of their person.
    people: HashMap<String, String>,
    messages_sql: String,
    /// The callsHistory table exists (newer versions keep call details there).
    calls_history: bool,
    stories: u64,
}

impl Reader {
    fn new(db: &Connection, options: &Options) -> Result<Reader, Error> {
        let mut reader = Reader {
            zone: Zone::new(options.tz.clone()),
            conversations: HashMap::new(),
            people: HashMap::new(),
            messages_sql: String::new(),
            calls_history: !columns(db, "callsHistory").unwrap_or_default().is_empty(),
            stories: 0,
        };
        reader.load_conversations(db)?;
        let have = columns(db, "messages")?;
        let col = |name: &str| column(&have, name);
        reader.messages_sql = format!(
            "SELECT rowid, {id}, json, conversationId, {kind}, {body}, sent_at, \
                    coalesce({service_id}, {uuid}, {source}), {has_attachments}, {erased} \
             FROM messages ORDER BY sent_at, rowid",
            id = col("id"),
            kind = col("type"),
            body = col("body"),
            service_id = col("sourceServiceId"),
            uuid = col("sourceUuid"),
            source = col("source"),
            has_attachments = col("hasAttachments"),
            erased = col("isErased"),
        );
        Ok(reader)
    }

    fn load_conversations(&mut self, db: &Connection) -> Result<(), Error> {
        let have = columns(db, "conversations")?;
        let col = |name: &str| column(&have, name);
        let sql = format!(
            "SELECT id, {kind}, {name}, {full}, {profile}, {family}, {e164}, {service_id}, {uuid}, {group_id} \
             FROM conversations",
            kind = col("type"),
            name = col("name"),
            full = col("profileFullName"),
            profile = col("profileName"),
            family = col("profileFamilyName"),
            e164 = col("e164"),
            service_id = col("serviceId"),
            uuid = col("uuid"),
            group_id = col("groupId"),
        );
        let mut statement = db.prepare(&sql).map_err(|e| query_failed(&e))?;
        let mut rows = statement.query([]).map_err(|e| query_failed(&e))?;
        while let Some(row) = rows.next().map_err(|e| query_failed(&e))? {
            let text = |i: usize| row.get_ref(i).ok().and_then(text);
            let Some(id) = text(0) else { continue };
            let profile = match (text(4), text(5)) {
                (Some(given), Some(family)) => Some(format!("{given} {family}")),
                (given, _) => given.map(str::to_owned),
            };
            let name = text(2)
                .map(str::to_owned)
                .or_else(|| text(3).map(str::to_owned))
                .or(profile)
                .or_else(|| text(6).map(str::to_owned))
                .unwrap_or_else(|| id.to_owned());
            for person in [text(6), text(7), text(8)].into_iter().flatten() {
                self.people.insert(person.to_owned(), name.clone());
            }
            let private = text(1) == Some("private");
            let stable_id = if private {
                text(7).or(text(8)).or(text(6))
            } else {
                text(9)
            }
            .unwrap_or(id)
            .to_owned();
            self.conversations.insert(
                id.to_owned(),
                Conversation {
                    name,
                    private,
                    stable_id,
                },
            );
        }
        Ok(())
    }

    fn read(&mut self, db: &Connection, sink: &mut dyn Sink) -> Result<(), Error> {
        let mut statement = db.prepare(&self.messages_sql).map_err(|e| query_failed(&e))?;
        let mut quoted = db
            .prepare(
                "SELECT coalesce(id, json_extract(json, '$.id')) FROM messages \
                 WHERE conversationId = ?1 AND sent_at = ?2 LIMIT 1",
            )
            .map_err(|e| query_failed(&e))?;
        let mut calls = if self.calls_history {
            db.prepare("SELECT direction, status, type FROM callsHistory WHERE callId = ?1")
                .ok()
        } else {
            None
        };
        let mut rows = statement.query([]).map_err(|e| query_failed(&e))?;
        let mut number = 0;
        while let Some(row) = rows.next().map_err(|e| query_failed(&e))? {
            number += 1;
            let at = Position::Record(number);
            let fields = match Fields::read(row) {
                Ok(fields) => fields,
                Err(problem) => {
                    sink.diagnostic(Diagnostic::new(at, format!("{problem}; skipped")));
                    continue;
                }
            };
            let reply_to = fields.quote_sent_at().and_then(|sent_at| {
                quoted
                    .query_row(rusqlite::params![fields.conversation, sent_at], |r| {
                        r.get::<_, Option<String>>(0)
                    })
                    .optional()
                    .ok()
                    .flatten()
                    .flatten()
            });
            let call = calls.as_mut().and_then(|s| call_details(s, &fields.json));
            self.message(&fields, reply_to.as_deref(), call, at, sink)?;
        }
        if self.stories > 0 {
            sink.diagnostic(Diagnostic::new(
                Position::Whole,
                format!(
                    "skipped {} stories (posts to all contacts, not messages)",
                    self.stories
                ),
            ));
        }
        Ok(())
    }

    fn message(
        &mut self,
        fields: &Fields,
        reply_to: Option<&str>,
        call: Option<Call>,
        at: Position,
        sink: &mut dyn Sink,
    ) -> Result<(), Error> {
        let Some(kind) = fields.kind.as_deref() else {
            sink.diagnostic(Diagnostic::new(at, "the message has no type; skipped"));
            return Ok(());
        };
        if kind == "story" {
            self.stories += 1;
            return Ok(());
        }
        let Some(utc) = fields.sent_at.and_then(|ms| Timestamp::from_millisecond(ms).ok()) else {
            sink.diagnostic(Diagnostic::new(
                at,
                "`sent_at` is missing or out of range; skipped",
            ));
            return Ok(());
        };
        let conversation = self.conversations.get(&fields.conversation);
        let chat = conversation.map_or(fields.conversation.as_str(), |c| c.name.as_str());
        let chat_id = conversation.map_or(fields.conversation.as_str(), |c| c.stable_id.as_str());
        let call = (kind == "call-history").then(|| call.unwrap_or_else(|| Call::legacy(&fields.json)));
        let from_me = kind == "outgoing" || call.as_ref().is_some_and(|c| c.outgoing);
        let sender = if from_me {
            ""
        } else if let Some(name) = fields.source.as_deref().and_then(|s| self.people.get(s)) {
            name.as_str()
        } else if conversation.is_some_and(|c| c.private) {
            chat
        } else {
            fields.source.as_deref().unwrap_or("")
        };
        let (kind, text) = match (kind, call) {
            (_, Some(call)) => (Kind::Call, call.describe()),
            ("incoming" | "outgoing", None) => fields.content(),
            (other, None) => (Kind::System, other.to_owned()),
        };
        if kind == Kind::Text && fields.body_len > MAX_MESSAGE_BYTES {
            sink.diagnostic(bounded::cut(at, fields.body_len as u64));
        }
        sink.message(&Message {
            chat,
            chat_id: Some(chat_id),
            sender,
            from_me,
            local: self.zone.to_local(utc),
            utc,
            kind,
            text: &text,
            id: fields.id.as_deref(),
            reply_to,
            edited: fields.edited(),
        })?;
        Ok(())
    }
}

/// One row of `messages`, columns first and `json` where they are NULL.
struct Fields {
    json: Value,
    id: Option<String>,
    conversation: String,
    kind: Option<String>,
    /// Up to [`MAX_MESSAGE_BYTES`] of the text, and the length of all of it.
    body: Option<String>,
    body_len: usize,
    sent_at: Option<i64>,
    source: Option<String>,
    has_attachments: bool,
    erased: bool,
}

impl Fields {
    fn read(row: &rusqlite::Row<'_>) -> Result<Fields, String> {
        let value = |i: usize| {
            row.get_ref(i)
                .map_err(|e| format!("the row cannot be read ({e})"))
        };
        let MessageJson {
            value: json,
            body_len: json_body_len,
        } = match value(2)? {
            ValueRef::Text(t) => {
                serde_json::from_slice(t).map_err(|e| format!("`json` is not JSON ({e})"))?
            }
            _ => MessageJson::default(),
        };
        let own = |v: ValueRef<'_>| text(v).map(str::to_owned);
        let from_json = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
        let Some(conversation) = own(value(3)?).or_else(|| from_json("conversationId")) else {
            return Err("the message has no conversation".to_owned());
        };
        // The text up to the limit, and how long it is.
        let (body, body_len) = match text(value(5)?) {
            Some(body) => (Some(bounded::cap(body).to_owned()), body.len()),
            None => (from_json("body"), json_body_len),
        };
        Ok(Fields {
            id: own(value(1)?).or_else(|| from_json("id")),
            conversation,
            kind: own(value(4)?).or_else(|| from_json("type")),
            body,
            body_len,
            sent_at: int(value(6)?)
                .or_else(|| json.get("sent_at").and_then(Value::as_i64))
                .or_else(|| json.get("timestamp").and_then(Value::as_i64)),
            source: own(value(7)?)
                .or_else(|| from_json("sourceServiceId"))
                .or_else(|| from_json("sourceUuid"))
                .or_else(|| from_json("source")),
            has_attachments: int(value(8)?).unwrap_or(0) != 0
                || json.get("hasAttachments").and_then(Value::as_i64).unwrap_or(0) != 0,
            erased: int(value(9)?).unwrap_or(0) != 0,
            json,
        })
    }

    /// The kind and text of a message someone wrote.
    fn content(&self) -> (Kind, String) {
        let deleted =
            self.erased || self.json.get("deletedForEveryone").and_then(Value::as_bool) == Some(true);
        if deleted {
            return (Kind::Deleted, String::new());
        }
        let body = self.body.as_deref().map(str::trim).unwrap_or("");
        if !body.is_empty() {
            return (Kind::Text, body.to_owned());
        }
        let first_attachment = self
            .json
            .get("attachments")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .map(|a| {
                a.get("contentType")
                    .and_then(Value::as_str)
                    .unwrap_or("attachment")
            });
        if let Some(content_type) = first_attachment {
            (Kind::Media, content_type.to_owned())
        } else if self.json.get("sticker").is_some_and(|s| !s.is_null()) {
            (Kind::Media, "sticker".to_owned())
        } else if self.has_attachments {
            (Kind::Media, "attachment".to_owned())
        } else {
            (Kind::Text, String::new())
        }
    }

    /// The `sent_at` of the message this one quotes (Signal names a quoted
    /// message by its timestamp).
    fn quote_sent_at(&self) -> Option<i64> {
        self.json.get("quote")?.get("id")?.as_i64()
    }

    fn edited(&self) -> bool {
        self.json
            .get("editHistory")
            .and_then(Value::as_array)
            .is_some_and(|history| history.len() > 1)
            || self
                .json
                .get("editMessageTimestamp")
                .is_some_and(|t| !t.is_null())
    }
}

/// A message's `json` as far as [`Fields`] reads it, with its `body` kept
/// to [`MAX_MESSAGE_BYTES`] (and the length of all of it). The rest of the
/// text is never copied, nor are the texts that other fields repeat (the
/// quoted message's, each edit's).
#[derive(Debug, Default)]
struct MessageJson {
    value: Value,
    body_len: usize,
}

impl<'de> Deserialize<'de> for MessageJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MessageJsonVisitor)
    }
}

struct MessageJsonVisitor;

impl<'de> Visitor<'de> for MessageJsonVisitor {
    type Value = MessageJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MessageJson, A::Error> {
        let mut object = serde_json::Map::new();
        let mut body_len = 0;
        while let Some(key) = map.next_key::<String>()? {
            let value = match key.as_str() {
                "body" => {
                    let CappedText(text, len) = map.next_value()?;
                    body_len = len;
                    text.map_or(Value::Null, Value::String)
                }
                // Only whether there was more than one edit.
                "editHistory" => {
                    let Count(n) = map.next_value()?;
                    Value::Array(vec![Value::Null; n.min(2)])
                }
                "quote" => match map.next_value::<Option<QuoteId>>()? {
                    Some(QuoteId { id }) => serde_json::json!({ "id": id }),
                    None => Value::Null,
                },
                "id"
                | "conversationId"
                | "type"
                | "sent_at"
                | "timestamp"
                | "sourceServiceId"
                | "sourceUuid"
                | "source"
                | "hasAttachments"
                | "deletedForEveryone"
                | "attachments"
                | "sticker"
                | "editMessageTimestamp"
                | "callId"
                | "callHistoryDetails" => map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            object.insert(key, value);
        }
        Ok(MessageJson {
            value: Value::Object(object),
            body_len,
        })
    }

    // Anything but an object has no fields.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<MessageJson, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| MessageJson::default())
    }

    fn visit_str<E>(self, _: &str) -> Result<MessageJson, E> {
        Ok(MessageJson::default())
    }

    fn visit_i64<E>(self, _: i64) -> Result<MessageJson, E> {
        Ok(MessageJson::default())
    }

    fn visit_u64<E>(self, _: u64) -> Result<MessageJson, E> {
        Ok(MessageJson::default())
    }

    fn visit_f64<E>(self, _: f64) -> Result<MessageJson, E> {
        Ok(MessageJson::default())
    }

    fn visit_bool<E>(self, _: bool) -> Result<MessageJson, E> {
        Ok(MessageJson::default())
    }

    fn visit_unit<E>(self) -> Result<MessageJson, E> {
        Ok(MessageJson::default())
    }
}

/// The id of a quoted message (its text is not kept).
#[derive(Deserialize)]
struct QuoteId {
    #[serde(default)]
    id: Value,
}

/// How many elements an array has (0 for anything else).
struct Count(usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CountVisitor)
    }
}

struct CountVisitor;

impl<'de> Visitor<'de> for CountVisitor {
    type Value = Count;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(Count(n))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Count, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Count(0))
    }

    fn visit_str<E>(self, _: &str) -> Result<Count, E> {
        Ok(Count(0))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Count, E> {
        Ok(Count(0))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Count, E> {
        Ok(Count(0))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Count, E> {
        Ok(Count(0))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Count, E> {
        Ok(Count(0))
    }

    fn visit_unit<E>(self) -> Result<Count, E> {
        Ok(Count(0))
    }
}

/// A string's first [`MAX_MESSAGE_BYTES`] and its length; `None` for
/// anything else.
struct CappedText(Option<String>, usize);

impl<'de> Deserialize<'de> for CappedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CappedTextVisitor)
    }
}

struct CappedTextVisitor;

impl<'de> Visitor<'de> for CappedTextVisitor {
    type Value = CappedText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E>(self, v: &str) -> Result<CappedText, E> {
        Ok(CappedText(Some(bounded::cap(v).to_owned()), v.len()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<CappedText, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| CappedText(None, 0))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CappedText, A::Error> {
        IgnoredAny.visit_map(map).map(|_| CappedText(None, 0))
    }

    fn visit_i64<E>(self, _: i64) -> Result<CappedText, E> {
        Ok(CappedText(None, 0))
    }

    fn visit_u64<E>(self, _: u64) -> Result<CappedText, E> {
        Ok(CappedText(None, 0))
    }

    fn visit_f64<E>(self, _: f64) -> Result<CappedText, E> {
        Ok(CappedText(None, 0))
    }

    fn visit_bool<E>(self, _: bool) -> Result<CappedText, E> {
        Ok(CappedText(None, 0))
    }

    fn visit_unit<E>(self) -> Result<CappedText, E> {
        Ok(CappedText(None, 0))
    }
}

/// What Signal records of a call.
#[derive(Debug)]
struct Call {
    outgoing: bool,
    video: bool,
    /// `Accepted`, `Missed`, `Declined`, `NotAccepted`… (empty when unknown).
    status: String,
}

impl Call {
    /// From `callHistoryDetails` in the message's JSON (versions before callsHistory).
    fn legacy(json: &Value) -> Call {
        let details = json.get("callHistoryDetails").unwrap_or(&Value::Null);
        let flag = |key: &str| details.get(key).and_then(Value::as_bool).unwrap_or(false);
        let status = if flag("wasDeclined") {
            "Declined"
        } else if details.get("acceptedTime").is_some_and(|t| !t.is_null()) {
            "Accepted"
        } else if flag("wasIncoming") {
            "Missed"
        } else {
            ""
        };
        Call {
            outgoing: !flag("wasIncoming") && details.is_object(),
            video: flag("wasVideoCall"),
            status: status.to_owned(),
        }
    }

    fn describe(&self) -> String {
        let medium = if self.video { "video call" } else { "voice call" };
        match (self.outgoing, self.status.as_str()) {
            (false, "Missed") => format!("missed {medium}"),
            (true, "") => format!("outgoing {medium}"),
            (false, "") => format!("incoming {medium}"),
            (true, status) => format!("outgoing {medium} ({})", status.to_lowercase()),
            (false, status) => format!("incoming {medium} ({})", status.to_lowercase()),
        }
    }
}

/// A call's row in `callsHistory`, found by the message's `callId`.
fn call_details(statement: &mut rusqlite::Statement<'_>, json: &Value) -> Option<Call> {
    let call_id = match json.get("callId")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    statement
        .query_row([call_id], |row| {
            Ok(Call {
                outgoing: row.get::<_, Option<String>>(0)?.as_deref() == Some("Outgoing"),
                status: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                video: row.get::<_, Option<String>>(2)?.as_deref() == Some("Video"),
            })
        })
        .ok()
}

/// A non-empty text value.
fn text(value: ValueRef<'_>) -> Option<&str> {
    match value {
        ValueRef::Text(t) => std::str::from_utf8(t).ok().filter(|s| !s.trim().is_empty()),
        _ => None,
    }
}

fn int(value: ValueRef<'_>) -> Option<i64> {
    match value {
        ValueRef::Integer(i) => Some(i),
        ValueRef::Real(r) if r.is_finite() && r.abs() < 9.0e18 => Some(r as i64),
        ValueRef::Text(t) => std::str::from_utf8(t).ok()?.trim().parse().ok(),
        _ => None,
    }
}
