//! Telegram Desktop `result.json`: fixtures, grammar cases, errors, and
//! arbitrary bytes. Also the sniff check every JSON module uses.

use mutual_import::{Format, Input, OwnedMessage, detect, telegram};
use proptest::prelude::*;

use crate::common::{self, check, parse_bytes};

#[test]
fn fixtures() {
    check("telegram/chat-miner__test_batch_export.json", Format::Telegram);
    check("telegram/chat-miner__test_single_export.json", Format::Telegram);
    check("telegram/tg2md__result.json", Format::Telegram);
}

/// Every fixture under chat-samples, as (path relative to it, input).
pub(crate) fn all_fixtures() -> Vec<(String, Input)> {
    let root = common::fixture("");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixture directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e != "md") {
                let relative = path.strip_prefix(&root).expect("inside").display().to_string();
                out.push((relative, Input::file(&path).expect("fixture opens")));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The fixtures `sniff` claims.
pub(crate) fn sniffed(sniff: fn(&Input, &[u8]) -> bool) -> Vec<String> {
    all_fixtures()
        .into_iter()
        .filter(|(_, input)| sniff(input, &input.head(mutual_import::detect::HEAD).expect("head")))
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn sniff_claims_only_telegram() {
    let claimed = sniffed(telegram::sniff);
    assert_eq!(
        claimed,
        [
            "telegram/chat-miner__test_batch_export.json",
            "telegram/chat-miner__test_single_export.json",
            "telegram/tg2md__result.json"
        ]
    );
}

fn parse(json: &str) -> mutual_import::Collected {
    parse_bytes(Format::Telegram, "result.json", json.as_bytes()).expect("parses")
}

/// A full-account export: two chats (one left), the owner's messages marked.
const ACCOUNT: &str = r#"{
 "about": "Here is the data you requested.",
 "personal_information": {"user_id": 111, "first_name": "Me", "phone_number": "+1 555"},
 "contacts": {"about": "...", "list": [{"first_name": "Sam", "date": "2020-01-01T00:00:00"}]},
 "chats": {
  "about": "This page lists all chats from this export.",
  "list": [
   {"name": "Sam Lee", "type": "personal_chat", "id": 222, "messages": [
     {"id": 1, "type": "message", "date": "2024-05-01T21:03:00", "date_unixtime": "1714590180",
      "from": "Me", "from_id": "user111", "text": "dinner friday?", "text_entities": []},
     {"id": 2, "type": "message", "date": "2024-05-01T21:04:10", "date_unixtime": "1714590250",
      "edited": "2024-05-01T21:05:00", "edited_unixtime": "1714590300",
      "from": "Sam Lee", "from_id": "user222", "reply_to_message_id": 1,
      "text": ["yes! ", {"type": "bold", "text": "8pm"}, " at ", {"type": "text_link", "text": "the place", "href": "https://example.com"}]},
     {"id": 3, "type": "service", "date": "2024-05-02T10:00:00", "date_unixtime": "1714636800",
      "actor": "Sam Lee", "actor_id": "user222", "action": "phone_call", "duration_seconds": 300,
      "discard_reason": "hangup", "text": ""},
     {"id": 4, "type": "message", "date": "2024-05-02T10:10:00", "date_unixtime": "1714637400",
      "from": "Me", "from_id": "user111", "file": "(File not included. Change data exporting settings to download.)",
      "media_type": "voice_message", "duration_seconds": 4, "text": ""}
   ]},
   {"type": "saved_messages", "id": 111, "messages": [
     {"id": 9, "type": "message", "date": "2024-05-03T08:00:00", "date_unixtime": "1714723200",
      "from": "Me", "from_id": "user111", "photo": "photos/photo_1.jpg", "text": ""}
   ]}
  ]
 },
 "left_chats": {"about": "...", "list": [
   {"name": "Old Club", "type": "private_group", "id": 333, "messages": [
     {"id": 5, "type": "service", "date": "2019-01-01T12:00:00", "actor": "Me", "actor_id": "user111",
      "action": "create_group", "title": "Old Club", "members": ["Me", "Sam Lee"], "text": ""}
   ]}
 ]}
}"#;

fn summary(m: &OwnedMessage) -> String {
    format!(
        "{} | {} | me={} | {} | {} | {} | {:?} | {:?} | edited={}",
        m.chat, m.sender, m.from_me, m.local, m.utc, m.kind, m.text, m.reply_to, m.edited
    )
}

#[test]
fn a_full_account_export_marks_the_owner() {
    let got = parse(ACCOUNT);
    let lines: Vec<String> = got.messages.iter().map(summary).collect();
    assert_eq!(
        lines,
        [
            "Sam Lee | Me | me=true | 2024-05-01T21:03:00 | 2024-05-01T19:03:00Z | text | \"dinner friday?\" | None | edited=false",
            "Sam Lee | Sam Lee | me=false | 2024-05-01T21:04:10 | 2024-05-01T19:04:10Z | text | \"yes! 8pm at the place\" | Some(\"1\") | edited=true",
            "Sam Lee | Sam Lee | me=false | 2024-05-02T10:00:00 | 2024-05-02T08:00:00Z | call | \"phone_call (hangup)\" | None | edited=false",
            "Sam Lee | Me | me=true | 2024-05-02T10:10:00 | 2024-05-02T08:10:00Z | media | \"voice_message\" | None | edited=false",
            "111 | Me | me=true | 2024-05-03T08:00:00 | 2024-05-03T08:00:00Z | media | \"photo\" | None | edited=false",
            // No date_unixtime: the local time is read in the given zone (UTC here).
            "Old Club | Me | me=true | 2019-01-01T12:00:00 | 2019-01-01T12:00:00Z | system | \"create_group\" | None | edited=false",
        ]
    );
    assert_eq!(got.messages[1].id.as_deref(), Some("2"));
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
}

#[test]
fn a_local_time_alone_is_read_in_the_given_zone() {
    let input = Input::bytes(
        "result.json",
        r#"{"name": "Sam", "messages": [{"id": 1, "type": "message", "date": "2024-07-01T09:30:00", "from": "Sam", "text": "hi"}]}"#
            .as_bytes()
            .to_vec(),
    );
    let options = mutual_import::Options {
        tz: jiff::tz::TimeZone::get("Europe/Berlin").expect("tzdb"),
        ..Default::default()
    };
    let (_, got) = mutual_import::collect(&input, Some(Format::Telegram), &options).expect("parses");
    assert_eq!(got.messages[0].utc.to_string(), "2024-07-01T07:30:00Z");
}

#[test]
fn a_chat_without_a_name_is_named_by_its_id_or_the_file() {
    let got = parse(r#"{"id": 42, "messages": [{"type": "message", "date_unixtime": "0", "text": "x"}]}"#);
    assert_eq!(got.messages[0].chat, "42");
    let got = parse(r#"{"messages": [{"type": "message", "date_unixtime": "0", "text": "x"}]}"#);
    assert_eq!(got.messages[0].chat, "result");
}

#[test]
fn broken_messages_are_diagnostics_and_the_parse_goes_on() {
    let json = r#"{"name": "Sam", "messages": [
        {"id": 1, "type": "message", "from": "Sam", "text": "no date"},
        {"id": 2, "type": "message", "date": "2024-13-45T99:00:00", "from": "Sam", "text": "bad date"},
        {"id": 3, "type": "message", "date_unixtime": "99999999999999999", "text": "far future"},
        {"id": 4, "type": "message", "date": "2024-05-01T21:03:00", "from": "Sam" "text": "missing comma"},
        "not an object",
        {"id": 5, "type": "message", "date": "2024-05-01T21:03:00", "from": 7, "text": 12, "reply_to_message_id": [1]},
        {"id": 6, "type": "message", "date": "2024-05-01T21:04:00", "from": "Sam", "text": "fine"}
    ]}"#;
    let got = parse(json);
    let texts: Vec<&str> = got.messages.iter().map(|m| m.text.as_str()).collect();
    // Odd field types are read leniently: a number is no sender and no text.
    assert_eq!(texts, ["", "fine"]);
    let problems: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "byte 38: a message has no readable date; skipped",
            "byte 110: a message has no readable date; skipped",
            "byte 214: a message has no readable date; skipped",
            // Where the comma is missing.
            "byte 386: the record is not valid JSON; skipped",
            "byte 420: the record does not have the expected fields; skipped",
        ]
    );
    for d in &problems {
        assert!(!d.contains("Sam") && !d.contains("date\""), "no data in {d}");
    }
}

