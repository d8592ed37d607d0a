//! Energy: how I felt after time with a friend. The one figure every
//! surface shows is the mean over the last four weeks (the recent window),
//! its trend against the four weeks before, and what tends to energize or
//! drain.

use jiff::Timestamp;
use jiff::civil::Time;

use crate::interaction::Exchange;
use crate::names::named_enum;

/// Knobs of the energy summary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnergyConfig {
    /// The recent window ("lately"), in days; compared with the one before it.
    pub recent_days: i64,
    /// A change of the mean at least this large is a trend.
    pub trend_step: f64,
    /// Entries needed in each window before a trend is named.
    pub min_entries: usize,
}

impl Default for EnergyConfig {
    fn default() -> Self {
        EnergyConfig {
            recent_days: 28,
            trend_step: 0.75,
            min_entries: 2,
        }
    }
}

named_enum! {
    /// Which way energy has been going.
    pub enum Trend as "trend" {
        Rising = "rising",
        Steady = "steady",
        Falling = "falling",
        /// Too few entries to tell.
        Unknown = "unknown",
    }
}

impl Trend {
    /// The trend in words, against the window before the recent one ("the 4
    /// weeks before"); `None` when there were too few entries to tell.
    pub fn words(self, config: &EnergyConfig) -> Option<String> {
        let before = crate::words::window(config.recent_days);
        match self {
            Trend::Rising => Some(format!("higher than the {before} before")),
            Trend::Steady => Some(format!("about the same as the {before} before")),
            Trend::Falling => Some(format!("lower than the {before} before")),
            Trend::Unknown => None,
        }
    }
}

/// Energy after time with one friend.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct EnergySummary {
    /// The mean over the recent window, −3 to 3: the energy figure.
    pub recent: Option<f64>,
    /// Rated entries in the recent window.
    pub recent_entries: usize,
    /// The recent window, in days.
    pub window_days: i64,
    /// The mean over the window of the same length before it.
    pub previous: Option<f64>,
    pub trend: Trend,
    /// Entries with an energy rating up to the moment, in all.
    pub entries: usize,
}

/// A plain mean, built one value at a time.
#[derive(Default)]
struct Mean {
    sum: f64,
    n: usize,
}

impl Mean {
    fn add(&mut self, value: f64) {
        self.sum += value;
        self.n += 1;
    }

    fn get(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

pub fn energy(exchanges: &[Exchange], as_of: Timestamp, config: &EnergyConfig) -> EnergySummary {
    let (mut entries, mut recent, mut previous) = (0, Mean::default(), Mean::default());
    for e in exchanges.iter().filter(|e| e.at <= as_of) {
        let Some(energy) = e.energy else { continue };
        let value = f64::from(energy.get());
        let age_days = (as_of.as_second() - e.at.as_second()) as f64 / 86_400.0;
        entries += 1;
        let window = config.recent_days as f64;
        if age_days < window {
            recent.add(value);
        } else if age_days < 2.0 * window {
            previous.add(value);
        }
    }
    let trend = match (recent.get(), previous.get()) {
        (Some(r), Some(p)) if recent.n >= config.min_entries && previous.n >= config.min_entries => {
            if r - p >= config.trend_step {
                Trend::Rising
            } else if p - r >= config.trend_step {
                Trend::Falling
            } else {
                Trend::Steady
            }
        }
        _ => Trend::Unknown,
    };
    EnergySummary {
        recent: recent.get(),
        recent_entries: recent.n,
        window_days: config.recent_days,
        previous: previous.get(),
        trend,
        entries,
    }
}

named_enum! {
    /// A part of the day, for "late calls drain you".
    pub enum DayPart as "part of day" {
        Morning = "morning",
        Afternoon = "afternoon",
        Evening = "evening",
        Night = "night",
    }
}

impl DayPart {
    pub fn of(time: Time) -> DayPart {
        match time.hour() {
            5..=11 => DayPart::Morning,
            12..=16 => DayPart::Afternoon,
            17..=21 => DayPart::Evening,
            _ => DayPart::Night,
        }
    }
}

/// How a mean energy feels, in words true for its sign and size, as it
/// reads after "you have felt": "a little drained", "neither drained nor
/// energized". The value is read as shown, to one decimal.
pub fn feel(mean: f64) -> &'static str {
    let shown = (mean * 10.0).round() / 10.0;
    match shown {
        m if m >= 1.5 => "energized",
        m if m >= 0.5 => "a little energized",
        m if m > -0.5 => "neither drained nor energized",
        m if m > -1.5 => "a little drained",
        _ => "drained",
    }
}

/// The most and least energizing of some groups in words that stay true
/// whatever the signs: "walks leave you most energized (+2.0), late calls
/// drain you most (-1.5)"; when every group drains, "in-person drains you
/// least (-0.4), calls most (-1.2)". `None` unless the two differ as shown.
pub fn best_and_worst(best: (&str, f64), worst: (&str, f64)) -> Option<String> {
    let shown = |v: f64| (v * 10.0).round() / 10.0;
    let (b, w) = (shown(best.1), shown(worst.1));
    if b <= w {
        return None;
    }
    let signed = |v: f64| {
        if v == 0.0 {
            "0.0".to_owned()
        } else {
            format!("{v:+.1}")
        }
    };
    let (bn, wn) = (best.0, worst.0);
    let (b_text, w_text) = (signed(b), signed(w));
    Some(if b > 0.0 && w < 0.0 {
        format!("{bn} leaves you most energized ({b_text}), {wn} drains you most ({w_text})")
    } else if b > 0.0 {
        format!("{bn} leaves you most energized ({b_text}), {wn} least ({w_text})")
    } else {
        format!("{bn} drains you least ({b_text}), {wn} most ({w_text})")
    })
}

/// Mean energy for one group (a tag, a channel, a part of the day).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EnergyBy<K> {
    pub key: K,
    pub mean: f64,
    pub entries: usize,
}

