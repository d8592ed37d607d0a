//! WhatsApp chat exports: the `.txt` that "Export chat" writes on Android or
//! iOS, in any locale's date layout, or the `.zip` the app shares.
//!
//! ```text
//! 31/12/24, 21:03 - Sam Lee: see you at 8?
//! [31.12.24, 21:04:12] ~ Alex: ‎image omitted
//! 12/31/24, 9:05 PM - Messages and calls are end-to-end encrypted.
//! ```
//!
//! A line that starts with a date and a time is a message header (the
//! grammar, with its dotted times, words between date and time and years in
//! any place, is in [`header`](mod@header)); any other line continues the
//! message before it. Whether a date is day or month first is settled per
//! layout from the file's own dates (a short look ahead, see [`order`]),
//! as files may mix layouts when exports were joined together, unless
//! [`Options::date_order`] gives it; the sink is told which order was used
//! and why.
//!
//! One job a file: [`header`](mod@header) reads the grammar of a header
//! line, [`order`] settles day/month orders, [`kinds`] tells media, calls
//! and deletions by their words, [`parts`] surveys a large file in
//! parallel parts; this file puts messages together from lines.

mod header;
mod kinds;
mod order;
mod parts;

use std::io::Read;

use jiff::Timestamp;
use jiff::civil::DateTime;

use crate::bounded::{self, Bounded};
use crate::date;
use crate::lines::Lines;
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink};

use self::header::{Header, SameDay, header, skip_marks};
use self::kinds::{classify, strip_edited};
use self::order::{Learnt, learn};
pub(crate) use self::parts::survey;
use self::parts::{End, starts_part};

const EXPECTED: &str =
    "WhatsApp lines like '31/12/24, 21:03 - Name: text' or '[31/12/24, 21:03:07] Name: text'";

/// Whether `head` starts like a WhatsApp export: its first line is a message
/// header, or two of its first twenty lines are. Bracketed ISO dates
/// (`[2022-08-10, 19:33] Name:`) are signal-export's, not ours.
pub fn sniff(_input: &Input, head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let lines = head
        .split(|&b| b == b'\n')
        .filter(|line| !line.trim_ascii().is_empty())
        .take(20);
    let mut headers = 0;
    for (i, line) in lines.enumerate() {
        let Some(h) = header(line) else { continue };
        if !h.date.exists() || h.time.time().is_none() {
            continue;
        }
        if h.layout.bracket && h.date.year_first() && h.date.separator == b'-' {
            return false;
        }
        headers += 1;
        if i == 0 || headers >= 2 {
            return true;
        }
    }
    false
}

/// Reads a WhatsApp export into `sink`.
pub fn parse(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    let mut parser = Parser::new(input, options, learn(input, options.date_order)?);
    let mut lines = Lines::new(input.open_unbuffered()?);
    parser.read(&mut lines, sink, Until::End, None)?;
    parser.flush(sink, &mut Held::default())?;
    if parser.messages == 0 {
        return Err(no_messages());
    }
    Ok(())
}

fn no_messages() -> Error {
    Error::unreadable(
        Position::Whole,
        "no line is a WhatsApp message header with a date that exists",
        EXPECTED,
    )
}

/// The message being read: its header; its sender and text are in the
/// parser's buffers.
#[derive(Clone, Copy, Debug)]
struct Pending {
    /// The line of its header.
    line: u64,
    local: DateTime,
    utc: Timestamp,
    /// A line with no author (Android system lines).
    system: bool,
    /// The text started with a direction mark, as iOS writes media
    /// placeholders and system lines.
    marked: bool,
    /// The text has more than one line.
    multiline: bool,
}

/// How far [`Parser::read`] goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Until {
    End,
    /// Until a message has started.
    Message,
}

#[derive(Debug)]
struct Parser<'a> {
    chat: &'a str,
    input: &'a Input,
    zone: Zone,
    learnt: Learnt,
    same_day: Option<SameDay>,
    pending: Option<Pending>,
    sender: String,
    text: Bounded,
    /// Blank lines read since the last line of text.
    blank_lines: usize,
    /// The time of the last message.
    last: Option<DateTime>,
    /// First and last line before the first message.
    preamble: Option<(u64, u64)>,
    messages: u64,
    /// Reads a part of the file from a header on, knowing neither the lines
    /// before it nor the numbers of its own (they count from the part's
    /// start). It assumes a message ended just before it.
    detached: bool,
    /// A detached parser met a line that only the lines before its part can
    /// settle, and stopped: the part must be read again in order.
    unsure: bool,
}

