//! Drift as signals: the change, when it began, the numbers before and
//! after, how sure we are, in warm words with a next step.

use jiff::civil::Date;
use mutual_core::signal::{Evidence, Signal, SignalKind};
use mutual_core::words::day;
use mutual_core::{Friend, FriendId};

use crate::drift::{Drift, DriftConfig, DriftKind, Indicator, Measure, drifts};
use crate::weekly::Week;

/// The drift signals of one friend as of `today`. None while the friend is
/// paused: a pause is a quiet season both of you expect.
pub fn drift_signals(friend: &Friend, weeks: &[Week], today: Date, config: &DriftConfig) -> Vec<Signal> {
    if friend.pause_on(today).is_some() {
        return Vec::new();
    }
    drifts(weeks, today, config)
        .iter()
        .map(|d| signal(friend.id, &friend.name, d, today))
        .collect()
}

/// Words for one drift.
pub fn signal(friend: FriendId, name: &str, drift: &Drift, today: Date) -> Signal {
    let since = format!("since {}", day(drift.began, today));
    let theirs: Vec<String> = drift
        .indicators
        .iter()
        .filter(|i| !i.from_me)
        .filter_map(|i| change(i, false, name))
        .collect();
    let mine: Vec<String> = drift
        .indicators
        .iter()
        .filter(|i| i.from_me)
        .filter_map(|i| change(i, true, name))
        .collect();
    let (kind, message, suggestion) = match drift.kind {
        DriftKind::Fatigue => (
            SignalKind::Fatigue,
            format!(
                "{name}'s messages have changed {since}: {}. People get stretched thin for many reasons, and it may have nothing to do with you.",
                list(&theirs)
            ),
            format!(
                "A low-pressure check-in might help: ask {name} how they are doing, and make it clear there is no rush to reply."
            ),
        ),
        DriftKind::Withdrawal => (
            SignalKind::Withdrawal,
            format!(
                "You have been writing to {name} differently {since}: {}.",
                list(&mine)
            ),
            format!(
                "If you need some space, a short note saying so keeps things warm with {name}. If it is just a full season, a quick hello can go a long way."
            ),
        ),
        DriftKind::BusySeason => {
            let both: Vec<String> = theirs.iter().chain(&mine).cloned().collect();
            (
                SignalKind::BusySeason,
                format!(
                    "You and {name} have both been writing less {since} ({}). It looks like a busy season for both of you rather than drift.",
                    list(&both)
                ),
                format!(
                    "Nothing needs fixing. If you miss each other, suggest something small that fits a full week, like a short call with {name}."
                ),
            )
        }
    };
    let mut evidence: Vec<(&'static str, Evidence)> = vec![
        ("began", drift.began.into()),
        (
            "weeks_since",
            i64::from(drift.began.until(today).map(|s| s.get_days()).unwrap_or(0) / 7).into(),
        ),
    ];
    for i in &drift.indicators {
        let (before, after) = evidence_keys(i.measure, i.from_me);
        if let (Some(b), Some(a)) = (i.before, i.after) {
            evidence.push((before, b.into()));
            evidence.push((after, a.into()));
        }
    }
    Signal {
        friend,
        kind,
        began: Some(drift.began),
        confidence: (drift.confidence * 100.0).round() / 100.0,
        evidence,
        message,
        suggestion,
    }
}

/// "replies take about 2 hours instead of 15 minutes".
fn change(i: &Indicator, from_me: bool, name: &str) -> Option<String> {
    let (before, after) = (i.before?, i.after?);
    let (who, whose) = if from_me {
        ("you", "your")
    } else {
        ("they", "their")
    };
    Some(match i.measure {
        Measure::Messages => format!(
            "{whose} messages went from about {} to {} a week",
            before.round(),
            after.round()
        ),
        Measure::ReplyTime => format!(
            "{whose} replies take about {} instead of {}",
            duration(after),
            duration(before)
        ),
        Measure::Length => format!(
            "{whose} messages are shorter ({:.0} words instead of {:.0})",
            after, before
        ),
        Measure::Warmth => format!("{whose} tone is less upbeat than it was"),
        Measure::Initiation => {
            let (b, a) = (before * 100.0, after * 100.0);
            if from_me {
                format!("you start {a:.0}% of your conversations with {name}, down from {b:.0}%")
            } else {
                format!("{who} start {a:.0}% of your conversations, down from {b:.0}%")
            }
        }
    })
}

