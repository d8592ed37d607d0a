//! `mutual balance`: the support balance per friend, as bands.

use anyhow::Result;
use jiff::ToSpan;
use mutual_analysis::weekly::{Week, monday_of, summary, support_balance};
use mutual_core::{FriendOverview, overview};
use serde_json::json;

use crate::app::App;
use crate::ui::{self, DIM, styled};

/// The recent give-and-take with each friend (balance, not a ledger)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only this friend
    friend: Option<String>,
    #[arg(long)]
    json: bool,
}

/// One friend's line of the balance view.
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) overview: FriendOverview,
    /// The last weeks of chats, summed.
    pub(crate) chats: Option<Week>,
    /// The support balance the chats show, recency-weighted like B.
    pub(crate) chat_support: Option<f64>,
}

/// Weeks of chats the balance view sums.
const CHAT_WEEKS: i64 = 8;

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let store = app.open_read()?;
    let db = store.db();
    let only = args.friend.as_deref().map(|n| app.friend(db, n)).transpose()?;
    let records = app.records(db, only.map(|f| f.id))?;
    let rows = rows(app, db, &records)?;
    if args.json {
        let rows: Vec<_> = rows.iter().map(row).collect();
        return ui::json(&rows);
    }
    print(&rows, &app.config)
}

/// Each friend's overview with the last weeks of chats summed.
pub(crate) fn rows(
    app: &App,
    db: mutual_store::Db<'_>,
    records: &[mutual_core::FriendRecord],
) -> Result<Vec<Row>> {
    let cx = app.context();
    let weeks = app.weeks(db, None)?;
    let (first, last) = chat_weeks(app);
    Ok(records
        .iter()
        .map(|r| {
            let all = weeks.get(&r.friend.id).map_or(&[][..], Vec::as_slice);
            Row {
                overview: overview(r, &cx),
                chats: summary(all, first, last),
                chat_support: support_balance(all, cx.today, app.config.balance.tau_days),
            }
        })
        .collect())
}

/// The last weeks of chats as JSON: both sides' messages, who starts, reply
/// times, length, tone, support offered, how often bids were turned toward,
/// and style matching.
pub(crate) fn chats_json(w: &Week) -> serde_json::Value {
    let minutes = |s: Option<f64>| s.map(|s| (s / 6.0).round() / 10.0);
    let round = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 1000.0);
    json!({
        "weeks": CHAT_WEEKS,
        "my_messages": w.me.messages,
        "their_messages": w.them.messages,
        "my_initiation_share": round(w.my_initiation_share()),
        "my_reply_minutes": minutes(w.me.reply_median_seconds),
        "their_reply_minutes": minutes(w.them.reply_median_seconds),
        "my_words_per_message": round(w.me.words_per_message()),
        "their_words_per_message": round(w.them.words_per_message()),
        "my_enthusiasm": round(w.me.enthusiasm()),
        "their_enthusiasm": round(w.them.enthusiasm()),
        "my_bids_turned_toward": round(w.me.turned_toward()),
        "their_bids_turned_toward": round(w.them.turned_toward()),
        "my_support_messages": w.me.support,
        "their_support_messages": w.them.support,
        "style_matching": round(w.style_matching()),
    })
}

/// The Mondays of the first and last of the weeks of chats shown.
fn chat_weeks(app: &App) -> (jiff::civil::Date, jiff::civil::Date) {
    let last = monday_of(app.today());
    (
        last.checked_sub((7 * (CHAT_WEEKS - 1)).days()).unwrap_or(last),
        last,
    )
}

/// The last weeks of chats with one friend, if any.
pub(crate) fn recent_chats(
    app: &App,
    db: mutual_store::Db<'_>,
    friend: mutual_core::FriendId,
) -> Result<Option<Week>> {
    let weeks = app.weeks(db, Some(friend))?;
    let (first, last) = chat_weeks(app);
    Ok(weeks.get(&friend).and_then(|w| summary(w, first, last)))
}

