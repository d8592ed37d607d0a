//! macOS Messages' `chat.db` (SQLite), read strictly read-only.
//!
//! ```text
//! message(ROWID, guid, text, attributedBody, handle_id, date, is_from_me, item_type, associated_message_type, …)
//! handle(ROWID, id)            chat(ROWID, chat_identifier, display_name)
//! chat_message_join(chat_id, message_id)   message_attachment_join → attachment(mime_type)
//! ```
//!
//! `date` counts nanoseconds since 2001-01-01 UTC (seconds in databases
//! before macOS 10.13). Tapbacks ("Loved “…”") are rows too: they are
//! reactions to a message, not messages, so they are skipped and counted in
//! one diagnostic. Columns differ across macOS versions, so the query names
//! only the columns the database has.

mod typedstream;

use std::borrow::Cow;
use std::path::Path;

use jiff::Timestamp;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use crate::bounded;
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, MAX_MESSAGE_BYTES, Message, Options, Position, Sink};

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const TABLES: [&str; 4] = ["message", "handle", "chat", "chat_message_join"];
const EXPECTED: &str = "macOS Messages' chat.db (~/Library/Messages/chat.db, or a copy of it)";

/// Whether the input is a SQLite database with the tables of `chat.db`.
pub fn sniff(input: &Input, head: &[u8]) -> bool {
    if !head.starts_with(SQLITE_MAGIC) {
        return false;
    }
    match input.path() {
        Some(path) => open_read_only(path).is_ok_and(|db| missing_table(&db).is_ok_and(|m| m.is_none())),
        // Bytes or a zip entry: the schema on the first pages names the tables.
        None => memchr::memmem::find(head, b"chat_message_join").is_some(),
    }
}

/// Streams every message of the database, oldest first, into `sink`.
pub fn parse(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    let path = database_path(input, EXPECTED)?;
    let db = open_read_only(path)?;
    if let Some(table) = missing_table(&db)? {
        return Err(Error::unreadable(
            Position::Whole,
            format!("the database has no `{table}` table"),
            EXPECTED,
        ));
    }
    let schema = Schema::read(&db)?;
    let mut statement = db.prepare(&schema.query()).map_err(|e| query_failed(&e))?;
    let mut rows = statement.query([]).map_err(|e| query_failed(&e))?;
    let mut reader = Reader {
        zone: Zone::new(options.tz.clone()),
        schema,
        tapbacks: 0,
    };
    let mut number = 0;
    while let Some(row) = rows.next().map_err(|e| query_failed(&e))? {
        number += 1;
        reader.row(row, number, sink)?;
    }
    if reader.tapbacks > 0 {
        sink.diagnostic(Diagnostic::new(
            Position::Whole,
            format!(
                "skipped {} tapbacks (reactions such as Loved or Liked, which are not messages)",
                reader.tapbacks
            ),
        ));
    }
    Ok(())
}

/// The file of a database input: databases cannot be streamed from bytes or a zip.
pub(crate) fn database_path<'i>(input: &'i Input, expected: &str) -> Result<&'i Path, Error> {
    input.path().ok_or_else(|| {
        Error::unreadable(
            Position::Whole,
            "this is a database, which can only be read from a file on disk (not from a zip or memory)",
            format!("{expected}, given as a file path"),
        )
    })
}

/// Opens a SQLite (or SQLCipher) file strictly read-only: `query_only`, and
/// `immutable=1` so that SQLite creates no journal, WAL or shared-memory
/// file beside it. Only when a non-empty `-wal` file sits beside the
/// database (its app is running, or was stopped abruptly) is it opened with
/// `mode=ro` instead, because `immutable` would ignore the newest messages,
/// which live in that WAL.
pub(crate) fn open_read_only(path: &Path) -> Result<Connection, Error> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let live = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    let uri = format!(
        "file:{}?{}",
        uri_path(path),
        if live { "mode=ro" } else { "mode=ro&immutable=1" }
    );
    let flags =
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = Connection::open_with_flags(uri, flags).map_err(|e| {
        Error::unreadable(
            Position::Whole,
            format!("the database cannot be opened ({e})"),
            "a readable SQLite database file",
        )
    })?;
    db.pragma_update(None, "query_only", true).map_err(|e| {
        Error::unreadable(
            Position::Whole,
            format!("the database cannot be opened ({e})"),
            "a SQLite database",
        )
    })?;
    Ok(db)
}

