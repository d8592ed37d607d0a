//! Local time ↔ UTC for exports. Text exports write wall-clock times with no
//! zone; converting each one through the zone's rules costs a search, so
//! [`Zone`] remembers a span of wall-clock times that share one offset.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

/// A time zone with a cache of the last span of plain wall-clock times.
#[derive(Clone, Debug)]
pub struct Zone {
    tz: TimeZone,
    /// Wall-clock times in `from..until` that each happen once, at `offset`.
    cached: Option<Plain>,
    /// A day within the cached span, and the Unix second of its midnight:
    /// messages come in runs of the same day, and adding the time of day
    /// to a second is cheaper than converting a date each time.
    day: Option<(Date, i64)>,
    /// The moment of the time read last.
    last: Option<Timestamp>,
}

#[derive(Clone, Copy, Debug)]
struct Plain {
    from: DateTime,
    until: DateTime,
    offset: Offset,
}

impl Plain {
    /// `day` and the Unix second of its midnight, if all of it is in the span.
    fn day_of(&self, day: Date) -> Option<(Date, i64)> {
        let midnight = day.to_datetime(Time::midnight());
        let next = day.tomorrow().ok()?.to_datetime(Time::midnight());
        let inside = self.from <= midnight && next <= self.until;
        inside.then(|| Some((day, self.offset.to_timestamp(midnight).ok()?.as_second())))?
    }
}

/// More than any two offsets can differ (jiff's lie within ±26 hours).
const MARGIN: SignedDuration = SignedDuration::from_hours(72);

