//! End-to-end timings of the commands people run most, on a decade of data:
//! 50 friends with a journal entry every day for ten years (182,500 entries).
//! Each sample is a whole process, as a person would run it.
//!
//! Run with `cargo bench -p mutual --bench cli`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

#[path = "common/decade.rs"]
mod decade;

use decade::NOW;

fn main() {
    divan::main();
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_mutual")
}

/// Builds the decade database once per run.
fn decade() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mutual-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a bench directory");
        let path = dir.join("decade.db");
        let _ = std::fs::remove_file(&path);
        decade::write(&path);
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
