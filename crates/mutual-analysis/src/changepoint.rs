//! Bayesian online change-point detection (Adams and MacKay, 2007) over a
//! weekly series.
//!
//! A weekly series (log(1 + messages), log median reply latency, words per
//! message, initiation share, mean sentiment) is read as segments of a
//! steady level with noise. Walking the weeks in order, the detector keeps a
//! posterior over *runs*, "the current segment began at week s", one per s
//! still plausible. Each week every run goes on with probability 1 - H or a
//! new one begins (hazard H = 1/[`Config::expected_run`]); each run predicts
//! the week's value with its own posterior predictive, and the masses are
//! renormalised.
//!
//! # Model
//! - Per segment a Normal of unknown mean and variance under a Normal-Gamma
//!   prior (κ0 = [`KAPPA0`], α0 = [`ALPHA0_TWICE`] / 2), so a run predicts
//!   with a Student-t computed from four running numbers.
//! - **Scale-free priors (empirical Bayes).** Values are standardised
//!   before anything else: centred on the median of the first
//!   [`Config::min_baseline`] values (the prior level of every segment) and
//!   divided by the series' noise, estimated from week-to-week differences
//!   (their mean without the largest tenth, which a few changes of level or
//!   odd weeks do not move). The prior on every segment's variance is worth
//!   twenty weeks of that noise. One config therefore serves counts,
//!   latencies and shares at any magnitude, 1e-9 or 1e9 alike.
//! - **Variance floor.** A flat stretch (identical weeks, or log(1 + 0)
//!   through a silence) would make any other value infinitely surprising.
//!   Every value adds ([`FLOOR_OF_RANGE`] × the series' range)² of variance
//!   to its run's sum of squares, which keeps each run's predictive variance
//!   above that floor without leaving the conjugate form. A constant series
//!   has nothing to detect and returns nothing.
//! - **Outliers.** A run explains a week either by its level or, with
//!   probability [`Config::outlier_rate`], as a one-off drawn from the prior
//!   predictive. One odd week is then likelier an outlier than two changes
//!   (there and back), while a level that holds for weeks is far likelier a
//!   change. A run takes a week into its statistics only if its level
//!   explains the week better than a one-off does, so one odd week neither
//!   shifts nor widens the level it interrupts.
//! - **Missing weeks** (`NaN`, e.g. latency in a week without messages;
//!   any value that is not finite counts as missing)
//!   update no run, but time passes: runs age and the hazard applies, so
//!   after a long silence a new level is a priori likelier. Runs that began
//!   during a gap have seen the same data and are one; a change is dated at
//!   the first week with a value after it, the first week that shows the new
//!   level.
//!
//! # What `probability` means
//! On the week of a change the run posterior says little: one week cannot
//! tell a new level from an odd week. The evidence for a change at s is the
//! data after it, up to the next change. So a change at s is judged at week
//! e, the last week before the next reported change (or the end of the
//! series, and at most [`HORIZON`] weeks after s):
//!
//! probability = P(the segment current at e began within ±[`TOLERANCE`]
//! weeks of s | values up to e, and it began no later than s + TOLERANCE).
//!
//! The condition sets aside the runs that began after s (a later change,
//! perhaps only the last odd weeks of the series), which say nothing against
//! a change at s; they are judged as changes of their own. The ±1 week
//! accepts that noise blurs the edge of a level by a week. A change must
//! also have shown its new level for [`Config::min_run`] weeks with a value
//! by week e, and have [`Config::min_baseline`] weeks with a value before it.
//!
//! Candidates are the weeks whose probability reached the threshold at some
//! week after them; neighbouring candidates are one change. Each change is
//! judged at its segment's end and dated at the week (of its candidates, or
//! within ±1 week of them) whose run holds the most mass of its own then;
//! the weakest failure is dropped and the rest judged again until all pass,
//! so a change that held takes over the weeks of one that did not.
//!
//! [`current_change`] asks a stricter question of the last change: the
//! posterior after the last week, without the condition, that the current
//! level began there. Fresh weeks that look like yet another level count
//! against it: a drift is reported while its new level still holds.
//!
//! # Cost
//! Each week costs one Student-t evaluation per live run, with no logarithm
//! or exponential: the Gamma-function terms are tabulated per count of
//! values and the power is an integer one, taken by squaring for all runs
//! at once. Runs below [`PRUNE_BELOW`] mass are dropped, and beyond
//! [`Config::max_run`] the least likely run merges into its older
//! neighbour (its mass stays, under that neighbour's statistics). In a
//! steady series every run stays plausible, so this bound is what keeps a
//! week's work constant: 48 runs detect as 520 do on the tests here (32
//! begin to raise false alarms over ten years), and ten years of weeks take
//! about half a millisecond (`cargo bench -p mutual-analysis --bench
//! changepoint`).

use std::f64::consts::{PI, SQRT_2};

/// Prior pseudo-observations for a segment's mean: a new level is a priori
/// within about ±1/√κ0 noise deviations of the baseline median.
pub const KAPPA0: f64 = 0.5;
/// Twice the Gamma shape α0 of the prior on a segment's precision. Twenty
/// pseudo-observations of the series' noise: a segment's noise is mostly
/// the series', so changes of spread alone are rarely read as changes of
/// level. An integer, so that the Student-t power is an integer one.
pub const ALPHA0_TWICE: u32 = 20;
/// The variance floor's standard deviation, as a share of the series' range.
pub const FLOOR_OF_RANGE: f64 = 0.01;
/// Runs with less posterior mass than this are dropped.
pub const PRUNE_BELOW: f64 = 1e-6;
/// Weeks either side of a change that count as the same change.
pub const TOLERANCE: usize = 1;
/// Most weeks after a change that its probability is judged on.
pub const HORIZON: usize = 52;

