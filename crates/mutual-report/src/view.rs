//! From the data model to what the template prints: words, figures, lists.

use askama::Template;
use jiff::civil::Date;

use crate::chart::{self, Chart, Ink, Marker, Measure, Person, Span};
use crate::model::{FriendReport, Note, Report, Side, Week, Whose};
use crate::series::{self, RECENT_WEEKS, Weighted, day_number};
use crate::words;

/// B within ±this is "balanced".
const BALANCED_BAND: f64 = 0.2;

/// Fewer points than this are too early for a chart (a lone dot or two
/// say nothing about a trend).
const MIN_POINTS: usize = 3;

#[derive(Template)]
#[template(path = "report.html")]
pub(crate) struct Page<'a> {
    title: &'a str,
    generated: String,
    palette_css: String,
    overview: Vec<OverviewRow<'a>>,
    /// The next days: (day, what), in words.
    coming_up: Vec<(String, &'a str)>,
    friends: Vec<FriendView<'a>>,
}

struct OverviewRow<'a> {
    anchor: String,
    name: &'a str,
    band: &'a str,
    cadence: &'a str,
    last_contact: String,
    signals: usize,
}

struct FriendView<'a> {
    anchor: String,
    name: &'a str,
    /// "Sam's", for "Sam's needs".
    theirs: String,
    band: &'a str,
    cadence: &'a str,
    last_contact: String,
    signals: Vec<SignalItem>,
    timeline: Option<Figure>,
    journal: Vec<Figure>,
    /// Why there are no journal charts, when there are none.
    journal_empty: Option<&'static str>,
    chats: Vec<Figure>,
    chats_empty: Option<&'static str>,
    needs_mine: Vec<NoteItem<'a>>,
    needs_theirs: Vec<NoteItem<'a>>,
    boundaries_mine: Vec<NoteItem<'a>>,
    boundaries_theirs: Vec<NoteItem<'a>>,
    agreements: Vec<NoteItem<'a>>,
    follow_ups: Vec<NoteItem<'a>>,
    wins: Vec<NoteItem<'a>>,
    gratitude: Vec<NoteItem<'a>>,
}

struct SignalItem {
    heading: String,
    began: Option<String>,
    confidence: String,
    /// HTML: the words escaped, commands in `<code>`.
    message: String,
    suggestion: String,
}

struct NoteItem<'a> {
    text: &'a str,
    since: Option<String>,
    detail: Option<&'a str>,
    /// "both of you", for agreements that belong to one side only.
    whose: Option<String>,
}

/// A chart with its words: a title, a one-line reading guide, and a
/// summary of the numbers that is both shown and spoken.
struct Figure {
    title: &'static str,
    guide: String,
    summary: String,
    chart: Option<Chart>,
}

impl Figure {
    /// What a screen reader says for the chart.
    fn label(&self) -> String {
        format!("{}. {}", self.title, self.summary)
    }
}

