//! Today's agenda and the per-friend overview that `today` and `balance`
//! share: the whole model applied to every friendship at one moment.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::Context;
use crate::balance::{Balance, balance};
use crate::cadence::{CadenceState, CadenceStatus, cadence_status};
use crate::dates::DateKind;
use crate::energy::{EnergySummary, energy};
use crate::followup::{FollowUpState, Reliability, reliability};
use crate::id::FriendId;
use crate::record::FriendRecord;
use crate::signal::{Drift, Evidence, Signal, SignalKind, signals};
use crate::words::{day, on_day, quoted};

/// The model's picture of one friendship at one moment.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FriendOverview {
    pub friend: FriendId,
    pub name: String,
    pub balance: Balance,
    pub energy: EnergySummary,
    pub cadence: CadenceStatus,
    /// Follow-ups due in the last year.
    pub reliability: Reliability,
}

pub fn overview(record: &FriendRecord, cx: &Context<'_>) -> FriendOverview {
    let reliability_since = cx.today.checked_sub(1.year()).unwrap_or(Date::MIN);
    FriendOverview {
        friend: record.friend.id,
        name: record.friend.name.clone(),
        balance: balance(
            &record.exchanges,
            &record.agreements,
            cx.as_of,
            &cx.config.balance,
        ),
        energy: energy(&record.exchanges, cx.as_of, &cx.config.energy),
        cadence: status(record, cx),
        reliability: reliability(&record.follow_ups, reliability_since, cx.today, cx.tz),
    }
}

/// The friend's check-in rhythm as of the context's moment.
pub fn status(record: &FriendRecord, cx: &Context<'_>) -> CadenceStatus {
    cadence_status(
        &record.friend,
        record.last_contact(cx.as_of),
        record.last_hard_news(cx.as_of),
        cx.today,
        cx.tz,
        &cx.config.cadence,
    )
}

/// What an agenda item is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgendaKind {
    Signal(SignalKind),
    /// A check-in coming due.
    CheckIn,
    /// Hard news: a tighter rhythm for a while, and what to come back to.
    SupportWindow,
    /// A follow-up due today or in the next days.
    FollowUp,
    /// A parked topic whose revisit date has come or is coming.
    ParkedTopic,
    /// A busy season ending soon.
    PauseEnding,
    /// A birthday today or in the next days.
    Birthday,
    /// A key date today or in the next days.
    KeyDate,
}

impl AgendaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AgendaKind::Signal(kind) => kind.as_str(),
            AgendaKind::CheckIn => "check-in",
            AgendaKind::SupportWindow => "support-window",
            AgendaKind::FollowUp => "follow-up",
            AgendaKind::ParkedTopic => "parked-topic",
            AgendaKind::PauseEnding => "pause-ending",
            AgendaKind::Birthday => "birthday",
            AgendaKind::KeyDate => "key-date",
        }
    }

    /// The section an item of this kind goes in when it is due today (one
    /// due later goes under "Coming up").
    pub fn section(self) -> Section {
        use SignalKind as S;
        match self {
            AgendaKind::SupportWindow => Section::BeThere,
            AgendaKind::Signal(S::Overdue) | AgendaKind::CheckIn => Section::ReachOut,
            AgendaKind::Signal(S::MissedFollowups) | AgendaKind::FollowUp | AgendaKind::ParkedTopic => {
                Section::ComeBackTo
            }
            AgendaKind::Signal(S::UncelebratedWin | S::UntoldGratitude) => Section::CelebrateAndThank,
            AgendaKind::PauseEnding | AgendaKind::Birthday | AgendaKind::KeyDate => Section::ComingUp,
            AgendaKind::Signal(_) => Section::TakeCare,
        }
    }
}

impl serde::Serialize for AgendaKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The headings of the agenda, in the order they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    BeThere,
    ComeBackTo,
    ReachOut,
    TakeCare,
    CelebrateAndThank,
    ComingUp,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::BeThere => "Be there",
            Section::ComeBackTo => "Come back to",
            Section::ReachOut => "Reach out",
            Section::TakeCare => "Take care",
            Section::CelebrateAndThank => "Celebrate and thank",
            Section::ComingUp => "Coming up",
        }
    }
}

