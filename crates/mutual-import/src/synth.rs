//! Seeded synthetic chats written in real export layouts, for benchmarks,
//! tests and the demo. The same seed gives the same bytes.
//!
//! ```text
//! 12/03/21, 14:05 - Sam Lee: how did the interview go
//! 12/03/21, 14:07 - Alex: really well actually
//! ```

use std::io::{self, Write};

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::Kind;

/// Words the generator strings into messages (written for this project).
const WORDS: &[&str] = &[
    "hey",
    "how",
    "are",
    "you",
    "doing",
    "today",
    "I",
    "was",
    "thinking",
    "about",
    "that",
    "walk",
    "we",
    "took",
    "last",
    "week",
    "the",
    "coffee",
    "place",
    "near",
    "station",
    "is",
    "open",
    "again",
    "did",
    "your",
    "interview",
    "go",
    "well",
    "really",
    "glad",
    "to",
    "hear",
    "it",
    "tired",
    "but",
    "good",
    "want",
    "call",
    "later",
    "tonight",
    "maybe",
    "tomorrow",
    "morning",
    "thanks",
    "for",
    "listening",
    "yesterday",
    "meant",
    "a",
    "lot",
    "me",
    "sorry",
    "missed",
    "message",
    "busy",
    "at",
    "work",
    "new",
    "project",
    "started",
    "so",
    "much",
    "going",
    "on",
    "let's",
    "plan",
    "something",
    "soon",
    "weekend",
    "free",
    "could",
    "do",
    "dinner",
    "Friday",
    "sounds",
    "great",
    "see",
    "there",
    "haha",
    "yes",
    "no",
    "sure",
    "love",
    "this",
    "photo",
    "book",
    "finished",
    "reading",
    "recommend",
    "one",
    "miss",
    "our",
    "talks",
    "congrats",
    "proud",
    "of",
    "!",
    "?",
    "🙂",
    "🎉",
    "❤️",
];

/// The shared chat-export fixtures (`../shared/fixtures/chat-samples` beside
/// the repository), or the folder `MUTUAL_FIXTURES` names, for tests.
pub fn fixtures_dir() -> std::path::PathBuf {
    match std::env::var_os("MUTUAL_FIXTURES") {
        Some(dir) if !dir.is_empty() => dir.into(),
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/chat-samples"),
    }
}

/// One generated message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthMessage {
    /// Index into the generator's people; `None` for a system line.
    pub sender: Option<usize>,
    pub local: DateTime,
    pub kind: Kind,
    /// The text (one or more lines); empty for media.
    pub text: String,
}

/// An endless, seeded stream of messages between a few people: bursts of
/// conversation separated by hours, some multi-line, some media, a rare
/// system line.
#[derive(Debug)]
pub struct Generator {
    rng: fastrand::Rng,
    people: Vec<String>,
    now: DateTime,
    last: usize,
}

impl Generator {
    pub fn new(seed: u64, people: &[&str], start: DateTime) -> Self {
        Generator {
            rng: fastrand::Rng::with_seed(seed),
            people: people.iter().map(|p| (*p).to_owned()).collect(),
            now: start,
            last: 0,
        }
    }

    pub fn people(&self) -> &[String] {
        &self.people
    }

    /// The next message, later than (or as late as) the previous one.
    pub fn next_message(&mut self) -> SynthMessage {
        let gap_seconds = if self.rng.u8(..) < 30 {
            self.rng.i64(3_600..40_000)
        } else {
            self.rng.i64(5..600)
        };
        self.now = self
            .now
            .checked_add(jiff::SignedDuration::from_secs(gap_seconds))
            .unwrap_or(self.now);
        let roll = self.rng.u16(..1000);
        if roll == 0 {
            return SynthMessage {
                sender: None,
                local: self.now,
                kind: Kind::System,
                text: "Messages and calls are end-to-end encrypted.".into(),
            };
        }
        // Mostly alternate, sometimes the same person writes twice.
        if self.rng.u8(..) < 170 {
            self.last = (self.last + 1) % self.people.len().max(1);
        }
        if roll < 30 {
            return SynthMessage {
                sender: Some(self.last),
                local: self.now,
                kind: Kind::Media,
                text: String::new(),
            };
        }
        let mut text = String::new();
        let lines = if roll < 110 { self.rng.usize(2..4) } else { 1 };
        for line in 0..lines {
            if line > 0 {
                text.push('\n');
            }
            for i in 0..self.rng.usize(2..14) {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(WORDS[self.rng.usize(..WORDS.len())]);
            }
        }
        SynthMessage {
            sender: Some(self.last),
            local: self.now,
            kind: Kind::Text,
            text,
        }
    }
}

/// Writes `count` messages as an Android WhatsApp export (`D/M/YY, HH:MM - Name: text`).
pub fn write_whatsapp(out: &mut impl Write, generator: &mut Generator, count: usize) -> io::Result<()> {
    for _ in 0..count {
        let m = generator.next_message();
        let sender = m.sender.map(|s| generator.people[s].as_str());
        let text = if m.kind == Kind::Media {
            "<Media omitted>"
        } else {
            m.text.as_str()
        };
        write_whatsapp_line(out, m.local, sender, text)?;
    }
    Ok(())
}

