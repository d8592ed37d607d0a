//! The charts, drawn by plotters' SVG backend without a font backend.
//!
//! Plotters writes `<text>` elements and leaves glyphs to the browser; it only
//! estimates text widths (to space tick labels), which is why every axis here
//! has a fixed label area. Colours are written as attributes; the page's CSS
//! maps each palette colour to a custom property (see [`palette_css`]), so
//! the charts follow light mode, dark mode and print like the text does.
//!
//! Each function returns the inside of the `<svg>` element; the template
//! writes the element itself with its `role`, `aria-label` and `<title>`.

use std::error::Error;
use std::fmt::Write as _;
use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::series::{date_of, day_number};
use crate::words;

/// The width every chart is drawn at (the page scales it).
pub(crate) const WIDTH: u32 = 420;
/// The height of a time chart, legend included.
pub(crate) const HEIGHT: u32 = 240;
const LEGEND_HEIGHT: u32 = 30;
/// Plotters writes `font-size` as this over 1.24: 14.5 px in a chart
/// `WIDTH` wide, which a 390 px phone shows 333 px wide (measured in
/// Chromium), so labels stay above 11 px there.
const FONT: f64 = 18.0;
const X_LABELS: usize = 6;
/// Room for the vertical axis' labels of a time chart.
const Y_AREA: u32 = 58;
const FAMILY: &str = "sans-serif";

/// A chart colour and the custom property the page styles it with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ink {
    pub(crate) light: RGBColor,
    pub(crate) dark: RGBColor,
    pub(crate) var: &'static str,
}

/// Me: every chart, the header key and the notes.
pub(crate) const ME: Ink = Ink {
    light: RGBColor(0x1F, 0x6F, 0xB5),
    dark: RGBColor(0x7D, 0xB8, 0xEE),
    var: "--me",
};
/// The friend.
pub(crate) const THEM: Ink = Ink {
    light: RGBColor(0xB8, 0x55, 0x0F),
    dark: RGBColor(0xF2, 0xA6, 0x5A),
    var: "--them",
};
/// Measures of the pair: balance, energy.
pub(crate) const US: Ink = Ink {
    light: RGBColor(0x6B, 0x4F, 0xA8),
    dark: RGBColor(0xBC, 0xA8, 0xEE),
    var: "--us",
};
/// The balanced band.
pub(crate) const CALM: Ink = Ink {
    light: RGBColor(0x2E, 0x8B, 0x6E),
    dark: RGBColor(0x6F, 0xCF, 0xAE),
    var: "--calm",
};
/// Signal markers.
pub(crate) const SIGNAL: Ink = Ink {
    light: RGBColor(0xA8, 0x3A, 0x6B),
    dark: RGBColor(0xF0, 0x8D, 0xB8),
    var: "--signal",
};
/// Axes, grid and reference lines: a grey that reads on both backgrounds.
const GRID: RGBColor = RGBColor(0x8A, 0x90, 0x99);
/// Chart text before the page's CSS restyles it.
const TEXT: RGBColor = RGBColor(0x4A, 0x4F, 0x57);

const PALETTE: [Ink; 5] = [ME, THEM, US, CALM, SIGNAL];

fn hex(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// The palette as CSS: the custom properties for light and dark mode, and
/// the rules that let them restyle the colours plotters wrote as attributes.
pub(crate) fn palette_css() -> String {
    let mut light = String::new();
    let mut dark = String::new();
    let mut rules = String::new();
    for ink in PALETTE {
        let (var, on_light, on_dark) = (ink.var, hex(ink.light), hex(ink.dark));
        let _ = write!(light, "{var}:{on_light};");
        let _ = write!(dark, "{var}:{on_dark};");
        let _ = writeln!(
            rules,
            ".chart [stroke=\"{on_light}\"]{{stroke:var({var})}}\
             .chart [fill=\"{on_light}\"]{{fill:var({var})}}"
        );
    }
    format!(
        ":root{{{light}}}\n\
         @media screen and (prefers-color-scheme: dark){{:root{{{dark}}}}}\n{rules}"
    )
}

/// A drawn chart: the inside of its `<svg>` and the size of its view box.
#[derive(Clone, Debug)]
pub(crate) struct Chart {
    pub(crate) body: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

type Drawn = Result<(), Box<dyn Error>>;
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn svg(width: u32, height: u32, draw: impl FnOnce(&Area<'_>) -> Drawn) -> Option<Chart> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(&root).ok()?;
        root.present().ok()?;
    }
    // Keep what is inside plotters' `<svg …>…</svg>`: the template writes
    // the element with its accessible name (and without the namespace URL,
    // which inline SVG in HTML does not need).
    let open = out.find("<svg")?;
    let inner_start = open + out[open..].find('>')? + 1;
    let inner_end = out.rfind("</svg>")?;
    Some(Chart {
        body: out.get(inner_start..inner_end)?.trim().to_owned(),
        width,
        height,
    })
}

fn font(size: f64) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&TEXT)
}

