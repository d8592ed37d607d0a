//! Reading times and days as people write them: ISO forms
//! (`2026-11-20`, `2026-11-20 18:30`, RFC 3339) and natural ones
//! (`yesterday 19:00`, `2 days ago`, `in 3 days`, `friday 8pm`).
//!
//! What is typed is checked before it is read: a date written with dashes
//! needs a four-digit year and a day that is on the calendar, and a time of
//! day needs an hour and minute that exist (the natural-language reader
//! would roll `25:00` over into the next day). What is read must fall
//! between 1990 and the end of next year.

use anyhow::Result;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::error::bad;

const EXAMPLES: &str = "expected e.g. 2026-11-20, 2026-11-20 18:30, yesterday 19:00, 2 days ago or in 3 days";

/// How far ahead of now an event that already happened may be dated
/// (clock skew, "in a minute").
const FUTURE_SLACK_SECONDS: i64 = 10 * 60;

/// The first day anything typed may fall on.
const FIRST_DAY: Date = jiff::civil::date(1990, 1, 1);

/// ISO forms only: an instant with an offset, or a local date-time or day
/// (a day alone means its noon).
pub(crate) fn absolute(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(zoned) = text.parse::<Zoned>() {
        return Some(zoned.timestamp());
    }
    local(text)?.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

/// A local date-time as ISO writes it (a day alone means its noon).
fn local(text: &str) -> Option<DateTime> {
    let text = text.trim();
    match text.replacen(' ', "T", 1).parse::<DateTime>() {
        // A day alone parses as a date-time at midnight; it means its noon.
        Ok(_) if text.len() == 10 => Some(text.parse::<Date>().ok()?.at(12, 0, 0, 0)),
        Ok(datetime) => Some(datetime),
        Err(_) => None,
    }
}

/// Refuses a local time the clocks skipped in `tz` (the hour they go
/// forward), which would otherwise be moved without a word.
fn exists(text: &str, tz: &TimeZone) -> Result<()> {
    let Some(local) = local(text) else {
        return Ok(());
    };
    if let jiff::tz::AmbiguousOffset::Gap { before, after } = tz.to_ambiguous_zoned(local).offset() {
        let minutes = (after.seconds() - before.seconds()) / 60;
        let jump = if minutes == 60 {
            "an hour".to_owned()
        } else {
            format!("{minutes} minutes")
        };
        return Err(bad(format!(
            "'{}' did not happen in {}: the clocks went forward {jump} then; expected a time before or after the change",
            text.trim(),
            tz.iana_name().unwrap_or("this time zone")
        )));
    }
    Ok(())
}

/// Rewrites the natural forms the parser does not know into ones it does.
fn normalise(text: &str) -> String {
    let mut t = text.trim().to_lowercase();
    for (from, to) in [
        (" at ", " "),
        ("an hour", "1 hour"),
        ("a day", "1 day"),
        ("a week", "1 week"),
    ] {
        t = t.replace(from, to);
    }
    if let Some(rest) = t.strip_prefix("in ") {
        t = rest.to_owned();
    }
    if let Some(rest) = t.strip_prefix("a ") {
        t = format!("1 {rest}");
    }
    // "next monday" is the coming Monday, as "monday" is (the parser would
    // skip a week).
    if let Some(rest) = t.strip_prefix("next ")
        && WEEKDAYS.iter().any(|d| rest.starts_with(d))
    {
        t = rest.to_owned();
    }
    t
}

const WEEKDAYS: [&str; 14] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

fn natural(text: &str, now: Timestamp, tz: &TimeZone) -> Option<Zoned> {
    interim::parse_date_string(&normalise(text), now.to_zoned(tz.clone()), interim::Dialect::Uk).ok()
}

/// A moment, for `--at` and the like.
pub(crate) fn moment(text: &str, now: Timestamp, tz: &TimeZone) -> Result<Timestamp> {
    written(text)?;
    exists(text, tz)?;
    let at = absolute(text, tz)
        .or_else(|| natural(text, now, tz).map(|z| z.timestamp()))
        .ok_or_else(|| bad(format!("'{text}' is not a date or time I can read; {EXAMPLES}")))?;
    within_range(text, at.to_zoned(tz.clone()).date(), now, tz)?;
    Ok(at)
}

/// A moment that has already happened.
pub(crate) fn past(text: &str, now: Timestamp, tz: &TimeZone) -> Result<Timestamp> {
    let at = moment(text, now, tz)?;
    if at.as_second() > now.as_second() + FUTURE_SLACK_SECONDS {
        return Err(bad(format!(
            "'{text}' is in the future ({}); expected a time that has already happened",
            at.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M")
        )));
    }
    Ok(at)
}

/// A calendar day, for due dates, pauses and the like.
pub(crate) fn day(text: &str, now: Timestamp, tz: &TimeZone) -> Result<Date> {
    written(text)?;
    let date = text
        .trim()
        .parse::<Date>()
        .ok()
        .or_else(|| absolute(text, tz).map(|t| t.to_zoned(tz.clone()).date()))
        .or_else(|| natural(text, now, tz).map(|z| z.date()))
        .ok_or_else(|| {
            bad(format!(
                "'{text}' is not a day I can read; expected e.g. 2026-12-01, tomorrow, friday or in 3 days"
            ))
        })?;
    within_range(text, date, now, tz)?;
    Ok(date)
}

/// A day that has not passed yet: today or later.
pub(crate) fn coming_day(flag: &str, text: &str, now: Timestamp, tz: &TimeZone) -> Result<Date> {
    let date = day(text, now, tz)?;
    let today = now.to_zoned(tz.clone()).date();
    if date < today {
        return Err(bad(format!(
            "{flag} '{text}' ({date}) has already passed; expected today ({today}) or a later day"
        )));
    }
    Ok(date)
}

/// Refuses a day outside the years the journal keeps: from 1990 to the
/// end of next year.
pub(crate) fn within_range(text: &str, date: Date, now: Timestamp, tz: &TimeZone) -> Result<()> {
    let last = last_day(now, tz);
    if date < FIRST_DAY || date > last {
        let read = if text.trim() == date.to_string() {
            String::new()
        } else {
            format!(" falls on {date}, which")
        };
        return Err(bad(format!(
            "'{text}'{read} is outside the dates mutual accepts; expected a day from {FIRST_DAY} to {last}"
        )));
    }
    Ok(())
}

/// The last day anything typed may fall on: the end of next year.
fn last_day(now: Timestamp, tz: &TimeZone) -> Date {
    let year = now.to_zoned(tz.clone()).year();
    jiff::civil::Date::new(year.saturating_add(1), 12, 31).unwrap_or(Date::MAX)
}

/// A piece of typed text: a run of digits, a run of letters, or one mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Number(&'a str),
    Word(&'a str),
    Mark(char),
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let run = |pred: fn(char) -> bool| rest.find(|c: char| !pred(c)).unwrap_or(rest.len());
        let len = if c.is_ascii_digit() {
            let n = run(|c| c.is_ascii_digit());
            out.push(Token::Number(&rest[..n]));
            n
        } else if c.is_alphabetic() {
            let n = run(char::is_alphabetic);
            out.push(Token::Word(&rest[..n]));
            n
        } else {
            if !c.is_whitespace() {
                out.push(Token::Mark(c));
            }
            c.len_utf8()
        };
        rest = &rest[len..];
    }
    out
}

