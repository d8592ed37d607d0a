//! `mutual balance`: the support balance per friend, as bands.

use anyhow::Result;
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

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let store = app.open_with_chats()?;
    let db = store.db();
    let only = args.friend.as_deref().map(|n| app.friend(db, n)).transpose()?;
    let records = app.records(db, only.map(|f| f.id))?;
    let cx = app.context();
    let overviews: Vec<FriendOverview> = records.iter().map(|r| overview(r, &cx)).collect();
    if args.json {
        let rows: Vec<_> = overviews.iter().map(row).collect();
        return ui::json(&rows);
    }
    print(&overviews, &app.config.balance)
}

/// One friend's balance as the JSON that scripts rely on.
fn row(o: &FriendOverview) -> serde_json::Value {
    let b = &o.balance;
    json!({
        "friend": o.name,
        "friend_id": o.friend,
        "score": (b.score * 10_000.0).round() / 10_000.0,
        "band": b.band,
        "entries": b.entries,
        "weight": (b.weight * 1000.0).round() / 1000.0,
        "under_agreement": b.under_agreement,
        "per_kind": b.per_kind,
        "energy": o.energy.mean.map(|e| (e * 100.0).round() / 100.0),
        "energy_trend": o.energy.trend,
        "cadence": o.cadence.state,
    })
}

pub(crate) fn print(overviews: &[FriendOverview], config: &mutual_core::BalanceConfig) -> Result<()> {
    if overviews.is_empty() {
        return ui::line("No friends here yet. Start with: mutual friend add \"Sam\" --every 14");
    }
    let mut table = ui::table(&["Friend", "Lately", "B", "Energy", "Entries"]);
    for o in overviews {
        let b = &o.balance;
        let (lately, score) = if b.entries == 0 {
            ("nothing logged yet".to_owned(), "—".to_owned())
        } else {
            (b.band.phrase(&o.name), format!("{:+.2}", b.score))
        };
        let energy = match o.energy.mean {
            Some(e) => format!("{e:+.1} {}", trend_arrow(o.energy.trend)),
            None => "—".to_owned(),
        };
        table.add_row(vec![o.name.clone(), lately, score, energy, b.entries.to_string()]);
    }
    ui::line(table)?;
    ui::line(styled(
        DIM,
        format!(
            "B runs from -1 (they have given more) to +1 (you have given more), weighted toward the last {:.0} days; \
             within ±{:.2} is balanced. Seasons of giving more are normal.",
            config.tau_days, config.band
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
