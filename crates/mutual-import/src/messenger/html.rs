//! Facebook's legacy `messages.htm` (about 2010–2017): every thread of the
//! account in one page, newest message first, each message's text in the
//! `<p>` after its header.
//!
//! ```text
//! <div class="thread">Sam Lee, Alex
//!   <div class="message"><div class="message_header"><span class="user">Sam Lee</span>
//!   <span class="meta">Friday, October 4, 2013 at 10:05pm PDT</span></div></div><p>hi</p>
//! ```
//!
//! The page's `<h1>` names its owner. Times are written for people, with a
//! zone abbreviation; known ones map to fixed offsets.

use std::io::{BufRead, Read};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

use crate::bounded::{self, Bounded};
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Position, Sink};

const EXPECTED: &str = "Facebook's legacy messages.htm, with <div class=\"thread\"> sections";

/// The longest tag kept. Text between tags is read a buffer at a time.
const MAX_RUN: u64 = 16 * 1024 * 1024;

/// A page with message threads (a `.htm` name with message headers will do).
pub(super) fn sniff(input: &Input, head: &[u8]) -> bool {
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    let name = input.file_name().to_ascii_lowercase();
    has(b"<div class=\"thread\"")
        || (name.ends_with(".htm") || name.ends_with(".html")) && has(b"class=\"message_header\"")
}

pub(super) fn parse(input: &Input, options: &Options, sink: &mut dyn Sink) -> Result<(), Error> {
    let mut reader = input.open()?;
    let mut page = Page {
        sink,
        zone: Zone::new(options.tz.clone()),
        owner: Bounded::default(),
        chat: Bounded::default(),
        user: Bounded::default(),
        meta: Bounded::default(),
        body: Bounded::default(),
        field: Field::None,
        header_at: None,
        with_image: false,
        threads: 0,
        reported_zones: Vec::new(),
    };
    let mut offset = 0u64;
    let mut run = Vec::new();
    loop {
        let (n, at_tag) = read_text(&mut reader, &mut page, &mut run)?;
        offset += n;
        if !at_tag {
            break;
        }
        let tag_at = offset - 1;
        run.clear();
        let n = read_tag(&mut reader, &mut run)?;
        offset += n as u64;
        if run.last() != Some(&b'>') {
            if n as u64 >= MAX_RUN {
                return Err(too_long(offset));
            }
            break;
        }
        page.tag(&Tag::read(run.strip_suffix(b">").unwrap_or(&run)), tag_at)?;
    }
    page.flush_header()?;
    if page.threads == 0 {
        return Err(Error::unreadable(
            Position::Whole,
            "the page has no message threads",
            EXPECTED,
        ));
    }
    Ok(())
}

fn too_long(offset: u64) -> Error {
    Error::unreadable(
        Position::Offset(offset),
        format!("a tag is longer than {} MiB", MAX_RUN >> 20),
        EXPECTED,
    )
}

/// Reads the text up to the next `<` (taken too) a buffer at a time into
/// the page, holding nothing but a character or reference cut by the end
/// of a buffer (in `carry`). Returns the bytes read and whether a tag
/// starts.
fn read_text(
    reader: &mut impl BufRead,
    page: &mut Page<'_>,
    carry: &mut Vec<u8>,
) -> Result<(u64, bool), Error> {
    carry.clear();
    let mut n = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            page.text(carry);
            return Ok((n, false));
        }
        let (piece, taken, at_tag) = match memchr::memchr(b'<', buf) {
            Some(i) => (buf.get(..i).unwrap_or_default(), i + 1, true),
            None => (buf, buf.len(), false),
        };
        carry.extend_from_slice(piece);
        reader.consume(taken);
        n += taken as u64;
        if at_tag {
            page.text(carry);
            return Ok((n, true));
        }
        let whole = whole_prefix(carry);
        page.text(carry.get(..whole).unwrap_or_default());
        carry.drain(..whole);
    }
}

/// How much of `bytes` ends neither inside a UTF-8 character nor inside
/// what may be a character reference (`&#x1F6`).
fn whole_prefix(bytes: &[u8]) -> usize {
    let tail = bytes.len().saturating_sub(12);
    let mut end = match memchr::memrchr(b'&', bytes.get(tail..).unwrap_or_default()) {
        Some(i) if !bytes.get(tail + i..).unwrap_or_default().contains(&b';') => tail + i,
        _ => bytes.len(),
    };
    // Back to the first byte of a character, unless it is whole.
    let start = (end.saturating_sub(3)..end)
        .rev()
        .find(|&i| bytes.get(i).is_some_and(|b| b & 0xC0 != 0x80))
        .unwrap_or(end);
    if let Some(&lead) = bytes.get(start) {
        let len = match lead {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        if start + len > end {
            end = start;
        }
    }
    end
}

/// Reads a tag up to its `>`; a comment up to its `-->`, which may hold `>`.
fn read_tag(reader: &mut impl BufRead, tag: &mut Vec<u8>) -> Result<usize, Error> {
    let mut n = reader.take(MAX_RUN).read_until(b'>', tag)?;
    while tag.starts_with(b"!--") && !tag.ends_with(b"-->") && tag.last() == Some(&b'>') {
        let more = reader.take(MAX_RUN).read_until(b'>', tag)?;
        if more == 0 || tag.len() as u64 > MAX_RUN {
            break;
        }
        n += more;
    }
    Ok(n)
}

/// A tag's name and class.
#[derive(Debug)]
struct Tag<'a> {
    name: &'a [u8],
    closing: bool,
    class: &'a [u8],
}

