//! The grammar of a message header, read from bytes:
//!
//! ```text
//! marks? '['? DATE ','? SPACE (WORD SPACE)? TIME TAIL
//! DATE  three numbers, `/` `.` or `-` between them (a `.` may take a space),
//!       the year first (4 digits), last (2 or 4) or in the middle (4)
//! WORD  what a locale writes between date and time: `klo`, `à`, `om`, `um`
//! TIME  H:MM[:SS] or H.MM[.SS], a meridiem before (`오후 `) or after (`PM`)
//! TAIL  `] ` after a '[', else '.'? and ` - `, ` – `, `: ` (with seconds),
//!       `, ` (after a meridiem written first) or ` ` (with seconds)
//! ```
//!
//! and the shortcut for headers that repeat the day of the one before.

use jiff::civil::{Date, DateTime, Time};

use crate::date::{self, ClockTime, NumericDate};

/// What comes between the time and the sender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tail {
    /// `[31/12/24, 21:03:07] ` (iOS)
    Bracket,
    /// `31/12/24, 21:03 - ` (Android), `2022/12/14, 13:34. - `
    Dash,
    /// `12/31/19, 8:30:52 AM – `
    EnDash,
    /// `31/12/2012 21:03:07: ` (exports from about 2012), `13.06.18 21.25.15: `
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
    /// Between the numbers of the date.
    pub(super) separator: u8,
    /// Where a four-digit year is: 0 first, 1 in the middle, 2 last (or a
    /// two-digit year, which is read where the order says).
    pub(super) year_at: u8,
    pub(super) comma: bool,
    /// The word between date and time, by its bytes (0: none).
    pub(super) word: u32,
    /// Between the numbers of the time: `:` or `.`.
    pub(super) clock: u8,
    pub(super) seconds: bool,
    /// 0: 24-hour clock; 1: `AM`/`PM` in English; 2: other meridiem spellings.
    pub(super) meridiem: u8,
    /// A `.` right after the time (`13:34. - `).
    pub(super) dot: bool,
    pub(super) tail: Tail,
}

impl Layout {
    /// Its dates write a four-digit year first: they need no day/month order.
    pub(super) fn year_first(&self) -> bool {
        self.year_at == 0
    }
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
    // A word before the time is looked for only where no time follows the
    // date at once: lines that start with a date are few.
    time_part(line, &day).or_else(|| time_part(line, &day.with_word(line)?))
}

/// The part of a header before its time: `[31/12/24, `.
#[derive(Clone, Copy, Debug)]
struct DayPart {
    bracket: bool,
    date: NumericDate,
    comma: bool,
    word: u32,
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
        word: 0,
        end: at + gap,
    })
}

impl DayPart {
    /// The day part with the word that follows it and a space: one run of
    /// letters (`klo`, `à`, `às`, `om`, `um`), at most 16 bytes. WhatsApp's
    /// English layouts write none, so `at` there is prose (`12/12/19 at
    /// 10:00 - x`).
    fn with_word(&self, line: &[u8]) -> Option<DayPart> {
        let rest = line.get(self.end..)?;
        let mut len = rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphabetic() || (b >= 0x80 && !is_space_or_mark(b)))
            .count();
        // A non-ASCII run may end inside a space or a mark: whole characters only.
        while len > 0 && std::str::from_utf8(rest.get(..len)?).is_err() {
            len -= 1;
        }
        if len == 0 {
            return None;
        }
        let word = rest.get(..len)?;
        let gap = date::space(rest.get(len..)?);
        if len > 16 || gap == 0 || word.eq_ignore_ascii_case(b"at") {
            return None;
        }
        // FNV-1a: the layout tells words apart without keeping them.
        let word = word.iter().fold(0x811c_9dc5_u32, |h, &b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        }) | 1;
        Some(DayPart {
            word,
            end: self.end + len + gap,
            ..*self
        })
    }
}

