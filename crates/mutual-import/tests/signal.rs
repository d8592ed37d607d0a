//! Signal: signal-export text (both layouts) and Signal Desktop's encrypted
//! database (the fixture pair, and a synthetic database with the tables of
//! a recent version).

use std::path::{Path, PathBuf};

use mutual_import::{Format, Input, collect, signal};
use proptest::prelude::*;
use rusqlite::Connection;

use crate::common::{check, fixture, options, parse_bytes};
use crate::sms::assert_sniff_claims;

#[test]
fn fixtures() {
    check("signal/chat-miner__test_export.txt", Format::SignalText);
    check("signal/signal-export__db.sqlite", Format::SignalDesktop);
}

/// The current signal-export Markdown, written as its `to_md` writes it.
const CHAT_MD: &str = "[2022-08-10 19:33:38] Me: Test message  \n\
\n\
[2022-08-10 19:34:02] Sam Doe: a first line\n\
and a second  \n\
\n\
[2022-08-10 19:35:10] Sam Doe: ![signal-2022-08-10-193510.jpeg](./media/2022-08-10T19-35-10.000_00_signal-2022-08-10-193510.jpeg)  \n\
\n\
[2022-08-10 19:36:00] Me: \n\
\n\
> a first line\n\
> and a second\n\
\n\
sounds good  \n\
(- Sam Doe: \u{1F44D} -)\n\
\n\
[2022-08-10 19:37:00] Sam Doe: (This message was deleted)\n\
\n\
[2022-08-10 19:38:00] Me: Outgoing voice call (accepted, 1m 2s)  \n\
\n\
[2022-08-10 19:39:00] No-Sender: who?  \n";

#[test]
fn the_current_markdown_layout() {
    let got = parse_bytes(Format::SignalText, "Sam Doe/chat.md", CHAT_MD.as_bytes()).expect("parses");
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
    let summary: Vec<_> = got
        .messages
        .iter()
        .map(|m| {
            (
                m.local.to_string(),
                m.chat.as_str(),
                m.sender.as_str(),
                m.from_me,
                m.kind,
                m.text.as_str(),
            )
        })
        .collect();
    let chat = "Sam Doe";
    assert_eq!(
        summary,
        [
            (
                "2022-08-10T19:33:38".to_owned(),
                chat,
                "Me",
                true,
                "text",
                "Test message"
            ),
            (
                "2022-08-10T19:34:02".to_owned(),
                chat,
                "Sam Doe",
                false,
                "text",
                "a first line\nand a second"
            ),
            (
                "2022-08-10T19:35:10".to_owned(),
                chat,
                "Sam Doe",
                false,
                "media",
                "image"
            ),
            (
                "2022-08-10T19:36:00".to_owned(),
                chat,
                "Me",
                true,
                "text",
                "sounds good"
            ),
            (
                "2022-08-10T19:37:00".to_owned(),
                chat,
                "Sam Doe",
                false,
                "deleted",
                ""
            ),
            (
                "2022-08-10T19:38:00".to_owned(),
                chat,
                "Me",
                true,
                "call",
                "Outgoing voice call (accepted, 1m 2s)"
            ),
            ("2022-08-10T19:39:00".to_owned(), chat, "", false, "text", "who?"),
        ]
    );
}

#[test]
fn a_chat_file_is_named_by_its_folder_and_others_by_their_stem() {
    let line = b"[2019-12-24, 12:23] Jane Doe: Hello John!\n";
    let chat = |name: &str| {
        parse_bytes(Format::SignalText, name, line)
            .expect("parses")
            .messages[0]
            .chat
            .clone()
    };
    assert_eq!(chat("export/Jane Doe/chat.txt"), "Jane Doe");
    assert_eq!(chat("Jane Doe\\chat.md"), "Jane Doe");
    assert_eq!(chat("chat.md"), "chat");
    assert_eq!(chat("dir/jane.txt"), "jane");
    // A real file: the folder of its canonical path.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("Jane Doe")).expect("folder");
    let path = dir.path().join("Jane Doe").join("chat.md");
    std::fs::write(&path, line).expect("write");
    let (_, got) = collect(&Input::file(&path).expect("opens"), None, &options()).expect("parses");
    assert_eq!(got.messages[0].chat, "Jane Doe");
}

