//! Today's agenda and the per-friend overview that `today` and `balance`
//! share: the whole model applied to every friendship at one moment.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::Context;
use crate::balance::{Balance, balance};
use crate::cadence::{CadenceState, CadenceStatus, cadence_status};
use crate::energy::{EnergySummary, energy};
use crate::followup::{FollowUpState, Reliability, reliability};
use crate::id::FriendId;
use crate::record::FriendRecord;
use crate::signal::{Evidence, Signal, SignalKind, signals};
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
    /// A follow-up due today or in the next days.
    FollowUp,
    /// A parked topic whose revisit date has come.
    ParkedTopic,
    /// A busy season ending soon.
    PauseEnding,
}

impl AgendaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AgendaKind::Signal(kind) => kind.as_str(),
            AgendaKind::CheckIn => "check-in",
            AgendaKind::FollowUp => "follow-up",
            AgendaKind::ParkedTopic => "parked-topic",
            AgendaKind::PauseEnding => "pause-ending",
        }
    }

    pub fn section(self) -> Section {
        use SignalKind as S;
        match self {
            AgendaKind::Signal(S::Overdue) | AgendaKind::CheckIn => Section::ReachOut,
            AgendaKind::Signal(S::MissedFollowups) | AgendaKind::FollowUp | AgendaKind::ParkedTopic => {
                Section::ComeBackTo
            }
            AgendaKind::Signal(S::UncelebratedWin | S::UntoldGratitude) => Section::CelebrateAndThank,
            AgendaKind::PauseEnding => Section::ComingUp,
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
    ComeBackTo,
    ReachOut,
    TakeCare,
    CelebrateAndThank,
    ComingUp,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
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
}

impl AgendaItem {
    fn from_signal(signal: Signal, name: &str) -> AgendaItem {
        let kind = AgendaKind::Signal(signal.kind);
        AgendaItem {
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
        }
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

/// Days ahead that upcoming follow-ups and pause endings are shown.
const LOOKAHEAD_DAYS: i64 = 2;
const PAUSE_LOOKAHEAD_DAYS: i64 = 7;

pub fn agenda(records: &[FriendRecord], cx: &Context<'_>) -> Agenda {
    let mut items = Vec::new();
    let mut quiet = 0;
    let mut resting = Vec::new();
    for record in records {
        let before = items.len();
        let status = status(record, cx);
        let name = &record.friend.name;
        items.extend(
            signals(record, &status, cx)
                .into_iter()
                .map(|s| AgendaItem::from_signal(s, name)),
        );
        if status.state == CadenceState::DueSoon {
            items.push(check_in(record, &status, cx));
        }
        items.extend(follow_ups(record, cx));
        items.extend(parked_topics(record, cx));
        items.extend(pause_ending(record, cx));
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

fn follow_ups<'a>(record: &'a FriendRecord, cx: &'a Context<'_>) -> impl Iterator<Item = AgendaItem> + 'a {
    let horizon = cx.today.checked_add(LOOKAHEAD_DAYS.days()).unwrap_or(Date::MAX);
    record
        .follow_ups
        .iter()
        .filter(move |f| {
            matches!(
                f.state(cx.today, cx.tz),
                FollowUpState::Open | FollowUpState::DueToday
            ) && f.due <= horizon
        })
        .map(move |f| {
            let when = if f.due == cx.today {
                "due today".to_owned()
            } else {
                format!("due {}", day(f.due, cx.today))
            };
            AgendaItem::plain(
                AgendaKind::FollowUp,
                record,
                f.due,
                format!(
                    "Come back to {} about {} ({when}).",
                    record.friend.name,
                    quoted(&f.text)
                ),
                format!("When you have, mark it with `mutual followup done {}`.", f.id),
            )
        })
}

fn parked_topics<'a>(record: &'a FriendRecord, cx: &'a Context<'_>) -> impl Iterator<Item = AgendaItem> + 'a {
    record.parked.iter().filter(move |p| p.is_due(cx.today)).map(move |p| {
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
    })
}

fn pause_ending(record: &FriendRecord, cx: &Context<'_>) -> Option<AgendaItem> {
    let pause = record.friend.pause_on(cx.today)?;
    let until = pause.until?;
    if until > cx.today.checked_add(PAUSE_LOOKAHEAD_DAYS.days()).ok()? {
        return None;
    }
    let name = &record.friend.name;
    let season = match &pause.reason {
        Some(reason) => format!("busy season ({reason})"),
        None => "busy season".to_owned(),
    };
    Some(AgendaItem::plain(
        AgendaKind::PauseEnding,
        record,
        until,
        format!("{name}'s {season} ends {}.", on_day(until, cx.today)),
        "A welcome-back message when it ends could be lovely.".to_owned(),
    ))
}
