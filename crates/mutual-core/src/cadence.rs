//! Check-in cadence: on track, due soon, overdue or losing touch. Any
//! contact resets the clock; paused days do not count; after hard news the
//! rhythm tightens for a few weeks (a support window).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::friend::{Cadence, Friend};
use crate::names::named_enum;

/// Knobs of the cadence rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CadenceConfig {
    /// How long the rhythm stays tight after hard news, in days.
    pub support_window_days: i64,
    /// The rhythm during a support window (never looser than the friend's own).
    pub support_cadence: Cadence,
    /// "Due soon" starts this share of the ideal interval before it ends.
    pub due_soon_share: f64,
}

impl Default for CadenceConfig {
    fn default() -> Self {
        CadenceConfig {
            support_window_days: 21,
            support_cadence: Cadence {
                ideal_days: 3,
                max_days: 7,
            },
            due_soon_share: 0.2,
        }
    }
}

named_enum! {
    /// Where a friendship's rhythm stands today.
    pub enum CadenceState as "cadence state" {
        OnTrack = "on-track",
        DueSoon = "due-soon",
        Overdue = "overdue",
        LosingTouch = "losing-touch",
        Paused = "paused",
        Snoozed = "snoozed",
    }
}

impl CadenceState {
    /// The state in plain words: "on track", "losing touch".
    pub fn phrase(self) -> &'static str {
        match self {
            CadenceState::OnTrack => "on track",
            CadenceState::DueSoon => "due soon",
            CadenceState::Overdue => "overdue",
            CadenceState::LosingTouch => "losing touch",
            CadenceState::Paused => "paused",
            CadenceState::Snoozed => "snoozed",
        }
    }

    /// Whether today's agenda should mention a check-in.
    pub fn wants_check_in(self) -> bool {
        matches!(
            self,
            CadenceState::DueSoon | CadenceState::Overdue | CadenceState::LosingTouch
        )
    }
}

/// The rhythm of one friendship on one day, with its evidence.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CadenceStatus {
    pub state: CadenceState,
    /// The rhythm that applied (tighter during a support window).
    pub cadence: Cadence,
    /// Days since the last contact (or since the friend was added), not
    /// counting paused days.
    pub days_since: i64,
    pub last_contact: Option<Date>,
    /// The day the ideal interval ends.
    pub due_on: Date,
    /// The last day of a support window in force.
    pub support_window_until: Option<Date>,
}

pub fn cadence_status(
    friend: &Friend,
    last_contact: Option<Timestamp>,
    last_hard_news: Option<Timestamp>,
    today: Date,
    tz: &TimeZone,
    config: &CadenceConfig,
) -> CadenceStatus {
    let local = |t: Timestamp| t.to_zoned(tz.clone()).date();
    let last_contact = last_contact.map(local).filter(|&d| d <= today);
    let reference = last_contact.unwrap_or_else(|| local(friend.added_at).min(today));

    let support_window_until = last_hard_news
        .map(local)
        .filter(|&d| d <= today)
        .and_then(|d| d.checked_add(config.support_window_days.days()).ok())
        .filter(|&end| end >= today);
    let own = friend.effective_cadence();
    let cadence = match support_window_until {
        Some(_) => Cadence {
            ideal_days: own.ideal_days.min(config.support_cadence.ideal_days),
            max_days: own.max_days.min(config.support_cadence.max_days),
        },
        None => own,
    };

    let paused = paused_days_between(friend, reference, today);
    let elapsed = i64::from((today - reference).get_days());
    let days_since = (elapsed - paused).max(0);
    let ideal = i64::from(cadence.ideal_days);
    let soon = ((ideal as f64 * config.due_soon_share).round() as i64).max(1);
    let due_on = reference
        .checked_add((ideal + paused).days())
        .unwrap_or(Date::MAX);

    let state = if friend.pause_on(today).is_some() {
        CadenceState::Paused
    } else if friend.snoozed_until.is_some_and(|until| today <= until) {
        CadenceState::Snoozed
    } else if days_since >= i64::from(cadence.max_days) {
        CadenceState::LosingTouch
    } else if days_since >= ideal {
        CadenceState::Overdue
    } else if days_since >= ideal - soon {
        CadenceState::DueSoon
    } else {
        CadenceState::OnTrack
    };
    CadenceStatus {
        state,
        cadence,
        days_since,
        last_contact,
        due_on,
        support_window_until,
    }
}

