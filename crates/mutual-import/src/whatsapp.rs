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

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

use crate::bounded::{self, Bounded};
use crate::date::{self, Backsteps, ClockTime, DayMonth, NumericDate, Orders};
use crate::lines::Lines;
use crate::survey::Tally;
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink, Survey};

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
    let mut parser = Parser::new(input, options, learn(input)?);
    let mut lines = Lines::new(input.open_unbuffered()?);
    parser.read(&mut lines, sink, Until::End, None)?;
    parser.flush(sink, &mut Held::default())?;
    if parser.messages == 0 {
        return Err(no_messages());
    }
    Ok(())
}

/// What a look ahead from the start learns about the file's layouts, or why
/// it cannot be a WhatsApp export.
fn learn(input: &Input) -> Result<Learnt, Error> {
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
    Ok(Learnt {
        orders,
        forward: scan.forward.into_iter().collect(),
        layouts: Vec::new(),
        rescans_left: RESCANS,
    })
}

fn no_messages() -> Error {
    Error::unreadable(
        Position::Whole,
        "no line is a WhatsApp message header with a date that exists",
        EXPECTED,
    )
}

/// Surveys the plain file at `path` (the file of `input`) in parts, on
/// `threads` threads, with the survey a parse of the whole gives. Part `k`
/// starts at the first message header at or after byte `cuts[k - 1]` (the
/// first part at the start) and ends where the next one starts. Threads take
/// the parts in turn, so a thread that starts late only takes fewer.
///
/// Every later part assumes that the layouts it meets are known as they
/// are right after the file's first message (as in most exports, which
/// keep one layout), and counts its lines from its cut. Parts are
/// joined in order; when a part's assumption does not hold (what came
/// before it was learnt differently, or it met a line only that could
/// settle), the rest of the file from that part on is read again in order.
pub(crate) fn survey_parts(
    input: &Input,
    path: &Path,
    options: &Options,
    cuts: &[u64],
    threads: usize,
) -> Result<Survey, Error> {
    survey_parts_counted(input, path, options, cuts, threads).map(|(survey, _)| survey)
}

/// [`survey_parts`], and whether the file was read again in order from a part on.
fn survey_parts_counted(
    input: &Input,
    path: &Path,
    options: &Options,
    cuts: &[u64],
    threads: usize,
) -> Result<(Survey, bool), Error> {
    let mut cuts: Vec<u64> = cuts.iter().copied().filter(|&cut| cut > 0).collect();
    cuts.sort_unstable();
    cuts.dedup();
    // The first part is read up to its first message here: what it knows
    // then is what every later part assumes.
    let mut first = Parser::new(input, options, learn(input)?);
    let mut tally = Tally::default();
    let mut lines = Lines::new(File::open(path)?);
    let first_end = cuts.first().map(|&at| End { base: 0, at });
    first.read(&mut lines, &mut tally, Until::Message, first_end)?;
    let seed = first.learnt.clone();
    let first = Mutex::new(Some((first, tally, lines)));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            // Part `k` ends at the first header from cut `k` on.
            let end = cuts.get(k).copied();
            let part = match k.checked_sub(1).and_then(|i| cuts.get(i)) {
                None if k == 0 => match first.lock().ok().and_then(|mut first| first.take()) {
                    Some((parser, tally, lines)) => Part::first(parser, tally, lines, end),
                    None => continue,
                },
                None => break,
                Some(&cut) => Part::later(input, options, path, seed.clone(), cut, end),
            };
            done.push((k, part));
        }
        done
    };
    let mut parts: Vec<Option<Part<'_>>> = std::iter::repeat_with(|| None).take(cuts.len() + 1).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.max(1)).map(|_| scope.spawn(work)).collect();
        // A helper that failed leaves its parts to the reading in order.
        let done = helpers.into_iter().filter_map(|h| h.join().ok()).flatten();
        for (k, part) in work().into_iter().chain(done) {
            if let Some(slot) = parts.get_mut(k) {
                *slot = Some(part);
            }
        }
    });
    let mut parts = parts.into_iter();
    let Some(Some(first)) = parts.next() else {
        let mut tally = Tally::default();
        parse(input, options, &mut tally)?;
        return Ok((tally.into_survey(), true));
    };
    first.result?;
    let mut parser = first.parser;
    let mut total = first.tally;
    let mut lines_before = first.lines;
    let mut end = first.end;
    let mut again = false;
    for part in parts {
        match part {
            Some(part) if part.is_empty() => {}
            Some(part) if part.follows(&parser, end, &seed) => {
                parser.flush(&mut total, &mut Held::default())?;
                // The part's lines count from the line that holds its cut.
                let shift = lines_before.saturating_sub(part.skipped);
                total.append(part.tally, shift);
                part.result.map_err(|e| shift_error(e, shift))?;
                lines_before += part.lines;
                end = part.end;
                parser = part.parser;
                // It read as the whole would: from here on it is the whole's.
                parser.detached = false;
                if let Some(pending) = &mut parser.pending {
                    pending.line += shift;
                }
            }
            _ => {
                again = true;
                let mut rest = Lines::after(open_range(path, end, None)?, lines_before);
                parser.read(&mut rest, &mut total, Until::End, None)?;
                break;
            }
        }
    }
    parser.flush(&mut total, &mut Held::default())?;
    let survey = total.into_survey();
    if survey.messages + survey.system == 0 {
        return Err(no_messages());
    }
    Ok((survey, again))
}