pub(crate) fn page(report: &Report) -> Page<'_> {
    let today = report.generated;
    let friends: Vec<FriendView<'_>> = report
        .friends
        .iter()
        .enumerate()
        .map(|(i, f)| friend(f, i, today))
        .collect();
    let overview = if report.friends.len() > 1 {
        report
            .friends
            .iter()
            .zip(&friends)
            .map(|(f, v)| OverviewRow {
                anchor: v.anchor.clone(),
                name: &f.name,
                band: &f.band,
                cadence: &f.cadence,
                last_contact: v.last_contact.clone(),
                signals: f.signals.len(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Page {
        title: &report.title,
        generated: words::long_date(today),
        palette_css: chart::palette_css(),
        overview,
        coming_up: report
            .coming_up
            .iter()
            .map(|(day, what)| (day.strftime("%a %-d %b").to_string(), what.as_str()))
            .collect(),
        friends,
    }
}

/// `text` as HTML: escaped, with each `command` in backticks set in
/// `<code>` (an unpaired backtick stays as it is).
fn with_code(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    };
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len() % 2 == 0 {
        return escape(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn friend(f: &FriendReport, index: usize, today: Date) -> FriendView<'_> {
    let span = span_of(f, today);
    let has_chats = f.weeks.iter().any(|w| w.me.messages > 0 || w.them.messages > 0);
    let has_journal = !f.balance.is_empty() || !f.energy.is_empty();
    let mut signals: Vec<_> = f.signals.iter().collect();
    // Dated signals first, newest first; undated ones after.
    signals.sort_by_key(|s| std::cmp::Reverse(s.began));
    FriendView {
        anchor: format!("friend-{}", index + 1),
        name: &f.name,
        theirs: words::possessive(&f.name),
        band: &f.band,
        cadence: &f.cadence,
        last_contact: match f.last_contact {
            Some(day) => format!("{} ({})", words::ago(day, today), words::short_date(day)),
            None => "none recorded yet".to_owned(),
        },
        signals: signals
            .iter()
            .map(|s| SignalItem {
                heading: words::signal_kind(&s.kind),
                began: s.began.map(words::long_date),
                confidence: words::confidence(finite_share(s.confidence)),
                message: with_code(&s.message),
                suggestion: with_code(&s.suggestion),
            })
            .collect(),
        timeline: span.and_then(|span| timeline(f, span)),
        journal: match span {
            Some(span) if has_journal => journal_figures(f, span),
            _ => Vec::new(),
        },
        journal_empty: (!has_journal)
            .then_some("No journal entries yet. Logging time together fills in balance and energy here."),
        chats: match span {
            Some(span) if has_chats => chat_figures(f, span, today),
            _ => Vec::new(),
        },
        chats_empty: (!has_chats).then_some(
            "No chats imported yet. Importing a chat export shows who reaches out, \
             reply times and more here.",
        ),
        needs_mine: notes(&f.needs, Whose::Mine),
        needs_theirs: notes(&f.needs, Whose::Theirs),
        boundaries_mine: notes(&f.boundaries, Whose::Mine),
        boundaries_theirs: notes(&f.boundaries, Whose::Theirs),
        agreements: f
            .agreements
            .iter()
            .map(|n| {
                let whose = match n.whose {
                    Whose::Both => None,
                    Whose::Mine => Some("from you".to_owned()),
                    Whose::Theirs => Some(format!("from {}", f.name)),
                };
                note(n, whose)
            })
            .collect(),
        follow_ups: f.follow_ups.iter().map(|n| note(n, None)).collect(),
        wins: f.wins.iter().map(|n| note(n, None)).collect(),
        gratitude: f.gratitude.iter().map(|n| note(n, None)).collect(),
    }
}

/// One side's notes; shared ones appear on both sides.
fn notes(list: &[Note], whose: Whose) -> Vec<NoteItem<'_>> {
    list.iter()
        .filter(|n| n.whose == whose || n.whose == Whose::Both)
        .map(|n| note(n, (n.whose == Whose::Both).then(|| "shared".to_owned())))
        .collect()
}

fn note(n: &Note, whose: Option<String>) -> NoteItem<'_> {
    NoteItem {
        text: &n.text,
        since: n.since.map(words::long_date),
        detail: n.detail.as_deref(),
        whose,
    }
}

/// The days every time chart of this friend spans: all their data and today.
fn span_of(f: &FriendReport, today: Date) -> Option<Span> {
    let has_data = !f.weeks.is_empty()
        || !f.balance.is_empty()
        || !f.energy.is_empty()
        || f.signals.iter().any(|s| s.began.is_some());
    if !has_data {
        return None;
    }
    let days = f
        .weeks
        .iter()
        .flat_map(|w| [day_number(w.monday), day_number(w.monday) + 6.0])
        .chain(f.balance.iter().chain(&f.energy).map(|(d, _)| day_number(*d)))
        .chain(f.signals.iter().filter_map(|s| s.began.map(day_number)))
        .chain([day_number(today)]);
    Span::up_to(days, day_number(today))
}

fn timeline(f: &FriendReport, span: Span) -> Option<Figure> {
    let mut dated: Vec<_> = f.signals.iter().filter_map(|s| s.began.map(|d| (d, s))).collect();
    if dated.is_empty() {
        return None;
    }
    dated.sort_by_key(|(d, _)| *d);
    let mut rows: Vec<String> = Vec::new();
    let markers: Vec<Marker> = dated
        .iter()
        .map(|(day, s)| {
            let label = words::signal_kind(&s.kind);
            let row = match rows.iter().position(|r| *r == label) {
                Some(row) => row,
                None => {
                    rows.push(label);
                    rows.len() - 1
                }
            };
            Marker {
                day: day_number(*day),
                row,
                confidence: finite_share(s.confidence),
            }
        })
        .collect();
    let listed: Vec<String> = dated
        .iter()
        .map(|(day, s)| {
            format!(
                "{} ({})",
                words::signal_kind(&s.kind).to_lowercase(),
                words::short_date(*day)
            )
        })
        .collect();
    let undated = f.signals.len() - dated.len();
    let mut summary = format!("When each began: {}.", listed.join("; "));
    if undated > 0 {
        summary.push_str(&format!(
            " {undated} more without a start date {} listed above.",
            if undated == 1 { "is" } else { "are" }
        ));
    }
    Some(Figure {
        title: "When signals began",
        guide: "One row per kind of signal; a darker dot means more confidence.".to_owned(),
        summary,
        chart: chart::timeline(span, &rows, &markers),
    })
}

fn journal_figures(f: &FriendReport, span: Span) -> Vec<Figure> {
    let name = &f.name;
    // The words arrive written, so the report says what every other surface says.
    let balance_summary = if f.band.is_empty() {
        "No balance yet.".to_owned()
    } else {
        format!("Today: {}.", f.band)
    };
    let energy_mean = series::trailing_mean(&f.energy);
    let energy_summary = if f.energy_lately.is_empty() {
        "No energy logged yet.".to_owned()
    } else {
        f.energy_lately.clone()
    };
    let balance_runs = series::dated_runs(&f.balance);
    let energy_points: Vec<(f64, f64)> = f
        .energy
        .iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(d, v)| (day_number(*d), *v))
        .collect();
    let energy_runs = series::split_at_gaps(energy_mean);
    vec![
        Figure {
            title: "Giving and receiving",
            guide: format!(
                "Above zero you gave more support than you received; below zero {name} did. \
                 The shaded band counts as balanced."
            ),
            summary: balance_summary,
            chart: (balance_runs.iter().map(Vec::len).sum::<usize>() >= MIN_POINTS)
                .then(|| chart::balance(span, &balance_runs, BALANCED_BAND))
                .flatten(),
        },
        Figure {
            title: "How you felt afterwards",
            guide: "From −3 (drained) to +3 (energized); the line is a 4-week mean.".to_owned(),
            summary: energy_summary,
            chart: (energy_points.len() >= MIN_POINTS)
                .then(|| chart::energy(span, &energy_points, &energy_runs))
                .flatten(),
        },
    ]
}

/// One weekly measure, for both sides.
type Pick = fn(&Week, Who) -> Option<Weighted>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Me,
    Them,
}

