//! WhatsApp chat exports: the `.txt` that "Export chat" writes on Android or
//! iOS, in any locale's date layout, or the `.zip` the app shares.
//!
//! ```text
//! 31/12/24, 21:03 - Sam Lee: see you at 8?
//! [31.12.24, 21:04:12] ~ Alex: ‎image omitted
//! 12/31/24, 9:05 PM - Messages and calls are end-to-end encrypted.
//! ```
//!
//! A line that starts with a date and a time is a message header; any other
//! line continues the message before it. Whether a date is day or month
//! first is settled per layout from the file's own dates (a short look
//! ahead, see [`learn_orders`]), as files may mix layouts when exports were
//! joined together.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

use crate::date::{self, Backsteps, ClockTime, DayMonth, NumericDate, Orders};
use crate::lines::Lines;
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink};

const EXPECTED: &str =
    "WhatsApp lines like '31/12/24, 21:03 - Name: text' or '[31/12/24, 21:03:07] Name: text'";

/// How many times a parse may read ahead again for a layout that first
/// shows up late in a file: a bound on the work a strange file can cause.
const RESCANS: u32 = 8;

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
    let mut orders = Orders::default();
    let scan = learn_orders(input, 0, None, &mut orders)?;
    if !scan.found {
        let problem = if scan.impossible {
            "no line is a WhatsApp message header with a date that exists"
        } else {
            "no line starts with a WhatsApp date and time"
        };
        return Err(Error::unreadable(Position::Whole, problem, EXPECTED));
    }
    let mut parser = Parser {
        chat: chat_name(input.stem()),
        input,
        sink,
        zone: Zone::new(options.tz.clone()),
        orders,
        forward: scan.forward.into_iter().collect(),
        layouts: Vec::new(),
        same_day: None,
        rescans_left: RESCANS,
        pending: None,
        sender: String::new(),
        text: String::new(),
        blank_lines: 0,
        last: None,
        preamble: None,
        messages: 0,
    };
    let mut lines = Lines::new(input.open()?);
    let mut number = 0;
    while let Some(line) = lines.next_line()? {
        number += 1;
        let (local, from) = match parser.header(line, number)? {
            Some((local, rest)) => (Some(local), rest),
            None => (None, 0),
        };
        // A header is ASCII and marks, valid by construction: only what
        // follows it needs checking.
        let text = match line.get(from..).map(std::str::from_utf8) {
            Some(Ok(text)) => text,
            _ => {
                // Lines::text names the line; it cannot succeed here.
                let copy = line.to_vec();
                lines.text(&copy)?;
                continue;
            }
        };
        match local {
            Some(local) => parser.start(local, text)?,
            None => parser.continuation(text, number),
        }
    }
    parser.flush()?;
    if parser.messages == 0 {
        return Err(Error::unreadable(
            Position::Whole,
            "no line is a WhatsApp message header with a date that exists",
            EXPECTED,
        ));
    }
    Ok(())
}

/// What comes between the time and the sender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tail {
    /// `[31/12/24, 21:03:07] ` (iOS)
    Bracket,
    /// `31/12/24, 21:03 - ` (Android)
    Dash,
    /// `12/31/19, 8:30:52 AM – `
    EnDash,
    /// `2022/12/14, 13:34. - ` (some locales)
    DotDash,
    /// `31/12/2012 21:03:07: ` (exports from about 2012)
    Colon,
    /// `2021. 1. 5. 오후 3:21, ` (Korean)
    Comma,
    /// `15/12/2025, 10:34:00 AM ` (iOS without brackets)
    Space,
}

/// The written shape of a header apart from its numbers. Exports that were
/// joined together mix layouts, and each layout settles its own day/month
/// order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Layout {
    bracket: bool,
    separator: u8,
    year_first: bool,
    comma: bool,
    seconds: bool,
    /// 0: 24-hour clock; 1: `AM`/`PM` in English; 2: other meridiem spellings.
    meridiem: u8,
    tail: Tail,
}

