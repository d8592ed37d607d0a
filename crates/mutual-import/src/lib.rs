//! Streaming chat-export parsers: an export goes in, [`Message`]s and
//! [`Diagnostic`]s come out through a [`Sink`].
//!
//! ```text
//! Input (file, zip entry, bytes) --detect--> Format --parse--> Sink
//! ```
//!
//! Each platform module only describes its grammar; the shared machinery
//! lives in [`lines`] (line stepping with line numbers), [`date`] (numeric
//! date layouts, day/month order, meridiem spellings) and [`zone`] (local
//! time to UTC). A malformed line is data: it becomes a diagnostic, and the
//! parse goes on. Only input that cannot be a chat export of the format, or
//! an IO failure, is an [`Error`].
//!
//! **Bounds:** a message hands its sink at most [`MAX_MESSAGE_BYTES`] of
//! text (the rest is cut, with a diagnostic), and no parser's buffers grow
//! with the length of one message (shared machinery in `bounded`).
//!
//! **Invariant:** this crate never writes anywhere and has no SQL of its own
//! store. It reads foreign SQLite files (Signal Desktop, iMessage) read-only.
//! **Privacy:** diagnostics and errors name positions, never message text.

mod bounded;
pub mod date;
pub mod detect;
pub mod input;
mod json;
pub mod lines;
pub mod survey;
pub mod synth;
pub mod zone;

pub mod discord;
pub mod imessage;
pub mod line;
pub mod messenger;
pub mod signal;
pub mod sms;
pub mod telegram;
pub mod whatsapp;

use std::fmt;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
pub use mutual_core::Platform;

pub use crate::date::{DateOrder, DateOrderUsed, OrderReason};
pub use crate::detect::detect;
pub use crate::input::Input;
pub use crate::survey::Survey;

/// The most text, in bytes, that a message hands its sink. A longer text
/// (one header and a gigabyte of lines after it) is cut on a character
/// boundary, with a diagnostic naming where the message is and how long it
/// was; no parser buffers more than about this much of one message.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

/// An export format this crate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// WhatsApp `.txt` (Android or iOS) or the `.zip` the app shares.
    WhatsApp,
    /// Telegram Desktop `result.json`: one chat or the whole account.
    Telegram,
    /// signal-export / sigtop text or Markdown.
    SignalText,
    /// Signal Desktop's SQLCipher `db.sqlite`, keyed by its `config.json`.
    SignalDesktop,
    /// Facebook Messenger JSON (Download Your Information) or the legacy `messages.htm`.
    Messenger,
    /// Instagram direct messages JSON (Download Your Information).
    Instagram,
    /// macOS Messages `chat.db`.
    IMessage,
    /// SMS Backup & Restore XML.
    Sms,
    /// DiscordChatExporter JSON.
    Discord,
    /// LINE `.txt` chat history.
    Line,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::WhatsApp,
        Format::Telegram,
        Format::SignalText,
        Format::SignalDesktop,
        Format::Messenger,
        Format::Instagram,
        Format::IMessage,
        Format::Sms,
        Format::Discord,
        Format::Line,
    ];

    /// The stable name used by `--format` and in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::WhatsApp => "whatsapp",
            Format::Telegram => "telegram",
            Format::SignalText => "signal-text",
            Format::SignalDesktop => "signal-desktop",
            Format::Messenger => "messenger",
            Format::Instagram => "instagram",
            Format::IMessage => "imessage",
            Format::Sms => "sms",
            Format::Discord => "discord",
            Format::Line => "line",
        }
    }

    /// The platform whose people write in this format.
    pub const fn platform(self) -> Platform {
        match self {
            Format::WhatsApp => Platform::WhatsApp,
            Format::Telegram => Platform::Telegram,
            Format::SignalText | Format::SignalDesktop => Platform::Signal,
            Format::Messenger => Platform::Messenger,
            Format::Instagram => Platform::Instagram,
            Format::IMessage => Platform::IMessage,
            Format::Sms => Platform::Sms,
            Format::Discord => Platform::Discord,
            Format::Line => Platform::Line,
        }
    }

    /// Parses `input` as this format, pushing every message into `sink`.
    pub fn parse(self, input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
        match self {
            Format::WhatsApp => whatsapp::parse(input, options, sink),
            Format::Telegram => telegram::parse(input, options, sink),
            Format::SignalText => signal::parse_text(input, options, sink),
            Format::SignalDesktop => signal::parse_desktop(input, options, sink),
            Format::Messenger => messenger::parse(input, options, sink, Platform::Messenger),
            Format::Instagram => messenger::parse(input, options, sink, Platform::Instagram),
            Format::IMessage => imessage::parse(input, options, sink),
            Format::Sms => sms::parse(input, options, sink),
            Format::Discord => discord::parse(input, options, sink),
            Format::Line => line::parse(input, options, sink),
        }
    }
}