fn sides(w: &Week, who: Who) -> (&Side, &Side) {
    match who {
        Who::Me => (&w.me, &w.them),
        Who::Them => (&w.them, &w.me),
    }
}

fn latency(w: &Week, who: Who) -> Option<Weighted> {
    let (side, _) = sides(w, who);
    // A geometric mean: the median minutes are averaged as logarithms.
    let minutes = side.reply_median_minutes.filter(|m| *m > 0.0)?;
    Weighted::new(Some(minutes.ln()), f64::from(side.messages.max(1)))
}

fn messages(w: &Week, who: Who) -> Option<Weighted> {
    let (side, _) = sides(w, who);
    // A week that is listed counts, even when quiet: zero is a real value here.
    Weighted::new(Some(f64::from(side.messages)), 1.0)
}

fn wordiness(w: &Week, who: Who) -> Option<Weighted> {
    let (side, _) = sides(w, who);
    Weighted::new(side.words_per_message, f64::from(side.messages))
}

fn enthusiasm(w: &Week, who: Who) -> Option<Weighted> {
    let (side, _) = sides(w, who);
    Weighted::new(side.enthusiasm, f64::from(side.messages))
}

fn untoned(w: &Week, who: Who) -> Option<Weighted> {
    let (side, _) = sides(w, who);
    Weighted::new(Some(f64::from(side.untoned)), 1.0)
}