/// Paused days after `from` up to and including `to`.
fn paused_days_between(friend: &Friend, from: Date, to: Date) -> i64 {
    friend
        .pauses
        .iter()
        .map(|p| {
            let start = p.from.max(from.tomorrow().unwrap_or(Date::MAX));
            let end = p.until.unwrap_or(to).min(to);
            if end < start {
                0
            } else {
                i64::from((end - start).get_days()) + 1
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::friend::{Circle, Pause};
    use crate::id::FriendId;
    use jiff::civil::date;

    fn friend(ideal: u32) -> Friend {
        Friend {
            id: FriendId(1),
            name: "Sam".into(),
            aliases: vec![],
            circle: Some(Circle::Close),
            cadence: Some(Cadence::new(ideal, ideal * 3).unwrap()),
            notes: None,
            pauses: vec![],
            snoozed_until: None,
            birthday: None,
            added_at: "2025-01-01T12:00:00Z".parse().unwrap(),
        }
    }

    fn noon(d: Date) -> Timestamp {
        d.at(12, 0, 0, 0).to_zoned(TimeZone::UTC).unwrap().timestamp()
    }

    fn state_after(f: &Friend, days: i64) -> CadenceState {
        let last = date(2026, 1, 1);
        let today = last.checked_add(days.days()).unwrap();
        cadence_status(
            f,
            Some(noon(last)),
            None,
            today,
            &TimeZone::UTC,
            &CadenceConfig::default(),
        )
        .state
    }

    #[test]
    fn states_follow_the_days_since_contact() {
        let f = friend(10);
        assert_eq!(state_after(&f, 0), CadenceState::OnTrack);
        assert_eq!(state_after(&f, 7), CadenceState::OnTrack);
        assert_eq!(state_after(&f, 8), CadenceState::DueSoon);
        assert_eq!(state_after(&f, 10), CadenceState::Overdue);
        assert_eq!(state_after(&f, 29), CadenceState::Overdue);
        assert_eq!(state_after(&f, 30), CadenceState::LosingTouch);
    }

    #[test]
    fn paused_days_do_not_count_and_a_pause_silences() {
        let mut f = friend(10);
        f.pauses.push(Pause {
            from: date(2026, 1, 3),
            until: Some(date(2026, 1, 22)),
            reason: Some("exams".into()),
        });
        assert_eq!(state_after(&f, 10), CadenceState::Paused);
        // 25 days later, 20 of them paused: 5 days count.
        let s = cadence_status(
            &f,
            Some(noon(date(2026, 1, 1))),
            None,
            date(2026, 1, 26),
            &TimeZone::UTC,
            &CadenceConfig::default(),
        );
        assert_eq!((s.state, s.days_since), (CadenceState::OnTrack, 5));
        assert_eq!(s.due_on, date(2026, 1, 31));
    }

    #[test]
    fn never_contacted_counts_from_when_added() {
        let f = friend(10);
        let s = cadence_status(
            &f,
            None,
            None,
            date(2025, 1, 12),
            &TimeZone::UTC,
            &CadenceConfig::default(),
        );
        assert_eq!((s.state, s.days_since), (CadenceState::Overdue, 11));
    }

    #[test]
    fn hard_news_tightens_the_rhythm_for_a_while() {
        let f = friend(14);
        let news = noon(date(2026, 1, 1));
        let config = CadenceConfig::default();
        let s = cadence_status(
            &f,
            Some(news),
            Some(news),
            date(2026, 1, 5),
            &TimeZone::UTC,
            &config,
        );
        assert_eq!(s.state, CadenceState::Overdue);
        assert_eq!(s.support_window_until, Some(date(2026, 1, 22)));
        let s = cadence_status(
            &f,
            Some(news),
            Some(news),
            date(2026, 1, 23),
            &TimeZone::UTC,
            &config,
        );
        assert_eq!(s.support_window_until, None);
        assert_eq!(s.cadence.ideal_days, 14);
    }

    #[test]
    fn snooze_quiets_until_its_day() {
        let mut f = friend(10);
        f.snoozed_until = Some(date(2026, 1, 15));
        assert_eq!(state_after(&f, 12), CadenceState::Snoozed);
        assert_eq!(state_after(&f, 15), CadenceState::Overdue);
    }
}
