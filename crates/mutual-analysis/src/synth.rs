//! A seeded generator of two-person chats with planted changes, for
//! validating drift detection, for benchmarks and for the demo.
//!
//! Each week, each person starts conversations at their own rate; a
//! conversation goes back and forth for a few turns, each reply after a
//! delay drawn around the person's typical reply time, until someone takes
//! longer than the conversation gap. Messages are made of everyday words;
//! a warmer person uses warm words, exclamations and questions more often.
//! From the planted week on, a scenario changes one or both people.

use jiff::{SignedDuration, Timestamp};

/// What changes at the planted week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Nothing.
    Control,
    /// They grow slower, shorter, less warm and start fewer conversations.
    Fatigue,
    /// I do.
    Withdrawal,
    /// Both of us write less and reply more slowly, each as before otherwise.
    BusySeason,
}

/// How one person writes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Conversations started per week.
    pub starts_per_week: f64,
    /// Typical reply time, in minutes (the median of a log-normal).
    pub reply_minutes: f64,
    /// Typical words per message.
    pub words: f64,
    /// Chance that a message is warm (warm words or an exclamation).
    pub warmth: f64,
}

impl Style {
    fn changed(self, starts: f64, reply: f64, words: f64, warmth: f64) -> Style {
        Style {
            starts_per_week: self.starts_per_week * starts,
            reply_minutes: self.reply_minutes * reply,
            words: self.words * words,
            warmth: self.warmth * warmth,
        }
    }
}

/// A chat to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub seed: u64,
    pub scenario: Scenario,
    /// The Monday (UTC midnight) the chat starts.
    pub start: Timestamp,
    pub weeks: usize,
    /// The week (from 0) the change begins.
    pub change_week: usize,
    pub me: Style,
    pub them: Style,
}

impl Plan {
    /// A plan with typical people: a couple of conversations each a week,
    /// replies within half an hour.
    pub fn new(seed: u64, scenario: Scenario, start: Timestamp, weeks: usize, change_week: usize) -> Plan {
        let mut rng = fastrand::Rng::with_seed(seed ^ 0x9e37_79b9_7f4a_7c15);
        let mut person = || Style {
            starts_per_week: 2.0 + rng.f64() * 2.0,
            reply_minutes: 8.0 + rng.f64() * 20.0,
            words: 7.0 + rng.f64() * 5.0,
            warmth: 0.45 + rng.f64() * 0.2,
        };
        Plan {
            seed,
            scenario,
            start,
            weeks,
            change_week,
            me: person(),
            them: person(),
        }
    }

    /// The two people in week `week`: (me, them).
    pub fn styles(&self, week: usize) -> (Style, Style) {
        if week < self.change_week {
            return (self.me, self.them);
        }
        let tired = |s: Style| s.changed(0.35, 4.0, 0.45, 0.3);
        match self.scenario {
            Scenario::Control => (self.me, self.them),
            Scenario::Fatigue => (self.me, tired(self.them)),
            Scenario::Withdrawal => (tired(self.me), self.them),
            Scenario::BusySeason => {
                let busy = |s: Style| s.changed(0.35, 3.5, 1.0, 1.0);
                (busy(self.me), busy(self.them))
            }
        }
    }
}

/// One generated message.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedMessage {
    pub at: Timestamp,
    pub from_me: bool,
    pub text: String,
}

const PLAIN: &[&str] = &[
    "the",
    "train",
    "was",
    "late",
    "again",
    "today",
    "I",
    "made",
    "soup",
    "for",
    "dinner",
    "work",
    "is",
    "okay",
    "we",
    "should",
    "plan",
    "a",
    "walk",
    "on",
    "Sunday",
    "my",
    "sister",
    "visited",
    "with",
    "the",
    "kids",
    "reading",
    "that",
    "book",
    "you",
    "mentioned",
    "weather",
    "turned",
    "cold",
    "just",
    "got",
    "home",
    "and",
    "then",
    "maybe",
    "next",
    "week",
    "at",
    "the",
    "market",
    "bus",
    "coffee",
    "later",
    "errands",
    "laundry",
];
const WARM: &[&str] = &[
    "love",
    "that",
    "haha",
    "amazing",
    "so",
    "good",
    "great",
    "fun",
    "glad",
    "happy",
    "lovely",
    "awesome",
    "wonderful",
    "yay",
    "nice",
    "best",
];
const OPENERS: &[&str] = &["hey", "hi", "morning", "so", "guess what", "quick one"];
const QUESTIONS: &[&str] = &[
    "how are you?",
    "what do you think?",
    "how did it go?",
    "are you free?",
    "how was it?",
];