impl<'a> Tag<'a> {
    fn read(raw: &'a [u8]) -> Tag<'a> {
        let (closing, raw) = match raw.strip_prefix(b"/") {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let name_len = raw
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!')
            .count();
        let name = raw.get(..name_len).unwrap_or_default();
        let class = memchr::memmem::find(raw, b"class=")
            .and_then(|i| raw.get(i + 6..))
            .and_then(|rest| {
                let quote = *rest.first()?;
                let rest = rest.get(1..)?;
                if quote != b'"' && quote != b'\'' {
                    return None;
                }
                rest.get(..memchr::memchr(quote, rest)?)
            })
            .unwrap_or_default();
        Tag { name, closing, class }
    }

    /// An opening tag `name`.
    fn opens(&self, name: &str) -> bool {
        !self.closing && self.name.eq_ignore_ascii_case(name.as_bytes())
    }

    /// A closing tag `name`.
    fn closes(&self, name: &str) -> bool {
        self.closing && self.name.eq_ignore_ascii_case(name.as_bytes())
    }

    /// An opening tag `name` of class `class` (among others).
    fn is(&self, name: &str, class: &str) -> bool {
        self.opens(name) && self.class.split(|b| *b == b' ').any(|c| c == class.as_bytes())
    }
}

/// Which text is being collected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    None,
    Owner,
    Thread,
    User,
    Meta,
    Body,
}

struct Page<'s> {
    sink: &'s mut dyn Sink,
    zone: Zone,
    owner: Bounded,
    chat: Bounded,
    user: Bounded,
    meta: Bounded,
    body: Bounded,
    field: Field,
    /// Where the header of a message not yet emitted starts.
    header_at: Option<u64>,
    /// The `<p>` holds an image.
    with_image: bool,
    threads: u64,
    /// Zone abbreviations already reported as unknown.
    reported_zones: Vec<String>,
}

impl Page<'_> {
    fn text(&mut self, raw: &[u8]) {
        let target = match self.field {
            Field::None => return,
            Field::Owner => &mut self.owner,
            Field::Thread => &mut self.chat,
            Field::User => &mut self.user,
            Field::Meta => &mut self.meta,
            Field::Body => &mut self.body,
        };
        push_decoded(target, &String::from_utf8_lossy(raw));
    }

    fn tag(&mut self, tag: &Tag<'_>, at: u64) -> Result<(), Error> {
        // A thread's name is its text up to the first tag inside it.
        if self.field == Field::Thread {
            self.field = Field::None;
        }
        if tag.is("div", "thread") {
            self.flush_header()?;
            self.threads += 1;
            self.chat.clear();
            self.field = Field::Thread;
        } else if tag.is("div", "message") {
            self.flush_header()?;
            self.header_at = Some(at);
            self.user.clear();
            self.meta.clear();
        } else if tag.is("span", "user") {
            self.user.clear();
            self.field = Field::User;
        } else if tag.is("span", "meta") {
            self.meta.clear();
            self.field = Field::Meta;
        } else if tag.opens("h1") && self.threads == 0 {
            self.owner.clear();
            self.field = Field::Owner;
        } else if tag.opens("p") && self.header_at.is_some() {
            self.body.clear();
            self.with_image = false;
            self.field = Field::Body;
        } else if self.field == Field::Body && tag.opens("br") {
            self.body.push('\n');
        } else if self.field == Field::Body && tag.opens("img") {
            self.with_image = true;
        } else if self.field == Field::Body && tag.closes("p") {
            self.field = Field::None;
            self.flush_header()?;
        } else if tag.closes("span") || tag.closes("h1") {
            self.field = Field::None;
        }
        Ok(())
    }

    /// Emits the message whose header was read (with its text, if any).
    fn flush_header(&mut self) -> Result<(), Error> {
        let Some(at) = self.header_at.take() else {
            return Ok(());
        };
        if self.field == Field::Body {
            self.field = Field::None;
        }
        let Some((local, utc)) = self.moment(at) else {
            self.sink.diagnostic(Diagnostic::new(
                Position::Offset(at),
                "a message has no readable time; skipped",
            ));
            self.body.clear();
            return Ok(());
        };
        if self.body.is_cut() {
            self.sink
                .diagnostic(bounded::cut(Position::Offset(at), self.body.len()));
        }
        let sender = self.user.as_str().trim();
        let text = self.body.as_str().trim();
        let (kind, text) = if text.is_empty() && self.with_image {
            (Kind::Media, "photo")
        } else {
            (Kind::Text, text)
        };
        self.sink.message(&Message {
            chat: self.chat.as_str().trim(),
            chat_id: None,
            sender,
            from_me: !sender.is_empty() && sender == self.owner.as_str().trim(),
            local,
            utc,
            kind,
            text,
            id: None,
            reply_to: None,
            edited: false,
        })?;
        self.body.clear();
        self.with_image = false;
        Ok(())
    }

    fn moment(&mut self, at: u64) -> Option<(DateTime, Timestamp)> {
        let (local, zone) = meta_time(self.meta.as_str())?;
        let utc = match zone {
            ZoneName::Fixed(offset) => offset.to_timestamp(local).ok()?,
            ZoneName::Absent => self.zone.to_utc(local),
            ZoneName::Unknown(name) => {
                if !self.reported_zones.iter().any(|z| z == name) {
                    self.reported_zones.push(name.to_owned());
                    self.sink.diagnostic(Diagnostic::new(
                        Position::Offset(at),
                        format!(
                            "the time zone \"{name}\" is unknown; its times are read in the given time zone"
                        ),
                    ));
                }
                self.zone.to_utc(local)
            }
        };
        Some((local, utc))
    }
}