#[test]
fn unreadable_inputs_name_where_and_what() {
    let err = |bytes: &[u8]| {
        parse_bytes(Format::Telegram, "result.json", bytes)
            .expect_err("unreadable")
            .to_string()
    };
    assert_eq!(
        err(b""),
        "the file is empty; expected a Telegram Desktop result.json with a messages list"
    );
    assert_eq!(
        err(b"[1, 2, 3]"),
        "byte 0: found an array where a JSON object should start; expected a Telegram Desktop result.json with a messages list"
    );
    assert_eq!(
        err(b"{\"name\": \"Sam\", \"messages\": [{\"id\": 1, \"type\": \"message\", \"da"),
        "byte 61: the JSON ends early (the file may be truncated); expected a Telegram Desktop result.json with a messages list"
    );
    assert_eq!(
        err(b"{\"name\": \"Sam\", \"messages\": {}}"),
        "byte 28: found an object where a list of messages should be; expected a Telegram Desktop result.json with a messages list"
    );
    assert_eq!(
        err(b"{\"about\": \"nothing here\"}"),
        "the JSON has no \"messages\" list; expected a Telegram Desktop result.json with a messages list"
    );
    assert_eq!(
        err(b"hello"),
        "byte 0: found something that is not JSON where a JSON object should start; expected a Telegram Desktop result.json with a messages list"
    );
}

