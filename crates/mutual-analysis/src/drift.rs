//! Drift: a lasting change in how one or both of us write, found by
//! change-point detection on the weekly series of each side.
//!
//! Five series per side, each oriented so that "worse" has one direction:
//! messages a week (down), median reply time (up), words per message
//! (down), warmth (mean sentiment, down) and the share of conversations
//! started (down). A side has drifted when at least
//! [`DriftConfig::min_indicators`] of its series changed for the worse at
//! about the same time and still hold at the end; when the other side
//! changed about as much, it is a busy season for both instead.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::changepoint::{self, ChangePoint};
use crate::weekly::{SideWeek, Week, median};

/// The knobs of drift detection.
#[derive(Clone, Debug, PartialEq)]
pub struct DriftConfig {
    pub changepoint: changepoint::Config,
    /// Changes this many weeks apart or closer are one drift.
    pub align_weeks: usize,
    /// Series that must have changed for the worse.
    pub min_indicators: usize,
    /// How many more indicators one side needs than the other for the drift
    /// to be theirs alone.
    pub margin: usize,
    /// Weeks before a drift that give its "before" numbers.
    pub before_weeks: i64,
    /// When one side drifts, the other side taking this many times longer
    /// to reply since then ...
    pub other_side_slower: f64,
    /// ... and writing this share of their messages or less makes it a busy
    /// season for both.
    pub other_side_quieter: f64,
}

impl Default for DriftConfig {
    fn default() -> Self {
        DriftConfig {
            changepoint: changepoint::Config::default(),
            align_weeks: 4,
            min_indicators: 2,
            margin: 2,
            before_weeks: 12,
            other_side_slower: 1.5,
            other_side_quieter: 0.6,
        }
    }
}

/// What a drift is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DriftKind {
    /// They have grown slower, shorter, quieter or less warm.
    Fatigue,
    /// I have.
    Withdrawal,
    /// We both have, at once.
    BusySeason,
}

/// One weekly measure of one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    Messages,
    ReplyTime,
    Length,
    Warmth,
    Initiation,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::Messages,
        Measure::ReplyTime,
        Measure::Length,
        Measure::Warmth,
        Measure::Initiation,
    ];

    /// A stable name for evidence.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Messages => "messages_per_week",
            Measure::ReplyTime => "reply_minutes",
            Measure::Length => "words_per_message",
            Measure::Warmth => "warmth",
            Measure::Initiation => "initiation_share",
        }
    }

    /// Whether a rise of this series is for the worse.
    fn worse_is_up(self) -> bool {
        self == Measure::ReplyTime
    }

    /// The week's value on the scale change points are found on.
    fn series_value(self, week: &Week, from_me: bool) -> f64 {
        let side = week.side(from_me);
        let nan = f64::NAN;
        match self {
            Measure::Messages => f64::from(side.messages).ln_1p(),
            Measure::ReplyTime => side.reply_median_seconds.map_or(nan, |s| s.max(1.0).ln()),
            Measure::Length => side.words_per_message().map_or(nan, f64::ln_1p),
            Measure::Warmth => side.enthusiasm().unwrap_or(nan),
            Measure::Initiation => {
                let total = week.me.initiations + week.them.initiations;
                if total == 0 {
                    nan
                } else {
                    f64::from(side.initiations) / f64::from(total)
                }
            }
        }
    }

    /// The measure over a run of weeks, in the units people read.
    pub fn level(self, weeks: &[Week], from_me: bool) -> Option<f64> {
        if weeks.is_empty() {
            return None;
        }
        let mut sum = SideWeek::default();
        let mut initiations_all = 0;
        let mut medians: Vec<f64> = Vec::new();
        for w in weeks {
            sum.add(w.side(from_me));
            initiations_all += w.me.initiations + w.them.initiations;
            medians.extend(w.side(from_me).reply_median_seconds);
        }
        match self {
            Measure::Messages => Some(f64::from(sum.messages) / weeks.len() as f64),
            Measure::ReplyTime => median(&mut medians).map(|s| s / 60.0),
            Measure::Length => sum.words_per_message(),
            Measure::Warmth => sum.enthusiasm(),
            Measure::Initiation => {
                (initiations_all > 0).then(|| f64::from(sum.initiations) / f64::from(initiations_all))
            }
        }
    }
}

/// A series that changed for the worse, with its levels in plain units.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub measure: Measure,
    pub from_me: bool,
    /// The Monday of the first week of the new level.
    pub began: Date,
    pub probability: f64,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// A lasting change in the friendship's chats.
#[derive(Clone, Debug, PartialEq)]
pub struct Drift {
    pub kind: DriftKind,
    /// The Monday of the week it began.
    pub began: Date,
    /// 0 to 1.
    pub confidence: f64,
    /// The series behind it, theirs first; a measured (not detected)
    /// indicator has probability 0.
    pub indicators: Vec<Indicator>,
}

