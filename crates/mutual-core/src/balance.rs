//! The support balance: B = Σw(given − received) / Σw(given + received),
//! recency-weighted with w = exp(−age/τ), in [−1, 1]; positive when I have
//! given more. Within an agreement, the agreed roles are compared by showing
//! up, not by size: complementary roles count as balanced.

use jiff::Timestamp;

use crate::agreement::{Agreement, Roles};
use crate::interaction::Exchange;
use crate::names::named_enum;
use crate::support::{SupportKind, SupportSet};

/// Knobs of the balance model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BalanceConfig {
    /// τ of the recency weight exp(−age/τ), in days.
    pub tau_days: f64,
    /// |B| up to this is balanced.
    pub band: f64,
    /// Within an agreement, giving in one's agreed role counts as this much,
    /// whatever its intensity (2 is the middle intensity).
    pub role_unit: f64,
    /// An entry whose weight has fallen below this no longer counts: with
    /// τ = 90 days, one millionth is reached after about 3.4 years.
    pub min_weight: f64,
    /// Σw below this is too little to say anything: early days. An entry
    /// logged today weighs 1 and one a month old 0.72, so the default 2.5 is
    /// about three times together in the last month (or more, longer ago).
    pub min_evidence: f64,
}

impl BalanceConfig {
    /// How far back entries still count, in days.
    pub fn horizon_days(&self) -> f64 {
        -self.tau_days * self.min_weight.ln()
    }
}

impl Default for BalanceConfig {
    fn default() -> Self {
        BalanceConfig {
            tau_days: 90.0,
            band: 0.2,
            role_unit: 2.0,
            min_weight: 1e-6,
            min_evidence: 2.5,
        }
    }
}

named_enum! {
    /// Where a balance score falls.
    pub enum Band as "band" {
        /// Too little logged lately to say (see [`BalanceConfig::min_evidence`]).
        EarlyDays = "early-days",
        Balanced = "balanced",
        /// I have been carrying more lately.
        ICarryMore = "i-carry-more",
        /// They have been carrying more lately.
        TheyCarryMore = "they-carry-more",
    }
}

impl Band {
    /// The band of a score with enough evidence behind it (never
    /// [`Band::EarlyDays`]).
    pub fn of(score: f64, band: f64) -> Band {
        if score > band {
            Band::ICarryMore
        } else if score < -band {
            Band::TheyCarryMore
        } else {
            Band::Balanced
        }
    }

    /// A blame-free phrase for the band, about a friend named `name`.
    pub fn phrase(self, name: &str) -> String {
        match self {
            Band::EarlyDays => "early days".to_owned(),
            Band::Balanced => "balanced".to_owned(),
            Band::ICarryMore => "you have been carrying more lately".to_owned(),
            Band::TheyCarryMore => format!("{name} has been carrying more lately"),
        }
    }
}

/// Weighted support of one kind, as logged (before any agreement).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct KindBalance {
    pub kind: SupportKind,
    pub given: f64,
    pub received: f64,
    /// An agreement in force now names this kind as one side's role.
    pub in_agreed_roles: bool,
}

/// The balance of one friendship at one moment, with its evidence.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Balance {
    /// B in [−1, 1]; positive when I have given more.
    pub score: f64,
    pub band: Band,
    /// Interactions that carried any support and still count (see
    /// [`BalanceConfig::min_weight`]).
    pub entries: usize,
    /// Σw·given and Σw·received, after agreed roles.
    pub given: f64,
    pub received: f64,
    /// Σw over the counted entries: how much recent evidence there is.
    pub weight: f64,
    /// In early days, how many more times together (logged today) it takes
    /// to say; 0 once there is enough.
    pub needed: u32,
    pub per_kind: Vec<KindBalance>,
    /// Entries made under an agreement were counted by roles.
    pub under_agreement: usize,
}

/// How much each side contributed in one exchange, after agreed roles.
fn contribution(gave: SupportSet, got: SupportSet, roles: Option<Roles>, role_unit: f64) -> (f64, f64) {
    let Some(roles) = roles else {
        return (f64::from(gave.total()), f64::from(got.total()));
    };
    let side = |set: SupportSet, role| {
        let in_role = set.total_within(role);
        let outside = f64::from(set.total() - in_role);
        outside + if in_role > 0 { role_unit } else { 0.0 }
    };
    (side(gave, roles.me), side(got, roles.them))
}