fn turned_toward(w: &Week, who: Who) -> Option<Weighted> {
    let (side, other) = sides(w, who);
    Weighted::new(side.turned_toward, f64::from(other.bids))
}

fn my_initiation_share(w: &Week) -> Option<Weighted> {
    let (mine, theirs) = (f64::from(w.me.initiations), f64::from(w.them.initiations));
    let total = mine + theirs;
    Weighted::new(Some(mine / total.max(1.0)), total)
}

fn chat_figures(f: &FriendReport, span: Span, today: Date) -> Vec<Figure> {
    let name = f.name.as_str();
    let theirs = words::possessive(name);
    let recent = |pick: Pick, who: Who| series::recent(&f.weeks, today, |w| pick(w, who));
    let lately = format!("Over the last {RECENT_WEEKS} weeks");

    let sent = |who: Who| recent(messages, who).map(|n| format!("{n:.0}"));
    let volume = Figure {
        title: "Messages per week",
        guide: "How many messages each of you sent.".to_owned(),
        summary: pair_summary(
            &lately,
            sent(Who::Me).map(|n| format!("you sent about {n} messages a week")),
            sent(Who::Them).map(|n| format!("{name} about {n}")),
            "no messages",
        ),
        chart: people_chart(f, span, Measure::Count, messages, identity),
    };

    let share = series::recent(&f.weeks, today, my_initiation_share);
    let initiation = Figure {
        title: "Who reaches out first",
        guide: format!(
            "The share of conversations you started; above the dashed line you reached out \
             more often, below it {name} did."
        ),
        summary: match share {
            Some(s) => format!(
                "{lately} you started {} of conversations and {name} {}.",
                words::percent(s),
                words::percent(1.0 - s)
            ),
            None => format!("No conversations started in the last {RECENT_WEEKS} weeks."),
        },
        chart: {
            let weekly = series::weekly(&f.weeks, my_initiation_share);
            let runs = series::rolling(&f.weeks, my_initiation_share);
            (weekly.len() >= MIN_POINTS)
                .then(|| chart::initiation(span, &weekly, &runs))
                .flatten()
        },
    };

    let reply = |who: Who| recent(latency, who).map(|l| words::duration(l.exp()));
    let replies = Figure {
        title: "Reply time",
        guide: "Median minutes to reply within a conversation, on a log scale.".to_owned(),
        summary: pair_summary(
            &lately,
            reply(Who::Me).map(|d| format!("your replies took about {d}")),
            reply(Who::Them).map(|d| format!("{theirs} about {d}")),
            "no replies",
        ),
        chart: people_chart(f, span, Measure::ReplyMinutes, latency, f64::exp),
    };

    let words_of = |who: Who| recent(wordiness, who).map(|n| format!("{n:.0} words"));
    let effort = Figure {
        title: "Words per message",
        guide: "The mean length of each person’s messages.".to_owned(),
        summary: pair_summary(
            &lately,
            words_of(Who::Me).map(|n| format!("your messages averaged {n}")),
            words_of(Who::Them).map(|n| format!("{theirs} {n}")),
            "no messages",
        ),
        chart: people_chart(f, span, Measure::Words, wordiness, identity),
    };

    let tone = |who: Who| recent(enthusiasm, who).map(|t| words::signed(t, 2));
    // Messages in a language mutual cannot read have no tone, and say so.
    let unmeasured = |who: Who| recent(untoned, who).is_some_and(|n| n > 0.0);
    let not_measured = "was not measured (a language mutual cannot read)";
    let warmth = Figure {
        title: "Enthusiasm",
        guide: "The mean tone of each person’s messages, from −1 (low) to +1 (warm and upbeat).".to_owned(),
        summary: pair_summary(
            &lately,
            tone(Who::Me)
                .map(|t| format!("your messages averaged {t}"))
                .or_else(|| unmeasured(Who::Me).then(|| format!("the tone of your messages {not_measured}"))),
            tone(Who::Them)
                .map(|t| format!("{theirs} {t}"))
                .or_else(|| unmeasured(Who::Them).then(|| format!("{theirs} tone {not_measured}"))),
            "no messages",
        ),
        chart: people_chart(f, span, Measure::Enthusiasm, enthusiasm, identity),
    };

    let toward = |who: Who| recent(turned_toward, who).map(words::percent);
    let bids = Figure {
        title: "Turning toward each other",
        guide: "The share of the other’s questions, news and disclosures that got an engaged \
                reply."
            .to_owned(),
        summary: pair_summary(
            &lately,
            toward(Who::Me).map(|p| format!("you turned toward {p} of {theirs} bids")),
            toward(Who::Them).map(|p| format!("{name} turned toward {p} of yours")),
            "no bids",
        ),
        chart: people_chart(f, span, Measure::Share, turned_toward, identity),
    };

    vec![volume, initiation, replies, effort, warmth, bids]
}

