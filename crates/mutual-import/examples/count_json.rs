//! Times a parse: `cargo run --release -p mutual-import --example count_json -- FILE [FORMAT]`.
//! Prints the messages, diagnostics and seconds; the messages are counted, not kept.

use std::path::Path;
use std::time::Instant;

use mutual_import::{Diagnostic, Format, Input, Message, Options, Sink, Stop};

#[derive(Debug, Default)]
struct Count {
    messages: u64,
    diagnostics: u64,
    text_bytes: u64,
}

impl Sink for Count {
    fn message(&mut self, message: &Message<'_>) -> Result<(), Stop> {
        self.messages += 1;
        self.text_bytes += message.text.len() as u64;
        Ok(())
    }

    fn diagnostic(&mut self, _: Diagnostic) {
        self.diagnostics += 1;
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: count_json FILE [FORMAT]")?;
    let input = Input::file(Path::new(&path))?;
    let format = match args.next() {
        Some(name) => name.parse::<Format>()?,
        None => mutual_import::detect(&input)?,
    };
    let start = Instant::now();
    let mut count = Count::default();
    format.parse(&input, &Options::default(), &mut count)?;
    println!(
        "{format}: {} messages, {} diagnostics, {} text bytes in {:.3} s",
        count.messages,
        count.diagnostics,
        count.text_bytes,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
