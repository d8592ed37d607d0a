//! Signals and weekly measures over a lifetime of chats: 50 friends, each a
//! one-to-one WhatsApp chat of 100,000 messages (5,000,000 in all), imported
//! once per run. Each sample is a whole `mutual` process.
//!
//! - `signals_all_friends`: `mutual signals --json` for every friend.
//! - `import_1000_new_messages`: importing the next 1,000 messages of one
//!   chat, which recomputes the weekly measures of the weeks they touch.
//!   The whole command is timed, so it bounds the weekly update from above.
//! - `baseline_version`: process start, for scale.
//!
//! Run with `cargo bench -p mutual --bench signals` (setup takes a minute).

use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use mutual_import::synth::{Generator, write_whatsapp};

const FRIENDS: usize = 50;
const PER_CHAT: usize = 100_000;
const BATCH: usize = 1_000;
const BATCHES: usize = 8;

fn main() {
    divan::main();
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_mutual")
}

fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mutual-signals-bench-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("new")).expect("a bench directory");
        dir
    })
}

fn friend(i: usize) -> String {
    format!("Friend {i:02}")
}

fn mutual(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args(["--db", db.to_str().expect("a UTF-8 path")])
        .args(args)
        .env("TZ", "UTC")
        .env("MUTUAL_NOW", "2026-01-01T12:00:00Z")
        .stdout(std::process::Stdio::null());
    cmd
}

fn run(mut cmd: Command) {
    let status = cmd.status().expect("the command runs");
    assert!(status.success(), "{cmd:?} failed");
}

/// The chat with friend `i`: its first 100,000 messages, and then batches
/// of 1,000 more in a folder of their own (the same chat name).
fn chats() -> &'static [PathBuf] {
    static FILES: OnceLock<Vec<PathBuf>> = OnceLock::new();
    FILES.get_or_init(|| {
        (0..FRIENDS)
            .map(|i| {
                let name = format!("WhatsApp Chat with {}.txt", friend(i));
                let mut generator = Generator::new(
                    i as u64,
                    &["Me", &friend(i)],
                    jiff::civil::date(2016, 1, 4).at(8, 0, 0, 0),
                );
                let path = dir().join(&name);
                let mut out = BufWriter::new(std::fs::File::create(&path).expect("a bench file"));
                write_whatsapp(&mut out, &mut generator, PER_CHAT).expect("written");
                if i == 0 {
                    for b in 0..BATCHES {
                        let batch = dir().join("new").join(b.to_string());
                        std::fs::create_dir_all(&batch).expect("a batch folder");
                        let mut out =
                            BufWriter::new(std::fs::File::create(batch.join(&name)).expect("a bench file"));
                        write_whatsapp(&mut out, &mut generator, BATCH).expect("written");
                    }
                }
                path
            })
            .collect()
    })
}

/// The database with all 50 chats imported and linked.
fn db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let db = dir().join("lifetime.db");
        let files = chats();
        let mut args: Vec<String> = vec!["import".into(), "--me".into(), "Me".into()];
        args.extend(files.iter().map(|f| f.display().to_string()));
        for i in 0..FRIENDS {
            args.push("--map".into());
            args.push(format!("{0}={0}", friend(i)));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(mutual(&db, &args));
        db
    })
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn baseline_version(bencher: divan::Bencher) {
    let db = db();
    bencher.bench(|| run(mutual(db, &["--version"])));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn signals_all_friends(bencher: divan::Bencher) {
    let db = db();
    bencher.bench(|| run(mutual(db, &["signals", "--json"])));
}

#[divan::bench(sample_count = BATCHES as u32, sample_size = 1)]
fn import_1000_new_messages(bencher: divan::Bencher) {
    let db = db();
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    bencher
        .with_inputs(|| {
            let b = NEXT.fetch_add(1, Ordering::Relaxed) % BATCHES;
            let name = format!("WhatsApp Chat with {}.txt", friend(0));
            dir().join("new").join(b.to_string()).join(name)
        })
        .bench_values(|file| {
            run(mutual(
                db,
                &["import", "--me", "Me", file.to_str().expect("UTF-8")],
            ))
        });
}
