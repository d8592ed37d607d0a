//! Dates that matter: a friend's birthday, key dates (a move, an
//! anniversary, a surgery), and [`upcoming`], every dated thing in a span of
//! days (follow-ups, revisit dates, the end of a pause, check-ins due,
//! birthdays and key dates), which the agenda's "Coming up" and the
//! calendar both read.

use jiff::civil::Date;

use crate::cadence::{CadenceState, CadenceStatus};
use crate::id::{FriendId, KeyDateId};
use crate::names::named_enum;
use crate::record::FriendRecord;

/// A day of the year without a year, such as a birthday: `MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    month: i8,
    day: i8,
}

/// Why a month-day could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a day of the year; expected MM-DD, such as 03-21")]
pub struct MonthDayError(String);

impl MonthDay {
    pub fn new(month: i8, day: i8) -> Result<MonthDay, MonthDayError> {
        // 2024 is a leap year, so 02-29 is a day of the year.
        jiff::civil::Date::new(2024, month, day)
            .map(|_| MonthDay { month, day })
            .map_err(|_| MonthDayError(format!("{month:02}-{day:02}")))
    }

    pub fn month(self) -> i8 {
        self.month
    }

    pub fn day(self) -> i8 {
        self.day
    }

    /// This day in `year`; 29 February is the 28th in other years.
    pub fn in_year(self, year: i16) -> Option<Date> {
        Date::new(year, self.month, self.day)
            .or_else(|_| Date::new(year, self.month, self.day - 1))
            .ok()
    }

    /// The first time this day comes on or after `from`.
    pub fn next_on_or_after(self, from: Date) -> Option<Date> {
        let this_year = self.in_year(from.year())?;
        if this_year >= from {
            Some(this_year)
        } else {
            self.in_year(from.year().checked_add(1)?)
        }
    }
}

impl std::str::FromStr for MonthDay {
    type Err = MonthDayError;

