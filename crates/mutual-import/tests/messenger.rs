//! Messenger and Instagram: the DYI JSON of both apps (with mojibake), the
//! 2024 end-to-end encrypted export, and the legacy `messages.htm`.

use mutual_import::{Format, Input, OwnedMessage, detect, messenger};
use proptest::prelude::*;

use crate::common::{check, parse_bytes};
use crate::telegram::{mutated, sniffed};

#[test]
fn fixtures() {
    check(
        "messenger/chat-miner__facebookMessenger_testlog.json",
        Format::Messenger,
    );
    check(
        "messenger/fbchat-archive-parser__simulated_data.htm",
        Format::Messenger,
    );
    check("instagram/chat-miner__instagram_testlog.json", Format::Instagram);
    check("instagram/chat-miner__test_export.json", Format::Instagram);
}

#[test]
fn sniffs_claim_only_their_own_fixtures() {
    assert_eq!(
        sniffed(messenger::sniff),
        [
            "messenger/chat-miner__facebookMessenger_testlog.json",
            "messenger/fbchat-archive-parser__simulated_data.htm"
        ]
    );
    assert_eq!(
        sniffed(messenger::sniff_instagram),
        [
            "instagram/chat-miner__instagram_testlog.json",
            "instagram/chat-miner__test_export.json"
        ]
    );
}

const THREAD: &str = r#"{"sender_name": "Sam", "timestamp_ms": 1714590180000, "content": "hi"}"#;

#[test]
fn the_app_is_told_by_content_then_by_path() {
    let is_instagram = |name: &str, json: &str| {
        let input = Input::bytes(name, json.as_bytes().to_vec());
        let instagram = messenger::sniff_instagram(&input, json.as_bytes());
        assert_eq!(messenger::sniff(&input, json.as_bytes()), !instagram, "{name}");
        instagram
    };
    let thread = format!(r#"{{"messages": [{THREAD}]}}"#);
    assert!(is_instagram(
        "export/your_instagram_activity/messages/inbox/sam_1/message_1.json",
        &thread
    ));
    assert!(is_instagram("Instagram-data/inbox/sam_1/message_1.json", &thread));
    assert!(!is_instagram(
        "facebook-me/your_activity_across_facebook/messages/inbox/sam_1/message_1.json",
        &thread
    ));
    assert!(!is_instagram("messenger/message_1.json", &thread));
    assert!(!is_instagram("message_1.json", &thread));
    // The deepest folder decides.
    assert!(!is_instagram("instagram-fan/facebook/message_1.json", &thread));
    // Media folders beat the path.
    let with_media = r#"{"messages": [{"sender_name": "Sam", "timestamp_ms": 1,
        "photos": [{"uri": "your_instagram_activity/messages/photos/1.jpg"}]}]}"#;
    assert!(is_instagram("facebook/message_1.json", with_media));
}

fn parse(name: &str, json: &str, format: Format) -> mutual_import::Collected {
    parse_bytes(format, name, json.as_bytes()).expect("parses")
}

fn summary(m: &OwnedMessage) -> String {
    format!(
        "{} | {} | {} | {} | {} | {:?}",
        m.chat, m.sender, m.local, m.utc, m.kind, m.text
    )
}

