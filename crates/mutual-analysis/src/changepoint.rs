//! Bayesian online change-point detection (Adams and MacKay, 2007) over a
//! weekly series.
//!
//! A weekly series (log(1 + messages), log median reply latency, words per
//! message, initiation share, mean sentiment) is read as segments of a
//! constant level with Gaussian noise. Walking the weeks in order, the
//! detector keeps a posterior over *runs*: "the current segment began at
//! week s", one hypothesis per s still plausible. Each week every run either
//! goes on (probability 1 - H) or a new one begins (hazard H =
//! 1/[`Config::expected_run`]); each run predicts the week's value with its
//! own Student-t posterior predictive, and the masses are renormalised.
//!
//! # Model
//! - Normal with unknown mean and variance per segment, Normal-Gamma prior
//!   (κ0 = [`KAPPA0`], α0 = [`ALPHA0_TWICE`] / 2), so a run's predictive is a
//!   Student-t computed from four running numbers.
//! - **Scale-free priors (empirical Bayes).** The series is standardised by
//!   the median and standard deviation of its first [`Config::min_baseline`]
//!   values, so one config serves counts, latencies and shares at any
//!   magnitude (1e-9 or 1e9 alike).
//! - **Variance floor.** A baseline of identical values would make any later
//!   value infinitely surprising, and a silent stretch (log(1 + 0) every
//!   week) would make its own end so. Every observation therefore adds a
//!   floor variance of ([`FLOOR_OF_RANGE`] × the series' range)² to its
//!   run's sum of squares, which keeps each run's predictive variance above
//!   that floor without leaving the conjugate form.
//! - **Outliers.** A run explains a week either by its level or, with
//!   probability [`Config::outlier_rate`], as a one-off drawn from the prior
//!   predictive. One odd week is then cheaper as an outlier than as two
//!   changes (there and back), while a level that holds for a few weeks is
//!   far cheaper as a change. Runs still take the odd week into their
//!   statistics (so the update stays conjugate and cheap).
//! - **Missing weeks** (`NaN`, e.g. latency in a week without messages) do
//!   not update any run, but time passes: runs age and the hazard still
//!   applies, so after a long silence a new level is a priori likelier. The
//!   runs that began during a gap have seen the same data and are merged;
//!   a change is dated at the first week with a value after it began, the
//!   first week that shows the new level.
//!
//! # What `probability` means
//! The run posterior after week t, P(the current segment began at s | the
//! values up to t), says little at t = s: one week cannot tell a change from
//! an odd week. So a change at s is judged once its new level has been seen
//! for [`Config::min_run`] weeks, and from then on: its probability is the
//! highest posterior mass, over every week t from then to the end of the
//! series, that the segment current at t began within ±1 week
//! ([`TOLERANCE`]) of s. The mass grows while the new level holds and falls
//! once a later change takes over, so the highest value is the confidence
//! reached while the level held. Neighbouring weeks pass the threshold
//! together; the change is dated at the week with the most mass of its own.
//! [`current_change`] instead reports the posterior at the end of the series
//! that the current level began within ±1 week of the change: how sure we are
//! now that the drift still holds.
//!
//! # Cost
//! Each week costs one Student-t evaluation per live run (no logarithms: the
//! Gamma-function terms are tabulated per observation count and the power
//! is an integer one). Runs below [`PRUNE_BELOW`] posterior mass are dropped
//! and at most [`Config::max_run`] are kept.

use std::f64::consts::PI;

/// Prior pseudo-observations for a segment's mean: a new segment's level is
/// a priori within about ±1/√κ0 noise deviations of the baseline median.
pub const KAPPA0: f64 = 0.5;
fn kappa0() -> f64 {
    std::env::var("K0")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(KAPPA0)
}
fn alpha0_twice() -> u32 {
    std::env::var("A0")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ALPHA0_TWICE)
}
/// Twice the Gamma shape α0 of the prior on a segment's precision (an integer
/// so that the Student-t power stays an integer power): α0 = 2 is worth four
/// pseudo-observations of the baseline's variance.
pub const ALPHA0_TWICE: u32 = 4;
/// The variance floor's standard deviation, as a share of the series' range.
pub const FLOOR_OF_RANGE: f64 = 0.01;
/// Runs with less posterior mass than this are dropped.
pub const PRUNE_BELOW: f64 = 1e-6;
/// Weeks either side of a change that count as the same change.
pub const TOLERANCE: usize = 1;

