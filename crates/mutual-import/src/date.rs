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
//! tells what one date reveals, and a parser settles a [`DateOrder`] per
//! file from the first date that reveals it (see [`Orders`]), unless the
//! caller gave one; [`DateOrderUsed`] says which order was used and why.

use std::fmt;

use jiff::civil::{Date, DateTime, Time, Weekday};

/// The order in which a date writes its day, month and year: `dmy`
/// (`31/12/24`), `mdy` (`12/31/24`) or `ymd` (`2024/12/31`). A date whose
/// year has four digits says where its year is; the order then only tells
/// whether the day or the month comes first of the other two (a year
/// written first is always followed by its month). A date with a two-digit
/// year is read with its year last, or first when the order is `ymd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateOrder {
    Dmy,
    Mdy,
    Ymd,
}

impl DateOrder {
    pub const ALL: &'static [DateOrder] = &[DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd];

    /// The stable name used by `--date-order` and in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
            DateOrder::Ymd => "ymd",
        }
    }

    /// The order to assume when a file never tells: month first where the
    /// clock is English 12-hour (`9:03 PM`, as the US writes it), else day
    /// first, as most of the world writes dates.
    pub fn guess(english_clock: bool) -> DateOrder {
        if english_clock {
            DateOrder::Mdy
        } else {
            DateOrder::Dmy
        }
    }

    /// How the order reads, for diagnostics.
    pub fn describe(self) -> &'static str {
        match self {
            DateOrder::Dmy => "day/month/year",
            DateOrder::Mdy => "month/day/year",
            DateOrder::Ymd => "year/month/day",
        }
    }
}