#[test]
fn a_date_that_does_not_exist_skips_its_message_and_names_the_line() {
    let text = "[2022-03-01 10:00:00] Sam: x  \n\n[2022-02-30 10:00:00] Sam: y\ncontinued  \n\n[2022-03-01 10:05:00] Sam: z  \n";
    let got = parse_bytes(Format::SignalText, "chat.md", text.as_bytes()).expect("parses");
    let texts: Vec<_> = got.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["x", "z"]);
    assert_eq!(
        got.diagnostics[0].to_string(),
        "line 3: the date or time does not exist; the message is skipped"
    );
}

#[test]
fn a_legacy_encoding_is_an_error_naming_the_line() {
    let text = b"[2022-03-01 10:00:00] Sam: fine  \n\n[2022-03-01 10:01:00] Sam: na\xefve  \n";
    let err = parse_bytes(Format::SignalText, "chat.md", text).expect_err("not UTF-8");
    assert!(
        err.to_string()
            .starts_with("line 3: byte 30 of the line is not UTF-8 text"),
        "{err}"
    );
}

#[test]
fn text_that_is_not_an_export_is_an_error_naming_the_line() {
    let err = parse_bytes(
        Format::SignalText,
        "chat.md",
        b"\n\nhello\n[2022-03-01 10:00:00] Sam: x",
    )
    .expect_err("not signal-export");
    assert_eq!(
        err.to_string(),
        "line 3: the first message does not start with a signal-export timestamp; expected a signal-export \
         text or Markdown chat, with lines like \"[2022-08-10 19:33:38] Name: text\" or \
         \"[2022-08-10, 19:33] Name: text\""
    );
}

#[test]
fn the_text_sniff_leaves_whatsapp_layouts_alone() {
    let sniff = |name: &str, text: &str| {
        signal::sniff_text(&Input::bytes(name, text.as_bytes().to_vec()), text.as_bytes())
    };
    assert!(sniff("x.txt", "[2019-12-24, 12:23] Jane Doe: Hello John!\n"));
    assert!(sniff("chat.md", CHAT_MD));
    assert!(sniff("Sam.txt", CHAT_MD));
    // WhatsApp writes this layout in some locales, without Markdown's line breaks.
    let whatsapp = "[2019-12-31 21:03:07] Sam: hi\n[2019-12-31 21:04:00] Kim: yo\n";
    assert!(!sniff("WhatsApp Chat with Sam.txt", whatsapp));
    assert!(sniff("chat.md", whatsapp));
    assert!(!sniff("x.txt", "[31.12.19, 21:03:07] Sam: hi\n"));
    assert!(!sniff("x.txt", "2019/12/31, 21:03 - Sam: hi\n"));
    assert!(!sniff("x.txt", ""));
    assert_sniff_claims(signal::sniff_text, |path| {
        path == "signal/chat-miner__test_export.txt"
    });
}

const KEY: &str = "2d1f9c0b7a6e5d4c3b2a19080f0e0d0c0b0a09080706050403020100ffeeddcc";

/// (id, conversation, type, body, sent_at, sourceServiceId, more JSON), out of time order.
type MessageRow = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<i64>,
    Option<&'static str>,
    &'static str,
);

