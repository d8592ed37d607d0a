//! Writes a report of synthetic friendships to /tmp/mutual-report-sample.html
//! (or to the path given as the first argument).

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("/tmp/mutual-report-sample.html"), PathBuf::from);
    let report = mutual_report::sample::report(7, jiff::civil::date(2025, 11, 17));
    std::fs::write(&out, mutual_report::render(&report))?;
    println!("wrote {}", out.display());
    Ok(())
}