/// `path` for a `file:` URI: `%`-escaped except for unreserved characters
/// and `/`, with `\` turned into `/` and a leading `/` before a drive letter.
fn uri_path(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut uri = String::with_capacity(bytes.len() + 8);
    if bytes.get(1) == Some(&b':') && bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        uri.push('/');
    }
    for &b in bytes {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                uri.push(char::from(b));
            }
            b'\\' if cfg!(windows) => uri.push('/'),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri
}

/// The first of `chat.db`'s tables the database lacks, if any.
fn missing_table(db: &Connection) -> Result<Option<&'static str>, Error> {
    for table in TABLES {
        let found: bool = db
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                [table],
                |row| row.get(0),
            )
            .map_err(|e| not_a_database(&e))?;
        if !found {
            return Ok(Some(table));
        }
    }
    Ok(None)
}

fn not_a_database(e: &rusqlite::Error) -> Error {
    Error::unreadable(
        Position::Whole,
        format!("the file is not a readable SQLite database ({e})"),
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

/// The optional columns of `message`, and whether the attachment tables exist.
#[derive(Debug, Default)]
struct Schema {
    columns: Vec<String>,
    attachments: bool,
}

impl Schema {
    fn read(db: &Connection) -> Result<Schema, Error> {
        let mut statement = db
            .prepare("SELECT name FROM pragma_table_info('message')")
            .map_err(|e| not_a_database(&e))?;
        let columns = statement
            .query_map([], |row| row.get::<_, String>(0))
            .and_then(Iterator::collect)
            .map_err(|e| not_a_database(&e))?;
        let attachments: i64 = db
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' \
                 AND name IN ('attachment', 'message_attachment_join')",
                [],
                |row| row.get(0),
            )
            .map_err(|e| not_a_database(&e))?;
        Ok(Schema {
            columns,
            attachments: attachments == 2,
        })
    }

    fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c.eq_ignore_ascii_case(column))
    }

    /// `m.column`, or NULL where this database has no such column.
    fn column(&self, column: &str) -> String {
        if self.has(column) {
            format!("m.\"{column}\"")
        } else {
            "NULL".to_owned()
        }
    }

    /// One row per message, in time order, with the columns [`Row`] reads.
    fn query(&self) -> String {
        let attachment = if self.attachments {
            "(SELECT a.mime_type FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id \
              WHERE j.message_id = m.ROWID LIMIT 1)"
        } else {
            "NULL"
        };
        format!(
            "SELECT m.ROWID, {guid}, {text}, {body}, {date}, {from_me}, \
               (SELECT h.id FROM handle h WHERE h.ROWID = m.handle_id), \
               (SELECT coalesce(nullif(c.display_name, ''), c.chat_identifier) \
                  FROM chat_message_join j JOIN chat c ON c.ROWID = j.chat_id \
                  WHERE j.message_id = m.ROWID ORDER BY c.ROWID LIMIT 1), \
               (SELECT c.chat_identifier \
                  FROM chat_message_join j JOIN chat c ON c.ROWID = j.chat_id \
                  WHERE j.message_id = m.ROWID ORDER BY c.ROWID LIMIT 1), \
               {item_type}, {group_action}, {associated}, {thread}, {edited}, {retracted}, \
               {attachment}, {has_attachments} \
             FROM message m ORDER BY m.date, m.ROWID",
            guid = self.column("guid"),
            text = self.column("text"),
            body = self.column("attributedBody"),
            date = self.column("date"),
            from_me = self.column("is_from_me"),
            item_type = self.column("item_type"),
            group_action = self.column("group_action_type"),
            associated = self.column("associated_message_type"),
            thread = self.column("thread_originator_guid"),
            edited = self.column("date_edited"),
            retracted = self.column("date_retracted"),
            has_attachments = self.column("cache_has_attachments"),
        )
    }
}

/// Turns rows into messages.
struct Reader {
    zone: Zone,
    schema: Schema,
    tapbacks: u64,
}

/// The columns of one row, in the order [`Schema::query`] selects them.
struct Row<'r> {
    rowid: ValueRef<'r>,
    guid: Option<&'r str>,
    text: Option<&'r str>,
    body: ValueRef<'r>,
    date: Option<i64>,
    from_me: bool,
    handle: Option<&'r str>,
    chat: Option<&'r str>,
    /// The chat's `chat_identifier`: the handle of a one-to-one chat
    /// (`+15551234567`, an email address), `chat…` digits for a group.
    chat_identifier: Option<&'r str>,
    item_type: i64,
    group_action: i64,
    associated: i64,
    thread: Option<&'r str>,
    edited: i64,
    retracted: i64,
    mime: Option<&'r str>,
    has_attachments: bool,
}

