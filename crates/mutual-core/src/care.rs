//! Needs and boundaries of both sides, and the checkable rules a boundary
//! may carry (quiet hours, a cool-down after conflict, a frequency limit).

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use crate::id::{BoundaryId, FriendId, NeedId};
use crate::interaction::{Channel, ChatContact, Exchange, Side};

/// Something one of us needs from the friendship.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Need {
    pub id: NeedId,
    pub friend: FriendId,
    pub whose: Side,
    pub text: String,
    pub since: Date,
}

/// A limit one of us has asked the other to respect.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Boundary {
    pub id: BoundaryId,
    pub friend: FriendId,
    pub whose: Side,
    pub text: String,
    pub since: Date,
    pub rule: Option<BoundaryRule>,
}

/// A rule the program can check against interactions and messages.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BoundaryRule {
    /// No contact from the other side between `start` and `end` local time
    /// (the window may wrap past midnight), on the given channels or, when
    /// none are given, on any.
    QuietHours {
        start: Time,
        end: Time,
        channels: Vec<Channel>,
    },
    /// No contact from the other side for `days` days after a conflict.
    CoolDown { days: u32 },
    /// The other side reaches out at most `max` times in any `per_days` days.
    FrequencyLimit { max: u32, per_days: u32 },
}

impl BoundaryRule {
    pub fn quiet_hours(start: Time, end: Time, channels: Vec<Channel>) -> BoundaryRule {
        BoundaryRule::QuietHours { start, end, channels }
    }

    /// A short human description: "quiet hours 23:00-07:00 for calls".
    pub fn describe(&self) -> String {
        match self {
            BoundaryRule::QuietHours { start, end, channels } => {
                let window = format!(
                    "quiet hours {}-{}",
                    start.strftime("%H:%M"),
                    end.strftime("%H:%M")
                );
                if channels.is_empty() {
                    window
                } else {
                    let names: Vec<&str> = channels.iter().map(|c| c.plural()).collect();
                    format!("{window} for {}", names.join(" and "))
                }
            }
            BoundaryRule::CoolDown { days } => format!("{days} days of space after a conflict"),
            BoundaryRule::FrequencyLimit { max, per_days } => {
                format!("at most {max} contacts in {per_days} days")
            }
        }
    }
}

/// Whether a local time of day falls in a window that may wrap midnight.
pub fn in_window(time: Time, start: Time, end: Time) -> bool {
    if start <= end {
        start <= time && time < end
    } else {
        time >= start || time < end
    }
}

/// One contact that went past a boundary.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Crossing {
    pub boundary: BoundaryId,
    pub at: Timestamp,
    /// The side that reached out: the other side from the boundary's owner.
    pub by: Side,
}

/// The contacts in `exchanges` (sorted by time) that crossed `boundary`.
/// Only contacts the other side initiated count: when both or nobody in
/// particular reached out, nobody crossed anything. Contacts before the
/// boundary was set do not count.
pub fn crossings(boundary: &Boundary, exchanges: &[Exchange], tz: &TimeZone) -> Vec<Crossing> {
    let Some(rule) = &boundary.rule else {
        return Vec::new();
    };
    let by = boundary.whose.other();
    let since = boundary
        .since
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN);
    let reached_out = |e: &&Exchange| e.initiator == by.as_initiator() && e.at >= since;
    let crossing = |e: &Exchange| Crossing {
        boundary: boundary.id,
        at: e.at,
        by,
    };
    match rule {
        BoundaryRule::QuietHours { start, end, channels } => exchanges
            .iter()
            .filter(reached_out)
            .filter(|e| channels.is_empty() || channels.contains(&e.channel))
            .filter(|e| in_window(e.at.to_zoned(tz.clone()).time(), *start, *end))
            .map(crossing)
            .collect(),
        BoundaryRule::CoolDown { days } => {
            let space = crate::days(i64::from(*days));
            let mut last_conflict: Option<Timestamp> = None;
            let mut found = Vec::new();
            for e in exchanges {
                if let Some(conflict) = last_conflict {
                    let space_ends = conflict.checked_add(space).unwrap_or(Timestamp::MAX);
                    if e.at > conflict && e.at < space_ends && reached_out(&e) && !e.conflict {
                        found.push(crossing(e));
                    }
                }
                if e.conflict {
                    last_conflict = Some(e.at);
                }
            }
            found
        }
        BoundaryRule::FrequencyLimit { max, per_days } => {
            let window = crate::days(i64::from(*per_days));
            let contacts: Vec<&Exchange> = exchanges.iter().filter(reached_out).collect();
            let mut found = Vec::new();
            let mut first = 0;
            for (i, e) in contacts.iter().enumerate() {
                let window_start = e.at.checked_sub(window).unwrap_or(Timestamp::MIN);
                while contacts[first].at <= window_start {
                    first += 1;
                }
                if i + 1 - first > *max as usize {
                    found.push(crossing(e));
                }
            }
            found
        }
    }
}

