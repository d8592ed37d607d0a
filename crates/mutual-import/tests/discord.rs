//! DiscordChatExporter JSON. There is no public sample file: these are
//! synthetic exports written from the documented schema.

use mutual_import::{Format, Input, OwnedMessage, detect, discord};
use proptest::prelude::*;

use crate::common::parse_bytes;
use crate::telegram::sniffed;

/// A DM with a friend, as DCE 2.40+ writes it (with `exportedAt`, `roles`,
/// `inlineEmojis`, reaction `users`).
const DIRECT: &str = r##"{
  "guild": {"id": "0", "name": "Direct Messages", "iconUrl": "https://cdn.discordapp.com/embed/avatars/0.png"},
  "channel": {"id": "900", "type": "DirectTextChat", "categoryId": "0", "category": "Private", "name": "samlee", "topic": null},
  "dateRange": {"after": null, "before": null},
  "exportedAt": "2024-06-01T12:00:00.000+02:00",
  "messages": [
    {
      "id": "1001", "type": "Default", "timestamp": "2024-05-01T21:03:00.123+02:00", "timestampEdited": null,
      "callEndedTimestamp": null, "isPinned": false, "content": "dinner friday?",
      "author": {"id": "1", "name": "me_myself", "discriminator": "0000", "nickname": "Me", "color": null,
                 "isBot": false, "roles": [], "avatarUrl": "https://cdn.discordapp.com/a.png"},
      "attachments": [], "embeds": [], "stickers": [],
      "reactions": [{"emoji": {"id": "", "name": "👍", "code": "thumbsup", "isAnimated": false, "imageUrl": "x"},
                     "count": 1, "users": [{"id": "2", "name": "samlee"}]}],
      "mentions": [], "inlineEmojis": []
    },
    {
      "id": "1002", "type": "Reply", "timestamp": "2024-05-01T21:04:10.000+02:00",
      "timestampEdited": "2024-05-01T21:05:00.000+02:00", "callEndedTimestamp": null, "isPinned": false,
      "content": "yes! 8pm 🎉",
      "author": {"id": "2", "name": "samlee", "discriminator": "0000", "nickname": "Sam Lee", "color": null, "isBot": false, "avatarUrl": "x"},
      "attachments": [], "embeds": [], "stickers": [], "reactions": [], "mentions": [],
      "reference": {"messageId": "1001", "channelId": "900", "guildId": null}
    },
    {
      "id": "1003", "type": "Default", "timestamp": "2024-05-01T21:06:00.000+02:00", "timestampEdited": null,
      "callEndedTimestamp": null, "isPinned": false, "content": "",
      "author": {"id": "2", "name": "samlee", "discriminator": "0000", "nickname": "Sam Lee", "color": null, "isBot": false, "avatarUrl": "x"},
      "attachments": [{"id": "5", "url": "https://cdn.discordapp.com/attachments/900/5/menu.jpg", "fileName": "menu.jpg", "fileSizeBytes": 80213}],
      "embeds": [], "stickers": [], "reactions": [], "mentions": []
    },
    {
      "id": "1004", "type": "Call", "timestamp": "2024-05-02T18:00:00.000+02:00", "timestampEdited": null,
      "callEndedTimestamp": "2024-05-02T18:25:00.000+02:00", "isPinned": false, "content": "",
      "author": {"id": "1", "name": "me_myself", "discriminator": "0000", "nickname": "Me", "color": null, "isBot": false, "avatarUrl": "x"},
      "attachments": [], "embeds": [], "stickers": [], "reactions": [], "mentions": []
    },
    {
      "id": "1005", "type": "ChannelPinnedMessage", "timestamp": "2024-05-02T18:30:00.000+02:00", "timestampEdited": null,
      "callEndedTimestamp": null, "isPinned": false, "content": "Pinned a message.",
      "author": {"id": "2", "name": "samlee", "discriminator": "0000", "nickname": "Sam Lee", "color": null, "isBot": false, "avatarUrl": "x"},
      "attachments": [], "embeds": [], "stickers": [], "reactions": [], "mentions": [],
      "reference": {"messageId": "1002", "channelId": "900", "guildId": null}
    },
    {
      "id": "1006", "type": "Default", "timestamp": "2024-05-03T09:00:00Z", "timestampEdited": null,
      "content": "", "author": {"id": "2", "name": "samlee"},
      "attachments": [], "embeds": [], "stickers": [{"id": "7", "name": "Wave", "format": "Apng", "sourceUrl": "x"}]
    }
  ],
  "messageCount": 6
}"##;