/// A part of a file, read.
#[derive(Debug)]
struct Part<'a> {
    /// As it was at the part's end, its last message pending.
    parser: Parser<'a>,
    tally: Tally,
    /// Where its first line starts; `None` for a part with no line of its
    /// own (no header between its cut and the next).
    start: Option<u64>,
    /// Where it stopped: where the next part starts.
    end: u64,
    /// Its lines; and lines read before its first (of the part before).
    lines: u64,
    skipped: u64,
    result: Result<(), Error>,
}

impl<'a> Part<'a> {
    /// Reads on the first part, from where its parser stopped, to `end`.
    fn first(mut parser: Parser<'a>, mut tally: Tally, mut lines: Lines<File>, end: Option<u64>) -> Part<'a> {
        let result = parser.read(
            &mut lines,
            &mut tally,
            Until::End,
            end.map(|at| End { base: 0, at }),
        );
        Part {
            parser,
            tally,
            start: Some(0),
            end: lines.offset(),
            lines: lines.number(),
            skipped: 0,
            result,
        }
    }

    /// Reads the part that starts at the first header at or after `cut`,
    /// with a detached parser that knows what `seed` knows.
    fn later(
        input: &'a Input,
        options: &Options,
        path: &Path,
        seed: Learnt,
        cut: u64,
        end: Option<u64>,
    ) -> Part<'a> {
        let mut part = Part {
            parser: Parser::new(input, options, seed),
            tally: Tally::default(),
            start: None,
            end: 0,
            lines: 0,
            skipped: 0,
            result: Ok(()),
        };
        part.parser.detached = true;
        part.result = part.read(path, cut, end);
        part
    }

    fn read(&mut self, path: &Path, cut: u64, end: Option<u64>) -> Result<(), Error> {
        // The line that holds the byte before the cut belongs to the part
        // before; so do the lines after it up to the first header.
        let base = cut - 1;
        let mut lines = Lines::after(open_range(path, base, None)?, 0);
        lines.next_line()?;
        let (start, line) = loop {
            let at = base + lines.offset();
            if end.is_some_and(|end| at >= end) {
                return Ok(());
            }
            match lines.next_line()? {
                // A copy, to read it while `lines` goes on.
                Some(line) if starts_part(line) => break (at, line.to_vec()),
                Some(_) => {}
                None => return Ok(()),
            }
        };
        self.start = Some(start);
        self.skipped = lines.number() - 1;
        let text = lines.text(&line)?;
        let mut held = Held::default();
        self.parser
            .line(text, lines.number(), &mut self.tally, &mut held)?;
        self.parser.keep(held);
        let result = if self.parser.unsure {
            Ok(())
        } else {
            let end = end.map(|at| End { base, at });
            self.parser.read(&mut lines, &mut self.tally, Until::End, end)
        };
        self.end = base + lines.offset();
        self.lines = lines.number() - self.skipped;
        result
    }