/// The conversations the other side started in chats (`contacts`, sorted by
/// time) that fell in the quiet hours of `boundary`, when its rule covers
/// messages. Replies within a conversation are not reaching out.
pub fn chat_crossings(boundary: &Boundary, contacts: &[ChatContact], tz: &TimeZone) -> Vec<Crossing> {
    let Some(BoundaryRule::QuietHours { start, end, channels }) = &boundary.rule else {
        return Vec::new();
    };
    if !channels.is_empty() && !channels.contains(&Channel::Message) {
        return Vec::new();
    }
    let by = boundary.whose.other();
    let since = boundary
        .since
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN);
    contacts
        .iter()
        .filter(|c| c.by == by && c.at >= since)
        .filter(|c| in_window(c.at.to_zoned(tz.clone()).time(), *start, *end))
        .map(|c| Crossing {
            boundary: boundary.id,
            at: c.at,
            by,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interaction::Initiator;

    use jiff::civil::{date, time};

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn contact(when: &str, initiator: Initiator, channel: Channel) -> Exchange {
        Exchange {
            initiator,
            channel,
            ..Exchange::at(at(when))
        }
    }

    fn boundary(whose: Side, rule: BoundaryRule) -> Boundary {
        Boundary {
            id: BoundaryId(1),
            friend: FriendId(1),
            whose,
            text: "a rule".into(),
            since: date(2026, 1, 1),
            rule: Some(rule),
        }
    }

    #[test]
    fn chat_conversations_started_in_quiet_hours_cross_message_boundaries() {
        let night = time(23, 0, 0, 0);
        let morning = time(7, 0, 0, 0);
        let mine = boundary(Side::Me, BoundaryRule::quiet_hours(night, morning, vec![]));
        let contacts = [
            ChatContact {
                at: at("2026-02-01T23:30Z"),
                by: Side::Them,
            },
            ChatContact {
                at: at("2026-02-02T12:00Z"),
                by: Side::Them,
            },
            ChatContact {
                at: at("2026-02-03T01:00Z"),
                by: Side::Me,
            },
            ChatContact {
                at: at("2025-12-03T01:00Z"),
                by: Side::Them,
            },
        ];
        let found = chat_crossings(&mine, &contacts, &TimeZone::UTC);
        assert_eq!(
            found.len(),
            1,
            "only theirs, at night, since the boundary was set"
        );
        assert_eq!(found[0].at, at("2026-02-01T23:30Z"));
        let calls_only = boundary(
            Side::Me,
            BoundaryRule::quiet_hours(night, morning, vec![Channel::Call]),
        );
        assert!(chat_crossings(&calls_only, &contacts, &TimeZone::UTC).is_empty());
    }

    #[test]
    fn window_wraps_midnight() {
        let (start, end) = (time(23, 0, 0, 0), time(7, 0, 0, 0));
        assert!(in_window(time(23, 30, 0, 0), start, end));
        assert!(in_window(time(2, 0, 0, 0), start, end));
        assert!(!in_window(time(7, 0, 0, 0), start, end));
        assert!(!in_window(time(12, 0, 0, 0), start, end));
        assert!(in_window(time(13, 0, 0, 0), time(12, 0, 0, 0), time(14, 0, 0, 0)));
    }

    #[test]
    fn quiet_hours_count_only_the_other_side_and_listed_channels() {
        let rule = BoundaryRule::quiet_hours(time(23, 0, 0, 0), time(7, 0, 0, 0), vec![Channel::Call]);
        let theirs = boundary(Side::Them, rule);
        let exchanges = [
            contact("2026-02-01T23:30:00Z", Initiator::Me, Channel::Call),
            contact("2026-02-02T23:30:00Z", Initiator::Them, Channel::Call),
            contact("2026-02-03T23:30:00Z", Initiator::Me, Channel::Message),
            contact("2026-02-04T20:00:00Z", Initiator::Me, Channel::Call),
            contact("2025-12-04T23:30:00Z", Initiator::Me, Channel::Call),
        ];
        let found = crossings(&theirs, &exchanges, &TimeZone::UTC);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at, at("2026-02-01T23:30:00Z"));
        assert_eq!(found[0].by, Side::Me);
    }

    #[test]
    fn quiet_hours_use_local_time() {
        let rule = BoundaryRule::quiet_hours(time(22, 0, 0, 0), time(6, 0, 0, 0), vec![]);
        let mine = boundary(Side::Me, rule);
        // 21:30 UTC is 22:30 in Berlin in winter.
        let exchanges = [contact("2026-02-01T21:30:00Z", Initiator::Them, Channel::Message)];
        assert!(crossings(&mine, &exchanges, &TimeZone::UTC).is_empty());
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(crossings(&mine, &exchanges, &berlin).len(), 1);
    }

    #[test]
    fn cool_down_after_conflict() {
        let theirs = boundary(Side::Them, BoundaryRule::CoolDown { days: 3 });
        let fight = Exchange {
            conflict: true,
            ..contact("2026-03-01T18:00:00Z", Initiator::Both, Channel::InPerson)
        };
        let exchanges = [
            fight,
            contact("2026-03-02T10:00:00Z", Initiator::Me, Channel::Message),
            contact("2026-03-03T10:00:00Z", Initiator::Them, Channel::Message),
            contact("2026-03-05T10:00:00Z", Initiator::Me, Channel::Message),
        ];
        let found = crossings(&theirs, &exchanges, &TimeZone::UTC);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at, at("2026-03-02T10:00:00Z"));
    }

    #[test]
    fn frequency_limit_flags_contacts_beyond_the_limit() {
        let mine = boundary(Side::Me, BoundaryRule::FrequencyLimit { max: 2, per_days: 7 });
        let exchanges = [
            contact("2026-03-01T10:00:00Z", Initiator::Them, Channel::Call),
            contact("2026-03-02T10:00:00Z", Initiator::Them, Channel::Call),
            contact("2026-03-03T10:00:00Z", Initiator::Me, Channel::Call),
            contact("2026-03-04T10:00:00Z", Initiator::Them, Channel::Call),
            contact("2026-03-12T10:00:00Z", Initiator::Them, Channel::Call),
        ];
        let found = crossings(&mine, &exchanges, &TimeZone::UTC);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at, at("2026-03-04T10:00:00Z"));
        assert_eq!(found[0].by, Side::Them);
    }
}
