//! End-to-end timings of the commands people run most, on a decade of data:
//! 50 friends with a journal entry every day for ten years (182,500 entries).
//! Each sample is a whole process, as a person would run it.
//!
//! Run with `cargo bench -p mutual --bench cli`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use jiff::Timestamp;
use mutual_core::{Channel, Energy, Exchange, Initiator, Intensity, SupportKind, SupportSet};
use mutual_store::{NewFriend, NewInteraction, Store};

const FRIENDS: usize = 50;
const DAYS: i64 = 3650;
const NOW: &str = "2026-06-15T12:00:00Z";

fn main() {
    divan::main();
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_mutual")
}

/// A seeded set of support kinds for one side of an entry.
fn support(rng: &mut fastrand::Rng) -> SupportSet {
    (0..rng.usize(0..=2)).fold(SupportSet::EMPTY, |set, _| {
        let kind = SupportKind::ALL[rng.usize(..SupportKind::ALL.len())];
        set.with(kind, Intensity::new(rng.u8(1..=3)).unwrap_or(Intensity::DEFAULT))
    })
}

/// Builds the decade database once per run.
fn decade() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mutual-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a bench directory");
        let path = dir.join("decade.db");
        let _ = std::fs::remove_file(&path);
        let mut store = Store::open(&path, None).expect("a new database");
        let now: Timestamp = NOW.parse().expect("a time");
        let mut rng = fastrand::Rng::with_seed(42);
        store
            .write(|tx| {
                let start = now - mutual_core::days(DAYS);
                let friends: Vec<_> = (0..FRIENDS)
                    .map(|i| {
                        let new = NewFriend {
                            name: format!("Friend {i:02}"),
                            cadence: mutual_core::Cadence::every(7 + (i as u32 % 4) * 7).ok(),
                            ..NewFriend::default()
                        };
                        tx.add_friend(&new, start)
                    })
                    .collect::<Result<_, _>>()?;
                for day in 0..DAYS {
                    for &friend in &friends {
                        let at = start
                            + mutual_core::days(day)
                            + jiff::SignedDuration::from_mins(rng.i64(0..1440));
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
        path
    })
}

fn run(db: &Path, args: &[&str]) {
    let out = Command::new(binary())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("MUTUAL_NOW", NOW)
        .env("NO_COLOR", "1")
        .output()
        .expect("mutual runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[divan::bench(sample_count = 20)]
fn today(bencher: divan::Bencher) {
    let db = decade();
    bencher.bench(|| run(db, &["today"]));
}

#[divan::bench(sample_count = 20)]
fn balance(bencher: divan::Bencher) {
    let db = decade();
    bencher.bench(|| run(db, &["balance"]));
}

#[divan::bench(sample_count = 20)]
fn balance_json(bencher: divan::Bencher) {
    let db = decade();
    bencher.bench(|| run(db, &["balance", "--json"]));
}

/// The baseline: the same process answering `--version`, which opens nothing.
#[divan::bench(sample_count = 20)]
fn process_start(bencher: divan::Bencher) {
    bencher.bench(|| {
        Command::new(binary())
            .arg("--version")
            .output()
            .expect("mutual runs");
    });
}

#[divan::bench(sample_count = 10)]
fn demo(bencher: divan::Bencher) {
    let dir = std::env::temp_dir().join(format!("mutual-bench-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a bench directory");
    let db = dir.join("demo.db");
    bencher.bench(|| {
        let out = Command::new(binary())
            .arg("demo")
            .arg("--db")
            .arg(&db)
            .env("NO_COLOR", "1")
            .output()
            .expect("mutual runs");
        assert!(out.status.success());
    });
}