/// The knobs of change-point detection.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Expected weeks between changes; the hazard is its inverse. Values of
    /// 1 or less mean a change every week.
    pub expected_run: f64,
    /// Weeks with a value before the first change may be reported; the prior
    /// level is their median.
    pub min_baseline: usize,
    /// Weeks with a value the new level must have shown before its change is
    /// reported (at least 1).
    pub min_run: usize,
    /// Posterior probability a change must reach to be reported.
    pub threshold: f64,
    /// Most runs kept at once (at least 2); beyond it the least likely merges
    /// into its older neighbour.
    pub max_run: usize,
    /// Probability that a week is a one-off rather than its level's, in
    /// [0, 1].
    pub outlier_rate: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            expected_run: 52.0,
            min_baseline: 8,
            min_run: 4,
            threshold: 0.5,
            max_run: 48,
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

/// One detected change: where the new level begins, how sure we are, and
/// the levels either side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChangePoint {
    /// Index of the first week of the new level (a week with a value).
    pub at: usize,
    /// Posterior probability in [0, 1] that a new level began within
    /// ±[`TOLERANCE`] weeks of `at` (see the module docs).
    pub probability: f64,
    /// From the previous reported change (or the start) up to `at`.
    pub before: Level,
    /// From `at` up to the next reported change (or the end).
    pub after: Level,
}

/// Every change in the series whose new level held for [`Config::min_run`]
/// weeks, in order. `NaN` (any value that is not finite) marks a week
/// without a value.
pub fn change_points(series: &[f64], config: &Config) -> Vec<ChangePoint> {
    analyse(series, config)
        .map(|analysis| analysis.changes)
        .unwrap_or_default()
}

/// The change that began the level the series ends on, if [`change_points`]
/// reports it and the posterior after the last week still puts at least
/// [`Config::threshold`] on the current level having begun there (within
/// ±[`TOLERANCE`] weeks); `probability` is that posterior. This is what
/// alerts use: a drift is reported while its new level still holds.
///
/// A change that went back (up, then down again) is not current. Once the
/// return has held for [`Config::min_run`] weeks it is itself the current
/// change, with the raised level as `before`.
pub fn current_change(series: &[f64], config: &Config) -> Option<ChangePoint> {
    let analysis = analyse(series, config)?;
    let last = analysis.changes.last()?;
    let runs = &analysis.runs;
    let mass: f64 = (0..runs.seen())
        .filter(|&i| runs.start[i] + TOLERANCE >= last.at && runs.start[i] <= last.at + TOLERANCE)
        .map(|i| runs.mass[i])
        .sum();
    let probability = mass.clamp(0.0, 1.0);
    (probability >= config.threshold).then_some(ChangePoint { probability, ..*last })
}

/// What one pass over the series found.
struct Analysis {
    changes: Vec<ChangePoint>,
    /// The run posterior after the last week.
    runs: Runs,
}

/// The run posterior. Run i is the hypothesis "the current segment began
/// at week `start[i]`", with that segment's Normal-Gamma posterior in
/// standardised units. Kept as columns in order of start, so that a week's
/// update is a few tight loops over plain arrays.
#[derive(Debug, Default)]
struct Runs {
    /// Posterior probability of each run; they sum to 1.
    mass: Vec<f64>,
    /// First week with a value in the run; meaningless while `n` is 0
    /// (only the newest run can be empty).
    start: Vec<usize>,
    /// Values seen.
    n: Vec<u32>,
    /// Posterior mean μ of the level.
    mean: Vec<f64>,
    /// Posterior Gamma rate β, variance floor included.
    rate: Vec<f64>,
    /// The model's coefficients for `n` values, copied from its table.
    coefficients: Vec<Coefficients>,
    /// Scratch for a week's update: x - μ, the next rate, and the density.
    deviation: Vec<f64>,
    next_rate: Vec<f64>,
    density: Vec<f64>,
    /// Scratch: the base of the Student-t's power, squared bit by bit.
    base: Vec<f64>,
}

impl Runs {
    fn len(&self) -> usize {
        self.mass.len()
    }

    /// Adds a run that has seen nothing.
    fn push(&mut self, model: &Model, mass: f64) {
        self.mass.push(mass);
        self.start.push(0);
        self.n.push(0);
        self.mean.push(0.0);
        self.rate.push(model.fresh_rate());
        self.coefficients.push(model.coefficients[0]);
    }

    fn remove(&mut self, i: usize) {
        self.mass.remove(i);
        self.start.remove(i);
        self.n.remove(i);
        self.mean.remove(i);
        self.rate.remove(i);
        self.coefficients.remove(i);
    }

    /// Keeps the runs with at least `floor` mass, in order.
    fn retain_mass_at_least(&mut self, floor: f64) {
        let mut kept = 0;
        for i in 0..self.len() {
            if self.mass[i] >= floor {
                self.mass[kept] = self.mass[i];
                self.start[kept] = self.start[i];
                self.n[kept] = self.n[i];
                self.mean[kept] = self.mean[i];
                self.rate[kept] = self.rate[i];
                self.coefficients[kept] = self.coefficients[i];
                kept += 1;
            }
        }
        self.mass.truncate(kept);
        self.start.truncate(kept);
        self.n.truncate(kept);
        self.mean.truncate(kept);
        self.rate.truncate(kept);
        self.coefficients.truncate(kept);
    }

