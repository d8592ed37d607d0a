//! `mutual boundary`: limits each of us asked for, with rules the program
//! can check (quiet hours, a cool-down after conflict, a frequency limit).

use anyhow::Result;
use jiff::civil::Time;
use mutual_app::notes::{self, BoundaryEdit, NewBoundary};
use mutual_core::{BoundaryId, BoundaryRule, Channel, Side};

use super::{day_or_today, parse, parse_opt, text};
use crate::app::App;
use crate::error::{bad, bad_input};
use crate::ui;

/// The rule flags, shared by `add` and `edit`.
#[derive(Debug, clap::Args)]
pub(crate) struct RuleArgs {
    /// Quiet hours, local time: HH:MM-HH:MM (may wrap past midnight)
    #[arg(long, value_name = "FROM-TO")]
    quiet: Option<String>,
    /// With --quiet: only these channels (comma-separated)
    #[arg(long = "on", value_name = "CHANNELS", requires = "quiet")]
    channels: Option<String>,
    /// Days of space after a conflict
    #[arg(long = "cool-down", value_name = "DAYS")]
    cool_down: Option<u32>,
    /// At most N contacts in DAYS days: N/DAYS
    #[arg(long = "at-most", value_name = "N/DAYS")]
    at_most: Option<String>,
}