/// Checks what was typed before it is read: dates written with dashes
/// (`2026-11-20`) and times of day (`18:30`, `7.30pm`, `8pm`), so that
/// neither reader guesses at a short year or rolls an hour over.
fn written(text: &str) -> Result<()> {
    use Token::{Mark, Number, Word};
    let t = tokens(text);
    let number = |s: &str| s.parse::<u32>().unwrap_or(u32::MAX);
    let am_pm = |i: usize| matches!(t.get(i), Some(Word(w)) if w.eq_ignore_ascii_case("am") || w.eq_ignore_ascii_case("pm"));
    for i in 0..t.len() {
        let before = i.checked_sub(1).map(|j| t[j]);
        // A day and month with slashes that could be read both ways
        // (10/12: 10 December or 12 October).
        if let [Number(a), Mark('/'), Number(b), ..] = t[i..]
            && !matches!(before, Some(Mark('/')))
        {
            let (x, y) = (number(a), number(b));
            if (1..=12).contains(&x) && (1..=12).contains(&y) && x != y {
                let month = |m: u32| {
                    i8::try_from(m)
                        .ok()
                        .and_then(|m| Date::new(2000, m, 1).ok())
                        .map_or(String::new(), |d| d.strftime("%B").to_string())
                };
                return Err(bad(format!(
                    "'{text}' could be {x} {} or {y} {}; expected the day written so it reads one way, e.g. 2026-{y:02}-{x:02}",
                    month(y),
                    month(x),
                )));
            }
        }
        // A date with dashes, year first.
        if let [Number(y), Mark('-'), Number(m), Mark('-'), Number(d), ..] = t[i..] {
            if before != Some(Mark('-')) {
                calendar_day(text, y, number(m), number(d))?;
            }
        }
        // A time of day: hours, minutes, maybe seconds (not an offset such
        // as +02:00, not fractions of a second).
        let starts_time = !matches!(before, Some(Mark(':' | '.' | '+' | '-')));
        if let [Number(h), Mark(sep @ (':' | '.')), Number(m), ..] = t[i..] {
            if !starts_time {
                continue;
            }
            let (hour, minute) = (number(h), number(m));
            let seconds = match t.get(i + 3..i + 5) {
                Some([Mark(':'), Number(s)]) if sep == ':' => Some(number(s)),
                _ => None,
            };
            let twelve = am_pm(i + 3) || (seconds.is_some() && am_pm(i + 5));
            clock(text, hour, twelve)?;
            if minute > 59 {
                return Err(bad(format!(
                    "'{text}' has no minute {m}; expected minutes from 00 to 59, e.g. 18:30"
                )));
            }
            if seconds.is_some_and(|s| s > 59) {
                return Err(bad(format!(
                    "'{text}' has a time with more than 59 seconds; expected e.g. 18:30:15"
                )));
            }
        } else if starts_time && matches!(t[i], Number(_)) && am_pm(i + 1) {
            if let Number(h) = t[i] {
                clock(text, number(h), true)?;
            }
        }
    }
    Ok(())
}