    /// It has no line of its own: the part before read them.
    fn is_empty(&self) -> bool {
        self.start.is_none() && self.result.is_ok()
    }

    /// The part read as a parse of the whole would read it after `before`
    /// (the parser that read the file up to `end`), having started from
    /// what `seed` knows.
    fn follows(&self, before: &Parser<'_>, end: u64, seed: &Learnt) -> bool {
        // Its first line started a message, needing no time before it, and
        // nothing after needed more than the part knew.
        let opened = self.parser.pending.is_some() && !self.parser.unsure;
        // It starts where the part before ended, after a message, with the
        // layouts known alike.
        opened && self.start == Some(end) && before.pending.is_some() && before.learnt == *seed
    }
}

/// Where a part of a file ends: before the first header line that starts
/// `at` bytes into the file or later. `base` is where its stream of lines
/// starts in the file.
#[derive(Clone, Copy, Debug)]
struct End {
    base: u64,
    at: u64,
}

/// A line a part may start at: a header whose date and time exist.
fn starts_part(line: &[u8]) -> bool {
    header(line).is_some_and(|h| h.date.exists() && h.time.time().is_some())
}

/// The bytes of the file from `from` to `to` (or to its end).
fn open_range(path: &Path, from: u64, to: Option<u64>) -> io::Result<io::Take<File>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    Ok(file.take(to.map_or(u64::MAX, |to| to.saturating_sub(from))))
}

