//! Writes a seeded synthetic export, for trying the importer at scale:
//! `cargo run --release -p mutual-import --example synth -- whatsapp|telegram COUNT FILE [SEED]`.

use std::io::BufWriter;

use mutual_import::synth::{Generator, write_telegram, write_whatsapp};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(format), Some(count), Some(path)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: synth whatsapp|telegram COUNT FILE [SEED]");
        std::process::exit(2);
    };
    let count: usize = count.parse().unwrap_or(1_000_000);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2026);
    let mut generator = Generator::new(
        seed,
        &["Sam Lee", "Alex Moreno"],
        jiff::civil::date(2016, 1, 1).at(8, 0, 0, 0),
    );
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    match format.as_str() {
        "telegram" => write_telegram(&mut out, &mut generator, count, &jiff::tz::TimeZone::UTC),
        _ => write_whatsapp(&mut out, &mut generator, count),
    }
}
