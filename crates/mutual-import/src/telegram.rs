//! Telegram Desktop's JSON export, `result.json`: one chat ("Export chat
//! history") or the whole account ("Export Telegram data", with the chats
//! under `chats.list` and `left_chats.list`).
//!
//! ```text
//!  "name": "Sam Lee", "type": "personal_chat", "id": 4000001, "messages": [
//!   {"id": 7, "type": "message", "date": "2024-05-01T21:03:00", "date_unixtime": "1714590180",
//!    "from": "Sam Lee", "from_id": "user4000001", "text": ["see ", {"type": "link", "text": "t.me"}]},
//! ```
//!
//! `date` is the exporting computer's wall-clock time and `date_unixtime`
//! the moment; older exports only have `date`. `text` is a string or an
//! array of strings and entity objects.

use std::borrow::Cow;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::bounded;
use crate::json::{self, JsonStream, Parsed, Scalar, Squeezed};
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink};

const EXPECTED: &str = "a Telegram Desktop result.json with a messages list";

/// A JSON object with Telegram's keys: the account's `personal_information`,
/// or messages with `date_unixtime`, `from_id` or `"type": "message"`.
pub fn sniff(_input: &Input, head: &[u8]) -> bool {
    json::is_object(head)
        && (json::has_key(head, "personal_information")
            || json::has_key(head, "messages")
                && (json::has_key(head, "date_unixtime")
                    || json::has_key(head, "from_id")
                    || json::has_pair(head, "type", "message")
                    || json::has_pair(head, "type", "service")))
}

pub fn parse(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    let mut stream = JsonStream::new(input.open()?, EXPECTED);
    let mut export = Export {
        sink,
        zone: Zone::new(options.tz.clone()),
        fallback: input.stem().to_owned(),
        owner: None,
        chat: String::new(),
        chat_id: None,
        found_messages: false,
        id: String::new(),
        reply_to: String::new(),
        scratch: String::new(),
    };
    stream.begin_document()?;
    export.read_chat(&mut stream, Level::Document)?;
    stream.finish()?;
    if export.found_messages {
        Ok(())
    } else {
        Err(Error::unreadable(
            Position::Whole,
            "the JSON has no \"messages\" list",
            EXPECTED,
        ))
    }
}

/// The keys this parser looks at, in the document and in each chat.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Name,
    Id,
    Messages,
    PersonalInformation,
    Chats,
    List,
    Other,
}

impl Key {
    fn of(key: &[u8]) -> Key {
        match key {
            b"name" => Key::Name,
            b"id" => Key::Id,
            b"messages" => Key::Messages,
            b"personal_information" => Key::PersonalInformation,
            b"chats" | b"left_chats" => Key::Chats,
            b"list" => Key::List,
            _ => Key::Other,
        }
    }
}

/// Where a chat object sits: the document itself (a single-chat export, or
/// the account export holding the chat lists) or an entry of a chat list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Document,
    ListedChat,
}

struct Export<'s> {
    sink: &'s mut dyn Sink,
    zone: Zone,
    /// The chat name when a chat has neither a name nor an id.
    fallback: String,
    /// `from_id` of the account's owner (`user<id>`), from a full export.
    owner: Option<String>,
    /// The name of the chat being read.
    chat: String,
    /// Its `id`, when it came before its messages.
    chat_id: Option<String>,
    found_messages: bool,
    // Buffers reused from message to message.
    id: String,
    reply_to: String,
    scratch: String,
}

