//! Numeric dates and clock times as text exports write them, read from
//! bytes without regexes or allocation:
//!
//! ```text
//! 31/12/24, 21:03 - Sam: hi             (WhatsApp Android, day first)
//! [12.31.24, 9:03:07 PM] Sam: hi        (WhatsApp iOS, month first)
//! 2024/12/31（二）                        (a LINE day line, year first)
//! ```
//!
//! A date alone rarely says whether the day or the month comes first, so
//! [`NumericDate`] keeps the three numbers as written, [`NumericDate::hint`]
//! tells what one date reveals, and a parser settles a [`DayMonth`] order
//! per file from the first date that reveals it (see [`Orders`]).

use jiff::civil::{Date, DateTime, Time, Weekday};

/// Whether the day or the month comes first in a date whose year is last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayMonth {
    DayFirst,
    MonthFirst,
}

impl DayMonth {
    /// The order to assume when a file never tells: month first where the
    /// clock is English 12-hour (`9:03 PM`, as the US writes it), else day
    /// first, as most of the world writes dates.
    pub fn guess(english_clock: bool) -> DayMonth {
        if english_clock {
            DayMonth::MonthFirst
        } else {
            DayMonth::DayFirst
        }
    }

    /// How the order reads, for diagnostics.
    pub fn describe(self) -> &'static str {
        match self {
            DayMonth::DayFirst => "day/month/year",
            DayMonth::MonthFirst => "month/day/year",
        }
    }
}

/// A date written as three numbers (`31/12/24`, `12.31.2024`, `2024-12-31`,
/// `2021. 1. 5.`), not yet given a meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumericDate {
    pub fields: [u16; 3],
    /// How many digits each field was written with.
    pub digits: [u8; 3],
    /// `/`, `.` or `-`.
    pub separator: u8,
}

impl NumericDate {
    /// Reads a date at the start of `b`; returns it and the bytes it took.
    /// A year is first (4 digits) or last (2 or 4 digits); the separators
    /// agree; a `.` may be followed by a space and the date closed by a `.`
    /// (Korean `2021. 1. 5.`).
    pub fn scan(b: &[u8]) -> Option<(NumericDate, usize)> {
        let (first, d0, mut at) = number(b, 0, 4)?;
        let separator = *b.get(at)?;
        if !matches!(separator, b'/' | b'.' | b'-') {
            return None;
        }
        at = after_separator(b, at, separator);
        let (second, d1, end) = number(b, at, 2)?;
        if b.get(end) != Some(&separator) {
            return None;
        }
        at = after_separator(b, end, separator);
        let (third, d2, mut end) = number(b, at, 4)?;
        let year_first = d0 == 4;
        let shape_ok = if year_first {
            d2 <= 2
        } else {
            d0 <= 2 && (d2 == 2 || d2 == 4)
        };
        if !shape_ok {
            return None;
        }
        if separator == b'.' && b.get(end) == Some(&b'.') && b.get(end + 1) == Some(&b' ') {
            end += 1;
        }
        let date = NumericDate {
            fields: [first, second, third],
            digits: [d0, d1, d2],
            separator,
        };
        Some((date, end))
    }

    /// The year is the first field (`2024/12/31`).
    pub fn year_first(&self) -> bool {
        self.digits[0] == 4
    }

    /// How many digits the year was written with.
    pub fn year_digits(&self) -> u8 {
        if self.year_first() {
            self.digits[0]
        } else {
            self.digits[2]
        }
    }

    /// The order this date alone reveals: a first field above 12 can only be
    /// a day, a second one only a day too. `None` when both fit either way
    /// (and for year-first dates, which need no order).
    pub fn hint(&self) -> Option<DayMonth> {
        if self.year_first() {
            None
        } else if self.fields[0] > 12 {
            Some(DayMonth::DayFirst)
        } else if self.fields[1] > 12 {
            Some(DayMonth::MonthFirst)
        } else {
            None
        }
    }

    /// The order in which this date falls on `weekday`, when only one does
    /// (LINE writes the weekday beside each day).
    pub fn hint_by_weekday(&self, weekday: Weekday) -> Option<DayMonth> {
        if self.year_first() {
            return None;
        }
        let on = |order| self.date(order).is_some_and(|d| d.weekday() == weekday);
        match (on(DayMonth::DayFirst), on(DayMonth::MonthFirst)) {
            (true, false) => Some(DayMonth::DayFirst),
            (false, true) => Some(DayMonth::MonthFirst),
            _ => None,
        }
    }

