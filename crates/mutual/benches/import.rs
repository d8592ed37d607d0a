//! Chat import at scale: seeded exports of 1,000,000 messages (WhatsApp,
//! about 80 MB; Telegram `result.json`), each sample a whole `mutual`
//! process, with `wc -l` on the same file as the baseline. Before the
//! timings it prints the peak memory (max RSS, from `/usr/bin/time`) of the
//! dry run and the import at two file sizes, to show that memory does not
//! grow with the file.
//!
//! Every import computes each message's text features (VADER sentiment and
//! the detectors); `whatsapp_import_with_friend` also computes the weekly
//! measures of the friendship.
//!
//! Run with `cargo bench -p mutual --bench import`.

use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use jiff::tz::TimeZone;
use mutual_import::synth::{Generator, write_telegram, write_whatsapp};

const MESSAGES: usize = 1_000_000;

fn main() {
    report_peak_memory();
    divan::main();
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_mutual")
}

fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mutual-import-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a bench directory");
        dir
    })
}

fn generator() -> Generator {
    Generator::new(
        2026,
        &["Sam Lee", "Alex Moreno"],
        jiff::civil::date(2016, 1, 1).at(8, 0, 0, 0),
    )
}

/// A seeded WhatsApp export of `messages` messages, written once per run.
fn whatsapp(messages: usize) -> PathBuf {
    let path = dir().join(format!("WhatsApp Chat with Sam Lee {messages}.txt"));
    if !path.exists() {
        let mut out = BufWriter::new(std::fs::File::create(&path).expect("a bench file"));
        write_whatsapp(&mut out, &mut generator(), messages).expect("written");
    }
    path
}

fn telegram() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = dir().join("result.json");
        let mut out = BufWriter::new(std::fs::File::create(&path).expect("a bench file"));
        write_telegram(&mut out, &mut generator(), MESSAGES, &TimeZone::UTC).expect("written");
        path
    })
}

fn mutual(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args(["--db", db.to_str().expect("a UTF-8 path")])
        .args(args)
        .env("TZ", "UTC");
    cmd.stdout(std::process::Stdio::null());
    cmd
}

fn run(mut cmd: Command) {
    let status = cmd.status().expect("the command runs");
    assert!(status.success(), "{cmd:?} failed");
}

fn fresh_db(name: &str) -> PathBuf {
    let db = dir().join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    db
}

/// A database into which the 1M WhatsApp export was imported once.
fn imported_db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let db = fresh_db("imported.db");
        run(mutual(
            &db,
            &["import", whatsapp(MESSAGES).to_str().expect("UTF-8")],
        ));
        db
    })
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn baseline_wc_l(bencher: divan::Bencher) {
    let file = whatsapp(MESSAGES);
    bencher.bench(|| {
        let mut cmd = Command::new("wc");
        cmd.arg("-l").arg(&file).stdout(std::process::Stdio::null());
        run(cmd);
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn whatsapp_dry_run(bencher: divan::Bencher) {
    let file = whatsapp(MESSAGES);
    let db = dir().join("unused.db");
    bencher.bench(|| {
        run(mutual(
            &db,
            &["import", "--dry-run", file.to_str().expect("UTF-8")],
        ))
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn whatsapp_import(bencher: divan::Bencher) {
    let file = whatsapp(MESSAGES);
    bencher
        .with_inputs(|| fresh_db("fresh.db"))
        .bench_values(|db| run(mutual(&db, &["import", file.to_str().expect("UTF-8")])));
}

/// The same import with the two senders linked (me and a friend), so the
/// weekly measures of the friendship are computed too.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn whatsapp_import_with_friend(bencher: divan::Bencher) {
    let file = whatsapp(MESSAGES);
    bencher
        .with_inputs(|| fresh_db("fresh-friend.db"))
        .bench_values(|db| {
            run(mutual(
                &db,
                &[
                    "import",
                    file.to_str().expect("UTF-8"),
                    "--me",
                    "Alex Moreno",
                    "--map",
                    "Sam Lee=Sam",
                ],
            ))
        });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn whatsapp_reimport(bencher: divan::Bencher) {
    let file = whatsapp(MESSAGES);
    let db = imported_db();
    bencher.bench(|| run(mutual(db, &["import", file.to_str().expect("UTF-8")])));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn telegram_import(bencher: divan::Bencher) {
    let file = telegram();
    bencher
        .with_inputs(|| fresh_db("telegram.db"))
        .bench_values(|db| run(mutual(&db, &["import", file.to_str().expect("UTF-8")])));
}

/// Max RSS in MB of one run, by `/usr/bin/time -f %M` (KiB).
fn peak_mb(args: &[&str], db: &Path) -> Option<f64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", binary(), "--db", db.to_str()?])
        .args(args)
        .env("TZ", "UTC")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let kib: f64 = text.lines().last()?.trim().parse().ok()?;
    Some(kib / 1024.0)
}

fn report_peak_memory() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("peak memory: /usr/bin/time is not installed; skipped");
        return;
    }
    for messages in [MESSAGES / 4, MESSAGES] {
        let file = whatsapp(messages);
        let file = file.to_str().expect("UTF-8");
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        let dry = peak_mb(&["import", "--dry-run", file], &dir().join("unused.db"));
        let import = peak_mb(&["import", file], &fresh_db("peak.db"));
        let again = peak_mb(&["import", file], &dir().join("peak.db"));
        eprintln!(
            "peak memory, WhatsApp {messages} messages ({size:.0} MB): dry run {:.1} MB, import {:.1} MB, re-import {:.1} MB",
            dry.unwrap_or(f64::NAN),
            import.unwrap_or(f64::NAN),
            again.unwrap_or(f64::NAN)
        );
    }
    let file = telegram().to_str().expect("UTF-8");
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let import = peak_mb(&["import", file], &fresh_db("peak-telegram.db"));
    eprintln!(
        "peak memory, Telegram {MESSAGES} messages ({size:.0} MB): import {:.1} MB",
        import.unwrap_or(f64::NAN)
    );
}