#[rustfmt::skip]
const MESSAGES: [MessageRow; 13] = [
    ("m2", "c-sam", Some("outgoing"), Some("hello back"), Some(1_660_000_001_000), None, r#""quote": {"id": 1660000000000, "text": "hi"}"#),
    ("m1", "c-sam", Some("incoming"), Some("hi"), Some(1_660_000_000_000), Some("aci-sam"), ""),
    ("m3", "c-kim", Some("incoming"), None, Some(1_660_000_002_000), Some("aci-kim"), r#""attachments": [{"contentType": "image/jpeg", "size": 1}]"#),
    ("m4", "c-group", Some("incoming"), Some("on my way"), Some(1_660_000_003_000), Some("aci-kim"), ""),
    ("m5", "c-group", Some("incoming"), Some("who am I"), Some(1_660_000_004_000), Some("aci-stranger"), ""),
    ("m6", "c-sam", Some("keychange"), None, Some(1_660_000_005_000), None, ""),
    ("m7", "c-sam", Some("call-history"), None, Some(1_660_000_006_000), None, r#""callId": "call-1""#),
    ("m8", "c-sam", Some("call-history"), None, Some(1_660_000_007_000), None,
     r#""callHistoryDetails": {"wasIncoming": false, "wasVideoCall": true, "acceptedTime": 1660000007500}"#),
    ("m9", "c-sam", Some("incoming"), Some("oops"), Some(1_660_000_008_000), Some("aci-sam"), r#""deletedForEveryone": true"#),
    ("m10", "c-sam", Some("outgoing"), Some("edited text"), Some(1_660_000_009_000), None,
     r#""editHistory": [{"body": "edited text"}, {"body": "edted text"}]"#),
    ("m11", "c-group", Some("story"), None, Some(1_660_000_010_000), Some("aci-kim"), ""),
    ("m12", "c-sam", None, Some("no type"), Some(1_660_000_011_000), None, ""),
    ("m13", "c-sam", Some("incoming"), Some("no time"), None, Some("aci-sam"), ""),
];

/// A Signal folder (`config.json`, `sql/db.sqlite`) in `dir`, keyed with
/// `KEY`, with the tables and columns of a recent Signal Desktop and one
/// message for each case the parser tells apart. Returns the database.
fn signal_folder(dir: &Path) -> PathBuf {
    let root = dir.join("Signal");
    std::fs::create_dir_all(root.join("sql")).expect("folders");
    std::fs::write(root.join("config.json"), format!("{{\"key\": \"{KEY}\"}}")).expect("config");
    let path = root.join("sql").join("db.sqlite");
    let db = Connection::open(&path).expect("create");
    db.pragma_update(None, "key", format!("x'{KEY}'")).expect("key");
    db.execute_batch(
        "CREATE TABLE conversations (id STRING PRIMARY KEY ASC, json TEXT, active_at INTEGER, type STRING,
             members TEXT, name TEXT, profileName TEXT, profileFamilyName TEXT, profileFullName TEXT,
             e164 TEXT, serviceId TEXT, groupId TEXT, profileLastFetchedAt INTEGER);
         CREATE TABLE messages (rowid INTEGER PRIMARY KEY ASC, id STRING UNIQUE, json TEXT,
             readStatus INTEGER, expires_at INTEGER, sent_at INTEGER, schemaVersion INTEGER,
             conversationId STRING, received_at INTEGER, source TEXT, hasAttachments INTEGER,
             hasFileAttachments INTEGER, hasVisualMediaAttachments INTEGER, expireTimer INTEGER,
             expirationStartTimestamp INTEGER, type STRING, body TEXT, isErased INTEGER, isViewOnce INTEGER,
             sourceServiceId TEXT, serverGuid STRING, sourceDevice INTEGER, storyId STRING, seenStatus NUMBER);
         CREATE TABLE callsHistory (callId TEXT PRIMARY KEY, peerId TEXT, ringerId TEXT, mode TEXT,
             type TEXT, direction TEXT, status TEXT, timestamp INTEGER NOT NULL);
         INSERT INTO conversations (id, type, name, profileName, profileFamilyName, e164, serviceId, groupId) VALUES
             ('c-sam', 'private', 'Sam Doe', 'Sammy', NULL, '+15550001', 'aci-sam', NULL),
             ('c-kim', 'private', NULL, 'Kim', 'Lee', '+15550002', 'aci-kim', NULL),
             ('c-group', 'group', 'Climbing', NULL, NULL, NULL, NULL, 'group-climbing');
         INSERT INTO callsHistory (callId, peerId, mode, type, direction, status, timestamp)
             VALUES ('call-1', 'c-sam', 'Direct', 'Audio', 'Incoming', 'Missed', 1660000006000);",
    )
    .expect("schema");
    for (id, conversation, kind, body, sent_at, source, extra) in MESSAGES {
        let separator = if extra.is_empty() { "" } else { ", " };
        let json = format!(r#"{{"id": "{id}", "conversationId": "{conversation}"{separator}{extra}}}"#);
        db.execute(
            "INSERT INTO messages (id, json, conversationId, type, body, sent_at, sourceServiceId, hasAttachments)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![id, json, conversation, kind, body, sent_at, source, i64::from(id == "m3")],
        )
        .expect("message");
    }
    path
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn a_desktop_database_tells_every_case_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = signal_folder(dir.path());
    let before = files_in(path.parent().expect("sql folder"));
    let input = Input::file(&path).expect("opens");
    let (format, got) = collect(&input, None, &options()).expect("parses");
    assert_eq!(format, Format::SignalDesktop);
    assert_eq!(
        files_in(path.parent().expect("sql folder")),
        before,
        "nothing written"
    );
    let summary = crate::common::summary(&got);
    assert_eq!(
        summary,
        [
            ("m1", "Sam Doe", "Sam Doe", false, "text", "hi", None, false),
            ("m2", "Sam Doe", "", true, "text", "hello back", Some("m1"), false),
            (
                "m3",
                "Kim Lee",
                "Kim Lee",
                false,
                "media",
                "image/jpeg",
                None,
                false
            ),
            (
                "m4",
                "Climbing",
                "Kim Lee",
                false,
                "text",
                "on my way",
                None,
                false
            ),
            (
                "m5",
                "Climbing",
                "aci-stranger",
                false,
                "text",
                "who am I",
                None,
                false
            ),
            (
                "m6",
                "Sam Doe",
                "Sam Doe",
                false,
                "system",
                "keychange",
                None,
                false
            ),
            (
                "m7",
                "Sam Doe",
                "Sam Doe",
                false,
                "call",
                "missed voice call",
                None,
                false
            ),
            (
                "m8",
                "Sam Doe",
                "",
                true,
                "call",
                "outgoing video call (accepted)",
                None,
                false
            ),
            ("m9", "Sam Doe", "Sam Doe", false, "deleted", "", None, false),
            ("m10", "Sam Doe", "", true, "text", "edited text", None, true),
        ]
    );
    assert_eq!(got.messages[0].utc.to_string(), "2022-08-08T23:06:40Z");
    // Chats are named by what every install of Signal knows them by: the
    // contact's service id, or the group's id.
    let chat_ids: Vec<&str> = got.messages.iter().filter_map(|m| m.chat_id.as_deref()).collect();
    assert_eq!(
        chat_ids,
        [
            "aci-sam",
            "aci-sam",
            "aci-kim",
            "group-climbing",
            "group-climbing",
            "aci-sam",
            "aci-sam",
            "aci-sam",
            "aci-sam",
            "aci-sam"
        ]
    );
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        [
            "record 1: `sent_at` is missing or out of range; skipped",
            "record 13: the message has no type; skipped",
            "skipped 1 stories (posts to all contacts, not messages)",
        ]
    );
}

fn desktop_error(path: &Path) -> String {
    let input = Input::file(path).expect("opens");
    collect(&input, Some(Format::SignalDesktop), &options())
        .expect_err("cannot be read")
        .to_string()
}

#[test]
fn a_wrong_key_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = signal_folder(dir.path());
    let config = dir.path().join("Signal").join("config.json");
    std::fs::write(&config, format!("{{\"key\": \"{}\"}}", "ab".repeat(32))).expect("config");
    assert_eq!(
        desktop_error(&path),
        "the key in config.json does not open the database (tried as a raw key and as a \
         passphrase); expected the config.json that Signal Desktop wrote beside this db.sqlite"
    );
    std::fs::write(&config, "{\"key\": \"secret\"}").expect("config");
    assert!(desktop_error(&path).contains("does not open the database"));
}

#[test]
fn a_missing_or_sealed_key_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = signal_folder(dir.path());
    let config = dir.path().join("Signal").join("config.json");
    std::fs::write(&config, r#"{"encryptedKey": "763130deadbeef"}"#).expect("config");
    assert_eq!(
        desktop_error(&path),
        "config.json holds only \"encryptedKey\": this Signal Desktop keeps the database key \
         sealed by the system keychain; expected a config.json with a plain \"key\" (64 hex digits), \
         for example one written by a tool that unseals it, such as sigtop or signal-export"
    );
    std::fs::write(&config, r#"{"mediaPermissions": true}"#).expect("config");
    assert!(desktop_error(&path).starts_with("config.json has no \"key\""));
    std::fs::write(&config, "{not json").expect("config");
    assert!(desktop_error(&path).starts_with("config.json is not JSON (key must be a string at line 1"));
    std::fs::remove_file(&config).expect("remove");
    assert!(
        desktop_error(&path).starts_with("there is no config.json beside the database"),
        "{}",
        desktop_error(&path)
    );
    // Without its config.json the database is no longer recognised as Signal's.
    let input = Input::file(&path).expect("opens");
    let head = input.head(4096).expect("head");
    assert!(!signal::sniff_desktop(&input, &head));
}

#[test]
fn a_database_in_memory_needs_a_file() {
    let bytes = std::fs::read(fixture("signal/signal-export__db.sqlite")).expect("fixture");
    let err = parse_bytes(Format::SignalDesktop, "db.sqlite", &bytes).expect_err("no file");
    assert!(
        err.to_string()
            .starts_with("this is a database, which can only be read from a file on disk"),
        "{err}"
    );
}

#[test]
fn only_signal_databases_are_sniffed() {
    assert_sniff_claims(signal::sniff_desktop, |path| {
        path == "signal/signal-export__db.sqlite"
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_bytes(Format::SignalText, "chat.md", &bytes);
        let _ = signal::sniff_text(&Input::bytes("chat.md", bytes.clone()), &bytes);
    }

    #[test]
    fn mutated_exports_never_panic(
        md: bool,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = if md {
            CHAT_MD.as_bytes().to_vec()
        } else {
            std::fs::read(fixture("signal/chat-miner__test_export.txt")).expect("fixture")
        };
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let _ = parse_bytes(Format::SignalText, "chat.md", &bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_database_files_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..8192), keyed: bool) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("db.sqlite");
        std::fs::write(&path, &bytes).expect("write");
        if keyed {
            std::fs::write(dir.path().join("config.json"), format!("{{\"key\": \"{KEY}\"}}")).expect("config");
        }
        if let Ok(input) = Input::file(&path) {
            let _ = signal::sniff_desktop(&input, &bytes);
            let _ = collect(&input, Some(Format::SignalDesktop), &options());
        }
    }
}

#[test]
fn desktop_texts_of_many_mebibytes_are_cut_and_the_next_message_read() {
    let max = mutual_import::MAX_MESSAGE_BYTES;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = signal_folder(dir.path());
    let db = Connection::open(&path).expect("open");
    db.pragma_update(None, "key", format!("x'{KEY}'")).expect("key");
    let long = "long words \u{e9} ".repeat(1 << 20);
    let json = |body: Option<&str>| {
        serde_json::json!({
            "body": body,
            "quote": {"id": 1_660_000_000_000_i64, "text": long},
            "editHistory": [{"body": long}, {"body": long}],
        })
        .to_string()
    };
    // The text in its column, then only in `json` (and quoted, and edited).
    for (id, body, json, sent_at) in [
        ("L1", Some(long.as_str()), json(None), 1_660_000_100_000_i64),
        ("L2", None, json(Some(&long)), 1_660_000_101_000),
        ("L3", Some("after"), "{}".to_owned(), 1_660_000_102_000),
    ] {
        db.execute(
            "INSERT INTO messages (id, json, conversationId, type, body, sent_at, sourceServiceId)
             VALUES (?1, ?2, 'c-sam', 'incoming', ?3, ?4, 'aci-sam')",
            rusqlite::params![id, json, body, sent_at],
        )
        .expect("message");
    }
    drop(db);
    let input = Input::file(&path).expect("opens");
    let (_, got) = collect(&input, Some(Format::SignalDesktop), &options()).expect("parses");
    let last: Vec<(&str, usize, bool)> = got.messages[got.messages.len() - 3..]
        .iter()
        .map(|m| (m.id.as_deref().unwrap_or(""), m.text.len(), m.edited))
        .collect();
    assert_eq!(last, [("L1", max, true), ("L2", max, true), ("L3", 5, false)]);
    assert_eq!(
        got.messages[got.messages.len() - 3].reply_to.as_deref(),
        Some("m1")
    );
    let cut: Vec<String> = got
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("was cut"))
        .collect();
    assert_eq!(
        cut,
        [
            "record 14: a message of 14 MiB was cut to its first 256 KiB",
            "record 15: a message of 14 MiB was cut to its first 256 KiB",
        ]
    );
}

#[test]
fn a_text_message_of_many_mebibytes_is_cut_and_the_next_one_read() {
    let mut text = String::from("[2022-08-10 19:33:38] Sam: a long one  \n");
    while text.len() < 20 << 20 {
        text.push_str("more of it \u{1F600}  \n");
    }
    text.push_str("\n[2022-08-10 19:35:02] Me: after  \n");
    let got = parse_bytes(Format::SignalText, "Sam/chat.md", text.as_bytes()).expect("parses");
    let [long, after] = got.messages.as_slice() else {
        panic!("two messages, got {}", got.messages.len())
    };
    let max = mutual_import::MAX_MESSAGE_BYTES;
    assert!(
        long.text.len() <= max && long.text.len() > max - 32,
        "{}",
        long.text.len()
    );
    assert!(long.text.starts_with("a long one  \nmore of it \u{1F600}"));
    assert_eq!((after.text.as_str(), after.from_me), ("after", true));
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        diagnostics,
        ["line 1: a message of 20 MiB was cut to its first 256 KiB"]
    );
}
