//! `mutual features`: the text features of messages read from stdin, one
//! per line, as the import computes them. Nothing is stored.

use std::io::{BufRead, Write};

use anyhow::Result;
use mutual_analysis::lang::{Evidence, Lang, Tally, evidence, features_as};
use mutual_analysis::text::{Features, Flags};
use serde_json::json;

use crate::app::App;
use crate::error::bad;

/// Show what mutual reads in each message: language, sentiment, questions, gratitude, news
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Reads one message per line on stdin; prints one line (or JSON object) per message. \
                  The lines read like one chat: a short line that does not show its language takes the \
                  language of the lines before it."
)]
pub(crate) struct Args {
    /// One JSON object per line
    #[arg(long)]
    json: bool,
    /// Read every line in this language (en, es, pt, fr, de, it) instead of finding it
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
}

pub(crate) fn run(args: Args, _app: &App) -> Result<()> {
    let given = args
        .lang
        .as_deref()
        .map(|l| crate::command::parse::<Lang>("--lang", l))
        .transpose()?;
    let mut tally = Tally::default();
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
        let reading = match given {
            Some(lang) => Evidence::Lang(lang),
            None => tally.read_text(evidence(text), text),
        };
        let f = features_as(text, reading);
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
        "lang": f.lang.map(Lang::as_str),
        "tone_measured": f.lang.is_some(),
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
    let Some(lang) = f.lang else {
        return format!(
            "tone not measured (a language mutual cannot read)  words {:>3}  emoji {}",
            f.words, f.emoji
        );
    };
    let flags: Vec<&str> = FLAGS
        .iter()
        .filter(|(flag, _)| f.flags.contains(*flag))
        .map(|(_, name)| *name)
        .collect();
    format!(
        "{lang}  compound {:+.4}  words {:>3}  {}",
        f.sentiment.compound,
        f.words,
        if flags.is_empty() {
            "-".to_owned()
        } else {
            flags.join(", ").replace('_', " ")
        }
    )
}
