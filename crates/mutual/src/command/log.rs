//! `mutual log`: a journal entry of time with one or more friends.

use anyhow::Result;
use mutual_app::error::AppError;
use mutual_app::services::{LogRequest, Logged};
use mutual_core::{Channel, Energy, FeltHeard, Initiator, SupportSet};

use super::{parse_opt, text};
use crate::app::App;
use crate::error::{bad, bad_input};
use crate::ui::{self, BOLD, styled};
use crate::when;

/// The fields of an entry, shared by `log` and `journal edit`.
#[derive(Debug, Default, clap::Args)]
pub(crate) struct EntryFields {
    /// When; e.g. "yesterday 19:00", "2 days ago", 2026-11-20 (a new entry: now)
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    /// in-person, call, video, message or other (phone and text work too)
    #[arg(long, value_name = "CHANNEL")]
    pub(crate) via: Option<String>,
    /// Who reached out: me, them or both
    #[arg(long = "started-by", value_name = "WHO")]
    pub(crate) started_by: Option<String>,
    /// What you gave: KIND[:1-3],... with KIND listening, affirmation, practical,
    /// advice, disclosure, celebration or presence (intensity defaults to 2)
    #[arg(long, value_name = "KINDS")]
    pub(crate) gave: Option<String>,
    /// What you received, in the same form as --gave
    #[arg(long, value_name = "KINDS")]
    pub(crate) got: Option<String>,
    /// How you felt afterwards, from -3 (depleted) to 3 (energized)
    #[arg(long, value_name = "-3..3", allow_hyphen_values = true)]
    pub(crate) energy: Option<String>,
    /// How heard you felt, from 1 to 5
    #[arg(long, value_name = "1..5")]
    pub(crate) heard: Option<String>,
    /// A private note (never logged, never leaves this machine)
    #[arg(long)]
    pub(crate) note: Option<String>,
    /// A tag such as an activity or topic (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub(crate) tags: Vec<String>,
    /// There was friction or a conflict
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub(crate) conflict: Option<bool>,
    /// They shared hard news (their check-in rhythm tightens for a few weeks)
    #[arg(long = "hard-news", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub(crate) hard_news: Option<bool>,
}

/// The parsed fields, each present only when given.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    pub(crate) at: Option<jiff::Timestamp>,
    pub(crate) channel: Option<Channel>,
    pub(crate) initiator: Option<Initiator>,
    pub(crate) gave: Option<SupportSet>,
    pub(crate) got: Option<SupportSet>,
    pub(crate) energy: Option<Energy>,
    pub(crate) felt_heard: Option<FeltHeard>,
    pub(crate) note: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) conflict: Option<bool>,
    pub(crate) hard_news: Option<bool>,
}

impl EntryFields {
    pub(crate) fn parse(&self, app: &App) -> Result<Fields> {
        let energy = match self.energy.as_deref() {
            None => None,
            Some(text) => Some(
                text.trim()
                    .parse::<i64>()
                    .ok()
                    .and_then(Energy::new)
                    .ok_or_else(|| bad(format!("--energy '{text}' is out of range; expected a whole number from -3 (depleted) to 3 (energized)")))?,
            ),
        };
        let felt_heard = match self.heard.as_deref() {
            None => None,
            Some(text) => Some(
                text.trim()
                    .parse::<i64>()
                    .ok()
                    .and_then(FeltHeard::new)
                    .ok_or_else(|| {
                        bad(format!(
                            "--heard '{text}' is out of range; expected a whole number from 1 to 5"
                        ))
                    })?,
            ),
        };
        let tags = self
            .tags
            .iter()
            .map(|t| text("tag", t).map(|t| t.to_lowercase()))
            .collect::<Result<Vec<_>>>()?;
        Ok(Fields {
            at: self
                .at
                .as_deref()
                .map(|t| when::past(t, app.now, &app.tz))
                .transpose()?,
            channel: self.via.as_deref().map(channel).transpose()?,
            initiator: parse_opt("--started-by", self.started_by.as_deref())?,
            gave: parse_opt("--gave", self.gave.as_deref())?,
            got: parse_opt("--got", self.got.as_deref())?,
            energy,
            felt_heard,
            note: self.note.as_ref().map(|n| n.trim().to_owned()),
            tags,
            conflict: self.conflict,
            hard_news: self.hard_news,
        })
    }
}

/// Log time with one or more friends
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Who you were with: a name or alias (several for a group)
    #[arg(required = true, value_name = "FRIEND")]
    friends: Vec<String>,
    #[command(flatten)]
    fields: EntryFields,
    /// Something to come back to about this (creates a follow-up)
    #[arg(long = "follow-up", value_name = "TEXT")]
    follow_up: Option<String>,
    /// When the follow-up is due [default: in 3 days]
    #[arg(long, value_name = "DAY", requires = "follow_up")]
    due: Option<String>,
}

