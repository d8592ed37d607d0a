//! Local time ↔ UTC for exports. Text exports write wall-clock times with no
//! zone; converting each one through the zone's rules costs a search, so
//! [`Zone`] remembers the offset of the last hour it saw.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

/// A time zone with a one-hour offset cache.
#[derive(Clone, Debug)]
pub struct Zone {
    tz: TimeZone,
    /// (hour key, offset) of the last hour with one unambiguous offset.
    cached: Option<(i64, Offset)>,
}

impl Zone {
    pub fn new(tz: TimeZone) -> Self {
        Zone { tz, cached: None }
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// The moment of a wall-clock time. A time that happens twice (clocks
    /// going back) is the first; one that never happens (clocks going
    /// forward) is taken with the offset before the gap.
    pub fn to_utc(&mut self, local: DateTime) -> Timestamp {
        let key = hour_key(local);
        let offset = match self.cached {
            Some((k, offset)) if k == key => offset,
            _ => {
                let offset = self.offset_of(local);
                if self.hour_is_plain(local) {
                    self.cached = Some((key, offset));
                }
                offset
            }
        };
        // Only fails outside jiff's supported range (years -9999..=9999 ± a day).
        offset.to_timestamp(local).unwrap_or(if local.year() < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
    }

    /// The wall-clock time of a moment.
    pub fn to_local(&self, at: Timestamp) -> DateTime {
        self.tz.to_datetime(at)
    }

    fn offset_of(&self, local: DateTime) -> Offset {
        match self.tz.to_ambiguous_timestamp(local).offset() {
            AmbiguousOffset::Unambiguous { offset } => offset,
            AmbiguousOffset::Gap { before, .. } => before,
            AmbiguousOffset::Fold { before, .. } => before,
        }
    }

    /// The whole hour of `local` has one offset.
    fn hour_is_plain(&self, local: DateTime) -> bool {
        let first = local.with().minute(0).second(0).subsec_nanosecond(0).build();
        let last = local.with().minute(59).second(59).subsec_nanosecond(0).build();
        match (first, last) {
            (Ok(first), Ok(last)) => {
                let a = self.tz.to_ambiguous_timestamp(first).offset();
                let b = self.tz.to_ambiguous_timestamp(last).offset();
                matches!((a, b), (AmbiguousOffset::Unambiguous { offset: x }, AmbiguousOffset::Unambiguous { offset: y }) if x == y)
            }
            _ => false,
        }
    }
}

fn hour_key(dt: DateTime) -> i64 {
    ((i64::from(dt.year()) * 16 + i64::from(dt.month())) * 32 + i64::from(dt.day())) * 24
        + i64::from(dt.hour())
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
            let expected = tz.to_ambiguous_timestamp(t).compatible().expect("in range");
            assert_eq!(zone.to_utc(t), expected, "{t}");
            t = t
                .checked_add(jiff::SignedDuration::from_mins(1))
                .expect("in range");
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