    /// The date in `order` (ignored when the year is first), or `None` if
    /// no such day exists (31/02, month 13…).
    pub fn date(&self, order: DayMonth) -> Option<Date> {
        let [a, b, c] = self.fields;
        let (year, month, day) = if self.year_first() {
            (a, b, c)
        } else {
            match order {
                DayMonth::DayFirst => (full_year(c, self.digits[2]), b, a),
                DayMonth::MonthFirst => (full_year(c, self.digits[2]), a, b),
            }
        };
        Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()
    }

    /// The date exists in at least one order.
    pub fn exists(&self) -> bool {
        self.date(DayMonth::DayFirst).is_some() || self.date(DayMonth::MonthFirst).is_some()
    }
}

/// A two-digit year: 70–99 are the 1900s, the rest this century.
fn full_year(year: u16, digits: u8) -> u16 {
    match (digits, year) {
        (4, y) => y,
        (_, y) if y >= 70 => 1900 + y,
        (_, y) => 2000 + y,
    }
}

/// A run of 1..=`max` ASCII digits at `b[at..]` not followed by another
/// digit: (value, digits, end).
fn number(b: &[u8], at: usize, max: usize) -> Option<(u16, u8, usize)> {
    let mut value: u16 = 0;
    let mut end = at;
    while let Some(&c) = b.get(end) {
        if !c.is_ascii_digit() {
            break;
        }
        if end - at == max {
            return None;
        }
        value = value * 10 + u16::from(c - b'0');
        end += 1;
    }
    let digits = end - at;
    (digits > 0).then_some((value, digits as u8, end))
}

fn after_separator(b: &[u8], at: usize, separator: u8) -> usize {
    if separator == b'.' && b.get(at + 1) == Some(&b' ') {
        at + 2
    } else {
        at + 1
    }
}

/// Morning or afternoon, as a 12-hour clock says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meridiem {
    pub pm: bool,
    /// Written `AM`/`PM`/`am`/`pm`, as English locales do (Spanish and
    /// others write `a. m.`, East Asian locales `午後`, `下午`, `오후`).
    pub english: bool,
    /// Written before the time (`下午3:21`, `오후 3:21`).
    pub before: bool,
}

/// A clock time as written: `21:03`, `9:03:07 PM`, `11:30 p. m.`, `下午3:21`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockTime {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// The seconds were written.
    pub seconds: bool,
    pub meridiem: Option<Meridiem>,
}

impl ClockTime {
    /// Reads a time at the start of `b`: an optional East Asian meridiem,
    /// `H:MM` or `H:MM:SS`, an optional meridiem after it (spaces, NBSP or
    /// NARROW NBSP allowed before and inside it). Returns the time and the
    /// bytes it took.
    pub fn scan(b: &[u8]) -> Option<(ClockTime, usize)> {
        let leading = if b.first().is_some_and(u8::is_ascii_digit) {
            None
        } else {
            scan_meridiem(b)
        };
        let (before, mut at) = match leading {
            Some((m, n)) if !m.english => (Some(Meridiem { before: true, ..m }), n),
            _ => (None, 0),
        };
        if before.is_some() {
            at += space(b.get(at..)?);
        }
        let (hour, _, end) = number(b, at, 2)?;
        if b.get(end) != Some(&b':') {
            return None;
        }
        let (minute, minute_digits, mut end) = number(b, end + 1, 2)?;
        let mut second = 0;
        let mut seconds = false;
        if b.get(end) == Some(&b':') {
            let (s, second_digits, e) = number(b, end + 1, 2)?;
            if second_digits != 2 {
                return None;
            }
            (second, seconds, end) = (s, true, e);
        }
        if minute_digits != 2 {
            return None;
        }
        let mut meridiem = before;
        if meridiem.is_none() {
            let gap = spaces(b.get(end..)?);
            if let Some((m, n)) = b.get(end + gap..).and_then(scan_meridiem) {
                meridiem = Some(m);
                end += gap + n;
            }
        }
        let time = ClockTime {
            hour: u8::try_from(hour).ok()?,
            minute: u8::try_from(minute).ok()?,
            second: u8::try_from(second).ok()?,
            seconds,
            meridiem,
        };
        Some((time, end))
    }