impl fmt::Display for DateOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DateOrder {
    type Err = mutual_core::names::UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        DateOrder::ALL
            .iter()
            .copied()
            .find(|o| o.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| mutual_core::names::UnknownName {
                what: "date order",
                got: s.to_owned(),
                expected: DateOrder::ALL
                    .iter()
                    .map(|o| o.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// The order in which an input's numeric dates were read, and why: what a
/// dry run shows (see [`crate::Survey::date_orders`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateOrderUsed {
    pub order: DateOrder,
    pub reason: OrderReason,
}

/// Why dates were read in the order they were.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderReason {
    /// The caller gave it ([`crate::Options::date_order`]).
    Given,
    /// The dates write a four-digit year first, which only `ymd` reads.
    YearFirst,
    /// `date`, on `line`, fits this order only (`25/12/24` has no 25th month).
    Settled { line: u64, date: NumericDate },
    /// The weekday written beside `date`, on `line`, falls on it in this order only.
    Weekday { line: u64, date: NumericDate },
    /// No date settled it, and the dates only run forward in time in this order.
    RunsForward,
    /// Nothing settled it: assumed, month first beside an English 12-hour
    /// clock, else day first.
    Assumed,
}

impl fmt::Display for DateOrderUsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.order, self.order.describe())?;
        match self.reason {
            OrderReason::Given => f.write_str(", as given"),
            OrderReason::YearFirst => f.write_str(": the year is written first"),
            OrderReason::Settled { line, date } => write!(f, ", settled by the date {date} on line {line}"),
            OrderReason::Weekday { line, date } => {
                write!(
                    f,
                    ", settled by the weekday beside the date {date} on line {line}"
                )
            }
            OrderReason::RunsForward => {
                f.write_str(": no date settles it, and the dates only run forward in time when read so")
            }
            OrderReason::Assumed => f.write_str(": assumed, as no date settles it"),
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
    /// A year is first (4 digits), last (2 or 4 digits) or, as some exports
    /// write it, in the middle (4 digits: `06/2018/13`); the separators
    /// agree; a `.` may be followed by a space and the date closed by a `.`
    /// (Korean `2021. 1. 5.`).
    pub fn scan(b: &[u8]) -> Option<(NumericDate, usize)> {
        let (first, d0, mut at) = number(b, 0, 4)?;
        let separator = *b.get(at)?;
        if !matches!(separator, b'/' | b'.' | b'-') {
            return None;
        }
        at = after_separator(b, at, separator);
        let (second, d1, end) = number(b, at, 4)?;
        if b.get(end) != Some(&separator) {
            return None;
        }
        at = after_separator(b, end, separator);
        let (third, d2, mut end) = number(b, at, 4)?;
        let shape_ok = matches!(
            (d0, d1, d2),
            (4, 1..=2, 1..=2) | (1..=2, 4, 1..=2) | (1..=2, 1..=2, 2 | 4)
        );
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

    /// Which field is the year: the one of four digits, else the last (the
    /// first when read `ymd`).
    pub fn year_at(&self, order: DateOrder) -> usize {
        match self.digits.iter().position(|&d| d == 4) {
            Some(at) => at,
            None if order == DateOrder::Ymd => 0,
            None => 2,
        }
    }

    /// How many digits the year was written with.
    pub fn year_digits(&self) -> u8 {
        self.digits[self.year_at(DateOrder::Dmy)]
    }

    /// The two fields that are not the year at `year_at`, as written.
    fn day_and_month(&self, year_at: usize) -> (u16, u16) {
        let [a, b, c] = self.fields;
        match year_at {
            0 => (b, c),
            1 => (a, c),
            _ => (a, b),
        }
    }

    /// The order this date alone reveals: of the two fields that are not
    /// the year, a first one above 12 can only be a day, a second one only
    /// a day too. `None` when both fit either way (and for year-first
    /// dates, which need no order).
    pub fn hint(&self) -> Option<DateOrder> {
        if self.year_first() {
            return None;
        }
        let (first, second) = self.day_and_month(self.year_at(DateOrder::Dmy));
        if first > 12 {
            Some(DateOrder::Dmy)
        } else if second > 12 {
            Some(DateOrder::Mdy)
        } else {
            None
        }
    }

    /// The order in which this date falls on `weekday`, when only one does
    /// (LINE writes the weekday beside each day).
    pub fn hint_by_weekday(&self, weekday: Weekday) -> Option<DateOrder> {
        if self.year_first() {
            return None;
        }
        let on = |order| self.date(order).is_some_and(|d| d.weekday() == weekday);
        match (on(DateOrder::Dmy), on(DateOrder::Mdy)) {
            (true, false) => Some(DateOrder::Dmy),
            (false, true) => Some(DateOrder::Mdy),
            _ => None,
        }
    }

    /// The date in `order` (see [`DateOrder`]), or `None` if no such day
    /// exists (31/02, month 13…).
    pub fn date(&self, order: DateOrder) -> Option<Date> {
        let year_at = self.year_at(order);
        let (first, second) = self.day_and_month(year_at);
        let (month, day) = if order == DateOrder::Dmy && year_at != 0 {
            (second, first)
        } else {
            (first, second)
        };
        let year = full_year(self.fields[year_at], self.digits[year_at]);
        Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()
    }

    /// The date exists day first or month first.
    pub fn exists(&self) -> bool {
        self.date(DateOrder::Dmy).is_some() || self.date(DateOrder::Mdy).is_some()
    }
}

impl fmt::Display for NumericDate {
    /// The three numbers as written, without the spaces some exports put
    /// after a dot (`2021.1.5` for `2021. 1. 5.`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let separator = char::from(self.separator);
        for (i, (field, digits)) in self.fields.iter().zip(self.digits).enumerate() {
            if i > 0 {
                write!(f, "{separator}")?;
            }
            write!(f, "{field:0width$}", width = usize::from(digits))?;
        }
        Ok(())
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

/// A clock time as written: `21:03`, `9:03:07 PM`, `11:30 p. m.`, `下午3:21`,
/// `21.25.15`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockTime {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// The seconds were written.
    pub seconds: bool,
    /// What separates its numbers: `:` or `.` (Finnish, Danish and
    /// Indonesian clocks, `21.25`).
    pub separator: u8,
    pub meridiem: Option<Meridiem>,
}

impl ClockTime {
    /// Reads a time at the start of `b`: an optional East Asian meridiem,
    /// `H:MM` or `H:MM:SS` (or `H.MM`, `H.MM.SS`), an optional meridiem
    /// after it (spaces, NBSP or NARROW NBSP allowed before and inside it).
    /// A separator after the minutes that no digit follows ends the time
    /// (`13:34. - `). Returns the time and the bytes it took.
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
        let separator = *b.get(end)?;
        if separator != b':' && separator != b'.' {
            return None;
        }
        let (minute, minute_digits, mut end) = number(b, end + 1, 2)?;
        let mut second = 0;
        let mut seconds = false;
        if b.get(end) == Some(&separator) && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
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
            separator,
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

/// The day/month order of each layout of a file, as far as it is settled,
/// with why; or the order the caller gave, which every layout takes. Files
/// that mix layouts (concatenated exports) settle each one alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orders<K> {
    given: Option<DateOrder>,
    settled: Vec<(K, DateOrderUsed)>,
}

impl<K> Default for Orders<K> {
    fn default() -> Self {
        Orders::new(None)
    }
}

impl<K> Orders<K> {
    /// Orders to be learnt, or the one `given`.
    pub fn new(given: Option<DateOrder>) -> Self {
        Orders {
            given,
            settled: Vec::new(),
        }
    }

    /// The order the caller gave.
    pub fn given(&self) -> Option<DateOrder> {
        self.given
    }
}

impl<K: Copy + PartialEq> Orders<K> {
    /// The order of `layout`, if given or settled.
    pub fn get(&self, layout: K) -> Option<DateOrder> {
        self.used(layout).map(|used| used.order)
    }

    /// The order of `layout` and why, if given or settled.
    pub fn used(&self, layout: K) -> Option<DateOrderUsed> {
        if let Some(order) = self.given {
            return Some(DateOrderUsed {
                order,
                reason: OrderReason::Given,
            });
        }
        self.settled
            .iter()
            .find_map(|&(k, used)| (k == layout).then_some(used))
    }

    /// Learns from one date of `layout`, on `line`; the first date that
    /// reveals the order settles it for good.
    pub fn learn(&mut self, layout: K, date: &NumericDate, line: u64) {
        if let Some(order) = date.hint() {
            let reason = OrderReason::Settled { line, date: *date };
            self.settle(layout, DateOrderUsed { order, reason });
        }
    }

    /// Fixes the order of `layout` unless it is given or settled already.
    pub fn settle(&mut self, layout: K, used: DateOrderUsed) {
        if self.get(layout).is_none() {
            self.settled.push((layout, used));
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
            self.day_first += back(DateOrder::Dmy);
            self.month_first += back(DateOrder::Mdy);
        }
        self.previous = Some(*date);
    }

    /// The order under which the dates step back less often, if one does.
    pub fn better(&self) -> Option<DateOrder> {
        match self.day_first.cmp(&self.month_first) {
            std::cmp::Ordering::Less => Some(DateOrder::Dmy),
            std::cmp::Ordering::Greater => Some(DateOrder::Mdy),
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
        assert_eq!(d.hint(), Some(DateOrder::Dmy));
        assert_eq!(d.date(DateOrder::Dmy), Some(date(2024, 12, 31)));
        assert_eq!(d.date(DateOrder::Mdy), None);

        let d = scan_date("12.31.2024").unwrap();
        assert_eq!(d.hint(), Some(DateOrder::Mdy));
        assert_eq!(d.date(DateOrder::Mdy), Some(date(2024, 12, 31)));

        let d = scan_date("2024-12-31").unwrap();
        assert!(d.year_first());
        assert_eq!(d.hint(), None);
        assert_eq!(d.date(DateOrder::Mdy), Some(date(2024, 12, 31)));

        let d = scan_date("1/2/19").unwrap();
        assert_eq!(d.hint(), None);
        assert_eq!(d.date(DateOrder::Dmy), Some(date(2019, 2, 1)));
        assert_eq!(d.date(DateOrder::Mdy), Some(date(2019, 1, 2)));
        assert_eq!(d.year_digits(), 2);
    }

    #[test]
    fn weekdays_settle_the_order() {
        // 10 July 2019 was a Wednesday, 7 October 2019 a Monday.
        let d = scan_date("10/07/2019").unwrap();
        assert_eq!(d.hint_by_weekday(Weekday::Wednesday), Some(DateOrder::Dmy));
        assert_eq!(d.hint_by_weekday(Weekday::Monday), Some(DateOrder::Mdy));
        assert_eq!(d.hint_by_weekday(Weekday::Friday), None);
        assert_eq!(
            scan_date("1/1/2019").unwrap().hint_by_weekday(Weekday::Tuesday),
            None
        );
    }

    #[test]
    fn korean_dates_with_spaced_dots() {
        let (d, n) = NumericDate::scan("2021. 1. 5. 오후 3:21".as_bytes()).unwrap();
        assert_eq!(d.date(DateOrder::Dmy), Some(date(2021, 1, 5)));
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
            scan_date("1/1/70").unwrap().date(DateOrder::Dmy),
            Some(date(1970, 1, 1))
        );
        assert_eq!(
            scan_date("1/1/69").unwrap().date(DateOrder::Dmy),
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
        orders.learn('a', &scan_date("1/2/19").unwrap(), 1);
        assert_eq!(orders.get('a'), None);
        orders.learn('a', &scan_date("1/20/19").unwrap(), 2);
        orders.learn('a', &scan_date("20/1/19").unwrap(), 3);
        assert_eq!(orders.get('a'), Some(DateOrder::Mdy));
        assert_eq!(orders.get('b'), None);
        assert_eq!(DateOrder::guess(true), DateOrder::Mdy);
        assert_eq!(DateOrder::guess(false), DateOrder::Dmy);
    }

    #[test]
    fn orders_given_win_and_settled_ones_say_where() {
        let mut orders = Orders::default();
        let date = scan_date("25/12/24").unwrap();
        orders.learn('a', &date, 7);
        let used = orders.used('a').unwrap();
        assert_eq!(
            used,
            DateOrderUsed {
                order: DateOrder::Dmy,
                reason: OrderReason::Settled { line: 7, date }
            }
        );
        assert_eq!(
            used.to_string(),
            "dmy (day/month/year), settled by the date 25/12/24 on line 7"
        );
        let mut orders = Orders::new(Some(DateOrder::Mdy));
        orders.learn('a', &date, 7);
        assert_eq!(orders.get('a'), Some(DateOrder::Mdy));
        assert_eq!(orders.used('b').map(|u| u.reason), Some(OrderReason::Given));
        assert_eq!(orders.given(), Some(DateOrder::Mdy));
    }

    #[test]
    fn date_orders_round_trip_their_names() {
        for order in DateOrder::ALL {
            assert_eq!(order.as_str().parse::<DateOrder>(), Ok(*order));
            assert_eq!(order.to_string(), order.as_str());
        }
        assert_eq!(" DMY ".parse::<DateOrder>(), Ok(DateOrder::Dmy));
        let err = "dym".parse::<DateOrder>().unwrap_err().to_string();
        assert!(err.contains("dmy, mdy, ymd"), "{err}");
    }

    #[test]
    fn a_year_in_the_middle_and_two_digit_years_read_first() {
        // `[06/2018/13, 21:25:15]`, as whatsapp-chat-parser's tests write it.
        let d = scan_date("06/2018/13").unwrap();
        assert!(!d.year_first());
        assert_eq!(d.year_digits(), 4);
        assert_eq!(d.hint(), Some(DateOrder::Mdy));
        assert_eq!(d.date(DateOrder::Mdy), Some(date(2018, 6, 13)));
        assert_eq!(d.date(DateOrder::Ymd), Some(date(2018, 6, 13)));
        assert_eq!(d.date(DateOrder::Dmy), None);
        assert_eq!(scan_date("13/2018/06").unwrap().hint(), Some(DateOrder::Dmy));
        // A two-digit year is last, unless the order puts it first.
        let d = scan_date("18/06/13").unwrap();
        assert_eq!(d.date(DateOrder::Dmy), Some(date(2013, 6, 18)));
        assert_eq!(d.date(DateOrder::Ymd), Some(date(2018, 6, 13)));
        // A four-digit year first is always followed by its month.
        let d = scan_date("2018/06/13").unwrap();
        for order in DateOrder::ALL {
            assert_eq!(d.date(*order), Some(date(2018, 6, 13)), "{order}");
        }
        assert_eq!(scan_date("06/201/13"), None);
        assert_eq!(scan_date("2018/2018/1"), None);
        assert_eq!(scan_date("1/2018/2018"), None);
    }

    #[test]
    fn dates_print_as_written() {
        for (written, shown) in [
            ("06/2018/13", "06/2018/13"),
            ("1/2/19", "1/2/19"),
            ("2021. 1. 5.", "2021.1.5"),
            ("31.12.2024", "31.12.2024"),
            ("2024-01-05", "2024-01-05"),
        ] {
            assert_eq!(scan_date(written).unwrap().to_string(), shown);
        }
    }

    #[test]
    fn dotted_times() {
        let cases = [
            // mtln/chat-export#28 (Indonesian), whatsapp-chat-parser's tests.
            ("18.00 - Sam", (18, 0, 0), 5),
            ("21.25.15: a", (21, 25, 15), 8),
            ("01.55 PM - a", (13, 55, 0), 8),
            // A dot after the minutes that no digit follows ends the time.
            ("13.34. - J", (13, 34, 0), 5),
            ("9:30: x", (9, 30, 0), 4),
        ];
        for (s, (h, m, sec), len) in cases {
            let (t, n) = time(s).unwrap_or_else(|| panic!("{s:?}"));
            assert_eq!((t.hour(), t.minute(), t.second()), (h, m, sec), "{s:?}");
            assert_eq!(n, len, "{s:?}");
        }
        let (t, _) = ClockTime::scan(b"21.25.15").unwrap();
        assert_eq!((t.separator, t.seconds), (b'.', true));
        // The separators of one time agree.
        assert_eq!(time("21.25:15").map(|(_, n)| n), Some(5));
        assert_eq!(time("21:25.15").map(|(_, n)| n), Some(5));
        for s in ["21.2", "21.", "21,25", "9.30.1"] {
            assert_eq!(ClockTime::scan(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn reasons_read_as_sentences() {
        let date = scan_date("10/07/2019").unwrap();
        let cases = [
            (
                DateOrder::Mdy,
                OrderReason::Given,
                "mdy (month/day/year), as given",
            ),
            (
                DateOrder::Ymd,
                OrderReason::YearFirst,
                "ymd (year/month/day): the year is written first",
            ),
            (
                DateOrder::Dmy,
                OrderReason::Weekday { line: 3, date },
                "dmy (day/month/year), settled by the weekday beside the date 10/07/2019 on line 3",
            ),
            (
                DateOrder::Mdy,
                OrderReason::RunsForward,
                "mdy (month/day/year): no date settles it, and the dates only run forward in time when read so",
            ),
            (
                DateOrder::Dmy,
                OrderReason::Assumed,
                "dmy (day/month/year): assumed, as no date settles it",
            ),
        ];
        for (order, reason, text) in cases {
            assert_eq!(DateOrderUsed { order, reason }.to_string(), text);
        }
    }

    #[test]
    fn backsteps_prefer_the_order_that_runs_forward() {
        let mut steps = Backsteps::default();
        for d in ["06/03/2017", "08/05/2017", "09/04/2017"] {
            steps.add(&scan_date(d).unwrap());
        }
        assert_eq!(steps.better(), Some(DateOrder::Mdy));
        let mut steps = Backsteps::default();
        for d in ["09/10/22", "10/10/22", "11/10/22"] {
            steps.add(&scan_date(d).unwrap());
        }
        assert_eq!(steps.better(), None);
    }
}