/// A guild channel in an older layout (no `exportedAt`), UTC offsets.
const GUILD: &str = r##"{
  "guild": {"id": "5000", "name": "Hiking Club", "iconUrl": "x"},
  "channel": {"id": "5001", "type": "GuildTextChat", "categoryId": "5002", "category": "Text Channels", "name": "general", "topic": "trails"},
  "dateRange": {"after": null, "before": null},
  "messages": [
    {"id": "1", "type": "GuildMemberJoin", "timestamp": "2021-03-01T10:00:00+00:00", "timestampEdited": null,
     "callEndedTimestamp": null, "isPinned": false, "content": "",
     "author": {"id": "3", "name": "alex", "discriminator": "1234", "nickname": null, "color": null, "isBot": false, "avatarUrl": "x"},
     "attachments": [], "embeds": [], "reactions": [], "mentions": []},
    {"id": "2", "type": "Default", "timestamp": "2021-03-01T10:01:00+00:00", "timestampEdited": null,
     "callEndedTimestamp": null, "isPinned": true, "content": "hi all",
     "author": {"id": "3", "name": "alex", "discriminator": "1234", "nickname": "Alex", "color": "#FF0000", "isBot": false, "avatarUrl": "x"},
     "attachments": [], "embeds": [], "reactions": [], "mentions": []},
    {"id": "3", "type": "Default", "timestamp": "2021-03-01T10:02:00+00:00", "timestampEdited": null,
     "content": "", "author": {"id": "9", "name": "TrailBot", "isBot": true},
     "attachments": [], "embeds": [{"title": "Weather", "description": "sunny"}]}
  ],
  "messageCount": 3
}"##;

fn parse(json: &str) -> mutual_import::Collected {
    parse_bytes(Format::Discord, "dm.json", json.as_bytes()).expect("parses")
}

fn summary(m: &OwnedMessage) -> String {
    format!(
        "{} | {} | {} | {} | {} | {:?} | {:?} | {:?} | edited={}",
        m.chat, m.sender, m.local, m.utc, m.kind, m.text, m.id, m.reply_to, m.edited
    )
}

#[test]
fn a_direct_message_channel() {
    let got = parse(DIRECT);
    let lines: Vec<String> = got.messages.iter().map(summary).collect();
    assert_eq!(
        lines,
        [
            "samlee | me_myself | 2024-05-01T21:03:00.123 | 2024-05-01T19:03:00.123Z | text | \"dinner friday?\" | Some(\"1001\") | None | edited=false",
            "samlee | samlee | 2024-05-01T21:04:10 | 2024-05-01T19:04:10Z | text | \"yes! 8pm 🎉\" | Some(\"1002\") | Some(\"1001\") | edited=true",
            "samlee | samlee | 2024-05-01T21:06:00 | 2024-05-01T19:06:00Z | media | \"menu.jpg\" | Some(\"1003\") | None | edited=false",
            "samlee | me_myself | 2024-05-02T18:00:00 | 2024-05-02T16:00:00Z | call | \"call\" | Some(\"1004\") | None | edited=false",
            // A pin refers to the pinned message; that is no reply.
            "samlee | samlee | 2024-05-02T18:30:00 | 2024-05-02T16:30:00Z | system | \"Pinned a message.\" | Some(\"1005\") | None | edited=false",
            "samlee | samlee | 2024-05-03T09:00:00 | 2024-05-03T09:00:00Z | media | \"sticker\" | Some(\"1006\") | None | edited=false",
        ]
    );
    assert!(got.messages.iter().all(|m| !m.from_me));
    assert!(got.diagnostics.is_empty());
}

#[test]
fn a_guild_channel() {
    let got = parse(GUILD);
    let lines: Vec<String> = got.messages.iter().map(summary).collect();
    assert_eq!(
        lines,
        [
            "Hiking Club / #general | alex | 2021-03-01T10:00:00 | 2021-03-01T10:00:00Z | system | \"GuildMemberJoin\" | Some(\"1\") | None | edited=false",
            "Hiking Club / #general | alex | 2021-03-01T10:01:00 | 2021-03-01T10:01:00Z | text | \"hi all\" | Some(\"2\") | None | edited=false",
            "Hiking Club / #general | TrailBot | 2021-03-01T10:02:00 | 2021-03-01T10:02:00Z | media | \"embed\" | Some(\"3\") | None | edited=false",
        ]
    );
}