/// Surveys `input` as `format`: what a dry run reports, without keeping any
/// message. A large WhatsApp `.txt` is read in parts on all cores, with the
/// same result.
pub fn survey(input: &Input, format: Format, options: &Options) -> Result<Survey, Error> {
    if format == Format::WhatsApp {
        return whatsapp::survey(input, options);
    }
    let mut tally = survey::Tally::default();
    format.parse(input, options, &mut tally)?;
    Ok(tally.into_survey())
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = mutual_core::names::UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| mutual_core::names::UnknownName {
                what: "format",
                got: s.to_owned(),
                expected: Format::ALL
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// What the caller knows that the export may not say.
#[derive(Clone, Debug)]
pub struct Options {
    /// The zone of exports that write local times without one (WhatsApp,
    /// LINE, signal-export text), and the zone in which exports that only
    /// have UTC are shown as local time.
    pub tz: TimeZone,
    /// The order of day, month and year in exports that write dates as
    /// numbers (WhatsApp, LINE), for a file whose dates never settle it.
    /// `None`: learnt from the file's own dates, else assumed (see
    /// [`OrderReason`]).
    pub date_order: Option<DateOrder>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tz: TimeZone::UTC,
            date_order: None,
        }
    }
}

/// What a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Text,
    /// A photo, video, voice note, sticker, file… (a placeholder in text exports).
    Media,
    /// Written by the app, not by a person: "X created group", "Messages are end-to-end encrypted".
    System,
    /// A voice or video call, answered or missed.
    Call,
    /// A message its sender deleted.
    Deleted,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Media => "media",
            Kind::System => "system",
            Kind::Call => "call",
            Kind::Deleted => "deleted",
        }
    }
}

/// One message as the export tells it. Borrowed from the parser's buffers:
/// a sink copies what it keeps.
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    /// The conversation as the export names it (chat title or id, or the
    /// file's name where the export has neither). Stable across re-exports.
    pub chat: &'a str,
    /// The export's own identifier of the conversation, stable across
    /// re-exports of it, where the format has one: it tells apart two chats
    /// that share a display name. Telegram's chat id, Discord's channel id,
    /// iMessage's `chat_identifier`, the last part of Messenger's and
    /// Instagram's `thread_path`, Signal Desktop's group id or contact
    /// (service id, else number), SMS addresses normalised. `None` for
    /// WhatsApp, LINE, signal-export text and Messenger's legacy HTML.
    pub chat_id: Option<&'a str>,
    /// The sender as written in the export, without WhatsApp's `~` marker.
    /// Empty for system lines that have no author.
    pub sender: &'a str,
    /// The export says the person who exported it sent this message.
    pub from_me: bool,
    /// The time as written in the export (or, for exports that only have
    /// UTC, in [`Options::tz`]).
    pub local: DateTime,
    /// The same moment in UTC.
    pub utc: Timestamp,
    pub kind: Kind,
    /// The message text (the placeholder for media; empty when there is none).
    pub text: &'a str,
    /// The export's own id for this message, where it has one.
    pub id: Option<&'a str>,
    /// The id of the message this one replies to, where the format says.
    pub reply_to: Option<&'a str>,
    /// The export marks the message as edited.
    pub edited: bool,
}

