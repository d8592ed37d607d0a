//! Signals: early, explained notes about a friendship, each with the date it
//! began, its evidence, a confidence, warm words and a next step. This module
//! detects the ones the journal shows; chat-based drift is added elsewhere.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::balance::{Band, balance_history};
use crate::cadence::{CadenceState, CadenceStatus};
use crate::care::{chat_crossings, crossings};
use crate::interaction::Side;
use crate::names::named_enum;
use crate::record::FriendRecord;
use crate::words::{day, on_day, quoted};
use crate::{Context, id::FriendId};

named_enum! {
    /// What a signal is about.
    pub enum SignalKind as "signal kind" {
        /// They have grown slower, shorter, less enthusiastic, initiate less.
        Fatigue = "fatigue",
        /// I have been pulling back.
        Withdrawal = "withdrawal",
        /// Both slowed down at once.
        BusySeason = "busy-season",
        /// The balance has stayed outside the band for weeks.
        Imbalance = "imbalance",
        /// Time together has been leaving me drained.
        Depletion = "depletion",
        /// A check-in is past its rhythm.
        Overdue = "overdue",
        MissedFollowups = "missed-followups",
        Boundary = "boundary",
        UncelebratedWin = "uncelebrated-win",
        UntoldGratitude = "untold-gratitude",
    }
}

/// One number, date or word of a signal's evidence.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Evidence {
    Number(f64),
    Count(i64),
    Day(Date),
    Text(String),
}