#[test]
fn a_truncated_fixture_keeps_what_came_before_and_fails() {
    let bytes = std::fs::read(common::fixture("telegram/tg2md__result.json")).expect("fixture");
    let cut = bytes.len() / 2;
    let err = parse_bytes(Format::Telegram, "result.json", &bytes[..cut]).expect_err("truncated");
    assert_eq!(
        err.to_string(),
        format!(
            "byte {cut}: the JSON ends early (the file may be truncated); expected a Telegram Desktop result.json with a messages list"
        )
    );
}

#[test]
fn detection_finds_telegram_with_a_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(ACCOUNT.as_bytes());
    let input = Input::bytes("result.json", bytes);
    assert_eq!(detect(&input).expect("detected"), Format::Telegram);
}

#[test]
fn the_synthetic_export_reads_back() {
    use mutual_import::synth::{Generator, write_telegram};
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").expect("tzdb");
    let mut generator = Generator::new(5, &["Me", "Sam"], jiff::civil::date(2021, 3, 1).at(9, 0, 0, 0));
    let mut bytes = Vec::new();
    write_telegram(&mut bytes, &mut generator, 3000, &tz).expect("in memory");
    let got = parse_bytes(Format::Telegram, "result.json", &bytes).expect("parses");
    assert_eq!(got.messages.len(), 3000);
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);
    assert!(got.messages.iter().all(|m| m.chat == "Sam"));
    for m in &got.messages {
        assert_eq!(
            tz.to_datetime(m.utc),
            m.local,
            "the moment matches the wall-clock time"
        );
    }
}