/// The zone written after a time.
#[derive(Debug, PartialEq, Eq)]
enum ZoneName<'a> {
    Fixed(Offset),
    Unknown(&'a str),
    Absent,
}

/// Reads "Friday, October 4, 2013 at 10:05pm PDT" or "Thursday, 3 January
/// 2013 at 18:42 UTC+01".
fn meta_time(meta: &str) -> Option<(DateTime, ZoneName<'_>)> {
    let (date, time) = meta.trim().split_once(" at ")?;
    let mut words = date
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .skip_while(|w| weekday(w));
    let (first, second, year) = (words.next()?, words.next()?, words.next()?);
    let (month, day) = match month(first) {
        Some(month) => (month, second),
        None => (month(second)?, first),
    };
    let year: i16 = year.parse().ok()?;
    let day: i8 = day.parse().ok()?;

    let mut words = time.split_whitespace();
    let clock = words.next()?;
    let (clock, mut meridiem) = split_meridiem(clock);
    let mut zone = words.next();
    if meridiem.is_none() {
        if let Some(m) = zone.and_then(|z| split_meridiem(z).1.filter(|_| z.len() == 2)) {
            meridiem = Some(m);
            zone = words.next();
        }
    }
    let mut parts = clock.split(':');
    let mut hour: i8 = parts.next()?.parse().ok()?;
    let minute: i8 = parts.next()?.parse().ok()?;
    let second: i8 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    match meridiem {
        Some(Meridiem::Am) if hour == 12 => hour = 0,
        Some(Meridiem::Pm) if hour < 12 => hour += 12,
        _ => {}
    }
    let local = DateTime::new(year, month, day, hour, minute, second, 0).ok()?;
    let zone = match zone {
        None => ZoneName::Absent,
        Some(name) => zone_offset(name).map_or(ZoneName::Unknown(name), ZoneName::Fixed),
    };
    Some((local, zone))
}

#[derive(Clone, Copy, Debug)]
enum Meridiem {
    Am,
    Pm,
}

/// "10:05pm" -> ("10:05", pm); "PM" -> ("", pm); "18:42" -> ("18:42", none).
fn split_meridiem(word: &str) -> (&str, Option<Meridiem>) {
    let lower = word.to_ascii_lowercase();
    if let Some(clock) = lower.strip_suffix("am") {
        (word.get(..clock.len()).unwrap_or_default(), Some(Meridiem::Am))
    } else if let Some(clock) = lower.strip_suffix("pm") {
        (word.get(..clock.len()).unwrap_or_default(), Some(Meridiem::Pm))
    } else {
        (word, None)
    }
}

fn weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let word = word.to_ascii_lowercase();
    word.len() >= 3 && DAYS.iter().any(|d| d.starts_with(&word))
}

fn month(word: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.to_ascii_lowercase();
    let index = MONTHS
        .iter()
        .position(|m| word.len() >= 3 && m.starts_with(word.trim_end_matches('.')))?;
    i8::try_from(index + 1).ok()
}

