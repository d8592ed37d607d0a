//! SMS Backup & Restore (Android) XML: texts, MMS and call logs.
//!
//! ```text
//! <smses count="2" backup_set="…" backup_date="1721556032311" type="full">
//!   <sms address="+15551234567" date="1609459200000" type="1" body="Happy New Year!" contact_name="Alice" />
//!   <mms date="1609462800000" msg_box="2" address="+1555…~+1555…"><parts><part ct="text/plain" text="hi" /></parts></mms>
//! ```
//!
//! A call log backup has `<calls>` with one `<call number="…" duration="125"
//! date="…" type="1" />` per call. Times are milliseconds since 1970 (UTC).
//! The XML is streamed; a file cut off inside a record keeps every complete
//! record. Attribute values are unescaped by [`entities`], because the app
//! writes emoji as UTF-16 surrogate pairs that XML parsers reject. Long
//! values (a message's text, an MMS part's file) are cut by [`clamp`]
//! before the XML reader, which holds a whole tag at once.

mod clamp;
mod entities;

use std::cell::RefCell;
use std::rc::Rc;

use jiff::Timestamp;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use self::clamp::{Clamp, Cuts};
use crate::bounded::{self, Bounded};
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink};

/// What the backup is: messages or calls (the name of its root element).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backup {
    Messages,
    Calls,
}

/// The kind of one record element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RecordKind {
    Sms,
    Mms,
    Call,
}

impl RecordKind {
    fn tag(self) -> &'static str {
        match self {
            RecordKind::Sms => "sms",
            RecordKind::Mms => "mms",
            RecordKind::Call => "call",
        }
    }
}

const EXPECTED: &str =
    "an SMS Backup & Restore XML backup (<smses> with <sms>/<mms>, or <calls> with <call>)";

/// Whether the first element of `head` is `<smses>` or `<calls>` (with `<call>` records).
pub fn sniff(_input: &Input, head: &[u8]) -> bool {
    match root_name(head) {
        Some(b"smses") => true,
        Some(b"calls") => memchr::memmem::find(head, b"<call ").is_some(),
        _ => false,
    }
}

/// The name of the first element, past a byte-order mark, the XML
/// declaration, processing instructions, comments and a doctype.
fn root_name(head: &[u8]) -> Option<&[u8]> {
    let mut rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    loop {
        rest = rest.trim_ascii_start();
        let skip_to = if rest.starts_with(b"<?") {
            b"?>".as_slice()
        } else if rest.starts_with(b"<!--") {
            b"-->".as_slice()
        } else if rest.starts_with(b"<!") {
            rest = rest.get(declaration_len(rest)?..)?;
            continue;
        } else {
            break;
        };
        let end = memchr::memmem::find(rest, skip_to)?;
        rest = rest.get(end + skip_to.len()..)?;
    }
    let name = rest.strip_prefix(b"<")?;
    let end = name
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))?;
    name.get(..end)
}

/// The length of the `<!DOCTYPE …>` (or other `<!…>` declaration) at the
/// start of `b`, past an internal subset in brackets, whose declarations,
/// comments and quoted values may hold `>`; `None` if it does not end.
fn declaration_len(b: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = 2;
    while let Some(&c) = b.get(at) {
        match c {
            b'"' | b'\'' => at += 1 + memchr::memchr(c, b.get(at + 1..)?)?,
            b'<' if b.get(at..)?.starts_with(b"<!--") => {
                at += 4 + memchr::memmem::find(b.get(at + 4..)?, b"-->")? + 2;
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if depth == 0 => return Some(at + 1),
            _ => {}
        }
        at += 1;
    }
    None
}

/// Streams the records of a backup into `sink`.
pub fn parse(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    // Long values are cut before the reader, which holds a tag at once.
    let (clamped, cuts) = Clamp::new(input.open()?);
    let mut reader = Reader::from_reader(clamped);
    let mut parser = Parser::new(Zone::new(options.tz.clone()), sink, cuts);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let at = reader.buffer_position();
        let event = reader.read_event_into(&mut buf);
        let end = reader.buffer_position();
        match event {
            Ok(Event::Start(tag)) => parser.open(&tag, at, end, false)?,
            Ok(Event::Empty(tag)) => parser.open(&tag, at, end, true)?,
            Ok(Event::End(_)) => parser.close(end)?,
            Ok(Event::Eof) => return parser.finish(end, None),
            Ok(_) => {} // text between records, comments, declarations
            Err(e) => return parser.finish(reader.error_position(), Some(e)),
        }
    }
}

