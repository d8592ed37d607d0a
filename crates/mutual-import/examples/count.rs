//! Parses one export with a sink that only counts, and says how long it took:
//!
//! ```text
//! cargo run --release --example count -p mutual-import -- "WhatsApp Chat with Sam.txt"
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use mutual_import::{Diagnostic, Input, Kind, Message, Options, Sink, Stop, detect};

/// Counts what goes by and keeps nothing.
#[derive(Debug, Default)]
struct Count {
    messages: u64,
    system: u64,
    diagnostics: u64,
    text_bytes: u64,
}

impl Sink for Count {
    fn message(&mut self, message: &Message<'_>) -> Result<(), Stop> {
        self.messages += 1;
        self.system += u64::from(message.kind == Kind::System);
        self.text_bytes += message.text.len() as u64;
        Ok(())
    }

    fn diagnostic(&mut self, _: Diagnostic) {
        self.diagnostics += 1;
    }
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: count EXPORT");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let mut count = Count::default();
    let result = Input::file(&path).and_then(|input| {
        let format = detect(&input)?;
        format.parse(&input, &Options::default(), &mut count)?;
        Ok(format)
    });
    let elapsed = started.elapsed();
    match result {
        Ok(format) => {
            println!(
                "format {format}, messages {}, system lines {}, diagnostics {}, text bytes {}, elapsed {:.1} ms",
                count.messages,
                count.system,
                count.diagnostics,
                count.text_bytes,
                elapsed.as_secs_f64() * 1000.0
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}
