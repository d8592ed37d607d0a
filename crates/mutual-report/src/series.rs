//! Weekly series for the charts: the raw weekly values, a trailing rolling
//! mean over the calendar weeks (so missing weeks count as missing, not as
//! zero), and "lately" summaries for the charts' spoken labels.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::model::Week;

/// Weeks in the rolling window the lines are drawn from.
pub(crate) const WINDOW_WEEKS: i64 = 4;
/// Weeks the "lately" numbers of the spoken summaries look back.
pub(crate) const RECENT_WEEKS: i64 = 12;
/// A dated series breaks where two points are further apart than this.
pub(crate) const MAX_GAP_DAYS: i64 = 28;

/// A value and how much it counts in a mean (messages, conversations, bids).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Weighted {
    pub(crate) value: f64,
    pub(crate) weight: f64,
}

impl Weighted {
    pub(crate) fn new(value: Option<f64>, weight: f64) -> Option<Weighted> {
        let value = value.filter(|v| v.is_finite())?;
        (weight > 0.0).then_some(Weighted { value, weight })
    }
}

/// Days since 1970-01-01: the x coordinate of every time chart.
pub(crate) fn day_number(date: Date) -> f64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    (date.duration_since(epoch).as_secs() / 86_400) as f64
}

/// The date of a day number (inverse of [`day_number`]), clamped to jiff's range.
pub(crate) fn date_of(day: f64) -> Date {
    let epoch = jiff::civil::date(1970, 1, 1);
    let days = day.round().clamp(-700_000.0, 2_000_000.0) as i64;
    epoch.checked_add(days.days()).unwrap_or(epoch)
}

/// Each week's own value, for the faint weekly dots.
pub(crate) fn weekly(weeks: &[Week], f: impl Fn(&Week) -> Option<Weighted>) -> Vec<(f64, f64)> {
    weeks
        .iter()
        .filter_map(|w| f(w).map(|v| (day_number(w.monday), v.value)))
        .collect()
}