/// The state of one parse: where in the element tree it is and the record being read.
struct Parser<'s> {
    zone: Zone,
    sink: &'s mut dyn Sink,
    backup: Option<Backup>,
    /// The `count` the root element announces.
    announced: Option<u64>,
    /// Elements open around the reader (1 inside the root).
    depth: u32,
    /// The record being read (its buffers are reused from record to record).
    record: Record,
    /// `record` is a record whose element is open.
    record_open: bool,
    /// Records started so far; numbers them.
    records: u64,
    drafts: u64,
    /// What was cut from long values; offsets of the clamped stream.
    cuts: Rc<RefCell<Cuts>>,
}

/// One `<sms>`, `<mms>` or `<call>` being read: its attributes, and for MMS
/// the parts and addresses inside it. The strings are reused from record to
/// record.
#[derive(Debug, Default)]
struct Record {
    kind: Option<RecordKind>,
    number: u64,
    at: u64,
    /// Why the record cannot be read, once known.
    broken: Option<String>,
    date: String,
    /// `type` of sms and call, `msg_box` of mms.
    direction: String,
    address: String,
    contact_name: String,
    body: String,
    duration: String,
    message_id: String,
    /// The text parts of an MMS, joined by newlines.
    text: Bounded,
    /// The content type of the first part that is not text or layout.
    media: String,
    /// The `addr` with type 137: who sent an MMS.
    from: String,
    /// Where the record starts in the clamped stream (`at` is the file's).
    clamped_at: u64,
}

impl<'s> Parser<'s> {
    fn new(zone: Zone, sink: &'s mut dyn Sink, cuts: Rc<RefCell<Cuts>>) -> Self {
        Parser {
            zone,
            sink,
            backup: None,
            announced: None,
            depth: 0,
            record: Record::default(),
            record_open: false,
            records: 0,
            drafts: 0,
            cuts,
        }
    }

    /// The file's offset of an offset in the clamped stream.
    fn original(&self, clamped: u64) -> u64 {
        self.cuts.borrow().original(clamped)
    }

    /// An element opens at `at` (its tag ends at `end`), both in the
    /// clamped stream.
    fn open(&mut self, tag: &BytesStart<'_>, at: u64, end: u64, empty: bool) -> Result<(), Error> {
        match self.depth {
            0 => self.open_root(tag, self.original(at))?,
            1 => self.open_record(tag, at, end, empty)?,
            _ if self.record_open => self.record.read_child(tag),
            _ => {}
        }
        if !empty {
            self.depth = self.depth.saturating_add(1);
        }
        Ok(())
    }

    fn close(&mut self, end: u64) -> Result<(), Error> {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 1 && self.record_open {
            self.record_open = false;
            self.emit(end)?;
        }
        Ok(())
    }

