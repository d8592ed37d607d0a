//! Prints the precision and recall of the text detectors on the
//! hand-labelled set; with `--mistakes`, also the dev messages they get
//! wrong (never the held-out ones).
//!
//! `cargo run -p mutual-analysis --example detectors [-- --mistakes]`

#[path = "../tests/detectors.rs"]
mod detectors;

fn main() {
    let examples = detectors::examples();
    let evaluation = detectors::evaluate(&examples);
    print!("{}", detectors::table(&examples, &evaluation));
    if std::env::args().any(|arg| arg == "--mistakes") {
        println!("\ndev mistakes:");
        print!("{}", detectors::dev_mistakes(&examples));
    }
}