/// Refuses a date with a short year or a day that is not on the calendar.
fn calendar_day(text: &str, year: &str, month: u32, day: u32) -> Result<()> {
    if year.len() != 4 {
        return Err(bad(format!(
            "'{text}' has a {}-digit year; expected the year written with four digits, e.g. 2026-11-20",
            year.len()
        )));
    }
    let year: i16 = year.parse().unwrap_or(i16::MAX);
    if !(1..=12).contains(&month) {
        return Err(bad(format!(
            "'{text}' has no month {month}; expected e.g. 2026-11-20, with months from 01 to 12"
        )));
    }
    let first = Date::new(year, month as i8, 1)
        .map_err(|_| bad(format!("'{text}' is not a date I can read; {EXAMPLES}")))?;
    if day == 0 || day > u32::from(first.days_in_month().unsigned_abs()) {
        return Err(bad(format!(
            "'{text}' is not a day on the calendar: {} has {} days; expected e.g. {}",
            first.strftime("%B %Y"),
            first.days_in_month(),
            first.last_of_month()
        )));
    }
    Ok(())
}

/// Refuses an hour that no clock shows: 24 and later, or past 12 with am/pm.
fn clock(text: &str, hour: u32, twelve: bool) -> Result<()> {
    if twelve && !(1..=12).contains(&hour) {
        return Err(bad(format!(
            "'{text}' has no hour {hour} with am or pm; expected an hour from 1 to 12, e.g. 7pm or 7:30pm"
        )));
    }
    if hour > 23 {
        return Err(bad(format!(
            "'{text}' has no hour {hour}; expected hours from 00 to 23, e.g. 18:30"
        )));
    }
    Ok(())
}
#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn at(text: &str) -> String {
        moment(text, now(), &TimeZone::UTC).unwrap().to_string()
    }

    #[test]
    fn iso_and_natural_moments() {
        assert_eq!(at("2026-11-20"), "2026-11-20T12:00:00Z");
        assert_eq!(at("2026-11-20 18:30"), "2026-11-20T18:30:00Z");
        assert_eq!(at("2026-11-20T18:30"), "2026-11-20T18:30:00Z");
        assert_eq!(at("2026-11-20T18:30:00+02:00"), "2026-11-20T16:30:00Z");
        assert_eq!(at("yesterday 19:00"), "2026-11-26T19:00:00Z");
        assert_eq!(at("Yesterday at 7pm"), "2026-11-26T19:00:00Z");
        assert_eq!(at("2 days ago"), "2026-11-25T10:00:00Z");
        assert_eq!(at("an hour ago"), "2026-11-27T09:00:00Z");
        assert_eq!(at("in 3 days"), "2026-11-30T10:00:00Z");
    }

    #[test]
    fn local_times_use_the_zone() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let t = moment("2026-11-20 18:30", now(), &berlin).unwrap();
        assert_eq!(t.to_string(), "2026-11-20T17:30:00Z");
    }

    #[test]
    fn impossible_and_future_times_are_refused() {
        for text in ["2026-02-30", "2026-13-01", "soonish", ""] {
            let err = moment(text, now(), &TimeZone::UTC).unwrap_err();
            assert!(err.to_string().contains("expected e.g."), "{text}: {err}");
        }
        let err = past("tomorrow", now(), &TimeZone::UTC).unwrap_err();
        assert!(err.to_string().contains("in the future"), "{err}");
        assert!(past("now", now(), &TimeZone::UTC).is_ok());
    }

    #[test]
    fn a_time_the_clocks_skipped_is_refused_and_a_repeated_one_read() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let err = moment("2026-03-29 02:30", now(), &berlin).unwrap_err();
        assert!(err.to_string().contains("clocks went forward"), "{err}");
        assert!(err.to_string().contains("Europe/Berlin"), "{err}");
        for text in ["2026-03-29 01:59", "2026-03-29 03:00", "2026-10-25 02:30"] {
            assert!(moment(text, now(), &berlin).is_ok(), "{text}");
        }
    }

    #[test]
    fn days() {
        let d = |t| day(t, now(), &TimeZone::UTC).unwrap().to_string();
        assert_eq!(d("2026-12-01"), "2026-12-01");
        assert_eq!(d("tomorrow"), "2026-11-28");
        assert_eq!(d("in 3 days"), "2026-11-30");
        assert!(day("2026-02-30", now(), &TimeZone::UTC).is_err());
        // "next monday" is the coming Monday, as "monday" is, on a Monday too.
        let monday: Timestamp = "2026-06-15T12:00:00Z".parse().unwrap();
        let on = |t| day(t, monday, &TimeZone::UTC).unwrap().to_string();
        assert_eq!(on("monday"), "2026-06-22");
        assert_eq!(on("next monday"), "2026-06-22");
        assert_eq!(on("Next Friday"), on("friday"));
        assert_eq!(d("25/12"), "2026-12-25");
    }

    #[test]
    fn a_day_that_reads_two_ways_is_refused_with_both() {
        let err = day("10/12", now(), &TimeZone::UTC).unwrap_err().to_string();
        assert_eq!(
            err,
            "'10/12' could be 10 December or 12 October; expected the day written so it reads one way, e.g. 2026-12-10"
        );
        assert!(day("3/4/2026", now(), &TimeZone::UTC).is_err());
        assert!(day("5/5", now(), &TimeZone::UTC).is_ok());
    }
}