#[test]
fn messenger_kinds_and_mojibake() {
    let json = r#"{
  "participants": [{"name": "Sam Lee"}, {"name": "Zo\u00c3\u00ab"}],
  "messages": [
    {"sender_name": "Zo\u00c3\u00ab", "timestamp_ms": 1714590600000, "content": "Zo\u00c3\u00ab named the group Caf\u00c3\u00a9 crew.", "type": "Generic", "is_geoblocked_for_viewer": false},
    {"sender_name": "Sam Lee", "timestamp_ms": 1714590540000, "content": "Sam Lee left the group.", "type": "Unsubscribe", "users": [{"name": "Sam Lee"}]},
    {"sender_name": "Sam Lee", "timestamp_ms": 1714590480000, "content": "Sam Lee called you.", "type": "Call", "call_duration": 125},
    {"sender_name": "Zo\u00c3\u00ab", "timestamp_ms": 1714590420000, "is_unsent": true, "type": "Generic"},
    {"sender_name": "Sam Lee", "timestamp_ms": 1714590360000, "photos": [{"uri": "messages/inbox/cafe_1/photos/1.jpg", "creation_timestamp": 1714590360}], "type": "Generic"},
    {"sender_name": "Sam Lee", "timestamp_ms": 1714590300000, "content": "Sam Lee sent an attachment.", "share": {"link": "https://example.com/menu"}, "type": "Share"},
    {"sender_name": "Sam Lee", "timestamp_ms": 1714590240000, "content": "look https://example.com", "share": {"link": "https://example.com"}, "type": "Share"},
    {"sender_name": "Zo\u00c3\u00ab", "timestamp_ms": 1714590180000, "content": "\u00f0\u009f\u0098\u0080 see you at the caf\u00c3\u00a9", "type": "Generic",
     "reactions": [{"reaction": "\u00e2\u009d\u00a4", "actor": "Sam Lee"}]},
    {"sender_name": "Sam Lee", "timestamp_ms": 1714590120000, "sticker": {"uri": "messages/stickers_used/1.png"}, "type": "Generic"},
    {"sender_name": "Sam Lee", "content": "no time"}
  ],
  "title": "Caf\u00c3\u00a9 crew",
  "is_still_participant": true,
  "thread_type": "RegularGroup",
  "thread_path": "inbox/cafecrew_123"
}"#;
    let got = parse("inbox/cafecrew_123/message_1.json", json, Format::Messenger);
    let lines: Vec<String> = got.messages.iter().map(summary).collect();
    assert_eq!(
        lines,
        [
            "Café crew | Zoë | 2024-05-01T19:10:00 | 2024-05-01T19:10:00Z | system | \"Zoë named the group Café crew.\"",
            "Café crew | Sam Lee | 2024-05-01T19:09:00 | 2024-05-01T19:09:00Z | system | \"Sam Lee left the group.\"",
            "Café crew | Sam Lee | 2024-05-01T19:08:00 | 2024-05-01T19:08:00Z | call | \"Sam Lee called you.\"",
            "Café crew | Zoë | 2024-05-01T19:07:00 | 2024-05-01T19:07:00Z | deleted | \"\"",
            "Café crew | Sam Lee | 2024-05-01T19:06:00 | 2024-05-01T19:06:00Z | media | \"photo\"",
            "Café crew | Sam Lee | 2024-05-01T19:05:00 | 2024-05-01T19:05:00Z | media | \"share\"",
            "Café crew | Sam Lee | 2024-05-01T19:04:00 | 2024-05-01T19:04:00Z | text | \"look https://example.com\"",
            "Café crew | Zoë | 2024-05-01T19:03:00 | 2024-05-01T19:03:00Z | text | \"😀 see you at the café\"",
            "Café crew | Sam Lee | 2024-05-01T19:02:00 | 2024-05-01T19:02:00Z | media | \"sticker\"",
        ]
    );
    let problems: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        ["byte 1555: a message has no readable timestamp; skipped"]
    );
}

