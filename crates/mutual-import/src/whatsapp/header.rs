//! The grammar of a message header: `[31/12/24, 21:03:07] ` or
//! `31/12/24, 21:03 - `, read from bytes, and the shortcut for headers that
//! repeat the day of the one before.

use jiff::civil::{Date, DateTime, Time};

use crate::date::{self, ClockTime, NumericDate};

/// What comes between the time and the sender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tail {
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
pub(super) struct Layout {
    pub(super) bracket: bool,
    pub(super) separator: u8,
    pub(super) year_first: bool,
    pub(super) comma: bool,
    pub(super) seconds: bool,
    /// 0: 24-hour clock; 1: `AM`/`PM` in English; 2: other meridiem spellings.
    pub(super) meridiem: u8,
    pub(super) tail: Tail,
}

/// A message header: `[31/12/24, 21:03:07] ` and where the rest starts.
#[derive(Clone, Copy, Debug)]
pub(super) struct Header {
    pub(super) date: NumericDate,
    pub(super) time: ClockTime,
    pub(super) layout: Layout,
    /// Where the time starts.
    day_end: usize,
    /// Where the time ends.
    time_end: usize,
    /// Byte offset of the sender (or of a system line's text).
    pub(super) rest: usize,
}

/// Reads a header at the start of `line`, or `None` if it has none.
pub(super) fn header(line: &[u8]) -> Option<Header> {
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
pub(super) fn skip_marks(b: &[u8], mut at: usize) -> usize {
    while let Some([0xE2, 0x80, c]) = b.get(at..at + 3) {
        if !matches!(c, 0x8E | 0x8F | 0xAA..=0xAE) {
            break;
        }
        at += 3;
    }
    at
}

/// The day part of the last header. Consecutive messages mostly share
/// their day, so a line that repeats its bytes only has its time read.
#[derive(Clone, Copy, Debug)]
pub(super) struct SameDay {
    bytes: [u8; 24],
    part: DayPart,
    layout: Layout,
    day: Date,
    /// What the header wrote between its time and the sender (` - `, `] `).
    tail: [u8; 8],
    tail_len: usize,
}

impl SameDay {
    pub(super) fn new(line: &[u8], h: &Header, day: Date) -> Option<SameDay> {
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
    pub(super) fn header(&self, line: &[u8]) -> Option<(DateTime, usize)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::DayMonth;

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
}
