//! Follow-ups: things to come back to, and how reliably I do.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::id::{FollowUpId, FriendId, InteractionId};
use crate::names::named_enum;

/// Something to come back to with a friend.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub friend: FriendId,
    pub text: String,
    pub due: Date,
    pub created_at: Timestamp,
    pub done_at: Option<Timestamp>,
    /// The journal entry that prompted it, if any.
    pub interaction: Option<InteractionId>,
}

named_enum! {
    /// Where a follow-up stands on a given day.
    pub enum FollowUpState as "follow-up state" {
        Open = "open",
        DueToday = "due-today",
        Missed = "missed",
        DoneOnTime = "done-on-time",
        DoneLate = "done-late",
    }
}

impl FollowUp {
    pub fn state(&self, today: Date, tz: &TimeZone) -> FollowUpState {
        match self.done_at {
            Some(done) if done.to_zoned(tz.clone()).date() <= self.due => FollowUpState::DoneOnTime,
            Some(_) => FollowUpState::DoneLate,
            None if today < self.due => FollowUpState::Open,
            None if today == self.due => FollowUpState::DueToday,
            None => FollowUpState::Missed,
        }
    }
}

/// How reliably follow-ups were done by their due date.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Reliability {
    /// Follow-ups whose outcome is known: done, or due date passed.
    pub settled: usize,
    pub on_time: usize,
    pub missed: usize,
}

impl Reliability {
    /// Share of settled follow-ups done by their due date; `None` before any settled.
    pub fn share(&self) -> Option<f64> {
        (self.settled > 0).then(|| self.on_time as f64 / self.settled as f64)
    }
}

/// Reliability over the follow-ups due on or after `since`.
pub fn reliability(follow_ups: &[FollowUp], since: Date, today: Date, tz: &TimeZone) -> Reliability {
    let mut r = Reliability {
        settled: 0,
        on_time: 0,
        missed: 0,
    };
    for f in follow_ups.iter().filter(|f| f.due >= since) {
        match f.state(today, tz) {
            FollowUpState::Open | FollowUpState::DueToday => {}
            FollowUpState::DoneOnTime => {
                r.settled += 1;
                r.on_time += 1;
            }
            FollowUpState::DoneLate => r.settled += 1,
            FollowUpState::Missed => {
                r.settled += 1;
                r.missed += 1;
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn follow_up(due: Date, done_at: Option<&str>) -> FollowUp {
        FollowUp {
            id: FollowUpId(1),
            friend: FriendId(1),
            text: "ask about the move".into(),
            due,
            created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            done_at: done_at.map(|s| s.parse().unwrap()),
            interaction: None,
        }
    }

    #[test]
    fn states_and_reliability() {
        let today = date(2026, 3, 10);
        let tz = TimeZone::UTC;
        let items = [
            follow_up(date(2026, 3, 5), Some("2026-03-05T20:00:00Z")),
            follow_up(date(2026, 3, 5), Some("2026-03-07T20:00:00Z")),
            follow_up(date(2026, 3, 8), None),
            follow_up(date(2026, 3, 10), None),
            follow_up(date(2026, 3, 20), None),
        ];
        let states: Vec<_> = items.iter().map(|f| f.state(today, &tz)).collect();
        assert_eq!(
            states,
            [
                FollowUpState::DoneOnTime,
                FollowUpState::DoneLate,
                FollowUpState::Missed,
                FollowUpState::DueToday,
                FollowUpState::Open
            ]
        );
        let r = reliability(&items, date(2026, 1, 1), today, &tz);
        assert_eq!((r.settled, r.on_time, r.missed), (3, 1, 1));
        assert!((r.share().unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(reliability(&items, date(2026, 4, 1), today, &tz).share(), None);
    }
}