impl<'a> Parser<'a> {
    fn new(input: &'a Input, options: &Options, learnt: Learnt) -> Self {
        Parser {
            chat: chat_name(input.stem()),
            input,
            zone: Zone::new(options.tz.clone()),
            learnt,
            same_day: None,
            pending: None,
            sender: String::new(),
            text: Bounded::default(),
            blank_lines: 0,
            last: None,
            preamble: None,
            messages: 0,
            detached: false,
            unsure: false,
        }
    }

    /// Reads `lines` to their end (or to `end`, or as far as `until` says),
    /// or until a detached parser is unsure. The message last read stays
    /// pending.
    fn read<R: Read>(
        &mut self,
        lines: &mut Lines<R>,
        sink: &mut dyn Sink,
        until: Until,
        end: Option<End>,
    ) -> Result<(), Error> {
        while let Some(mut block) = lines.next_text()? {
            let mut held = Held::default();
            let mut stop = false;
            loop {
                if let Some(end) = end {
                    // The line that ends the part stays unread.
                    if end.base + block.offset() >= end.at
                        && block.peek().is_some_and(|next| starts_part(next.as_bytes()))
                    {
                        stop = true;
                        break;
                    }
                }
                let Some(line) = block.next() else {
                    break;
                };
                self.line(line, block.number(), sink, &mut held)?;
                if self.unsure || (until == Until::Message && self.pending.is_some()) {
                    stop = true;
                    break;
                }
            }
            self.keep(held);
            if stop {
                break;
            }
        }
        Ok(())
    }

    fn line<'b>(
        &mut self,
        line: &'b str,
        number: u64,
        sink: &mut dyn Sink,
        held: &mut Held<'b>,
    ) -> Result<(), Error> {
        match self.header(line.as_bytes(), number, sink)? {
            // A header is ASCII, marks and spaces: it ends at a character boundary.
            Some((local, rest)) => {
                self.start(local, line.get(rest..).unwrap_or_default(), number, sink, held)
            }
            None => {
                self.continuation(line, number, held);
                Ok(())
            }
        }
    }

    /// Copies what the pending message still borrows from a buffer that is
    /// about to be refilled.
    fn keep(&mut self, held: Held<'_>) {
        if let Some(sender) = held.sender {
            self.sender.clear();
            self.sender.push_str(sender);
        }
        if let Some(text) = held.text {
            self.text.clear();
            self.text.push_str(text);
        }
    }

    /// The time of a header line and where its sender starts, or `None` for
    /// other lines (with a diagnostic for those that only look like one).
    fn header(
        &mut self,
        line: &[u8],
        number: u64,
        sink: &mut dyn Sink,
    ) -> Result<Option<(DateTime, usize)>, Error> {
        if let Some(found) = self.same_day.as_ref().and_then(|memo| memo.header(line)) {
            return Ok(Some(found));
        }
        let Some(h) = header(line) else {
            return Ok(None);
        };
        Ok(self.resolve(line, &h, number, sink)?.map(|local| (local, h.rest)))
    }

    /// The time of a header, or `None` (and a diagnostic) if it only looks
    /// like one.
    fn resolve(
        &mut self,
        line: &[u8],
        h: &Header,
        number: u64,
        sink: &mut dyn Sink,
    ) -> Result<Option<DateTime>, Error> {
        let seen = self.seen(h, number, sink)?;
        if self.unsure {
            return Ok(None);
        }
        let Some(day) = h.date.date(seen.order) else {
            self.not_a_header(number, "its date does not exist", sink);
            return Ok(None);
        };
        let Some(local) = date::datetime(day, &h.time) else {
            self.not_a_header(number, "its time does not exist", sink);
            return Ok(None);
        };
        let odd_year = h.date.year_digits() != seen.year_digits;
        if odd_year && self.detached && self.last.is_none() {
            // Whether it is a header depends on the time before it.
            self.unsure = true;
            return Ok(None);
        }
        // One export writes every year alike; a line that writes it
        // otherwise and goes back in time is quoted from elsewhere.
        if odd_year && self.last.is_some_and(|last| local < last) {
            self.not_a_header(
                number,
                "its date is written unlike the dates before it and goes back in time",
                sink,
            );
            return Ok(None);
        }
        if !odd_year {
            self.same_day = SameDay::new(line, h, day);
        }
        Ok(Some(local))
    }

    fn not_a_header(&mut self, number: u64, why: &str, sink: &mut dyn Sink) {
        let whereto = if self.pending.is_some() {
            "it was kept as part of the message before"
        } else {
            "it was skipped"
        };
        sink.diagnostic(Diagnostic::new(
            Position::Line(number),
            format!("the line starts like a message, but {why}; {whereto}"),
        ));
    }

    /// Starts a message at a header line; `rest` is what follows the header.
    fn start<'b>(
        &mut self,
        local: DateTime,
        rest: &'b str,
        number: u64,
        sink: &mut dyn Sink,
        held: &mut Held<'b>,
    ) -> Result<(), Error> {
        self.flush(sink, held)?;
        if let Some((first, last)) = self.preamble.take() {
            sink.diagnostic(Diagnostic::new(
                Position::Line(first),
                format!("lines {first}-{last} come before the first message and were skipped"),
            ));
        }
        let (sender, text) = split_sender(rest);
        let (text, marked) = strip_leading_marks(text);
        let name = sender.unwrap_or_default();
        held.sender = if plain_name(name) {
            Some(name)
        } else {
            self.sender.clear();
            push_sender(&mut self.sender, name);
            None
        };
        held.text = Some(text);
        self.blank_lines = 0;
        self.last = Some(local);
        self.pending = Some(Pending {
            line: number,
            local,
            utc: self.zone.to_utc(local),
            system: sender.is_none() || held.sender.unwrap_or(&self.sender).is_empty(),
            marked,
            multiline: false,
        });
        Ok(())
    }

    /// A line that is not a header: more of the message being read.
    fn continuation(&mut self, line: &str, number: u64, held: &mut Held<'_>) {
        let Some(pending) = &mut self.pending else {
            if self.detached {
                // It belongs to the message before the part.
                self.unsure = true;
                return;
            }
            let first = self.preamble.map_or(number, |(first, _)| first);
            self.preamble = Some((first, number));
            return;
        };
        if line.trim().is_empty() {
            self.blank_lines += 1;
            return;
        }
        pending.multiline = true;
        if let Some(text) = held.text.take() {
            self.text.clear();
            self.text.push_str(text);
        }
        // Blank lines inside a message stay; those at its start do not.
        if !self.text.is_empty() {
            self.text.push_repeated('\n', self.blank_lines + 1);
        }
        self.blank_lines = 0;
        // Past the longest text kept, lines are only counted.
        self.text.push_str(line);
    }

    /// Hands the message being read to the sink.
    fn flush(&mut self, sink: &mut dyn Sink, held: &mut Held<'_>) -> Result<(), Error> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        self.messages += 1;
        let held = std::mem::take(held);
        let (text, dropped) = match held.text {
            Some(text) => (text, 0),
            None => (
                self.text.as_str(),
                self.text.len() - self.text.as_str().len() as u64,
            ),
        };
        let text = bounded::bound(text, dropped, Position::Line(p.line), sink);
        let (text, edited) = strip_edited(text);
        let kind = classify(text, p.system, p.marked, p.multiline);
        // iOS credits system lines to the chat itself.
        let sender = if kind == Kind::System {
            ""
        } else {
            held.sender.unwrap_or(&self.sender)
        };
        sink.message(&Message {
            chat: self.chat,
            chat_id: None,
            sender,
            from_me: false,
            local: p.local,
            utc: p.utc,
            kind,
            text,
            id: None,
            reply_to: None,
            edited,
        })?;
        Ok(())
    }
}