    /// Weighs every run by its predictive density at `x` (seen on `week`),
    /// or by the density of a one-off with probability `outlier`, then
    /// takes `x` into every run's posterior. Returns the total mass.
    ///
    /// The Student-t density is
    /// Γ(α + ½)/Γ(α) · √(κ/(2π(κ + 1))) · β^α · β'^-(α + ½), where
    /// β' = β + κ (x - μ)² / (2(κ + 1)) is also the next rate; it is computed
    /// as √(1/β') · (√(β/β'))^(2α), with 2α = 2α0 + n an integer power.
    fn observe(&mut self, model: &Model, x: f64, week: usize, outlier: f64) -> f64 {
        let len = self.len();
        for scratch in [
            &mut self.deviation,
            &mut self.next_rate,
            &mut self.density,
            &mut self.base,
        ] {
            scratch.clear();
            scratch.resize(len, 0.0);
        }
        let mass = &mut self.mass[..len];
        let (mean, rate, coefficients) = (
            &mut self.mean[..len],
            &mut self.rate[..len],
            &self.coefficients[..len],
        );
        let (deviation, next_rate) = (&mut self.deviation[..len], &mut self.next_rate[..len]);
        let (density, base) = (&mut self.density[..len], &mut self.base[..len]);

        for i in 0..len {
            let c = coefficients[i];
            deviation[i] = x - mean[i];
            next_rate[i] = rate[i] + c.spread * deviation[i] * deviation[i];
            let inverse = 1.0 / next_rate[i];
            base[i] = (rate[i] * inverse).sqrt();
            density[i] = c.norm * inverse.sqrt();
        }
        // base^power by squaring, one bit of the powers at a time.
        // Arithmetic rather than a branch on the bit, so that the loop
        // vectorises: 1 + bit · (base - 1) is base or 1.
        let n = &self.n[..len];
        let top = n.iter().max().map_or(0, |&n| n + ALPHA0_TWICE);
        for bit in 0..u32::BITS - top.leading_zeros() {
            for i in 0..len {
                let set = f64::from(((n[i] + ALPHA0_TWICE) >> bit) & 1);
                density[i] *= 1.0 + set * (base[i] - 1.0);
                base[i] *= base[i];
            }
        }

        let one_off = outlier * model.fresh_density(x);
        let mut total = 0.0;
        for i in 0..len {
            let level = (1.0 - outlier) * density[i];
            mass[i] *= level + one_off;
            total += mass[i];
            // The run takes x in if its level explains x better than a
            // one-off does (a run that has seen nothing always does); an
            // odd week then leaves the run as it was.
            let absorb = level >= one_off || n[i] == 0;
            deviation[i] = if absorb { deviation[i] } else { 0.0 };
            mean[i] += deviation[i] * coefficients[i].gain;
            rate[i] = if absorb {
                next_rate[i] + model.jitter
            } else {
                rate[i]
            };
            density[i] = if absorb { 1.0 } else { 0.0 };
        }
        let absorbed = density.iter().map(|&absorbed| absorbed > 0.0);
        let runs = self.n.iter_mut().zip(&mut self.start).zip(&mut self.coefficients);
        for (((n, start), coefficients), absorbed) in runs.zip(absorbed) {
            if absorbed {
                if *n == 0 {
                    *start = week;
                }
                *n += 1;
                *coefficients = model.coefficient(*n);
            }
        }
        total
    }

    /// Normalises the masses, drops runs below [`PRUNE_BELOW`], and merges
    /// the least likely runs beyond `max_run` into their older neighbours.
    fn prune(&mut self, max_run: usize) {
        self.normalise();
        if self.mass.iter().any(|&mass| mass < PRUNE_BELOW) {
            self.retain_mass_at_least(PRUNE_BELOW);
            self.normalise();
        }
        while self.len() > max_run {
            // The least likely run merges into its older neighbour: its mass
            // stays, nearly where it was, under that neighbour's statistics.
            let least = self
                .mass
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| i)
                .expect("there are more runs than max_run, which is at least 1");
            let into = if least > 0 { least - 1 } else { 1 };
            self.mass[into] += self.mass[least];
            self.remove(least);
        }
    }

    fn normalise(&mut self) {
        let total: f64 = self.mass.iter().sum();
        if total > 0.0 && total.is_finite() {
            let scale = 1.0 / total;
            for mass in &mut self.mass {
                *mass *= scale;
            }
        }
    }

    /// The runs that have seen a value: all but an empty newest one.
    fn seen(&self) -> usize {
        self.len() - usize::from(self.n.last() == Some(&0))
    }
}

/// The prior and the per-count coefficients of the Student-t predictive.
#[derive(Debug)]
struct Model {
    /// Rate added per value: half the floor variance.
    jitter: f64,
    /// Indexed by the values a run has seen.
    coefficients: Vec<Coefficients>,
}

#[derive(Clone, Copy, Debug)]
struct Coefficients {
    /// κ / (2 (κ + 1)): how a deviation raises the rate.
    spread: f64,
    /// 1 / (κ + 1): how far the mean moves toward a new value.
    gain: f64,
    /// Γ(α + ½) / Γ(α) · √(κ / (2π (κ + 1))).
    norm: f64,
}

impl Model {
    /// A model for runs of up to `values` values, in standardised units,
    /// with the given floor variance.
    fn new(values: usize, floor_variance: f64) -> Model {
        let alpha0 = f64::from(ALPHA0_TWICE) / 2.0;
        // Γ(α + ½) / Γ(α) at α0, then from Γ(α + 1) = α Γ(α):
        // ratio(α + ½) = α / ratio(α).
        let mut ratio = gamma_half(ALPHA0_TWICE + 1) / gamma_half(ALPHA0_TWICE);
        let coefficients = (0..=values)
            .map(|n| {
                let kappa = KAPPA0 + n as f64;
                let alpha = alpha0 + n as f64 / 2.0;
                let coefficients = Coefficients {
                    spread: kappa / (2.0 * (kappa + 1.0)),
                    gain: 1.0 / (kappa + 1.0),
                    norm: ratio * (kappa / (2.0 * PI * (kappa + 1.0))).sqrt(),
                };
                ratio = alpha / ratio;
                coefficients
            })
            .collect();
        Model {
            jitter: floor_variance / 2.0,
            coefficients,
        }
    }