/// The days a friend's time charts span, shared so they line up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Span {
    pub(crate) start: f64,
    pub(crate) end: f64,
}

impl Span {
    /// The span covering `days` and ending on `today`, never in the
    /// future: padded a little before the first day, at least four weeks.
    pub(crate) fn up_to(days: impl IntoIterator<Item = f64>, today: f64) -> Option<Span> {
        let lo = days
            .into_iter()
            .filter(|d| d.is_finite())
            .map(|d| d.min(today))
            .fold(None, |lo: Option<f64>, d| Some(lo.map_or(d, |lo| lo.min(d))))?;
        let pad = ((today - lo) * 0.02).max(3.0);
        Some(Span {
            start: (lo - pad).min(today - 28.0),
            end: today,
        })
    }

    fn axis(self) -> DayAxis {
        DayAxis {
            start: self.start,
            end: self.end,
        }
    }
}

/// Time, as day numbers, with ticks on the first of a month (or on Mondays
/// when the span is too short to hold two months).
#[derive(Clone, Debug)]
struct DayAxis {
    start: f64,
    end: f64,
}

impl DayAxis {
    fn ticks(&self, max: usize) -> Vec<f64> {
        if max == 0 {
            return Vec::new();
        }
        let first = date_of(self.start.ceil());
        let mut month = first.first_of_month();
        if month < first {
            month = month.last_of_month().tomorrow().unwrap_or(month);
        }
        let mut months = Vec::new();
        while day_number(month) <= self.end {
            months.push(month);
            let Ok(next) = month.last_of_month().tomorrow() else {
                break;
            };
            month = next;
        }
        if months.len() >= 2 {
            // Every `step` months: Jan, Apr, Jul, Oct for 3; every other
            // January for 24.
            for step in [1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600] {
                let picked: Vec<f64> = months
                    .iter()
                    .filter(|m| {
                        let index = i32::from(m.year()) * 12 + i32::from(m.month()) - 1;
                        index % step == 0
                    })
                    .map(|m| day_number(*m))
                    .collect();
                if picked.len() <= max {
                    return picked;
                }
            }
            return Vec::new();
        }
        // Short spans: Mondays, every week or every second one.
        let mut monday = first;
        while monday.weekday() != jiff::civil::Weekday::Monday {
            monday = monday.tomorrow().unwrap_or(monday);
        }
        let mondays: Vec<f64> = (0..)
            .map(|k| day_number(monday) + 7.0 * f64::from(k))
            .take_while(|d| *d <= self.end)
            .collect();
        let step = mondays.len().div_ceil(max).max(1);
        mondays.into_iter().step_by(step).collect()
    }

    /// "Mar", with the year on the first tick and on every January: "Jan 2025".
    fn formatter(&self) -> impl Fn(&f64) -> String + use<> {
        let first = self.ticks(X_LABELS).first().copied();
        move |day: &f64| {
            let date = date_of(*day);
            if date.day() != 1 {
                date.strftime("%-d %b").to_string()
            } else if date.month() == 1 || Some(*day) == first {
                date.strftime("%b %Y").to_string()
            } else {
                date.strftime("%b").to_string()
            }
        }
    }
}

impl Ranged for DayAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        linear(*value, self.start, self.end, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        self.ticks(hint.max_num_points())
    }

    fn range(&self) -> Range<f64> {
        self.start..self.end
    }
}

fn linear(value: f64, lo: f64, hi: f64, limit: (i32, i32)) -> i32 {
    let share = if hi > lo { (value - lo) / (hi - lo) } else { 0.5 };
    limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
}

/// Minutes on a log scale, with ticks at durations people think in.
#[derive(Clone, Debug)]
struct MinutesAxis {
    lo: f64,
    hi: f64,
}

const NICE_MINUTES: [f64; 15] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 720.0, 1440.0, 2880.0, 4320.0, 10080.0,
];

