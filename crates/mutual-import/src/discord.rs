//! DiscordChatExporter's JSON: one channel (or DM) per file, times with the
//! exporting computer's offset.
//!
//! ```text
//! {"guild": {"id": "0", "name": "Direct Messages"}, "channel": {"type": "DirectTextChat", "name": "sam"},
//!  "messages": [{"id": "1190", "type": "Default", "timestamp": "2024-05-01T21:03:00.123+02:00",
//!    "timestampEdited": null, "content": "hi", "author": {"id": "42", "name": "sam"}, "attachments": []}]}
//! ```

use jiff::Timestamp;
use jiff::civil::{DateTime, Time};
use jiff::fmt::temporal::Pieces;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::bounded;
use crate::json::{self, First, JsonStream, Parsed, Scalar, Squeezed};
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink};

const EXPECTED: &str = "a DiscordChatExporter JSON export with a messages list";

/// A JSON object with DiscordChatExporter's `guild` and `channel`.
pub fn sniff(_input: &Input, head: &[u8]) -> bool {
    json::is_object(head) && json::has_key(head, "guild") && json::has_key(head, "channel")
}

pub fn parse(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    let mut stream = JsonStream::new(input.open()?, EXPECTED);
    let mut export = Export {
        sink,
        zone: Zone::new(options.tz.clone()),
        chat: String::new(),
        chat_id: None,
        text: String::new(),
    };
    let mut guild = Place::default();
    let mut channel = Place::default();
    let mut found_messages = false;
    stream.begin_document()?;
    while let Some(key) = stream.next_key(Key::of)? {
        match key {
            Key::Guild => guild = export.read_place(&mut stream)?,
            Key::Channel => channel = export.read_place(&mut stream)?,
            Key::Messages => {
                found_messages = true;
                export.chat = chat_name(&guild, &channel).unwrap_or_else(|| input.stem().to_owned());
                export.chat_id.clone_from(&channel.id);
                export.read_messages(&mut stream)?;
            }
            Key::Other => stream.skip_value()?,
        }
    }
    stream.finish()?;
    if found_messages {
        Ok(())
    } else {
        Err(Error::unreadable(
            Position::Whole,
            "the JSON has no \"messages\" list",
            EXPECTED,
        ))
    }
}

#[derive(Clone, Copy)]
enum Key {
    Guild,
    Channel,
    Messages,
    Other,
}

impl Key {
    fn of(key: &[u8]) -> Key {
        match key {
            b"guild" => Key::Guild,
            b"channel" => Key::Channel,
            b"messages" => Key::Messages,
            _ => Key::Other,
        }
    }
}

/// The guild or the channel, as far as the chat's name needs them.
#[derive(Debug, Default)]
struct Place {
    id: Option<String>,
    name: Option<String>,
    kind: Option<String>,
}

/// `guild / #channel`, or the DM's own name (DMs sit in a pseudo-guild
/// with id 0 and channel types `DirectTextChat`, `DirectGroupTextChat`).
fn chat_name(guild: &Place, channel: &Place) -> Option<String> {
    let channel_name = channel.name.as_deref().filter(|n| !n.is_empty())?;
    let direct =
        channel.kind.as_deref().is_some_and(|k| k.starts_with("Direct")) || guild.id.as_deref() == Some("0");
    match guild.name.as_deref().filter(|n| !n.is_empty()) {
        Some(guild) if !direct => Some(format!("{guild} / #{channel_name}")),
        _ => Some(channel_name.to_owned()),
    }
}

struct Export<'s> {
    sink: &'s mut dyn Sink,
    zone: Zone,
    chat: String,
    /// The channel's id (a DM's too: DMs are channels).
    chat_id: Option<String>,
    /// The placeholder or system text of the current message.
    text: String,
}