    /// The time of day, or `None` if there is no such time. A 24-hour hour
    /// with a meridiem (`13:37 p.m.`, `00:08 a. m.`) reads as written.
    pub fn time(&self) -> Option<Time> {
        let hour = match self.meridiem {
            Some(m) if (1..=12).contains(&self.hour) => match (m.pm, self.hour) {
                (false, 12) => 0,
                (true, 12) => 12,
                (false, h) => h,
                (true, h) => h + 12,
            },
            _ => self.hour,
        };
        Time::new(
            i8::try_from(hour).ok()?,
            i8::try_from(self.minute).ok()?,
            i8::try_from(self.second).ok()?,
            0,
        )
        .ok()
    }
}

/// A date and a time joined, or `None` if the time does not exist.
pub fn datetime(date: Date, time: &ClockTime) -> Option<DateTime> {
    Some(date.to_datetime(time.time()?))
}

/// Non-Latin meridiem words: (spelling, pm).
const EAST_ASIAN_MERIDIEMS: [(&str, bool); 6] = [
    ("午前", false),
    ("午後", true),
    ("上午", false),
    ("下午", true),
    ("오전", false),
    ("오후", true),
];

/// Reads a meridiem at the start of `b`: `AM`, `pm`, `a.m.`, `p. m.`,
/// `p.\u{a0}m.` and the East Asian words. A Latin one must end a word, so
/// the `Am` of `Amy` is no meridiem.
pub fn scan_meridiem(b: &[u8]) -> Option<(Meridiem, usize)> {
    let (&first, _) = b.split_first()?;
    let pm = match first {
        b'a' | b'A' => false,
        b'p' | b'P' => true,
        // The first byte of a three-byte UTF-8 character.
        0xE0..=0xEF => {
            return EAST_ASIAN_MERIDIEMS.iter().find_map(|&(word, pm)| {
                b.starts_with(word.as_bytes()).then_some((
                    Meridiem {
                        pm,
                        english: false,
                        before: false,
                    },
                    word.len(),
                ))
            });
        }
        _ => return None,
    };
    let mut at = 1;
    let dotted = b.get(at) == Some(&b'.');
    if dotted {
        at += 1;
        at += spaces(b.get(at..)?);
    }
    if !matches!(b.get(at), Some(b'm' | b'M')) {
        return None;
    }
    at += 1;
    if b.get(at) == Some(&b'.') {
        at += 1;
    } else if b.get(at).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let meridiem = Meridiem {
        pm,
        english: !dotted && at == 2,
        before: false,
    };
    Some((meridiem, at))
}

/// The length of one space at the start of `b`: a plain space, a NO-BREAK
/// SPACE or a NARROW NO-BREAK SPACE (which newer exports put before `PM`).
pub fn space(b: &[u8]) -> usize {
    if b.starts_with(b" ") {
        1
    } else if b.starts_with("\u{a0}".as_bytes()) {
        2
    } else if b.starts_with("\u{202f}".as_bytes()) {
        3
    } else {
        0
    }
}

/// The length of up to two spaces (see [`space`]) at the start of `b`.
fn spaces(b: &[u8]) -> usize {
    let first = space(b);
    first + b.get(first..).map_or(0, space)
}

/// The day/month order of each layout of a file, as far as it is settled.
/// Files that mix layouts (concatenated exports) settle each one alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orders<K> {
    settled: Vec<(K, DayMonth)>,
}

impl<K> Default for Orders<K> {
    fn default() -> Self {
        Orders { settled: Vec::new() }
    }
}

impl<K: Copy + PartialEq> Orders<K> {
    /// The order of `layout`, if settled.
    pub fn get(&self, layout: K) -> Option<DayMonth> {
        self.settled
            .iter()
            .find_map(|&(k, order)| (k == layout).then_some(order))
    }

    /// Learns from one date of `layout`; the first date that reveals the
    /// order settles it for good.
    pub fn learn(&mut self, layout: K, date: &NumericDate) {
        if let Some(order) = date.hint() {
            self.settle(layout, order);
        }
    }