impl<'r> Row<'r> {
    fn read(row: &'r rusqlite::Row<'_>) -> rusqlite::Result<Row<'r>> {
        let value = |i: usize| row.get_ref(i);
        Ok(Row {
            rowid: value(0)?,
            guid: text(value(1)?),
            text: text(value(2)?),
            body: value(3)?,
            date: int(value(4)?),
            from_me: int(value(5)?).unwrap_or(0) != 0,
            handle: text(value(6)?),
            chat: text(value(7)?),
            chat_identifier: text(value(8)?),
            item_type: int(value(9)?).unwrap_or(0),
            group_action: int(value(10)?).unwrap_or(0),
            associated: int(value(11)?).unwrap_or(0),
            thread: text(value(12)?),
            edited: int(value(13)?).unwrap_or(0),
            retracted: int(value(14)?).unwrap_or(0),
            mime: text(value(15)?),
            has_attachments: int(value(16)?).unwrap_or(0) != 0,
        })
    }
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
        ValueRef::Text(t) => std::str::from_utf8(t).ok()?.trim().parse().ok(),
        _ => None,
    }
}

impl Reader {
    fn row(&mut self, row: &rusqlite::Row<'_>, number: u64, sink: &mut dyn Sink) -> Result<(), Error> {
        let at = Position::Record(number);
        let row = match Row::read(row) {
            Ok(row) => row,
            Err(e) => {
                sink.diagnostic(Diagnostic::new(
                    at,
                    format!("the row cannot be read ({e}); skipped"),
                ));
                return Ok(());
            }
        };
        let Some(utc) = row.date.and_then(apple_time) else {
            sink.diagnostic(Diagnostic::new(at, "`date` is missing or out of range; skipped"));
            return Ok(());
        };
        // The text up to the limit, and how long it is.
        let (body, whole) = match row.text {
            Some(text) => (Some(Cow::Borrowed(bounded::cap(text))), text.len()),
            None => match row.body {
                ValueRef::Blob(blob) => match typedstream::text(blob) {
                    Some((text, whole)) => (Some(capped(text)), whole),
                    None => (None, 0),
                },
                _ => (None, 0),
            },
        };
        if self.is_tapback(&row, body.as_deref()) {
            self.tapbacks += 1;
            return Ok(());
        }
        let sender = if row.from_me { "" } else { row.handle.unwrap_or("") };
        // A message outside any chat (rare) belongs to the conversation with its sender.
        // Its id is the handle's, as a one-to-one chat's `chat_identifier` is.
        let (chat, chat_id) = match row.chat {
            Some(chat) => (Some(chat), row.chat_identifier),
            None => (row.handle, row.handle),
        };
        let Some(chat) = chat else {
            sink.diagnostic(Diagnostic::new(
                at,
                "the message belongs to no chat and has no sender; skipped",
            ));
            return Ok(());
        };
        let (kind, text) = content(&row, body);
        if kind == Kind::Text && whole > MAX_MESSAGE_BYTES {
            sink.diagnostic(bounded::cut(at, whole as u64));
        }
        let rowid;
        let id = match row.guid {
            Some(guid) => guid,
            None => {
                rowid = row_id(row.rowid);
                rowid.as_str()
            }
        };
        sink.message(&Message {
            chat,
            chat_id,
            sender,
            from_me: row.from_me,
            local: self.zone.to_local(utc),
            utc,
            kind,
            text: &text,
            id: Some(id).filter(|id| !id.is_empty()),
            reply_to: row.thread,
            edited: row.edited > 0,
        })?;
        Ok(())
    }

    /// Tapbacks have `associated_message_type` 2000–2999 (added) or
    /// 3000–3999 (removed). Where the database has no such column (mock
    /// databases), they are told by the text macOS gives them.
    fn is_tapback(&self, row: &Row<'_>, body: Option<&str>) -> bool {
        if self.schema.has("associated_message_type") {
            (2000..4000).contains(&row.associated)
        } else {
            body.is_some_and(looks_like_tapback)
        }
    }
}

/// What a row is and its text: group events, unsent messages, attachments
/// and plain text.
fn content<'r>(row: &Row<'r>, body: Option<Cow<'r, str>>) -> (Kind, Cow<'r, str>) {
    if row.item_type != 0 {
        return (Kind::System, group_event(row.item_type, row.group_action).into());
    }
    if row.retracted > 0 {
        return (Kind::Deleted, "".into());
    }
    let body = body.unwrap_or_default();
    // U+FFFC OBJECT REPLACEMENT CHARACTER marks where an attachment sits in the text.
    let has_object = body.contains('\u{FFFC}');
    let body = if has_object {
        Cow::Owned(body.replace('\u{FFFC}', "").trim().to_owned())
    } else {
        body
    };
    if body.is_empty() && (has_object || row.mime.is_some() || row.has_attachments) {
        return (Kind::Media, row.mime.unwrap_or("attachment").into());
    }
    (Kind::Text, body)
}