    fn open_root(&mut self, tag: &BytesStart<'_>, at: u64) -> Result<(), Error> {
        self.backup = match tag.name().as_ref() {
            b"smses" => Some(Backup::Messages),
            b"calls" => Some(Backup::Calls),
            _ => {
                return Err(Error::unreadable(
                    Position::Offset(at),
                    "the first element is not <smses> or <calls>",
                    EXPECTED,
                ));
            }
        };
        self.announced = tag
            .attributes()
            .flatten()
            .find(|a| a.key.as_ref() == b"count")
            .and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse().ok());
        Ok(())
    }

    fn open_record(
        &mut self,
        tag: &BytesStart<'_>,
        clamped_at: u64,
        end: u64,
        empty: bool,
    ) -> Result<(), Error> {
        let at = self.original(clamped_at);
        let kind = match tag.name().as_ref() {
            b"sms" => RecordKind::Sms,
            b"mms" => RecordKind::Mms,
            b"call" => RecordKind::Call,
            _ => {
                self.sink.diagnostic(Diagnostic::new(
                    Position::Offset(at),
                    "an element that is not <sms>, <mms> or <call>; skipped",
                ));
                return Ok(());
            }
        };
        self.records += 1;
        self.record.start(kind, self.records, at, tag);
        self.record.clamped_at = clamped_at;
        if empty {
            self.emit(end)
        } else {
            self.record_open = true;
            Ok(())
        }
    }

    /// The end of the input, or an XML error that ends the parse.
    fn finish(mut self, end: u64, error: Option<quick_xml::Error>) -> Result<(), Error> {
        let end = self.original(end);
        let Some(backup) = self.backup else {
            let problem = match error {
                Some(e) => format!("this is not well-formed XML ({e})"),
                None => "there is no <smses> or <calls> element".to_owned(),
            };
            return Err(Error::unreadable(Position::Offset(end), problem, EXPECTED));
        };
        let root = match backup {
            Backup::Messages => "smses",
            Backup::Calls => "calls",
        };
        let open_record = self.record_open.then_some(&self.record);
        let problem = match (&error, &open_record) {
            (Some(e), Some(r)) => Some(format!(
                "the XML breaks off here ({e}) inside the <{}> record that starts at byte {}; \
                 that record and the rest of the file are skipped",
                r.tag(),
                r.at
            )),
            (Some(e), None) => Some(format!(
                "the XML breaks off here ({e}); the rest of the file is skipped"
            )),
            (None, Some(r)) => Some(format!(
                "the file ends inside the <{}> record that starts at byte {} (expected </{}>); \
                 that record is skipped",
                r.tag(),
                r.at,
                r.tag()
            )),
            (None, None) if self.depth > 0 => Some(format!(
                "the file ends before </{root}>; every complete record was read"
            )),
            (None, None) => None,
        };
        if let Some(problem) = problem {
            self.sink
                .diagnostic(Diagnostic::new(Position::Offset(end), problem));
        }
        self.summarize();
        Ok(())
    }

    fn summarize(&mut self) {
        if self.drafts > 0 {
            self.sink.diagnostic(Diagnostic::new(
                Position::Whole,
                format!("skipped {} draft(s): messages never sent", self.drafts),
            ));
        }
        match self.announced {
            Some(0) if self.records == 0 => self.sink.diagnostic(Diagnostic::new(
                Position::Whole,
                "the backup is empty (count=\"0\"): it holds no messages",
            )),
            Some(announced) if announced != self.records => self.sink.diagnostic(Diagnostic::new(
                Position::Whole,
                format!(
                    "the backup says it holds {announced} records, but {} were found",
                    self.records
                ),
            )),
            _ => {}
        }
    }

    /// Sends the complete record (which ends at `end` in the clamped
    /// stream) to the sink, or says why it cannot be read.
    fn emit(&mut self, end: u64) -> Result<(), Error> {
        let record = &self.record;
        let Some(kind) = record.kind else {
            return Ok(());
        };
        let text_attribute: &[u8] = match kind {
            RecordKind::Sms => b"body",
            RecordKind::Mms => b"text",
            RecordKind::Call => b"",
        };
        let dropped = self.cuts.borrow().dropped(record.clamped_at, end, text_attribute);
        match record.message(kind) {
            Ok(Read::Message(fields)) => {
                let local = self.zone.to_local(fields.utc);
                let text = bounded::bound(&fields.text, dropped, Position::Offset(record.at), self.sink);
                self.sink.message(&Message {
                    chat: &fields.chat,
                    chat_id: fields.chat_id.as_deref(),
                    sender: &fields.sender,
                    from_me: fields.from_me,
                    local,
                    utc: fields.utc,
                    kind: fields.kind,
                    text,
                    id: fields.id,
                    reply_to: None,
                    edited: false,
                })?;
            }
            Ok(Read::Draft) => self.drafts += 1,
            Err(problem) => self.sink.diagnostic(Diagnostic::new(
                Position::Offset(record.at),
                format!("<{}> record {}: {problem}; skipped", kind.tag(), record.number),
            )),
        }
        Ok(())
    }
}

/// What a record turned out to be.
enum Read<'r> {
    Message(Fields<'r>),
    /// A message never sent; not part of any conversation.
    Draft,
}

/// A record's message, borrowing from the record.
struct Fields<'r> {
    chat: std::borrow::Cow<'r, str>,
    /// The conversation's address(es), normalised.
    chat_id: Option<String>,
    sender: std::borrow::Cow<'r, str>,
    from_me: bool,
    utc: Timestamp,
    kind: Kind,
    text: std::borrow::Cow<'r, str>,
    id: Option<&'r str>,
}