    fn coefficient(&self, n: u32) -> Coefficients {
        let last = self.coefficients.len() - 1;
        self.coefficients[(n as usize).min(last)]
    }

    /// The prior rate: level 0 and variance 1 a priori (the baseline's
    /// median and the series' noise), with the floor.
    fn fresh_rate(&self) -> f64 {
        f64::from(ALPHA0_TWICE) / 2.0 + self.jitter
    }

    /// The prior predictive density at `x`: what a new level, or a one-off,
    /// would make of it.
    fn fresh_density(&self, x: f64) -> f64 {
        let c = self.coefficients[0];
        let rate = self.fresh_rate();
        let next_rate = rate + c.spread * x * x;
        c.norm * (rate / next_rate).powi(ALPHA0_TWICE as i32 / 2) / next_rate.sqrt()
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
    let values: Vec<f64> = series.iter().copied().filter(|x| x.is_finite()).collect();
    let first = series.iter().position(|x| x.is_finite())?;
    let (low, high) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), &x| {
            (low.min(x), high.max(x))
        });
    if high <= low {
        return None; // one value, or a constant series: nothing to detect
    }

    // Empirical Bayes: standardise by the baseline's median and the noise.
    let center = median(values[..config.min_baseline.clamp(1, values.len())].to_vec());
    let floor = FLOOR_OF_RANGE * (high - low);
    let scale = noise(&values).max(floor);
    if !(scale.is_finite() && scale > 0.0 && center.is_finite()) {
        return None; // magnitudes beyond f64 (a range that overflows)
    }
    let model = Model::new(values.len(), (floor / scale).powi(2));

    let hazard = if config.expected_run > 1.0 {
        1.0 / config.expected_run
    } else {
        1.0
    };
    let outlier = if config.outlier_rate.is_nan() {
        0.0
    } else {
        config.outlier_rate.clamp(0.0, 1.0)
    };
    let min_run = u32::try_from(config.min_run.max(1)).unwrap_or(u32::MAX);
    let max_run = config.max_run.max(2);

    // Weeks with a value before each week.
    let seen_before: Vec<usize> = std::iter::once(0)
        .chain(series.iter().scan(0, |seen, x| {
            *seen += usize::from(x.is_finite());
            Some(*seen)
        }))
        .collect();
    // A change may begin after the first value, with the baseline behind it.
    let eligible = |start: usize| start > first && seen_before[start] >= config.min_baseline.max(1);

    let mut trace = Trace::new(series.len());

    let mut runs = Runs::default();
    runs.push(&model, 1.0);
    for (week, &value) in series.iter().enumerate() {
        // A change may happen this week: every run goes on with 1 - H and a
        // new one begins with H. Runs that have seen nothing yet are one.
        for mass in &mut runs.mass {
            *mass *= 1.0 - hazard;
        }
        match (runs.n.last(), runs.mass.last_mut()) {
            (Some(0), Some(mass)) => *mass += hazard,
            _ => runs.push(&model, hazard),
        }

        if value.is_finite() {
            let total = runs.observe(&model, (value - center) / scale, week, outlier);
            if !(total > 0.0 && total.is_finite()) {
                // Every density underflowed: the value is a new level.
                runs.mass.fill(0.0);
                if let Some(mass) = runs.mass.last_mut() {
                    *mass = 1.0;
                }
            }
        }
        runs.prune(max_run);

        // For each run young enough to trace, runs[low..high] began within
        // ±TOLERANCE of it: `window` sums their mass (never the first run's,
        // which is no change) and `upto` the mass of every run before high.
        let seen = runs.seen();
        let oldest = (week + 1).saturating_sub(HORIZON + TOLERANCE);
        let young = runs.start[..seen].partition_point(|&start| start < oldest);
        let (mut low, mut high, mut window) = (young, young, 0.0f64);
        let mut upto: f64 = runs.mass[..young].iter().sum();
        for i in young..seen {
            let start = runs.start[i];
            while high < seen && runs.start[high] <= start + TOLERANCE {
                if runs.start[high] > first {
                    window += runs.mass[high];
                }
                upto += runs.mass[high];
                high += 1;
            }
            while runs.start[low] + TOLERANCE < start {
                if runs.start[low] > first {
                    window -= runs.mass[low];
                }
                low += 1;
            }
            let lag = week - start;
            if lag < HORIZON && eligible(start) {
                let held = runs.n[i] >= min_run;
                trace.record(start, lag, held.then_some(window / upto), runs.mass[i]);
            }
        }
    }

    let changes = extract(series, &trace, &seen_before, config);
    Some(Analysis { changes, runs })
}

/// What the run posterior said, week after week, about each week as the
/// start of a new level.
struct Trace {
    /// [s * HORIZON + lag]: the probability of a change at s (see the module
    /// docs) judged at week s + lag, once its level held min_run weeks.
    probability: Vec<f32>,
    /// [s * HORIZON + lag]: the mass of the run "began at s" then, held or
    /// not.
    mass: Vec<f32>,
    /// [s]: the highest probability of a change at s.
    best: Vec<f32>,
    /// [s]: the highest mass of the run "began at s".
    best_mass: Vec<f32>,
}

impl Trace {
    fn new(weeks: usize) -> Trace {
        Trace {
            probability: vec![0.0; weeks * HORIZON],
            mass: vec![0.0; weeks * HORIZON],
            best: vec![0.0; weeks],
            best_mass: vec![0.0; weeks],
        }
    }

    /// Records the run "began at `start`" at `lag` weeks: its mass, and the
    /// probability of a change there once its level has held.
    fn record(&mut self, start: usize, lag: usize, probability: Option<f64>, mass: f64) {
        let mass = mass as f32;
        self.mass[start * HORIZON + lag] = mass;
        self.best_mass[start] = self.best_mass[start].max(mass);
        if let Some(probability) = probability {
            let probability = probability.clamp(0.0, 1.0) as f32;
            self.probability[start * HORIZON + lag] = probability;
            self.best[start] = self.best[start].max(probability);
        }
    }