/// The knobs of change-point detection.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Expected weeks between changes; the hazard is its inverse. Values of
    /// 1 or less mean a change every week.
    pub expected_run: f64,
    /// Weeks with a value before the first change may be reported; the priors
    /// are set from these weeks.
    pub min_baseline: usize,
    /// Weeks with a value the new level must have shown before its change is
    /// reported (at least 1).
    pub min_run: usize,
    /// Posterior probability a change must reach to be reported.
    pub threshold: f64,
    /// Most runs kept at once (at least 1); beyond it the least likely go.
    pub max_run: usize,
    /// Probability that a single week is a one-off rather than the level's.
    pub outlier_rate: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            expected_run: 52.0,
            min_baseline: 8,
            min_run: 4,
            threshold: 0.5,
            max_run: 520,
            outlier_rate: 0.01,
        }
    }
}

/// The level of one segment of the series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Level {
    /// Mean of the segment's weeks that have a value.
    pub mean: f64,
    /// Weeks in the segment, including weeks without a value.
    pub weeks: usize,
}

/// One detected change: where the new segment begins, how sure we are, and
/// the levels of the segments either side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChangePoint {
    /// Index of the first week of the new level (a week with a value).
    pub at: usize,
    /// Posterior probability, in [0, 1], that a new level began within
    /// ±[`TOLERANCE`] weeks of `at` (see the module docs).
    pub probability: f64,
    /// From the previous reported change (or the start) up to `at`.
    pub before: Level,
    /// From `at` up to the next reported change (or the end).
    pub after: Level,
}

/// Every change point in the series whose new level held for
/// [`Config::min_run`] weeks, in order. `NaN` marks a week without a value.
pub fn change_points(series: &[f64], config: &Config) -> Vec<ChangePoint> {
    analyse(series, config)
        .map(|analysis| analysis.changes)
        .unwrap_or_default()
}

/// The change that began the level the series ends on, if it is reported by
/// [`change_points`] and the posterior at the end of the series still puts
/// at least [`Config::threshold`] on the current level having begun there:
/// a drift is reported while its new level still holds. Its `probability` is
/// that end-of-series posterior.
///
/// A change that went back (up, then down again) is not current; once the
/// return has held for [`Config::min_run`] weeks, the return is itself the
/// current change, with the raised level as `before`.
pub fn current_change(series: &[f64], config: &Config) -> Option<ChangePoint> {
    let analysis = analyse(series, config)?;
    let last = analysis.changes.last()?;
    let mass: f64 = analysis
        .runs
        .iter()
        .filter(|run| run.n > 0 && run.start + TOLERANCE >= last.at && run.start <= last.at + TOLERANCE)
        .map(|run| run.mass)
        .sum();
    let probability = mass.clamp(0.0, 1.0);
    (probability >= config.threshold).then_some(ChangePoint { probability, ..*last })
}

/// What one pass over the series found.
struct Analysis {
    changes: Vec<ChangePoint>,
    /// The run posterior after the last week.
    runs: Vec<Run>,
}

/// One hypothesis "the current segment began at `start`" with the
/// Normal-Gamma posterior of that segment (in standardised units).
#[derive(Clone, Copy, Debug)]
struct Run {
    /// Posterior probability of this run (the masses sum to 1).
    mass: f64,
    /// First week with a value in the run; meaningless while `n` is 0.
    start: usize,
    /// Values seen.
    n: u32,
    /// Posterior mean of the level.
    mean: f64,
    /// Posterior Gamma rate β (with the variance floor added).
    rate: f64,
}

/// The priors and the per-count coefficients of the Student-t predictive.
struct Model {
    /// Rate added per observation: half the floor variance.
    jitter: f64,
    /// By values seen n: the coefficients of the predictive.
    coefficients: Vec<Coefficients>,
    m: u32,
}

#[derive(Clone, Copy, Debug)]
struct Coefficients {
    /// κn / (2 (κn + 1)): how a deviation raises the rate.
    spread: f64,
    /// 1 / (κn + 1): how far the mean moves toward a new value.
    gain: f64,
    /// Γ(αn + ½) / Γ(αn) · √(κn / (2π (κn + 1))).
    norm: f64,
}

