//! A self-contained HTML report of friendships, for one friend or for all.
//!
//! [`render`] turns a [`Report`] (plain owned data, see [`model`]) into one
//! HTML page: embedded CSS, inline SVG charts drawn by plotters, no script,
//! no fonts, images or styles fetched, so it opens offline, follows light
//! and dark mode, and prints. [`sample::report`] makes a seeded, synthetic
//! year of three friendships for examples and tests.
//!
//! - `model`: the input. Bands, cadence words and signals arrive already
//!   written; the report lays them out and draws the weekly series.
//! - `series`: weekly values, 4-week rolling means over calendar weeks
//!   (missing weeks are gaps, not zeros), "lately" summaries.
//! - `chart`: the plotters charts and their palette (one colour for me, one
//!   for the friend, on every chart).
//! - `view` and `templates/`: words and layout (askama, escaped by default).
//!
//! **Invariant**: the page references nothing outside itself, and every
//! piece of user text (names, notes, signals) is escaped, in the HTML by
//! askama and in the charts by plotters.

mod chart;
pub mod model;
pub mod sample;
mod series;
mod view;
mod words;

pub use model::{FriendReport, Note, Report, Side, SignalView, Week, Whose};

use askama::Template as _;

/// The report as one self-contained HTML page.
pub fn render(report: &Report) -> String {
    view::page(report)
        .render()
        .expect("the report's templates only print strings and numbers, which cannot fail")
}

/// Writes the report as one self-contained HTML page.
pub fn write(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    out.write_all(render(report).as_bytes())
}

/// One friend's charts (timeline, time together, conversations) as an
/// HTML fragment with its headings, for a page that lays out the rest.
pub fn figures(friend: &FriendReport, today: jiff::civil::Date) -> String {
    view::figures(friend, today)
        .render()
        .expect("the report's templates only print strings and numbers, which cannot fail")
}

/// The CSS the charts and [`figures`] need: the palette for light and dark
/// mode and the figures' layout.
pub fn chart_css() -> String {
    format!(
        "{}\n{}",
        chart::palette_css(),
        include_str!("../templates/charts.css")
    )
}

/// A signal kind (`imbalance`, `missed-followups`, ...) as a heading:
/// "Balance has tipped", "Follow-ups slipped".
pub fn signal_heading(kind: &str) -> String {
    words::signal_kind(kind)
}