impl MinutesAxis {
    fn covering(values: impl Iterator<Item = f64>) -> MinutesAxis {
        let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (10.0, 60.0) };
        let mut lo = NICE_MINUTES
            .iter()
            .rev()
            .find(|n| **n <= lo / 1.2)
            .copied()
            .unwrap_or(1.0);
        let mut hi = NICE_MINUTES
            .iter()
            .find(|n| **n >= hi * 1.2)
            .copied()
            .unwrap_or(10080.0);
        // At least about a decade, widened one nice step at a time.
        let next = |v: f64| NICE_MINUTES.iter().find(|n| **n > v).copied();
        let previous = |v: f64| NICE_MINUTES.iter().rev().find(|n| **n < v).copied();
        while hi / lo < 8.0 {
            if let Some(up) = next(hi) {
                hi = up;
            }
            if hi / lo >= 8.0 {
                break;
            }
            match previous(lo) {
                Some(down) => lo = down,
                None if next(hi).is_none() => break,
                None => {}
            }
        }
        MinutesAxis { lo, hi }
    }
}

impl Ranged for MinutesAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let value = value.clamp(self.lo, self.hi);
        linear(value.ln(), self.lo.ln(), self.hi.ln(), limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let max = hint.max_num_points();
        let within = |list: &[f64]| -> Vec<f64> {
            list.iter()
                .copied()
                .filter(|n| *n >= self.lo && *n <= self.hi)
                .collect()
        };
        // Ever coarser lists, each about evenly spaced on the log scale.
        let lists: [&[f64]; 3] = [
            &NICE_MINUTES,
            &[1.0, 5.0, 15.0, 60.0, 240.0, 1440.0, 10080.0],
            &[1.0, 10.0, 60.0, 1440.0, 10080.0],
        ];
        lists
            .into_iter()
            .map(within)
            .find(|ticks| ticks.len() <= max)
            .unwrap_or_default()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// One row per category, the first at the top.
#[derive(Clone, Debug)]
struct RowsAxis {
    rows: usize,
}

impl Ranged for RowsAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let rows = self.rows.max(1) as f64;
        // limit.0 is the bottom edge: row 0 maps to the top.
        linear(rows - 0.5 - value, 0.0, rows, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        (0..self.rows).map(|r| r as f64).collect()
    }

    fn range(&self) -> Range<f64> {
        -0.5..self.rows as f64 - 0.5
    }
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug)]
enum Key {
    Line(RGBColor),
    Dots(RGBColor),
    Band(RGBColor),
}

fn text_width(text: &str) -> i32 {
    // Plotters cannot measure text without a font backend; this is a
    // generous average for a sans-serif face.
    (text.chars().count() as f64 * FONT / 1.24 * 0.56).ceil() as i32
}

fn legend(area: &Area<'_>, left: i32, items: &[(String, Key)]) -> Drawn {
    let middle = (LEGEND_HEIGHT / 2) as i32 + 2;
    let mut x = left;
    let label = font(FONT).pos(Pos::new(HPos::Left, VPos::Center));
    for (text, key) in items {
        match *key {
            Key::Line(colour) => area.draw(&PathElement::new(
                vec![(x, middle), (x + 20, middle)],
                colour.stroke_width(3),
            ))?,
            Key::Dots(colour) => {
                for dx in [4, 10, 16] {
                    area.draw(&Circle::new((x + dx, middle), 2, colour.mix(0.45).filled()))?;
                }
            }
            Key::Band(colour) => area.draw(&Rectangle::new(
                [(x, middle - 7), (x + 20, middle + 7)],
                colour.mix(0.2).filled(),
            ))?,
        }
        area.draw(&Text::new(text.clone(), (x + 26, middle), label.clone()))?;
        x += 26 + text_width(text) + 22;
    }
    Ok(())
}

/// A time chart's frame: legend strip, axes and grid; `draw` adds the data.
fn time_chart<Y>(
    span: Span,
    y: Y,
    y_labels: usize,
    y_format: &dyn Fn(&f64) -> String,
    legend_items: &[(String, Key)],
    draw: impl FnOnce(&mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<DayAxis, Y>>) -> Drawn,
) -> Option<Chart>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64> + Clone,
{
    svg(WIDTH, HEIGHT, |root| {
        let (top, plot) = root.split_vertically(LEGEND_HEIGHT);
        legend(&top, Y_AREA as i32 + 4, legend_items)?;
        let x = span.axis();
        let x_format = x.formatter();
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(6)
            .margin_right(16)
            .margin_left(4)
            .x_label_area_size(28)
            .y_label_area_size(Y_AREA)
            .build_cartesian_2d(x, y)?;
        mesh(&mut chart, &x_format, y_format, y_labels)?;
        draw(&mut chart)
    })
}

