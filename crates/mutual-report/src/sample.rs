//! A seeded, synthetic report for examples, tests and previews: a year of
//! three friendships. Sam is steady and busy lately, Priya renegotiated
//! after a lopsided spring, and Jordan's chats come and go, with long gaps
//! and no journal at all.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::model::{FriendReport, Note, Report, Side, SignalView, Week, Whose};

/// A year (52 weeks up to `today`) of three friendships, the same for the same seed.
pub fn report(seed: u64, today: Date) -> Report {
    let mut rng = fastrand::Rng::with_seed(seed);
    let first_monday = monday_of(today) - 51.weeks();
    let mondays: Vec<Date> = (0..52).map(|k| first_monday + (7 * k).days()).collect();
    Report {
        title: "Your friendships".to_owned(),
        generated: today,
        friends: vec![
            sam(&mut rng, &mondays, today),
            priya(&mut rng, &mondays, today),
            jordan(&mut rng, &mondays),
        ],
        coming_up: vec![
            (today + 2.days(), "Sam's birthday is on Saturday.".to_owned()),
            (
                today + 4.days(),
                "Come back to Priya about \u{201c}the flat viewing\u{201d} (due Monday).".to_owned(),
            ),
        ],
    }
}

fn monday_of(day: Date) -> Date {
    day - i64::from(day.weekday().to_monday_zero_offset()).days()
}

/// How one person chats in a week, before noise.
#[derive(Clone, Copy, Debug)]
struct Habit {
    messages: f64,
    start_share: f64,
    reply_minutes: f64,
    words: f64,
    tone: f64,
    toward: f64,
}