/// Mean energy per key, most energizing first; keys with fewer than
/// `min_entries` ratings are left out.
pub fn energy_by<K: Ord + Clone>(
    ratings: impl IntoIterator<Item = (K, i8)>,
    min_entries: usize,
) -> Vec<EnergyBy<K>> {
    let mut groups: std::collections::BTreeMap<K, (i64, usize)> = Default::default();
    for (key, energy) in ratings {
        let g = groups.entry(key).or_default();
        g.0 += i64::from(energy);
        g.1 += 1;
    }
    let mut out: Vec<EnergyBy<K>> = groups
        .into_iter()
        .filter(|(_, (_, n))| *n >= min_entries.max(1))
        .map(|(key, (sum, n))| EnergyBy {
            key,
            mean: sum as f64 / n as f64,
            entries: n,
        })
        .collect();
    out.sort_by(|a, b| b.mean.total_cmp(&a.mean));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interaction::Energy;
    use jiff::civil::time;

    fn rated(days_ago: i64, energy: i64) -> Exchange {
        let now: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
        Exchange {
            energy: Energy::new(energy),
            ..Exchange::at(now - crate::days(days_ago))
        }
    }

    #[test]
    fn falling_energy_is_a_trend() {
        let now: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
        let ex = [
            rated(50, 2),
            rated(40, 2),
            rated(35, 1),
            rated(20, -1),
            rated(10, -2),
            rated(2, -1),
        ];
        let s = energy(&ex, now, &EnergyConfig::default());
        assert_eq!(s.trend, Trend::Falling);
        assert_eq!(s.entries, 6);
        assert_eq!(s.recent_entries, 3);
        assert!((s.recent.unwrap() - (-4.0 / 3.0)).abs() < 1e-12);
        assert_eq!(
            s.trend.words(&EnergyConfig::default()).unwrap(),
            "lower than the 4 weeks before"
        );
    }

    #[test]
    fn too_few_entries_have_no_trend() {
        let now: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
        let s = energy(&[rated(2, 3), rated(40, -3)], now, &EnergyConfig::default());
        assert_eq!(s.trend, Trend::Unknown);
        assert_eq!(s.trend.words(&EnergyConfig::default()), None);
        assert_eq!((s.recent, s.recent_entries, s.entries), (Some(3.0), 1, 2));
        assert_eq!(energy(&[], now, &EnergyConfig::default()).recent, None);
    }

    #[test]
    fn energy_by_groups_and_orders() {
        let by = energy_by(
            [
                ("walk", 2),
                ("walk", 3),
                ("late call", -2),
                ("late call", -1),
                ("once", 3),
            ],
            2,
        );
        assert_eq!(by.len(), 2);
        assert_eq!(by[0].key, "walk");
        assert_eq!(by[1].mean, -1.5);
        assert_eq!(DayPart::of(time(23, 10, 0, 0)), DayPart::Night);
        assert_eq!(DayPart::of(time(9, 0, 0, 0)), DayPart::Morning);
    }

    #[test]
    fn words_stay_true_for_negative_and_zero_values() {
        assert_eq!(
            best_and_worst(("in-person", -0.4), ("call", -1.2)).unwrap(),
            "in-person drains you least (-0.4), call most (-1.2)"
        );
        assert_eq!(
            best_and_worst(("walk", 2.0), ("late call", -1.5)).unwrap(),
            "walk leaves you most energized (+2.0), late call drains you most (-1.5)"
        );
        assert_eq!(
            best_and_worst(("walk", 2.0), ("video", 0.0)).unwrap(),
            "walk leaves you most energized (+2.0), video least (0.0)"
        );
        // Zero is not "most energized", and equal as shown is no contrast.
        assert_eq!(
            best_and_worst(("video", 0.0), ("call", -1.0)).unwrap(),
            "video drains you least (0.0), call most (-1.0)"
        );
        assert_eq!(best_and_worst(("a", 0.04), ("b", 0.01)), None);
        assert_eq!(feel(0.5), "a little energized");
        assert_eq!(feel(0.04), "neither drained nor energized");
        assert_eq!(feel(-0.44), "neither drained nor energized");
        assert_eq!(feel(-0.45), "a little drained");
        assert_eq!(feel(-2.2), "drained");
    }
}