impl From<f64> for Evidence {
    fn from(v: f64) -> Self {
        Evidence::Number((v * 1000.0).round() / 1000.0)
    }
}
impl From<i64> for Evidence {
    fn from(v: i64) -> Self {
        Evidence::Count(v)
    }
}
impl From<usize> for Evidence {
    fn from(v: usize) -> Self {
        Evidence::Count(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<Date> for Evidence {
    fn from(v: Date) -> Self {
        Evidence::Day(v)
    }
}
impl From<&str> for Evidence {
    fn from(v: &str) -> Self {
        Evidence::Text(v.to_owned())
    }
}

/// Serialises named evidence as one JSON object.
pub fn as_map<S: serde::Serializer>(
    evidence: &[(&'static str, Evidence)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(evidence.iter().map(|(k, v)| (k, v)))
}

/// A note about one friendship, explained.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Signal {
    pub friend: FriendId,
    pub kind: SignalKind,
    /// When what it describes began.
    pub began: Option<Date>,
    /// 0 to 1.
    pub confidence: f64,
    /// Named numbers behind it, in a stable order.
    #[serde(serialize_with = "as_map")]
    pub evidence: Vec<(&'static str, Evidence)>,
    pub message: String,
    pub suggestion: String,
}

/// Knobs of the journal signals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SignalConfig {
    /// Weeks outside the band before an imbalance is chronic.
    pub imbalance_weeks: usize,
    pub depletion_min_entries: usize,
    /// Mean energy at or below this is depletion.
    pub depletion_energy: f64,
    /// How far back boundary crossings and missed follow-ups are reported, in days.
    pub lookback_days: i64,
    /// How long good news waits to be celebrated on the agenda, in days.
    pub win_days: i64,
}

impl Default for SignalConfig {
    fn default() -> Self {
        SignalConfig {
            imbalance_weeks: 6,
            depletion_min_entries: 3,
            depletion_energy: -1.0,
            lookback_days: 30,
            win_days: 45,
        }
    }
}

fn local_day(t: Timestamp, tz: &TimeZone) -> Date {
    t.to_zoned(tz.clone()).date()
}

/// What the chats show (drift), per friend, as the analysis of weekly
/// measures finds it for the context's day. It is computed for a moment,
/// not read, so it travels beside the records rather than in them.
pub type Drift = std::collections::BTreeMap<FriendId, Vec<Signal>>;

/// Every signal for one friend: the journal's, then what the chats show.
pub fn signals(
    record: &FriendRecord,
    status: &CadenceStatus,
    drift: &Drift,
    cx: &Context<'_>,
) -> Vec<Signal> {
    let mut out = journal_signals(record, status, cx);
    out.extend(drift.get(&record.friend.id).into_iter().flatten().cloned());
    out
}

/// Every journal signal for one friend as of the context's moment.
pub fn journal_signals(record: &FriendRecord, status: &CadenceStatus, cx: &Context<'_>) -> Vec<Signal> {
    let mut out = Vec::new();
    out.extend(overdue(record, status, cx));
    out.extend(imbalance(record, cx));
    out.extend(depletion(record, cx));
    out.extend(missed_follow_ups(record, cx));
    out.extend(boundary_crossings(record, cx));
    out.extend(uncelebrated_wins(record, cx));
    out.extend(untold_gratitude(record, cx));
    out
}

fn overdue(record: &FriendRecord, status: &CadenceStatus, cx: &Context<'_>) -> Option<Signal> {
    let name = &record.friend.name;
    let ideal = status.cadence.ideal_days;
    let (message, suggestion) = match status.state {
        CadenceState::Overdue => (
            match status.last_contact {
                Some(last) => format!(
                    "It has been {} since you and {name} were last in touch ({}); you like to connect about {}.",
                    crate::words::days(status.days_since),
                    day(last, cx.today),
                    crate::words::every(ideal)
                ),
                None => format!(
                    "You and {name} have not logged any contact yet; you hoped to connect about {}.",
                    crate::words::every(ideal)
                ),
            },
            "A low-pressure message about something you both enjoy is an easy way back in.".to_owned(),
        ),
        CadenceState::LosingTouch => (
            format!(
                "It has been {} since you and {name} were in touch, longer than the {} you had in mind.",
                crate::words::days(status.days_since),
                crate::words::days(status.cadence.max_days)
            ),
            "No need to explain the gap: a warm \"thinking of you\" is enough to reconnect.".to_owned(),
        ),
        _ => return None,
    };
    let mut evidence = vec![
        ("days_since", status.days_since.into()),
        ("ideal_days", i64::from(ideal).into()),
        ("max_days", i64::from(status.cadence.max_days).into()),
    ];
    if let Some(until) = status.support_window_until {
        evidence.push(("support_window_until", until.into()));
    }
    Some(Signal {
        friend: record.friend.id,
        kind: SignalKind::Overdue,
        began: Some(status.due_on.min(cx.today)),
        confidence: 1.0,
        evidence,
        message,
        suggestion,
    })
}

fn imbalance(record: &FriendRecord, cx: &Context<'_>) -> Option<Signal> {
    let config = &cx.config.signals;
    let weeks: i64 = 26;
    let points: Vec<Timestamp> = (0..weeks)
        .rev()
        .filter_map(|w| cx.as_of.checked_sub(crate::days(7 * w)).ok())
        .collect();
    let history = balance_history(&record.exchanges, &record.agreements, &points, &cx.config.balance);
    // A week counts only with as much evidence as a verdict needs.
    let min_evidence = cx.config.balance.min_evidence;
    let band_of = |score| Band::of(score, cx.config.balance.band);
    let latest = history.last()?;
    let band = band_of(latest.score);
    if band == Band::Balanced || latest.weight < min_evidence {
        return None;
    }
    let run: Vec<_> = history
        .iter()
        .rev()
        .take_while(|p| band_of(p.score) == band && p.weight >= min_evidence)
        .collect();
    if run.len() < config.imbalance_weeks {
        return None;
    }
    let began = local_day(run.last()?.at, cx.tz);
    let name = &record.friend.name;
    let weeks_text = if run.len() as i64 >= weeks {
        "For months".to_owned()
    } else {
        format!("For the last {} weeks", run.len())
    };
    let (message, suggestion) = match band {
        Band::ICarryMore => (
            format!(
                "{weeks_text} you have been carrying more of the support with {name} (balance {:+.2}).",
                latest.score
            ),
            format!(
                "A gentle renegotiation could help: say what you need, ask what {name} can offer, and record what you settle on with `mutual agree`."
            ),
        ),
        _ => (
            format!(
                "{weeks_text} {name} has been carrying more of the support (balance {:+.2}).",
                latest.score
            ),
            format!(
                "Ask {name} what would help them lately, or offer something in the way they like to receive it."
            ),
        ),
    };
    let steady = (run.len() as f64 / (2 * config.imbalance_weeks) as f64).min(1.0);
    let evidence_weight = latest.weight / (latest.weight + 2.0);
    Some(Signal {
        friend: record.friend.id,
        kind: SignalKind::Imbalance,
        began: Some(began),
        confidence: round(0.5 * steady + 0.5 * evidence_weight),
        evidence: vec![
            ("score", latest.score.into()),
            ("band", band.as_str().into()),
            ("weeks", run.len().into()),
            ("weight", latest.weight.into()),
        ],
        message,
        suggestion,
    })
}

fn depletion(record: &FriendRecord, cx: &Context<'_>) -> Option<Signal> {
    let config = &cx.config.signals;
    // The energy figure every surface shows: the mean over the recent window.
    let energy = crate::energy::energy(&record.exchanges, cx.as_of, &cx.config.energy);
    let mean = energy.recent?;
    if energy.recent_entries < config.depletion_min_entries || mean > config.depletion_energy {
        return None;
    }
    let since = cx.as_of.checked_sub(crate::days(energy.window_days)).ok()?;
    let began = record
        .exchanges
        .iter()
        .filter(|e| e.at > since && e.at <= cx.as_of)
        .find(|e| e.energy.is_some_and(|v| v.get() < 0))
        .map(|e| local_day(e.at, cx.tz));
    let name = &record.friend.name;
    let n = energy.recent_entries;
    Some(Signal {
        friend: record.friend.id,
        kind: SignalKind::Depletion,
        began,
        confidence: round(n as f64 / (n as f64 + 2.0)),
        evidence: vec![
            ("mean_energy", mean.into()),
            ("entries", n.into()),
            ("window_days", energy.window_days.into()),
        ],
        message: format!(
            "Time with {name} has been leaving you low on energy lately ({mean:+.1} on average over the last {}, {n} entries).",
            crate::words::window(energy.window_days)
        ),
        suggestion: "It is okay to take some space or choose lighter ways to connect; saying what you need is a kindness too."
            .to_owned(),
    })
}

fn missed_follow_ups(record: &FriendRecord, cx: &Context<'_>) -> Option<Signal> {
    let since = cx
        .today
        .checked_sub(cx.config.signals.lookback_days.days())
        .ok()?;
    let mut missed: Vec<_> = record
        .follow_ups
        .iter()
        .filter(|f| f.due >= since && f.state(cx.today, cx.tz) == crate::followup::FollowUpState::Missed)
        .collect();
    missed.sort_by_key(|f| f.due);
    let latest = missed.last()?;
    let name = &record.friend.name;
    let message = if missed.len() == 1 {
        format!(
            "You meant to come back to {name} about {} by {}.",
            quoted(&latest.text),
            day(latest.due, cx.today)
        )
    } else {
        format!(
            "{} follow-ups with {name} slipped past their dates, most recently {} ({}).",
            missed.len(),
            quoted(&latest.text),
            day(latest.due, cx.today)
        )
    };
    Some(Signal {
        friend: record.friend.id,
        kind: SignalKind::MissedFollowups,
        began: Some(missed[0].due),
        confidence: 1.0,
        evidence: vec![("missed", missed.len().into()), ("latest_due", latest.due.into())],
        message,
        suggestion: format!(
            "It is not too late: \"I've been thinking about what you told me\" still shows {name} you care. Mark it done with `mutual followup done {}`.",
            latest.id
        ),
    })
}

fn boundary_crossings(record: &FriendRecord, cx: &Context<'_>) -> Vec<Signal> {
    let Ok(since) = cx.as_of.checked_sub(crate::days(cx.config.signals.lookback_days)) else {
        return Vec::new();
    };
    let name = &record.friend.name;
    record
        .boundaries
        .iter()
        .filter_map(|b| {
            let mut found: Vec<_> = crossings(b, &record.exchanges, cx.tz)
                .into_iter()
                .chain(chat_crossings(b, &record.chat_contacts, cx.tz))
                .filter(|c| c.at > since && c.at <= cx.as_of)
                .collect();
            found.sort_by_key(|c| c.at);
            let latest = found.last()?;
            let when = latest.at.to_zoned(cx.tz.clone());
            let moment = format!("{} at {}", on_day(when.date(), cx.today), when.strftime("%H:%M"));
            let rule = b.rule.as_ref().map(|r| r.describe()).unwrap_or_default();
            let times = if found.len() > 1 { format!(" ({} times in the last {})", found.len(), crate::words::days(cx.config.signals.lookback_days)) } else { String::new() };
            let (message, suggestion) = match b.whose {
                Side::Them => (
                    format!("Contact {moment} went past {name}'s boundary: {rule}{times}."),
                    format!("Keeping to what {name} asked for shows you heard them; a quick word of acknowledgement goes a long way."),
                ),
                Side::Me => (
                    format!("{name} reached out {moment}, past the boundary you set: {rule}{times}."),
                    format!("It is fine to answer in your own time and to remind {name} kindly of what works for you."),
                ),
            };
            Some(Signal {
                friend: record.friend.id,
                kind: SignalKind::Boundary,
                began: Some(local_day(found[0].at, cx.tz)),
                confidence: 1.0,
                evidence: vec![
                    ("boundary", b.id.0.into()),
                    ("whose", b.whose.as_str().into()),
                    ("crossings", found.len().into()),
                    ("rule", rule.as_str().into()),
                ],
                message,
                suggestion,
            })
        })
        .collect()
}

fn uncelebrated_wins(record: &FriendRecord, cx: &Context<'_>) -> Vec<Signal> {
    let Ok(since) = cx.as_of.checked_sub(crate::days(cx.config.signals.win_days)) else {
        return Vec::new();
    };
    let name = &record.friend.name;
    record
        .wins
        .iter()
        .filter(|w| w.is_uncelebrated() && w.at > since && w.at <= cx.as_of)
        .map(|w| {
            let on = local_day(w.at, cx.tz);
            Signal {
                friend: record.friend.id,
                kind: SignalKind::UncelebratedWin,
                began: Some(on),
                confidence: 0.8,
                evidence: vec![("win", w.id.0.into()), ("shared_on", on.into())],
                message: format!(
                    "{name} shared good news {}: {}. There is no celebration logged yet.",
                    on_day(on, cx.today),
                    quoted(&w.text)
                ),
                suggestion: format!(
                    "Asking {name} how it feels, or what comes next, would still land well. Then: `mutual win respond {} enthusiastic`.",
                    w.id
                ),
            }
        })
        .collect()
}

fn untold_gratitude(record: &FriendRecord, cx: &Context<'_>) -> Vec<Signal> {
    let Ok(before) = cx.as_of.checked_sub(crate::days(1)) else {
        return Vec::new();
    };
    let name = &record.friend.name;
    record
        .gratitude
        .iter()
        .filter(|g| g.told_at.is_none() && g.at <= before)
        .map(|g| {
            let on = local_day(g.at, cx.tz);
            Signal {
                friend: record.friend.id,
                kind: SignalKind::UntoldGratitude,
                began: Some(on),
                confidence: 0.9,
                evidence: vec![("gratitude", g.id.0.into()), ("noted_on", on.into())],
                message: format!(
                    "You noted being grateful to {name} for {} ({}).",
                    quoted(&g.text),
                    day(on, cx.today)
                ),
                suggestion: format!(
                    "Telling {name} takes a minute and can mean a lot. Afterwards: `mutual thanks told {}`.",
                    g.id
                ),
            }
        })
        .collect()
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::cadence_status;
    use crate::care::{Boundary, BoundaryRule};
    use crate::followup::FollowUp;
    use crate::friend::{Cadence, Friend};
    use crate::id::{BoundaryId, FollowUpId, GratitudeId, WinId};
    use crate::interaction::{Channel, Energy, Exchange, Initiator};
    use crate::moments::{Gratitude, Win, WinResponse};
    use crate::{ModelConfig, days};
    use jiff::civil::{date, time};

    fn now() -> Timestamp {
        "2026-06-15T12:00:00Z".parse().unwrap()
    }

    fn record() -> FriendRecord {
        FriendRecord::new(Friend {
            id: FriendId(1),
            name: "Sam".into(),
            aliases: vec![],
            circle: None,
            cadence: Some(Cadence::new(7, 21).unwrap()),
            notes: None,
            pauses: vec![],
            snoozed_until: None,
            birthday: None,
            added_at: now() - days(400),
        })
    }

    fn signals(record: &FriendRecord) -> Vec<Signal> {
        let config = ModelConfig::default();
        let tz = TimeZone::UTC;
        let cx = Context::new(now(), &tz, &config);
        let status = cadence_status(
            &record.friend,
            record.last_contact(cx.as_of),
            record.last_hard_news(cx.as_of),
            cx.today,
            cx.tz,
            &config.cadence,
        );
        journal_signals(record, &status, &cx)
    }

    fn kinds(record: &FriendRecord) -> Vec<SignalKind> {
        signals(record).iter().map(|s| s.kind).collect()
    }

    fn entry(days_ago: i64, gave: &str, got: &str, energy: Option<i64>) -> Exchange {
        Exchange {
            gave: gave.parse().unwrap(),
            got: got.parse().unwrap(),
            energy: energy.and_then(Energy::new),
            ..Exchange::at(now() - days(days_ago))
        }
    }

    #[test]
    fn a_healthy_friendship_has_no_signals() {
        let mut r = record();
        r.exchanges = (0..30)
            .rev()
            .map(|w| entry(w * 5 + 1, "listening:2", "advice:2", Some(2)))
            .collect();
        assert!(kinds(&r).is_empty(), "{:?}", signals(&r));
    }

    #[test]
    fn chronic_imbalance_needs_weeks_outside_the_band() {
        let mut r = record();
        // Balanced for a year, one-sided for the last four weeks: not chronic yet.
        r.exchanges = (0..50)
            .rev()
            .map(|w| entry(w * 7 + 1, "listening:2", "listening:2", None))
            .collect();
        let recent: Vec<_> = (0..4)
            .rev()
            .map(|w| entry(w * 7, "practical:3,listening:3", "", None))
            .collect();
        r.exchanges.extend(recent);
        r.exchanges.sort_by_key(|e| e.at);
        assert!(!kinds(&r).contains(&SignalKind::Imbalance));

        // One-sided for ten weeks: chronic, and it says since when.
        let mut r = record();
        r.exchanges = (0..70).rev().map(|d| entry(d, "listening:3", "", None)).collect();
        let s = signals(&r)
            .into_iter()
            .find(|s| s.kind == SignalKind::Imbalance)
            .unwrap();
        assert!(
            s.message.contains("carrying more of the support with Sam"),
            "{}",
            s.message
        );
        assert!(s.began.unwrap() <= date(2026, 5, 4), "{:?}", s.began);
        assert!((0.0..=1.0).contains(&s.confidence));
    }

    #[test]
    fn depletion_needs_several_low_entries() {
        let mut r = record();
        r.exchanges = vec![entry(3, "", "", Some(-3)), entry(1, "", "", Some(-2))];
        assert!(!kinds(&r).contains(&SignalKind::Depletion));
        r.exchanges.insert(0, entry(10, "", "", Some(-1)));
        let s = signals(&r)
            .into_iter()
            .find(|s| s.kind == SignalKind::Depletion)
            .unwrap();
        assert_eq!(s.began, Some(date(2026, 6, 5)));
        assert!(s.message.contains("-2.0"), "{}", s.message);
        r.exchanges.push(entry(0, "", "", Some(3)));
        r.exchanges.push(entry(0, "", "", Some(3)));
        assert!(!kinds(&r).contains(&SignalKind::Depletion));
    }

    #[test]
    fn overdue_and_losing_touch() {
        let mut r = record();
        r.exchanges = vec![entry(9, "", "", None)];
        let s = signals(&r);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].kind, SignalKind::Overdue);
        assert!(s[0].message.contains("every 7"), "{}", s[0].message);
        r.exchanges = vec![entry(30, "", "", None)];
        assert!(signals(&r)[0].message.contains("longer than the 21"));
        r.last_message = Some(now() - days(1));
        assert!(kinds(&r).is_empty(), "an imported message is contact too");
    }

    #[test]
    fn missed_follow_ups_are_gentle_and_recent() {
        let mut r = record();
        r.exchanges = vec![entry(1, "", "", None)];
        let f = |id, due, done: Option<Timestamp>| FollowUp {
            id: FollowUpId(id),
            friend: FriendId(1),
            text: "ask about the interview".into(),
            due,
            created_at: now() - days(60),
            done_at: done,
            interaction: None,
        };
        r.follow_ups = vec![
            f(1, date(2026, 6, 10), None),
            f(2, date(2026, 6, 12), Some(now())),
            f(3, date(2026, 4, 1), None),
            f(4, date(2026, 6, 20), None),
        ];
        let s = signals(&r);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].kind, SignalKind::MissedFollowups);
        assert_eq!(s[0].began, Some(date(2026, 6, 10)));
        assert!(s[0].message.contains("ask about the interview"));
        assert!(s[0].suggestion.contains("not too late"));
    }