impl Record {
    fn tag(&self) -> &'static str {
        self.kind.map_or("record", RecordKind::tag)
    }

    /// Starts reading a new record from its tag's attributes.
    fn start(&mut self, kind: RecordKind, number: u64, at: u64, tag: &BytesStart<'_>) {
        self.kind = Some(kind);
        self.number = number;
        self.at = at;
        self.broken = None;
        self.text.clear();
        for field in [
            &mut self.date,
            &mut self.direction,
            &mut self.address,
            &mut self.contact_name,
            &mut self.body,
            &mut self.duration,
            &mut self.message_id,
            &mut self.media,
            &mut self.from,
        ] {
            field.clear();
        }
        let mut attributes = tag.attributes();
        // Repeated attributes are not worth losing a message over: the last one wins.
        attributes.with_checks(false);
        for attribute in attributes {
            let attribute = match attribute {
                Ok(a) => a,
                Err(e) => {
                    self.broken = Some(format!(
                        "its attributes are malformed ({e}); expected name=\"value\""
                    ));
                    return;
                }
            };
            let field = match (kind, attribute.key.as_ref()) {
                (_, b"date") => &mut self.date,
                (RecordKind::Sms | RecordKind::Call, b"type") | (RecordKind::Mms, b"msg_box") => {
                    &mut self.direction
                }
                (RecordKind::Sms | RecordKind::Mms, b"address") | (RecordKind::Call, b"number") => {
                    &mut self.address
                }
                (_, b"contact_name") => &mut self.contact_name,
                (RecordKind::Sms, b"body") => &mut self.body,
                (RecordKind::Call, b"duration") => &mut self.duration,
                (RecordKind::Mms, b"m_id") => &mut self.message_id,
                _ => continue,
            };
            field.clear();
            entities::unescape_into(&attribute.value, field);
        }
    }

    /// Reads a `<part>` or `<addr>` inside an MMS.
    fn read_child(&mut self, tag: &BytesStart<'_>) {
        if self.kind != Some(RecordKind::Mms) || self.broken.is_some() {
            return;
        }
        let name = tag.name();
        let is_part = name.as_ref() == b"part";
        if !is_part && name.as_ref() != b"addr" {
            return;
        }
        let (mut content_type, mut value, mut addr_type) = (String::new(), None, None);
        let mut attributes = tag.attributes();
        attributes.with_checks(false);
        for attribute in attributes {
            let Ok(attribute) = attribute else {
                self.broken = Some("a <part> or <addr> inside it has malformed attributes".to_owned());
                return;
            };
            match (is_part, attribute.key.as_ref()) {
                (true, b"ct") => entities::unescape_into(&attribute.value, &mut content_type),
                (true, b"text") | (false, b"address") => {
                    let mut s = String::new();
                    entities::unescape_into(&attribute.value, &mut s);
                    value = Some(s);
                }
                (false, b"type") => addr_type = Some(attribute.value.into_owned()),
                _ => {}
            }
        }
        let value = value.filter(|v| present(v));
        if is_part {
            self.add_part(&content_type, value);
        } else if addr_type.as_deref() == Some(&b"137"[..]) && self.from.is_empty() {
            self.from = value.unwrap_or_default();
        }
    }

    fn add_part(&mut self, content_type: &str, text: Option<String>) {
        let content_type = content_type.trim();
        if content_type.eq_ignore_ascii_case("text/plain") {
            if let Some(text) = text {
                if !self.text.is_empty() {
                    self.text.push('\n');
                }
                self.text.push_str(&text);
            }
        } else if !content_type.eq_ignore_ascii_case("application/smil")
            && self.media.is_empty()
            && present(content_type)
        {
            self.media.push_str(content_type);
        }
    }

    /// The message of a complete record, or what is wrong with it.
    fn message(&self, kind: RecordKind) -> Result<Read<'_>, String> {
        if let Some(broken) = &self.broken {
            return Err(broken.clone());
        }
        let millis: i64 = self
            .date
            .trim()
            .parse()
            .map_err(|_| "`date` is not a time in milliseconds".to_owned())?;
        let utc = Timestamp::from_millisecond(millis).map_err(|_| "`date` is out of range".to_owned())?;
        let direction = match kind {
            RecordKind::Call => None,
            _ => Some(message_direction(&self.direction).ok_or_else(|| {
                let what = if kind == RecordKind::Sms {
                    "type"
                } else {
                    "msg_box"
                };
                format!("`{what}` is not a known message box (1 to 6)")
            })?),
        };
        if direction == Some(Direction::Draft) {
            return Ok(Read::Draft);
        }
        let from_me = direction == Some(Direction::Sent);
        match kind {
            RecordKind::Sms => self.sms(utc, from_me),
            RecordKind::Mms => self.mms(utc, from_me),
            RecordKind::Call => self.call(utc),
        }
        .map(Read::Message)
    }

    fn sms(&self, utc: Timestamp, from_me: bool) -> Result<Fields<'_>, String> {
        let chat = self
            .contact()
            .ok_or("it has neither a contact name nor an address")?;
        Ok(Fields {
            sender: if from_me { "".into() } else { chat.into() },
            chat: chat.into(),
            chat_id: conversation_id(&self.address),
            from_me,
            utc,
            kind: Kind::Text,
            text: if present(&self.body) {
                self.body.as_str().into()
            } else {
                "".into()
            },
            id: None,
        })
    }

    fn mms(&self, utc: Timestamp, from_me: bool) -> Result<Fields<'_>, String> {
        let group = self.address.contains('~');
        let chat: std::borrow::Cow<'_, str> = if group {
            group_name(&self.address).into()
        } else {
            self.contact()
                .ok_or("it has neither a contact name nor an address")?
                .into()
        };
        let sender: std::borrow::Cow<'_, str> = if from_me {
            "".into()
        } else if !group && (self.from.is_empty() || same_number(&self.from, &self.address)) {
            // One-to-one: the sender is the contact, named as in their SMS.
            chat.clone()
        } else if !self.from.is_empty() {
            self.from.as_str().into()
        } else {
            return Err("a group message without a sender (no <addr type=\"137\">)".to_owned());
        };
        let (kind, text) = if !self.text.is_empty() {
            (Kind::Text, self.text.as_str())
        } else if !self.media.is_empty() {
            (Kind::Media, self.media.as_str())
        } else {
            (Kind::Media, "mms")
        };
        Ok(Fields {
            chat,
            chat_id: conversation_id(&self.address),
            sender,
            from_me,
            utc,
            kind,
            text: text.into(),
            id: Some(self.message_id.as_str()).filter(|id| present(id)),
        })
    }

    fn call(&self, utc: Timestamp) -> Result<Fields<'_>, String> {
        let chat = self.contact().ok_or("a call without a number or contact name")?;
        let direction = self.direction.trim();
        let from_me = direction == "2";
        let seconds = self.duration.trim().parse::<u64>().unwrap_or(0);
        let text = match direction {
            "1" => format!("incoming call ({seconds} s)"),
            "2" => format!("outgoing call ({seconds} s)"),
            "3" => "missed call".to_owned(),
            "4" => "voicemail".to_owned(),
            "5" => "rejected call".to_owned(),
            "6" => "blocked call".to_owned(),
            "7" => "call answered on another device".to_owned(),
            _ => return Err("`type` is not a known call type (1 to 7)".to_owned()),
        };
        Ok(Fields {
            sender: if from_me { "".into() } else { chat.into() },
            chat: chat.into(),
            chat_id: conversation_id(&self.address),
            from_me,
            utc,
            kind: Kind::Call,
            text: text.into(),
            id: None,
        })
    }

    /// The contact's name, or their address where the backup has no name.
    fn contact(&self) -> Option<&str> {
        let name = self.contact_name.trim();
        if present(name) && name != "(Unknown)" {
            return Some(name);
        }
        let address = self.address.trim();
        present(address).then_some(address)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Received,
    Sent,
    Draft,
}