impl Export<'_> {
    fn read_place<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>) -> Result<Place, Error> {
        #[derive(Deserialize)]
        struct Fields<'a> {
            #[serde(borrow, default)]
            id: Scalar<'a>,
            #[serde(borrow, default)]
            name: Scalar<'a>,
            #[serde(borrow, default, rename = "type")]
            kind: Scalar<'a>,
        }
        let owned = |s: &Scalar<'_>| {
            let mut out = String::new();
            s.write_id(&mut out).then_some(out)
        };
        let place = stream.parse_value(|bytes, _, _| {
            json::first::<Fields>(bytes).map(|f| Place {
                id: owned(&f.id),
                name: owned(&f.name),
                kind: owned(&f.kind),
            })
        })?;
        Ok(match place {
            Parsed::Value(place) => place,
            Parsed::Skipped(d) => {
                self.sink.diagnostic(d);
                Place::default()
            }
        })
    }

    fn read_messages<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>) -> Result<(), Error> {
        stream.begin_array("a list of messages should be")?;
        while stream.next_element()? {
            let parsed = stream.parse_value(|bytes, at, squeezed| {
                json::first::<Record>(bytes).map(|r| self.emit(&r, at, squeezed))
            })?;
            match parsed {
                Parsed::Value(emitted) => emitted?,
                Parsed::Skipped(d) => self.sink.diagnostic(d),
            }
        }
        Ok(())
    }

    fn emit(&mut self, r: &Record<'_>, at: u64, squeezed: &Squeezed) -> Result<(), Error> {
        let Some((local, utc)) = r.timestamp.as_str().and_then(|t| self.moment(t)) else {
            self.sink.diagnostic(Diagnostic::new(
                Position::Offset(at),
                "a message has no readable timestamp; skipped",
            ));
            return Ok(());
        };
        let kind_name = r.kind.as_str().unwrap_or("Default");
        let by_person = matches!(kind_name, "Default" | "Reply");
        let (kind, text) = classify(r, kind_name, &mut self.text);
        let text = bounded::bound(
            text,
            squeezed.under(b"content"),
            Position::Offset(at),
            &mut *self.sink,
        );
        let reply_to = r
            .reference
            .as_ref()
            .and_then(|reference| reference.message_id.as_str())
            .filter(|_| by_person);
        self.sink.message(&Message {
            chat: &self.chat,
            chat_id: self.chat_id.as_deref(),
            sender: r.author.as_ref().map_or("", |a| a.name.text()),
            from_me: false,
            local,
            utc,
            kind,
            text,
            id: r.id.as_str(),
            reply_to,
            edited: r.edited.is_some(),
        })?;
        Ok(())
    }

    /// The wall-clock time as written and the moment its offset gives (or
    /// the zone's, for a time written without one).
    fn moment(&mut self, written: &str) -> Option<(DateTime, Timestamp)> {
        let pieces = Pieces::parse(written).ok()?;
        let local = pieces
            .date()
            .to_datetime(pieces.time().unwrap_or(Time::midnight()));
        let utc = match pieces.to_numeric_offset() {
            Some(offset) => offset.to_timestamp(local).ok()?,
            None => self.zone.to_utc(local),
        };
        Some((local, utc))
    }
}

/// A person's message is text, or media named by its first attachment; a
/// `Call` is a call; every other type (`RecipientAdd`,
/// `ChannelPinnedMessage`, `ThreadCreated`...) is the app's.
fn classify<'r>(r: &'r Record<'_>, kind_name: &'r str, scratch: &'r mut String) -> (Kind, &'r str) {
    let content = r.content.text();
    match kind_name {
        "Default" | "Reply" => {
            if !content.is_empty() {
                return (Kind::Text, content);
            }
            let placeholder = if let Some(attachment) = &r.attachments.0 {
                attachment
                    .file_name
                    .as_str()
                    .filter(|n| !n.is_empty())
                    .unwrap_or("attachment")
            } else if r.stickers.0.is_some() {
                "sticker"
            } else if r.embeds.0.is_some() {
                "embed"
            } else {
                return (Kind::Text, "");
            };
            scratch.clear();
            scratch.push_str(placeholder);
            (Kind::Media, scratch)
        }
        "Call" => (Kind::Call, if content.is_empty() { "call" } else { content }),
        other => (Kind::System, if content.is_empty() { other } else { content }),
    }
}

/// The fields of one message this parser uses.
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    id: Scalar<'a>,
    #[serde(borrow, default, rename = "type")]
    kind: Scalar<'a>,
    #[serde(borrow, default)]
    timestamp: Scalar<'a>,
    /// Null unless edited.
    #[serde(default, rename = "timestampEdited")]
    edited: Option<IgnoredAny>,
    #[serde(borrow, default)]
    content: Scalar<'a>,
    #[serde(borrow, default)]
    author: Option<Author<'a>>,
    #[serde(borrow, default)]
    attachments: First<Attachment<'a>>,
    #[serde(default)]
    embeds: First<IgnoredAny>,
    #[serde(default)]
    stickers: First<IgnoredAny>,
    #[serde(borrow, default)]
    reference: Option<Reference<'a>>,
}

#[derive(Deserialize)]
struct Author<'a> {
    /// The account name; `nickname` is per guild and changes more often.
    #[serde(borrow, default)]
    name: Scalar<'a>,
}

#[derive(Deserialize)]
struct Attachment<'a> {
    #[serde(borrow, default, rename = "fileName")]
    file_name: Scalar<'a>,
}

#[derive(Deserialize)]
struct Reference<'a> {
    #[serde(borrow, default, rename = "messageId")]
    message_id: Scalar<'a>,
}