/// The trailing weighted mean over [`WINDOW_WEEKS`] calendar weeks, at every
/// week from the first to the last; split into runs where the window held
/// no data at all (a month or more without chats).
pub(crate) fn rolling(weeks: &[Week], f: impl Fn(&Week) -> Option<Weighted>) -> Vec<Vec<(f64, f64)>> {
    let points: Vec<(f64, Weighted)> = weeks
        .iter()
        .filter_map(|w| f(w).map(|v| (day_number(w.monday), v)))
        .collect();
    let (Some(first), Some(last)) = (
        weeks.iter().map(|w| w.monday).min(),
        weeks.iter().map(|w| w.monday).max(),
    ) else {
        return Vec::new();
    };
    let (start, end) = (day_number(first), day_number(last));
    let span = 7.0 * WINDOW_WEEKS as f64;
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run = Vec::new();
    let mut at = start;
    while at <= end {
        let mean = weighted_mean(
            points
                .iter()
                .filter(|(day, _)| *day <= at && *day > at - span)
                .map(|(_, v)| *v),
        );
        match mean {
            Some(mean) => run.push((at, mean)),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
        at += 7.0;
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The weighted mean over the [`RECENT_WEEKS`] weeks up to `today`.
pub(crate) fn recent(weeks: &[Week], today: Date, f: impl Fn(&Week) -> Option<Weighted>) -> Option<f64> {
    let from = today.checked_sub((7 * RECENT_WEEKS).days()).unwrap_or(today);
    weighted_mean(
        weeks
            .iter()
            .filter(|w| w.monday > from && w.monday <= today)
            .filter_map(f),
    )
}

fn weighted_mean(values: impl Iterator<Item = Weighted>) -> Option<f64> {
    let (sum, weight) = values.fold((0.0, 0.0), |(s, w), v| (s + v.value * v.weight, w + v.weight));
    (weight > 0.0).then(|| sum / weight)
}

/// A dated series as chart points, split where two points are more than
/// [`MAX_GAP_DAYS`] apart; non-finite values are dropped.
pub(crate) fn dated_runs(series: &[(Date, f64)]) -> Vec<Vec<(f64, f64)>> {
    split_at_gaps(sorted(series))
}

fn sorted(series: &[(Date, f64)]) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = series
        .iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(d, v)| (day_number(*d), *v))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

/// At each point of a dated series, the mean of its points in the
/// [`WINDOW_WEEKS`] weeks up to it; ascending.
pub(crate) fn trailing_mean(series: &[(Date, f64)]) -> Vec<(f64, f64)> {
    let points = sorted(series);
    let span = 7.0 * WINDOW_WEEKS as f64;
    points
        .iter()
        .map(|(at, _)| {
            let window = points.iter().filter(|(d, _)| d <= at && *d > at - span);
            let (sum, n) = window.fold((0.0, 0.0), |(s, n), (_, v)| (s + v, n + 1.0));
            (*at, sum / n)
        })
        .collect()
}

/// Ascending points split where two are more than [`MAX_GAP_DAYS`] apart.
pub(crate) fn split_at_gaps(points: Vec<(f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    for point in points {
        match runs.last_mut() {
            Some(run)
                if run
                    .last()
                    .is_some_and(|last| point.0 - last.0 <= MAX_GAP_DAYS as f64) =>
            {
                run.push(point);
            }
            _ => runs.push(vec![point]),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Side;
    use jiff::civil::date;

    fn week(monday: Date, mine: u32) -> Week {
        Week {
            monday,
            me: Side {
                messages: mine,
                ..Side::default()
            },
            them: Side::default(),
        }
    }

    fn messages(w: &Week) -> Option<Weighted> {
        Weighted::new(Some(f64::from(w.me.messages)), f64::from(w.me.messages))
    }

    #[test]
    fn day_numbers_round_trip() {
        for d in [date(1970, 1, 1), date(2024, 2, 29), date(2031, 12, 31)] {
            assert_eq!(date_of(day_number(d)), d);
        }
        assert_eq!(day_number(date(1970, 1, 11)), 10.0);
    }

    #[test]
    fn rolling_mean_is_weighted_and_breaks_after_a_month_without_data() {
        let monday = date(2025, 1, 6);
        let at = |n: i64| monday.checked_add((7 * n).days()).expect("in range");
        // Weeks 0 and 1 have data, weeks 2..=6 are missing, week 7 has data.
        // In any order.
        let weeks = vec![week(at(7), 10), week(at(0), 2), week(at(1), 4)];
        let runs = rolling(&weeks, messages);
        assert_eq!(runs.len(), 2, "{runs:?}");
        // Week 1: (2·2 + 4·4) / 6.
        assert!((runs[0][1].1 - 20.0 / 6.0).abs() < 1e-9);
        // The window still holds week 1 until week 4; week 5 starts the gap.
        assert_eq!(runs[0].len(), 5);
        assert_eq!(runs[1], vec![(day_number(at(7)), 10.0)]);
    }

    #[test]
    fn empty_weeks_make_no_lines() {
        assert!(rolling(&[], messages).is_empty());
        assert!(rolling(&[week(date(2025, 1, 6), 0)], messages).is_empty());
    }

    #[test]
    fn recent_looks_back_twelve_weeks() {
        let weeks = vec![week(date(2024, 1, 1), 100), week(date(2025, 3, 3), 5)];
        assert_eq!(recent(&weeks, date(2025, 3, 10), messages), Some(5.0));
        assert_eq!(recent(&weeks, date(2025, 12, 1), messages), None);
    }

    #[test]
    fn trailing_mean_looks_back_four_weeks() {
        let series = [
            (date(2025, 1, 1), 3.0),
            (date(2025, 1, 10), -1.0),
            (date(2025, 3, 1), 2.0),
        ];
        let mean: Vec<f64> = trailing_mean(&series).iter().map(|p| p.1).collect();
        assert_eq!(mean, [3.0, 1.0, 2.0]);
    }

    #[test]
    fn dated_runs_split_at_long_gaps() {
        let series = [
            (date(2025, 1, 1), 0.1),
            (date(2025, 1, 20), 0.2),
            (date(2025, 5, 1), 0.3),
            (date(2025, 5, 2), f64::NAN),
        ];
        let runs = dated_runs(&series);
        assert_eq!(runs.iter().map(Vec::len).collect::<Vec<_>>(), [2, 1]);
    }
}