    /// Fixes the order of `layout` unless it is settled already.
    pub fn settle(&mut self, layout: K, order: DayMonth) {
        if self.get(layout).is_none() {
            self.settled.push((layout, order));
        }
    }
}

/// How often the dates of a layout would run back in time if read day
/// first and if read month first. Exports run forward, so when no date
/// settles the order, the one with fewer steps back is the better guess.
#[derive(Clone, Copy, Debug, Default)]
pub struct Backsteps {
    previous: Option<NumericDate>,
    day_first: u32,
    month_first: u32,
}

impl Backsteps {
    /// Counts one more date.
    pub fn add(&mut self, date: &NumericDate) {
        if let Some(previous) = self.previous {
            let back = |order| match (previous.date(order), date.date(order)) {
                (Some(a), Some(b)) => u32::from(b < a),
                _ => 0,
            };
            self.day_first += back(DayMonth::DayFirst);
            self.month_first += back(DayMonth::MonthFirst);
        }
        self.previous = Some(*date);
    }

    /// The order under which the dates step back less often, if one does.
    pub fn better(&self) -> Option<DayMonth> {
        match self.day_first.cmp(&self.month_first) {
            std::cmp::Ordering::Less => Some(DayMonth::DayFirst),
            std::cmp::Ordering::Greater => Some(DayMonth::MonthFirst),
            std::cmp::Ordering::Equal => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn scan_date(s: &str) -> Option<NumericDate> {
        NumericDate::scan(s.as_bytes()).map(|(d, _)| d)
    }

    fn time(s: &str) -> Option<(Time, usize)> {
        let (t, n) = ClockTime::scan(s.as_bytes())?;
        Some((t.time()?, n))
    }

    #[test]
    fn dates_in_every_order_and_separator() {
        let d = scan_date("31/12/24, 21:03").unwrap();
        assert_eq!(d.hint(), Some(DayMonth::DayFirst));
        assert_eq!(d.date(DayMonth::DayFirst), Some(date(2024, 12, 31)));
        assert_eq!(d.date(DayMonth::MonthFirst), None);

        let d = scan_date("12.31.2024").unwrap();
        assert_eq!(d.hint(), Some(DayMonth::MonthFirst));
        assert_eq!(d.date(DayMonth::MonthFirst), Some(date(2024, 12, 31)));

        let d = scan_date("2024-12-31").unwrap();
        assert!(d.year_first());
        assert_eq!(d.hint(), None);
        assert_eq!(d.date(DayMonth::MonthFirst), Some(date(2024, 12, 31)));

        let d = scan_date("1/2/19").unwrap();
        assert_eq!(d.hint(), None);
        assert_eq!(d.date(DayMonth::DayFirst), Some(date(2019, 2, 1)));
        assert_eq!(d.date(DayMonth::MonthFirst), Some(date(2019, 1, 2)));
        assert_eq!(d.year_digits(), 2);
    }

    #[test]
    fn weekdays_settle_the_order() {
        // 10 July 2019 was a Wednesday, 7 October 2019 a Monday.
        let d = scan_date("10/07/2019").unwrap();
        assert_eq!(d.hint_by_weekday(Weekday::Wednesday), Some(DayMonth::DayFirst));
        assert_eq!(d.hint_by_weekday(Weekday::Monday), Some(DayMonth::MonthFirst));
        assert_eq!(d.hint_by_weekday(Weekday::Friday), None);
        assert_eq!(
            scan_date("1/1/2019").unwrap().hint_by_weekday(Weekday::Tuesday),
            None
        );
    }

    #[test]
    fn korean_dates_with_spaced_dots() {
        let (d, n) = NumericDate::scan("2021. 1. 5. 오후 3:21".as_bytes()).unwrap();
        assert_eq!(d.date(DayMonth::DayFirst), Some(date(2021, 1, 5)));
        assert_eq!(n, "2021. 1. 5.".len());
    }

    #[test]
    fn what_is_no_date() {
        for s in [
            "",
            "12",
            "12/12",
            "12/12/",
            "12/12-2019",
            "123/1/2019",
            "1/123/19",
            "1/2/123",
            "1/2/12345",
            "2019/1/123",
            "a1/2/19",
            "2019/12/1999",
        ] {
            assert_eq!(scan_date(s), None, "{s:?}");
        }
        let d = scan_date("31/02/2019").unwrap();
        assert!(!d.exists());
        assert!(!scan_date("13/13/2019").unwrap().exists());
        assert!(scan_date("29/02/2024").unwrap().exists());
    }

    #[test]
    fn two_digit_years_pivot_at_70() {
        assert_eq!(
            scan_date("1/1/70").unwrap().date(DayMonth::DayFirst),
            Some(date(1970, 1, 1))
        );
        assert_eq!(
            scan_date("1/1/69").unwrap().date(DayMonth::DayFirst),
            Some(date(2069, 1, 1))
        );
    }

    #[test]
    fn times_and_meridiem_spellings() {
        let cases = [
            ("21:03 - Sam", (21, 3, 0), 5),
            ("9:03:07 PM] Sam", (21, 3, 7), 10),
            ("9:03:07\u{202f}PM]", (21, 3, 7), 12),
            ("11:30 p.m. - ", (23, 30, 0), 10),
            ("11:30 a. m. - ", (11, 30, 0), 11),
            ("10:37 p.\u{a0}m. - ", (22, 37, 0), 12),
            ("12:10 p. m.", (12, 10, 0), 11),
            ("12:10 AM", (0, 10, 0), 8),
            ("00:08 a. m.", (0, 8, 0), 11),
            ("13:37:00 p.m.]", (13, 37, 0), 13),
            ("4:50:32 pm –", (16, 50, 32), 10),
            ("9:30PM\t", (21, 30, 0), 6),
            ("下午3:21 - ", (15, 21, 0), 10),
            ("오후 3:21, ", (15, 21, 0), 11),
            ("午前9:05", (9, 5, 0), 10),
            ("10:30 Amy: hi", (10, 30, 0), 5),
        ];
        for (s, (h, m, sec), len) in cases {
            let (t, n) = time(s).unwrap_or_else(|| panic!("{s:?}"));
            assert_eq!((t.hour(), t.minute(), t.second()), (h, m, sec), "{s:?}");
            assert_eq!(n, len, "{s:?}");
        }
    }

    #[test]
    fn what_is_no_time() {
        for s in [
            "", "9", "9:", "9:3", "9:300", "123:00", "9:30:1", ":30", "pm 9:30",
        ] {
            assert_eq!(ClockTime::scan(s.as_bytes()), None, "{s:?}");
        }
        assert_eq!(time("24:00"), None);
        assert_eq!(time("12:60"), None);
        assert_eq!(time("10:00:61"), None);
    }

    #[test]
    fn english_meridiems_are_told_apart() {
        let english = |s: &str| scan_meridiem(s.as_bytes()).unwrap().0.english;
        assert!(english("PM"));
        assert!(english("am]"));
        assert!(!english("p.m."));
        assert!(!english("a. m."));
        assert!(!english("오후"));
        assert_eq!(scan_meridiem(b"Amy"), None);
        assert_eq!(scan_meridiem(b"x"), None);
    }

    #[test]
    fn orders_settle_once_per_layout() {
        let mut orders = Orders::default();
        orders.learn('a', &scan_date("1/2/19").unwrap());
        assert_eq!(orders.get('a'), None);
        orders.learn('a', &scan_date("1/20/19").unwrap());
        orders.learn('a', &scan_date("20/1/19").unwrap());
        assert_eq!(orders.get('a'), Some(DayMonth::MonthFirst));
        assert_eq!(orders.get('b'), None);
        assert_eq!(DayMonth::guess(true), DayMonth::MonthFirst);
        assert_eq!(DayMonth::guess(false), DayMonth::DayFirst);
    }

    #[test]
    fn backsteps_prefer_the_order_that_runs_forward() {
        let mut steps = Backsteps::default();
        for d in ["06/03/2017", "08/05/2017", "09/04/2017"] {
            steps.add(&scan_date(d).unwrap());
        }
        assert_eq!(steps.better(), Some(DayMonth::MonthFirst));
        let mut steps = Backsteps::default();
        for d in ["09/10/22", "10/10/22", "11/10/22"] {
            steps.add(&scan_date(d).unwrap());
        }
        assert_eq!(steps.better(), None);
    }
}
