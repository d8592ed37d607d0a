//! iMessage chat.db: the fixture's JSON table dumps rebuilt into a database
//! and snapshotted, a synthetic database with the columns of a recent
//! macOS, and inputs that are not chat.db.

use std::path::{Path, PathBuf};

use base64::Engine;
use mutual_import::{Format, Input, collect, imessage};
use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::common::{fixture, options};
use crate::sms::assert_sniff_claims;

const TABLES: [&str; 7] = [
    "attachment",
    "chat",
    "chat_handle_join",
    "chat_message_join",
    "handle",
    "message",
    "message_attachment_join",
];

/// Builds `chat.db` in `dir` from the fixture's JSON dumps: one table per
/// dump, with the columns its rows have, and `base64:` strings as blobs.
fn mock_chat_db(dir: &Path) -> PathBuf {
    let path = dir.join("chat.db");
    let db = Connection::open(&path).expect("create chat.db");
    for table in TABLES {
        let dump = fixture(&format!(
            "imessage/imessage-conversation-analyzer__mockdb_chats__{table}.json"
        ));
        let rows: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_slice(&std::fs::read(dump).expect("dump")).expect("JSON rows");
        let mut columns: Vec<&str> = Vec::new();
        for row in &rows {
            for key in row.keys() {
                if !columns.contains(&key.as_str()) {
                    columns.push(key);
                }
            }
        }
        let quoted: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        db.execute_batch(&format!("CREATE TABLE {table} ({})", quoted.join(", ")))
            .expect("create table");
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            quoted.join(", "),
            vec!["?"; columns.len()].join(", ")
        );
        for row in &rows {
            let values: Vec<Value> = columns.iter().map(|c| sql_value(row.get(*c))).collect();
            db.execute(&insert, rusqlite::params_from_iter(values))
                .expect("insert");
        }
    }
    path
}

fn sql_value(json: Option<&serde_json::Value>) -> Value {
    use serde_json::Value as J;
    match json {
        None | Some(J::Null) => Value::Null,
        Some(J::Bool(b)) => Value::Integer(i64::from(*b)),
        Some(J::Number(n)) => n.as_i64().map_or(Value::Null, Value::Integer),
        Some(J::String(s)) => match s.strip_prefix("base64:") {
            Some(b64) => Value::Blob(
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .expect("base64"),
            ),
            None => Value::Text(s.clone()),
        },
        Some(other) => Value::Text(other.to_string()),
    }
}

/// Snapshots the messages and diagnostics of a database built by a test.
fn check_database(name: &str, path: &Path) {
    let input = Input::file(path).expect("database opens");
    let (format, got) = collect(&input, None, &options()).expect("database parses");
    assert_eq!(format, Format::IMessage);
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    insta::assert_json_snapshot!(
        name,
        serde_json::json!({
            "format": format.as_str(),
            "messages": got.messages,
            "diagnostics": diagnostics,
        })
    );
}

#[test]
fn fixture_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = mock_chat_db(dir.path());
    check_database("imessage-conversation-analyzer__mockdb_chats", &path);
    // Read-only: nothing was written beside the database.
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    files.sort();
    assert_eq!(files, ["chat.db"]);
}

#[test]
fn the_fixture_tapbacks_are_skipped_with_one_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = Input::file(&mock_chat_db(dir.path())).expect("opens");
    let (_, got) = collect(&input, Some(Format::IMessage), &options()).expect("parses");
    // 38 rows: 9 tapbacks (one of them only in attributedBody).
    assert_eq!(got.messages.len(), 29);
    assert!(got.messages.iter().all(|m| !m.text.starts_with("Loved")));
    assert_eq!(
        got.diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["skipped 9 tapbacks (reactions such as Loved or Liked, which are not messages)"]
    );
}

/// A typedstream `attributedBody` holding `text`, as macOS writes it.
fn attributed_body(text: &str) -> Vec<u8> {
    let mut blob = b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x19NSMutableAttributedString\x00\
\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x0fNSMutableString\x01\
\x84\x84\x08NSString\x01\x95\x84\x01+"
        .to_vec();
    blob.push(u8::try_from(text.len()).expect("short text"));
    blob.extend_from_slice(text.as_bytes());
    blob.extend_from_slice(b"\x86\x84\x02iI\x01");
    blob
}

/// (guid, text, handle, date, is_from_me, item_type, associated_message_type,
/// thread_originator_guid, date_edited, date_retracted, chat).
type MessageRow = (
    &'static str,
    Option<&'static str>,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<&'static str>,
    i64,
    i64,
    Option<i64>,
);

