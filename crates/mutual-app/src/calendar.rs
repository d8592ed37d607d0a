//! The dates to keep, as iCalendar for any calendar app (`mutual calendar`
//! writes it to a file, the dashboard serves it as a feed): check-ins due,
//! follow-ups, revisit dates, the end of pauses, birthdays and key dates,
//! each with a reminder. UIDs are stable, so importing a newer file updates
//! events instead of adding them twice.

use chrono::NaiveDate;
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Related, Trigger};
use jiff::ToSpan;
use mutual_core::{DateKind, FriendRecord, MonthDay, Upcoming, upcoming};
use mutual_store::Db;

use crate::Settings;

/// The dates to keep in the next `days` days (birthdays and yearly dates
/// repeating), as iCalendar text, and how many events it holds.
pub fn calendar(settings: &Settings, db: Db<'_>, days: u32) -> crate::error::Result<(String, usize)> {
    let records = settings.records(db, None)?;
    let cx = settings.context();
    let to = cx
        .today
        .checked_add(i64::from(days).days())
        .unwrap_or(jiff::civil::Date::MAX);
    let stamp = chrono::DateTime::from_timestamp(settings.now.as_second(), 0).unwrap_or_default();
    let mut calendar = Calendar::new();
    calendar.name("mutual: dates to keep");
    let mut events = 0;
    for record in &records {
        let status = mutual_core::agenda::status(record, &cx);
        for u in upcoming(record, &status, cx.today, to) {
            // Yearly dates are written once below, repeating.
            if u.yearly {
                continue;
            }
            calendar.push(event(&u, status.cadence.ideal_days, stamp));
            events += 1;
        }
        for yearly in yearly(record) {
            calendar.push(yearly.stamped(stamp));
            events += 1;
        }
    }
    Ok((calendar.done().to_string(), events))
}

fn naive(day: jiff::civil::Date) -> NaiveDate {
    NaiveDate::from_ymd_opt(
        i32::from(day.year()),
        u32::try_from(day.month()).unwrap_or(1),
        u32::try_from(day.day()).unwrap_or(1),
    )
    .unwrap_or_default()
}

/// A reminder at 9:00 on the day (an all-day event starts at midnight).
fn on_the_day(text: &str) -> Alarm {
    Alarm::display(
        text,
        Trigger::Duration(chrono::Duration::hours(9), Some(Related::Start)),
    )
}

/// A reminder at 9:00 the day before.
fn the_day_before(text: &str) -> Alarm {
    Alarm::display(
        text,
        Trigger::Duration(chrono::Duration::hours(-15), Some(Related::Start)),
    )
}

/// One dated thing as an all-day event.
fn event(u: &Upcoming, ideal_days: u32, stamp: chrono::DateTime<chrono::Utc>) -> Event {
    let name = &u.name;
    let id = u.id.unwrap_or_default();
    let (uid, summary, description) = match u.kind {
        DateKind::CheckIn => (
            format!("check-in-{}@mutual", u.friend),
            format!("Check in with {name}"),
            format!(
                "You like to connect with {name} {}. A short hello keeps the rhythm going.",
                mutual_core::words::every(ideal_days)
            ),
        ),
        DateKind::FollowUp => (
            format!("follow-up-{id}@mutual"),
            format!("Come back to {name}: {}", u.text),
            "When you have come back to it, mark it done in mutual.".to_owned(),
        ),
        DateKind::Revisit => (
            format!("revisit-{id}@mutual"),
            format!("Revisit with {name}: {}", u.text),
            "You parked this topic together until today; see whether you both feel ready.".to_owned(),
        ),
        DateKind::PauseEnds => (
            format!("pause-ends-{}-{}@mutual", u.friend, u.day),
            format!("{name}'s busy season ends"),
            "A welcome-back message could be lovely.".to_owned(),
        ),
        DateKind::Birthday | DateKind::KeyDate => (
            format!("key-date-{id}@mutual"),
            format!("{name}: {}", u.text),
            "A word before or on the day shows you remembered.".to_owned(),
        ),
    };
    Event::new()
        .uid(&uid)
        .timestamp(stamp)
        .all_day(naive(u.day))
        .ends(next_day(u.day))
        .summary(&summary)
        .description(&description)
        .alarm(
            on_the_day(&summary)
                .uid(&reminder_uid(&uid))
                .timestamp(stamp)
                .done(),
        )
        .done()
}

/// The UID of an event's reminder: `check-in-3@mutual` has
/// `check-in-3-reminder@mutual`.
fn reminder_uid(uid: &str) -> String {
    uid.replacen("@mutual", "-reminder@mutual", 1)
}

/// The end of an all-day event: the next day (DTEND is exclusive).
fn next_day(day: jiff::civil::Date) -> NaiveDate {
    naive(day.tomorrow().unwrap_or(day))
}

/// An event that repeats every year, before it gets its stamp.
struct Yearly(Event);

impl Yearly {
    fn stamped(mut self, stamp: chrono::DateTime<chrono::Utc>) -> Event {
        let uid = self.0.get_uid().unwrap_or_default().to_owned();
        let summary = self.0.get_summary().unwrap_or_default().to_owned();
        self.0
            .timestamp(stamp)
            .alarm(
                the_day_before(&summary)
                    .uid(&reminder_uid(&uid))
                    .timestamp(stamp)
                    .done(),
            )
            .done()
    }
}

/// The birthday and yearly key dates of a friend, each repeating yearly.
fn yearly(record: &FriendRecord) -> Vec<Yearly> {
    let friend = &record.friend;
    let name = &friend.name;
    let mut out = Vec::new();
    let rule = |md: MonthDay| {
        if (md.month(), md.day()) == (2, 29) {
            // The last day of February: the 29th in leap years, else the 28th.
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1".to_owned()
        } else {
            "FREQ=YEARLY".to_owned()
        }
    };
    if let Some(birthday) = friend.birthday
        && let Some(first) = birthday.in_year(friend.added_at.to_zoned(jiff::tz::TimeZone::UTC).year())
    {
        let summary = format!("{name}'s birthday");
        out.push(Yearly(
            Event::new()
                .uid(&format!("birthday-{}@mutual", friend.id))
                .all_day(naive(first))
                .add_property("RRULE", rule(birthday))
                .ends(next_day(first))
                .summary(&summary)
                .description("A message on the day, or a plan to celebrate together, goes a long way.")
                .done(),
        ));
    }
    for k in record.key_dates.iter().filter(|k| k.yearly) {
        let summary = format!("{name}: {}", k.text);
        let md = MonthDay::new(k.day.month(), k.day.day()).ok();
        out.push(Yearly(
            Event::new()
                .uid(&format!("key-date-{}@mutual", k.id))
                .all_day(naive(k.day))
                .add_property("RRULE", md.map_or_else(|| "FREQ=YEARLY".to_owned(), rule))
                .ends(next_day(k.day))
                .summary(&summary)
                .description("A word before or on the day shows you remembered.")
                .done(),
        ));
    }
    out
}