/// A message header: `[31/12/24, 21:03:07] ` and where the rest starts.
#[derive(Clone, Copy, Debug)]
struct Header {
    date: NumericDate,
    time: ClockTime,
    layout: Layout,
    /// Where the time starts.
    day_end: usize,
    /// Where the time ends.
    time_end: usize,
    /// Byte offset of the sender (or of a system line's text).
    rest: usize,
}

/// Reads a header at the start of `line`, or `None` if it has none.
fn header(line: &[u8]) -> Option<Header> {
    let day = day_part(line)?;
    time_part(line, &day)
}

/// The part of a header before its time: `[31/12/24, `.
#[derive(Clone, Copy, Debug)]
struct DayPart {
    bracket: bool,
    date: NumericDate,
    comma: bool,
    /// Where the time starts.
    end: usize,
}

fn day_part(line: &[u8]) -> Option<DayPart> {
    // Almost every continuation line fails at the first test.
    let mut at = skip_marks(line, 0);
    let bracket = line.get(at) == Some(&b'[');
    at += usize::from(bracket);
    if !line.get(at)?.is_ascii_digit() {
        return None;
    }
    let (date, n) = NumericDate::scan(line.get(at..)?)?;
    at += n;
    let comma = line.get(at) == Some(&b',');
    at += usize::from(comma);
    let gap = date::space(line.get(at..)?);
    if gap == 0 {
        return None;
    }
    Some(DayPart {
        bracket,
        date,
        comma,
        end: at + gap,
    })
}

/// Reads the time and what follows it, after `day`.
fn time_part(line: &[u8], day: &DayPart) -> Option<Header> {
    let mut at = day.end;
    let (time, n) = ClockTime::scan(line.get(at..)?)?;
    at += n;
    let time_end = at;
    let (tail, n) = tail(line.get(at..)?, day.bracket, &time)?;
    let layout = Layout {
        bracket: day.bracket,
        separator: day.date.separator,
        year_first: day.date.year_first(),
        comma: day.comma,
        seconds: time.seconds,
        meridiem: match time.meridiem {
            None => 0,
            Some(m) if m.english => 1,
            Some(_) => 2,
        },
        tail,
    };
    Some(Header {
        date: day.date,
        time,
        layout,
        day_end: day.end,
        time_end,
        rest: at + n,
    })
}

/// Reads what follows the time; returns it and its length.
fn tail(b: &[u8], bracket: bool, time: &ClockTime) -> Option<(Tail, usize)> {
    if bracket {
        let rest = b.strip_prefix(b"]")?;
        return Some((Tail::Bracket, 1 + date::space(rest)));
    }
    // Slice patterns, not a table of strings: this runs for every message.
    match b {
        [b' ', b'-', b' ', ..] => Some((Tail::Dash, 3)),
        [b' ', 0xE2, 0x80, 0x93, b' ', ..] => Some((Tail::EnDash, 5)),
        [b'.', b' ', b'-', b' ', ..] => Some((Tail::DotDash, 4)),
        [b':', b' ', ..] => Some((Tail::Colon, 2)),
        [b',', b' ', ..] if time.meridiem.is_some_and(|m| m.before) => Some((Tail::Comma, 2)),
        // A bare space is too common after a time in message text to trust
        // without the seconds that iOS always writes.
        [b' ', ..] if time.seconds => Some((Tail::Space, 1)),
        _ => None,
    }
}

/// The bytes of direction marks (U+200E, U+200F, U+202A..U+202E) from `at`.
fn skip_marks(b: &[u8], mut at: usize) -> usize {
    while let Some([0xE2, 0x80, c]) = b.get(at..at + 3) {
        if !matches!(c, 0x8E | 0x8F | 0xAA..=0xAE) {
            break;
        }
        at += 3;
    }
    at
}