/// Minutes in words: "5 minutes", "about 2 hours", "a day".
fn duration(minutes: f64) -> String {
    if minutes < 1.5 {
        "a minute".to_owned()
    } else if minutes < 90.0 {
        format!("{} minutes", minutes.round())
    } else if minutes < 36.0 * 60.0 {
        format!("{} hours", (minutes / 60.0).round())
    } else {
        format!("{} days", (minutes / 1440.0).round())
    }
}

/// "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => "fewer and slower messages".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn evidence_keys(measure: Measure, from_me: bool) -> (&'static str, &'static str) {
    match (measure, from_me) {
        (Measure::Messages, false) => ("their_messages_per_week_before", "their_messages_per_week_after"),
        (Measure::Messages, true) => ("my_messages_per_week_before", "my_messages_per_week_after"),
        (Measure::ReplyTime, false) => ("their_reply_minutes_before", "their_reply_minutes_after"),
        (Measure::ReplyTime, true) => ("my_reply_minutes_before", "my_reply_minutes_after"),
        (Measure::Length, false) => ("their_words_per_message_before", "their_words_per_message_after"),
        (Measure::Length, true) => ("my_words_per_message_before", "my_words_per_message_after"),
        (Measure::Warmth, false) => ("their_warmth_before", "their_warmth_after"),
        (Measure::Warmth, true) => ("my_warmth_before", "my_warmth_after"),
        (Measure::Initiation, false) => ("their_initiation_share_before", "their_initiation_share_after"),
        (Measure::Initiation, true) => ("my_initiation_share_before", "my_initiation_share_after"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn indicator(measure: Measure, from_me: bool, before: f64, after: f64) -> Indicator {
        Indicator {
            measure,
            from_me,
            began: date(2026, 3, 2),
            probability: 0.9,
            before: Some(before),
            after: Some(after),
        }
    }

    #[test]
    fn fatigue_reads_as_a_warm_specific_note() {
        let drift = Drift {
            kind: DriftKind::Fatigue,
            began: date(2026, 3, 2),
            confidence: 0.834,
            indicators: vec![
                indicator(Measure::ReplyTime, false, 12.0, 150.0),
                indicator(Measure::Length, false, 9.0, 4.0),
            ],
        };
        let s = signal(FriendId(1), "Sam", &drift, date(2026, 4, 20));
        assert_eq!(s.kind, SignalKind::Fatigue);
        assert_eq!(s.began, Some(date(2026, 3, 2)));
        assert_eq!(s.confidence, 0.83);
        assert!(
            s.message.starts_with("Sam's messages have changed since 2 Mar:"),
            "{}",
            s.message
        );
        assert!(
            s.message
                .contains("their replies take about 3 hours instead of 12 minutes"),
            "{}",
            s.message
        );
        assert!(
            s.message
                .contains("and their messages are shorter (4 words instead of 9)"),
            "{}",
            s.message
        );
        assert!(!s.message.contains("owe"));
        assert!(s.suggestion.contains("no rush"));
        let keys: Vec<&str> = s.evidence.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "began",
                "weeks_since",
                "their_reply_minutes_before",
                "their_reply_minutes_after",
                "their_words_per_message_before",
                "their_words_per_message_after"
            ]
        );
    }

    #[test]
    fn a_busy_season_names_both_sides() {
        let drift = Drift {
            kind: DriftKind::BusySeason,
            began: date(2026, 3, 2),
            confidence: 0.7,
            indicators: vec![
                indicator(Measure::Messages, false, 20.0, 6.0),
                indicator(Measure::Messages, true, 18.0, 5.0),
            ],
        };
        let s = signal(FriendId(1), "Sam", &drift, date(2026, 4, 20));
        assert_eq!(s.kind, SignalKind::BusySeason);
        assert!(
            s.message.contains(
                "their messages went from about 20 to 6 a week and your messages went from about 18 to 5"
            ),
            "{}",
            s.message
        );
        assert!(s.message.contains("busy season for both"));
    }
}