/// A random variate of a log-normal with this median and log-sd.
fn log_normal(rng: &mut fastrand::Rng, median: f64, sd: f64) -> f64 {
    let (u, v) = (rng.f64().max(1e-12), rng.f64());
    let z = (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos();
    median * (sd * z).exp()
}

/// A Poisson variate (Knuth's method, fine for small rates).
fn poisson(rng: &mut fastrand::Rng, rate: f64) -> usize {
    let limit = (-rate).exp();
    let mut k = 0;
    let mut p = rng.f64();
    while p > limit && k < 100 {
        k += 1;
        p *= rng.f64();
    }
    k
}

fn message(rng: &mut fastrand::Rng, style: Style, opening: bool) -> String {
    let mut words: Vec<&str> = Vec::new();
    if opening {
        words.push(OPENERS[rng.usize(..OPENERS.len())]);
    }
    let n = log_normal(rng, style.words, 0.35).round().clamp(1.0, 60.0) as usize;
    let warm = rng.f64() < style.warmth;
    for i in 0..n {
        let pool = if warm && i % 3 == 0 { WARM } else { PLAIN };
        words.push(pool[rng.usize(..pool.len())]);
    }
    let mut text = words.join(" ");
    if warm && rng.bool() {
        text.push('!');
    }
    if rng.f64() < 0.25 + style.warmth * 0.2 {
        text.push(' ');
        text.push_str(QUESTIONS[rng.usize(..QUESTIONS.len())]);
    }
    text
}

/// Generates the plan's chat, in time order.
pub fn generate(plan: &Plan) -> Vec<PlannedMessage> {
    let mut rng = fastrand::Rng::with_seed(plan.seed);
    let gap_minutes = 180.0;
    let mut out: Vec<PlannedMessage> = Vec::new();
    for week in 0..plan.weeks {
        let (me, them) = plan.styles(week);
        let week_start = plan.start + SignedDuration::from_hours(24 * 7 * week as i64);
        let mut starts: Vec<(f64, bool)> = Vec::new();
        for (from_me, style) in [(true, me), (false, them)] {
            for _ in 0..poisson(&mut rng, style.starts_per_week) {
                // A day of the week, between 8:00 and 21:00.
                let minute = rng.f64() * 7.0 * 1440.0;
                let day = (minute / 1440.0).floor();
                let minute = day * 1440.0 + 480.0 + rng.f64() * 780.0;
                starts.push((minute, from_me));
            }
        }
        starts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut busy_until = 0.0;
        for (mut minute, mut from_me) in starts {
            if minute < busy_until {
                continue;
            }
            let mut turns = 0;
            loop {
                let style = if from_me { me } else { them };
                for m in 0..1 + usize::from(rng.f64() < 0.3) {
                    let at = week_start + SignedDuration::from_secs_f64((minute + m as f64 * 0.5) * 60.0);
                    out.push(PlannedMessage {
                        at,
                        from_me,
                        text: message(&mut rng, style, turns == 0 && m == 0),
                    });
                }
                turns += 1;
                let answerer = if from_me { them } else { me };
                let delay = log_normal(&mut rng, answerer.reply_minutes, 0.8).max(0.5);
                if delay >= gap_minutes || turns >= 12 || rng.f64() < 0.12 * turns as f64 {
                    break;
                }
                minute += 0.5 + delay;
                from_me = !from_me;
            }
            busy_until = minute + gap_minutes;
        }
    }
    out.sort_by_key(|m| m.at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Timestamp {
        "2024-01-01T00:00:00Z".parse().expect("valid")
    }

    #[test]
    fn the_same_seed_gives_the_same_chat() {
        let plan = Plan::new(7, Scenario::Control, start(), 10, 5);
        assert_eq!(generate(&plan), generate(&plan));
        assert_ne!(
            generate(&plan),
            generate(&Plan::new(8, Scenario::Control, start(), 10, 5))
        );
    }

    #[test]
    fn fatigue_makes_them_quieter_and_leaves_me_alone() {
        let plan = Plan::new(3, Scenario::Fatigue, start(), 40, 20);
        let chat = generate(&plan);
        let half = start() + SignedDuration::from_hours(24 * 7 * 20);
        let count = |from_me: bool, after: bool| {
            chat.iter()
                .filter(|m| m.from_me == from_me && (m.at >= half) == after)
                .count()
        };
        let (theirs, mine) = (
            count(false, true) as f64 / count(false, false) as f64,
            count(true, true) as f64 / count(true, false) as f64,
        );
        assert!(theirs < 0.75, "theirs drops by a quarter at least: {theirs}");
        assert!(theirs < mine, "theirs drops more than mine: {theirs} vs {mine}");
        assert!(chat.windows(2).all(|w| w[0].at <= w[1].at));
    }
}