impl RuleArgs {
    /// The rule given, if any.
    fn parse(&self) -> Result<Option<BoundaryRule>> {
        let given = [
            self.quiet.is_some(),
            self.cool_down.is_some(),
            self.at_most.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            bad_input!("a boundary carries one rule; expected only one of --quiet, --cool-down, --at-most");
        }
        if let Some(quiet) = &self.quiet {
            let (start, end) = quiet
                .split_once('-')
                .and_then(|(a, b)| Some((a.trim().parse::<Time>().ok()?, b.trim().parse::<Time>().ok()?)))
                .ok_or_else(|| {
                    bad(format!(
                        "--quiet '{quiet}' is not a time window; expected HH:MM-HH:MM such as 23:00-07:00"
                    ))
                })?;
            if start == end {
                bad_input!(
                    "--quiet '{quiet}' starts and ends at the same time; expected a window such as 23:00-07:00"
                );
            }
            let channels = match &self.channels {
                None => Vec::new(),
                Some(list) => list
                    .split(',')
                    .filter(|c| !c.trim().is_empty())
                    .map(|c| parse::<Channel>("--on", c))
                    .collect::<Result<_>>()?,
            };
            return Ok(Some(BoundaryRule::quiet_hours(start, end, channels)));
        }
        if let Some(days) = self.cool_down {
            if days == 0 || days > 365 {
                bad_input!("--cool-down {days} is out of range; expected 1 to 365 days");
            }
            return Ok(Some(BoundaryRule::CoolDown { days }));
        }
        if let Some(limit) = &self.at_most {
            let (max, per_days) = limit
                .split_once('/')
                .and_then(|(n, d)| Some((n.trim().parse::<u32>().ok()?, d.trim().parse::<u32>().ok()?)))
                .filter(|(n, d)| *n > 0 && *d > 0 && *d <= 365)
                .ok_or_else(|| {
                    bad(format!(
                        "--at-most '{limit}' is not a limit; expected N/DAYS such as 2/7"
                    ))
                })?;
            return Ok(Some(BoundaryRule::FrequencyLimit { max, per_days }));
        }
        Ok(None)
    }
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Record a boundary, yours (default) or theirs, optionally with a checkable rule
    Add {
        friend: String,
        text: String,
        /// me or them
        #[arg(long, default_value = "me")]
        whose: String,
        /// The day its rule counts from: contacts before it are not checked.
        /// [default: today; when earlier entries would cross it, you are
        /// asked (in a terminal) or shown the day to give]
        #[arg(long, value_name = "DAY")]
        since: Option<String>,
        #[command(flatten)]
        rule: RuleArgs,
    },
    /// List boundaries
    List {
        friend: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change a boundary
    Edit {
        id: String,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        whose: Option<String>,
        /// The day its rule counts from (earlier contacts are not checked)
        #[arg(long, value_name = "DAY")]
        since: Option<String>,
        #[command(flatten)]
        rule: RuleArgs,
        /// Remove the rule
        #[arg(long = "no-rule", conflicts_with_all = ["quiet", "cool_down", "at_most"])]
        no_rule: bool,
    },
    /// Remove a boundary
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add {
            friend,
            text: words,
            whose,
            since,
            rule,
        } => {
            let words = text("boundary", &words)?;
            let whose: Side = parse("--whose", &whose)?;
            let chosen = since.is_some();
            let since = day_or_today(app, since.as_deref())?;
            let rule = rule.parse()?;
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let new = NewBoundary {
                friend: friend.id,
                whose,
                text: words,
                since,
                rule,
            };
            let added = notes::add_boundary(app, &mut store, &new)?;
            let (id, rule) = (added.id, &new.rule);
            let who = if whose == Side::Me { "your" } else { "their" };
            let check = rule.as_ref().map_or(String::new(), |r| {
                format!(" mutual will watch for {}.", r.describe())
            });
            ui::done(format!(
                "Noted {who} boundary with {} (#{id}).{check}",
                friend.name
            ))?;
            if !chosen {
                earlier_crossings(&mut store, id, since, &added.earlier_crossings)?;
            }
            Ok(())
        }
        Command::List { friend, json } => super::list(
            app,
            friend.as_deref(),
            json,
            "No boundaries noted yet.",
            |db, only| Ok(db.boundaries(only)?),
            |b| b.friend,
            |b, name| {
                let whose = if b.whose == Side::Me { "yours" } else { "theirs" };
                let rule = b
                    .rule
                    .as_ref()
                    .map_or(String::new(), |r| format!(" — {}", r.describe()));
                format!("#{} {name}: {} ({whose}){rule}", b.id, b.text)
            },
        ),
        Command::Edit {
            id,
            text: words,
            whose,
            since,
            rule,
            no_rule,
        } => {
            let id = BoundaryId(super::id("boundary", &id)?);
            let words = words.map(|w| text("boundary", &w)).transpose()?;
            let whose: Option<Side> = parse_opt("--whose", whose.as_deref())?;
            let since = since
                .map(|s| crate::when::day(&s, app.now, &app.tz))
                .transpose()?;
            let rule = if no_rule {
                Some(None)
            } else {
                rule.parse()?.map(Some)
            };
            let edit = BoundaryEdit {
                text: words,
                whose,
                since,
                rule,
            };
            notes::edit_boundary(&mut app.open()?, id, edit)?;
            ui::done(format!("Updated boundary #{id}."))
        }
        Command::Remove { id } => {
            let id = BoundaryId(super::id("boundary", &id)?);
            notes::remove_boundary(&mut app.open()?, id)?;
            ui::done(format!("Removed boundary #{id}."))
        }
    }
}

/// When entries before `since` would have crossed the new boundary
/// (`earlier`, the days they fell on), says so and lets the user count
/// them: asked in a terminal, else shown the command that does it.
fn earlier_crossings(
    store: &mut mutual_store::Store,
    id: BoundaryId,
    since: jiff::civil::Date,
    earlier: &[jiff::civil::Date],
) -> Result<()> {
    use std::io::{BufRead, IsTerminal, Write};
    let Some(&first) = earlier.first() else {
        return Ok(());
    };
    let times = ui::count(earlier.len() as u64, "earlier entry", "earlier entries");
    ui::line(format!(
        "It counts from {since}. {times} would have crossed it, the first on {first}."
    ))?;
    if std::io::stdin().is_terminal() {
        let mut out = ui::stdout();
        write!(out, "Count it from {first}, so those count too? [y/N] ")?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            let edit = BoundaryEdit {
                since: Some(first),
                ..BoundaryEdit::default()
            };
            notes::edit_boundary(store, id, edit)?;
            return ui::done(format!("Boundary #{id} counts from {first}."));
        }
        return Ok(());
    }
    ui::hint(format!(
        "To count those too: `mutual boundary edit {id} --since {first}`"
    ))
}