#[rustfmt::skip]
const MESSAGES: [MessageRow; 10] = [
    ("G1", Some("hi"), 1, 700_000_000_000_000_000, 0, 0, 0, None, 0, 0, Some(1)),
    ("G2", Some("Loved \u{201C}hi\u{201D}"), 1, 700_000_001_000_000_000, 1, 0, 2000, None, 0, 0, Some(1)),
    ("G3", Some("hey back"), 1, 700_000_002_000_000_000, 1, 0, 0, Some("G1"), 700_000_003_000_000_000, 0, Some(1)),
    ("G4", None, 1, 700_000_004_000_000_000, 1, 0, 0, None, 0, 700_000_005_000_000_000, Some(1)),
    ("G5", Some("\u{FFFC}"), 2, 700_000_006_000_000_000, 0, 0, 0, None, 0, 0, Some(2)),
    ("G6", None, 2, 700_000_007_000_000_000, 0, 1, 0, None, 0, 0, Some(2)),
    ("G7", None, 2, 700_000_008_000_000_000, 0, 0, 0, None, 0, 0, Some(2)),
    ("G8", Some("old"), 1, 300_000_000, 0, 0, 0, None, 0, 0, None),
    ("G9", Some("lost"), 0, 700_000_009_000_000_000, 0, 0, 0, None, 0, 0, None),
    ("G10", Some("broken date"), 1, 999_999_999_999, 0, 0, 0, None, 0, 0, Some(1)),
];

/// A chat.db with the tables and columns of a recent macOS, and one row for
/// each case the parser tells apart.
fn synthetic_chat_db(dir: &Path) -> PathBuf {
    let path = dir.join("chat.db");
    let db = Connection::open(&path).expect("create");
    db.execute_batch(
        "CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, service TEXT);
         CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT, chat_identifier TEXT, display_name TEXT);
         CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER, message_date INTEGER DEFAULT 0);
         CREATE TABLE chat_handle_join (chat_id INTEGER, handle_id INTEGER);
         CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT, mime_type TEXT);
         CREATE TABLE message_attachment_join (message_id INTEGER, attachment_id INTEGER);
         CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
             text TEXT, attributedBody BLOB, handle_id INTEGER DEFAULT 0, date INTEGER, date_edited INTEGER DEFAULT 0,
             date_retracted INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0, item_type INTEGER DEFAULT 0,
             group_action_type INTEGER DEFAULT 0, associated_message_type INTEGER DEFAULT 0,
             associated_message_guid TEXT, thread_originator_guid TEXT, cache_has_attachments INTEGER DEFAULT 0);
         INSERT INTO handle (ROWID, id) VALUES (1, '+15550001'), (2, 'sam@example.com');
         INSERT INTO chat (ROWID, chat_identifier, display_name) VALUES (1, '+15550001', ''), (2, 'chat42', 'Climbing');
         INSERT INTO attachment (ROWID, mime_type) VALUES (1, 'image/heic');",
    )
    .expect("schema");
    for (
        rowid,
        (guid, text, handle, date, from_me, item_type, associated, thread, edited, retracted, chat),
    ) in (1i64..).zip(MESSAGES)
    {
        let body = (guid == "G7").then(|| attributed_body("only in the blob"));
        db.execute(
            "INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, date, is_from_me, item_type,
                 associated_message_type, thread_originator_guid, date_edited, date_retracted, cache_has_attachments)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            rusqlite::params![
                rowid,
                guid,
                text,
                body,
                handle,
                date,
                from_me,
                item_type,
                associated,
                thread,
                edited,
                retracted,
                i64::from(guid == "G5")
            ],
        )
        .expect("message");
        if let Some(chat) = chat {
            db.execute(
                "INSERT INTO chat_message_join (chat_id, message_id) VALUES (?1, ?2)",
                [chat, rowid],
            )
            .expect("join");
        }
    }
    db.execute(
        "INSERT INTO message_attachment_join (message_id, attachment_id) VALUES (5, 1)",
        [],
    )
    .expect("attachment");
    path
}

#[test]
fn a_recent_schema_tells_every_case_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = Input::file(&synthetic_chat_db(dir.path())).expect("opens");
    let (format, got) = collect(&input, None, &options()).expect("parses");
    assert_eq!(format, Format::IMessage);
    let summary = crate::common::summary(&got);
    assert_eq!(
        summary,
        [
            // Seconds since 2001 (macOS before 10.13), outside any chat: named by its sender.
            ("G8", "+15550001", "+15550001", false, "text", "old", None, false),
            ("G1", "+15550001", "+15550001", false, "text", "hi", None, false),
            ("G3", "+15550001", "", true, "text", "hey back", Some("G1"), true),
            ("G4", "+15550001", "", true, "deleted", "", None, false),
            (
                "G5",
                "Climbing",
                "sam@example.com",
                false,
                "media",
                "image/heic",
                None,
                false
            ),
            (
                "G6",
                "Climbing",
                "sam@example.com",
                false,
                "system",
                "added someone to the group",
                None,
                false
            ),
            (
                "G7",
                "Climbing",
                "sam@example.com",
                false,
                "text",
                "only in the blob",
                None,
                false
            ),
        ]
    );
    assert_eq!(got.messages[0].utc.to_string(), "2010-07-05T05:20:00Z");
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        [
            "record 2: `date` is missing or out of range; skipped",
            "record 10: the message belongs to no chat and has no sender; skipped",
            "skipped 1 tapbacks (reactions such as Loved or Liked, which are not messages)",
        ]
    );
}

