//! The report's data: each friend's part of the HTML report (balance and
//! energy over time, the chats' weeks, signals, needs, boundaries,
//! agreements, follow-ups, wins and gratitude) and what is coming up, in
//! the words every other surface uses. The report crate lays it out.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use mutual_analysis::weekly::{SideWeek, Week};
use mutual_core::agenda::status;
use mutual_core::balance::balance_history;
use mutual_core::signal::signals;
use mutual_core::{Context, Drift, FriendId, FriendRecord, Side, overview};
use mutual_report::{FriendReport, Note, Report, SignalView, Whose};

/// Weeks of history the report draws.
pub const WEEKS: i64 = 52;

/// The report of `records`: a section per friend, and what is coming up
/// in the next days across them (as the agenda words it).
pub fn build(
    title: String,
    records: &[FriendRecord],
    weeks: &BTreeMap<FriendId, Vec<Week>>,
    drift: &Drift,
    cx: &Context<'_>,
) -> Report {
    let coming_up = mutual_core::agenda(records, drift, cx)
        .items
        .into_iter()
        .filter(|i| i.section == mutual_core::Section::ComingUp)
        .filter_map(|i| Some((i.date?, i.message)))
        .collect();
    Report {
        title,
        generated: cx.today,
        friends: records
            .iter()
            .map(|r| {
                friend_report(
                    r,
                    weeks.get(&r.friend.id).map_or(&[][..], Vec::as_slice),
                    drift,
                    cx,
                )
            })
            .collect(),
        coming_up,
    }
}

pub fn friend_report(record: &FriendRecord, weeks: &[Week], drift: &Drift, cx: &Context<'_>) -> FriendReport {
    let name = &record.friend.name;
    let o = overview(record, cx);
    let cadence = status(record, cx);
    let first_monday = mutual_analysis::weekly::monday_of(cx.today)
        .checked_sub((7 * (WEEKS - 1)).days())
        .unwrap_or(cx.today);
    let points: Vec<(Date, Timestamp)> = (0..WEEKS)
        .filter_map(|i| {
            let day = first_monday
                .checked_add((7 * i).days())
                .ok()?
                .checked_add(6.days())
                .ok()?;
            let end = day.at(23, 59, 59, 0).to_zoned(cx.tz.clone()).ok()?.timestamp();
            (end <= cx.as_of).then_some((day, end))
        })
        .chain(std::iter::once((cx.today, cx.as_of)))
        .collect();
    let stamps: Vec<Timestamp> = points.iter().map(|(_, t)| *t).collect();
    let balance = balance_history(&record.exchanges, &record.agreements, &stamps, &cx.config.balance)
        .iter()
        .zip(&points)
        .filter(|(p, _)| p.weight > 0.0)
        .map(|(p, (day, _))| (*day, p.score))
        .collect();
    let since = first_monday
        .to_zoned(cx.tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN);
    let energy = record
        .exchanges
        .iter()
        .filter(|e| e.at >= since && e.at <= cx.as_of)
        .filter_map(|e| Some((e.at.to_zoned(cx.tz.clone()).date(), f64::from(e.energy?.get()))))
        .collect();
    let whose = |side: Side| match side {
        Side::Me => Whose::Mine,
        Side::Them => Whose::Theirs,
    };
    let status = status_phrase(&cadence);
    FriendReport {
        name: name.clone(),
        band: if o.balance.entries == 0 {
            String::new()
        } else {
            o.balance.summary(name)
        },
        energy_lately: energy_lately(&o.energy),
        cadence: status,
        last_contact: record
            .last_contact(cx.as_of)
            .map(|t| t.to_zoned(cx.tz.clone()).date()),
        weeks: weeks
            .iter()
            .filter(|w| w.monday >= first_monday)
            .map(week)
            .collect(),
        balance,
        energy,
        signals: signals(record, &cadence, drift, cx)
            .into_iter()
            .map(|s| SignalView {
                kind: s.kind.as_str().to_owned(),
                began: s.began,
                confidence: s.confidence,
                message: s.message,
                suggestion: s.suggestion,
            })
            .collect(),
        needs: record
            .needs
            .iter()
            .map(|n| Note {
                whose: whose(n.whose),
                text: n.text.clone(),
                since: Some(n.since),
                detail: None,
            })
            .collect(),
        boundaries: record
            .boundaries
            .iter()
            .map(|b| Note {
                whose: whose(b.whose),
                text: b.text.clone(),
                since: Some(b.since),
                detail: b.rule.as_ref().map(|r| r.describe()),
            })
            .collect(),
        agreements: record
            .agreements
            .iter()
            .filter(|a| a.ended_at.is_none())
            .map(|a| Note {
                whose: Whose::Both,
                text: a.text.clone(),
                since: Some(a.since.to_zoned(cx.tz.clone()).date()),
                detail: (!a.roles.is_empty()).then(|| {
                    let part = |kinds: mutual_core::SupportKinds| {
                        if kinds.is_empty() {
                            "—".to_owned()
                        } else {
                            kinds.to_string()
                        }
                    };
                    format!("you: {}; {name}: {}", part(a.roles.me), part(a.roles.them))
                }),
            })
            .collect(),
        follow_ups: follow_ups(record, cx),
        wins: record
            .wins
            .iter()
            .rev()
            .take(MOMENTS)
            .map(|w| Note {
                whose: Whose::Theirs,
                text: w.text.clone(),
                since: None,
                detail: Some(format!(
                    "shared {}; {}",
                    mutual_core::words::on_day(w.at.to_zoned(cx.tz.clone()).date(), cx.today),
                    match w.response {
                        Some(mutual_core::WinResponse::Enthusiastic) => "celebrated together",
                        Some(mutual_core::WinResponse::Brief) => "you responded briefly",
                        Some(mutual_core::WinResponse::Missed) | None => "not celebrated yet",
                    }
                )),
            })
            .collect(),
        gratitude: record
            .gratitude
            .iter()
            .rev()
            .take(MOMENTS)
            .map(|g| Note {
                whose: Whose::Mine,
                text: g.text.clone(),
                since: None,
                detail: Some(format!(
                    "noted {}; {}",
                    mutual_core::words::on_day(g.at.to_zoned(cx.tz.clone()).date(), cx.today),
                    match g.told_at {
                        Some(t) => format!(
                            "told them {}",
                            mutual_core::words::on_day(t.to_zoned(cx.tz.clone()).date(), cx.today)
                        ),
                        None => "not told yet".to_owned(),
                    }
                )),
            })
            .collect(),
    }
}