impl Zone {
    pub fn new(tz: TimeZone) -> Self {
        Zone {
            tz,
            cached: None,
            day: None,
            last: None,
        }
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// The moment of a wall-clock time, for times read in the order an
    /// export lists them. A time that happens twice (clocks going back) is
    /// the first, unless that would go back before the time read last: when
    /// the wall clock steps back inside the repeated hour, the later offset
    /// applies. A time that never happens (clocks going forward) is taken
    /// with the offset before the gap.
    pub fn to_utc(&mut self, local: DateTime) -> Timestamp {
        let at = self.moment(local);
        self.last = Some(at);
        at
    }

    fn moment(&mut self, local: DateTime) -> Timestamp {
        if let Some((day, midnight)) = self.day {
            if day == local.date() {
                let seconds = midnight
                    + i64::from(local.hour()) * 3600
                    + i64::from(local.minute()) * 60
                    + i64::from(local.second());
                if let Ok(at) = Timestamp::new(seconds, local.subsec_nanosecond()) {
                    return at;
                }
            }
        }
        self.utc_of_new_day(local)
    }

    /// [`Zone::to_utc`] for a time of another day than the last one's.
    #[inline(never)]
    fn utc_of_new_day(&mut self, local: DateTime) -> Timestamp {
        let offset = match self.cached {
            Some(plain) if plain.from <= local && local < plain.until => {
                self.day = plain.day_of(local.date());
                plain.offset
            }
            _ => match self.tz.to_ambiguous_timestamp(local).offset() {
                AmbiguousOffset::Unambiguous { offset } => {
                    self.cached = self.plain_around(local, offset);
                    self.day = self.cached.and_then(|plain| plain.day_of(local.date()));
                    offset
                }
                AmbiguousOffset::Gap { before, .. } => before,
                AmbiguousOffset::Fold { before, after } => {
                    let earlier = before.to_timestamp(local).ok();
                    let stepped_back = matches!((earlier, self.last), (Some(at), Some(last)) if at < last);
                    if stepped_back && after.to_timestamp(local).is_ok_and(|at| Some(at) >= self.last) {
                        after
                    } else {
                        before
                    }
                }
            },
        };
        // Only fails outside jiff's supported range (years -9999..=9999 ± a day).
        offset.to_timestamp(local).unwrap_or(if local.year() < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
    }

    /// The wall-clock times around `local` (whose offset is `offset`, and
    /// only that) whose moments lie further than [`MARGIN`] from the zone's
    /// transitions. Any other offset would put such a time inside the same
    /// stretch between transitions, where only `offset` holds, so each of
    /// them happens once, at `offset`.
    fn plain_around(&self, local: DateTime, offset: Offset) -> Option<Plain> {
        let at = offset.to_timestamp(local).ok()?;
        let just_after = at.checked_add(SignedDuration::from_nanos(1)).ok()?;
        let from = match self.tz.preceding(just_after).next() {
            Some(t) => offset.to_datetime(t.timestamp().checked_add(MARGIN).ok()?),
            None => DateTime::MIN,
        };
        let until = match self.tz.following(at).next() {
            Some(t) => offset.to_datetime(t.timestamp().checked_sub(MARGIN).ok()?),
            None => DateTime::MAX,
        };
        (from <= local && local < until).then_some(Plain { from, until, offset })
    }

    /// The wall-clock time of a moment.
    pub fn to_local(&self, at: Timestamp) -> DateTime {
        self.tz.to_datetime(at)
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn conversions_match_jiff_around_a_dst_change() {
        let tz = TimeZone::get("Europe/Berlin").expect("tzdb");
        let mut zone = Zone::new(tz.clone());
        let mut t = date(2024, 3, 30).at(22, 0, 0, 0);
        for _ in 0..(6 * 60) {
            assert_eq!(zone.to_utc(t), compatible(&tz, t), "{t}");
            t = t
                .checked_add(jiff::SignedDuration::from_mins(1))
                .expect("in range");
        }
    }

    #[test]
    fn a_wall_clock_that_steps_back_in_the_repeated_hour_takes_the_later_offset() {
        let tz = TimeZone::get("Europe/London").expect("tzdb");
        let mut zone = Zone::new(tz);
        let at = |h, m| date(2024, 10, 27).at(h, m, 0, 0);
        let utc = |zone: &mut Zone, h, m| zone.to_utc(at(h, m)).to_string();
        assert_eq!(utc(&mut zone, 0, 50), "2024-10-26T23:50:00Z");
        assert_eq!(
            utc(&mut zone, 1, 30),
            "2024-10-27T00:30:00Z",
            "the first time round"
        );
        assert_eq!(utc(&mut zone, 1, 50), "2024-10-27T00:50:00Z");
        assert_eq!(
            utc(&mut zone, 1, 10),
            "2024-10-27T01:10:00Z",
            "stepped back: the second time round"
        );
        assert_eq!(
            utc(&mut zone, 1, 30),
            "2024-10-27T01:30:00Z",
            "and it stays there"
        );
        assert_eq!(utc(&mut zone, 2, 10), "2024-10-27T02:10:00Z");
        // Read on its own, an hour that happens twice is the first one.
        let mut fresh = Zone::new(TimeZone::get("Europe/London").expect("tzdb"));
        assert_eq!(fresh.to_utc(at(1, 10)).to_string(), "2024-10-27T00:10:00Z");
    }

    #[test]
    fn years_in_quarter_hours_match_jiff() {
        for name in ["Europe/Berlin", "Australia/Lord_Howe", "Pacific/Apia"] {
            let tz = TimeZone::get(name).expect("tzdb");
            let mut zone = Zone::new(tz.clone());
            let mut t = date(2011, 1, 1).at(0, 0, 0, 0);
            while t.year() < 2013 {
                assert_eq!(zone.to_utc(t), compatible(&tz, t), "{t} in {name}");
                t = t
                    .checked_add(jiff::SignedDuration::from_mins(15))
                    .expect("in range");
            }
        }
    }

    #[test]
    fn fractions_of_seconds_before_1970() {
        let tz = TimeZone::get("Europe/Berlin").expect("tzdb");
        let mut zone = Zone::new(tz.clone());
        for t in [
            date(1969, 7, 20).at(20, 17, 40, 500_000_000),
            date(1969, 7, 20).at(22, 56, 15, 1),
            date(1969, 7, 20).at(0, 0, 0, 999_999_999),
        ] {
            assert_eq!(zone.to_utc(t), compatible(&tz, t), "{t}");
        }
    }

    fn compatible(tz: &TimeZone, t: DateTime) -> Timestamp {
        tz.to_ambiguous_timestamp(t).compatible().expect("in range")
    }

    proptest::proptest! {
        /// Times in any order, near transitions or far from them, in zones
        /// with odd rules: the cache never changes an answer.
        #[test]
        fn cached_spans_agree_with_jiff(
            zone in 0usize..6,
            steps in proptest::collection::vec((-600i64..600, 0usize..4), 1..60),
        ) {
            let name = [
                "Europe/Berlin",
                "America/New_York",
                "Australia/Lord_Howe",
                "Pacific/Apia",
                "America/Sao_Paulo",
                "UTC",
            ][zone];
            let tz = TimeZone::get(name).expect("tzdb");
            let mut zone = Zone::new(tz.clone());
            let mut t = date(2011, 12, 20).at(12, 0, 0, 0);
            for (n, unit) in steps {
                // Steps of minutes, hours, days or years.
                let minutes = [1, 60, 24 * 60, 365 * 24 * 60][unit];
                t = t.checked_add(jiff::SignedDuration::from_mins(n * minutes)).unwrap_or(t);
                proptest::prop_assert_eq!(zone.to_utc(t), compatible(&tz, t), "{} in {}", t, name);
            }
        }
    }

    #[test]
    fn a_repeated_hour_takes_the_first_offset() {
        let tz = TimeZone::get("Europe/Berlin").expect("tzdb");
        let mut zone = Zone::new(tz);
        let t = date(2024, 10, 27).at(2, 30, 0, 0);
        assert_eq!(zone.to_utc(t).to_string(), "2024-10-27T00:30:00Z");
    }
}