/// What a look ahead found.
#[derive(Clone, Copy, Debug, Default)]
struct Scan {
    /// A header was seen.
    found: bool,
    /// A line looked like a header but its date does not exist.
    impossible: bool,
    /// The layout looked for, and the order in which its dates run forward
    /// when none of them settled it.
    forward: Option<(Layout, DayMonth)>,
}

/// Reads from line `skip + 1` until the day/month order of `wanted` (or of
/// the first header's layout when `None`) is settled, or to the end; learns
/// the orders of every layout on the way.
fn learn_orders(
    input: &Input,
    skip: u64,
    mut wanted: Option<Layout>,
    orders: &mut Orders<Layout>,
) -> Result<Scan, Error> {
    let mut lines = Lines::new(input.open()?);
    let mut number = 0;
    let mut scan = Scan::default();
    let mut steps = Backsteps::default();
    while let Some(line) = lines.next_line()? {
        number += 1;
        if number <= skip {
            continue;
        }
        let Some(h) = header(line) else { continue };
        if !h.date.exists() {
            scan.impossible = true;
            continue;
        }
        scan.found = true;
        orders.learn(h.layout, &h.date);
        let wanted = *wanted.get_or_insert(h.layout);
        if wanted.year_first || orders.get(wanted).is_some() {
            return Ok(scan);
        }
        if h.layout == wanted {
            steps.add(&h.date);
        }
    }
    scan.forward = wanted.zip(steps.better());
    Ok(scan)
}

/// The day part of the last header. Consecutive messages mostly share
/// their day, so a line that repeats its bytes only has its time read.
#[derive(Clone, Copy, Debug)]
struct SameDay {
    bytes: [u8; 24],
    part: DayPart,
    layout: Layout,
    day: Date,
    /// What the header wrote between its time and the sender (` - `, `] `).
    tail: [u8; 8],
    tail_len: usize,
}

impl SameDay {
    fn new(line: &[u8], h: &Header, day: Date) -> Option<SameDay> {
        let mut bytes = [0; 24];
        bytes
            .get_mut(..h.day_end)?
            .copy_from_slice(line.get(..h.day_end)?);
        let tail_len = h.rest.checked_sub(h.time_end)?;
        let mut tail = [0; 8];
        tail.get_mut(..tail_len)?
            .copy_from_slice(line.get(h.time_end..h.rest)?);
        let part = DayPart {
            bracket: h.layout.bracket,
            date: h.date,
            comma: h.layout.comma,
            end: h.day_end,
        };
        Some(SameDay {
            bytes,
            part,
            layout: h.layout,
            day,
            tail,
            tail_len,
        })
    }

    /// The time and sender offset of `line` if it is a header of this day
    /// in the same layout.
    fn header(&self, line: &[u8]) -> Option<(DateTime, usize)> {
        let len = self.part.end;
        // A byte loop: a library call costs more for these few bytes.
        let same = line.get(..len)?.iter().zip(&self.bytes).all(|(a, b)| a == b);
        if !same {
            return None;
        }
        if let Some(found) = self.clock24(line) {
            return Some(found);
        }
        let h = time_part(line, &self.part).filter(|h| h.layout == self.layout)?;
        Some((self.day.to_datetime(h.time.time()?), h.rest))
    }

    /// Reads the commonest headers directly: a 24-hour `H:MM` or
    /// `HH:MM:SS` followed by this layout's own tail bytes. Anything else
    /// goes the general way.
    fn clock24(&self, line: &[u8]) -> Option<(DateTime, usize)> {
        if self.layout.meridiem != 0 {
            return None;
        }
        let b = line.get(self.part.end..)?;
        let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| c - b'0');
        let (hour, colon) = match (digit(0)?, digit(1)) {
            (h1, Some(h2)) => (h1 * 10 + h2, 2),
            (h, None) => (h, 1),
        };
        if b.get(colon) != Some(&b':') {
            return None;
        }
        let minute = digit(colon + 1)? * 10 + digit(colon + 2)?;
        let mut end = colon + 3;
        let mut second = 0;
        if self.layout.seconds {
            if b.get(end) != Some(&b':') {
                return None;
            }
            second = digit(end + 1)? * 10 + digit(end + 2)?;
            end += 3;
        }
        let tail = self.tail.get(..self.tail_len)?;
        if !b
            .get(end..end + tail.len())?
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
        {
            return None;
        }
        let time = Time::new(hour as i8, minute as i8, second as i8, 0).ok()?;
        Some((self.day.to_datetime(time), self.part.end + end + tail.len()))
    }
}

