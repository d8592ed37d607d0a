//! Reading times and days as people write them: ISO forms
//! (`2026-11-20`, `2026-11-20 18:30`, RFC 3339) and natural ones
//! (`yesterday 19:00`, `2 days ago`, `in 3 days`, `friday 8pm`).

use anyhow::Result;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::error::bad;

const EXAMPLES: &str = "expected e.g. 2026-11-20, 2026-11-20 18:30, yesterday 19:00, 2 days ago or in 3 days";

/// How far ahead of now an event that already happened may be dated
/// (clock skew, "in a minute").
const FUTURE_SLACK_SECONDS: i64 = 10 * 60;

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
    let local = match text.replacen(' ', "T", 1).parse::<DateTime>() {
        // A day alone parses as a date-time at midnight; it means its noon.
        Ok(_) if text.len() == 10 => text.parse::<Date>().ok()?.at(12, 0, 0, 0),
        Ok(datetime) => datetime,
        Err(_) => return None,
    };
    local.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
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
    t
}

fn natural(text: &str, now: Timestamp, tz: &TimeZone) -> Option<Zoned> {
    interim::parse_date_string(&normalise(text), now.to_zoned(tz.clone()), interim::Dialect::Uk).ok()
}

/// A moment, for `--at` and the like.
pub(crate) fn moment(text: &str, now: Timestamp, tz: &TimeZone) -> Result<Timestamp> {
    absolute(text, tz)
        .or_else(|| natural(text, now, tz).map(|z| z.timestamp()))
        .ok_or_else(|| bad(format!("'{text}' is not a date or time I can read; {EXAMPLES}")))
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
    if let Ok(date) = text.trim().parse::<Date>() {
        return Ok(date);
    }
    absolute(text, tz)
        .map(|t| t.to_zoned(tz.clone()).date())
        .or_else(|| natural(text, now, tz).map(|z| z.date()))
        .ok_or_else(|| {
            bad(format!(
                "'{text}' is not a day I can read; expected e.g. 2026-12-01, tomorrow, friday or in 3 days"
            ))
        })
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
    fn days() {
        let d = |t| day(t, now(), &TimeZone::UTC).unwrap().to_string();
        assert_eq!(d("2026-12-01"), "2026-12-01");
        assert_eq!(d("tomorrow"), "2026-11-28");
        assert_eq!(d("in 3 days"), "2026-11-30");
        assert!(day("2026-02-30", now(), &TimeZone::UTC).is_err());
    }
}
