//! The journal both the `cli` and `serve` benches read: 50 friends with an
//! entry each every day for ten years (182,500 entries), seeded.

use std::path::Path;

use jiff::Timestamp;
use mutual_core::{Channel, Energy, Exchange, Initiator, Intensity, SupportKind, SupportSet};
use mutual_store::{NewFriend, NewInteraction, Store};

pub(crate) const FRIENDS: usize = 50;
pub(crate) const DAYS: i64 = 3650;
pub(crate) const NOW: &str = "2026-06-15T12:00:00Z";

/// The name of friend `i`.
pub(crate) fn friend(i: usize) -> String {
    format!("Friend {i:02}")
}

/// A seeded set of support kinds for one side of an entry.
fn support(rng: &mut fastrand::Rng) -> SupportSet {
    (0..rng.usize(0..=2)).fold(SupportSet::EMPTY, |set, _| {
        let kind = SupportKind::ALL[rng.usize(..SupportKind::ALL.len())];
        set.with(kind, Intensity::new(rng.u8(1..=3)).unwrap_or(Intensity::DEFAULT))
    })
}

/// Writes the decade into a new database at `path`.
pub(crate) fn write(path: &Path) {
    let mut store = Store::open(path, None).expect("a new database");
    let now: Timestamp = NOW.parse().expect("a time");
    let mut rng = fastrand::Rng::with_seed(42);
    store
        .write(|tx| {
            let start = now - mutual_core::days(DAYS);
            let friends: Vec<_> = (0..FRIENDS)
                .map(|i| {
                    let new = NewFriend {
                        name: friend(i),
                        cadence: mutual_core::Cadence::every(7 + (i as u32 % 4) * 7).ok(),
                        ..NewFriend::default()
                    };
                    tx.add_friend(&new, start)
                })
                .collect::<Result<_, _>>()?;
            for day in 0..DAYS {
                for &friend in &friends {
                    let at =
                        start + mutual_core::days(day) + jiff::SignedDuration::from_mins(rng.i64(0..1440));
                    let exchange = Exchange {
                        at: at.min(now),
                        channel: Channel::ALL[rng.usize(..Channel::ALL.len())],
                        initiator: Initiator::ALL[rng.usize(..Initiator::ALL.len())],
                        gave: support(&mut rng),
                        got: support(&mut rng),
                        energy: Energy::new(rng.i64(-3..=3)),
                        conflict: rng.u8(..100) == 0,
                        hard_news: rng.u16(..1000) == 0,
                    };
                    tx.add_interaction(&NewInteraction {
                        friends: vec![friend],
                        exchange,
                        felt_heard: None,
                        note: None,
                        tags: Vec::new(),
                    })?;
                }
            }
            Ok::<_, mutual_store::StoreError>(())
        })
        .expect("the decade is written");
}
