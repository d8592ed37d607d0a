//! `mutual features`: the text features of messages read from stdin, one
//! per line, as the import computes them. Nothing is stored.

use std::io::{BufRead, Write};

use anyhow::Result;
use mutual_analysis::text::{Features, Flags, features};
use serde_json::json;

use crate::app::App;
use crate::error::bad;

/// Show what mutual reads in each message: sentiment, questions, gratitude, news
#[derive(Debug, clap::Args)]
#[command(after_help = "Reads one message per line on stdin; prints one line (or JSON object) per message.")]
pub(crate) struct Args {
    /// One JSON object per line
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args, _app: &App) -> Result<()> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (i, line) in stdin.split(b'\n').enumerate() {
        let line = line?;
        let text = std::str::from_utf8(&line).map_err(|e| {
            bad(format!(
                "stdin line {}: not UTF-8 text (byte {}); expected one UTF-8 message per line",
                i + 1,
                e.valid_up_to() + 1
            ))
        })?;
        let text = text.strip_suffix('\r').unwrap_or(text);
        let f = features(text);
        if args.json {
            serde_json::to_writer(&mut out, &object(&f))?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}", summary(&f))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// What the flags of a message are called, in JSON and in words.
const FLAGS: [(Flags, &str); 8] = [
    (Flags::QUESTION, "question"),
    (Flags::EXCLAMATION, "exclamation"),
    (Flags::GRATITUDE, "gratitude"),
    (Flags::APOLOGY, "apology"),
    (Flags::GOOD_NEWS, "good_news"),
    (Flags::HARD_NEWS, "hard_news"),
    (Flags::DISCLOSURE, "disclosure"),
    (Flags::SUPPORT, "support"),
];

fn object(f: &Features) -> serde_json::Value {
    let mut o = json!({
        "neg": f.sentiment.neg,
        "neu": f.sentiment.neu,
        "pos": f.sentiment.pos,
        "compound": f.sentiment.compound,
        "emoji_sentiment": (f64::from(f.emoji_sentiment) * 1000.0).round() / 1000.0,
        "emoji": f.emoji,
        "words": f.words,
        "chars": f.chars,
    });
    for (flag, name) in FLAGS {
        o[name] = f.flags.contains(flag).into();
    }
    o
}

/// Stored features (in the table's integer units) as the same object,
/// without the counts, which a stored message carries beside them.
pub(crate) fn stored_object(f: &mutual_store::StoredFeatures) -> serde_json::Value {
    let mut o = json!({
        "neg": f64::from(f.neg) / 1000.0,
        "neu": f64::from(f.neu) / 1000.0,
        "pos": f64::from(f.pos) / 1000.0,
        "compound": f64::from(f.compound) / 10000.0,
        "emoji_sentiment": f64::from(f.emoji_sentiment) / 1000.0,
    });
    for (flag, name) in FLAGS {
        o[name] = Flags(f.flags).contains(flag).into();
    }
    o
}

fn summary(f: &Features) -> String {
    let flags: Vec<&str> = FLAGS
        .iter()
        .filter(|(flag, _)| f.flags.contains(*flag))
        .map(|(_, name)| *name)
        .collect();
    format!(
        "compound {:+.4}  words {:>3}  {}",
        f.sentiment.compound,
        f.words,
        if flags.is_empty() {
            "-".to_owned()
        } else {
            flags.join(", ").replace('_', " ")
        }
    )
}