/// Writes one line of an Android WhatsApp export: a message, or a system
/// line without a sender.
pub fn write_whatsapp_line(
    out: &mut impl Write,
    t: DateTime,
    sender: Option<&str>,
    text: &str,
) -> io::Result<()> {
    write!(
        out,
        "{}/{}/{:02}, {:02}:{:02} - ",
        t.day(),
        t.month(),
        t.year() % 100,
        t.hour(),
        t.minute()
    )?;
    match sender {
        None => writeln!(out, "{text}"),
        Some(name) => writeln!(out, "{name}: {text}"),
    }
}

/// Writes `count` messages as a Telegram Desktop single-chat `result.json`
/// (one-space indentation, like the app), with times in `tz`.
pub fn write_telegram(
    out: &mut impl Write,
    generator: &mut Generator,
    count: usize,
    tz: &TimeZone,
) -> io::Result<()> {
    let chat = generator.people.get(1).cloned().unwrap_or_default();
    let people = generator.people.clone();
    let messages = std::iter::repeat_with(|| generator.next_message()).take(count);
    write_telegram_messages(out, &chat, &people, messages, tz)
}

/// Writes `messages` (senders indexing `people`) as a Telegram Desktop
/// single-chat `result.json` named `chat`, with times in `tz`.
pub fn write_telegram_messages(
    out: &mut impl Write,
    chat: &str,
    people: &[String],
    messages: impl IntoIterator<Item = SynthMessage>,
    tz: &TimeZone,
) -> io::Result<()> {
    write!(
        out,
        "{{\n \"name\": {},\n \"type\": \"personal_chat\",\n \"id\": 4000001,\n \"messages\": [",
        json(chat)
    )?;
    for (id, m) in (1_u64..).zip(messages) {
        let unix = tz
            .to_ambiguous_timestamp(m.local)
            .compatible()
            .map(|t| t.as_second())
            .unwrap_or_default();
        let date = m.local.strftime("%Y-%m-%dT%H:%M:%S");
        if id > 1 {
            out.write_all(b",")?;
        }
        write!(out, "\n  {{\n   \"id\": {id},\n")?;
        match m.sender {
            None => write!(
                out,
                "   \"type\": \"service\",\n   \"date\": \"{date}\",\n   \"date_unixtime\": \"{unix}\",\n   \"actor\": {},\n   \"actor_id\": \"user4000001\",\n   \"action\": \"pin_message\",\n   \"message_id\": {},\n   \"text\": \"\",\n   \"text_entities\": []\n  }}",
                json(chat),
                id.saturating_sub(1)
            )?,
            Some(s) => {
                let name = json(people.get(s).map_or("", String::as_str));
                write!(
                    out,
                    "   \"type\": \"message\",\n   \"date\": \"{date}\",\n   \"date_unixtime\": \"{unix}\",\n   \"from\": {name},\n   \"from_id\": \"user{}\",\n",
                    4_000_000 + s
                )?;
                if m.kind == Kind::Media {
                    write!(
                        out,
                        "   \"photo\": \"photos/photo_{id}.jpg\",\n   \"width\": 1280,\n   \"height\": 960,\n   \"text\": \"\",\n   \"text_entities\": []\n  }}"
                    )?;
                } else {
                    let text = json(&m.text);
                    write!(
                        out,
                        "   \"text\": {text},\n   \"text_entities\": [\n    {{\n     \"type\": \"plain\",\n     \"text\": {text}\n    }}\n   ]\n  }}"
                    )?;
                }
            }
        }
    }
    out.write_all(b"\n ]\n}\n")
}

fn json(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_export() {
        let start = date(2021, 3, 1).at(9, 0, 0, 0);
        let export = |seed| {
            let mut out = Vec::new();
            write_whatsapp(
                &mut out,
                &mut Generator::new(seed, &["Sam Lee", "Alex"], start),
                200,
            )
            .expect("in memory");
            out
        };
        assert_eq!(export(1), export(1));
        assert_ne!(export(1), export(2));
        let text = String::from_utf8(export(1)).expect("utf-8");
        assert!(text.lines().any(|l| l.contains(" - Sam Lee: ")));
        assert!(text.lines().any(|l| l.ends_with("<Media omitted>")));
    }

    #[test]
    fn telegram_output_is_json() {
        let mut out = Vec::new();
        let mut generator = Generator::new(3, &["Me", "Sam"], date(2021, 3, 1).at(9, 0, 0, 0));
        write_telegram(&mut out, &mut generator, 500, &TimeZone::UTC).expect("in memory");
        let value: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(value["messages"].as_array().map(Vec::len), Some(500));
        assert_eq!(value["name"], "Sam");
    }
}