impl Export<'_> {
    /// Reads the members of a chat object whose `{` is taken.
    fn read_chat<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>, level: Level) -> Result<(), Error> {
        let mut name = None;
        let mut id = None;
        while let Some(key) = stream.next_key(Key::of)? {
            match key {
                Key::Name => name = self.read_label(stream)?,
                Key::Id => id = self.read_label(stream)?,
                Key::Messages => {
                    self.chat.clear();
                    self.chat
                        .push_str(name.as_deref().or(id.as_deref()).unwrap_or(&self.fallback));
                    self.chat_id.clone_from(&id);
                    self.read_messages(stream)?;
                }
                Key::PersonalInformation if level == Level::Document => self.read_owner(stream)?,
                Key::Chats if level == Level::Document => self.read_chat_list(stream)?,
                _ => stream.skip_value()?,
            }
        }
        Ok(())
    }

    /// Reads `{"about": "...", "list": [chat, ...]}`.
    fn read_chat_list<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>) -> Result<(), Error> {
        if stream.peek_value()? != b'{' {
            return self.skip_odd(stream, "a chat list that is not an object");
        }
        stream.begin_object("a chat list should be")?;
        while let Some(key) = stream.next_key(Key::of)? {
            if key != Key::List || stream.peek_value()? != b'[' {
                stream.skip_value()?;
                continue;
            }
            stream.begin_array("a list of chats should be")?;
            while stream.next_element()? {
                if stream.peek_value()? == b'{' {
                    stream.begin_object("a chat should be")?;
                    self.read_chat(stream, Level::ListedChat)?;
                } else {
                    self.skip_odd(stream, "a chat that is not an object")?;
                }
            }
        }
        Ok(())
    }

    /// Reads `personal_information`, whose `user_id` marks the owner's messages.
    fn read_owner<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>) -> Result<(), Error> {
        #[derive(Deserialize)]
        struct Personal<'a> {
            #[serde(borrow, default)]
            user_id: Scalar<'a>,
        }
        let owner =
            stream.parse_value(|bytes, _, _| json::first::<Personal>(bytes).map(|p| p.user_id.as_i64()))?;
        match owner {
            Parsed::Value(Some(id)) => self.owner = Some(format!("user{id}")),
            Parsed::Value(None) => {}
            Parsed::Skipped(d) => self.sink.diagnostic(d),
        }
        Ok(())
    }

    /// A chat's name or id as text.
    fn read_label<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>) -> Result<Option<String>, Error> {
        let label = stream.parse_value(|bytes, _, _| {
            json::first::<Scalar>(bytes).map(|s| {
                let mut out = String::new();
                s.write_id(&mut out).then_some(out)
            })
        })?;
        Ok(match label {
            Parsed::Value(label) => label,
            Parsed::Skipped(d) => {
                self.sink.diagnostic(d);
                None
            }
        })
    }

    fn read_messages<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>) -> Result<(), Error> {
        self.found_messages = true;
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

    fn skip_odd<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>, what: &str) -> Result<(), Error> {
        let at = Position::Offset(stream.offset());
        stream.skip_value()?;
        self.sink
            .diagnostic(Diagnostic::new(at, format!("{what}; skipped")));
        Ok(())
    }

    fn emit(&mut self, r: &Record<'_>, at: u64, squeezed: &Squeezed) -> Result<(), Error> {
        let Some((local, utc)) = self.moment(r) else {
            self.sink.diagnostic(Diagnostic::new(
                Position::Offset(at),
                "a message has no readable date; skipped",
            ));
            return Ok(());
        };
        let service = r.kind.as_str() == Some("service");
        let (sender, sender_id) = if service {
            (&r.actor, &r.actor_id)
        } else {
            (&r.from, &r.from_id)
        };
        let from_me = self
            .owner
            .as_deref()
            .is_some_and(|owner| sender_id.as_str() == Some(owner));
        let (kind, text) = if service {
            service_text(r, &mut self.scratch)
        } else {
            message_text(r, &mut self.scratch)
        };
        let text = bounded::bound(
            text,
            squeezed.under(b"text"),
            Position::Offset(at),
            &mut *self.sink,
        );
        let id = r.id.write_id(&mut self.id).then_some(self.id.as_str());
        let reply_to = r
            .reply_to_message_id
            .write_id(&mut self.reply_to)
            .then_some(self.reply_to.as_str());
        self.sink.message(&Message {
            chat: &self.chat,
            chat_id: self.chat_id.as_deref(),
            sender: sender.text(),
            from_me,
            local,
            utc,
            kind,
            text,
            id,
            reply_to,
            edited: r.edited.is_some(),
        })?;
        Ok(())
    }

    /// The wall-clock time from `date` and the moment from `date_unixtime`;
    /// either one stands in for the other through the zone.
    fn moment(&mut self, r: &Record<'_>) -> Option<(DateTime, Timestamp)> {
        let local = r.date.as_str().and_then(json::civil);
        let utc = r.date_unixtime.as_i64().and_then(json::from_seconds);
        match (local, utc) {
            (Some(local), Some(utc)) => Some((local, utc)),
            (Some(local), None) => Some((local, self.zone.to_utc(local))),
            (None, Some(utc)) => Some((self.zone.to_local(utc), utc)),
            (None, None) => None,
        }
    }
}