/// The sender and the text of the pending message while they are still in
/// the buffer of lines: most messages are one line, and are handed on
/// without being copied. `None` where the parser's own buffer holds them.
#[derive(Clone, Copy, Debug, Default)]
struct Held<'b> {
    sender: Option<&'b str>,
    text: Option<&'b str>,
}

/// Splits `Name: text` into the sender and the text; a line with no author
/// (`You were added`) has no sender. A name may hold `: ` itself, but only
/// the first one counts: names with colons are rarer than texts with them.
fn split_sender(rest: &str) -> (Option<&str>, &str) {
    let bytes = rest.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes.get(from..).and_then(find_colon) {
        let colon = from + i;
        let sender_ends = match bytes.get(colon + 1) {
            None | Some(b' ') => true,
            // `Name:.`: a sender whose text does not start with a space.
            Some(&next) => next.is_ascii_punctuation() && next != b'/' && next != b':',
        };
        if sender_ends {
            let sender = rest.get(..colon).unwrap_or_default();
            let text = rest.get(colon + 1..).unwrap_or_default();
            return (Some(sender), text.strip_prefix(' ').unwrap_or(text));
        }
        from = colon + 1;
    }
    (None, rest)
}

/// `name` has nothing to take off (most names): marks come at the ends of
/// a name (`\u{202A}+1 555 0100\u{202C}`), as do `~` and spaces.
fn plain_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'+');
    plain(bytes.first()) && plain(bytes.last())
}

