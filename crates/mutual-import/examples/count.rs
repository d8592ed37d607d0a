//! Parses one export with a sink that only counts, and says how long it took:
//!
//! ```text
//! cargo run --release --example count -p mutual-import -- "WhatsApp Chat with Sam.txt"
//! ```
//!
//! With `--survey` first, it surveys the export as `mutual import --dry-run`
//! does (a large WhatsApp file in parallel parts) instead.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use mutual_import::{Diagnostic, Input, Kind, Message, Options, Sink, Stop, detect, survey};

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
    let mut args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let surveyed = args.first().is_some_and(|a| a.as_os_str() == "--survey");
    if surveyed {
        args.remove(0);
    }
    let Some(path) = args.pop() else {
        eprintln!("usage: count [--survey] EXPORT");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    if surveyed {
        let result = Input::file(&path).and_then(|input| {
            let format = detect(&input)?;
            Ok((format, survey(&input, format, &Options::default())?))
        });
        let elapsed = started.elapsed();
        return match result {
            Ok((format, s)) => {
                println!(
                    "format {format}, messages {}, system lines {}, senders {}, diagnostics {}, elapsed {:.1} ms",
                    s.messages,
                    s.system,
                    s.senders.len(),
                    s.diagnostics.len(),
                    elapsed.as_secs_f64() * 1000.0
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                ExitCode::from(2)
            }
        };
    }
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