/// The weeks from the first with messages through `through`'s week, one per
/// week, empty where nobody wrote.
pub fn dense(weeks: &[Week], through: Date) -> Vec<Week> {
    let last = crate::weekly::monday_of(through);
    let Some(first) = weeks.iter().map(|w| w.monday).find(|&m| m <= last) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stored = weeks
        .iter()
        .filter(|w| w.monday >= first && w.monday <= last)
        .peekable();
    let mut monday = first;
    while monday <= last {
        match stored.next_if(|w| w.monday == monday) {
            Some(w) => out.push(w.clone()),
            None => out.push(Week {
                monday,
                ..Week::default()
            }),
        }
        let Ok(next) = monday.checked_add(7.days()) else {
            break;
        };
        monday = next;
    }
    out
}

/// The drifts that hold at `through` (a local date), from a friend's stored
/// weeks. Only whole weeks count: a week still under way would look quiet.
pub fn drifts(weeks: &[Week], through: Date, config: &DriftConfig) -> Vec<Drift> {
    let Some(last_whole) = through.tomorrow().ok().and_then(|d| d.checked_sub(7.days()).ok()) else {
        return Vec::new();
    };
    let weeks = dense(weeks, last_whole);
    if weeks.len() < config.changepoint.min_baseline + config.changepoint.min_run {
        return Vec::new();
    }
    let worse = |from_me: bool| -> Vec<(Measure, ChangePoint)> {
        Measure::ALL
            .iter()
            .filter_map(|&m| {
                let series: Vec<f64> = weeks.iter().map(|w| m.series_value(w, from_me)).collect();
                let change = changepoint::current_change(&series, &config.changepoint)?;
                let up = change.after.mean > change.before.mean;
                (up == m.worse_is_up()).then_some((m, change))
            })
            .collect()
    };
    let (theirs, mine) = (worse(false), worse(true));
    let theirs = aligned(&theirs, config.align_weeks);
    let mine = aligned(&mine, config.align_weeks);
    let mut kind = if theirs.len() >= config.min_indicators && theirs.len() >= mine.len() + config.margin {
        DriftKind::Fatigue
    } else if mine.len() >= config.min_indicators && mine.len() >= theirs.len() + config.margin {
        DriftKind::Withdrawal
    } else if both_quieter(&theirs, &mine, config.align_weeks) {
        DriftKind::BusySeason
    } else {
        return Vec::new();
    };
    // One side's drift while the other also grew much slower and quieter
    // (too noisily for change points of their own) is a season for both.
    // Fewer messages alone are not enough: when one of us starts fewer
    // conversations, the other has fewer messages to answer.
    let mut also: Vec<Indicator> = Vec::new();
    if kind != DriftKind::BusySeason {
        let from_me = kind == DriftKind::Fatigue;
        let own = if from_me { &theirs } else { &mine };
        let start = median_start(own);
        let before = &weeks[start.saturating_sub(config.before_weeks as usize)..start];
        let ratio = |m: Measure| Some(m.level(&weeks[start..], from_me)? / m.level(before, from_me)?);
        let slower = ratio(Measure::ReplyTime).is_some_and(|r| r >= config.other_side_slower);
        let quieter = ratio(Measure::Messages).is_some_and(|r| r <= config.other_side_quieter);
        if slower && quieter {
            kind = DriftKind::BusySeason;
            also = [Measure::Messages, Measure::ReplyTime]
                .into_iter()
                .map(|measure| Indicator {
                    measure,
                    from_me,
                    began: weeks[start].monday,
                    probability: 0.0,
                    before: measure.level(before, from_me),
                    after: measure.level(&weeks[start..], from_me),
                })
                .collect();
        }
    }
    let chosen: Vec<(bool, Measure, ChangePoint)> = match kind {
        DriftKind::Fatigue => theirs.iter().map(|&(m, c)| (false, m, c)).collect(),
        DriftKind::Withdrawal => mine.iter().map(|&(m, c)| (true, m, c)).collect(),
        DriftKind::BusySeason => theirs
            .iter()
            .map(|&(m, c)| (false, m, c))
            .chain(mine.iter().map(|&(m, c)| (true, m, c)))
            .collect(),
    };
    let start = median_start(&chosen.iter().map(|&(_, m, c)| (m, c)).collect::<Vec<_>>());
    let began = weeks[start].monday;
    let before_from = start.saturating_sub(config.before_weeks as usize);
    let indicators = chosen
        .iter()
        .map(|&(from_me, measure, change)| Indicator {
            measure,
            from_me,
            began: weeks[change.at].monday,
            probability: change.probability,
            before: measure.level(&weeks[before_from..start], from_me),
            after: measure.level(&weeks[start..], from_me),
        })
        .collect::<Vec<_>>();
    let mean_probability = indicators.iter().map(|i| i.probability).sum::<f64>() / indicators.len() as f64;
    let breadth = (indicators.len() as f64 / 3.0).min(1.0);
    let confidence = (mean_probability * (0.6 + 0.4 * breadth)).clamp(0.0, 1.0);
    // The other side's slowdown, when it is what made this a busy season;
    // measured, not detected, so it adds no confidence.
    let mut indicators = indicators;
    indicators.extend(also);
    vec![Drift {
        kind,
        began,
        confidence,
        indicators,
    }]
}