/// `text` cut to [`MAX_MESSAGE_BYTES`] (bytes that were not UTF-8 may
/// have grown into U+FFFD).
fn capped(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(bounded::cap(text)),
        Cow::Owned(mut text) => {
            text.truncate(bounded::cap(&text).len());
            Cow::Owned(text)
        }
    }
}

/// A short name for a group event (`item_type` with `group_action_type`).
fn group_event(item_type: i64, action: i64) -> &'static str {
    match (item_type, action) {
        (1, 0) => "added someone to the group",
        (1, 1) => "removed someone from the group",
        (1, _) => "changed the group's members",
        (2, _) => "renamed the group",
        (3, 0) => "left the group",
        (3, 1) => "changed the group photo",
        (3, 2) => "removed the group photo",
        (3, _) => "changed the group",
        (4, _) => "location sharing",
        (5, _) => "kept an audio message",
        (6, _) => "FaceTime or SharePlay",
        _ => "group event",
    }
}

/// The text macOS writes for a tapback: `Loved “…”`, `Reacted 👋 to “…”`,
/// `Removed a heart from “…”`.
fn looks_like_tapback(text: &str) -> bool {
    const VERBS: [&str; 6] = [
        "Loved",
        "Liked",
        "Disliked",
        "Laughed at",
        "Emphasized",
        "Questioned",
    ];
    let Some((before, quoted)) = text.split_once(" \u{201C}") else {
        return false;
    };
    quoted.ends_with('\u{201D}')
        && (VERBS.contains(&before)
            || (before.starts_with("Reacted ") && before.ends_with(" to"))
            || (before.starts_with("Removed ") && before.ends_with(" from")))
}

/// `date` as a moment: nanoseconds since 2001-01-01 UTC, or seconds in
/// databases before macOS 10.13 (whose values are far smaller).
fn apple_time(date: i64) -> Option<Timestamp> {
    const APPLE_EPOCH: i64 = 978_307_200;
    const NANOS_FROM: i64 = 1_000_000_000_000;
    if date.unsigned_abs() >= NANOS_FROM.unsigned_abs() {
        let nanos = i128::from(date) + i128::from(APPLE_EPOCH) * 1_000_000_000;
        Timestamp::from_nanosecond(nanos).ok()
    } else {
        Timestamp::from_second(date.checked_add(APPLE_EPOCH)?).ok()
    }
}

fn row_id(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_nanoseconds_or_seconds_since_2001() {
        let t = |d| apple_time(d).map(|t| t.to_string());
        assert_eq!(
            t(727_379_229_507_062_144).as_deref(),
            Some("2024-01-19T17:47:09.507062144Z")
        );
        assert_eq!(t(0).as_deref(), Some("2001-01-01T00:00:00Z"));
        assert_eq!(t(500_000_000).as_deref(), Some("2016-11-05T00:53:20Z"));
        // The extremes of i64 nanoseconds are years 1708 and 2293: in range.
        assert!(t(i64::MAX).is_some_and(|t| t.starts_with("2293-")));
        assert!(t(i64::MIN).is_some_and(|t| t.starts_with("1708-")));
        // Seconds past jiff's year 9999.
        assert_eq!(t(999_999_999_999), None);
    }

    #[test]
    fn tapback_texts_are_recognised() {
        assert!(looks_like_tapback("Loved \u{201C}hi\u{201D}"));
        assert!(looks_like_tapback(
            "Laughed at \u{201C}a \u{201C}quote\u{201D} in it\u{201D}"
        ));
        assert!(looks_like_tapback("Reacted \u{1F44B} to \u{201C}hey\u{201D}"));
        assert!(looks_like_tapback("Removed a heart from \u{201C}hey\u{201D}"));
        assert!(!looks_like_tapback("Loved it"));
        assert!(!looks_like_tapback("I Loved \u{201C}that film\u{201D}"));
    }

    #[test]
    fn uri_paths_escape_what_uris_reserve() {
        assert_eq!(uri_path(Path::new("/a b/c?d#e%f.db")), "/a%20b/c%3Fd%23e%25f.db");
        assert_eq!(uri_path(Path::new("C:/x/chat.db")), "/C:/x/chat.db");
    }
}
