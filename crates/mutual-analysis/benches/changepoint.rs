//! Change-point detection over weekly series: ten years (520 weeks, the
//! longest a friendship's history is likely to be) steady, which is the
//! slowest case since every run stays plausible, and drifting twice; three
//! years, a more usual length; and the steady ten years by `max_run`, the
//! bound on runs that sets the cost of a week. Signals run this for about
//! 50 friends × 10 series at once.
//!
//! Run with `cargo bench -p mutual-analysis --bench changepoint`.

use mutual_analysis::changepoint::{Config, change_points, current_change};

fn main() {
    divan::main();
}

/// Seeded Normal noise (Box–Muller) around the level of each week.
fn series(seed: u64, weeks: usize, level: impl Fn(usize) -> f64) -> Vec<f64> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..weeks)
        .map(|week| {
            let (u, v) = (1.0 - rng.f64(), rng.f64());
            level(week) + (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        })
        .collect()
}

fn steady() -> Vec<f64> {
    series(1, 520, |_| 3.0)
}

fn drifting() -> Vec<f64> {
    series(2, 520, |week| match week {
        0..200 => 3.0,
        200..400 => 1.0,
        _ => 2.5,
    })
}

#[divan::bench]
fn change_points_steady(bencher: divan::Bencher) {
    let (series, config) = (steady(), Config::default());
    bencher.bench(|| change_points(divan::black_box(&series), &config));
}

#[divan::bench]
fn change_points_drifting(bencher: divan::Bencher) {
    let (series, config) = (drifting(), Config::default());
    bencher.bench(|| change_points(divan::black_box(&series), &config));
}

#[divan::bench]
fn current_change_drifting(bencher: divan::Bencher) {
    let (series, config) = (drifting(), Config::default());
    bencher.bench(|| current_change(divan::black_box(&series), &config));
}

#[divan::bench]
fn change_points_three_years(bencher: divan::Bencher) {
    let series = series(3, 156, |week| if week < 100 { 3.0 } else { 1.5 });
    let config = Config::default();
    bencher.bench(|| change_points(divan::black_box(&series), &config));
}

#[divan::bench(args = [8, 16, 32, 48, 64, 520])]
fn steady_by_max_run(bencher: divan::Bencher, max_run: usize) {
    let (series, config) = (
        steady(),
        Config {
            max_run,
            ..Config::default()
        },
    );
    bencher.bench(|| change_points(divan::black_box(&series), &config));
}