impl Model {
    /// A model for `observed` values at most, with the given floor variance.
    fn new(observed: usize, floor_variance: f64) -> Model {
        let m = alpha0_twice();
        let k0 = kappa0();
        let alpha0 = f64::from(m) / 2.0;
        // Γ(α + ½) / Γ(α) for α = α0, then by Γ(α + 1) = α Γ(α):
        // ratio(α + ½) = α / ratio(α).
        let mut ratio = gamma_half(m + 1) / gamma_half(m);
        let coefficients = (0..=observed)
            .map(|n| {
                let kappa = k0 + n as f64;
                let alpha = alpha0 + n as f64 / 2.0;
                let coefficient = Coefficients {
                    spread: kappa / (2.0 * (kappa + 1.0)),
                    gain: 1.0 / (kappa + 1.0),
                    norm: ratio * (kappa / (2.0 * PI * (kappa + 1.0))).sqrt(),
                };
                ratio = alpha / ratio;
                coefficient
            })
            .collect();
        Model {
            jitter: floor_variance / 2.0,
            coefficients,
            m,
        }
    }

    fn fresh(&self, mass: f64) -> Run {
        // Standardised units: the baseline's median is 0 and its variance 1,
        // so the prior rate is α0 · 1.
        Run {
            mass,
            start: 0,
            n: 0,
            mean: 0.0,
            rate: f64::from(self.m) / 2.0 + self.jitter,
        }
    }

    /// The run's predictive density at `x`, and its posterior after `x`.
    ///
    /// Student-t: Γ(α+½)/Γ(α) · √(κ/(2π(κ+1))) · β^α · β'^-(α+½) with
    /// β' = β + κ (x - μ)² / (2(κ+1)), written as (√(β/β'))^(2α) / √β'.
    fn observe(&self, run: &Run, x: f64) -> (f64, Run) {
        let c = self.coefficients[run.n as usize];
        let deviation = x - run.mean;
        let rate = run.rate + c.spread * deviation * deviation;
        let shrink = (run.rate / rate).sqrt();
        let power = i32::try_from(run.n + self.m).unwrap_or(i32::MAX);
        let density = c.norm * shrink.powi(power) / rate.sqrt();
        let next = Run {
            n: run.n + 1,
            mean: run.mean + deviation * c.gain,
            rate: rate + self.jitter,
            ..*run
        };
        (density, next)
    }
}

/// Γ(k / 2) for a small positive integer k.
fn gamma_half(k: u32) -> f64 {
    // Γ(½) = √π, Γ(1) = 1, Γ(x + 1) = x Γ(x).
    let (mut x, mut value) = if k % 2 == 0 { (1.0, 1.0) } else { (0.5, PI.sqrt()) };
    while x < f64::from(k) / 2.0 {
        value *= x;
        x += 1.0;
    }
    value
}

