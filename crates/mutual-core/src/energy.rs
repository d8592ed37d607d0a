//! Energy: how I felt after time with a friend, its recency-weighted mean,
//! its trend, and what tends to energize or drain.

use jiff::Timestamp;
use jiff::civil::Time;

use crate::interaction::Exchange;
use crate::names::named_enum;

/// Knobs of the energy summary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnergyConfig {
    /// τ of the recency weight, in days.
    pub tau_days: f64,
    /// The recent window compared with the one before it, in days.
    pub recent_days: i64,
    /// A change of the mean at least this large is a trend.
    pub trend_step: f64,
    /// Entries needed in each window before a trend is named.
    pub min_entries: usize,
}

impl Default for EnergyConfig {
    fn default() -> Self {
        EnergyConfig {
            tau_days: 90.0,
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

/// Energy after time with one friend.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct EnergySummary {
    /// Recency-weighted mean, −3 to 3.
    pub mean: Option<f64>,
    /// Entries with an energy rating up to the moment.
    pub entries: usize,
    /// Plain mean over the recent window, and over the window of the same
    /// length before it.
    pub recent: Option<f64>,
    pub recent_entries: usize,
    pub previous: Option<f64>,
    pub trend: Trend,
}

#[derive(Default)]
struct Mean {
    sum: f64,
    weight: f64,
    n: usize,
}

impl Mean {
    fn add(&mut self, value: f64, weight: f64) {
        self.sum += value * weight;
        self.weight += weight;
        self.n += 1;
    }

    fn get(&self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.sum / self.weight)
    }
}

pub fn energy(exchanges: &[Exchange], as_of: Timestamp, config: &EnergyConfig) -> EnergySummary {
    let (mut all, mut recent, mut previous) = (Mean::default(), Mean::default(), Mean::default());
    for e in exchanges.iter().filter(|e| e.at <= as_of) {
        let Some(energy) = e.energy else { continue };
        let value = f64::from(energy.get());
        let age_days = (as_of.as_second() - e.at.as_second()) as f64 / 86_400.0;
        all.add(value, (-age_days / config.tau_days).exp());
        let window = config.recent_days as f64;
        if age_days < window {
            recent.add(value, 1.0);
        } else if age_days < 2.0 * window {
            previous.add(value, 1.0);
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
        mean: all.get(),
        entries: all.n,
        recent: recent.get(),
        recent_entries: recent.n,
        previous: previous.get(),
        trend,
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
        assert!(s.mean.unwrap() < 0.5);
    }

    #[test]
    fn too_few_entries_have_no_trend() {
        let now: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
        let s = energy(&[rated(2, 3)], now, &EnergyConfig::default());
        assert_eq!(s.trend, Trend::Unknown);
        assert!((s.mean.unwrap() - 3.0).abs() < 1e-12);
        assert_eq!(energy(&[], now, &EnergyConfig::default()).mean, None);
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
}