/// A layout met in the file, with what the file says about it.
#[derive(Clone, Copy, Debug)]
struct Seen {
    layout: Layout,
    order: DayMonth,
    /// How the first of its dates wrote the year.
    year_digits: u8,
}

/// The message being read: its header; its sender and text are in the
/// parser's buffers.
#[derive(Clone, Copy, Debug)]
struct Pending {
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

struct Parser<'a> {
    chat: &'a str,
    input: &'a Input,
    sink: &'a mut dyn Sink,
    zone: Zone,
    orders: Orders<Layout>,
    /// Layouts whose order only the run of their dates suggests.
    forward: Vec<(Layout, DayMonth)>,
    layouts: Vec<Seen>,
    same_day: Option<SameDay>,
    rescans_left: u32,
    pending: Option<Pending>,
    sender: String,
    text: String,
    /// Blank lines read since the last line of text.
    blank_lines: usize,
    /// The time of the last message.
    last: Option<DateTime>,
    /// First and last line before the first message.
    preamble: Option<(u64, u64)>,
    messages: u64,
}

impl Parser<'_> {
    /// The time of a header line and where its sender starts, or `None` for
    /// other lines (with a diagnostic for those that only look like one).
    fn header(&mut self, line: &[u8], number: u64) -> Result<Option<(DateTime, usize)>, Error> {
        if let Some(found) = self.same_day.as_ref().and_then(|memo| memo.header(line)) {
            return Ok(Some(found));
        }
        let Some(h) = header(line) else {
            return Ok(None);
        };
        Ok(self.resolve(line, &h, number)?.map(|local| (local, h.rest)))
    }

    /// The time of a header, or `None` (and a diagnostic) if it only looks
    /// like one.
    fn resolve(&mut self, line: &[u8], h: &Header, number: u64) -> Result<Option<DateTime>, Error> {
        let seen = self.seen(h, number)?;
        let Some(day) = h.date.date(seen.order) else {
            self.not_a_header(number, "its date does not exist");
            return Ok(None);
        };
        let Some(local) = date::datetime(day, &h.time) else {
            self.not_a_header(number, "its time does not exist");
            return Ok(None);
        };
        // One export writes every year alike; a line that writes it
        // otherwise and goes back in time is quoted from elsewhere.
        if h.date.year_digits() != seen.year_digits && self.last.is_some_and(|last| local < last) {
            self.not_a_header(
                number,
                "its date is written unlike the dates before it and goes back in time",
            );
            return Ok(None);
        }
        if h.date.year_digits() == seen.year_digits {
            self.same_day = SameDay::new(line, h, day);
        }
        Ok(Some(local))
    }

    /// What the file says about the layout of `h`, learnt on first sight.
    fn seen(&mut self, h: &Header, number: u64) -> Result<Seen, Error> {
        if let Some(seen) = self.layouts.iter().find(|s| s.layout == h.layout) {
            return Ok(*seen);
        }
        let layout = h.layout;
        let mut order = self.orders.get(layout);
        if order.is_none() && !layout.year_first && self.rescans_left > 0 {
            self.rescans_left -= 1;
            let scan = learn_orders(self.input, number - 1, Some(layout), &mut self.orders)?;
            self.forward.extend(scan.forward);
            order = self.orders.get(layout);
        }
        let order = match order {
            Some(order) => order,
            None if layout.year_first => DayMonth::DayFirst,
            None => {
                let forward = self.forward.iter().find(|(l, _)| *l == layout).map(|&(_, o)| o);
                let (order, why) = match forward {
                    Some(order) => (order, ", the order in which they run forward in time"),
                    None => (DayMonth::guess(layout.meridiem == 1), ""),
                };
                self.sink.diagnostic(Diagnostic::new(
                    Position::Whole,
                    format!(
                        "the dates from line {number} on never show whether the day or the month comes \
                         first; they were read as {}{why}",
                        order.describe()
                    ),
                ));
                order
            }
        };
        let seen = Seen {
            layout,
            order,
            year_digits: h.date.year_digits(),
        };
        self.layouts.push(seen);
        Ok(seen)
    }

    fn not_a_header(&mut self, number: u64, why: &str) {
        let whereto = if self.pending.is_some() {
            "it was kept as part of the message before"
        } else {
            "it was skipped"
        };
        self.sink.diagnostic(Diagnostic::new(
            Position::Line(number),
            format!("the line starts like a message, but {why}; {whereto}"),
        ));
    }

    /// Starts a message at a header line; `rest` is what follows the header.
    fn start(&mut self, local: DateTime, rest: &str) -> Result<(), Error> {
        self.flush()?;
        if let Some((first, last)) = self.preamble.take() {
            self.sink.diagnostic(Diagnostic::new(
                Position::Line(first),
                format!("lines {first}-{last} come before the first message and were skipped"),
            ));
        }
        let (sender, text) = split_sender(rest);
        let (text, marked) = strip_leading_marks(text);
        self.sender.clear();
        push_sender(&mut self.sender, sender.unwrap_or_default());
        self.text.clear();
        self.text.push_str(text);
        self.blank_lines = 0;
        self.last = Some(local);
        self.pending = Some(Pending {
            local,
            utc: self.zone.to_utc(local),
            system: sender.is_none() || self.sender.is_empty(),
            marked,
            multiline: false,
        });
        Ok(())
    }

    /// A line that is not a header: more of the message being read.
    fn continuation(&mut self, line: &str, number: u64) {
        if self.pending.is_none() {
            let first = self.preamble.map_or(number, |(first, _)| first);
            self.preamble = Some((first, number));
            return;
        }
        if line.trim().is_empty() {
            self.blank_lines += 1;
            return;
        }
        if let Some(p) = &mut self.pending {
            p.multiline = true;
        }
        // Blank lines inside a message stay; those at its start do not.
        if !self.text.is_empty() {
            for _ in 0..=self.blank_lines {
                self.text.push('\n');
            }
        }
        self.blank_lines = 0;
        self.text.push_str(line);
    }

    /// Hands the message being read to the sink.
    fn flush(&mut self) -> Result<(), Error> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        self.messages += 1;
        let (text, edited) = strip_edited(&self.text);
        let kind = classify(text, p.system, p.marked, p.multiline);
        // iOS credits system lines to the chat itself.
        let sender = if kind == Kind::System { "" } else { &self.sender };
        self.sink.message(&Message {
            chat: self.chat,
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

/// Splits `Name: text` into the sender and the text; a line with no author
/// (`You were added`) has no sender. A name may hold `: ` itself, but only
/// the first one counts: names with colons are rarer than texts with them.
fn split_sender(rest: &str) -> (Option<&str>, &str) {
    let bytes = rest.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes.get(from..).and_then(|b| memchr::memchr(b':', b)) {
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

/// Copies `name` into `out` without direction marks, WhatsApp's `~ ` before
/// names that are not in the exporter's contacts, and surrounding spaces.
fn push_sender(out: &mut String, name: &str) {
    let bytes = name.as_bytes();
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'+');
    // Marks come at the ends of a name (`\u{202A}+1 555 0100\u{202C}`).
    if plain(bytes.first()) && plain(bytes.last()) {
        // Most names: nothing to take off.
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

/// The notes WhatsApp appends to an edited message.
const EDITED: [&str; 5] = [
    "<This message was edited>",
    "<Diese Nachricht wurde bearbeitet>",
    "<Se editó este mensaje.>",
    "<Mensagem editada>",
    "<Ce message a été modifié>",
];

/// `text` without its "edited" note, and whether it had one.
fn strip_edited(text: &str) -> (&str, bool) {
    if !text.ends_with('>') {
        return (text, false);
    }
    match EDITED.iter().find_map(|note| text.strip_suffix(note)) {
        Some(rest) => (rest.trim_end_matches(is_mark_or_space), true),
        None => (text, false),
    }
}

/// Media placeholders that are the whole first line.
const MEDIA: Words = Words::new(&[
    "<Media omitted>",
    "<media omitted>",
    "<Medien ausgeschlossen>",
    "<Multimedia omitido>",
    "<Médias omis>",
    "<Mídia oculta>",
    "<Arquivo de mídia oculto>",
    "<Media weggelaten>",
    "<Media omessi>",
    "<Medya dahil edilmedi>",
    "<Без медиафайлов>",
    "<Pominięto multimedia>",
    "<Media tidak disertakan>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
    "video note omitted",
    "null",
]);

/// How iOS ends media placeholders in various languages (after a mark).
const MEDIA_ENDINGS: [&str; 11] = [
    " omitted",
    " weggelassen",
    " omitida",
    " omitido",
    " omis",
    " omise",
    " absente",
    " ocultada",
    " oculto",
    " omesso",
    " weggelaten",
];

/// How a first line names an attached file (`IMG-20200101-WA0001.jpg (file attached)`).
const ATTACHED: [&str; 6] = [
    " (file attached)",
    " (Datei angehängt)",
    " (archivo adjunto)",
    " (arquivo anexado)",
    " (fichier joint)",
    " (bestand bijgevoegd)",
];

/// The notes left by a deleted message (compared without a final `.`).
const DELETED: Words = Words::new(&[
    "This message was deleted",
    "You deleted this message",
    "Se eliminó este mensaje",
    "Eliminaste este mensaje",
    "Este mensaje fue eliminado",
    "Diese Nachricht wurde gelöscht",
    "Du hast diese Nachricht gelöscht",
    "Mensagem apagada",
    "Esta mensagem foi apagada",
    "Você apagou esta mensagem",
    "Ce message a été supprimé",
    "Vous avez supprimé ce message",
    "Questo messaggio è stato eliminato",
    "Hai eliminato questo messaggio",
    "Dit bericht is verwijderd",
    "Je hebt dit bericht verwijderd",
    "U hebt dit bericht verwijderd",
]);

/// Calls, answered or missed, as the first words of a line.
const CALLS: Words = Words::new(&[
    "Missed voice call",
    "Missed video call",
    "Missed group voice call",
    "Missed group video call",
    "Voice call",
    "Video call",
    "Group voice call",
    "Group video call",
    "Llamada perdida",
    "Videollamada perdida",
    "Llamada de voz perdida",
    "Verpasster Sprachanruf",
    "Verpasster Videoanruf",
    "Chamada de voz perdida",
    "Chamada de vídeo perdida",
    "Appel vocal manqué",
    "Appel vidéo manqué",
    "Chiamata vocale persa",
]);

/// What follows a call's words after a comma (`Voice call, ‎12 min`).
const CALL_DETAILS: Words = Words::new(&[
    "Tap to call back",
    "Click to call back",
    "No answer",
    "Answered on other device",
    "Declined",
]);

/// What a message is, from its text. `system`: the line has no author;
/// `marked`: its text began with a direction mark, as iOS writes its notes.
fn classify(text: &str, system: bool, marked: bool, multiline: bool) -> Kind {
    let first = match multiline
        .then(|| memchr::memchr(b'\n', text.as_bytes()))
        .flatten()
    {
        Some(i) => text.get(..i).unwrap_or(text),
        None => text,
    };
    if is_deleted(text) {
        Kind::Deleted
    } else if is_call(first) {
        Kind::Call
    } else if system {
        Kind::System
    } else if is_media(first, marked) {
        Kind::Media
    } else if marked && !first.starts_with("POLL:") && !first.starts_with("Location:") {
        // iOS marks its own notes, credited to the chat: "‎Sam added you".
        Kind::System
    } else {
        Kind::Text
    }
}

fn is_deleted(text: &str) -> bool {
    if text.len() > 64 {
        return false;
    }
    let text = text.strip_suffix('.').unwrap_or(text);
    DELETED.contains(text) || text.starts_with("This message was deleted by")
}

fn is_call(first: &str) -> bool {
    if first.len() > 96 {
        return false;
    }
    let Some(rest) = CALLS.prefix_of(first) else {
        return false;
    };
    let Some(detail) = rest.strip_prefix(", ") else {
        return rest.is_empty();
    };
    let unmarked = detail.trim_start_matches(is_mark);
    unmarked.len() < detail.len()
        || unmarked.starts_with(|c: char| c.is_ascii_digit())
        || CALL_DETAILS.prefix_of(unmarked).is_some()
}

fn is_media(first: &str, marked: bool) -> bool {
    if first.starts_with("<attached: ")
        || (first.ends_with(')') && ATTACHED.iter().any(|a| first.ends_with(a)))
    {
        return true;
    }
    if first.len() > 40 && !marked {
        return false;
    }
    MEDIA.contains(first) || (marked && MEDIA_ENDINGS.iter().any(|e| first.ends_with(e)))
}

/// A list of words to find texts in. Classifying runs for every message,
/// so the first bytes of the words are kept as a set that rules out most
/// texts at once.
#[derive(Debug)]
struct Words {
    list: &'static [&'static str],
    firsts: [bool; 256],
}

impl Words {
    const fn new(list: &'static [&'static str]) -> Words {
        let mut firsts = [false; 256];
        let mut i = 0;
        while i < list.len() {
            if let Some(&b) = list[i].as_bytes().first() {
                firsts[b as usize] = true;
            }
            i += 1;
        }
        Words { list, firsts }
    }

    fn may_start(&self, s: &str) -> bool {
        s.as_bytes().first().is_some_and(|&b| self.firsts[usize::from(b)])
    }

    /// `s` is one of the words.
    fn contains(&self, s: &str) -> bool {
        self.may_start(s) && self.list.contains(&s)
    }

    /// What follows the first word that `s` starts with.
    fn prefix_of<'s>(&self, s: &'s str) -> Option<&'s str> {
        if !self.may_start(s) {
            return None;
        }
        self.list.iter().find_map(|w| s.strip_prefix(w))
    }
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

    fn rest_of(line: &str) -> Option<&str> {
        header(line.as_bytes()).and_then(|h| line.get(h.rest..))
    }

    #[test]
    fn headers_of_every_layout() {
        let cases = [
            ("31/12/24, 21:03 - Sam: hi", "Sam: hi"),
            ("[31/12/2024, 9:03:07 PM] Sam: hi", "Sam: hi"),
            ("\u{200E}[04.01.18, 11:54:34] John: hi", "John: hi"),
            ("[01/20/19 11:23] John Doe:.", "John Doe:."),
            ("9/24/2019 11:30 p.m. - John: hi", "John: hi"),
            ("09/17/19, 8:30:52 AM \u{2013} John: hi", "John: hi"),
            ("2022/12/14, 13:34. - John: hi", "John: hi"),
            ("09/12/2012 17:02:35: One: hi", "One: hi"),
            ("15/12/2025, 10:34:00 AM Charlie: hi", "Charlie: hi"),
            ("2021. 1. 5. 오후 3:21, 이름 : 안녕", "이름 : 안녕"),
            ("09/10/22, 10:37 p.\u{a0}m. - J: x", "J: x"),
        ];
        for (line, rest) in cases {
            assert_eq!(rest_of(line), Some(rest), "{line:?}");
        }
    }

    #[test]
    fn lines_that_are_no_headers() {
        for line in [
            "",
            "hello",
            "2/11/19: Arrival",
            "2/11/19, 14:48 Alice: no seconds, no dash",
            "12/12/19 at 10:00 - x",
            "[12/12/19 10:00 - x",
            "31/12/24, 21:03 -Sam",
        ] {
            assert!(header(line.as_bytes()).is_none(), "{line:?}");
        }
    }

    #[test]
    fn the_same_day_shortcut_agrees_with_the_general_reading() {
        let pairs = [
            ("31/12/24, 21:03 - Sam: a", "31/12/24, 9:04 - Jo: b"),
            ("31/12/24, 21:03 - Sam: a", "31/12/24, 21:04:05 - Jo: b"),
            ("31/12/24, 21:03 - Sam: a", "31/12/24, 25:04 - Jo: b"),
            ("31/12/24, 21:03 - Sam: a", "31/12/24, 21:04 PM - Jo: b"),
            ("31/12/24, 21:03 - Sam: a", "31/12/24, 21:04 \u{2013} Jo: b"),
            ("31/12/24, 21:03 - Sam: a", "31/12/24, 21:0 - Jo: b"),
            ("[31.12.24, 21:03:07] Sam: a", "[31.12.24, 21:04:59] Jo: b"),
            ("[31.12.24, 21:03:07] Sam: a", "[31.12.24, 21:04:59]Jo: b"),
            ("2022/12/14, 13:34. - J: a", "2022/12/14, 13:35. - J: b"),
            ("31/12/24, 9:03 PM - Sam: a", "31/12/24, 10:04 AM - Jo: b"),
        ];
        for (a, b) in pairs {
            let first = header(a.as_bytes()).unwrap();
            let day = first.date.date(DayMonth::DayFirst).unwrap();
            let memo = SameDay::new(a.as_bytes(), &first, day).unwrap();
            let general = header(b.as_bytes())
                .filter(|h| h.layout == first.layout)
                .and_then(|h| Some((day.to_datetime(h.time.time()?), h.rest)));
            assert_eq!(memo.header(b.as_bytes()), general, "{b:?}");
        }
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
    fn kinds() {
        assert_eq!(classify("<Media omitted>", false, false, false), Kind::Media);
        assert_eq!(classify("image omitted", false, true, false), Kind::Media);
        assert_eq!(classify("Bild weggelassen", false, true, false), Kind::Media);
        assert_eq!(
            classify("<attached: 00000012-PHOTO-2020.jpg>", false, true, false),
            Kind::Media
        );
        assert_eq!(
            classify(
                "IMG-20200101-WA0001.jpg (file attached)\ncaption",
                false,
                false,
                true
            ),
            Kind::Media
        );
        assert_eq!(
            classify("This message was deleted.", false, true, false),
            Kind::Deleted
        );
        assert_eq!(
            classify("You deleted this message", false, false, false),
            Kind::Deleted
        );
        assert_eq!(
            classify("Missed voice call, \u{200E}Tap to call back", false, true, false),
            Kind::Call
        );
        assert_eq!(
            classify("Voice call, \u{200E}12 min", false, true, false),
            Kind::Call
        );
        assert_eq!(classify("Video call tomorrow?", false, false, false), Kind::Text);
        assert_eq!(classify("Video call, tomorrow?", false, false, false), Kind::Text);
        assert_eq!(classify("Sam added you", false, true, false), Kind::System);
        assert_eq!(
            classify("Location: https://maps.example/x", false, true, false),
            Kind::Text
        );
        assert_eq!(classify("You were added", true, false, false), Kind::System);
        assert_eq!(classify("image omitted, really", false, false, false), Kind::Text);
    }

    #[test]
    fn edited_notes_come_off() {
        assert_eq!(strip_edited("hi \u{200E}<This message was edited>"), ("hi", true));
        assert_eq!(strip_edited("hi <Mensagem editada>"), ("hi", true));
        assert_eq!(strip_edited("a <b>"), ("a <b>", false));
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