#[test]
fn times_are_shown_in_the_given_zone() {
    let json = format!(r#"{{"title": "Sam", "messages": [{THREAD}]}}"#);
    let input = Input::bytes("message_1.json", json.into_bytes());
    let options = mutual_import::Options {
        tz: jiff::tz::TimeZone::get("America/New_York").expect("tzdb"),
        ..Default::default()
    };
    let (_, got) = mutual_import::collect(&input, Some(Format::Messenger), &options).expect("parses");
    assert_eq!(got.messages[0].local.to_string(), "2024-05-01T15:03:00");
    assert_eq!(got.messages[0].utc.to_string(), "2024-05-01T19:03:00Z");
}

#[test]
fn a_thread_without_a_title_takes_its_path_or_folder() {
    let json = format!(r#"{{"messages": [{THREAD}], "thread_path": "inbox/sam_42"}}"#);
    assert_eq!(
        parse("message_1.json", &json, Format::Messenger).messages[0].chat,
        "inbox/sam_42"
    );
    let json = format!(r#"{{"messages": [{THREAD}]}}"#);
    assert_eq!(
        parse("inbox/sam_42/message_1.json", &json, Format::Messenger).messages[0].chat,
        "sam_42"
    );
}

/// Messenger's 2024 export of end-to-end encrypted chats (synthetic).
const E2EE: &str = r#"{
  "participants": ["Me", "Sam Lee"],
  "threadName": "Sam Lee_40",
  "messages": [
    {"isUnsent": false, "media": [], "reactions": [{"actor": "Me", "reaction": "❤"}], "senderName": "Sam Lee", "text": "thanks for yesterday 🙏", "timestamp": 1746073791906, "type": "text"},
    {"isUnsent": false, "media": [{"uri": "./media/3f2a-11.jpeg"}], "reactions": [], "senderName": "Me", "text": "", "timestamp": 1746073700000, "type": "media"},
    {"isUnsent": false, "media": [{"uri": "./media/77aa-12.mp4"}], "reactions": [], "senderName": "Me", "text": "", "timestamp": 1746073650000, "type": "media"},
    {"isUnsent": true, "media": [], "reactions": [], "senderName": "Sam Lee", "text": "", "timestamp": 1746073600000, "type": "text"},
    {"isUnsent": false, "media": [], "reactions": [], "senderName": "Me", "text": "https://example.com/trail", "timestamp": 1746073500000, "type": "link"},
    {"isUnsent": false, "media": [], "reactions": [], "senderName": "Sam Lee", "text": "This message is unavailable", "timestamp": 1746073400000, "type": "placeholder"}
  ]
}"#;

#[test]
fn the_encrypted_export() {
    let input = Input::bytes("Sam Lee_40.json", E2EE.as_bytes().to_vec());
    assert_eq!(detect(&input).expect("detected"), Format::Messenger);
    let got = parse("Sam Lee_40.json", E2EE, Format::Messenger);
    let lines: Vec<String> = got.messages.iter().map(summary).collect();
    assert_eq!(
        lines,
        [
            "Sam Lee_40 | Sam Lee | 2025-05-01T04:29:51.906 | 2025-05-01T04:29:51.906Z | text | \"thanks for yesterday 🙏\"",
            "Sam Lee_40 | Me | 2025-05-01T04:28:20 | 2025-05-01T04:28:20Z | media | \"photo\"",
            "Sam Lee_40 | Me | 2025-05-01T04:27:30 | 2025-05-01T04:27:30Z | media | \"video\"",
            "Sam Lee_40 | Sam Lee | 2025-05-01T04:26:40 | 2025-05-01T04:26:40Z | deleted | \"\"",
            "Sam Lee_40 | Me | 2025-05-01T04:25:00 | 2025-05-01T04:25:00Z | text | \"https://example.com/trail\"",
            "Sam Lee_40 | Sam Lee | 2025-05-01T04:23:20 | 2025-05-01T04:23:20Z | system | \"This message is unavailable\"",
        ]
    );
    assert!(got.diagnostics.is_empty());
}

#[test]
fn the_legacy_page_with_an_unknown_zone() {
    let page = r#"<html><head><title>Me - Messages</title></head><body>
<div class="contents"><h1>Me Myself</h1><div><div class="thread">Me Myself, Sam &amp; Co<div class="message"><div class="message_header"><span class="user">Sam &amp; Co</span><span class="meta">Sunday, May 1, 2016 at 12:15 AM IST</span></div></div><p>it&#039;s late<br />go to bed</p><div class="message"><div class="message_header"><span class="user">Me Myself</span><span class="meta">Saturday, 30 April 2016 at 23:59 UTC+02</span></div></div><p></p><div class="message"><div class="message_header"><span class="user">Me Myself</span><span class="meta">Saturday, 30 April 2016 at 23:58 UTC+02</span></div></div><p><img src="photos/1.jpg" /></p><div class="message"><div class="message_header"><span class="user">Sam &amp; Co</span><span class="meta">sometime</span></div></div><p>lost</p><!-- a comment with > inside --></div></div></body></html>"#;
    let got = parse_bytes(Format::Messenger, "messages.htm", page.as_bytes()).expect("parses");
    let lines: Vec<String> = got
        .messages
        .iter()
        .map(|m| format!("{} | me={}", summary(m), m.from_me))
        .collect();
    assert_eq!(
        lines,
        [
            "Me Myself, Sam & Co | Sam & Co | 2016-05-01T00:15:00 | 2016-05-01T00:15:00Z | text | \"it's late\\ngo to bed\" | me=false",
            "Me Myself, Sam & Co | Me Myself | 2016-04-30T23:59:00 | 2016-04-30T21:59:00Z | text | \"\" | me=true",
            "Me Myself, Sam & Co | Me Myself | 2016-04-30T23:58:00 | 2016-04-30T21:58:00Z | media | \"photo\" | me=true",
        ]
    );
    let problems: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "byte 142: the time zone \"IST\" is unknown; its times are read in the given time zone",
            "byte 700: a message has no readable time; skipped",
        ]
    );
}