fn mesh<Y>(
    chart: &mut TimeContext<'_, '_, Y>,
    x_format: &dyn Fn(&f64) -> String,
    y_format: &dyn Fn(&f64) -> String,
    y_labels: usize,
) -> Drawn
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID.mix(0.22))
        .axis_style(GRID.mix(0.8))
        .set_all_tick_mark_size(4)
        .x_labels(X_LABELS)
        .y_labels(y_labels)
        .x_label_formatter(x_format)
        .y_label_formatter(y_format)
        .label_style(font(FONT))
        .draw()?;
    Ok(())
}

type TimeContext<'a, 'b, Y> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<DayAxis, Y>>;

fn reference<Y>(chart: &mut TimeContext<'_, '_, Y>, span: Span, at: f64) -> Drawn
where
    Y: Ranged<ValueType = f64>,
{
    chart.draw_series(DashedLineSeries::new(
        [(span.start, at), (span.end, at)],
        5,
        4,
        GRID.mix(0.9).stroke_width(1),
    ))?;
    Ok(())
}

fn lines<Y>(chart: &mut TimeContext<'_, '_, Y>, runs: &[Vec<(f64, f64)>], ink: Ink) -> Drawn
where
    Y: Ranged<ValueType = f64>,
{
    for run in runs {
        if run.len() == 1 {
            chart.draw_series(run.iter().map(|p| Circle::new(*p, 3, ink.light.filled())))?;
        } else {
            chart.draw_series(LineSeries::new(run.iter().copied(), ink.light.stroke_width(2)))?;
        }
    }
    Ok(())
}

fn dots<Y>(chart: &mut TimeContext<'_, '_, Y>, points: &[(f64, f64)], ink: Ink, size: u32) -> Drawn
where
    Y: Ranged<ValueType = f64>,
{
    chart.draw_series(
        points
            .iter()
            .map(|p| Circle::new(*p, size, ink.light.mix(0.35).filled())),
    )?;
    Ok(())
}

fn clamp_runs(runs: &[Vec<(f64, f64)>], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    runs.iter()
        .map(|run| run.iter().map(|(x, y)| (*x, y.clamp(lo, hi))).collect())
        .collect()
}

fn clamp_points(points: &[(f64, f64)], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    points.iter().map(|(x, y)| (*x, y.clamp(lo, hi))).collect()
}

/// Support balance over time, with the balanced band shaded.
pub(crate) fn balance(span: Span, runs: &[Vec<(f64, f64)>], band: f64) -> Option<Chart> {
    let runs = clamp_runs(runs, -1.0, 1.0);
    let legend_items = [
        ("balance".to_owned(), Key::Line(US.light)),
        (format!("balanced (±{band})"), Key::Band(CALM.light)),
    ];
    let y_format = |v: &f64| words::signed(*v, 1).replace(".0", "");
    time_chart(
        span,
        RangedCoordf64::from(-1.0..1.0),
        5,
        &y_format,
        &legend_items,
        |chart| {
            chart.draw_series([Rectangle::new(
                [(span.start, -band), (span.end, band)],
                CALM.light.mix(0.16).filled(),
            )])?;
            reference(chart, span, 0.0)?;
            lines(chart, &runs, US)
        },
    )
}

/// How I felt after time together, −3 … +3.
pub(crate) fn energy(span: Span, points: &[(f64, f64)], runs: &[Vec<(f64, f64)>]) -> Option<Chart> {
    let points = clamp_points(points, -3.0, 3.0);
    let runs = clamp_runs(runs, -3.0, 3.0);
    let legend_items = [
        ("energy".to_owned(), Key::Line(US.light)),
        ("each time".to_owned(), Key::Dots(US.light)),
    ];
    let y_format = |v: &f64| match v.round() as i64 {
        3 => "+3".to_owned(),
        -3 => "−3".to_owned(),
        0 => "0".to_owned(),
        _ => words::signed(*v, 0),
    };
    time_chart(
        span,
        RangedCoordf64::from(-3.2..3.2),
        7,
        &y_format,
        &legend_items,
        |chart| {
            reference(chart, span, 0.0)?;
            dots(chart, &points, US, 3)?;
            lines(chart, &runs, US)
        },
    )
}