fn analyse(series: &[f64], config: &Config) -> Option<Analysis> {
    let observed: Vec<f64> = series.iter().copied().filter(|x| x.is_finite()).collect();
    let first = series.iter().position(|x| x.is_finite())?;
    let (low, high) = observed
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        });
    if !(high > low) {
        return None; // constant: nothing to detect
    }

    // Empirical Bayes: standardise by the baseline's median and spread, with
    // the floor keeping a flat baseline from giving a zero scale.
    let baseline = &observed[..config.min_baseline.clamp(2, observed.len())];
    let center = median(baseline);
    let floor = FLOOR_OF_RANGE * (high - low);
    let scale = if std::env::var("DIFF").is_ok() {
        noise_scale(&observed)
    } else {
        standard_deviation(baseline)
    }
    .max(floor);
    if !(scale > 0.0 && scale.is_finite()) {
        return None;
    }
    let standardised = |x: f64| (x - center) / scale;
    let model = Model::new(observed.len(), (floor / scale).powi(2));

    let hazard = if config.expected_run > 1.0 {
        1.0 / config.expected_run
    } else {
        1.0
    };
    let outlier = std::env::var("EPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(config.outlier_rate)
        .clamp(0.0, 1.0);
    let min_run = u32::try_from(config.min_run.max(1)).unwrap_or(u32::MAX);
    let max_run = config.max_run.max(1);

    // Weeks with a value before each week, to apply the baseline.
    let mut seen_before = Vec::with_capacity(series.len() + 1);
    seen_before.push(0usize);
    for x in series {
        let seen = seen_before.last().copied().unwrap_or(0);
        seen_before.push(seen + usize::from(x.is_finite()));
    }
    // A run may be a change if it began after the first value, with the
    // baseline behind it.
    let eligible = |start: usize| start > first && seen_before[start] >= config.min_baseline.max(1);

    // For each week s: the highest mass seen on "the current segment began
    // within ±TOLERANCE of s", and on "it began at s" exactly.
    let mut window_best = vec![0.0f64; series.len()];
    let mut exact_best = vec![0.0f64; series.len()];

    let mut runs: Vec<Run> = vec![model.fresh(1.0)];
    let mut next_runs: Vec<Run> = Vec::new();
    for (week, &value) in series.iter().enumerate() {
        // A change may happen this week: every run goes on with 1 - H, and
        // a new one begins with H. Runs that have seen nothing yet are one.
        for run in &mut runs {
            run.mass *= 1.0 - hazard;
        }
        match runs.last_mut() {
            Some(run) if run.n == 0 => run.mass += hazard,
            _ => runs.push(model.fresh(hazard)),
        }

        if value.is_finite() {
            let x = standardised(value);
            let (prior_density, _) = model.observe(&model.fresh(0.0), x);
            let one_off = outlier * prior_density;
            next_runs.clear();
            let mut total = 0.0;
            for run in &runs {
                let (density, mut next) = model.observe(run, x);
                next.mass = run.mass * ((1.0 - outlier) * density + one_off);
                if run.n == 0 {
                    next.start = week;
                }
                total += next.mass;
                next_runs.push(next);
            }
            if !(total > 0.0 && total.is_finite()) {
                // No run can explain the value (it underflows every density):
                // read it as the start of a new level.
                for run in &mut next_runs {
                    run.mass = 0.0;
                }
                if let Some(run) = next_runs.last_mut() {
                    run.mass = 1.0;
                }
            }
            std::mem::swap(&mut runs, &mut next_runs);
        }

        prune(&mut runs, max_run);

        for (i, run) in runs.iter().enumerate() {
            if run.n < min_run || !eligible(run.start) {
                continue;
            }
            let mut window = run.mass;
            if i > 0 {
                let previous = &runs[i - 1];
                if previous.n > 0 && previous.start > first && previous.start + TOLERANCE >= run.start {
                    window += previous.mass;
                }
            }
            if let Some(next) = runs.get(i + 1) {
                if next.n > 0 && next.start <= run.start + TOLERANCE {
                    window += next.mass;
                }
            }
            window_best[run.start] = window_best[run.start].max(window.min(1.0));
            exact_best[run.start] = exact_best[run.start].max(run.mass);
        }
    }

    let changes = extract(series, &window_best, &exact_best, &seen_before, config);
    Some(Analysis { changes, runs })
}

/// Drops runs below [`PRUNE_BELOW`], then the least likely beyond `max_run`,
/// and renormalises.
fn prune(runs: &mut Vec<Run>, max_run: usize) {
    let total: f64 = runs.iter().map(|run| run.mass).sum();
    if total > 0.0 && total.is_finite() {
        for run in runs.iter_mut() {
            run.mass /= total;
        }
    }
    runs.retain(|run| run.mass >= PRUNE_BELOW);
    while runs.len() > max_run {
        let least = runs
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.mass.total_cmp(&b.1.mass))
            .map(|(i, _)| i)
            .expect("more runs than max_run, which is at least 1");
        runs.remove(least);
    }
    let total: f64 = runs.iter().map(|run| run.mass).sum();
    if total > 0.0 && total.is_finite() {
        for run in runs.iter_mut() {
            run.mass /= total;
        }
    }
}