/// One line of today's agenda.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AgendaItem {
    pub kind: AgendaKind,
    pub section: Section,
    pub friend: FriendId,
    #[serde(rename = "friend_name")]
    pub name: String,
    /// When it began or is due.
    pub date: Option<Date>,
    pub confidence: f64,
    #[serde(serialize_with = "crate::signal::as_map")]
    pub evidence: Vec<(&'static str, Evidence)>,
    pub message: String,
    pub suggestion: String,
    /// The one step that settles it, when there is one (a face offers it
    /// as a button or a command).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
}

/// A one-step action that settles an agenda item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Action {
    /// Mark a follow-up done.
    FollowUpDone(crate::FollowUpId),
    /// Say how I responded to a friend's good news.
    RespondToWin(crate::WinId),
    /// Mark gratitude as told.
    TellThanks(crate::GratitudeId),
    /// Clear a parked topic once it has been talked about.
    Revisited(crate::ParkedTopicId),
}

impl AgendaItem {
    fn from_signal(signal: Signal, name: &str) -> AgendaItem {
        let kind = AgendaKind::Signal(signal.kind);
        let id = |key: &str| {
            signal.evidence.iter().find_map(|(k, v)| match v {
                Evidence::Count(id) if *k == key => Some(*id),
                _ => None,
            })
        };
        let action = match signal.kind {
            SignalKind::UncelebratedWin => id("win").map(|i| Action::RespondToWin(crate::WinId(i))),
            SignalKind::UntoldGratitude => id("gratitude").map(|i| Action::TellThanks(crate::GratitudeId(i))),
            _ => None,
        };
        AgendaItem {
            action,
            kind,
            section: kind.section(),
            friend: signal.friend,
            name: name.to_owned(),
            date: signal.began,
            confidence: signal.confidence,
            evidence: signal.evidence,
            message: signal.message,
            suggestion: signal.suggestion,
        }
    }

    fn plain(
        kind: AgendaKind,
        record: &FriendRecord,
        date: Date,
        message: String,
        suggestion: String,
    ) -> AgendaItem {
        AgendaItem {
            kind,
            section: kind.section(),
            friend: record.friend.id,
            name: record.friend.name.clone(),
            date: Some(date),
            confidence: 1.0,
            evidence: Vec::new(),
            message,
            suggestion,
            action: None,
        }
    }

    fn with_action(mut self, action: Action) -> AgendaItem {
        self.action = Some(action);
        self
    }
}

/// Today's agenda: what deserves a moment, grouped by section.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Agenda {
    pub today: Date,
    pub items: Vec<AgendaItem>,
    /// Friendships in a good rhythm that need nothing today.
    pub quiet: usize,
    /// Friendships resting (paused or snoozed) that need nothing today.
    pub resting: Vec<Resting>,
}

/// A friendship that is paused or snoozed, and so needs nothing today.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Resting {
    pub name: String,
    pub state: CadenceState,
}

/// Days ahead "Coming up" looks.
pub const COMING_UP_DAYS: i64 = 7;

pub fn agenda(records: &[FriendRecord], drift: &Drift, cx: &Context<'_>) -> Agenda {
    let mut items = Vec::new();
    let mut quiet = 0;
    let mut resting = Vec::new();
    for record in records {
        let before = items.len();
        let status = status(record, cx);
        let name = &record.friend.name;
        items.extend(
            signals(record, &status, drift, cx)
                .into_iter()
                .map(|s| AgendaItem::from_signal(s, name)),
        );
        let supporting = support_window(record, &status, cx);
        let in_window = supporting.is_some();
        items.extend(supporting);
        if status.state == CadenceState::DueSoon && !in_window {
            items.push(check_in(record, &status, cx));
        }
        items.extend(follow_ups_today(record, cx));
        items.extend(parked_topics(record, cx));
        items.extend(coming_up(record, &status, in_window, cx));
        if items.len() == before {
            if matches!(status.state, CadenceState::Paused | CadenceState::Snoozed) {
                resting.push(Resting {
                    name: name.clone(),
                    state: status.state,
                });
            } else {
                quiet += 1;
            }
        }
    }
    items.sort_by(|a, b| (a.section, a.date, &a.name).cmp(&(b.section, b.date, &b.name)));
    Agenda {
        today: cx.today,
        items,
        quiet,
        resting,
    }
}