/// The share of conversations I started, 0 … 1.
pub(crate) fn initiation(span: Span, weekly: &[(f64, f64)], runs: &[Vec<(f64, f64)>]) -> Option<Chart> {
    let weekly = clamp_points(weekly, 0.0, 1.0);
    let runs = clamp_runs(runs, 0.0, 1.0);
    let legend_items = [
        ("you started (4 weeks)".to_owned(), Key::Line(ME.light)),
        ("each week".to_owned(), Key::Dots(ME.light)),
    ];
    let y_format = |v: &f64| words::percent(*v);
    time_chart(
        span,
        RangedCoordf64::from(-0.02..1.02),
        5,
        &y_format,
        &legend_items,
        |chart| {
            reference(chart, span, 0.5)?;
            dots(chart, &weekly, ME, 2)?;
            lines(chart, &runs, ME)
        },
    )
}

/// One person's weekly values and smoothed lines.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub(crate) label: String,
    pub(crate) ink: Ink,
    pub(crate) weekly: Vec<(f64, f64)>,
    pub(crate) runs: Vec<Vec<(f64, f64)>>,
}

/// What a chart of both people measures, which sets its vertical axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Measure {
    /// Median reply minutes, on a log scale.
    ReplyMinutes,
    /// Words per message, from zero.
    Words,
    /// A count per week, from zero.
    Count,
    /// Mean sentiment, −1 … 1, around zero.
    Enthusiasm,
    /// A share, 0 … 1.
    Share,
}

fn all_values(people: &[Person]) -> impl Iterator<Item = f64> + '_ {
    people
        .iter()
        .flat_map(|p| p.weekly.iter().chain(p.runs.iter().flatten()).map(|(_, y)| *y))
}

fn draw_people<Y>(chart: &mut TimeContext<'_, '_, Y>, people: &[Person], lo: f64, hi: f64) -> Drawn
where
    Y: Ranged<ValueType = f64>,
{
    for person in people {
        dots(chart, &clamp_points(&person.weekly, lo, hi), person.ink, 2)?;
    }
    for person in people {
        lines(chart, &clamp_runs(&person.runs, lo, hi), person.ink)?;
    }
    Ok(())
}