/// Turns the per-week best masses into reported changes.
fn extract(
    series: &[f64],
    window_best: &[f64],
    exact_best: &[f64],
    seen_before: &[usize],
    config: &Config,
) -> Vec<ChangePoint> {
    let passes = |week: usize| window_best[week] > 0.0 && window_best[week] >= config.threshold;
    let seen_between = |from: usize, to: usize| seen_before[to] - seen_before[from];

    // Clusters of passing weeks at most 2 × TOLERANCE + 1 apart are one
    // change, dated at the week with the most mass of its own.
    let mut found: Vec<(usize, f64)> = Vec::new();
    let mut week = 0;
    while week < series.len() {
        if !passes(week) {
            week += 1;
            continue;
        }
        let mut best = week;
        let mut last = week;
        let mut next = week + 1;
        while next < series.len() && next <= last + 2 * TOLERANCE + 1 {
            if passes(next) {
                if exact_best[next] > exact_best[best] {
                    best = next;
                }
                last = next;
            }
            next += 1;
        }
        found.push((best, window_best[best]));
        week = last + 1;
    }

    // The level after a reported change must hold min_run weeks before the
    // next one; of two changes closer than that, keep the surer.
    let mut kept: Vec<(usize, f64)> = Vec::with_capacity(found.len());
    for (at, probability) in found {
        match kept.last_mut() {
            Some(previous) if seen_between(previous.0, at) < config.min_run => {
                if probability > previous.1 {
                    *previous = (at, probability);
                }
            }
            _ => kept.push((at, probability)),
        }
    }

    let bounds: Vec<usize> = std::iter::once(0)
        .chain(kept.iter().map(|&(at, _)| at))
        .chain(std::iter::once(series.len()))
        .collect();
    kept.iter()
        .enumerate()
        .map(|(i, &(at, probability))| ChangePoint {
            at,
            probability,
            before: level(&series[bounds[i]..at]),
            after: level(&series[at..bounds[i + 2]]),
        })
        .collect()
}

fn level(segment: &[f64]) -> Level {
    let (sum, count) = segment
        .iter()
        .filter(|x| x.is_finite())
        .fold((0.0, 0usize), |(sum, count), &x| (sum + x, count + 1));
    Level {
        mean: if count > 0 { sum / count as f64 } else { f64::NAN },
        weeks: segment.len(),
    }
}