/// A day soon in words: "today", "tomorrow", "Friday 19 Jun".
fn soon(date: Date, today: Date) -> String {
    if date == today {
        "today".to_owned()
    } else if today.tomorrow().ok() == Some(date) {
        "tomorrow".to_owned()
    } else if date > today && date <= today.checked_add(6.days()).unwrap_or(today) {
        date.strftime("%A %-d %b").to_string()
    } else {
        day(date, today)
    }
}

/// [`soon`] as it reads after a verb: "today", "tomorrow", "on Friday 19 Jun".
fn on_soon(date: Date, today: Date) -> String {
    match soon(date, today) {
        relative if date >= today && date <= today.tomorrow().unwrap_or(today) => relative,
        absolute => format!("on {absolute}"),
    }
}

/// Hard news leads the agenda for that friend while its support window
/// lasts: why the rhythm is tighter, until when, the next check-in, and
/// what I meant to come back to.
fn support_window(record: &FriendRecord, status: &CadenceStatus, cx: &Context<'_>) -> Option<AgendaItem> {
    let until = status.support_window_until?;
    if matches!(status.state, CadenceState::Paused | CadenceState::Snoozed) {
        return None;
    }
    let name = &record.friend.name;
    let news = record
        .last_hard_news(cx.as_of)
        .map(|t| t.to_zoned(cx.tz.clone()).date())?;
    let usual = record.friend.effective_cadence().ideal_days;
    let ideal = status.cadence.ideal_days;
    let rhythm = if usual > ideal {
        format!(
            "a check-in {} (rather than {}) can help them feel less alone",
            crate::words::every(ideal),
            crate::words::every(usual)
        )
    } else {
        format!(
            "a check-in {} can help them feel less alone",
            crate::words::every(ideal)
        )
    };
    let next = if status.due_on <= cx.today {
        "the next one is due now".to_owned()
    } else {
        format!("the next one is due {}", on_soon(status.due_on, cx.today))
    };
    let mut message = format!(
        "{name} shared hard news {}. Until {}, {rhythm}; {next}.",
        on_day(news, cx.today),
        day(until, cx.today)
    );
    let mut open: Vec<_> = record.follow_ups.iter().filter(|f| f.done_at.is_none()).collect();
    open.sort_by_key(|f| f.due);
    for f in open.iter().take(2) {
        let by = if f.due < cx.today {
            format!("by {} (it is not too late)", day(f.due, cx.today))
        } else {
            format!(
                "{} (`mutual followup done {}` when you have)",
                on_soon(f.due, cx.today),
                f.id
            )
        };
        message.push_str(&format!(
            " You meant to come back about {} {by}.",
            quoted(&f.text)
        ));
    }
    let mut item = AgendaItem::plain(
        AgendaKind::SupportWindow,
        record,
        news,
        message,
        "A short message is enough; there is no need to find the right words.".to_owned(),
    );
    item.evidence = vec![
        ("hard_news_on", news.into()),
        ("support_window_until", until.into()),
        ("ideal_days", i64::from(ideal).into()),
        ("usual_ideal_days", i64::from(usual).into()),
        ("check_in_due", status.due_on.into()),
        ("open_follow_ups", open.len().into()),
    ];
    Some(item)
}

fn check_in(record: &FriendRecord, status: &CadenceStatus, cx: &Context<'_>) -> AgendaItem {
    let name = &record.friend.name;
    let message = match status.support_window_until {
        Some(until) => format!(
            "{name} shared hard news recently; until {} a check-in {} or so can help them feel less alone.",
            day(until, cx.today),
            crate::words::every(status.cadence.ideal_days)
        ),
        None => format!(
            "You and {name} like to connect about {}; it has been {}.",
            crate::words::every(status.cadence.ideal_days),
            status.days_since
        ),
    };
    AgendaItem::plain(
        AgendaKind::CheckIn,
        record,
        status.due_on,
        message,
        "A short hello in the next day or two keeps the rhythm going.".to_owned(),
    )
}