#[test]
fn unreadable_inputs_name_where_and_what() {
    let err = |name: &str, bytes: &[u8], format: Format| {
        parse_bytes(format, name, bytes)
            .expect_err("unreadable")
            .to_string()
    };
    assert_eq!(
        err("message_1.json", b"", Format::Instagram),
        "the file is empty; expected an Instagram message_1.json from Download Your Information"
    );
    assert_eq!(
        err("message_1.json", b"[1, 2, 3]", Format::Messenger),
        "byte 0: found an array where a JSON object should start; expected a Messenger message_1.json \
         from Download Your Information, or the legacy messages.htm"
    );
    let cut = E2EE.len() - 100;
    assert_eq!(
        err("t.json", &E2EE.as_bytes()[..cut], Format::Messenger),
        format!(
            "byte {cut}: the JSON ends early (the file may be truncated); expected a Messenger message_1.json \
             from Download Your Information, or the legacy messages.htm"
        )
    );
    assert_eq!(
        err(
            "messages.htm",
            b"<html><body><p>hello</p></body></html>",
            Format::Messenger
        ),
        "the page has no message threads; expected Facebook's legacy messages.htm, with <div class=\"thread\"> sections"
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse_bytes(Format::Messenger, "message_1.json", &bytes);
        let _ = parse_bytes(Format::Instagram, "message_1.json", &bytes);
    }

    #[test]
    fn mutated_fixtures_never_panic(bytes in mutated(&[
        "messenger/chat-miner__facebookMessenger_testlog.json",
        "messenger/fbchat-archive-parser__simulated_data.htm",
        "instagram/chat-miner__instagram_testlog.json",
    ])) {
        let _ = parse_bytes(Format::Messenger, "message_1.json", &bytes);
    }

    #[test]
    fn arbitrary_pages_never_panic(body in "[<>a-z =\"/&#;0-9,:]{0,400}") {
        let page = format!("<div class=\"thread\">{body}");
        let _ = parse_bytes(Format::Messenger, "messages.htm", page.as_bytes());
    }
}