    #[test]
    fn boundary_crossings_name_whose_boundary() {
        let mut r = record();
        let late = Exchange {
            initiator: Initiator::Me,
            channel: Channel::Call,
            ..Exchange::at("2026-06-13T23:30:00Z".parse().unwrap())
        };
        r.exchanges = vec![late];
        r.boundaries = vec![Boundary {
            id: BoundaryId(4),
            friend: FriendId(1),
            whose: Side::Them,
            text: "sleep".into(),
            since: date(2026, 1, 1),
            rule: Some(BoundaryRule::quiet_hours(
                time(22, 0, 0, 0),
                time(7, 0, 0, 0),
                vec![],
            )),
        }];
        let s = signals(&r);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].kind, SignalKind::Boundary);
        assert!(s[0].message.contains("Sam's boundary"), "{}", s[0].message);
        assert!(s[0].message.contains("23:30"), "{}", s[0].message);
        assert_eq!(s[0].began, Some(date(2026, 6, 13)));
    }

    #[test]
    fn wins_and_gratitude_wait_gently() {
        let mut r = record();
        r.exchanges = vec![entry(1, "", "", None)];
        let win = |id, days_ago, response| Win {
            id: WinId(id),
            friend: FriendId(1),
            at: now() - days(days_ago),
            text: "new job".into(),
            response,
        };
        r.wins = vec![
            win(1, 3, None),
            win(2, 5, Some(WinResponse::Enthusiastic)),
            win(3, 90, None),
            win(4, 7, Some(WinResponse::Missed)),
        ];
        let thanks = |id, hours_ago: i64, told| Gratitude {
            id: GratitudeId(id),
            friend: FriendId(1),
            at: now() - jiff::SignedDuration::from_hours(hours_ago),
            text: "the soup".into(),
            told_at: told,
        };
        r.gratitude = vec![
            thanks(1, 48, None),
            thanks(2, 5, None),
            thanks(3, 100, Some(now())),
        ];
        let s = signals(&r);
        let wins: Vec<_> = s
            .iter()
            .filter(|s| s.kind == SignalKind::UncelebratedWin)
            .collect();
        assert_eq!(wins.len(), 2);
        let untold: Vec<_> = s
            .iter()
            .filter(|s| s.kind == SignalKind::UntoldGratitude)
            .collect();
        assert_eq!(untold.len(), 1);
        assert!(untold[0].message.contains("the soup"));
    }
}