#[test]
fn broken_messages_are_diagnostics() {
    let json = r#"{"guild": {"id": "0", "name": "Direct Messages"}, "channel": {"type": "DirectTextChat", "name": "sam"},
      "messages": [
        {"id": "1", "type": "Default", "timestamp": "yesterday", "content": "a", "author": {"name": "sam"}},
        {"id": "2", "type": "Default", "content": "b", "author": {"name": "sam"}},
        {"id": "3", "type": "Default", "timestamp": "9999-12-31T23:59:59-25:00", "content": "c", "author": {"name": "sam"}},
        {"id": "4", "type": "Default", "timestamp": "2024-01-01T00:00:00Z", "content": "d", "author": "sam"},
        {"id": "5", "type": "Default", "timestamp": "2024-01-01T00:00:00Z", "content": "e", "author": null}
      ]}"#;
    let got = parse(json);
    assert_eq!(got.messages.len(), 1);
    assert_eq!(
        (got.messages[0].sender.as_str(), got.messages[0].text.as_str()),
        ("", "e")
    );
    let problems: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "byte 132: a message has no readable timestamp; skipped",
            "byte 241: a message has no readable timestamp; skipped",
            "byte 324: a message has no readable timestamp; skipped",
            "byte 449: the record does not have the expected fields; skipped",
        ]
    );
}

#[test]
fn unreadable_inputs_name_where_and_what() {
    let err = |bytes: &[u8]| {
        parse_bytes(Format::Discord, "c.json", bytes)
            .expect_err("unreadable")
            .to_string()
    };
    assert_eq!(
        err(b"  "),
        "the file is empty; expected a DiscordChatExporter JSON export with a messages list"
    );
    assert_eq!(
        err(b"[1,2]"),
        "byte 0: found an array where a JSON object should start; expected a DiscordChatExporter JSON export with a messages list"
    );
    let cut = DIRECT.len() - 40;
    assert_eq!(
        err(&DIRECT.as_bytes()[..cut]),
        format!(
            "byte {cut}: the JSON ends early (the file may be truncated); expected a DiscordChatExporter JSON export with a messages list"
        )
    );
}

#[test]
fn detection_and_sniffing() {
    let input = Input::bytes("dm.json", DIRECT.as_bytes().to_vec());
    assert_eq!(detect(&input).expect("detected"), Format::Discord);
    assert!(discord::sniff(&input, GUILD.as_bytes()));
    assert!(sniffed(discord::sniff).is_empty(), "no fixture is Discord's");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse_bytes(Format::Discord, "c.json", &bytes);
    }

    #[test]
    fn mutated_exports_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = DIRECT.as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let _ = parse_bytes(Format::Discord, "c.json", &bytes);
    }
}

#[test]
fn the_chat_id_is_the_channel_id() {
    let ids =
        |json: &str| -> Vec<Option<String>> { parse(json).messages.into_iter().map(|m| m.chat_id).collect() };
    assert!(ids(DIRECT).iter().all(|id| id.as_deref() == Some("900")));
    assert!(ids(GUILD).iter().all(|id| id.as_deref() == Some("5001")));
    let without = DIRECT.replace(r#""id": "900", "#, "");
    assert!(ids(&without).iter().all(Option::is_none));
}

#[test]
fn a_content_of_tens_of_mebibytes_is_cut_and_the_next_message_read() {
    let message = |id: u32, content: &str| {
        format!(
            r#"{{"id": "{id}", "type": "Default", "timestamp": "2024-05-01T21:0{id}:00+00:00", "content": "{content}",
              "author": {{"id": "2", "name": "sam"}}, "attachments": []}}"#
        )
    };
    let json = format!(
        r#"{{"guild": {{"id": "0", "name": "Direct Messages"}}, "channel": {{"id": "900", "type": "DirectTextChat", "name": "sam"}},
          "messages": [{}, {}]}}"#,
        message(1, &"caf\\u00e9 ".repeat(4 << 20)),
        message(2, "after"),
    );
    let got = parse(&json);
    let [long, after] = got.messages.as_slice() else {
        panic!("two messages")
    };
    assert!(long.text.len() <= mutual_import::MAX_MESSAGE_BYTES && long.text.starts_with("café café"));
    assert!(long.text.len() > mutual_import::MAX_MESSAGE_BYTES - 8);
    assert_eq!((after.text.as_str(), after.sender.as_str()), ("after", "sam"));
    let [cut] = got.diagnostics.as_slice() else {
        panic!("one diagnostic: {:?}", got.diagnostics)
    };
    let first = json.find(r#"{"id": "1""#).expect("the first message") as u64;
    assert_eq!(cut.at, mutual_import::Position::Offset(first));
    assert!(
        cut.problem.starts_with("a message of ")
            && cut.problem.ends_with(" MiB was cut to its first 256 KiB"),
        "{cut}"
    );
}