fn identity(v: f64) -> f64 {
    v
}

/// "Over the last 12 weeks your replies took about 12 minutes; Sam's about 40 minutes."
fn pair_summary(lately: &str, mine: Option<String>, theirs: Option<String>, none: &str) -> String {
    match (mine, theirs) {
        (Some(m), Some(t)) => format!("{lately} {m}; {t}."),
        (Some(one), None) | (None, Some(one)) => format!("{lately} {one}."),
        (None, None) => format!("{lately}: {none} to measure."),
    }
}

fn people_chart(
    f: &FriendReport,
    span: Span,
    measure: Measure,
    pick: Pick,
    shown: fn(f64) -> f64,
) -> Option<Chart> {
    let person = |who: Who, label: String, ink: Ink| {
        let show = |points: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
            points.into_iter().map(|(x, y)| (x, shown(y))).collect()
        };
        Person {
            label,
            ink,
            weekly: show(series::weekly(&f.weeks, |w| pick(w, who))),
            runs: series::rolling(&f.weeks, |w| pick(w, who))
                .into_iter()
                .map(show)
                .collect(),
        }
    };
    let both = [
        person(Who::Me, "you".to_owned(), chart::ME),
        person(Who::Them, f.name.clone(), chart::THEM),
    ];
    if both.iter().all(|p| p.weekly.len() < MIN_POINTS) {
        return None;
    }
    chart::people(span, measure, &both)
}

/// A share for display: 0 … 1, and 0 for nonsense.
fn finite_share(share: f64) -> f64 {
    if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// One friend's charts without the page around them, for a page that
/// lays out the rest itself (the dashboard's friend page).
#[derive(Template)]
#[template(path = "figures.html")]
pub(crate) struct Figures<'a> {
    f: FriendView<'a>,
}

pub(crate) fn figures(f: &FriendReport, today: Date) -> Figures<'_> {
    Figures {
        f: friend(f, 0, today),
    }
}