/// Android's message boxes, shared by `sms/@type` and `mms/@msg_box`: 1 inbox,
/// 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued. Outbox, failed and queued
/// messages were still written to the friend.
fn message_direction(value: &str) -> Option<Direction> {
    match value.trim() {
        "1" => Some(Direction::Received),
        "2" | "4" | "5" | "6" => Some(Direction::Sent),
        "3" => Some(Direction::Draft),
        _ => None,
    }
}

/// The app writes `null` for a value it does not have.
fn present(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty() && value != "null"
}

/// A group's tilde-joined addresses, trimmed, sorted and without repeats,
/// so the same group gets the same name whatever order a backup lists it in.
fn group_name(addresses: &str) -> String {
    let mut members: Vec<&str> = addresses
        .split('~')
        .map(str::trim)
        .filter(|a| present(a))
        .collect();
    members.sort_unstable();
    members.dedup();
    members.join("~")
}

/// The conversation's id: its address normalised, or a group's addresses
/// normalised, sorted and joined by `~`; `None` without an address.
fn conversation_id(addresses: &str) -> Option<String> {
    let mut members: Vec<String> = addresses
        .split('~')
        .filter(|a| present(a))
        .map(normalise_address)
        .filter(|a| !a.is_empty())
        .collect();
    members.sort_unstable();
    members.dedup();
    (!members.is_empty()).then(|| members.join("~"))
}