/// A call or another service message ("create_group", "pin_message"...):
/// its text, or else its action, which names no one.
fn service_text<'r>(r: &'r Record<'_>, scratch: &'r mut String) -> (Kind, &'r str) {
    let action = r.action.text();
    let kind = match action {
        "phone_call" | "group_call" => Kind::Call,
        _ => Kind::System,
    };
    let text = r.text.as_str();
    if !text.is_empty() {
        return (kind, text);
    }
    scratch.clear();
    scratch.push_str(if action.is_empty() { "service" } else { action });
    if let Some(reason) = r.discard_reason.as_str() {
        scratch.push_str(" (");
        scratch.push_str(reason);
        scratch.push(')');
    }
    (kind, scratch)
}

/// A person's message: its text, or a placeholder naming its media.
fn message_text<'r>(r: &'r Record<'_>, scratch: &'r mut String) -> (Kind, &'r str) {
    let text = r.text.as_str();
    if !text.is_empty() {
        return (Kind::Text, text);
    }
    let placeholder = if let Some(media) = r.media_type.as_str() {
        media
    } else if r.photo.is_some() {
        "photo"
    } else if let Some(name) = r.file_name.as_str() {
        name
    } else if let Some(file) = r.file.as_str() {
        // "(File not included. ...)" when the export left files out.
        match file.rsplit('/').next() {
            Some(name) if !file.starts_with('(') && !name.is_empty() => name,
            _ => "file",
        }
    } else if r.poll.is_some() {
        "poll"
    } else if r.location_information.is_some() {
        "location"
    } else if r.contact_information.is_some() {
        "contact"
    } else if r.game_title.is_some() {
        "game"
    } else {
        return (Kind::Text, "");
    };
    scratch.clear();
    scratch.push_str(placeholder);
    (Kind::Media, scratch)
}

/// The fields of one message this parser uses (`Option<IgnoredAny>`: the
/// field is there and not null; small, as records are moved several times).
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    id: Scalar<'a>,
    #[serde(borrow, default, rename = "type")]
    kind: Scalar<'a>,
    #[serde(borrow, default)]
    date: Scalar<'a>,
    #[serde(borrow, default)]
    date_unixtime: Scalar<'a>,
    #[serde(default)]
    edited: Option<IgnoredAny>,
    #[serde(borrow, default)]
    from: Scalar<'a>,
    #[serde(borrow, default)]
    from_id: Scalar<'a>,
    #[serde(borrow, default)]
    actor: Scalar<'a>,
    #[serde(borrow, default)]
    actor_id: Scalar<'a>,
    #[serde(borrow, default)]
    action: Scalar<'a>,
    #[serde(borrow, default)]
    discard_reason: Scalar<'a>,
    #[serde(borrow, default)]
    reply_to_message_id: Scalar<'a>,
    #[serde(borrow, default)]
    text: Text<'a>,
    #[serde(default)]
    photo: Option<IgnoredAny>,
    #[serde(borrow, default)]
    file: Scalar<'a>,
    #[serde(borrow, default)]
    file_name: Scalar<'a>,
    #[serde(borrow, default)]
    media_type: Scalar<'a>,
    #[serde(default)]
    poll: Option<IgnoredAny>,
    #[serde(default)]
    location_information: Option<IgnoredAny>,
    #[serde(default)]
    contact_information: Option<IgnoredAny>,
    #[serde(default)]
    game_title: Option<IgnoredAny>,
}

/// A message's `text`: a string (borrowed when it has no escapes), or the
/// concatenated text of an array of strings and entities such as
/// `{"type": "bold", "text": "Link:"}`.
#[derive(Debug, Default)]
enum Text<'a> {
    #[default]
    Empty,
    Plain(Cow<'a, str>),
    Joined(String),
}

impl Text<'_> {
    fn as_str(&self) -> &str {
        match self {
            Text::Empty => "",
            Text::Plain(s) => s,
            Text::Joined(s) => s,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an array of text parts")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text::Plain(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text::Plain(Cow::Owned(v.to_owned())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut joined = String::new();
        while seq.next_element_seed(Part(&mut joined))?.is_some() {}
        Ok(Text::Joined(joined))
    }

    // Anything else (null, a number, an object) has no text.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Text::Empty)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Text::Empty)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Text::Empty)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Text::Empty)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Text::Empty)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Text::Empty)
    }
}

/// Appends one part of a text array (a string, or an entity's `text`) to a buffer.
struct Part<'s>(&'s mut String);

impl<'de> DeserializeSeed<'de> for Part<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Part<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a text entity")
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(is_text) = map.next_key_seed(IsText)? {
            if is_text {
                map.next_value_seed(Part(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| ())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
}

/// Whether an entity's key is `text`.
struct IsText;

impl<'de> DeserializeSeed<'de> for IsText {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for IsText {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        Ok(v == "text")
    }
}