/// How many of the latest wins, thanks and done follow-ups the report shows.
const MOMENTS: usize = 8;

/// Open follow-ups by due day, then the latest done ones.
fn follow_ups(record: &FriendRecord, cx: &Context<'_>) -> Vec<Note> {
    let day = |d| mutual_core::words::day(d, cx.today);
    let mut open: Vec<_> = record.follow_ups.iter().filter(|f| f.done_at.is_none()).collect();
    open.sort_by_key(|f| f.due);
    let mut done: Vec<_> = record.follow_ups.iter().filter(|f| f.done_at.is_some()).collect();
    done.sort_by_key(|f| std::cmp::Reverse(f.done_at));
    open.into_iter()
        .map(|f| Note {
            whose: Whose::Mine,
            text: f.text.clone(),
            since: None,
            detail: Some(if f.due < cx.today {
                format!("open; its day was {} (it is not too late)", day(f.due))
            } else {
                format!("open; due {}", day(f.due))
            }),
        })
        .chain(done.into_iter().take(MOMENTS).map(|f| Note {
            whose: Whose::Mine,
            text: f.text.clone(),
            since: None,
            detail: f.done_at.map(|t| {
                format!(
                    "done {}",
                    mutual_core::words::on_day(t.to_zoned(cx.tz.clone()).date(), cx.today)
                )
            }),
        }))
        .collect()
}

fn status_phrase(status: &mutual_core::CadenceStatus) -> String {
    format!(
        "{}, about {}",
        status.state.phrase(),
        mutual_core::words::every(status.cadence.ideal_days)
    )
}

fn week(w: &Week) -> mutual_report::Week {
    // "Turned toward" is the share of the other side's bids this side answered.
    let side = |s: &SideWeek, other: &SideWeek| mutual_report::Side {
        messages: s.messages,
        initiations: s.initiations,
        words_per_message: s.words_per_message(),
        reply_median_minutes: s.reply_median_seconds.map(|s| s / 60.0),
        enthusiasm: s.enthusiasm(),
        untoned: s.texts.saturating_sub(s.toned),
        bids: s.bids,
        turned_toward: other.turned_toward(),
    };
    mutual_report::Week {
        monday: w.monday,
        me: side(&w.me, &w.them),
        them: side(&w.them, &w.me),
    }
}

/// The energy figure as the report says it: the same mean over the same
/// window as `balance`, `friend show` and the depletion signal.
fn energy_lately(e: &mutual_core::EnergySummary) -> String {
    let window = mutual_core::words::window(e.window_days);
    match e.recent {
        Some(mean) => format!(
            "Over the last {window} you have felt {} after time together ({mean:+.1} on a scale from \u{2212}3 to +3, {}).",
            mutual_core::energy::feel(mean),
            match e.recent_entries {
                1 => "1 logged time".to_owned(),
                n => format!("{n} logged times"),
            },
        ),
        None if e.entries > 0 => format!("No energy logged in the last {window}."),
        None => String::new(),
    }
}