/// The median week in which `changes` began.
fn median_start(changes: &[(Measure, ChangePoint)]) -> usize {
    let mut starts: Vec<usize> = changes.iter().map(|(_, c)| c.at).collect();
    starts.sort_unstable();
    starts.get(starts.len() / 2).copied().unwrap_or(0)
}

/// The largest group of changes that began within `weeks` of each other.
fn aligned(changes: &[(Measure, ChangePoint)], weeks: usize) -> Vec<(Measure, ChangePoint)> {
    let mut best: Vec<(Measure, ChangePoint)> = Vec::new();
    for &(_, anchor) in changes {
        let group: Vec<(Measure, ChangePoint)> = changes
            .iter()
            .copied()
            .filter(|(_, c)| c.at.abs_diff(anchor.at) <= weeks)
            .collect();
        if group.len() > best.len() {
            best = group;
        }
    }
    best
}

/// Whether both sides grew quieter (fewer messages, or slower replies) at
/// about the same time.
fn both_quieter(theirs: &[(Measure, ChangePoint)], mine: &[(Measure, ChangePoint)], weeks: usize) -> bool {
    let quieter = [Measure::Messages, Measure::ReplyTime];
    theirs.iter().any(|(m, a)| {
        quieter.contains(m)
            && mine
                .iter()
                .any(|(n, b)| quieter.contains(n) && a.at.abs_diff(b.at) <= weeks)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn week(monday: Date, me: u32, them: u32) -> Week {
        let side = |n: u32| SideWeek {
            messages: n,
            texts: n,
            words: n * 8,
            ..SideWeek::default()
        };
        Week {
            monday,
            me: side(me),
            them: side(them),
        }
    }

    #[test]
    fn dense_fills_quiet_weeks_through_the_last_one() {
        let a = date(2024, 1, 1);
        let weeks = [week(a, 3, 4), week(date(2024, 1, 15), 1, 1)];
        let d = dense(&weeks, date(2024, 1, 31));
        let mondays: Vec<Date> = d.iter().map(|w| w.monday).collect();
        assert_eq!(
            mondays,
            [
                a,
                date(2024, 1, 8),
                date(2024, 1, 15),
                date(2024, 1, 22),
                date(2024, 1, 29)
            ]
        );
        assert_eq!(d[1].me.messages, 0);
        assert_eq!(d[2].them.messages, 1);
        assert!(dense(&weeks, date(2023, 12, 1)).is_empty());
    }

    #[test]
    fn levels_are_in_plain_units() {
        let mut w = week(date(2024, 1, 1), 10, 4);
        w.me.initiations = 3;
        w.them.initiations = 1;
        w.me.reply_median_seconds = Some(600.0);
        let weeks = [w.clone(), w];
        assert_eq!(Measure::Messages.level(&weeks, true), Some(10.0));
        assert_eq!(Measure::Length.level(&weeks, false), Some(8.0));
        assert_eq!(Measure::ReplyTime.level(&weeks, true), Some(10.0));
        assert_eq!(Measure::Initiation.level(&weeks, false), Some(0.25));
        assert_eq!(Measure::ReplyTime.level(&weeks, false), None);
    }

    #[test]
    fn a_week_under_way_does_not_count() {
        // Steady for 20 weeks, then a Wednesday with only two days written.
        let monday = |i: i64| date(2024, 1, 1).checked_add((7 * i).days()).expect("in range");
        let mut weeks: Vec<Week> = (0..20).map(|i| week(monday(i), 30, 30)).collect();
        weeks.push(week(monday(20), 6, 6));
        let wednesday = monday(20).checked_add(2.days()).expect("in range");
        assert_eq!(dense(&weeks, wednesday).len(), 21);
        assert!(drifts(&weeks, wednesday, &DriftConfig::default()).is_empty());
    }

    #[test]
    fn too_short_a_history_has_no_drift() {
        let weeks: Vec<Week> = (0..6)
            .map(|i| {
                week(
                    date(2024, 1, 1).checked_add((7 * i).days()).expect("in range"),
                    9,
                    9,
                )
            })
            .collect();
        assert!(drifts(&weeks, date(2024, 2, 12), &DriftConfig::default()).is_empty());
    }
}
