//! The HTML pages and their forms. Each handler reads a view model from the
//! application layer, turns it into what its template prints, and renders;
//! each form posts to a handler that calls one service and redirects
//! (post, redirect, get), so a reload never writes twice.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Extension, Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::ToSpan;
use mutual_app::error::AppError;
use mutual_app::services::{self, LogRequest};
use mutual_core::{
    Action, Channel, Circle, Energy, FeltHeard, FollowUpId, FriendId, GratitudeId, Initiator, InteractionId,
    ParkedTopicId, Section, SupportKind, SupportSet, WinId, WinResponse,
};
use serde::Deserialize;

use crate::error::WebError;
use crate::guard::{check_csrf, render};
use crate::state::{Session, Web};

/// Every page's frame: the navigation (the current page marked) and the
/// session's CSRF token for the log-out form.
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) nav: &'static str,
    pub(crate) csrf: String,
}

impl Frame {
    pub(crate) fn new(nav: &'static str, session: &Session) -> Frame {
        Frame {
            nav,
            csrf: session.csrf.clone(),
        }
    }
}

fn page(t: &impl Template) -> Result<Response, WebError> {
    Ok(Html(render(t)?).into_response())
}

/// `text` without the command-line commands it suggests: a sentence (or a
/// parenthesis) holding a `command` goes, since the page offers a button.
pub(crate) fn without_commands(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    // Parentheses holding a command first: "tomorrow (`mutual ...` when you have)".
    while let Some(open) = rest.find(" (`") {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.split_inclusive(". ")
        .filter(|sentence| !sentence.contains('`'))
        .collect::<String>()
        .trim_end()
        .to_owned()
}

// ---------------------------------------------------------------- Today

struct ActionView {
    kind: &'static str,
    id: i64,
    label: &'static str,
}

fn action_view(action: Action) -> ActionView {
    match action {
        Action::FollowUpDone(id) => ActionView {
            kind: "follow-up-done",
            id: id.0,
            label: "Mark done",
        },
        Action::RespondToWin(id) => ActionView {
            kind: "respond-to-win",
            id: id.0,
            label: "I celebrated with them",
        },
        Action::TellThanks(id) => ActionView {
            kind: "tell-thanks",
            id: id.0,
            label: "I told them",
        },
        Action::Revisited(id) => ActionView {
            kind: "revisited",
            id: id.0,
            label: "We talked it through",
        },
    }
}

struct ItemView {
    friend: i64,
    name: String,
    message: String,
    suggestion: String,
    date: Option<String>,
    action: Option<ActionView>,
    /// A check-in can be put off for a week.
    snooze: bool,
}

struct SectionView {
    title: &'static str,
    items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    frame: Frame,
    date: String,
    no_friends: bool,
    sections: Vec<SectionView>,
    rest: Vec<String>,
}

pub(crate) async fn today(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
) -> Result<Response, WebError> {
    let (settings, snapshot) = web.snapshot().await?;
    let today = mutual_app::views::today_with(&settings, &snapshot.records, &snapshot.drift);
    let agenda = &today.agenda;
    let mut sections: Vec<SectionView> = Vec::new();
    for item in &agenda.items {
        if sections.last().is_none_or(|s| s.title != item.section.title()) {
            sections.push(SectionView {
                title: item.section.title(),
                items: Vec::new(),
            });
        }
        let view = ItemView {
            friend: item.friend.0,
            name: item.name.clone(),
            message: without_commands(&item.message),
            suggestion: without_commands(&item.suggestion),
            date: item.date.map(|d| d.strftime("%a %-d %b").to_string()),
            action: item.action.map(action_view),
            snooze: item.section == Section::ReachOut,
        };
        if let Some(last) = sections.last_mut() {
            last.items.push(view);
        }
    }
    let rest = today.rest();
    page(&TodayPage {
        frame: Frame::new("today", &session),
        date: agenda.today.strftime("%A %-d %B").to_string(),
        no_friends: today.friends == 0,
        sections,
        rest,
    })
}

#[derive(Deserialize, Debug)]
pub(crate) struct ActForm {
    csrf: String,
    kind: String,
    id: i64,
    /// Where to go back to (a path on this server).
    back: Option<String>,
}

/// A local path to go back to, else Today.
fn back_to(back: Option<&str>) -> String {
    match back {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// `POST /act`: one agenda action (a follow-up done, a win celebrated,
/// thanks told, a parked topic talked through).
pub(crate) async fn act(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Form(form): Form<ActForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let id = form.id;
    let kind = form.kind.clone();
    web.write(move |s, store| match kind.as_str() {
        "follow-up-done" => services::follow_up_done(store, FollowUpId(id), Some(s.now)),
        "respond-to-win" => services::respond_to_win(store, WinId(id), WinResponse::Enthusiastic),
        "tell-thanks" => services::told(store, GratitudeId(id), s.now),
        "revisited" => services::revisited(s, store, ParkedTopicId(id)),
        other => Err(AppError::Invalid {
            field: "action",
            value: other.to_owned(),
            problem: "is not one this page knows".to_owned(),
            expected: "follow-up-done, respond-to-win, tell-thanks or revisited".to_owned(),
        }),
    })
    .await?;
    Ok(Redirect::to(&back_to(form.back.as_deref())).into_response())
}

#[derive(Deserialize, Debug)]
pub(crate) struct SnoozeForm {
    csrf: String,
    back: Option<String>,
}

/// `POST /friends/{id}/snooze`: no check-in nudges for a week.
pub(crate) async fn snooze(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<SnoozeForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    web.write(move |s, store| {
        let until = s.today().checked_add(7.days())?;
        services::snooze(store, FriendId(id), until).map(|_| ())
    })
    .await?;
    Ok(Redirect::to(&back_to(form.back.as_deref())).into_response())
}

// ---------------------------------------------------------------- Friends

struct Card {
    id: i64,
    name: String,
    circle: Option<&'static str>,
    balance: String,
    rhythm: String,
    energy: Option<String>,
    /// The balance's position on a small gauge, 0 to 100 (50 is balanced).
    gauge: Option<u8>,
    /// The last 12 weeks of balance as SVG polyline points, when there is
    /// enough evidence to draw them.
    trend: Option<String>,
}

/// Weeks the friends' small balance trend spans.
const TREND_WEEKS: i64 = 12;

/// The balance over the last weeks as `points` for a 120 × 32 polyline
/// (up: you gave more; the middle line is balanced); none before the
/// balance has enough evidence.
fn trend_points(record: &mutual_core::FriendRecord, settings: &mutual_app::Settings) -> Option<String> {
    let config = &settings.config.balance;
    let points: Vec<jiff::Timestamp> = (0..=TREND_WEEKS)
        .rev()
        .filter_map(|w| {
            settings
                .now
                .checked_sub(jiff::SignedDuration::from_hours(24 * 7 * w))
                .ok()
        })
        .collect();
    let history =
        mutual_core::balance::balance_history(&record.exchanges, &record.agreements, &points, config);
    let settled: Vec<(usize, f64)> = history
        .iter()
        .enumerate()
        .filter(|(_, p)| p.weight >= config.min_evidence)
        .map(|(i, p)| (i, p.score.clamp(-1.0, 1.0)))
        .collect();
    if settled.len() < 3 {
        return None;
    }
    let step = 120.0 / TREND_WEEKS as f64;
    Some(
        settled
            .iter()
            .map(|(i, score)| format!("{:.1},{:.1}", *i as f64 * step, 16.0 - score * 14.0))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[derive(Template)]
#[template(path = "friends.html")]
struct FriendsPage {
    frame: Frame,
    q: String,
    circle: String,
    circles: Vec<(&'static str, &'static str)>,
    cards: Vec<Card>,
    total: usize,
}

#[derive(Deserialize, Debug, Default)]
pub(crate) struct FriendsQuery {
    q: Option<String>,
    circle: Option<String>,
}

fn circle_name(c: Circle) -> &'static str {
    c.as_str()
}

pub(crate) async fn friends(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Query(query): Query<FriendsQuery>,
) -> Result<Response, WebError> {
    let (settings, snapshot) = web.snapshot().await?;
    let (shared, at) = (Arc::clone(&snapshot), settings.clone());
    let rows = web.read(move |_, db| shared.balance_rows(&at, db)).await?;
    let records = &snapshot.records;
    let q = query.q.unwrap_or_default();
    let circle = query.circle.unwrap_or_default();
    let needle = mutual_core::text::fold(&q);
    let total = rows.len();
    let cards = records
        .iter()
        .zip(rows.iter())
        .filter(|(r, _)| circle.is_empty() || r.friend.circle.map(circle_name) == Some(circle.as_str()))
        .filter(|(r, _)| {
            needle.is_empty()
                || std::iter::once(r.friend.name.as_str())
                    .chain(r.friend.aliases.iter().map(|a| a.text.as_str()))
                    .any(|n| mutual_core::text::fold(n).contains(&needle))
        })
        .map(|(r, row)| {
            let o = &row.overview;
            Card {
                id: r.friend.id.0,
                name: r.friend.name.clone(),
                circle: r.friend.circle.map(circle_name),
                balance: o.balance.phrase(&r.friend.name),
                rhythm: o.cadence.state.phrase().to_owned(),
                energy: o
                    .energy
                    .recent
                    .map(|e| format!("{} lately", mutual_core::energy::feel(e))),
                gauge: o
                    .balance
                    .is_settled()
                    .then(|| (50.0 + o.balance.score.clamp(-1.0, 1.0) * 50.0).round() as u8),
                trend: trend_points(r, &settings),
            }
        })
        .collect();
    page(&FriendsPage {
        frame: Frame::new("friends", &session),
        q,
        circle,
        circles: vec![("inner", "Inner"), ("close", "Close"), ("wider", "Wider")],
        cards,
        total,
    })
}

// ---------------------------------------------------------------- Friend

struct NoteView {
    text: String,
    detail: Option<String>,
}

struct FollowUpView {
    id: i64,
    text: String,
    due: String,
    done: bool,
}

struct EntryView {
    id: i64,
    when: String,
    channel: &'static str,
    summary: String,
    note: Option<String>,
}

struct SignalView {
    heading: String,
    message: String,
    suggestion: String,
    evidence: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "friend.html")]
struct FriendPage {
    frame: Frame,
    id: i64,
    name: String,
    balance: String,
    rhythm: String,
    energy: String,
    per_kind: Vec<(&'static str, String, String)>,
    figures: String,
    signals: Vec<SignalView>,
    needs_mine: Vec<NoteView>,
    needs_theirs: Vec<NoteView>,
    boundaries_mine: Vec<NoteView>,
    boundaries_theirs: Vec<NoteView>,
    follow_ups: Vec<FollowUpView>,
    wins: Vec<NoteView>,
    gratitude: Vec<NoteView>,
    parked: Vec<NoteView>,
    agreements: Vec<NoteView>,
    prompt: Option<String>,
    entries: Vec<EntryView>,
    path: String,
    /// The latest check-in where both answered: each item's sentence.
    checkin: Vec<(String, String)>,
}

/// A piece of evidence as a page shows it.
fn evidence_text(v: &mutual_core::signal::Evidence) -> String {
    use mutual_core::signal::Evidence;
    match v {
        Evidence::Number(n) => format!("{n}"),
        Evidence::Count(n) => n.to_string(),
        Evidence::Day(d) => d.strftime("%-d %b %Y").to_string(),
        Evidence::Text(t) => t.clone(),
    }
}

/// `kind:intensity` pairs in words: "listening (3), practical".
fn support_words(set: SupportSet) -> String {
    set.iter()
        .map(|(kind, level)| {
            let level = level.get();
            if level == 2 {
                kind.as_str().to_owned()
            } else {
                format!("{} ({level})", kind.as_str())
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) async fn friend(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    // What the chats show comes from the shared snapshot; the profile
    // (every entry with them) is read for this friend alone.
    let (_, snapshot) = web.snapshot().await?;
    let (profile, report, signals, tz, today) = web
        .read(move |s, db| {
            let profile = snapshot.profile(s, db, id)?;
            let records = std::slice::from_ref(&profile.record);
            let cx = s.context();
            let empty = Vec::new();
            let report = mutual_app::report::friend_report(
                &profile.record,
                snapshot.weeks.get(&FriendId(id)).unwrap_or(&empty),
                &snapshot.drift,
                &cx,
            );
            let signals: Vec<_> = mutual_app::views::signal_rows_with(s, records, &snapshot.drift)
                .into_iter()
                .map(|row| row.signal)
                .collect();
            Ok((profile, report, signals, s.tz.clone(), s.today()))
        })
        .await?;
    let r = &profile.record;
    let name = r.friend.name.clone();
    let o = &profile.overview;
    let note = |text: &str, detail: Option<String>| NoteView {
        text: text.to_owned(),
        detail,
    };
    let sided = |mine: bool| -> (Vec<NoteView>, Vec<NoteView>) {
        let needs = r
            .needs
            .iter()
            .filter(|n| (n.whose == mutual_core::Side::Me) == mine)
            .map(|n| note(&n.text, None))
            .collect();
        let boundaries = r
            .boundaries
            .iter()
            .filter(|b| (b.whose == mutual_core::Side::Me) == mine)
            .map(|b| note(&b.text, b.rule.as_ref().map(|rule| rule.describe())))
            .collect();
        (needs, boundaries)
    };
    let (needs_mine, boundaries_mine) = sided(true);
    let (needs_theirs, boundaries_theirs) = sided(false);
    let energy = match o.energy.recent {
        Some(e) => format!(
            "{} over the last {} ({:+.1}, {} rated {})",
            mutual_core::energy::feel(e),
            mutual_core::words::days(o.energy.window_days),
            e,
            o.energy.recent_entries,
            if o.energy.recent_entries == 1 {
                "entry"
            } else {
                "entries"
            }
        ),
        None => "no energy ratings in the last weeks".to_owned(),
    };
    page(&FriendPage {
        frame: Frame::new("friends", &session),
        id,
        balance: o.balance.summary(&name),
        rhythm: o.cadence.state.phrase().to_owned(),
        energy,
        per_kind: o
            .balance
            .per_kind
            .iter()
            .map(|k| {
                (
                    k.kind.as_str(),
                    format!("{:.1}", k.given),
                    format!("{:.1}", k.received),
                )
            })
            .collect(),
        figures: mutual_report::figures(&report, today),
        signals: signals
            .iter()
            .map(|s| SignalView {
                heading: mutual_report::signal_heading(s.kind.as_str()),
                message: without_commands(&s.message),
                suggestion: without_commands(&s.suggestion),
                evidence: s
                    .evidence
                    .iter()
                    .map(|(k, v)| (k.replace('_', " "), evidence_text(v)))
                    .collect(),
            })
            .collect(),
        needs_mine,
        needs_theirs,
        boundaries_mine,
        boundaries_theirs,
        follow_ups: r
            .follow_ups
            .iter()
            .map(|f| FollowUpView {
                id: f.id.0,
                text: f.text.clone(),
                due: f.due.strftime("%a %-d %b").to_string(),
                done: f.done_at.is_some(),
            })
            .collect(),
        wins: r.wins.iter().map(|w| note(&w.text, None)).collect(),
        gratitude: r.gratitude.iter().map(|g| note(&g.text, None)).collect(),
        parked: r
            .parked
            .iter()
            .filter(|p| p.revisited_on.is_none())
            .map(|p| {
                note(
                    &p.topic,
                    Some(format!("until {}", p.revisit_on.strftime("%-d %b %Y"))),
                )
            })
            .collect(),
        agreements: r.agreements.iter().map(|a| note(&a.text, None)).collect(),
        prompt: profile.next_prompt.as_ref().map(|p| p.prompt.text.clone()),
        entries: profile
            .entries
            .iter()
            .take(50)
            .map(|e| {
                let x = &e.exchange;
                let mut parts = Vec::new();
                if !x.gave.is_empty() {
                    parts.push(format!("you gave {}", support_words(x.gave)));
                }
                if !x.got.is_empty() {
                    parts.push(format!("you got {}", support_words(x.got)));
                }
                if let Some(energy) = x.energy {
                    parts.push(format!("energy {:+}", energy.get()));
                }
                EntryView {
                    id: e.id.0,
                    when: x
                        .at
                        .to_zoned(tz.clone())
                        .strftime("%a %-d %b %Y, %H:%M")
                        .to_string(),
                    channel: x.channel.as_str(),
                    summary: parts.join("; "),
                    note: e.note.clone(),
                }
            })
            .collect(),
        path: format!("/friends/{id}"),
        checkin: profile
            .checkin
            .as_ref()
            .map(|c| {
                c.both
                    .iter()
                    .map(|b| (b.prompt.clone(), b.sentence.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        name,
    })
}

#[derive(Deserialize, Debug)]
pub(crate) struct NoteForm {
    csrf: String,
    /// need-mine, need-theirs, boundary-mine, boundary-theirs, follow-up,
    /// win or thanks.
    kind: String,
    text: String,
    #[serde(default)]
    due: String,
}

/// `POST /friends/{id}/note`: a need, boundary, follow-up, piece of good
/// news or gratitude added from the friend page.
pub(crate) async fn add_note(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> Result<Response, WebError> {
    use mutual_app::notes;
    use mutual_core::Side;
    check_csrf(&session, &form.csrf)?;
    let due = match form.due.trim() {
        "" => None,
        d => Some(
            d.parse::<jiff::civil::Date>()
                .map_err(|_| invalid("due date", d, "a date such as 2026-12-10"))?,
        ),
    };
    let friend = FriendId(id);
    let (kind, text) = (form.kind.clone(), form.text.clone());
    web.write(move |s, store| {
        store.db().friend(friend)?;
        let boundary = |whose| notes::NewBoundary {
            friend,
            whose,
            text: text.clone(),
            since: s.today(),
            rule: None,
        };
        match kind.as_str() {
            "need-mine" => notes::add_need(store, friend, Side::Me, &text, s.today()).map(|_| ()),
            "need-theirs" => notes::add_need(store, friend, Side::Them, &text, s.today()).map(|_| ()),
            "boundary-mine" => notes::add_boundary(s, store, &boundary(Side::Me)).map(|_| ()),
            "boundary-theirs" => notes::add_boundary(s, store, &boundary(Side::Them)).map(|_| ()),
            "follow-up" => notes::add_follow_up(s, store, friend, &text, due).map(|_| ()),
            "win" => notes::add_win(store, friend, s.now, &text, None).map(|_| ()),
            "thanks" => notes::add_gratitude(store, friend, s.now, &text, None).map(|_| ()),
            other => Err(AppError::Invalid {
                field: "kind",
                value: other.to_owned(),
                problem: "is not something this page adds".to_owned(),
                expected: "a need, boundary, follow-up, good news or thanks".to_owned(),
            }),
        }
    })
    .await?;
    Ok(Redirect::to(&format!("/friends/{id}#add")).into_response())
}

#[derive(Deserialize, Debug)]
pub(crate) struct RemoveForm {
    csrf: String,
    back: Option<String>,
}

/// `POST /entries/{id}/remove`: removes a journal entry (restorable for a
/// while, as on the command line).
pub(crate) async fn remove_entry(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    web.write(move |s, store| services::remove_entry(s, store, InteractionId(id)))
        .await?;
    Ok(Redirect::to(&back_to(form.back.as_deref())).into_response())
}

// ---------------------------------------------------------------- Log

#[derive(Template)]
#[template(path = "log.html")]
struct LogPage {
    frame: Frame,
    friends: Vec<(i64, String)>,
    chosen: Option<i64>,
    channels: Vec<&'static str>,
    kinds: Vec<&'static str>,
    problem: Option<String>,
    values: FormValues,
    /// Editing an entry: its number and who was there.
    editing: Option<(i64, String)>,
}

/// What the form's fields hold: empty for a new entry, the entry's own
/// values when editing, what was sent when it comes back with a problem.
#[derive(Debug, Default)]
struct FormValues {
    at: String,
    channel: String,
    started_by: String,
    /// `gave-listening` to 3, and so on.
    levels: std::collections::HashMap<String, u8>,
    energy: String,
    heard: String,
    note: String,
    tags: String,
    hard_news: bool,
}

impl FormValues {
    fn level(&self, side: &str, kind: &str) -> u8 {
        self.levels.get(&format!("{side}-{kind}")).copied().unwrap_or(0)
    }

    fn of_form(form: &LogForm) -> FormValues {
        FormValues {
            at: form.at.clone(),
            channel: form.channel.clone(),
            started_by: form.started_by.clone(),
            levels: form
                .support
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.parse().ok()?)))
                .collect(),
            energy: form.energy.clone(),
            heard: form.heard.clone(),
            note: form.note.clone(),
            tags: form.tags.clone(),
            hard_news: form.hard_news.is_some(),
        }
    }

    fn of_entry(e: &mutual_core::Interaction, tz: &jiff::tz::TimeZone) -> FormValues {
        let x = &e.exchange;
        let mut levels = std::collections::HashMap::new();
        for (side, set) in [("gave", x.gave), ("got", x.got)] {
            for (kind, level) in set.iter() {
                levels.insert(format!("{side}-{}", kind.as_str()), level.get());
            }
        }
        FormValues {
            at: x.at.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M").to_string(),
            channel: x.channel.as_str().to_owned(),
            started_by: x.initiator.as_str().to_owned(),
            levels,
            energy: x.energy.map(|e| e.get().to_string()).unwrap_or_default(),
            heard: e.felt_heard.map(|h| h.get().to_string()).unwrap_or_default(),
            note: e.note.clone().unwrap_or_default(),
            tags: e.tags.join(", "),
            hard_news: x.hard_news,
        }
    }
}

#[derive(Deserialize, Debug, Default)]
pub(crate) struct LogQuery {
    friend: Option<i64>,
}

async fn log_page(
    web: &Arc<Web>,
    session: &Session,
    chosen: Option<i64>,
    problem: Option<String>,
    values: FormValues,
    editing: Option<(i64, String)>,
) -> Result<LogPage, WebError> {
    let friends = web
        .read(|_, db| Ok(db.friends()?.into_iter().map(|f| (f.id.0, f.name)).collect()))
        .await?;
    Ok(LogPage {
        frame: Frame::new("log", session),
        friends,
        chosen,
        channels: Channel::ALL.iter().map(|c| c.as_str()).collect(),
        kinds: SupportKind::ALL.iter().map(|k| k.as_str()).collect(),
        problem,
        values,
        editing,
    })
}

pub(crate) async fn log_form(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Query(q): Query<LogQuery>,
) -> Result<Response, WebError> {
    page(&log_page(&web, &session, q.friend, None, FormValues::default(), None).await?)
}

/// The names of who was at an entry.
fn who(entry: &mutual_core::Interaction, friends: &[mutual_core::Friend]) -> String {
    entry
        .friends
        .iter()
        .filter_map(|id| friends.iter().find(|f| f.id == *id).map(|f| f.name.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GET /entries/{id}/edit`: the entry in the log form.
pub(crate) async fn edit_form(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (entry, names, tz) = web
        .read(move |s, db| {
            let entry = db.interaction(InteractionId(id))?;
            let names = who(&entry, &db.friends()?);
            Ok((entry, names, s.tz.clone()))
        })
        .await?;
    let values = FormValues::of_entry(&entry, &tz);
    let chosen = entry.friends.first().map(|f| f.0);
    page(&log_page(&web, &session, chosen, None, values, Some((id, names))).await?)
}

/// `POST /entries/{id}/edit`: the entry as the form now says; back to the
/// friend's page.
pub(crate) async fn edit(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<LogForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let settings = web.settings();
    let outcome = match request_from(&form, &settings) {
        Ok((request, _)) => {
            web.write(move |_, store| {
                let mut entry = store.db().interaction(InteractionId(id))?;
                let x = &mut entry.exchange;
                x.at = request.at.unwrap_or(x.at);
                x.channel = request.channel.unwrap_or(x.channel);
                x.initiator = request.initiator.unwrap_or(x.initiator);
                x.gave = request.gave.unwrap_or_default();
                x.got = request.got.unwrap_or_default();
                x.energy = request.energy;
                x.hard_news = request.hard_news;
                entry.felt_heard = request.felt_heard;
                entry.note = request.note;
                entry.tags = request.tags;
                services::edit_entry(store, &entry)?;
                Ok(entry.friends.first().map_or(0, |f| f.0))
            })
            .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(friend) => Ok(Redirect::to(&format!("/friends/{friend}#entries")).into_response()),
        Err(e) if e.status().is_client_error() && e.status() != StatusCode::NOT_FOUND => {
            let names = web
                .read(move |_, db| {
                    let entry = db.interaction(InteractionId(id))?;
                    Ok(who(&entry, &db.friends()?))
                })
                .await?;
            let page = log_page(
                &web,
                &session,
                None,
                Some(e.to_string()),
                FormValues::of_form(&form),
                Some((id, names)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page)?)).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The log form as sent: every field a string, read here.
#[derive(Deserialize, Debug, Default)]
pub(crate) struct LogForm {
    csrf: String,
    friend: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    started_by: String,
    #[serde(default)]
    energy: String,
    #[serde(default)]
    heard: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    follow_up: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    hard_news: Option<String>,
    #[serde(flatten)]
    support: std::collections::HashMap<String, String>,
}

fn invalid(field: &'static str, value: &str, expected: &str) -> WebError {
    WebError::App(AppError::Invalid {
        field,
        value: value.to_owned(),
        problem: "cannot be used".to_owned(),
        expected: expected.to_owned(),
    })
}

/// `gave-listening=3`-style fields into a support set.
fn support_from(form: &LogForm, side: &str) -> Result<Option<SupportSet>, WebError> {
    let mut set = SupportSet::default();
    for kind in SupportKind::ALL {
        let key = format!("{side}-{}", kind.as_str());
        match form.support.get(&key).map(String::as_str) {
            None | Some("" | "0") => {}
            Some(level) => {
                let intensity = level
                    .parse()
                    .ok()
                    .and_then(mutual_core::support::Intensity::new)
                    .ok_or_else(|| invalid("intensity", level, "1, 2 or 3"))?;
                set = set.with(*kind, intensity);
            }
        }
    }
    Ok((!set.is_empty()).then_some(set))
}

fn request_from(form: &LogForm, settings: &mutual_app::Settings) -> Result<(LogRequest, i64), WebError> {
    let friend: i64 = form
        .friend
        .parse()
        .map_err(|_| invalid("friend", &form.friend, "one of your friends"))?;
    let at = match form.at.trim() {
        "" => None,
        text => {
            let local: jiff::civil::DateTime = text
                .parse()
                .map_err(|_| invalid("time", text, "a date and time such as 2026-11-20T18:30"))?;
            let at = local
                .to_zoned(settings.tz.clone())
                .map_err(|_| invalid("time", text, "a date and time such as 2026-11-20T18:30"))?
                .timestamp();
            if at > settings.now {
                return Err(invalid("time", text, "a moment that has already happened"));
            }
            Some(at)
        }
    };
    let parse_opt = |text: &str, field: &'static str, expected: &str| -> Result<Option<i64>, WebError> {
        match text.trim() {
            "" => Ok(None),
            t => t.parse().map(Some).map_err(|_| invalid(field, t, expected)),
        }
    };
    let energy = parse_opt(&form.energy, "energy", "a number from -3 to 3")?
        .map(|e| Energy::new(e).ok_or_else(|| invalid("energy", &form.energy, "a number from -3 to 3")))
        .transpose()?;
    let felt_heard = parse_opt(&form.heard, "felt heard", "a number from 1 to 5")?
        .map(|h| FeltHeard::new(h).ok_or_else(|| invalid("felt heard", &form.heard, "a number from 1 to 5")))
        .transpose()?;
    let channel = match form.channel.as_str() {
        "" => None,
        c => Some(
            c.parse::<Channel>()
                .map_err(|_| invalid("channel", c, "one of the listed ways"))?,
        ),
    };
    let initiator = match form.started_by.as_str() {
        "" => None,
        i => Some(
            i.parse::<Initiator>()
                .map_err(|_| invalid("who started", i, "me, them or both"))?,
        ),
    };
    let follow_up = match (form.follow_up.trim(), form.due.trim()) {
        ("", _) => None,
        (text, "") => Some((
            text.to_owned(),
            settings.today().checked_add(7.days()).map_err(AppError::from)?,
        )),
        (text, due) => Some((
            text.to_owned(),
            due.parse::<jiff::civil::Date>()
                .map_err(|_| invalid("due date", due, "a date such as 2026-12-10"))?,
        )),
    };
    let note = Some(form.note.trim().to_owned()).filter(|n| !n.is_empty());
    let tags = form
        .tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((
        LogRequest {
            // Named below, from the id, by the write.
            friends: Vec::new(),
            at,
            channel,
            initiator,
            gave: support_from(form, "gave")?,
            got: support_from(form, "got")?,
            energy,
            felt_heard,
            note,
            tags,
            conflict: false,
            hard_news: form.hard_news.is_some(),
            follow_up,
        },
        friend,
    ))
}

/// `POST /log`: logs time together, then shows the friend's page.
pub(crate) async fn log(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Form(form): Form<LogForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let chosen = form.friend.parse().ok();
    let settings = web.settings();
    let outcome = match request_from(&form, &settings) {
        Ok((request, friend)) => web
            .write(move |s, store| {
                let name = store
                    .db()
                    .friends()?
                    .into_iter()
                    .find(|f| f.id.0 == friend)
                    .map(|f| f.name)
                    .ok_or(mutual_store::StoreError::NotFound {
                        what: "friend",
                        id: friend,
                    })?;
                services::log(
                    s,
                    store,
                    LogRequest {
                        friends: vec![name],
                        ..request
                    },
                )
            })
            .await
            .map(|logged| logged.friends.first().map_or(friend, |f| f.id.0)),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(friend) => Ok(Redirect::to(&format!("/friends/{friend}#entries")).into_response()),
        Err(e) if e.status().is_client_error() => {
            let values = FormValues::of_form(&form);
            let page = log_page(&web, &session, chosen, Some(e.to_string()), values, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page)?)).into_response())
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------- Review, settings

struct ReviewRow {
    id: i64,
    name: String,
    entries: usize,
    balance: String,
    signals: usize,
    wins: usize,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    frame: Frame,
    since: String,
    rows: Vec<ReviewRow>,
    reflections: Vec<(String, Vec<String>)>,
}

pub(crate) async fn review(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
) -> Result<Response, WebError> {
    let (settings, snapshot) = web.snapshot().await?;
    let (review, tz) = web
        .read(move |_, db| {
            let review = snapshot.review(&settings, db)?;
            Ok((review, settings.tz.clone()))
        })
        .await?;
    page(&ReviewPage {
        frame: Frame::new("review", &session),
        since: review
            .since
            .to_zoned(tz.clone())
            .strftime("%A %-d %B")
            .to_string(),
        rows: review
            .friends
            .iter()
            .map(|f| ReviewRow {
                id: f.record.friend.id.0,
                name: f.record.friend.name.clone(),
                entries: f.entries,
                balance: f.overview.balance.phrase(&f.record.friend.name),
                signals: f.signals.len(),
                wins: f.wins,
            })
            .collect(),
        reflections: review
            .reflections
            .iter()
            .map(|r| {
                let said = [
                    ("Went well", &r.went_well),
                    ("To adjust", &r.to_adjust),
                    ("Note", &r.note),
                ]
                .into_iter()
                .filter_map(|(label, text)| text.as_ref().map(|t| format!("{label}: {t}")))
                .collect();
                (r.at.to_zoned(tz.clone()).strftime("%-d %B %Y").to_string(), said)
            })
            .collect(),
    })
}

#[derive(Deserialize, Debug)]
pub(crate) struct ReflectForm {
    csrf: String,
    #[serde(default)]
    went_well: String,
    #[serde(default)]
    to_adjust: String,
}

/// `POST /review`: a reflection on the week.
pub(crate) async fn reflect(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Form(form): Form<ReflectForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let said = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
    let (went_well, to_adjust) = (said(&form.went_well), said(&form.to_adjust));
    if went_well.is_none() && to_adjust.is_none() {
        return Err(WebError::BadRequest(
            "the reflection is empty; write what went well or what to adjust".to_owned(),
        ));
    }
    web.write(move |s, store| {
        let reflection = mutual_app::notes::Reflection {
            went_well,
            to_adjust,
            note: None,
        };
        mutual_app::notes::add_reflection(s, store, mutual_core::Period::Week, None, &reflection)
    })
    .await?;
    Ok(Redirect::to("/review").into_response())
}

struct RhythmRow {
    id: i64,
    name: String,
    ideal: u32,
    max: u32,
    /// Their own rhythm, not their circle's default.
    own: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    frame: Frame,
    encrypted: bool,
    friends: Vec<RhythmRow>,
    /// The calendar feed's address, once made.
    feed: Option<String>,
    problem: Option<String>,
    done: Option<String>,
    /// How the model reads the journal: (what, the value in words).
    thresholds: Vec<(&'static str, String)>,
}

/// The model's thresholds in words, as the settings page shows them.
fn thresholds(s: &mutual_app::Settings) -> Vec<(&'static str, String)> {
    let (b, e) = (&s.config.balance, &s.config.energy);
    let half_life = (b.tau_days * std::f64::consts::LN_2).round();
    vec![
        (
            "Balanced",
            format!("when the balance is within ±{:.2} of even", b.band),
        ),
        (
            "Early days",
            format!(
                "until about {:.1} weighted times together (three in the last month, or more longer ago)",
                b.min_evidence
            ),
        ),
        (
            "Recent counts more",
            format!("a time together counts half as much after about {half_life} days"),
        ),
        (
            "Energy lately",
            format!("the mean over the last {} days", e.recent_days),
        ),
        (
            "A conversation",
            format!(
                "ends after {} minutes without a message",
                s.weeks.gap.as_secs() / 60
            ),
        ),
    ]
}

/// Where the calendar feed's secret key is kept.
pub(crate) const FEED_KEY: &str = "calendar_feed_key";

#[derive(Deserialize, Debug, Default)]
pub(crate) struct SettingsQuery {
    done: Option<String>,
}

pub(crate) async fn settings(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Query(q): Query<SettingsQuery>,
) -> Result<Response, WebError> {
    settings_page(&web, &session, None, q.done, StatusCode::OK).await
}

async fn settings_page(
    web: &Arc<Web>,
    session: &Session,
    problem: Option<String>,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let encrypted = web.is_encrypted();
    let (friends, key, thresholds) = web
        .read(|s, db| {
            let friends = db
                .friends()?
                .into_iter()
                .map(|f| {
                    let c = f.effective_cadence();
                    RhythmRow {
                        id: f.id.0,
                        own: f.cadence.is_some(),
                        name: f.name,
                        ideal: c.ideal_days,
                        max: c.max_days,
                    }
                })
                .collect();
            Ok((friends, db.meta(FEED_KEY)?, thresholds(s)))
        })
        .await?;
    let done = done.and_then(|d| match d.as_str() {
        "rhythm" => Some("Saved the rhythm.".to_owned()),
        "feed" => Some("Made a new calendar address; the old one no longer works.".to_owned()),
        "forgot" => Some("Forgotten, for good. Nothing of them is left in the database.".to_owned()),
        _ => None,
    });
    let page = SettingsPage {
        frame: Frame::new("settings", session),
        encrypted,
        friends,
        feed: key.map(|k| format!("http://{}/calendar.ics?key={k}", web.host())),
        problem,
        done,
        thresholds,
    };
    Ok((status, Html(render(&page)?)).into_response())
}

#[derive(Deserialize, Debug)]
pub(crate) struct RhythmForm {
    csrf: String,
    ideal: String,
    max: String,
}

/// `POST /friends/{id}/rhythm`: a friend's own check-in rhythm.
pub(crate) async fn rhythm(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<RhythmForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let days = |text: &str, field: &'static str| {
        text.trim()
            .parse::<u32>()
            .map_err(|_| invalid(field, text, "a number of days, such as 14"))
    };
    let cadence = days(&form.ideal, "ideal days").and_then(|ideal| {
        let max = days(&form.max, "most days")?;
        mutual_core::Cadence::new(ideal, max).map_err(|e| WebError::BadRequest(e.to_string()))
    });
    let cadence = match cadence {
        Ok(c) => c,
        Err(e) => {
            return settings_page(
                &web,
                &session,
                Some(e.to_string()),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    web.write(move |s, store| {
        let mut friend = store.db().friend(FriendId(id))?;
        friend.cadence = Some(cadence);
        services::update_friend(s, store, &friend)
    })
    .await?;
    Ok(Redirect::to("/settings?done=rhythm").into_response())
}

#[derive(Deserialize, Debug)]
pub(crate) struct ForgetForm {
    csrf: String,
    /// The friend's name typed again, to be sure.
    confirm: String,
}

/// `POST /friends/{id}/forget`: forgets a friend for good, once their name
/// is typed again.
pub(crate) async fn forget(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<ForgetForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let friend = web.read(move |_, db| Ok(db.friend(FriendId(id))?)).await?;
    if mutual_core::text::fold(form.confirm.trim()) != mutual_core::text::fold(&friend.name) {
        let problem = format!(
            "To forget {}, type their name exactly as shown; nothing was changed.",
            friend.name
        );
        return settings_page(
            &web,
            &session,
            Some(problem),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    web.write(move |s, store| {
        let mut names = vec![friend.name.clone()];
        names.extend(friend.aliases.iter().map(|a| a.text.clone()));
        services::forget(s, store, friend.id, &names, false).map(|_| ())
    })
    .await?;
    Ok(Redirect::to("/settings?done=forgot").into_response())
}

/// `POST /settings/calendar`: a new secret address for the calendar feed
/// (the old one stops working).
pub(crate) async fn new_feed(
    State(web): State<Arc<Web>>,
    Extension(session): Extension<Session>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let key = crate::state::secret();
    web.write(move |_, store| Ok(store.write(|tx| tx.set_meta(FEED_KEY, &key))?))
        .await?;
    Ok(Redirect::to("/settings?done=feed").into_response())
}

#[derive(Deserialize, Debug)]
pub(crate) struct CsrfForm {
    csrf: String,
}

#[derive(Deserialize, Debug)]
pub(crate) struct FeedQuery {
    key: Option<String>,
}

/// `GET /calendar.ics?key=...`: the dates to keep, for a calendar app (no
/// session: the secret key is the permission).
pub(crate) async fn feed(
    State(web): State<Arc<Web>>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, WebError> {
    if web.login_blocked() {
        return Err(WebError::TooManyAttempts);
    }
    let given = q.key.unwrap_or_default();
    let calendar = web
        .read(move |s, db| {
            let ok = db
                .meta(FEED_KEY)?
                .is_some_and(|key| crate::state::same_secret(&key, &given));
            if !ok {
                return Ok(None);
            }
            mutual_app::calendar::calendar(s, db, 365).map(|(text, _)| Some(text))
        })
        .await?;
    match calendar {
        None => {
            web.failed_login();
            Err(WebError::Forbidden(
                "this calendar address is not right or was replaced; copy the new one from Settings",
            ))
        }
        Some(text) => {
            let mut response = text.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            );
            Ok(response)
        }
    }
}

/// `GET /settings/export`: everything, as the export document, to download.
pub(crate) async fn export(State(web): State<Arc<Web>>) -> Result<Response, WebError> {
    let export = web.read(mutual_app::views::export).await?;
    let body = serde_json::to_vec_pretty(&export).map_err(|e| WebError::Internal(e.to_string()))?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"mutual-export.json\""),
    );
    Ok(response)
}

// ---------------------------------------------------------------- Assets

/// The dashboard's stylesheet: its own rules and the report's charts'.
pub(crate) async fn style() -> Response {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let css = CSS.get_or_init(|| {
        format!(
            "{}\n{}",
            include_str!("../assets/style.css"),
            mutual_report::chart_css()
        )
    });
    asset(css.clone(), "text/css; charset=utf-8")
}

pub(crate) async fn script() -> Response {
    asset(
        include_str!("../assets/app.js").to_owned(),
        "text/javascript; charset=utf-8",
    )
}

fn asset(body: String, kind: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    response
}

pub(crate) async fn not_found() -> WebError {
    WebError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_leave_the_words_a_page_shows() {
        assert_eq!(
            without_commands(
                "Telling Sam takes a minute and can mean a lot. Afterwards: `mutual thanks told 3`."
            ),
            "Telling Sam takes a minute and can mean a lot."
        );
        assert_eq!(
            without_commands(
                "You meant to come back about \"the move\" tomorrow (`mutual followup done 2` when you have). A short message is enough."
            ),
            "You meant to come back about \"the move\" tomorrow. A short message is enough."
        );
        assert_eq!(without_commands("No command here."), "No command here.");
    }

    #[test]
    fn going_back_stays_on_this_server() {
        assert_eq!(back_to(Some("/friends/3")), "/friends/3");
        assert_eq!(back_to(Some("//evil.example/")), "/");
        assert_eq!(back_to(Some("https://evil.example/")), "/");
        assert_eq!(back_to(None), "/");
    }
}