/// `--via`, with the words people use for each channel: phone and call,
/// text, sms, chat and message, in person and irl, facetime and video.
fn channel(text: &str) -> Result<Channel> {
    let word = text.trim().to_lowercase().replace([' ', '_'], "-");
    let synonym = match word.as_str() {
        "phone" | "phone-call" | "phonecall" | "voice" | "voice-call" => Some(Channel::Call),
        "text" | "texts" | "texting" | "sms" | "chat" | "dm" | "messages" | "msg" => Some(Channel::Message),
        "person" | "inperson" | "irl" | "met" | "meet" | "meetup" => Some(Channel::InPerson),
        "facetime" | "video-call" | "videocall" | "zoom" => Some(Channel::Video),
        _ => None,
    };
    match synonym {
        Some(channel) => Ok(channel),
        None => super::parse("--via", &word).map_err(|_| {
            bad(format!(
                "--via '{text}' is not a way of being in touch I know; expected in-person, call (or phone), video, message (or text) or other"
            ))
        }),
    }
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let f = args.fields.parse(app)?;
    let follow_up = args
        .follow_up
        .as_deref()
        .map(|t| text("follow-up", t))
        .transpose()?;
    let due = match args.due.as_deref() {
        Some(d) => when::day(d, app.now, &app.tz)?,
        None => app
            .today()
            .checked_add(jiff::ToSpan::days(3))
            .map_err(|e| bad(e.to_string()))?,
    };
    let mut store = app.open()?;
    let request = LogRequest {
        friends: args.friends.clone(),
        at: f.at,
        channel: f.channel,
        initiator: f.initiator,
        gave: f.gave,
        got: f.got,
        energy: f.energy,
        felt_heard: f.felt_heard,
        note: f.note,
        tags: f.tags,
        conflict: f.conflict.unwrap_or(false),
        hard_news: f.hard_news.unwrap_or(false),
        follow_up: follow_up.map(|text| (text, due)),
    };
    let logged = match mutual_app::services::log(app, &mut store, request) {
        Err(AppError::Invalid { field: "entry", .. }) => bad_input!(
            "there is nothing to log but the time, so nothing was saved; expected at least how you were in touch (--via call, message, in-person...), what was given (--gave/--got), or how it felt (--energy), e.g. mutual log {} --via message",
            crate::ui::shell_quote(&args.friends[0])
        ),
        other => other?,
    };
    print(app, &logged, due)
}

/// Says what logging did, and what might come next.
fn print(app: &App, logged: &Logged, due: jiff::civil::Date) -> Result<()> {
    let (id, exchange) = (logged.id, &logged.exchange);
    let names: Vec<&str> = logged.friends.iter().map(|f| f.name.as_str()).collect();
    let mut line = format!("Logged time with {} (#{id})", styled(BOLD, names.join(", ")));
    if !exchange.gave.is_empty() {
        line.push_str(&format!("; you gave {}", exchange.gave));
    }
    if !exchange.got.is_empty() {
        line.push_str(&format!("; you received {}", exchange.got));
    }
    if let Some(e) = exchange.energy {
        line.push_str(&format!("; energy {:+}", e.get()));
    }
    ui::done(format!("{line}."))?;
    if let Some(twin) = &logged.twin {
        let apart = match (exchange.at.as_second() - twin.exchange.at.as_second()).abs() / 60 {
            0 => "at the same time".to_owned(),
            1 => "a minute apart".to_owned(),
            n => format!("{n} minutes apart"),
        };
        ui::line(format!(
            "! This looks like entry #{} ({}), {apart}. If it is the same time together, `mutual journal remove {id} --yes` takes this one out.",
            twin.id,
            twin.exchange
                .at
                .to_zoned(app.tz.clone())
                .strftime("%Y-%m-%d %H:%M"),
        ))?;
    }
    if let Some(fid) = logged.follow_up {
        ui::done(format!("Follow-up #{fid} with {} due {due}.", names[0]))?;
    }
    for (friend, b) in logged.friends.iter().zip(&logged.balances) {
        ui::hint(format!(
            "Balance with {}: {}.",
            friend.name,
            b.summary(&friend.name)
        ))?;
    }
    if logged.shared && logged.follow_up.is_none() {
        ui::hint(format!(
            "{} shared something personal. To come back to it: mutual followup add {} \"...\" --due \"in 3 days\"",
            names[0],
            ui::shell_quote(names[0])
        ))?;
    }
    Ok(())
}
