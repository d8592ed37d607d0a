//! VADER on synthetic chat messages: ours against the `vader-parity` crate.
//!
//! `cargo bench -p mutual-analysis --bench vader`; each iteration scores
//! the same 1,000 seeded messages of 2 to 14 words, so the time per message
//! is the reported time divided by 1,000 (divan also shows messages/s).

use std::sync::LazyLock;

use divan::{Bencher, black_box, counter::ItemsCount};
use mutual_analysis::vader::sentiment;

fn main() {
    divan::main();
}

const MESSAGES: usize = 1_000;

const PLAIN: &[&str] = &[
    "i", "you", "we", "it", "the", "a", "to", "and", "is", "was", "at", "on", "for", "my", "your", "that",
    "this", "what", "are", "be", "see", "tomorrow", "tonight", "home", "work", "dinner", "call", "later",
    "just", "got", "there", "now", "when", "how", "we're", "i'm", "it's", "ok", "yes", "yeah", "haha",
];
const SENTIMENT: &[&str] = &[
    "good", "great", "love", "thanks", "happy", "sad", "sorry", "bad", "awful", "nice", "lol", "miss",
    "hate", "fun", "tired", "worried", "excited", "amazing", "terrible", "cool", "glad", "ugh", "best",
];
const MODIFIERS: &[&str] = &[
    "very", "so", "really", "not", "don't", "never", "kinda", "but", "no", "least", "totally", "can't",
];
const MARKS: &[&str] = &[":)", ":(", "<3", ":D", "😂", "❤️", "👍", "🙏", "😢", "🎉"];
const GLUE: &[&str] = &["!", "?", "!!", "...", ",", "."];

/// SplitMix64: a seeded generator, so that every run scores the same texts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

static CHAT: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut rng = Rng(20_140_601);
    (0..MESSAGES)
        .map(|_| {
            let words = 2 + rng.below(13);
            let mut text = String::new();
            for k in 0..words {
                if k > 0 {
                    text.push(' ');
                }
                let word = match rng.below(100) {
                    0..70 => rng.pick(PLAIN),
                    70..85 => rng.pick(SENTIMENT),
                    85..95 => rng.pick(MODIFIERS),
                    _ => rng.pick(MARKS),
                };
                if rng.below(30) == 0 {
                    text.push_str(&word.to_uppercase());
                } else {
                    text.push_str(word);
                }
                if rng.below(8) == 0 {
                    text.push_str(rng.pick(GLUE));
                }
            }
            text
        })
        .collect()
});

#[divan::bench]
fn ours(bencher: Bencher) {
    let chat = &*CHAT;
    sentiment("warm the tables up :)");
    bencher.counter(ItemsCount::new(chat.len())).bench(|| {
        for text in chat {
            black_box(sentiment(black_box(text)));
        }
    });
}

#[divan::bench]
fn vader_parity(bencher: Bencher) {
    let chat = &*CHAT;
    let analyzer = vader_parity::SentimentIntensityAnalyzer::new();
    bencher.counter(ItemsCount::new(chat.len())).bench(|| {
        for text in chat {
            black_box(analyzer.polarity_scores(black_box(text)));
        }
    });
}