/// Where the first `:` of `b` is. Names are short: eight bytes at a time
/// (as one number, a byte that is `:` found by arithmetic) take fewer
/// steps than a byte loop, and a library call costs more than either.
fn find_colon(b: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const COLONS: u64 = u64::from_ne_bytes([b':'; 8]);
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        let x = u64::from_le_bytes(eight) ^ COLONS;
        // The lowest byte of `x` that is zero sets the high bit of its byte
        // here (bits above it may be set wrongly, never those below).
        let zero = x.wrapping_sub(ONES) & !x & HIGHS;
        if zero != 0 {
            return Some(at + zero.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&c| c == b':').map(|i| at + i)
}

/// Copies `name` into `out` without direction marks, WhatsApp's `~ ` before
/// names that are not in the exporter's contacts, and surrounding spaces.
fn push_sender(out: &mut String, name: &str) {
    if plain_name(name) {
        out.push_str(name);
        return;
    }
    let name = name.trim_matches(is_mark_or_space);
    let name = match name.strip_prefix('~') {
        Some(rest) => rest.trim_start_matches(is_mark_or_space),
        None => name,
    };
    out.extend(name.chars().filter(|&c| !is_mark(c)));
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}')
}

fn is_mark_or_space(c: char) -> bool {
    is_mark(c) || c.is_whitespace()
}

/// `text` without leading direction marks, and whether it had one.
fn strip_leading_marks(text: &str) -> (&str, bool) {
    let at = skip_marks(text.as_bytes(), 0);
    (text.get(at..).unwrap_or(text), at > 0)
}

/// The chat's name from the export's file name: `WhatsApp Chat with Sam` and
/// its translations name `Sam`.
fn chat_name(stem: &str) -> &str {
    const PREFIXES: [&str; 12] = [
        "WhatsApp Chat with ",
        "WhatsApp Chat - ",
        "WhatsApp Chat mit ",
        "WhatsApp-Chat mit ",
        "Chat de WhatsApp con ",
        "Conversa do WhatsApp com ",
        "Conversa no WhatsApp com ",
        "Discussion WhatsApp avec ",
        "WhatsApp-chat met ",
        "Chat WhatsApp con ",
        "Chat di WhatsApp con ",
        "Czat WhatsApp z ",
    ];
    PREFIXES
        .iter()
        .find_map(|prefix| {
            let head = stem.get(..prefix.len())?;
            let name = stem.get(prefix.len()..)?.trim();
            (head.eq_ignore_ascii_case(prefix) && !name.is_empty()).then_some(name)
        })
        .unwrap_or(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colons_are_found_eight_bytes_at_a_time() {
        let text = "ab:cdefghijklmnop:qrs:\u{e9}:";
        for from in 0..text.len() {
            let b = &text.as_bytes()[from..];
            assert_eq!(find_colon(b), b.iter().position(|&c| c == b':'), "{from}");
        }
        // A byte just above `:` (0x3B), and 0xBA (0x3A with the high bit) next to it.
        assert_eq!(find_colon(b";\xBA;;;;;;;;;;:"), Some(12));
        assert_eq!(find_colon(b"\x01\x3a"), Some(1));
        assert_eq!(find_colon(b""), None);
    }

    #[test]
    fn senders_and_system_lines() {
        assert_eq!(split_sender("Sam Lee: hi: there"), (Some("Sam Lee"), "hi: there"));
        assert_eq!(split_sender("John Doe:."), (Some("John Doe"), "."));
        assert_eq!(split_sender("John Doe:"), (Some("John Doe"), ""));
        assert_eq!(split_sender("You were added"), (None, "You were added"));
        assert_eq!(
            split_sender("X joined via https://chat.whatsapp.com/x"),
            (None, "X joined via https://chat.whatsapp.com/x")
        );
        let mut out = String::new();
        push_sender(&mut out, "~\u{202F}Alex");
        assert_eq!(out, "Alex");
        out.clear();
        push_sender(&mut out, "\u{202A}+1 555 0100\u{202C}");
        assert_eq!(out, "+1 555 0100");
    }

    #[test]
    fn chat_names_from_file_names() {
        assert_eq!(chat_name("WhatsApp Chat with Sam"), "Sam");
        assert_eq!(chat_name("WhatsApp Chat - Sam Lee"), "Sam Lee");
        assert_eq!(chat_name("whatsapp chat with Sam"), "Sam");
        assert_eq!(chat_name("Chat de WhatsApp con Ana"), "Ana");
        assert_eq!(chat_name("WhatsApp Chat with "), "WhatsApp Chat with ");
        assert_eq!(chat_name("_chat"), "_chat");
        assert_eq!(chat_name("Wh"), "Wh");
    }
}
