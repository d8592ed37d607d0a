//! The features of one message.

use crate::vader::{Sentiment, sentiment};

/// What one message shows, computed once at import and stored.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Features {
    pub sentiment: Sentiment,
    /// Mean sentiment of the message's emoji in [-1, 1]; 0 without emoji.
    pub emoji_sentiment: f32,
    pub emoji: u32,
    pub flags: Flags,
    pub words: u32,
    pub chars: u32,
    pub style: Style,
}

/// Yes/no features of a message, as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u16);

impl Flags {
    pub const QUESTION: Flags = Flags(1);
    pub const EXCLAMATION: Flags = Flags(1 << 1);
    pub const GRATITUDE: Flags = Flags(1 << 2);
    pub const APOLOGY: Flags = Flags(1 << 3);
    pub const GOOD_NEWS: Flags = Flags(1 << 4);
    pub const HARD_NEWS: Flags = Flags(1 << 5);
    pub const DISCLOSURE: Flags = Flags(1 << 6);
    pub const SUPPORT: Flags = Flags(1 << 7);

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }
}

/// Counts of closed-class (style) words in a message, one per
/// [`StyleCategory`], packed 7 bits each (saturating at 127).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style(pub u64);

/// The closed-class word categories of language style matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StyleCategory {
    PersonalPronoun,
    ImpersonalPronoun,
    Article,
    Conjunction,
    Preposition,
    AuxiliaryVerb,
    Adverb,
    Negation,
    Quantifier,
}

impl StyleCategory {
    pub const ALL: [StyleCategory; 9] = [
        StyleCategory::PersonalPronoun,
        StyleCategory::ImpersonalPronoun,
        StyleCategory::Article,
        StyleCategory::Conjunction,
        StyleCategory::Preposition,
        StyleCategory::AuxiliaryVerb,
        StyleCategory::Adverb,
        StyleCategory::Negation,
        StyleCategory::Quantifier,
    ];
}

impl Style {
    pub fn count(self, category: StyleCategory) -> u32 {
        ((self.0 >> (category as u32 * 7)) & 0x7f) as u32
    }

    pub fn add(&mut self, category: StyleCategory) {
        if self.count(category) < 0x7f {
            self.0 += 1 << (category as u32 * 7);
        }
    }
}

/// Computes every feature of one message's text.
pub fn features(text: &str) -> Features {
    // Placeholder until the detectors land: sentiment and sizes only.
    Features {
        sentiment: sentiment(text),
        words: text.split_whitespace().count() as u32,
        chars: text.chars().count() as u32,
        ..Features::default()
    }
}

/// Language style matching of two sides' closed-class word counts, [0, 1];
/// `None` when either side wrote no words.
pub fn style_matching(a: &[u32; 9], a_words: u32, b: &[u32; 9], b_words: u32) -> Option<f64> {
    if a_words == 0 || b_words == 0 {
        return None;
    }
    let score = a.iter().zip(b).map(|(&x, &y)| {
        let (pa, pb) = (
            f64::from(x) / f64::from(a_words),
            f64::from(y) / f64::from(b_words),
        );
        1.0 - (pa - pb).abs() / (pa + pb + 0.0001)
    });
    Some(score.sum::<f64>() / 9.0)
}
