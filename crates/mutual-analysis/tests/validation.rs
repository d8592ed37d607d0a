//! Drift detection on seeded two-person chats with planted changes: fatigue
//! is found near the planted week, busy seasons are not taken for fatigue,
//! and quiet, unchanged chats stay quiet.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use mutual_analysis::conversation::ChatMessage;
use mutual_analysis::drift::{DriftConfig, DriftKind, drifts};
use mutual_analysis::synth::{Plan, Scenario, generate};
use mutual_analysis::text::{Features, features, features_unread};
use mutual_analysis::weekly::{WeekConfig, weeks};

const SEEDS: u64 = 40;

/// What drift detection reported for one generated chat, and when the
/// planted change began.
struct Outcome {
    planted: Date,
    found: Vec<(DriftKind, Date)>,
}

fn run(scenario: Scenario, seed: u64) -> Outcome {
    run_read(scenario, seed, |text, _, _| features(text))
}

/// [`run`], with each message's features read by `read(text, from_me,
/// after the planted week)`.
fn run_read(scenario: Scenario, seed: u64, read: impl Fn(&str, bool, bool) -> Features) -> Outcome {
    let start: Timestamp = "2024-01-01T00:00:00Z".parse().expect("valid");
    // The change comes after 16 to 25 weeks; the as-of date 8 to 15 weeks later.
    let change_week = 16 + (seed % 10) as usize;
    let total = change_week + 8 + (seed % 8) as usize;
    let plan = Plan::new(seed, scenario, start, total, change_week);
    let chat: Vec<ChatMessage> = generate(&plan)
        .iter()
        .map(|m| {
            let planted = start + SignedDuration::from_hours(24 * 7 * change_week as i64);
            let f = read(&m.text, m.from_me, m.at >= planted);
            ChatMessage {
                at: m.at,
                from_me: m.from_me,
                words: f.words,
                compound: f.sentiment.compound as f32,
                toned: f.lang.is_some(),
                emoji_sentiment: f.emoji_sentiment,
                emoji: f.emoji,
                flags: f.flags,
                style: f.style,
            }
        })
        .collect();
    let tz = TimeZone::UTC;
    let all = weeks(&[&chat], Date::MIN, Date::MAX, &tz, &WeekConfig::default());
    let day = |t: Timestamp| t.to_zoned(tz.clone()).date();
    let through = day(start + SignedDuration::from_hours(24 * 7 * total as i64 - 1));
    let found = drifts(&all, through, &DriftConfig::default())
        .into_iter()
        .map(|d| (d.kind, d.began))
        .collect();
    Outcome {
        planted: day(start + SignedDuration::from_hours(24 * 7 * change_week as i64)),
        found,
    }
}

fn within_three_weeks(a: Date, b: Date) -> bool {
    a.since(b).is_ok_and(|span| span.get_days().abs() <= 21)
}

fn share(n: usize, of: u64) -> f64 {
    n as f64 / of as f64
}

#[test]
fn planted_drifts_are_found_and_busy_seasons_are_not_fatigue() {
    let fatigue: Vec<Outcome> = (0..SEEDS).map(|s| run(Scenario::Fatigue, s)).collect();
    let busy: Vec<Outcome> = (0..SEEDS).map(|s| run(Scenario::BusySeason, 100 + s)).collect();
    let control: Vec<Outcome> = (0..SEEDS).map(|s| run(Scenario::Control, 200 + s)).collect();
    let withdrawal: Vec<Outcome> = (0..SEEDS).map(|s| run(Scenario::Withdrawal, 300 + s)).collect();

    let found_near = |outcomes: &[Outcome], kind: DriftKind| {
        outcomes
            .iter()
            .filter(|o| {
                o.found
                    .iter()
                    .any(|&(k, began)| k == kind && within_three_weeks(began, o.planted))
            })
            .count()
    };
    let reported = |outcomes: &[Outcome], kinds: &[DriftKind]| {
        outcomes
            .iter()
            .filter(|o| o.found.iter().any(|(k, _)| kinds.contains(k)))
            .count()
    };
    let fatigue_found = found_near(&fatigue, DriftKind::Fatigue);
    let withdrawal_found = found_near(&withdrawal, DriftKind::Withdrawal);
    let busy_found = found_near(&busy, DriftKind::BusySeason);
    let busy_as_fatigue = reported(&busy, &[DriftKind::Fatigue, DriftKind::Withdrawal]);
    let control_alarms = reported(&control, &[DriftKind::Fatigue, DriftKind::Withdrawal]);
    let control_any = reported(
        &control,
        &[DriftKind::Fatigue, DriftKind::Withdrawal, DriftKind::BusySeason],
    );
    println!("drift validation over {SEEDS} seeds per scenario:");
    println!(
        "  fatigue found, began within 3 weeks:      {:>5.1}%",
        100.0 * share(fatigue_found, SEEDS)
    );
    println!(
        "  withdrawal found, began within 3 weeks:   {:>5.1}%",
        100.0 * share(withdrawal_found, SEEDS)
    );
    println!(
        "  busy season found, began within 3 weeks:  {:>5.1}%",
        100.0 * share(busy_found, SEEDS)
    );
    println!(
        "  busy seasons reported as fatigue/withdrawal: {:>5.1}%",
        100.0 * share(busy_as_fatigue, SEEDS)
    );
    println!(
        "  controls with fatigue or withdrawal:      {:>5.1}%",
        100.0 * share(control_alarms, SEEDS)
    );
    println!(
        "  controls with any drift:                  {:>5.1}%",
        100.0 * share(control_any, SEEDS)
    );

    assert!(
        share(fatigue_found, SEEDS) >= 0.9,
        "fatigue found in {fatigue_found} of {SEEDS}"
    );
    assert!(
        share(withdrawal_found, SEEDS) >= 0.9,
        "withdrawal found in {withdrawal_found} of {SEEDS}"
    );
    assert!(
        share(control_alarms, SEEDS) <= 0.05,
        "false alarms in {control_alarms} of {SEEDS} controls"
    );
    assert!(
        share(busy_as_fatigue, SEEDS) <= 0.1,
        "busy seasons taken for fatigue in {busy_as_fatigue} of {SEEDS}"
    );
}

/// A chat that moves to a language `mutual` cannot read keeps its rhythm:
/// its tone is no longer measured, which must not read as a change of
/// heart. Both sides switching, and only the friend.
#[test]
fn a_chat_that_changes_language_does_not_drift_by_itself() {
    for (who, switches) in [("both", [true, true]), ("the friend", [false, true])] {
        let outcomes: Vec<Outcome> = (0..SEEDS)
            .map(|s| {
                run_read(Scenario::Control, 400 + s, |text, from_me, after| {
                    if after && switches[usize::from(!from_me)] {
                        features_unread(text)
                    } else {
                        features(text)
                    }
                })
            })
            .collect();
        let alarms = outcomes.iter().filter(|o| !o.found.is_empty()).count();
        println!("  chats where {who} changed language, with any drift: {alarms} of {SEEDS}");
        assert!(
            share(alarms, SEEDS) <= 0.05,
            "{alarms} of {SEEDS} chats where {who} changed language drifted"
        );
    }
}