/// "you start 40% · replies 12m / 35m".
fn chats_cell(w: Option<&Week>) -> String {
    let Some(w) = w else {
        return "\u{2014}".to_owned();
    };
    let mut parts = Vec::new();
    if let Some(share) = w.my_initiation_share() {
        parts.push(format!("you start {:.0}%", share * 100.0));
    }
    let time = |s: Option<f64>| s.map_or("\u{2014}".to_owned(), |s| short_minutes(s / 60.0));
    if w.me.replies + w.them.replies > 0 {
        parts.push(format!(
            "replies {} / {}",
            time(w.me.reply_median_seconds),
            time(w.them.reply_median_seconds)
        ));
    }
    if parts.is_empty() {
        parts.push(format!("{} messages", w.me.messages + w.them.messages));
    }
    parts.join(" \u{00b7} ")
}

fn short_minutes(minutes: f64) -> String {
    if minutes < 90.0 {
        format!("{:.0}m", minutes.max(0.0))
    } else {
        format!("{:.0}h", minutes / 60.0)
    }
}

/// One friend's balance as the JSON that scripts rely on.
fn row(r: &Row) -> serde_json::Value {
    let (o, b) = (&r.overview, &r.overview.balance);
    json!({
        "chats": r.chats.as_ref().map(chats_json),
        "chat_support_balance": r.chat_support.map(|v| (v * 1000.0).round() / 1000.0),
        "friend": o.name,
        "friend_id": o.friend,
        "score": (b.score * 10_000.0).round() / 10_000.0,
        "band": b.band,
        "needed": b.needed,
        "entries": b.entries,
        "weight": (b.weight * 1000.0).round() / 1000.0,
        "under_agreement": b.under_agreement,
        "per_kind": b.per_kind,
        "energy": o.energy.recent.map(|e| (e * 100.0).round() / 100.0),
        "energy_entries": o.energy.recent_entries,
        "energy_window_days": o.energy.window_days,
        "energy_trend": o.energy.trend,
        "cadence": o.cadence.state,
    })
}

pub(crate) fn print(rows: &[Row], model: &mutual_core::ModelConfig) -> Result<()> {
    if rows.is_empty() {
        return ui::line("No friends here yet. Start with: mutual friend add \"Sam\" --every 14");
    }
    let mut table = Vec::with_capacity(rows.len());
    for Row {
        overview: o, chats, ..
    } in rows
    {
        let b = &o.balance;
        let score = if b.is_settled() {
            format!("{:+.2}", b.score)
        } else {
            "—".to_owned()
        };
        let lately = b.phrase(&o.name);
        let energy = match o.energy.recent {
            Some(e) => format!("{e:+.1} {}", trend_arrow(o.energy.trend)),
            None => "—".to_owned(),
        };
        table.push(vec![
            o.name.clone(),
            lately,
            score,
            energy,
            b.entries.to_string(),
            chats_cell(chats.as_ref()),
        ]);
    }
    // Narrow terminals lose the chat column first, then the entry count.
    let dropped = ui::table(
        &["Friend", "Lately", "B", "Energy", "Entries", "Chats, 8 weeks"],
        &table,
        &[5, 4],
    )?;
    let chats = if dropped == 0 {
        " Chats: who starts conversations, and median replies (yours / theirs)."
    } else {
        ""
    };
    let window = mutual_core::words::window(model.energy.recent_days);
    let config = &model.balance;
    let early = if rows.iter().any(|r| !r.overview.balance.is_settled()) {
        " Early days: too little logged lately to say yet; each time together with support counts."
    } else {
        ""
    };
    ui::line(styled(
        DIM,
        format!(
            "B runs from -1 (they have given more) to +1 (you have given more), weighted toward the last {:.0} days; \
             within ±{:.2} is balanced. Seasons of giving more are normal.{early} \
             Energy: the mean over the last {}, the arrow against the {} before.{chats}",
            config.tau_days, config.band, window, window
        ),
    ))
}

fn trend_arrow(trend: mutual_core::Trend) -> &'static str {
    match trend {
        mutual_core::Trend::Rising => "\u{2197}",
        mutual_core::Trend::Falling => "\u{2198}",
        mutual_core::Trend::Steady => "\u{2192}",
        mutual_core::Trend::Unknown => "",
    }
}