fn normal(rng: &mut fastrand::Rng) -> f64 {
    // Box–Muller.
    let (u, v) = (rng.f64().max(1e-12), rng.f64());
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn week(rng: &mut fastrand::Rng, monday: Date, me: Habit, them: Habit) -> Week {
    let noisy = |rng: &mut fastrand::Rng, mean: f64| (mean * (1.0 + 0.35 * normal(rng))).max(0.0);
    let my_messages = noisy(rng, me.messages).round() as u32;
    let their_messages = noisy(rng, them.messages).round() as u32;
    let conversations = (my_messages + their_messages).div_ceil(14);
    let my_share = (me.start_share + 0.15 * normal(rng)).clamp(0.0, 1.0);
    let my_starts = (f64::from(conversations) * my_share).round() as u32;
    let side = |rng: &mut fastrand::Rng, habit: Habit, messages: u32, starts: u32| {
        let any = messages > 0;
        Side {
            messages,
            initiations: starts,
            words_per_message: any.then(|| (habit.words + 2.5 * normal(rng)).max(1.0)),
            reply_median_minutes: any.then(|| habit.reply_minutes * (0.5 * normal(rng)).exp()),
            enthusiasm: any.then(|| (habit.tone + 0.12 * normal(rng)).clamp(-1.0, 1.0)),
            untoned: 0,
            bids: messages / 6,
            turned_toward: None,
        }
    };
    let mut mine = side(rng, me, my_messages, my_starts);
    let mut theirs = side(rng, them, their_messages, conversations - my_starts);
    let toward = |rng: &mut fastrand::Rng, habit: Habit| (habit.toward + 0.1 * normal(rng)).clamp(0.0, 1.0);
    mine.turned_toward = (theirs.bids > 0).then(|| toward(rng, me));
    theirs.turned_toward = (mine.bids > 0).then(|| toward(rng, them));
    Week {
        monday,
        me: mine,
        them: theirs,
    }
}

/// A journal series: one entry every `every` days or so, following `level(t)`
/// for t in 0 … 1 across the year.
fn journal(
    rng: &mut fastrand::Rng,
    from: Date,
    to: Date,
    every: i64,
    level: impl Fn(f64) -> f64,
    noise: f64,
    range: (f64, f64),
) -> Vec<(Date, f64)> {
    let total = to.duration_since(from).as_secs() as f64 / 86_400.0;
    let mut out = Vec::new();
    let mut day = from + rng.i64(0..every).days();
    while day <= to {
        let t = day.duration_since(from).as_secs() as f64 / 86_400.0 / total;
        let value = (level(t) + noise * normal(rng)).clamp(range.0, range.1);
        out.push((day, (value * 100.0).round() / 100.0));
        day += rng.i64(every / 2..every * 3 / 2 + 1).days();
    }
    out
}

fn note(whose: Whose, text: &str, since: Option<Date>, detail: Option<&str>) -> Note {
    Note {
        whose,
        text: text.to_owned(),
        since,
        detail: detail.map(str::to_owned),
    }
}

fn sam(rng: &mut fastrand::Rng, mondays: &[Date], today: Date) -> FriendReport {
    let me = Habit {
        messages: 40.0,
        start_share: 0.5,
        reply_minutes: 14.0,
        words: 11.0,
        tone: 0.32,
        toward: 0.86,
    };
    let busy_from = mondays[34];
    let weeks = mondays
        .iter()
        .map(|&monday| {
            let mut them = Habit {
                messages: 42.0,
                start_share: 0.5,
                reply_minutes: 22.0,
                words: 13.0,
                tone: 0.35,
                toward: 0.82,
            };
            let mut mine = me;
            if monday >= busy_from {
                // Both slow down at once: a busy season, not fatigue.
                them.messages *= 0.55;
                them.reply_minutes *= 3.0;
                mine.messages *= 0.6;
                mine.reply_minutes *= 2.0;
            }
            week(rng, monday, mine, them)
        })
        .collect();
    let year_ago = mondays[0];
    let last_contact = today - 4.days();
    FriendReport {
        band: "balanced (B = +0.04)".to_owned(),
        cadence: "on track".to_owned(),
        last_contact: Some(last_contact),
        weeks,
        balance: journal(
            rng,
            year_ago,
            today,
            10,
            |t| 0.08 * (t * 9.0).sin(),
            0.06,
            (-1.0, 1.0),
        ),
        energy: journal(rng, year_ago, today, 10, |_| 1.4, 1.0, (-3.0, 3.0)),
        signals: vec![
            SignalView {
                kind: "busy-season".to_owned(),
                began: Some(busy_from),
                confidence: 0.82,
                message: "You and Sam both slowed down at the same time; replies take longer \
                          on both sides."
                    .to_owned(),
                suggestion: "Nothing to fix: a short \"thinking of you\" keeps the thread warm \
                             until things calm down."
                    .to_owned(),
            },
            SignalView {
                kind: "uncelebrated-win".to_owned(),
                began: Some(today - 9.days()),
                confidence: 0.7,
                message: "Sam shared that the new job offer came through.".to_owned(),
                suggestion: "Ask how the first week is going and what they are most excited \
                             about."
                    .to_owned(),
            },
        ],
        needs: vec![
            note(
                Whose::Mine,
                "A heads-up when plans change on the day",
                Some(year_ago + 40.days()),
                None,
            ),
            note(
                Whose::Theirs,
                "Quiet time after long work weeks",
                Some(year_ago + 95.days()),
                None,
            ),
        ],
        boundaries: vec![note(
            Whose::Theirs,
            "No calls late at night",
            Some(year_ago + 95.days()),
            Some("quiet hours 23:00–07:00 for calls"),
        )],
        agreements: Vec::new(),
        follow_ups: vec![
            note(
                Whose::Mine,
                "Ask how the new job is going",
                None,
                Some("open; due in 3 days"),
            ),
            note(Whose::Mine, "Send the hiking photos", None, Some("done on 2 Mar")),
        ],
        wins: vec![note(
            Whose::Theirs,
            "Finished the first half marathon",
            Some(today - 20.days()),
            Some("celebrated together"),
        )],
        gratitude: vec![note(
            Whose::Mine,
            "Helping me move the sofa",
            Some(today - 40.days()),
            Some("not told yet"),
        )],
        ..FriendReport::new("Sam")
    }
}

fn priya(rng: &mut fastrand::Rng, mondays: &[Date], today: Date) -> FriendReport {
    let talk = mondays[26];
    let weeks = mondays
        .iter()
        .map(|&monday| {
            let before = monday < talk;
            let me = Habit {
                messages: if before { 55.0 } else { 38.0 },
                start_share: if before { 0.78 } else { 0.55 },
                reply_minutes: 8.0,
                words: if before { 19.0 } else { 14.0 },
                tone: 0.28,
                toward: 0.9,
            };
            let them = Habit {
                messages: if before { 30.0 } else { 36.0 },
                start_share: 0.5,
                reply_minutes: if before { 95.0 } else { 45.0 },
                words: 9.0,
                tone: if before { 0.12 } else { 0.3 },
                toward: if before { 0.55 } else { 0.78 },
            };
            week(rng, monday, me, them)
        })
        .collect();
    let year_ago = mondays[0];
    let talk_t = 26.0 / 52.0;
    FriendReport {
        band: "balanced (B = +0.02), after a lopsided spring".to_owned(),
        energy_lately: "Over the last 4 weeks you have felt a little energized after time together \
                        (+1.0 on a scale from −3 to +3, 4 logged times)."
            .to_owned(),
        cadence: "due in 2 days".to_owned(),
        last_contact: Some(today - 5.days()),
        weeks,
        balance: journal(
            rng,
            year_ago,
            today,
            7,
            |t| {
                if t < talk_t {
                    0.25 + 0.35 * t / talk_t
                } else {
                    0.6 * (-(t - talk_t) * 9.0).exp()
                }
            },
            0.05,
            (-1.0, 1.0),
        ),
        energy: journal(
            rng,
            year_ago,
            today,
            7,
            |t| if t < talk_t { -1.2 } else { 1.0 },
            0.9,
            (-3.0, 3.0),
        ),
        signals: vec![
            SignalView {
                kind: "imbalance".to_owned(),
                began: Some(mondays[8]),
                confidence: 0.88,
                message: "For a few months you were carrying more of the support between you \
                          and Priya."
                    .to_owned(),
                suggestion: "You already talked it through; keep an eye on whether the new \
                             rhythm still feels right to both of you."
                    .to_owned(),
            },
            SignalView {
                kind: "depletion".to_owned(),
                began: Some(mondays[14]),
                confidence: 0.64,
                message: "Time with Priya in spring often left you drained.".to_owned(),
                suggestion: "Shorter, lighter plans can help while things settle.".to_owned(),
            },
        ],
        needs: vec![
            note(Whose::Mine, "To be asked how I am doing, too", Some(talk), None),
            note(
                Whose::Theirs,
                "Practical help with the move",
                Some(year_ago + 20.days()),
                None,
            ),
        ],
        boundaries: vec![note(
            Whose::Mine,
            "A few days of quiet after a disagreement",
            Some(talk),
            Some("cool-down of 3 days after conflict"),
        )],
        agreements: vec![note(
            Whose::Both,
            "We take turns planning; hard news gets a call, not a text.",
            Some(talk),
            Some("they: practical help; me: listening"),
        )],
        ..FriendReport::new("Priya")
    }
}

fn jordan(rng: &mut fastrand::Rng, mondays: &[Date]) -> FriendReport {
    let me = Habit {
        messages: 9.0,
        start_share: 0.7,
        reply_minutes: 35.0,
        words: 8.0,
        tone: 0.22,
        toward: 0.8,
    };
    let them = Habit {
        messages: 7.0,
        start_share: 0.3,
        reply_minutes: 240.0,
        words: 6.0,
        tone: 0.18,
        toward: 0.6,
    };
    let weeks: Vec<Week> = mondays
        .iter()
        .enumerate()
        // Long silences (weeks 14–21 and the last six), and odd quiet weeks.
        .filter_map(|(k, &monday)| {
            let quiet = (14..22).contains(&k) || k >= 46 || rng.f64() < 0.2;
            (!quiet).then(|| week(rng, monday, me, them))
        })
        .collect();
    let last_contact = weeks.last().map(|w| w.monday + 2.days());
    FriendReport {
        band: String::new(),
        cadence: "overdue by 3 weeks".to_owned(),
        last_contact,
        weeks,
        signals: vec![
            SignalView {
                kind: "overdue".to_owned(),
                began: None,
                confidence: 0.95,
                message: "It has been a while since you and Jordan were in touch.".to_owned(),
                suggestion: "A low-pressure message about something you both enjoy could be \
                             a gentle way back in."
                    .to_owned(),
            },
            SignalView {
                kind: "fatigue".to_owned(),
                began: Some(mondays[30]),
                confidence: 0.41,
                message: "Jordan's replies have slowed and shortened since the summer.".to_owned(),
                suggestion: "They may simply be stretched thin; ask how they are, with no \
                             need to reply quickly."
                    .to_owned(),
            },
        ],
        ..FriendReport::new("Jordan")
    }
}