/// A byte that starts a space or a direction mark that is not ASCII
/// (U+00A0 is `C2 A0`; U+2000..U+206F start `E2 80`/`E2 81`).
fn is_space_or_mark(b: u8) -> bool {
    b == 0xC2 || b == 0xE2
}

/// Reads the time and what follows it, after `day`.
fn time_part(line: &[u8], day: &DayPart) -> Option<Header> {
    let mut at = day.end;
    let (time, n) = ClockTime::scan(line.get(at..)?)?;
    at += n;
    let time_end = at;
    let (tail, dot, n) = tail(line.get(at..)?, day.bracket, &time)?;
    let layout = Layout {
        bracket: day.bracket,
        separator: day.date.separator,
        year_at: match day.date.year_at(date::DateOrder::Dmy) {
            0 => 0,
            1 => 1,
            _ => 2,
        },
        comma: day.comma,
        word: day.word,
        clock: time.separator,
        seconds: time.seconds,
        meridiem: match time.meridiem {
            None => 0,
            Some(m) if m.english => 1,
            Some(_) => 2,
        },
        dot,
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

/// Reads what follows the time; returns it, whether a `.` came first, and
/// its length.
fn tail(b: &[u8], bracket: bool, time: &ClockTime) -> Option<(Tail, bool, usize)> {
    if bracket {
        let rest = b.strip_prefix(b"]")?;
        return Some((Tail::Bracket, false, 1 + date::space(rest)));
    }
    let dot = b.first() == Some(&b'.');
    // Slice patterns, not a table of strings: this runs for every message.
    let (tail, n) = match b.get(usize::from(dot)..)? {
        [b' ', b'-', b' ', ..] => (Tail::Dash, 3),
        [b' ', 0xE2, 0x80, 0x93, b' ', ..] => (Tail::EnDash, 5),
        // Every export seen that puts a colon after the time writes seconds.
        [b':', b' ', ..] if time.seconds => (Tail::Colon, 2),
        [b',', b' ', ..] if !dot && time.meridiem.is_some_and(|m| m.before) => (Tail::Comma, 2),
        // A bare space is too common after a time in message text to trust
        // without the seconds that iOS always writes.
        [b' ', ..] if !dot && time.seconds => (Tail::Space, 1),
        _ => return None,
    };
    Some((tail, dot, usize::from(dot) + n))
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
            word: h.layout.word,
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
    /// `HH:MM:SS` (or with this layout's dots) followed by this layout's
    /// own tail bytes. Anything else goes the general way.
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
        let clock = Some(&self.layout.clock);
        if b.get(colon) != clock {
            return None;
        }
        let minute = digit(colon + 1)? * 10 + digit(colon + 2)?;
        let mut end = colon + 3;
        let mut second = 0;
        if self.layout.seconds {
            if b.get(end) != clock {
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
fn starts_alike<const N: usize>(line: &[u8], bytes: &[u8; N], len: usize) -> bool {
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
    use crate::date::DateOrder;

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

    /// Layouts of issue 9, each with where it was seen. Pustur's are the
    /// "formats" cases of whatsapp-chat-parser's tests/parser.test.ts.
    #[test]
    fn headers_with_dotted_times_words_colons_and_odd_field_orders() {
        let cases = [
            // Pustur format 2: a dotted 12-hour time.
            ("03-06-2018, 01.55 PM - a: m", "a: m", (13, 55, 0)),
            // Pustur format 3: dotted time, a colon after it.
            ("13.06.18 21.25.15: a: m", "a: m", (21, 25, 15)),
            // Pustur format 5: Finnish `klo` between date and time.
            ("13.6.2018 klo 21.25.15 - a: m", "a: m", (21, 25, 15)),
            // Pustur format 6: spaced dots and a dot closing the date.
            ("13. 6. 2018. 21:25:15 a: m", "a: m", (21, 25, 15)),
            // Pustur format 10: the year in the middle.
            ("[06/2018/13, 21:25:15] a: m", "a: m", (21, 25, 15)),
            // JBGruber/rwhatsapp#8: French `à`.
            ("26/09/2019 à 22:39 - Sam: Salut", "Sam: Salut", (22, 39, 0)),
            // mtln/chat-export#28: Indonesian, a dotted time, no comma.
            ("30/08/25 18.00 - Sam: halo", "Sam: halo", (18, 0, 0)),
            // nmoya/whatsapp-parser#4: old exports, a colon after the seconds.
            ("24/3/14, 13:59:59: Sam: hi", "Sam: hi", (13, 59, 59)),
            ("3/24/14, 1:59:59 PM: Sam: hi", "Sam: hi", (13, 59, 59)),
            // Issue 9 names these words of the same slot; no export of them was found.
            ("13/06/2018 às 21:25 - Sam: oi", "Sam: oi", (21, 25, 0)),
            ("13-06-2018 om 21:25 - Sam: hoi", "Sam: hoi", (21, 25, 0)),
            ("13.06.18 um 21:25 - Sam: hallo", "Sam: hallo", (21, 25, 0)),
            // A word before a dotted time and a dot before the dash.
            ("13.06.18 klo 21.25. - Sam: moi", "Sam: moi", (21, 25, 0)),
        ];
        for (line, rest, (h, m, s)) in cases {
            let header = header(line.as_bytes()).unwrap_or_else(|| panic!("{line:?}"));
            assert_eq!(line.get(header.rest..), Some(rest), "{line:?}");
            let time = header.time.time().unwrap();
            assert_eq!((time.hour(), time.minute(), time.second()), (h, m, s), "{line:?}");
        }
        // Words are told apart, and a layout with a word is not one without.
        let layout = |line: &str| header(line.as_bytes()).map(|h| h.layout);
        assert_eq!(
            layout("13/06/2018 à 21:25 - a: m"),
            layout("01/01/2019 à 09:00 - b: n")
        );
        assert_ne!(
            layout("13/06/2018 à 21:25 - a: m"),
            layout("13/06/2018 om 21:25 - a: m")
        );
        assert_ne!(
            layout("13/06/2018 à 21:25 - a: m"),
            layout("13/06/2018 21:25 - a: m")
        );
        assert_ne!(layout("13.06.18 21.25 - a: m"), layout("13.06.18 21:25 - a: m"));
        assert_eq!(layout("[06/2018/13, 21:25:15] a: m").map(|l| l.year_at), Some(1));
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
            // A word with no time after it, two words, a word too long to be one.
            "31/12/24 klo - x",
            "31/12/24 klo klo 21:03 - x",
            "31/12/24 seventeenletterword 21:03 - x",
            // A colon after a time without seconds, a dotted time with no tail.
            "31/12/24, 21:03: Sam: hi",
            "31.12.24, 21.03 Sam: hi",
            // A year of three digits anywhere.
            "06/201/13, 21:25 - x",
            "[2018/2018/13, 21:25:15] x",
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
            ("30/08/25 18.00 - Sam: a", "30/08/25 18.05 - Jo: b"),
            ("30/08/25 18.00 - Sam: a", "30/08/25 18:05 - Jo: b"),
            ("13.6.2018 klo 21.25.15 - a: m", "13.6.2018 klo 21.26.00 - b: n"),
            ("13.6.2018 klo 21.25.15 - a: m", "13.6.2018 klo 21:26:00 - b: n"),
            ("26/09/2019 à 22:39 - Sam: a", "26/09/2019 à 22:40 - Jo: b"),
            ("13.06.18 21.25.15: a: m", "13.06.18 21.25.16: b: n"),
        ];
        for (a, b) in pairs {
            let first = header(a.as_bytes()).unwrap();
            let day = first.date.date(DateOrder::Dmy).unwrap();
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