/// An address written the same way however a backup wrote it: a phone
/// number as its digits (and `*`, `#`), after a `+` where it was written
/// internationally (`+` or `00`); an email address or a sender name
/// (`AMAZON`) in lower case. A number written nationally in one backup and
/// internationally in another stays two ids: which country code a national
/// number lacks cannot be told from the backup.
fn normalise_address(address: &str) -> String {
    let address = address.trim();
    let phone = address
        .chars()
        .all(|c| c.is_ascii_digit() || " +-.()/*#".contains(c) || c.is_whitespace());
    if !phone || !address.chars().any(|c| c.is_ascii_digit()) {
        return address.to_lowercase();
    }
    let digits: String = address
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '*' || *c == '#')
        .collect();
    if address.starts_with('+') {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00").filter(|r| !r.is_empty()) {
        format!("+{rest}")
    } else {
        digits
    }
}

/// Two phone numbers are the same when their digits are (`+1 555-0100` and `+15550100`).
fn same_number(a: &str, b: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>();
    a.trim() == b.trim() || digits(a) == digits(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_past_declarations_and_comments() {
        let head = b"\xEF\xBB\xBF<?xml version='1.0'?>\n<?xml-stylesheet href=\"sms.xsl\"?>\n<!-- c -->\n<smses count=\"1\">";
        assert_eq!(root_name(head), Some(&b"smses"[..]));
        assert_eq!(root_name(b"<calls>"), Some(&b"calls"[..]));
        assert_eq!(root_name(b"hello"), None);
        assert_eq!(root_name(b"<!-- never closed"), None);
        // A doctype with an internal subset, whose declarations hold `>`.
        let head = b"<?xml version=\"1.0\"?>\n<!DOCTYPE smses [\n  <!ELEMENT smses (sms*)>\n  \
            <!ATTLIST sms body CDATA \"a > b ]\">\n  <!-- ] > -->\n]>\n<!-- made by the app -->\n<smses count=\"1\">";
        assert_eq!(root_name(head), Some(&b"smses"[..]));
        assert_eq!(
            root_name(b"<!DOCTYPE calls>\n<calls count=\"0\">"),
            Some(&b"calls"[..])
        );
        assert_eq!(root_name(b"<!DOCTYPE smses [ <!ELEMENT smses ANY>"), None);
    }

    #[test]
    fn groups_are_named_the_same_in_any_order() {
        assert_eq!(group_name(" +3~+1~+2~+1 "), "+1~+2~+3");
        assert_eq!(group_name("+2~null~~+1"), "+1~+2");
    }

    #[test]
    fn addresses_are_normalised_into_ids() {
        for written in [
            "+1 555-010-0100",
            "+1 (555) 010 0100",
            "+15550100100",
            "001 555 010 0100",
        ] {
            assert_eq!(normalise_address(written), "+15550100100", "{written}");
        }
        assert_eq!(normalise_address("(555) 010-0100"), "5550100100");
        assert_eq!(normalise_address(" Sam@Example.com "), "sam@example.com");
        assert_eq!(normalise_address("AMAZON"), "amazon");
        assert_eq!(normalise_address("*86#"), "*86#");
        assert_eq!(
            conversation_id("+1 555 0103~+15550101~null~+1-555-0101").as_deref(),
            Some("+15550101~+15550103")
        );
        assert_eq!(conversation_id(" null "), None);
    }

    #[test]
    fn numbers_match_by_their_digits() {
        assert!(same_number("+1 555-0100", "+15550100"));
        assert!(!same_number("+15550100", "+15550101"));
    }
}