/// The roles in force at `at`: the union of every agreement active then.
fn roles_at(agreements: &[Agreement], at: Timestamp) -> Option<Roles> {
    agreements
        .iter()
        .filter(|a| a.is_active_at(at) && !a.roles.is_empty())
        .map(|a| a.roles)
        .reduce(|x, y| Roles {
            me: x.me.union(y.me),
            them: x.them.union(y.them),
        })
}

fn weight(at: Timestamp, as_of: Timestamp, tau_days: f64) -> f64 {
    let age_days = (as_of.as_second() - at.as_second()) as f64 / 86_400.0;
    (-age_days.max(0.0) / tau_days).exp()
}

fn score(given: f64, received: f64) -> f64 {
    let total = given + received;
    if total > 0.0 {
        ((given - received) / total).clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// The balance as of `as_of`, counting every exchange up to it.
pub fn balance(
    exchanges: &[Exchange],
    agreements: &[Agreement],
    as_of: Timestamp,
    config: &BalanceConfig,
) -> Balance {
    let mut per_kind = [(0.0, 0.0); 7];
    let (mut given, mut received, mut total_weight) = (0.0, 0.0, 0.0);
    let (mut entries, mut under_agreement) = (0, 0);
    for e in exchanges.iter().filter(|e| e.at <= as_of && e.carries_support()) {
        let w = weight(e.at, as_of, config.tau_days);
        if w < config.min_weight {
            continue;
        }
        let roles = roles_at(agreements, e.at);
        let (g, r) = contribution(e.gave, e.got, roles, config.role_unit);
        given += w * g;
        received += w * r;
        total_weight += w;
        entries += 1;
        under_agreement += usize::from(roles.is_some());
        for (kind, intensity) in e.gave.iter() {
            per_kind[kind as usize].0 += w * f64::from(intensity.get());
        }
        for (kind, intensity) in e.got.iter() {
            per_kind[kind as usize].1 += w * f64::from(intensity.get());
        }
    }
    let roles_now = roles_at(agreements, as_of).unwrap_or_default();
    let score = score(given, received);
    let needed = needed(total_weight, config);
    Balance {
        score,
        band: if needed > 0 {
            Band::EarlyDays
        } else {
            Band::of(score, config.band)
        },
        entries,
        given,
        received,
        weight: total_weight,
        needed,
        per_kind: SupportKind::ALL
            .iter()
            .zip(per_kind)
            .filter(|(_, (g, r))| *g > 0.0 || *r > 0.0)
            .map(|(&kind, (given, received))| KindBalance {
                kind,
                given,
                received,
                in_agreed_roles: roles_now.me.contains(kind) || roles_now.them.contains(kind),
            })
            .collect(),
        under_agreement,
    }
}

/// How many more entries of weight 1 lift `weight` to the evidence needed.
fn needed(weight: f64, config: &BalanceConfig) -> u32 {
    let missing = config.min_evidence - weight;
    if missing <= 1e-9 {
        0
    } else {
        // At most a few dozen: min_evidence is a small count.
        missing.ceil().min(f64::from(u16::MAX)) as u32
    }
}

impl Balance {
    /// The balance in words, about a friend named `name`: the band, or in
    /// early days what it still takes ("early days: 2 more times together").
    pub fn phrase(&self, name: &str) -> String {
        match (self.band, self.entries, self.needed) {
            (Band::EarlyDays, 0, _) => "no support logged yet".to_owned(),
            (Band::EarlyDays, _, 1) => "early days: 1 more time together".to_owned(),
            (Band::EarlyDays, _, n) => format!("early days: {n} more times together"),
            (band, _, _) => band.phrase(name),
        }
    }

    /// The phrase with the score once there is enough evidence to show it:
    /// "balanced (B = -0.01)", "early days: 2 more times together".
    pub fn summary(&self, name: &str) -> String {
        if self.is_settled() {
            format!("{} (B = {:+.2})", self.phrase(name), self.score)
        } else {
            self.phrase(name)
        }
    }

    /// Whether there is enough evidence behind the score to show it.
    pub fn is_settled(&self) -> bool {
        self.band != Band::EarlyDays
    }
}

/// One point of a balance history.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct BalancePoint {
    pub at: Timestamp,
    pub score: f64,
    /// Σw over the entries counted at this point.
    pub weight: f64,
}

/// The balance at each of `points` (ascending), in one pass over the
/// exchanges (ascending by time): the weighted sums decay from one point to
/// the next instead of being recomputed.
pub fn balance_history(
    exchanges: &[Exchange],
    agreements: &[Agreement],
    points: &[Timestamp],
    config: &BalanceConfig,
) -> Vec<BalancePoint> {
    let (mut given, mut received, mut total_weight) = (0.0, 0.0, 0.0);
    let mut previous: Option<Timestamp> = None;
    let mut next = exchanges.iter().filter(|e| e.carries_support()).peekable();
    points
        .iter()
        .map(|&point| {
            if let Some(prev) = previous {
                let decay = weight(prev, point, config.tau_days);
                given *= decay;
                received *= decay;
                total_weight *= decay;
            }
            while let Some(e) = next.next_if(|e| e.at <= point) {
                let w = weight(e.at, point, config.tau_days);
                let (g, r) = contribution(e.gave, e.got, roles_at(agreements, e.at), config.role_unit);
                given += w * g;
                received += w * r;
                total_weight += w;
            }
            previous = Some(point);
            BalancePoint {
                at: point,
                score: score(given, received),
                weight: total_weight,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days;
    use crate::id::{AgreementId, FriendId};
    use crate::support::{Intensity, SupportKinds};
    use proptest::prelude::*;

    const NOW: i64 = 1_790_000_000;

    fn now() -> Timestamp {
        Timestamp::from_second(NOW).unwrap()
    }

    fn exchange(days_ago: i64, gave: &str, got: &str) -> Exchange {
        Exchange {
            gave: gave.parse().unwrap(),
            got: got.parse().unwrap(),
            ..Exchange::at(now() - days(days_ago))
        }
    }

    fn agreement(me: &str, them: &str) -> Agreement {
        Agreement {
            id: AgreementId(1),
            friend: FriendId(1),
            text: "we help in our own ways".into(),
            roles: Roles {
                me: me.parse().unwrap(),
                them: them.parse().unwrap(),
            },
            since: now() - days(1000),
            ended_at: None,
        }
    }

    /// The model's knobs with no evidence needed, for tests of the score.
    fn any_evidence() -> BalanceConfig {
        BalanceConfig {
            min_evidence: 0.0,
            ..BalanceConfig::default()
        }
    }

    #[test]
    fn empty_journal_is_early_days_with_no_evidence() {
        let b = balance(&[], &[], now(), &BalanceConfig::default());
        assert_eq!(
            (b.score, b.band, b.entries, b.weight, b.needed),
            (0.0, Band::EarlyDays, 0, 0.0, 3)
        );
        assert_eq!(b.phrase("Sam"), "no support logged yet");
    }

    #[test]
    fn a_verdict_waits_for_enough_recent_evidence() {
        let config = BalanceConfig::default();
        let one = [exchange(0, "listening:3", "")];
        let b = balance(&one, &[], now(), &config);
        assert_eq!((b.score, b.band, b.needed), (1.0, Band::EarlyDays, 2));
        assert_eq!(b.phrase("Sam"), "early days: 2 more times together");
        let two = [exchange(1, "listening:3", ""), exchange(0, "listening:1", "")];
        assert_eq!(
            balance(&two, &[], now(), &config).phrase("Sam"),
            "early days: 1 more time together"
        );
        let three = [
            exchange(2, "listening:3", ""),
            exchange(1, "listening:3", ""),
            exchange(0, "advice:1", ""),
        ];
        let b = balance(&three, &[], now(), &config);
        assert_eq!((b.band, b.needed), (Band::ICarryMore, 0));
        // Old evidence weighs less: three entries a year ago are not enough.
        let old = [
            exchange(367, "listening:3", ""),
            exchange(366, "listening:3", ""),
            exchange(365, "", "advice:1"),
        ];
        let b = balance(&old, &[], now(), &config);
        assert_eq!(b.band, Band::EarlyDays);
        assert!(b.needed >= 3, "{b:?}");
    }

    #[test]
    fn one_sided_giving_is_i_carry_more() {
        let ex = [exchange(1, "listening:3", ""), exchange(8, "practical:2", "")];
        let b = balance(&ex, &[], now(), &any_evidence());
        assert_eq!(b.score, 1.0);
        assert_eq!(b.band, Band::ICarryMore);
        assert_eq!(b.entries, 2);
        assert_eq!(b.per_kind.len(), 2);
    }

    #[test]
    fn worked_example() {
        // Today I gave 3; 90 days ago (one τ) they gave 3.
        let ex = [exchange(90, "", "advice:3"), exchange(0, "listening:3", "")];
        let b = balance(&ex, &[], now(), &any_evidence());
        let w = (-1.0f64).exp();
        assert!((b.score - (3.0 - 3.0 * w) / (3.0 + 3.0 * w)).abs() < 1e-12);
        assert_eq!(b.band, Band::ICarryMore);
    }

    #[test]
    fn entries_beyond_the_horizon_no_longer_count() {
        let config = any_evidence();
        assert!((config.horizon_days() - 1243.4).abs() < 0.1);
        let ex = [exchange(1300, "listening:3", ""), exchange(1200, "", "advice:1")];
        let b = balance(&ex, &[], now(), &config);
        assert_eq!((b.entries, b.score, b.band), (1, -1.0, Band::TheyCarryMore));
    }

    #[test]
    fn future_entries_do_not_count() {
        let ex = [exchange(-5, "listening:3", "")];
        assert_eq!(balance(&ex, &[], now(), &BalanceConfig::default()).entries, 0);
    }

    #[test]
    fn agreement_counts_roles_by_showing_up() {
        let ex = [exchange(3, "listening:3", "practical:1")];
        let config = any_evidence();
        assert_eq!(balance(&ex, &[], now(), &config).band, Band::ICarryMore);
        let with = balance(&ex, &[agreement("listening", "practical")], now(), &config);
        assert_eq!(with.score, 0.0);
        assert_eq!(with.under_agreement, 1);
        assert!(with.per_kind.iter().all(|k| k.in_agreed_roles));
        // The agreement does not hide a friendship where only one side shows up.
        let lonely = [exchange(3, "listening:3", ""), exchange(10, "listening:1", "")];
        let b = balance(&lonely, &[agreement("listening", "practical")], now(), &config);
        assert_eq!(b.band, Band::ICarryMore);
    }

    #[test]
    fn ended_agreement_stops_applying() {
        let mut a = agreement("listening", "practical");
        a.ended_at = Some(now() - days(10));
        let ex = [exchange(3, "listening:3", "practical:1")];
        assert_eq!(balance(&ex, &[a], now(), &any_evidence()).band, Band::ICarryMore);
    }

    #[test]
    fn history_matches_direct_computation() {
        let ex: Vec<Exchange> = (0..60)
            .rev()
            .map(|d| match d % 3 {
                0 => exchange(d * 3, "listening:2", "advice:1"),
                1 => exchange(d * 3, "", "practical:3"),
                _ => exchange(d * 3, "presence:1", "presence:1"),
            })
            .collect();
        let agreements = [agreement("listening", "practical")];
        let config = BalanceConfig::default();
        let points: Vec<Timestamp> = (0..12).rev().map(|w| now() - days(w * 7)).collect();
        let history = balance_history(&ex, &agreements, &points, &config);
        for (point, h) in points.iter().zip(&history) {
            let direct = balance(&ex, &agreements, *point, &config);
            assert!((direct.score - h.score).abs() < 1e-9, "{point}");
            assert!((direct.weight - h.weight).abs() < 1e-9, "{point}");
        }
    }

    fn any_set() -> impl Strategy<Value = SupportSet> {
        proptest::collection::vec((0usize..7, 1u8..=3), 0..4).prop_map(|parts| {
            parts.into_iter().fold(SupportSet::EMPTY, |set, (k, i)| {
                set.with(SupportKind::ALL[k], Intensity::new(i).unwrap())
            })
        })
    }

    fn any_kinds() -> impl Strategy<Value = SupportKinds> {
        (0u8..128).prop_map(SupportKinds::from_bits)
    }

    fn any_exchanges() -> impl Strategy<Value = Vec<Exchange>> {
        proptest::collection::vec((0i64..2000, any_set(), any_set()), 0..40).prop_map(|mut v| {
            v.sort_by_key(|(age, _, _)| -age);
            v.into_iter()
                .map(|(age, gave, got)| Exchange {
                    gave,
                    got,
                    ..Exchange::at(now() - days(age))
                })
                .collect()
        })
    }

    fn swapped(exchanges: &[Exchange]) -> Vec<Exchange> {
        exchanges
            .iter()
            .map(|e| Exchange {
                gave: e.got,
                got: e.gave,
                ..*e
            })
            .collect()
    }

    proptest! {
        #[test]
        fn score_stays_in_range(ex in any_exchanges(), me in any_kinds(), them in any_kinds()) {
            let mut a = agreement("", "");
            a.roles = Roles { me, them };
            a.since = now() - days(500);
            let b = balance(&ex, &[a], now(), &BalanceConfig::default());
            prop_assert!((-1.0..=1.0).contains(&b.score));
        }

        #[test]
        fn swapping_sides_negates_score(ex in any_exchanges(), me in any_kinds(), them in any_kinds()) {
            let config = BalanceConfig::default();
            let b = balance(&ex, &[], now(), &config);
            let s = balance(&swapped(&ex), &[], now(), &config);
            prop_assert!((b.score + s.score).abs() < 1e-9);
            prop_assert_eq!(b.band, match s.band {
                Band::ICarryMore => Band::TheyCarryMore,
                Band::TheyCarryMore => Band::ICarryMore,
                same => same,
            });
            // With an agreement, swapping sides swaps the roles too.
            let mut a = agreement("", "");
            a.roles = Roles { me, them };
            let mut flipped = a.clone();
            flipped.roles = Roles { me: them, them: me };
            let b = balance(&ex, &[a], now(), &config);
            let s = balance(&swapped(&ex), &[flipped], now(), &config);
            prop_assert!((b.score + s.score).abs() < 1e-9);
        }

        #[test]
        fn recent_entry_weighs_more(recent in 0i64..1000, gap in 1i64..1000, amount in any_set()) {
            prop_assume!(!amount.is_empty());
            let older = recent + gap;
            // The same amount given recently and received long ago: I gave more lately.
            let ex = [
                Exchange { got: amount, ..Exchange::at(now() - days(older)) },
                Exchange { gave: amount, ..Exchange::at(now() - days(recent)) },
            ];
            prop_assert!(balance(&ex, &[], now(), &BalanceConfig::default()).score > 0.0);
            let ex = swapped(&ex);
            prop_assert!(balance(&ex, &[], now(), &BalanceConfig::default()).score < 0.0);
        }

        #[test]
        fn agreed_complementary_exchange_is_balanced(
            me in any_kinds(), them in any_kinds(), gave_levels in proptest::array::uniform7(1u8..=3),
            got_levels in proptest::array::uniform7(1u8..=3), age in 0i64..900,
        ) {
            prop_assume!(!me.is_empty() && !them.is_empty());
            let pick = |kinds: SupportKinds, levels: [u8; 7]| kinds.iter().fold(SupportSet::EMPTY, |set, k| {
                set.with(k, Intensity::new(levels[k as usize]).unwrap())
            });
            let mut a = agreement("", "");
            a.roles = Roles { me, them };
            let ex = [Exchange {
                gave: pick(me, gave_levels),
                got: pick(them, got_levels),
                ..Exchange::at(now() - days(age))
            }];
            let b = balance(&ex, &[a], now(), &any_evidence());
            prop_assert_eq!(b.score, 0.0);
            prop_assert_eq!(b.band, Band::Balanced);
        }
    }
}