#[test]
fn the_chat_id_is_the_thread_folder_wherever_it_was_filed() {
    let ids = |json: &str, format| -> Vec<(String, Option<String>)> {
        parse("message_1.json", json, format)
            .messages
            .into_iter()
            .map(|m| (m.chat, m.chat_id))
            .collect()
    };
    let id = Some("alex_4100000001".to_owned());
    // The path after the messages, as Facebook writes it, and before them.
    let late = format!(
        r#"{{"participants": [{{"name": "Alex"}}], "messages": [{THREAD}], "title": "Alex", "thread_path": "inbox/alex_4100000001"}}"#
    );
    let early = format!(
        r#"{{"title": "Alex", "thread_path": "archived_threads/alex_4100000001", "messages": [{THREAD}]}}"#
    );
    for json in [&late, &early] {
        let got = ids(json, Format::Messenger);
        assert!(!got.is_empty());
        assert!(
            got.iter().all(|m| *m == ("Alex".to_owned(), id.clone())),
            "{got:?}"
        );
    }
    let instagram = ids(&late, Format::Instagram);
    assert!(instagram.iter().all(|(_, chat_id)| *chat_id == id));
    // Without a path (the encrypted export, older exports) there is no id.
    let got = parse("Sam Lee_40.json", E2EE, Format::Messenger);
    assert!(got.messages.iter().all(|m| m.chat_id.is_none()));
}

#[test]
fn a_content_of_tens_of_mebibytes_is_cut_and_the_next_message_read() {
    // Facebook's mojibake: each byte of "é" escaped on its own.
    let long = "caf\\u00c3\\u00a9 ".repeat(2 << 20);
    let json = format!(
        r#"{{"title": "Sam", "thread_path": "inbox/sam_1", "messages": [
            {{"sender_name": "Sam", "timestamp_ms": 1714590180000, "content": "{long}"}},
            {{"sender_name": "Jo", "timestamp_ms": 1714590170000, "content": "after"}}]}}"#
    );
    for format in [Format::Messenger, Format::Instagram] {
        let got = parse("message_1.json", &json, format);
        let [long, after] = got.messages.as_slice() else {
            panic!("two messages")
        };
        assert!(long.text.starts_with("café café") && long.text.len() <= mutual_import::MAX_MESSAGE_BYTES);
        assert_eq!((after.sender.as_str(), after.text.as_str()), ("Jo", "after"));
        let [cut] = got.diagnostics.as_slice() else {
            panic!("one diagnostic: {:?}", got.diagnostics)
        };
        assert!(cut.problem.ends_with("was cut to its first 256 KiB"), "{cut}");
    }
}

#[test]
fn a_legacy_message_of_tens_of_mebibytes_is_cut_and_the_next_one_read() {
    let header = |user: &str, minute: u32| {
        format!(
            r#"<div class="message"><div class="message_header"><span class="user">{user}</span><span class="meta">Sunday, May 1, 2016 at 12:{minute:02} UTC</span></div></div>"#
        )
    };
    // One run of text of 20 MiB (more than a run could be: 16 MiB), then
    // lines broken by <br />, with references and characters of every width.
    let run = "caf&eacute; &amp; \u{e9}\u{1F600} ".repeat(20 << 20 >> 5);
    let lines = "line &#x1F600; \u{e9}<br />".repeat(1 << 18);
    let page = format!(
        r#"<html><body><h1>Me</h1><div class="thread">Sam{}<p>{run}{lines}</p>{}<p>after &amp; all</p></div></body></html>"#,
        header("Sam", 15),
        header("Me", 16),
    );
    let got = parse_bytes(Format::Messenger, "messages.htm", page.as_bytes()).expect("parses");
    let [long, after] = got.messages.as_slice() else {
        panic!("two messages, got {}", got.messages.len())
    };
    assert!(long.text.len() <= mutual_import::MAX_MESSAGE_BYTES);
    assert!(long.text.len() > mutual_import::MAX_MESSAGE_BYTES - 8);
    assert!(long.text.starts_with("caf&eacute; & \u{e9}\u{1F600} caf&eacute;"));
    assert!(!long.text.contains('\u{FFFD}'));
    assert_eq!(
        (after.sender.as_str(), after.text.as_str()),
        ("Me", "after & all")
    );
    let problems: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    let at = page.find(r#"<div class="message">"#).expect("a header");
    assert_eq!(
        problems,
        [format!(
            "byte {at}: a message of 16 MiB was cut to its first 256 KiB"
        )]
    );
}
