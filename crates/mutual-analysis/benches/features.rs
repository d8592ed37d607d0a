//! The features of one message, on 10,000 seeded synthetic chat messages
//! (1 to 40 words, mostly small talk, some thanks, apologies, news,
//! questions, emoji). `features` includes VADER sentiment, timed on its own
//! as `sentiment`; the difference is what `text` adds. `split_whitespace`
//! (counting words the cheapest way) is the yardstick for the machine.
//! Before the timings it prints how long the word lists take to load, once
//! per process. `other_languages` reads every message of the labelled sets
//! of es, pt, fr, de and it (`tests/data/<lang>/labelled.tsv`) in its
//! language, with each language's model; `other_languages_lists` the same
//! with the word lists alone, so the difference is what the models add.
//!
//! Run with `cargo bench -p mutual-analysis --bench features`.

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Instant;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

const MESSAGES: usize = 10_000;

const WORDS: &[&str] = &[
    "i", "you", "we", "it", "the", "a", "and", "but", "so", "to", "of", "in", "on", "at", "for", "with",
    "is", "was", "are", "have", "had", "do", "did", "can", "will", "just", "really", "not", "no", "yeah",
    "ok", "lol", "haha", "today", "tomorrow", "tonight", "later", "work", "home", "train", "dinner",
    "coffee", "weekend", "movie", "game", "mum", "dad", "kids", "dog", "time", "day", "week", "plan",
    "think", "know", "see", "going", "get", "got", "want", "need", "love", "good", "great", "bad", "tired",
    "busy", "late", "early", "back", "still", "maybe", "probably", "there", "here", "that's", "don't",
    "can't", "i'm", "it's", "what", "when", "where", "how", "some", "all", "more", "very",
];

const PHRASES: &[&str] = &[
    "thanks so much",
    "thank you",
    "sorry I'm late",
    "my bad",
    "I got the job",
    "we're engaged",
    "my dad is in hospital",
    "I got laid off",
    "I've been feeling really lonely",
    "I'm here for you",
    "that sounds so hard",
    "sorry to hear that",
    "proud of you",
    "are you free",
    "how are you",
    "want to grab a coffee",
    "no thanks",
    "let me know if you need anything",
    "congrats",
];

const ENDINGS: &[&str] = &[
    "",
    "",
    "",
    ".",
    "!",
    "?",
    "!!",
    " 😂",
    " ❤️",
    " 🙏",
    " 👍🏽",
    " 🎉🎉",
];

/// Seeded synthetic messages, the same every run.
fn messages() -> &'static [String] {
    static MESSAGES_CELL: OnceLock<Vec<String>> = OnceLock::new();
    MESSAGES_CELL.get_or_init(|| {
        let mut rng = fastrand::Rng::with_seed(2024);
        (0..MESSAGES)
            .map(|_| {
                let words = 1 + rng.usize(..12) + rng.usize(..12) * rng.usize(..3);
                let mut message = String::new();
                for i in 0..words {
                    if i > 0 {
                        message.push(' ');
                    }
                    if rng.u8(..100) < 4 {
                        message.push_str(PHRASES[rng.usize(..PHRASES.len())]);
                    } else {
                        message.push_str(WORDS[rng.usize(..WORDS.len())]);
                    }
                    if rng.u8(..100) < 6 {
                        message.push_str([",", ".", "?", "!"][rng.usize(..4)]);
                    }
                }
                message.push_str(ENDINGS[rng.usize(..ENDINGS.len())]);
                message
            })
            .collect()
    })
}

fn main() {
    let start = Instant::now();
    black_box(mutual_analysis::text::features(black_box("")));
    eprintln!(
        "word lists loaded in {:.1} ms (once per process)",
        start.elapsed().as_secs_f64() * 1e3
    );
    let start = Instant::now();
    for lang in mutual_analysis::lang::Lang::ALL {
        black_box(mutual_analysis::text::features_in(black_box(""), lang));
    }
    eprintln!(
        "every language's word lists and model loaded in {:.1} ms (once per process)",
        start.elapsed().as_secs_f64() * 1e3
    );
    let messages = messages();
    let bytes: usize = messages.iter().map(String::len).sum();
    let words: u32 = messages
        .iter()
        .map(|m| mutual_analysis::text::features(m).words)
        .sum();
    eprintln!(
        "{MESSAGES} messages, {:.1} bytes and {:.1} words a message on average",
        bytes as f64 / MESSAGES as f64,
        f64::from(words) / MESSAGES as f64
    );
    divan::main();
}

#[divan::bench]
fn features(bencher: Bencher) {
    let messages = messages();
    let bytes: usize = messages.iter().map(String::len).sum();
    bencher
        .counter(ItemsCount::new(messages.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            for message in messages {
                black_box(mutual_analysis::text::features(black_box(message)));
            }
        });
}

#[divan::bench]
fn sentiment(bencher: Bencher) {
    let messages = messages();
    bencher.counter(ItemsCount::new(messages.len())).bench(|| {
        for message in messages {
            black_box(mutual_analysis::vader::sentiment(black_box(message)));
        }
    });
}

#[divan::bench]
fn split_whitespace(bencher: Bencher) {
    let messages = messages();
    bencher.counter(ItemsCount::new(messages.len())).bench(|| {
        for message in messages {
            black_box(black_box(message).split_whitespace().count());
        }
    });
}

/// A message's language from its own words (and, rarely, `whatlang`), as
/// the import reads every text before its features.
#[divan::bench]
fn language(bencher: Bencher) {
    let messages = messages();
    bencher.counter(ItemsCount::new(messages.len())).bench(|| {
        for message in messages {
            black_box(mutual_analysis::lang::evidence(black_box(message)));
        }
    });
}

/// Every labelled message of the other languages, with its language.
fn other_messages() -> &'static [(mutual_analysis::lang::Lang, &'static str)] {
    use mutual_analysis::lang::Lang;
    static CELL: OnceLock<Vec<(Lang, &'static str)>> = OnceLock::new();
    CELL.get_or_init(|| {
        [
            (Lang::Es, include_str!("../tests/data/es/labelled.tsv")),
            (Lang::Pt, include_str!("../tests/data/pt/labelled.tsv")),
            (Lang::Fr, include_str!("../tests/data/fr/labelled.tsv")),
            (Lang::De, include_str!("../tests/data/de/labelled.tsv")),
            (Lang::It, include_str!("../tests/data/it/labelled.tsv")),
        ]
        .into_iter()
        .flat_map(|(lang, set)| {
            set.lines()
                .filter(|line| !line.starts_with('#'))
                .filter_map(move |line| Some((lang, line.split('\t').nth(3)?)))
        })
        .collect()
    })
}

#[divan::bench]
fn other_languages(bencher: Bencher) {
    let messages = other_messages();
    bencher.counter(ItemsCount::new(messages.len())).bench(|| {
        for &(lang, message) in messages {
            black_box(mutual_analysis::text::features_in(black_box(message), lang));
        }
    });
}

#[divan::bench]
fn other_languages_lists(bencher: Bencher) {
    let messages = other_messages();
    bencher.counter(ItemsCount::new(messages.len())).bench(|| {
        for &(lang, message) in messages {
            black_box(mutual_analysis::text::listed_features_in(
                black_box(message),
                lang,
            ));
        }
    });
}
