//! `mutual balance`: the support balance per friend, as bands.

use anyhow::Result;
use mutual_analysis::weekly::Week;
use mutual_app::views::{BalanceRow, balance_rows};

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

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let store = app.open_read()?;
    let db = store.db();
    let only = args.friend.as_deref().map(|n| app.friend(db, n)).transpose()?;
    let records = app.records(db, only.map(|f| f.id))?;
    let rows = balance_rows(app, db, &records)?;
    if args.json {
        return ui::json(&rows);
    }
    print(&rows, &app.config)
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

pub(crate) fn print(rows: &[BalanceRow], model: &mutual_core::ModelConfig) -> Result<()> {
    if rows.is_empty() {
        return ui::line("No friends here yet. Start with: mutual friend add \"Sam\" --every 14");
    }
    let mut table = Vec::with_capacity(rows.len());
    for BalanceRow {
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
    // Where a check-in has both sides, how each of you sees the balance.
    for row in rows {
        if let Some(line) = row.checkin.as_ref().and_then(|c| c.line("balance")) {
            ui::line(format!("{} check-in: {}", row.overview.name, line.sentence))?;
        }
    }
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