/// Both people on one chart: faint weekly dots and a smoothed line each.
pub(crate) fn people(span: Span, measure: Measure, people: &[Person]) -> Option<Chart> {
    let legend_items: Vec<(String, Key)> = people
        .iter()
        .map(|p| (p.label.clone(), Key::Line(p.ink.light)))
        .collect();
    match measure {
        Measure::ReplyMinutes => {
            let axis = MinutesAxis::covering(all_values(people));
            let (lo, hi) = (axis.lo, axis.hi);
            let y_format = |v: &f64| words::duration_tick(*v);
            time_chart(span, axis, 7, &y_format, &legend_items, |chart| {
                draw_people(chart, people, lo, hi)
            })
        }
        Measure::Words | Measure::Count => {
            let max = all_values(people).fold(0.0_f64, f64::max);
            let step = [5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
                .into_iter()
                .find(|step| max / step <= 6.0)
                .unwrap_or(2000.0);
            let hi = ((max * 1.1) / step).ceil().max(1.0) * step;
            let y_format = |v: &f64| format!("{}", v.round());
            time_chart(
                span,
                RangedCoordf64::from(0.0..hi),
                5,
                &y_format,
                &legend_items,
                |chart| draw_people(chart, people, 0.0, hi),
            )
        }
        Measure::Enthusiasm => {
            let (min, max) =
                all_values(people).fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
            let lo = ((min / 0.25).floor() * 0.25).clamp(-1.0, -0.25);
            let hi = ((max / 0.25).ceil() * 0.25).clamp(0.5, 1.0);
            let y_format = |v: &f64| match words::signed(*v, 2).as_str() {
                "0.00" => "0".to_owned(),
                text => text.to_owned(),
            };
            time_chart(
                span,
                RangedCoordf64::from(lo..hi),
                5,
                &y_format,
                &legend_items,
                |chart| {
                    reference(chart, span, 0.0)?;
                    draw_people(chart, people, lo, hi)
                },
            )
        }
        Measure::Share => {
            let y_format = |v: &f64| words::percent(*v);
            time_chart(
                span,
                RangedCoordf64::from(-0.02..1.02),
                5,
                &y_format,
                &legend_items,
                |chart| draw_people(chart, people, 0.0, 1.0),
            )
        }
    }
}

/// A signal on the timeline.
#[derive(Clone, Debug)]
pub(crate) struct Marker {
    pub(crate) day: f64,
    pub(crate) row: usize,
    pub(crate) confidence: f64,
}

/// Dated signals, one row per kind, darker the surer, each row named just
/// above its line. As wide as the other charts, with the same time axis,
/// so its labels stay as readable on a phone as theirs.
pub(crate) fn timeline(span: Span, rows: &[String], markers: &[Marker]) -> Option<Chart> {
    let height = 46 + 52 * rows.len().max(1) as u32;
    svg(WIDTH, height, |root| {
        let x = span.axis();
        let x_format = x.formatter();
        let no_label = |_: &f64| String::new();
        let mut chart = ChartBuilder::on(root)
            .margin_top(8)
            .margin_right(16)
            .margin_left(4)
            .x_label_area_size(28)
            .y_label_area_size(Y_AREA)
            .build_cartesian_2d(x, RowsAxis { rows: rows.len() })?;
        mesh(&mut chart, &x_format, &no_label, rows.len())?;
        let label = font(FONT).pos(Pos::new(HPos::Left, VPos::Bottom));
        chart.draw_series(
            rows.iter()
                .enumerate()
                .map(|(row, name)| Text::new(name.clone(), (span.start, row as f64 - 0.12), label.clone())),
        )?;
        chart.draw_series(markers.iter().map(|m| {
            let alpha = 0.35 + 0.65 * m.confidence.clamp(0.0, 1.0);
            Circle::new((m.day, m.row as f64), 7, SIGNAL.light.mix(alpha).filled())
        }))?;
        chart.draw_series(
            markers
                .iter()
                .map(|m| Circle::new((m.day, m.row as f64), 7, SIGNAL.light.stroke_width(2))),
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn month_ticks_fit_the_hint() {
        let axis = Span {
            start: day_number(date(2024, 3, 10)),
            end: day_number(date(2025, 3, 10)),
        }
        .axis();
        let ticks = axis.ticks(6);
        assert!(ticks.len() <= 6 && ticks.len() >= 3, "{ticks:?}");
        let format = axis.formatter();
        let labels: Vec<String> = ticks.iter().map(&format).collect();
        assert_eq!(labels[0], "May 2024");
        assert!(labels.contains(&"Jan 2025".to_owned()), "{labels:?}");
    }

    #[test]
    fn short_spans_tick_on_mondays() {
        let span =
            Span::up_to([day_number(date(2025, 3, 12))], day_number(date(2025, 3, 12))).expect("one day");
        let ticks = span.axis().ticks(6);
        assert!(!ticks.is_empty());
        assert!(
            ticks
                .iter()
                .all(|t| date_of(*t).weekday() == jiff::civil::Weekday::Monday)
        );
    }

    #[test]
    fn minutes_axis_covers_the_data_with_round_ends() {
        let axis = MinutesAxis::covering([12.0, 40.0].into_iter());
        assert_eq!((axis.lo, axis.hi), (10.0, 120.0));
        assert_eq!(axis.key_points(7), vec![10.0, 15.0, 30.0, 60.0, 120.0]);
        let wide = MinutesAxis::covering([3.0, 900.0].into_iter());
        assert_eq!((wide.lo, wide.hi), (2.0, 1440.0));
        assert_eq!(wide.key_points(7), vec![5.0, 15.0, 60.0, 240.0, 1440.0]);
    }

    #[test]
    fn time_axes_end_today() {
        let today = day_number(date(2025, 11, 19));
        // The current week's Sunday lies ahead; the axis still ends today.
        let span = Span::up_to([today - 200.0, today + 4.0], today).expect("days");
        assert_eq!(span.end, today);
        assert!(
            span.start < today - 200.0 && span.start > today - 210.0,
            "{span:?}"
        );
        // A short history still gets four weeks, all of them before today.
        let short = Span::up_to([today - 2.0], today).expect("days");
        assert_eq!((short.start, short.end), (today - 28.0, today));
        assert_eq!(Span::up_to([f64::NAN], today), None);
    }

    #[test]
    fn charts_carry_no_namespace_url_and_escape_their_text() {
        let span = Span::up_to([0.0], 100.0).expect("days");
        let person = Person {
            label: "<b>Sam</b>".to_owned(),
            ink: THEM,
            weekly: vec![(7.0, 3.0)],
            runs: vec![vec![(7.0, 3.0), (14.0, 4.0)]],
        };
        let chart = people(span, Measure::Words, &[person]).expect("drawn");
        assert!(!chart.body.contains("http"));
        assert!(!chart.body.contains("<b>"));
        assert!(chart.body.contains("&lt;b&gt;Sam"));
    }
}