    fn index(start: usize, end: usize) -> usize {
        start * HORIZON + (end - start).min(HORIZON - 1)
    }

    /// The probability of a change at `start` judged at week `end`, or at
    /// the horizon if that is sooner.
    fn probability(&self, start: usize, end: usize) -> f64 {
        f64::from(self.probability[Trace::index(start, end)])
    }

    /// The mass of the run "began at `start`" at week `end`, or at the
    /// horizon if that is sooner.
    fn mass(&self, start: usize, end: usize) -> f32 {
        self.mass[Trace::index(start, end)]
    }
}

/// Neighbouring candidate weeks, taken as one change dated at `at`.
#[derive(Clone, Copy, Debug)]
struct Cluster {
    first: usize,
    last: usize,
    at: usize,
}

/// Turns the trace into reported changes (see the module docs).
fn extract(series: &[f64], trace: &Trace, seen_before: &[usize], config: &Config) -> Vec<ChangePoint> {
    let passes = |p: f64| p > 0.0 && p >= config.threshold;
    let candidate = |week: usize| passes(f64::from(trace.best[week]));

    // Candidates at most 2 × TOLERANCE + 1 weeks apart are one change, first
    // dated at the week with the most mass of its own at any time.
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut week = 0;
    while week < series.len() {
        if !candidate(week) {
            week += 1;
            continue;
        }
        let mut cluster = Cluster {
            first: week,
            last: week,
            at: week,
        };
        let mut next = week + 1;
        while next < series.len() && next <= cluster.last + 2 * TOLERANCE + 1 {
            if candidate(next) {
                if trace.best_mass[next] > trace.best_mass[cluster.at] {
                    cluster.at = next;
                }
                cluster.last = next;
            }
            next += 1;
        }
        clusters.push(cluster);
        week = cluster.last + 1;
    }

    // Judge each change at the end of its segment, dated again at the week
    // (of the cluster, or within TOLERANCE of it) with the most mass of its
    // own then; drop the weakest failure and judge
    // again until every change passes. A change whose level held fewer than
    // min_run weeks before the next one fails.
    let probabilities = loop {
        for _ in 0..clusters.len() {
            let mut moved = false;
            for i in 0..clusters.len() {
                let end = clusters.get(i + 1).map_or(series.len(), |next| next.at) - 1;
                let cluster = &mut clusters[i];
                let earliest = cluster.first.saturating_sub(TOLERANCE);
                for start in earliest..=(cluster.last + TOLERANCE).min(end) {
                    if trace.mass(start, end) > trace.mass(cluster.at, end) {
                        cluster.at = start;
                        moved = true;
                    }
                }
            }
            if !moved {
                break;
            }
        }
        let probabilities: Vec<f64> = clusters
            .iter()
            .enumerate()
            .map(|(i, cluster)| {
                let end = clusters.get(i + 1).map_or(series.len(), |next| next.at);
                if seen_before[end] - seen_before[cluster.at] < config.min_run {
                    0.0
                } else {
                    trace.probability(cluster.at, end - 1)
                }
            })
            .collect();
        let weakest = probabilities.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1));
        match weakest {
            Some((i, &p)) if !passes(p) => {
                clusters.remove(i);
            }
            _ => break probabilities,
        }
    };
    let changes: Vec<usize> = clusters.iter().map(|cluster| cluster.at).collect();

    let bounds: Vec<usize> = std::iter::once(0)
        .chain(changes.iter().copied())
        .chain([series.len()])
        .collect();
    changes
        .iter()
        .zip(probabilities)
        .enumerate()
        .map(|(i, (&at, probability))| ChangePoint {
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

/// The noise's standard deviation, from the differences between successive
/// values: a change of level moves one difference. The largest tenth of the
/// differences (changes, odd weeks) are set aside and the rest averaged; a
/// median would do too, but series of small counts repeat values so often
/// that the median difference is 0 or next to it. Falls back to the mean
/// of every difference, and to 0 when there is nothing to go on.
fn noise(values: &[f64]) -> f64 {
    let mut differences: Vec<f64> = values.windows(2).map(|pair| (pair[1] - pair[0]).abs()).collect();
    if differences.is_empty() {
        return 0.0;
    }
    let kept = (differences.len() * 9).div_ceil(10);
    let all = differences.iter().sum::<f64>() / differences.len() as f64;
    differences.select_nth_unstable_by(kept - 1, f64::total_cmp);
    let trimmed = differences[..kept].iter().sum::<f64>() / kept as f64;
    // For Normal noise of deviation σ a difference is Normal(0, 2σ²): its
    // absolute value averages 2σ/√π, and below its 90th percentile
    // (1.6449 √2 σ) it averages √2 σ · √(2/π) (1 - e^(-1.6449²/2)) / 0.9.
    let below = SQRT_2 * (2.0 / PI).sqrt() * (1.0 - (-1.644_853_6f64.powi(2) / 2.0).exp()) / 0.9;
    if trimmed > 0.0 {
        trimmed / below
    } else {
        all * PI.sqrt() / 2.0
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    let count = values.len();
    if count == 0 {
        return f64::NAN;
    }
    let (below, &mut middle, _) = values.select_nth_unstable_by(count / 2, f64::total_cmp);
    if count % 2 == 1 {
        return middle;
    }
    let lower = below.iter().copied().max_by(f64::total_cmp).unwrap_or(middle);
    (lower + middle) / 2.0
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

        /// Poisson, by Knuth's product of uniforms (fine for small means).
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
            (0..trials).map(|_| u32::from(self.0.f64() < p)).sum()
        }
    }

    /// Weeks of each level, in order.
    type Segments<'a> = &'a [(usize, f64)];

    fn weekly(segments: Segments, week: impl FnMut(f64) -> f64) -> Vec<f64> {
        segments
            .iter()
            .flat_map(|&(weeks, level)| std::iter::repeat_n(level, weeks))
            .map(week)
            .collect()
    }

    /// The level plus Normal noise of deviation 1.
    fn gaussian(seed: u64, segments: Segments) -> Vec<f64> {
        let mut noise = Noise::new(seed);
        weekly(segments, |level| level + noise.normal())
    }

    /// log(1 + messages in the week), messages Poisson around the level.
    fn counts(seed: u64, segments: Segments) -> Vec<f64> {
        let mut noise = Noise::new(seed);
        weekly(segments, |level| f64::from(noise.poisson(level)).ln_1p())
    }

    /// log median reply latency around the level (seconds), log-normal
    /// spread 0.5, and one week in seven without messages (no latency).
    fn latency(seed: u64, segments: Segments) -> Vec<f64> {
        let mut noise = Noise::new(seed);
        weekly(segments, |level| {
            let missing = noise.0.f64() < 1.0 / 7.0;
            if missing {
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

    const SEEDS: u64 = 200;

    /// The share of seeds whose every true change is reported within ±2
    /// weeks, and the share where nothing else is reported either.
    fn detection(truth: &[usize], series: impl Fn(u64) -> Vec<f64>) -> (f64, f64) {
        let config = Config::default();
        let (mut found, mut exact) = (0, 0);
        for seed in 0..SEEDS {
            let changes = change_points(&series(seed), &config);
            let all = truth
                .iter()
                .all(|&t| changes.iter().any(|c| c.at.abs_diff(t) <= 2));
            found += usize::from(all);
            exact += usize::from(all && changes.len() == truth.len());
        }
        (found as f64 / SEEDS as f64, exact as f64 / SEEDS as f64)
    }

    /// The share of seeds where any change is reported.
    fn false_alarms(series: impl Fn(u64) -> Vec<f64>) -> f64 {
        let config = Config::default();
        let alarms = (0..SEEDS)
            .filter(|&seed| !change_points(&series(seed), &config).is_empty())
            .count();
        alarms as f64 / SEEDS as f64
    }

    fn assert_detects(name: &str, truth: &[usize], at_least: f64, series: impl Fn(u64) -> Vec<f64>) {
        let (found, exact) = detection(truth, series);
        eprintln!("{name}: found within ±2 weeks in {found:.3} of seeds, and nothing else in {exact:.3}");
        assert!(
            found >= at_least,
            "{name}: found in {found}, expected at least {at_least}"
        );
    }

    fn assert_quiet(name: &str, series: impl Fn(u64) -> Vec<f64>) {
        let rate = false_alarms(series);
        eprintln!("{name}: false alarms in {rate:.3} of seeds");
        assert!(rate <= 0.05, "{name}: false alarms in {rate}");
    }

    #[test]
    fn finds_a_single_shift_in_normal_noise() {
        // Shifts in noise deviations, 20 weeks either side.
        for (shift, at_least) in [(2.0, 0.85), (-2.0, 0.85), (3.0, 0.95), (-3.0, 0.95), (5.0, 0.99)] {
            let name = format!("shift of {shift} sd");
            assert_detects(&name, &[20], at_least, |seed| {
                gaussian(seed, &[(20, 0.0), (20, shift)])
            });
        }
        assert_detects("late shift of 3 sd", &[60], 0.95, |seed| {
            gaussian(seed, &[(60, 5.0), (20, 8.0)])
        });
    }

    /// Where one known change of a known size is likeliest: the best any
    /// detector could do at dating it.
    fn oracle(series: &[f64], shift: f64) -> usize {
        let cost = |at: usize| -> f64 {
            let before: f64 = series[..at].iter().map(|x| x * x).sum();
            let after: f64 = series[at..].iter().map(|x| (x - shift) * (x - shift)).sum();
            before + after
        };
        (1..series.len())
            .min_by(|&a, &b| cost(a).total_cmp(&cost(b)))
            .expect("a series of 40 weeks")
    }

    #[test]
    fn dates_a_two_sd_shift_nearly_as_well_as_an_oracle() {
        // Knowing that there is exactly one change and both levels, the
        // best possible estimate of where a 2 sd shift lies is within ±2
        // weeks in only about 94% of series: no detector reaches 95% there.
        let (mut ours, mut best) = (0, 0);
        for seed in 0..1000 {
            let series = gaussian(seed, &[(20, 0.0), (20, 2.0)]);
            best += usize::from(oracle(&series, 2.0).abs_diff(20) <= 2);
            let changes = change_points(&series, &Config::default());
            ours += usize::from(changes.iter().any(|c| c.at.abs_diff(20) <= 2));
        }
        let (ours, best) = (ours as f64 / 1000.0, best as f64 / 1000.0);
        eprintln!("2 sd shift within ±2 weeks: ours {ours:.3}, oracle {best:.3}");
        assert!(best < 0.95, "{best}");
        assert!(ours >= best - 0.05, "ours {ours}, oracle {best}");
    }

    #[test]
    fn finds_shifts_in_counts_latencies_and_shares() {
        assert_detects("messages 20 -> 8 a week", &[20], 0.95, |seed| {
            counts(seed, &[(20, 20.0), (20, 8.0)])
        });
        assert_detects("messages 5 -> 2 a week", &[20], 0.65, |seed| {
            counts(seed, &[(20, 5.0), (20, 2.0)])
        });
        assert_detects("latency 1 h -> 3 h, with gaps", &[20], 0.85, |seed| {
            latency(seed, &[(20, 3600.0), (20, 3.0 * 3600.0)])
        });
        assert_detects("initiation share 0.5 -> 0.25", &[20], 0.8, |seed| {
            shares(seed, &[(20, 0.5), (20, 0.25)])
        });
    }

    #[test]
    fn finds_two_changes_as_two() {
        assert_detects("up 3 sd, then back", &[20, 40], 0.9, |seed| {
            gaussian(seed, &[(20, 0.0), (20, 3.0), (20, 0.0)])
        });
        assert_detects("down 3 sd, down 3 more", &[20, 40], 0.9, |seed| {
            gaussian(seed, &[(20, 0.0), (20, -3.0), (20, -6.0)])
        });
    }

    #[test]
    fn stationary_series_rarely_alarm() {
        assert_quiet("normal noise", |seed| gaussian(seed, &[(60, 0.0)]));
        assert_quiet("messages, 10 a week", |seed| counts(seed, &[(60, 10.0)]));
        assert_quiet("messages, 2 a week", |seed| counts(seed, &[(60, 2.0)]));
        assert_quiet("latency with gaps", |seed| latency(seed, &[(60, 3600.0)]));
        assert_quiet("initiation share", |seed| shares(seed, &[(60, 0.5)]));
    }

    #[test]
    fn ten_steady_years_rarely_alarm() {
        // 520 weeks under a prior that expects a change a year.
        let rate = (0..100)
            .filter(|&seed| !change_points(&gaussian(seed, &[(520, 0.0)]), &Config::default()).is_empty());
        let rate = rate.count() as f64 / 100.0;
        eprintln!("520 steady weeks: false alarms in {rate:.3} of seeds");
        assert!(rate <= 0.1, "{rate}");
    }

    #[test]
    fn a_change_inside_the_baseline_is_not_reported() {
        let config = Config::default();
        for seed in 0..20 {
            let series = gaussian(seed, &[(5, 0.0), (40, 6.0)]);
            assert_eq!(change_points(&series, &config), vec![], "seed {seed}");
        }
    }

    #[test]
    fn the_current_change_needs_min_run_weeks_of_the_new_level() {
        let config = Config::default();
        for seed in 0..20 {
            let base = gaussian(seed, &[(30, 0.0), (12, 6.0)]);
            for held in 1..config.min_run {
                let series = &base[..30 + held];
                assert_eq!(
                    current_change(series, &config),
                    None,
                    "seed {seed}, held {held} weeks"
                );
            }
            let change = current_change(&base[..30 + config.min_run], &config).expect("held long enough");
            assert_eq!(change.at, 30, "seed {seed}");
            let change = current_change(&base, &config).expect("still holding");
            assert_eq!(change.at, 30, "seed {seed}");
            assert!(change.probability >= 0.9, "{change:?}");
            assert_eq!(change.after.weeks, 12);
        }
    }

    #[test]
    fn a_change_that_went_back_is_not_current() {
        let config = Config::default();
        for seed in 0..20 {
            // Up for ten weeks, then back for two: nothing current.
            let series = gaussian(seed, &[(30, 0.0), (10, 6.0), (2, 0.0)]);
            assert_eq!(current_change(&series, &config), None, "seed {seed}");
            // Back for ten weeks: the return is the current change.
            let series = gaussian(seed, &[(30, 0.0), (10, 6.0), (10, 0.0)]);
            let change = current_change(&series, &config).expect("the return held");
            assert_eq!(change.at, 40, "seed {seed}");
            assert!(change.before.mean > 4.0 && change.after.mean < 2.0, "{change:?}");
        }
    }

    #[test]
    fn one_odd_week_is_not_a_change() {
        let config = Config::default();
        let at = |series: &[f64]| {
            change_points(series, &config)
                .iter()
                .map(|c| c.at)
                .collect::<Vec<_>>()
        };
        // An 8 sd spike in steady noise changes nothing around it, but in
        // the odd series where the next week is high too (seed 192: 8.0,
        // then 2.8 sd).
        let mut differ = 0;
        for seed in 0..SEEDS {
            let steady = gaussian(seed, &[(60, 0.0)]);
            let mut spiked = steady.clone();
            spiked[30] = 8.0;
            let near = |series: &[f64]| at(series).into_iter().filter(|at| (28..=33).contains(at)).count();
            differ += usize::from(near(&steady) != near(&spiked));
        }
        let rate = differ as f64 / SEEDS as f64;
        eprintln!("one 8 sd spike: changes around it in {rate:.3} of seeds");
        assert!(rate <= 0.01, "{rate}");
        for seed in 0..50 {
            // A silence of weeks without messages, broken by one message.
            let mut series = counts(seed, &[(30, 10.0), (30, 0.0)]);
            series[45] = 1.0f64.ln_1p();
            let found = at(&series);
            assert!(
                found.contains(&30) && found.iter().all(|&at| at <= 30),
                "seed {seed}: {found:?}"
            );
        }
    }

    #[test]
    fn gaps_neither_panic_nor_make_changes() {
        let config = Config::default();
        let mut alarms = 0;
        for seed in 0..SEEDS {
            let mut noise = Noise::new(seed + 10_000);
            let series: Vec<f64> = gaussian(seed, &[(60, 0.0)])
                .into_iter()
                .map(|x| if noise.0.f64() < 0.3 { f64::NAN } else { x })
                .collect();
            alarms += usize::from(!change_points(&series, &config).is_empty());
        }
        let rate = alarms as f64 / SEEDS as f64;
        eprintln!("normal noise, 30% of weeks missing: false alarms in {rate:.3} of seeds");
        assert!(rate <= 0.05, "{rate}");

        // A long gap, then a new level: dated at its first week with a value.
        for seed in 0..20 {
            let mut series = gaussian(seed, &[(30, 0.0), (30, 5.0)]);
            series[25..33].fill(f64::NAN);
            let changes = change_points(&series, &config);
            assert_eq!(
                changes.iter().map(|c| c.at).collect::<Vec<_>>(),
                vec![33],
                "seed {seed}"
            );
            assert!((changes[0].before.mean - mean(&series[..33])).abs() < 1e-12);
            assert_eq!(changes[0].before.weeks, 33);
        }
    }

    #[test]
    fn degenerate_series_return_nothing() {
        let config = Config::default();
        let nothing: [&[f64]; 7] = [
            &[],
            &[f64::NAN; 40],
            &[3.0; 40],
            &[0.0; 40],
            &[1.0],
            &[f64::INFINITY, f64::NEG_INFINITY, f64::NAN],
            &[
                2.0,
                f64::NAN,
                2.0,
                2.0,
                f64::NAN,
                2.0,
                2.0,
                2.0,
                2.0,
                2.0,
                2.0,
                2.0,
            ],
        ];
        for series in nothing {
            assert_eq!(change_points(series, &config), vec![], "{series:?}");
            assert_eq!(current_change(series, &config), None, "{series:?}");
        }
    }

    #[test]
    fn a_flat_baseline_then_a_small_step_is_a_change() {
        // Identical weeks would make any other value infinitely surprising
        // without the variance floor; the step is still a change.
        let series: Vec<f64> = (0..40).map(|week| if week < 20 { 0.5 } else { 0.6 }).collect();
        let changes = change_points(&series, &Config::default());
        assert_eq!(changes.iter().map(|c| c.at).collect::<Vec<_>>(), vec![20]);
        assert!((changes[0].before.mean - 0.5).abs() < 1e-12 && (changes[0].after.mean - 0.6).abs() < 1e-12);
    }

    #[test]
    fn magnitudes_do_not_matter() {
        let config = Config::default();
        for seed in 0..20 {
            let series = gaussian(seed, &[(20, 0.0), (20, 3.0), (20, -1.0)]);
            let at = |changes: Vec<ChangePoint>| changes.iter().map(|c| c.at).collect::<Vec<_>>();
            let expected = at(change_points(&series, &config));
            for (scale, offset) in [(1e-9, 0.0), (1e9, 0.0), (1e-9, 1e-6), (1e9, 1e12), (1.0, -1e6)] {
                let scaled: Vec<f64> = series.iter().map(|x| x * scale + offset).collect();
                let changes = change_points(&scaled, &config);
                assert_eq!(
                    at(changes.clone()),
                    expected,
                    "seed {seed}, scale {scale}, offset {offset}"
                );
                for change in changes {
                    assert!(change.after.mean.is_finite() && change.before.mean.is_finite());
                }
            }
        }
    }

    fn mean(values: &[f64]) -> f64 {
        let values: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        values.iter().sum::<f64>() / values.len() as f64
    }

    /// The invariants of any answer: in order, within the series, spaced by
    /// min_run, probabilities in [0, 1], levels the means of the segments
    /// between reported changes, and the current change the last one.
    fn check(series: &[f64], config: &Config) -> Result<(), TestCaseError> {
        let changes = change_points(series, config);
        let mut from = 0;
        for (i, change) in changes.iter().enumerate() {
            let to = changes.get(i + 1).map_or(series.len(), |next| next.at);
            prop_assert!(from < change.at && change.at < to);
            prop_assert!((0.0..=1.0).contains(&change.probability));
            prop_assert!(change.probability >= config.threshold);
            prop_assert!(series[change.at].is_finite());
            prop_assert_eq!(change.before.weeks, change.at - from);
            prop_assert_eq!(change.after.weeks, to - change.at);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()));
            prop_assert!(close(change.before.mean, mean(&series[from..change.at])));
            prop_assert!(close(change.after.mean, mean(&series[change.at..to])));
            let seen = series[change.at..to].iter().filter(|x| x.is_finite()).count();
            prop_assert!(seen >= config.min_run.max(1));
            from = change.at;
        }
        if let Some(current) = current_change(series, config) {
            let last = changes.last().expect("a current change is a reported one");
            prop_assert_eq!(current.at, last.at);
            prop_assert!((0.0..=1.0).contains(&current.probability));
            prop_assert!(current.probability >= config.threshold);
        }
        Ok(())
    }

    fn week() -> impl Strategy<Value = f64> {
        prop_oneof![
            8 => -5.0..5.0f64,
            1 => Just(f64::NAN),
            1 => prop_oneof![Just(0.0), Just(1.0), Just(1e-300), Just(-1e300), Just(f64::INFINITY)],
        ]
    }

    /// Levels with noise, so that changes are found and checked too.
    fn segmented() -> impl Strategy<Value = Vec<f64>> {
        (
            prop::collection::vec((1usize..30, -10.0..10.0f64), 1..6),
            any::<u64>(),
        )
            .prop_map(|(segments, seed)| {
                let mut series = gaussian(seed, &segments);
                let mut noise = Noise::new(seed);
                for x in &mut series {
                    if noise.0.f64() < 0.1 {
                        *x = f64::NAN;
                    }
                }
                series
            })
    }

    fn config() -> impl Strategy<Value = Config> {
        (
            0.0..200.0f64,
            0usize..20,
            0usize..10,
            0.0..1.0f64,
            0usize..100,
            0.0..1.0f64,
        )
            .prop_map(
                |(expected_run, min_baseline, min_run, threshold, max_run, outlier_rate)| Config {
                    expected_run,
                    min_baseline,
                    min_run,
                    threshold,
                    max_run,
                    outlier_rate,
                },
            )
    }

    proptest! {
        #[test]
        fn any_series_gives_a_consistent_answer(series in prop::collection::vec(week(), 0..120)) {
            check(&series, &Config::default())?;
        }

        #[test]
        fn segmented_series_give_a_consistent_answer(series in segmented(), config in config()) {
            check(&series, &config)?;
        }
    }
}