/// Fixture bytes with some bytes replaced and the end cut off.
pub(crate) fn mutated(fixtures: &[&str]) -> impl Strategy<Value = Vec<u8>> {
    let files: Vec<Vec<u8>> = fixtures
        .iter()
        .map(|f| std::fs::read(common::fixture(f)).expect("fixture"))
        .collect();
    (
        0..files.len(),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        any::<prop::sample::Index>(),
    )
        .prop_map(move |(file, edits, cut)| {
            let mut bytes = files[file].clone();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            bytes.truncate(cut.index(bytes.len() + 1));
            bytes
        })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse_bytes(Format::Telegram, "result.json", &bytes);
    }

    #[test]
    fn mutated_fixtures_never_panic(bytes in mutated(&[
        "telegram/chat-miner__test_batch_export.json",
        "telegram/chat-miner__test_single_export.json",
        "telegram/tg2md__result.json",
    ])) {
        let _ = parse_bytes(Format::Telegram, "result.json", &bytes);
    }
}

#[test]
fn chats_that_share_a_name_keep_their_own_ids() {
    let message = |text: &str| {
        format!(
            r#"{{"id": 1, "type": "message", "date": "2024-05-01T21:03:00", "from": "Alex", "from_id": "user9", "text": "{text}"}}"#
        )
    };
    let account = format!(
        r#"{{"personal_information": {{"user_id": 111}}, "chats": {{"list": [
            {{"name": "Alex", "type": "personal_chat", "id": 4000001, "messages": [{}]}},
            {{"name": "Alex", "type": "personal_chat", "id": 4000002, "messages": [{}]}},
            {{"name": "Alex", "type": "personal_chat", "messages": [{}]}}
        ]}}}}"#,
        message("one"),
        message("two"),
        message("three")
    );
    let got = parse(&account);
    let chats: Vec<(&str, Option<&str>)> = got
        .messages
        .iter()
        .map(|m| (m.chat.as_str(), m.chat_id.as_deref()))
        .collect();
    assert_eq!(
        chats,
        [
            ("Alex", Some("4000001")),
            ("Alex", Some("4000002")),
            ("Alex", None)
        ]
    );
    // A single-chat export: the document is the chat.
    let single = format!(
        r#"{{"name": "Alex", "type": "personal_chat", "id": "4000003", "messages": [{}]}}"#,
        message("four")
    );
    assert_eq!(parse(&single).messages[0].chat_id.as_deref(), Some("4000003"));
}

#[test]
fn texts_of_tens_of_mebibytes_are_cut_and_the_next_message_read() {
    let max = mutual_import::MAX_MESSAGE_BYTES;
    let long = "x".repeat(30 << 20);
    // A text given as parts: 100,000 entities of 200 bytes (about 20 MiB).
    let part = format!(r#"{{"type": "bold", "text": "{}"}}"#, "y".repeat(200));
    let parts = vec![part.as_str(); 100_000].join(", ");
    let message = |id: u32, text: &str, entities: &str| {
        format!(
            r#"{{"id": {id}, "type": "message", "date": "2024-05-01T21:0{id}:00", "from": "Sam", "from_id": "user2",
              "text": {text}, "text_entities": {entities}}}"#
        )
    };
    let json = format!(
        r#"{{"name": "Sam", "type": "personal_chat", "id": 2, "messages": [{}, {}, {}]}}"#,
        message(
            1,
            &format!(r#""{long}""#),
            &format!(r#"[{{"type": "plain", "text": "{long}"}}]"#)
        ),
        message(2, &format!("[{parts}]"), &format!("[{parts}]")),
        message(3, r#""after""#, "[]"),
    );
    let got = parse(&json);
    let texts: Vec<(usize, &str)> = got
        .messages
        .iter()
        .map(|m| (m.text.len(), m.text.get(..1).unwrap_or("")))
        .collect();
    assert_eq!(texts, [(max, "x"), (max, "y"), (5, "a")]);
    assert_eq!(got.messages[2].text, "after");
    let diagnostics: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    let first = json.find(r#"{"id": 1"#).expect("the first message");
    let second = json.find(r#"{"id": 2"#).expect("the second message");
    assert_eq!(
        diagnostics,
        [
            // The text alone, not its copy in text_entities.
            format!("byte {first}: a message of 30 MiB was cut to its first 256 KiB"),
            // The parts as written (with their entities' keys).
            format!("byte {second}: a message of 22 MiB was cut to its first 256 KiB"),
        ]
    );
}