/// Fixed offsets of the abbreviations English pages use, and `UTC+01`,
/// `GMT-7`, `UTC+05:30`. Ambiguous ones (IST, CST in China) are unknown.
fn zone_offset(name: &str) -> Option<Offset> {
    let hours = |h: i8| Offset::from_hours(h).ok();
    match name.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "WET" | "Z" => hours(0),
        "BST" | "CET" | "WEST" => hours(1),
        "CEST" | "EET" => hours(2),
        "EEST" | "MSK" => hours(3),
        "JST" | "KST" => hours(9),
        "AEST" => hours(10),
        "AEDT" => hours(11),
        "NZST" => hours(12),
        "NZDT" => hours(13),
        "HST" => hours(-10),
        "AKST" => hours(-9),
        "AKDT" | "PST" => hours(-8),
        "PDT" | "MST" => hours(-7),
        "MDT" | "CST" => hours(-6),
        "CDT" | "EST" => hours(-5),
        "EDT" => hours(-4),
        upper => {
            let rest = upper.strip_prefix("UTC").or_else(|| upper.strip_prefix("GMT"))?;
            numeric_offset(rest)
        }
    }
}

/// "+01", "-7", "+05:30", "+0530".
fn numeric_offset(text: &str) -> Option<Offset> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => (digits.get(..2)?, digits.get(2..)?),
        None => (digits, "0"),
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 18 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

/// Appends `raw` with its character references (`&amp;`, `&#039;`, `&#x1F600;`) decoded.
fn push_decoded(out: &mut Bounded, raw: &str) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        let entity = after
            .get(..after.len().min(12))
            .and_then(|window| window.find(';'))
            .and_then(|semi| Some((after.get(..semi)?, semi)));
        match entity.and_then(|(name, semi)| Some((decode_entity(name)?, semi))) {
            Some((c, semi)) => {
                out.push(c);
                rest = after.get(semi + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn meta_times_in_both_orders() {
        let (local, zone) = meta_time("Friday, October 4, 2013 at 10:05pm PDT").expect("readable");
        assert_eq!(local, date(2013, 10, 4).at(22, 5, 0, 0));
        assert_eq!(zone, ZoneName::Fixed(Offset::from_hours(-7).expect("valid")));
        let (local, zone) = meta_time("Thursday, 3 January 2013 at 18:42 UTC+01").expect("readable");
        assert_eq!(local, date(2013, 1, 3).at(18, 42, 0, 0));
        assert_eq!(zone, ZoneName::Fixed(Offset::from_hours(1).expect("valid")));
        let (local, zone) = meta_time("Sunday, May 1, 2016 at 12:15 AM IST").expect("readable");
        assert_eq!(local, date(2016, 5, 1).at(0, 15, 0, 0));
        assert_eq!(zone, ZoneName::Unknown("IST"));
        assert_eq!(
            meta_time("Tuesday, 2 June 2015 at 19:25").map(|m| m.1),
            Some(ZoneName::Absent)
        );
        assert_eq!(meta_time("yesterday"), None);
        assert_eq!(meta_time("Friday, October 40, 2013 at 10:05pm PDT"), None);
    }

    #[test]
    fn offsets_written_out() {
        assert_eq!(zone_offset("UTC+05:30"), Offset::from_seconds(19_800).ok());
        assert_eq!(zone_offset("GMT-7"), Offset::from_hours(-7).ok());
        assert_eq!(zone_offset("UTC+99"), None);
    }

    #[test]
    fn entities() {
        let mut out = Bounded::default();
        push_decoded(&mut out, "a &amp; b &#039;c&#x27; &lt;3 &bogus; & &#99999999;");
        assert_eq!(out.as_str(), "a & b 'c' <3 &bogus; & &#99999999;");
    }

    #[test]
    fn text_is_handed_on_in_whole_characters_and_references() {
        assert_eq!(whole_prefix(b"abc"), 3);
        assert_eq!(whole_prefix(b"ab &#x1F6"), 3);
        assert_eq!(whole_prefix(b"ab &amp; c"), 10);
        assert_eq!(whole_prefix("ab \u{e9}".as_bytes()), 5);
        assert_eq!(whole_prefix(&"ab \u{1F600}".as_bytes()[..5]), 3);
        assert_eq!(whole_prefix(&"ab \u{e9}".as_bytes()[..4]), 3);
        assert_eq!(whole_prefix(b"& and more than twelve bytes"), 28);
    }

    #[test]
    fn tags() {
        let tag = Tag::read(b"div class=\"message\"");
        assert!(tag.is("div", "message") && !tag.is("div", "thread"));
        let tag = Tag::read(b"/P");
        assert!(tag.closes("p"));
        let tag = Tag::read(b"span class='meta x'");
        assert!(tag.is("span", "meta"));
    }
}