/// Where in an input something is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// 1-based line of a text export.
    Line(u64),
    /// Byte offset in the input (JSON, XML, binary).
    Offset(u64),
    /// 1-based row or record number (databases, archives).
    Record(u64),
    /// The input as a whole.
    Whole,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(n) => write!(f, "line {n}"),
            Position::Offset(n) => write!(f, "byte {n}"),
            Position::Record(n) => write!(f, "record {n}"),
            Position::Whole => f.write_str("whole file"),
        }
    }
}

/// Something odd that the parse went past: a skipped line, a date that does
/// not exist, a guessed day/month order. Never contains message text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub at: Position,
    pub problem: String,
}

impl Diagnostic {
    pub fn new(at: Position, problem: impl Into<String>) -> Self {
        Diagnostic {
            at,
            problem: problem.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Position::Whole => f.write_str(&self.problem),
            at => write!(f, "{at}: {}", self.problem),
        }
    }
}

/// The sink asked the parser to stop (it holds its own reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stop;

/// Where parsed messages go. Messages arrive in the order the export lists them.
pub trait Sink {
    fn message(&mut self, message: &Message<'_>) -> Result<(), Stop>;
    fn diagnostic(&mut self, diagnostic: Diagnostic);
    /// The order in which the dates that follow are read, and why: told
    /// by parsers of exports that write dates as numbers, once per reading
    /// (a file that joins exports of several layouts may have more than
    /// one), before the first message read so.
    fn date_order(&mut self, _used: DateOrderUsed) {}
}

/// Why an input could not be read as a chat export.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The input cannot be an export of the format (or of any format).
    #[error("{}{problem}; expected {expected}", where_(at))]
    Unreadable {
        at: Position,
        problem: String,
        expected: String,
    },
    /// The sink stopped the parse.
    #[error("the import was stopped")]
    Stopped,
}

/// "line 3: " before a problem, or nothing when it concerns the whole input.
fn where_(at: &Position) -> String {
    match at {
        Position::Whole => String::new(),
        at => format!("{at}: "),
    }
}

impl Error {
    pub fn unreadable(at: Position, problem: impl Into<String>, expected: impl Into<String>) -> Self {
        Error::Unreadable {
            at,
            problem: problem.into(),
            expected: expected.into(),
        }
    }
}

impl From<Stop> for Error {
    fn from(_: Stop) -> Self {
        Error::Stopped
    }
}

/// A sink that keeps owned copies of everything: for tests and small inputs.
#[derive(Clone, Debug, Default)]
pub struct Collected {
    pub messages: Vec<OwnedMessage>,
    pub diagnostics: Vec<Diagnostic>,
    /// Each order dates were read in, and why, once each.
    pub date_orders: Vec<DateOrderUsed>,
}

/// An owned [`Message`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OwnedMessage {
    pub chat: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<String>,
    pub sender: String,
    pub from_me: bool,
    pub local: DateTime,
    pub utc: Timestamp,
    pub kind: &'static str,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
}

impl Sink for Collected {
    fn message(&mut self, m: &Message<'_>) -> Result<(), Stop> {
        self.messages.push(OwnedMessage {
            chat: m.chat.to_owned(),
            chat_id: m.chat_id.map(str::to_owned),
            sender: m.sender.to_owned(),
            from_me: m.from_me,
            local: m.local,
            utc: m.utc,
            kind: m.kind.as_str(),
            text: m.text.to_owned(),
            id: m.id.map(str::to_owned),
            reply_to: m.reply_to.map(str::to_owned),
            edited: m.edited,
        });
        Ok(())
    }

    fn diagnostic(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn date_order(&mut self, used: DateOrderUsed) {
        if !self.date_orders.contains(&used) {
            self.date_orders.push(used);
        }
    }
}

/// Parses `input` (format detected unless given) into owned messages.
pub fn collect(
    input: &Input,
    format: Option<Format>,
    options: &Options,
) -> Result<(Format, Collected), Error> {
    let format = match format {
        Some(f) => f,
        None => detect(input)?,
    };
    let mut sink = Collected::default();
    format.parse(input, options, &mut sink)?;
    Ok((format, sink))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_their_names() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(*f));
        }
        assert!("whatsap".parse::<Format>().is_err());
    }
}