#[test]
fn a_database_in_memory_needs_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = std::fs::read(mock_chat_db(dir.path())).expect("read");
    let input = Input::bytes("chat.db", bytes.clone());
    assert!(
        imessage::sniff(&input, &bytes),
        "the schema in the head names the tables"
    );
    let err = collect(&input, None, &options()).expect_err("no file");
    assert_eq!(
        err.to_string(),
        "this is a database, which can only be read from a file on disk (not from a zip or memory); \
         expected macOS Messages' chat.db (~/Library/Messages/chat.db, or a copy of it), given as a file path"
    );
}

#[test]
fn another_sqlite_database_is_not_chat_db() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("other.db");
    Connection::open(&path)
        .and_then(|db| db.execute_batch("CREATE TABLE message (text TEXT)"))
        .expect("create");
    let input = Input::file(&path).expect("opens");
    let head = input.head(4096).expect("head");
    assert!(!imessage::sniff(&input, &head));
    let err = collect(&input, Some(Format::IMessage), &options()).expect_err("not chat.db");
    assert_eq!(
        err.to_string(),
        "the database has no `handle` table; \
         expected macOS Messages' chat.db (~/Library/Messages/chat.db, or a copy of it)"
    );
}

#[test]
fn only_chat_db_is_sniffed() {
    // No fixture is a chat.db itself (the iMessage fixtures are JSON dumps).
    assert_sniff_claims(imessage::sniff, |_| false);
    let dir = tempfile::tempdir().expect("temp dir");
    let input = Input::file(&mock_chat_db(dir.path())).expect("opens");
    let head = input.head(mutual_import::detect::HEAD).expect("head");
    assert!(imessage::sniff(&input, &head));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_files_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..4096), sqlite: bool) {
        if sqlite {
            bytes.splice(0..0, *b"SQLite format 3\0");
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("chat.db");
        std::fs::write(&path, &bytes).expect("write");
        if let Ok(input) = Input::file(&path) {
            let _ = imessage::sniff(&input, &bytes);
            let _ = collect(&input, Some(Format::IMessage), &options());
        }
    }
}

#[test]
fn chats_are_identified_by_their_chat_identifier() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = Input::file(&mock_chat_db(dir.path())).expect("opens");
    let (_, got) = collect(&input, Some(Format::IMessage), &options()).expect("parses");
    let mut chats: Vec<(&str, Option<&str>)> = got
        .messages
        .iter()
        .map(|m| (m.chat.as_str(), m.chat_id.as_deref()))
        .collect();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!(
        chats,
        [
            ("+12123456789", Some("+12123456789")),
            ("+12234567890", Some("+12234567890")),
            ("Group Chat", Some("chat123456789")),
            (
                "thomas.riverstone@example.com",
                Some("thomas.riverstone@example.com")
            ),
        ]
    );
}

#[test]
fn texts_of_many_mebibytes_are_cut_and_the_next_message_read() {
    let max = mutual_import::MAX_MESSAGE_BYTES;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = synthetic_chat_db(dir.path());
    let db = Connection::open(&path).expect("open");
    let long = "long text \u{1F600} ".repeat(1 << 20);
    // The same length in an attributedBody, with a four-byte length.
    let mut blob = attributed_body("");
    // The length byte of the empty string, before six bytes of attributes.
    let at = blob.len() - 7;
    let n = u32::try_from(long.len()).expect("fits");
    let mut string = vec![0x82];
    string.extend_from_slice(&n.to_le_bytes());
    string.extend_from_slice(long.as_bytes());
    blob.splice(at..=at, string);
    db.execute(
        "INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, date) VALUES
             (20, 'L1', ?1, NULL, 1, 700_000_100_000_000_000),
             (21, 'L2', NULL, ?2, 1, 700_000_101_000_000_000),
             (22, 'L3', 'after', NULL, 1, 700_000_102_000_000_000)",
        rusqlite::params![long, blob],
    )
    .expect("long messages");
    db.execute_batch("INSERT INTO chat_message_join (chat_id, message_id) VALUES (1, 20), (1, 21), (1, 22)")
        .expect("joins");
    drop(db);
    let input = Input::file(&path).expect("opens");
    let (_, got) = collect(&input, Some(Format::IMessage), &options()).expect("parses");
    let last: Vec<(&str, bool)> = got.messages[got.messages.len() - 3..]
        .iter()
        .map(|m| {
            (
                m.id.as_deref().unwrap_or(""),
                m.text.len() <= max && m.text.len() > max - 4,
            )
        })
        .collect();
    assert_eq!(last, [("L1", true), ("L2", true), ("L3", false)]);
    assert!(
        got.messages[got.messages.len() - 2]
            .text
            .starts_with("long text \u{1F600} long")
    );
    assert_eq!(got.messages[got.messages.len() - 1].text, "after");
    let cut: Vec<String> = got
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("was cut"))
        .collect();
    assert_eq!(cut.len(), 2, "{cut:?}");
    assert!(
        cut.iter()
            .all(|d| d.ends_with(": a message of 15 MiB was cut to its first 256 KiB"))
    );
}