/// An error of a part whose lines count from its own start, with its line
/// counted from the start of the file.
fn shift_error(error: Error, shift: u64) -> Error {
    match error {
        Error::Unreadable {
            at: Position::Line(n),
            problem,
            expected,
        } => Error::Unreadable {
            at: Position::Line(n + shift),
            problem,
            expected,
        },
        other => other,
    }
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
    let mut lines = Lines::new(input.open_unbuffered()?);
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
        if !starts_alike(line, &self.bytes, self.part.end) {
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

/// `line` starts with the first `len` bytes of `bytes`. Compared eight
/// bytes at a time (the last eight overlapping those before): fewer steps
/// than a byte loop, and a library call costs more for these few bytes.
fn starts_alike(line: &[u8], bytes: &[u8; 24], len: usize) -> bool {
    let word = |b: &[u8], at: usize| {
        b.get(at..at + 8)
            .and_then(|s| <[u8; 8]>::try_from(s).ok())
            .map(u64::from_le_bytes)
    };
    let (Some(line), Some(bytes)) = (line.get(..len), bytes.get(..len)) else {
        return false;
    };
    if len < 8 {
        return line == bytes;
    }
    let mut at = 0;
    while at + 8 < len {
        if word(line, at) != word(bytes, at) {
            return false;
        }
        at += 8;
    }
    word(line, len - 8) == word(bytes, len - 8)
}

/// A layout met in the file, with what the file says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seen {
    layout: Layout,
    order: DayMonth,
    /// How the first of its dates wrote the year.
    year_digits: u8,
}

/// What a parse knows about the file's layouts at a line: all that the
/// lines before it tell the lines after it, apart from the time of the
/// message before. A part of the file parsed from the same knowledge reads
/// exactly as it does in a parse of the whole (see [`survey_parts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Learnt {
    orders: Orders<Layout>,
    /// Layouts whose order only the run of their dates suggests.
    forward: Vec<(Layout, DayMonth)>,
    layouts: Vec<Seen>,
    rescans_left: u32,
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

    /// What the file says about the layout of `h`, learnt on first sight.
    fn seen(&mut self, h: &Header, number: u64, sink: &mut dyn Sink) -> Result<Seen, Error> {
        if let Some(seen) = self.learnt.layouts.iter().find(|s| s.layout == h.layout) {
            return Ok(*seen);
        }
        let layout = h.layout;
        let mut order = self.learnt.orders.get(layout);
        if order.is_none() && !layout.year_first && self.detached {
            // Looking ahead and naming the line both need the line's number.
            self.unsure = true;
            return Ok(Seen {
                layout,
                order: DayMonth::DayFirst,
                year_digits: h.date.year_digits(),
            });
        }
        if order.is_none() && !layout.year_first && self.learnt.rescans_left > 0 {
            self.learnt.rescans_left -= 1;
            let scan = learn_orders(self.input, number - 1, Some(layout), &mut self.learnt.orders)?;
            self.learnt.forward.extend(scan.forward);
            order = self.learnt.orders.get(layout);
        }
        let order = match order {
            Some(order) => order,
            None if layout.year_first => DayMonth::DayFirst,
            None => {
                let forward = self
                    .learnt
                    .forward
                    .iter()
                    .find(|(l, _)| *l == layout)
                    .map(|&(_, o)| o);
                let (order, why) = match forward {
                    Some(order) => (order, ", the order in which they run forward in time"),
                    None => (DayMonth::guess(layout.meridiem == 1), ""),
                };
                sink.diagnostic(Diagnostic::new(
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
        self.learnt.layouts.push(seen);
        Ok(seen)
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
    DELETED.contains(text) || starts_with(text, "This message was deleted by")
}

/// `text` starts with `word`, its first byte looked at first: most texts
/// are ruled out without a library call to compare the rest.
fn starts_with(text: &str, word: &str) -> bool {
    text.as_bytes().first() == word.as_bytes().first() && text.starts_with(word)
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
    if starts_with(first, "<attached: ")
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
/// so the lengths of the words that start with each byte are kept as a
/// table that rules out most texts at one look.
#[derive(Debug)]
struct Words {
    list: &'static [&'static str],
    /// Bit `n` of entry `b`: a word that starts with byte `b` is `n` bytes
    /// long (bit 63: 63 bytes or longer).
    lengths: [u64; 256],
}

impl Words {
    const fn new(list: &'static [&'static str]) -> Words {
        let mut lengths = [0; 256];
        let mut i = 0;
        while i < list.len() {
            let word = list[i].as_bytes();
            if let Some(&b) = word.first() {
                lengths[b as usize] |= Words::bit(word.len());
            }
            i += 1;
        }
        Words { list, lengths }
    }

    const fn bit(len: usize) -> u64 {
        1 << if len < 63 { len } else { 63 }
    }

    /// The lengths of the words that start like `s`.
    fn lengths(&self, s: &str) -> u64 {
        s.as_bytes().first().map_or(0, |&b| self.lengths[usize::from(b)])
    }

    /// `s` is one of the words.
    fn contains(&self, s: &str) -> bool {
        self.lengths(s) & Words::bit(s.len()) != 0 && self.list.contains(&s)
    }

    /// What follows the first word that `s` starts with.
    fn prefix_of<'s>(&self, s: &'s str) -> Option<&'s str> {
        // Words no longer than `s`: bits 0 to its length (all from 63 on).
        let fitting = (Words::bit(s.len()) << 1).wrapping_sub(1) | Words::bit(s.len());
        if self.lengths(s) & fitting == 0 {
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
    fn day_parts_are_compared_eight_bytes_at_a_time() {
        let bytes: [u8; 24] = *b"[31/12/2024, 21:03:07] S";
        for len in 0..=24 {
            for at in 0..24 {
                let mut line = bytes.to_vec();
                line[at] ^= 1;
                assert_eq!(starts_alike(&line, &bytes, len), at >= len, "{len} {at}");
                assert!(starts_alike(&bytes, &bytes, len));
                assert!(!starts_alike(&bytes[..len.saturating_sub(1)], &bytes, len) || len == 0);
            }
        }
    }

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
    fn word_lists_find_words_and_prefixes_of_any_length() {
        const LONG: &str = "A word of more than sixty-three bytes, to fill the last bit of the table";
        const WORDS: Words = Words::new(&["ab", "abc", "b", LONG, ""]);
        for (s, contained) in [
            ("ab", true),
            ("abc", true),
            ("a", false),
            ("abcd", false),
            ("b", true),
        ] {
            assert_eq!(WORDS.contains(s), contained, "{s:?}");
        }
        assert!(WORDS.contains(LONG));
        assert!(!WORDS.contains(&LONG[..LONG.len() - 1]));
        assert!(!WORDS.contains(""));
        assert_eq!(WORDS.prefix_of("abz"), Some("z"));
        assert_eq!(WORDS.prefix_of("a"), None);
        assert_eq!(WORDS.prefix_of("b"), Some(""));
        assert_eq!(WORDS.prefix_of(&format!("{LONG}!")), Some("!"));
        assert_eq!(WORDS.prefix_of("c"), None);
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

    /// A survey in parts against a parse of the whole.
    mod parts {
        use std::path::PathBuf;

        use proptest::prelude::*;

        use super::*;
        use crate::synth::{Generator, write_whatsapp};

        /// Writes `bytes` to a file and surveys it whole and in parts cut at
        /// `cuts`; fails unless both agree (errors as their messages).
        /// Returns whether a part had to be read again.
        fn agree(bytes: &[u8], cuts: &[u64]) -> Result<bool, TestCaseError> {
            // One to three threads, varied by the cuts.
            let threads = 1 + (cuts.iter().sum::<u64>() % 3) as usize;
            let file = tempfile::NamedTempFile::new().expect("temp file");
            std::fs::write(file.path(), bytes).expect("write");
            let input = Input::file(file.path()).expect("opens");
            let options = Options {
                tz: jiff::tz::TimeZone::get("Europe/Berlin").expect("tzdb"),
            };
            let mut survey = Survey::default();
            let whole = parse(&input, &options, &mut survey)
                .map(|()| survey)
                .map_err(|e| e.to_string());
            let parts =
                survey_parts_counted(&input, file.path(), &options, cuts, threads).map_err(|e| e.to_string());
            let again = parts.as_ref().is_ok_and(|(_, again)| *again);
            prop_assert_eq!(whole, parts.map(|(survey, _)| survey), "cut at {:?}", cuts);
            Ok(again)
        }

        fn fixtures() -> Vec<Vec<u8>> {
            let dir = crate::synth::fixtures_dir().join("whatsapp");
            let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
                .expect("fixtures")
                .map(|entry| entry.expect("entry").path())
                .collect();
            paths.sort();
            paths.iter().map(|p| std::fs::read(p).expect("fixture")).collect()
        }

        /// Where each line starts, the first excepted.
        fn line_starts(bytes: &[u8]) -> Vec<u64> {
            memchr::memchr_iter(b'\n', bytes).map(|i| i as u64 + 1).collect()
        }

        #[test]
        fn every_fixture_cut_at_every_line() {
            for bytes in fixtures() {
                for cut in line_starts(&bytes) {
                    for cuts in [vec![cut], vec![cut - 1], vec![cut + 1, cut + 7]] {
                        agree(&bytes, &cuts).expect("agree");
                    }
                }
            }
        }

        #[test]
        fn fixtures_joined_and_repeated() {
            let all = fixtures();
            // Exports of every layout joined; one export three times over.
            let joined: Vec<u8> = all.concat();
            let repeated: Vec<u8> = all.iter().flat_map(|f| f.repeat(3)).collect();
            for bytes in [joined, repeated] {
                let starts = line_starts(&bytes);
                for (i, &cut) in starts.iter().enumerate() {
                    let later = starts.get(i * 7 % starts.len()).copied().unwrap_or(cut);
                    agree(&bytes, &[cut]).expect("agree");
                    agree(&bytes, &[cut.min(later), cut.max(later) + 3]).expect("agree");
                }
            }
        }

        #[test]
        fn a_plain_export_needs_no_second_reading() {
            let mut bytes = Vec::new();
            let mut generator =
                Generator::new(7, &["Sam", "Jo"], jiff::civil::date(2020, 1, 20).at(9, 0, 0, 0));
            write_whatsapp(&mut bytes, &mut generator, 3000).expect("in memory");
            let len = bytes.len() as u64;
            let again = agree(&bytes, &[len / 3, len / 3 * 2]).expect("agree");
            assert!(!again);
        }

        #[test]
        fn a_message_cut_for_its_length_is_named_alike_in_parts() {
            // Messages before and after one of 600 KiB of lines: cuts
            // before, inside and after it.
            let mut bytes = Vec::new();
            let mut generator =
                Generator::new(9, &["Sam", "Jo"], jiff::civil::date(2020, 1, 20).at(9, 0, 0, 0));
            write_whatsapp(&mut bytes, &mut generator, 300).expect("in memory");
            bytes.extend_from_slice(b"1/3/20, 10:00 - Sam: long\n");
            let long_from = bytes.len() as u64;
            while bytes.len() as u64 - long_from < 600 << 10 {
                bytes.extend_from_slice("a line of the long message \u{e9}\n".as_bytes());
            }
            let long_to = bytes.len() as u64;
            bytes.extend_from_slice(b"1/3/20, 10:05 - Jo: short\n");
            for cuts in [
                vec![long_from / 2],
                vec![long_from + 100],
                vec![long_from / 2, (long_from + long_to) / 2],
                vec![(long_from + long_to) / 2, long_to + 3],
            ] {
                agree(&bytes, &cuts).expect("agree");
            }
            let file = tempfile::NamedTempFile::new().expect("temp file");
            std::fs::write(file.path(), &bytes).expect("write");
            let input = Input::file(file.path()).expect("opens");
            let survey = survey_parts(&input, file.path(), &Options::default(), &[long_from + 100], 2)
                .expect("surveys");
            let cut: Vec<String> = survey
                .diagnostics
                .iter()
                .map(ToString::to_string)
                .filter(|d| d.contains("was cut"))
                .collect();
            let line = bytes[..long_from as usize]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            assert_eq!(
                cut,
                [format!(
                    "line {line}: a message of 601 KiB was cut to its first 256 KiB"
                )]
            );
        }

        #[test]
        fn errors_in_a_later_part_name_their_line() {
            let mut bytes = Vec::new();
            let mut generator =
                Generator::new(7, &["Sam", "Jo"], jiff::civil::date(2020, 1, 20).at(9, 0, 0, 0));
            write_whatsapp(&mut bytes, &mut generator, 400).expect("in memory");
            let at = bytes.len() / 4 * 3;
            bytes.splice(at..at, *b"\xff");
            agree(&bytes, &[bytes.len() as u64 / 2]).expect("agree");
        }

        #[test]
        fn the_survey_of_a_large_file_is_made_in_parts_alike() {
            let file = tempfile::NamedTempFile::new().expect("temp file");
            let mut generator = Generator::new(
                3,
                &["Sam", "Jo", "Kim"],
                jiff::civil::date(2019, 5, 1).at(9, 0, 0, 0),
            );
            let mut out = std::io::BufWriter::new(file.reopen().expect("reopen"));
            write_whatsapp(&mut out, &mut generator, 70_000).expect("write");
            drop(out);
            let input = Input::file(file.path()).expect("opens");
            let options = Options::default();
            let mut whole = Survey::default();
            parse(&input, &options, &mut whole).expect("parses");
            assert!(std::fs::metadata(file.path()).expect("size").len() > 4 << 20);
            let surveyed = crate::survey(&input, crate::Format::WhatsApp, &options).expect("surveys");
            assert_eq!(surveyed, whole);
        }

        /// A line of a generated chat: a kind and a number that moves the clock.
        fn chat_lines() -> impl Strategy<Value = Vec<(u8, u16)>> {
            proptest::collection::vec((0u8..40, any::<u16>()), 0..120)
        }

        /// Writes a chat of mostly Android messages, with iOS and US ones,
        /// continuations, blank lines, lines that only look like headers,
        /// years written otherwise, a rare byte that is not UTF-8.
        fn write_chat(
            lines: &[(u8, u16)],
            preamble: bool,
            crlf: bool,
            bom: bool,
            last_newline: bool,
        ) -> Vec<u8> {
            let mut t = jiff::civil::date(2023, 1, 1).at(8, 0, 0, 0);
            let mut out: Vec<u8> = Vec::new();
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            if preamble {
                out.extend_from_slice(b"Chat export\n\n");
            }
            let d = |t: jiff::civil::DateTime| t.day();
            let m = |t: jiff::civil::DateTime| t.month();
            let y = |t: jiff::civil::DateTime| t.year() % 100;
            for &(kind, n) in lines {
                if kind < 24 {
                    let minutes = i64::from(n % 2000);
                    t = t
                        .checked_add(jiff::SignedDuration::from_mins(minutes))
                        .unwrap_or(t);
                }
                let line: Vec<u8> = match kind {
                    0..=15 => format!(
                        "{}/{}/{:02}, {:02}:{:02} - Sam: hi {n}",
                        d(t),
                        m(t),
                        y(t),
                        t.hour(),
                        t.minute()
                    )
                    .into_bytes(),
                    16..=19 => format!(
                        "[{:02}.{:02}.{:02}, {:02}:{:02}:{:02}] Jo: \u{200E}image omitted",
                        d(t),
                        m(t),
                        y(t),
                        t.hour(),
                        t.minute(),
                        t.second()
                    )
                    .into_bytes(),
                    20 | 21 => format!(
                        "{}/{}/{:02}, {}:{:02} PM - Kim: us {n}",
                        m(t),
                        d(t),
                        y(t),
                        t.hour() % 12 + 1,
                        t.minute()
                    )
                    .into_bytes(),
                    22 => format!(
                        "{}/{}/{:02}, {:02}:{:02} - Sam added Jo",
                        d(t),
                        m(t),
                        y(t),
                        t.hour(),
                        t.minute()
                    )
                    .into_bytes(),
                    23 => format!(
                        "{}.{}.{:02}, {:02}:{:02} - Ann: dots {n}",
                        1 + n % 12,
                        1 + n % 12,
                        y(t),
                        t.hour(),
                        t.minute()
                    )
                    .into_bytes(),
                    24..=29 => format!("more words {n}").into_bytes(),
                    30 | 31 => Vec::new(),
                    32 => format!(
                        "{}/{}/{}, 09:00 - Old: quoted",
                        1 + n % 28,
                        1 + n % 12,
                        2000 + n % 30
                    )
                    .into_bytes(),
                    33 => b"31/02/23, 10:00 - Who: no such day".to_vec(),
                    34 => format!("13/{}/23, 10:00 - Odd: day first", 1 + n % 12).into_bytes(),
                    35 if n % 16 == 0 => b"caf\xe9".to_vec(),
                    _ => format!("{n} and a colon: here").into_bytes(),
                };
                out.extend_from_slice(&line);
                out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
            if !last_newline {
                while out.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                    out.pop();
                }
            }
            out
        }

        proptest! {
            #[test]
            fn generated_chats_survey_alike_in_parts(
                lines in chat_lines(),
                preamble: bool,
                crlf: bool,
                bom: bool,
                last_newline: bool,
                cuts in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
            ) {
                let bytes = write_chat(&lines, preamble, crlf, bom, last_newline);
                let mut cuts: Vec<u64> = cuts.iter().map(|i| i.index(bytes.len() + 1) as u64).collect();
                cuts.sort_unstable();
                agree(&bytes, &cuts)?;
            }

            #[test]
            fn synthetic_exports_survey_alike_without_reading_twice(
                seed: u64,
                count in 1usize..400,
                start_day in 0i64..3000,
                cuts in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
            ) {
                let start = jiff::civil::date(2015, 1, 1)
                    .checked_add(jiff::Span::new().days(start_day))
                    .expect("in range")
                    .at(8, 0, 0, 0);
                let mut bytes = Vec::new();
                write_whatsapp(&mut bytes, &mut Generator::new(seed, &["Sam Lee", "Jo", "Kim"], start), count)
                    .expect("in memory");
                let mut cuts: Vec<u64> = cuts.iter().map(|i| i.index(bytes.len() + 1) as u64).collect();
                cuts.sort_unstable();
                let again = agree(&bytes, &cuts)?;
                prop_assert!(!again, "read again with cuts {:?}", cuts);
            }

            #[test]
            fn repeated_fixtures_survey_alike_in_parts(
                picks in proptest::collection::vec(0usize..19, 1..6),
                cuts in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
            ) {
                let all = fixtures();
                let bytes: Vec<u8> = picks.iter().flat_map(|&i| all[i % all.len()].clone()).collect();
                let mut cuts: Vec<u64> = cuts.iter().map(|i| i.index(bytes.len() + 1) as u64).collect();
                cuts.sort_unstable();
                agree(&bytes, &cuts)?;
            }
        }
    }
}