/// Noise standard deviation from week-to-week differences
fn noise_scale(observed: &[f64]) -> f64 {
    let mut diffs: Vec<f64> = observed.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    if diffs.is_empty() {
        return 0.0;
    }
    let mad = median(&diffs) * 1.4826 / std::f64::consts::SQRT_2;
    if mad > 0.0 {
        return mad;
    }
    diffs.iter().sum::<f64>() / diffs.len() as f64 * PI.sqrt() / 2.0 / std::f64::consts::SQRT_2
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn standard_deviation(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let squares: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    (squares / (values.len() - 1) as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A seeded source of the noise in synthetic weekly series.
    struct Noise(fastrand::Rng);

    impl Noise {
        fn new(seed: u64) -> Noise {
            Noise(fastrand::Rng::with_seed(seed))
        }

        /// Standard normal, by Box–Muller.
        fn normal(&mut self) -> f64 {
            let u = 1.0 - self.0.f64(); // (0, 1]
            let v = self.0.f64();
            (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
        }

        /// Poisson by Knuth's product of uniforms (fine for small means).
        fn poisson(&mut self, mean: f64) -> u32 {
            let limit = (-mean).exp();
            let mut product = self.0.f64();
            let mut k = 0;
            while product > limit {
                product *= self.0.f64();
                k += 1;
            }
            k
        }

        fn binomial(&mut self, trials: u32, p: f64) -> u32 {
            (0..trials).filter(|_| self.0.f64() < p).count() as u32
        }
    }

    /// Weeks of each level, in order.
    type Segments<'a> = &'a [(usize, f64)];

    fn weekly(segments: Segments, mut week: impl FnMut(f64) -> f64) -> Vec<f64> {
        segments
            .iter()
            .flat_map(|&(weeks, level)| std::iter::repeat_n(level, weeks))
            .map(|l| week(l))
            .collect()
    }

    fn gaussian(seed: u64, segments: Segments, sd: f64) -> Vec<f64> {
        let mut noise = Noise::new(seed);
        weekly(segments, |level| level + sd * noise.normal())
    }

    /// log(1 + messages in the week), messages Poisson around the level.
    fn counts(seed: u64, segments: Segments) -> Vec<f64> {
        let mut noise = Noise::new(seed);
        weekly(segments, |level| f64::from(noise.poisson(level)).ln_1p())
    }

    /// log median reply latency in seconds around the level, with a week in
    /// seven without messages.
    fn latency(seed: u64, segments: Segments) -> Vec<f64> {
        let mut noise = Noise::new(seed);
        weekly(segments, |level| {
            if noise.0.f64() < 1.0 / 7.0 {
                f64::NAN
            } else {
                level.ln() + 0.5 * noise.normal()
            }
        })
    }

    /// Share of twelve conversations I started, around the level.
    fn shares(seed: u64, segments: Segments) -> Vec<f64> {
        let mut noise = Noise::new(seed);
        weekly(segments, |level| f64::from(noise.binomial(12, level)) / 12.0)
    }

    /// Share of seeds whose every true change is found within ±2 weeks, and
    /// share with exactly the true changes (nothing else reported).
    fn detection(seeds: u64, truth: &[usize], series: impl Fn(u64) -> Vec<f64>) -> (f64, f64) {
        let config = Config::default();
        let (mut found, mut exact) = (0, 0);
        for seed in 0..seeds {
            let changes = change_points(&series(seed), &config);
            let all = truth
                .iter()
                .all(|&t| changes.iter().any(|c| c.at.abs_diff(t) <= 2));
            found += usize::from(all);
            exact += usize::from(all && changes.len() == truth.len());
        }
        (found as f64 / seeds as f64, exact as f64 / seeds as f64)
    }

    fn false_alarms(seeds: u64, series: impl Fn(u64) -> Vec<f64>) -> f64 {
        let config = Config::default();
        let alarms = (0..seeds)
            .filter(|&seed| !change_points(&series(seed), &config).is_empty())
            .count();
        alarms as f64 / seeds as f64
    }

    #[test]
    fn explore() {
        for shift in [1.0, 1.5, 2.0, 3.0, -2.0, 5.0] {
            let d = detection(200, &[20], |s| gaussian(s, &[(20, 0.0), (20, shift)], 1.0));
            eprintln!("gauss shift {shift}: {d:?}");
        }
        eprintln!(
            "counts 20->8: {:?}",
            detection(200, &[20], |s| counts(s, &[(20, 20.0), (20, 8.0)]))
        );
        eprintln!(
            "counts 5->2: {:?}",
            detection(200, &[20], |s| counts(s, &[(20, 5.0), (20, 2.0)]))
        );
        eprintln!(
            "latency 1h->3h: {:?}",
            detection(200, &[20], |s| latency(s, &[(20, 3600.0), (20, 10800.0)]))
        );
        eprintln!(
            "shares .5->.25: {:?}",
            detection(200, &[20], |s| shares(s, &[(20, 0.5), (20, 0.25)]))
        );
        eprintln!(
            "two: {:?}",
            detection(200, &[20, 40], |s| gaussian(
                s,
                &[(20, 0.0), (20, 3.0), (20, 0.0)],
                1.0
            ))
        );
        eprintln!(
            "fa gauss: {}",
            false_alarms(200, |s| gaussian(s, &[(60, 0.0)], 1.0))
        );
        eprintln!(
            "fa gauss 520: {}",
            false_alarms(100, |s| gaussian(s, &[(520, 0.0)], 1.0))
        );
        eprintln!("fa counts: {}", false_alarms(200, |s| counts(s, &[(60, 10.0)])));
        eprintln!("fa counts2: {}", false_alarms(200, |s| counts(s, &[(60, 2.0)])));
        eprintln!(
            "fa latency: {}",
            false_alarms(200, |s| latency(s, &[(60, 3600.0)]))
        );
        eprintln!("fa shares: {}", false_alarms(200, |s| shares(s, &[(60, 0.5)])));
    }
}
#[cfg(test)]
mod explore2 {
    use super::*;
    #[test]
    fn fa_details() {
        for seed in 0..60u64 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let s: Vec<f64> = (0..60)
                .map(|_| {
                    let u = 1.0 - rng.f64();
                    let v = rng.f64();
                    (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
                })
                .collect();
            let c = change_points(&s, &Config::default());
            if !c.is_empty() {
                let b = &s[..8];
                let m = b.iter().sum::<f64>() / 8.0;
                let sd = (b.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 7.0).sqrt();
                eprintln!(
                    "seed {seed} baseline sd {sd:.2}: {:?}",
                    c.iter()
                        .map(|c| (
                            c.at,
                            (c.probability * 100.0).round(),
                            (c.before.mean * 100.0).round() / 100.0,
                            (c.after.mean * 100.0).round() / 100.0,
                            c.after.weeks
                        ))
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}