fn follow_ups_today<'a>(
    record: &'a FriendRecord,
    cx: &'a Context<'_>,
) -> impl Iterator<Item = AgendaItem> + 'a {
    record
        .follow_ups
        .iter()
        .filter(move |f| f.state(cx.today, cx.tz) == FollowUpState::DueToday)
        .map(move |f| {
            AgendaItem::plain(
                AgendaKind::FollowUp,
                record,
                f.due,
                format!(
                    "Come back to {} about {} (due today).",
                    record.friend.name,
                    quoted(&f.text)
                ),
                format!("When you have, mark it with `mutual followup done {}`.", f.id),
            )
            .with_action(Action::FollowUpDone(f.id))
        })
}

fn parked_topics<'a>(record: &'a FriendRecord, cx: &'a Context<'_>) -> impl Iterator<Item = AgendaItem> + 'a {
    record
        .parked
        .iter()
        .filter(move |p| p.is_due(cx.today))
        .map(move |p| {
            AgendaItem::plain(
            AgendaKind::ParkedTopic,
            record,
            p.revisit_on,
            format!(
                "You and {} parked {} until {}; it may be time to come back to it, if you both feel ready.",
                record.friend.name,
                quoted(&p.topic),
                day(p.revisit_on, cx.today)
            ),
            format!("Once you have talked, `mutual park revisited {}` clears it.", p.id),
        )
        .with_action(Action::Revisited(p.id))
        })
}

/// The next days: follow-ups and revisit dates after today, the end of a
/// busy season, birthdays and key dates (today's too). A friend in a support
/// window has their follow-ups told in the lead item instead.
fn coming_up(
    record: &FriendRecord,
    status: &CadenceStatus,
    in_window: bool,
    cx: &Context<'_>,
) -> Vec<AgendaItem> {
    let name = &record.friend.name;
    let to = cx.today.checked_add(COMING_UP_DAYS.days()).unwrap_or(Date::MAX);
    let mut out = Vec::new();
    for u in crate::dates::upcoming(record, status, cx.today, to) {
        let when = on_soon(u.day, cx.today);
        let (kind, message, suggestion) = match u.kind {
            DateKind::FollowUp if u.day > cx.today && !in_window => (
                AgendaKind::FollowUp,
                format!(
                    "Come back to {name} about {} (due {}).",
                    quoted(&u.text),
                    soon(u.day, cx.today)
                ),
                format!(
                    "When you have, mark it with `mutual followup done {}`.",
                    u.id.unwrap_or_default()
                ),
            ),
            DateKind::Revisit if u.day > cx.today => (
                AgendaKind::ParkedTopic,
                format!(
                    "You and {name} parked {} until {}.",
                    quoted(&u.text),
                    soon(u.day, cx.today)
                ),
                "When the day comes, see whether you both feel ready to come back to it.".to_owned(),
            ),
            DateKind::PauseEnds => {
                let season = if u.text.is_empty() {
                    "busy season".to_owned()
                } else {
                    format!("busy season ({})", u.text)
                };
                (
                    AgendaKind::PauseEnding,
                    format!("{name}'s {season} ends {when}."),
                    "A welcome-back message when it ends could be lovely.".to_owned(),
                )
            }
            DateKind::Birthday => (
                AgendaKind::Birthday,
                if u.day == cx.today {
                    format!("It is {name}'s birthday today.")
                } else {
                    format!("{name}'s birthday is {when}.")
                },
                "A message on the day, or a plan to celebrate together, goes a long way.".to_owned(),
            ),
            DateKind::KeyDate => (
                AgendaKind::KeyDate,
                if u.day == cx.today {
                    format!("Today is {name}'s {}.", quoted(&u.text))
                } else {
                    format!("{name}'s {} is {when}.", quoted(&u.text))
                },
                "A word before or on the day shows you remembered.".to_owned(),
            ),
            _ => continue,
        };
        let mut item = AgendaItem::plain(kind, record, u.day, message, suggestion);
        item.section = Section::ComingUp;
        if let (AgendaKind::FollowUp, Some(id)) = (kind, u.id) {
            item.action = Some(Action::FollowUpDone(crate::FollowUpId(id)));
        }
        out.push(item);
    }
    out
}