    fn from_str(text: &str) -> Result<MonthDay, MonthDayError> {
        let bad = || MonthDayError(text.trim().to_owned());
        let (month, day) = text.trim().split_once('-').ok_or_else(bad)?;
        let number = |s: &str| {
            (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i8>().ok())
                .flatten()
        };
        match (number(month), number(day)) {
            (Some(m), Some(d)) => MonthDay::new(m, d).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for MonthDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl serde::Serialize for MonthDay {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A day that matters to a friend: once, or every year.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KeyDate {
    pub id: KeyDateId,
    pub friend: FriendId,
    pub text: String,
    /// The day (for a yearly date, its first year).
    pub day: Date,
    pub yearly: bool,
}

impl KeyDate {
    /// The first time it comes on or after `from`, if it still does.
    pub fn next_on_or_after(&self, from: Date) -> Option<Date> {
        if self.yearly {
            let anniversary = MonthDay {
                month: self.day.month(),
                day: self.day.day(),
            };
            anniversary.next_on_or_after(from.max(self.day))
        } else {
            (self.day >= from).then_some(self.day)
        }
    }
}

named_enum! {
    /// What a dated thing is.
    pub enum DateKind as "date kind" {
        CheckIn = "check-in",
        FollowUp = "follow-up",
        Revisit = "revisit",
        PauseEnds = "pause-ends",
        Birthday = "birthday",
        KeyDate = "key-date",
    }
}

/// One dated thing about a friend.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Upcoming {
    pub day: Date,
    pub kind: DateKind,
    pub friend: FriendId,
    #[serde(rename = "friend_name")]
    pub name: String,
    /// What it is about: the follow-up's or key date's text, the parked
    /// topic, the pause's reason; empty for a birthday or a check-in.
    pub text: String,
    /// The id of the follow-up, parked topic or key date it comes from.
    pub id: Option<i64>,
    /// It comes back every year (birthdays, yearly key dates).
    pub yearly: bool,
}

/// Every dated thing about one friend from `from` to `to` (both included),
/// by day: open follow-ups, revisit dates of parked topics, the end of a
/// pause (its last day), the day the next check-in is due (unless paused or snoozed), and
/// the birthday and key dates (each yearly one once, at its next day).
pub fn upcoming(record: &FriendRecord, status: &CadenceStatus, from: Date, to: Date) -> Vec<Upcoming> {
    let friend = &record.friend;
    let item = |day: Date, kind: DateKind, text: &str, id: Option<i64>, yearly: bool| Upcoming {
        day,
        kind,
        friend: friend.id,
        name: friend.name.clone(),
        text: text.to_owned(),
        id,
        yearly,
    };
    let within = |day: Date| day >= from && day <= to;
    let mut out = Vec::new();
    for f in record
        .follow_ups
        .iter()
        .filter(|f| f.done_at.is_none() && within(f.due))
    {
        out.push(item(f.due, DateKind::FollowUp, &f.text, Some(f.id.0), false));
    }
    for p in record
        .parked
        .iter()
        .filter(|p| p.revisited_on.is_none() && within(p.revisit_on))
    {
        out.push(item(
            p.revisit_on,
            DateKind::Revisit,
            &p.topic,
            Some(p.id.0),
            false,
        ));
    }
    if let Some(pause) = friend.pause_on(from)
        && let Some(until) = pause.until
        && within(until)
    {
        out.push(item(
            until,
            DateKind::PauseEnds,
            pause.reason.as_deref().unwrap_or(""),
            None,
            false,
        ));
    }
    if !matches!(status.state, CadenceState::Paused | CadenceState::Snoozed) {
        let due = status.due_on.max(from);
        if within(due) {
            out.push(item(due, DateKind::CheckIn, "", None, false));
        }
    }
    if let Some(birthday) = friend.birthday
        && let Some(day) = birthday.next_on_or_after(from).filter(|&d| within(d))
    {
        out.push(item(day, DateKind::Birthday, "", None, true));
    }
    for k in &record.key_dates {
        if let Some(day) = k.next_on_or_after(from).filter(|&d| within(d)) {
            out.push(item(day, DateKind::KeyDate, &k.text, Some(k.id.0), k.yearly));
        }
    }
    out.sort_by_key(|u| (u.day, u.kind));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn month_days_read_and_come_round_each_year() {
        let md: MonthDay = "03-21".parse().unwrap();
        assert_eq!(md.to_string(), "03-21");
        assert_eq!(md.next_on_or_after(date(2026, 3, 21)), Some(date(2026, 3, 21)));
        assert_eq!(md.next_on_or_after(date(2026, 3, 22)), Some(date(2027, 3, 21)));
        let leap: MonthDay = "2-29".parse().unwrap();
        assert_eq!(leap.next_on_or_after(date(2026, 1, 1)), Some(date(2026, 2, 28)));
        assert_eq!(leap.next_on_or_after(date(2027, 3, 1)), Some(date(2028, 2, 29)));
        for bad in ["13-01", "02-30", "0321", "", "3/21", "-1-02", "03-021"] {
            assert!(bad.parse::<MonthDay>().is_err(), "{bad}");
        }
    }

    #[test]
    fn key_dates_come_once_or_every_year() {
        let mut k = KeyDate {
            id: KeyDateId(1),
            friend: FriendId(1),
            text: "moving day".into(),
            day: date(2026, 12, 12),
            yearly: false,
        };
        assert_eq!(k.next_on_or_after(date(2026, 12, 1)), Some(date(2026, 12, 12)));
        assert_eq!(k.next_on_or_after(date(2026, 12, 13)), None);
        k.yearly = true;
        assert_eq!(k.next_on_or_after(date(2026, 12, 13)), Some(date(2027, 12, 12)));
        // A yearly date does not come before its first year.
        assert_eq!(k.next_on_or_after(date(2025, 1, 1)), Some(date(2026, 12, 12)));
    }
}
