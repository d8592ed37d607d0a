//! The features of one message: sentiment, emoji, sizes, style words and
//! yes/no flags (a question, thanks, an apology, good or hard news, a
//! disclosure, support offered).
//!
//! The flags come from word and phrase lists in `data/` matched on word
//! boundaries, not from a model: cheap (about five times the cost of
//! `split_whitespace().count()` on the same text, see
//! `benches/features.rs`), explainable, and English chat language first.
//! Precision is high; recall is lower for news, disclosure and support
//! phrased in ways the lists do not know. Both are measured on a
//! hand-labelled set, `tests/data/labelled.tsv`:
//! `cargo run -p mutual-analysis --example detectors` prints the table.

mod lex;
mod lexicon;
pub mod model;
mod scan;
mod trie;

use crate::lang::Lang;
use crate::vader::Sentiment;

/// What one message shows, computed once at import and stored.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Features {
    /// The language the message was read in; `None` for a language
    /// `mutual` cannot read, whose tone is not measured.
    pub lang: Option<Lang>,
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

    /// Every flag with its name in the labelled sets and the data files.
    pub const NAMED: [(&'static str, Flags); 8] = [
        ("QUESTION", Flags::QUESTION),
        ("EXCLAMATION", Flags::EXCLAMATION),
        ("GRATITUDE", Flags::GRATITUDE),
        ("APOLOGY", Flags::APOLOGY),
        ("GOOD_NEWS", Flags::GOOD_NEWS),
        ("HARD_NEWS", Flags::HARD_NEWS),
        ("DISCLOSURE", Flags::DISCLOSURE),
        ("SUPPORT", Flags::SUPPORT),
    ];

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }
}

/// The flags by name, comma-separated, as the labelled sets write them;
/// `-` for none.
impl std::fmt::Display for Flags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = Flags::NAMED
            .iter()
            .filter(|(_, flag)| self.contains(*flag))
            .map(|(name, _)| *name)
            .collect();
        if names.is_empty() {
            f.pad("-")
        } else {
            f.pad(&names.join(","))
        }
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

impl StyleCategory {
    /// The name used in `data/style_words.tsv`.
    pub fn name(self) -> &'static str {
        match self {
            StyleCategory::PersonalPronoun => "personal-pronoun",
            StyleCategory::ImpersonalPronoun => "impersonal-pronoun",
            StyleCategory::Article => "article",
            StyleCategory::Conjunction => "conjunction",
            StyleCategory::Preposition => "preposition",
            StyleCategory::AuxiliaryVerb => "auxiliary-verb",
            StyleCategory::Adverb => "adverb",
            StyleCategory::Negation => "negation",
            StyleCategory::Quantifier => "quantifier",
        }
    }
}

impl Style {
    /// The count of every category, in [`StyleCategory::ALL`] order: the
    /// shape [`style_matching`] sums over.
    pub fn counts(self) -> [u32; 9] {
        StyleCategory::ALL.map(|category| self.count(category))
    }

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
    features_in(text, Lang::En)
}

/// The features of a message written in `lang`: its sentiment lexicon and
/// rules, its detectors and its style words, and outside English the
/// language's model read beside them ([`model`]): there the flags are the
/// lists' weighed by the model and `compound` carries the model's tone
/// (VADER's score where it agrees), while `neg`, `neu` and `pos` stay
/// VADER's shares of the words.
pub fn features_in(text: &str, lang: Lang) -> Features {
    let mut features = listed_features_in(text, lang);
    if let Some(model) = model::model(lang) {
        let reading = model.read(text, features.sentiment.compound, features.flags);
        features.sentiment.compound = reading.compound;
        features.flags = reading.flags;
    }
    features
}

/// The features the word lists alone find: VADER's sentiment with the
/// language's lexicon and the detectors' flags, without the model. The
/// model is trained on these.
pub fn listed_features_in(text: &str, lang: Lang) -> Features {
    let scan = scan::scan(&lexicon::LEXICONS[lang.index()], text);
    Features {
        lang: Some(lang),
        sentiment: crate::vader::sentiment_in(text, lang),
        emoji_sentiment: scan.emoji_sentiment,
        emoji: scan.emoji,
        flags: scan.flags,
        words: scan.words,
        chars: scan.chars,
        style: scan.style,
    }
}

/// The features of a message in a language `mutual` cannot read: its sizes
/// and its emoji, and no tone, flags or style words (`lang` is `None`: the
/// tone was not measured).
pub fn features_unread(text: &str) -> Features {
    let scan = scan::scan(&lexicon::LEXICONS[Lang::En.index()], text);
    Features {
        lang: None,
        sentiment: crate::vader::Sentiment::default(),
        emoji_sentiment: scan.emoji_sentiment,
        emoji: scan.emoji,
        flags: Flags::default(),
        words: scan.words,
        chars: scan.chars,
        style: Style::default(),
    }
}

/// The closed-class words of a language, as its style-word list has them.
pub(crate) fn style_word_list(lang: Lang) -> impl Iterator<Item = &'static str> {
    lexicon::FILES[lang.index()]
        .style_words
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split('\t').nth(1))
}

/// Language style matching (Ireland and Pennebaker) between two sides, from
/// their style-word counts per [`StyleCategory`] (in `ALL` order, summed over
/// any number of messages) and their word counts: per category
/// 1 − |pa − pb| / (pa + pb + 0.0001), with p the share of a side's words in
/// that category, averaged over the nine categories. 1 is perfectly matched
/// style. `None` when either side has no words.
pub fn style_matching(a: &[u32; 9], a_words: u32, b: &[u32; 9], b_words: u32) -> Option<f64> {
    if a_words == 0 || b_words == 0 {
        return None;
    }
    let total: f64 = a
        .iter()
        .zip(b)
        .map(|(&a_count, &b_count)| {
            let pa = f64::from(a_count) / f64::from(a_words);
            let pb = f64::from(b_count) / f64::from(b_words);
            1.0 - (pa - pb).abs() / (pa + pb + 0.0001)
        })
        .sum();
    Some(total / a.len() as f64)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn flags_are_named_as_the_labelled_sets_write_them() {
        assert_eq!(Flags::default().to_string(), "-");
        assert_eq!(
            Flags(Flags::QUESTION.0 | Flags::SUPPORT.0).to_string(),
            "QUESTION,SUPPORT"
        );
        assert_eq!(format!("{:<4}|", Flags::default()), "-   |");
    }

    #[test]
    fn outside_english_the_model_reads_what_no_word_of_feeling_says() {
        // Good news with no word of feeling is warm, and the model adds the
        // flag; a confidence with none is heavy.
        let news = features_in("me han cogido en el máster!!!", Lang::Es);
        assert!(news.sentiment.compound >= 0.05, "{news:?}");
        assert!(news.flags.contains(Flags::GOOD_NEWS), "{news:?}");
        let tired = features_in("ich kann einfach nicht mehr", Lang::De);
        assert!(tired.sentiment.compound <= -0.05, "{tired:?}");
        assert!(tired.flags.contains(Flags::DISCLOSURE), "{tired:?}");
        // The lists alone, and English, are VADER's as they were.
        let listed = listed_features_in("ich kann einfach nicht mehr", Lang::De);
        assert_eq!(
            listed.sentiment,
            crate::vader::sentiment_in("ich kann einfach nicht mehr", Lang::De)
        );
        let english = features_in("I can't anymore", Lang::En);
        assert_eq!(english.sentiment, crate::vader::sentiment("I can't anymore"));
    }

    proptest! {
        #[test]
        fn any_text_is_featurised(text in "(\\PC|[ \n\ta-zA-Z'’,.!?😂🙏❤️👍🏽\u{200d}\u{fe0f}-]){0,120}") {
            let f = features(&text);
            prop_assert_eq!(f.chars as usize, text.chars().count());
            let words = text.split_whitespace().filter(|t| t.chars().any(char::is_alphanumeric)).count();
            prop_assert_eq!(f.words as usize, words);
            prop_assert!(f.emoji <= f.chars);
            prop_assert!((-1.0..=1.0).contains(&f.emoji_sentiment));
        }

        /// In every language the tone is a finite compound in [-1, 1]; the
        /// model changes the tone and the flags it weighs, never the sizes,
        /// the style words or an exclamation, and English is the lists'.
        #[test]
        fn any_text_is_read_in_any_language(
            text in "(\\PC|[ \n\ta-zA-ZáéíóúàèçãõâêäöüßñÀÉ'’,.!?¿¡😂🙏❤️😭👍🏽\u{200d}\u{fe0f}-]){0,120}",
            lang in proptest::sample::select(Lang::ALL.to_vec()),
        ) {
            let f = features_in(&text, lang);
            let listed = listed_features_in(&text, lang);
            prop_assert!(f.sentiment.compound.is_finite());
            prop_assert!((-1.0..=1.0).contains(&f.sentiment.compound), "{}", f.sentiment.compound);
            prop_assert_eq!(f.words, listed.words);
            prop_assert_eq!(f.style, listed.style);
            let untouched = Flags::EXCLAMATION.0;
            prop_assert_eq!(f.flags.0 & untouched, listed.flags.0 & untouched);
            if lang == Lang::En {
                prop_assert_eq!(f, listed);
            }
        }
    }

    fn flags(text: &str) -> Flags {
        features(text).flags
    }

    /// Asserts that each text has `flag` (or has not).
    fn check(flag: Flags, yes: &[&str], no: &[&str]) {
        for text in yes {
            assert!(flags(text).contains(flag), "{flag:?} missed in {text:?}");
        }
        for text in no {
            assert!(!flags(text).contains(flag), "{flag:?} wrongly found in {text:?}");
        }
    }

    #[test]
    fn questions() {
        check(
            Flags::QUESTION,
            &[
                "are you free tomorrow",
                "how was your weekend",
                "did u see that",
                "Fancy a drink after work",
                "long day. anyway what's the plan",
                "so that's a no?",
                "wait, you're leaving?!",
                "I was wondering if you still have my book",
            ],
            &[
                "see you at 8",
                "how lovely is that?!",
                "guess what",
                "who cares?",
                "can't believe it",
                "would be great to see you",
                "have a great trip",
            ],
        );
    }

    #[test]
    fn exclamations() {
        check(
            Flags::EXCLAMATION,
            &["yes!", "no way‼", "wow！", "done ❗"],
            &["ok.", "fine", "?"],
        );
    }

    #[test]
    fn gratitude() {
        check(
            Flags::GRATITUDE,
            &[
                "thanks for tonight",
                "Thank you so much!!",
                "thx",
                "really appreciate it",
                "that means so much",
                "cheers mate",
                "🙏",
                "I'm grateful for you",
                "thnaks",
            ],
            &[
                "no thanks",
                "thanks but no thanks",
                "Thanks for nothing.",
                "thank god that's over",
                "no need to thank me",
                "we stayed in thanks to the rain",
                "hope the op goes well 🙏",
                "thanks for finishing the milk 🙄",
            ],
        );
    }

    #[test]
    fn apologies() {
        check(
            Flags::APOLOGY,
            &[
                "sorry I'm late",
                "so sorry, I forgot",
                "my bad",
                "apologies for the delay",
                "I apologize",
                "I owe you an apology",
                "sry running late",
            ],
            &[
                "sorry to hear that",
                "I'm not sorry",
                "sorry not sorry",
                "sorry?",
                "sorry, what did you say",
                "that's awful, I'm so sorry",
                "don't apologise",
            ],
        );
    }

    #[test]
    fn good_news() {
        check(
            Flags::GOOD_NEWS,
            &[
                "I got the job!",
                "we're engaged",
                "passed my driving test",
                "got promoted today",
                "finally finished my thesis",
                "the scan was clear",
                "omg we got the flat",
            ],
            &[
                "my sister got engaged",
                "I didn't get the job",
                "how's the new job?",
                "congrats on the job!",
            ],
        );
    }

    #[test]
    fn hard_news() {
        check(
            Flags::HARD_NEWS,
            &[
                "my dad is in hospital",
                "I got laid off",
                "we broke up",
                "my gran passed away last night",
                "I didn't get the job",
                "had to put the dog down",
            ],
            &[
                "so sorry to hear about the diagnosis",
                "is your dad still in hospital?",
                "I nearly died laughing",
                "we got the flat",
            ],
        );
    }

    #[test]
    fn disclosure() {
        check(
            Flags::DISCLOSURE,
            &[
                "I've been feeling really lonely",
                "honestly I'm scared",
                "I never told anyone but I dropped out",
                "I haven't been okay",
                "feeling a bit down today",
                "I feel like a burden",
            ],
            &[
                "I'm not lonely at all",
                "I'm worried about you",
                "I'm down for pizza",
                "feeling great today",
            ],
        );
    }

    #[test]
    fn support() {
        check(
            Flags::SUPPORT,
            &[
                "I'm here for you",
                "that sounds so hard",
                "sorry to hear",
                "proud of you",
                "let me know if you need anything",
                "want me to come over?",
                "congrats!!",
                "you've got this",
                "hope you feel better soon",
            ],
            &[
                "I'm here",
                "that sounds amazing",
                "do you want me to bring anything",
                "I got back late",
            ],
        );
    }

    #[test]
    fn flags_combine() {
        let f = flags("Sorry I missed your call! Do you want to talk?");
        assert_eq!(
            f,
            Flags(Flags::QUESTION.0 | Flags::EXCLAMATION.0 | Flags::APOLOGY.0 | Flags::SUPPORT.0)
        );
        assert_eq!(flags("ok see you then"), Flags::default());
        assert_eq!(flags(""), Flags::default());
    }

    #[test]
    fn emoji_count_and_sentiment() {
        let f = features("yay 🎉🎉 but 💔");
        assert_eq!(f.emoji, 3);
        let expected = (0.9 + 0.9 - 0.8) / 3.0;
        assert!(
            (f.emoji_sentiment - expected).abs() < 1e-6,
            "{}",
            f.emoji_sentiment
        );
        // Unrated emoji count but do not score.
        let f = features("🦫");
        assert_eq!((f.emoji, f.emoji_sentiment), (1, 0.0));
        assert_eq!(features("no emoji").emoji_sentiment, 0.0);
    }

    #[test]
    fn sizes() {
        let f = features("Héllo  there 😀 — it's 3.2kg!");
        assert_eq!(f.words, 4, "😀 and — have no letters");
        assert_eq!(f.chars, 28);
    }

    #[test]
    fn style_counts() {
        let f = features("I don't think the cat and I would ever go in there, would u?");
        let count = |c| f.style.count(c);
        assert_eq!(count(StyleCategory::PersonalPronoun), 3, "I, I, u");
        assert_eq!(count(StyleCategory::ImpersonalPronoun), 0);
        assert_eq!(count(StyleCategory::Article), 1);
        assert_eq!(count(StyleCategory::Conjunction), 1);
        assert_eq!(count(StyleCategory::Preposition), 1);
        assert_eq!(count(StyleCategory::AuxiliaryVerb), 3, "don't, would, would");
        assert_eq!(count(StyleCategory::Adverb), 2, "ever, there");
        assert_eq!(count(StyleCategory::Negation), 1);
        assert_eq!(count(StyleCategory::Quantifier), 0);
        assert_eq!(f.style.counts().iter().sum::<u32>(), 12);
        // Contractions count in both their parts.
        let f = features("I'm sure it's fine");
        assert_eq!(f.style.count(StyleCategory::PersonalPronoun), 1);
        assert_eq!(f.style.count(StyleCategory::AuxiliaryVerb), 1);
        assert_eq!(f.style.count(StyleCategory::ImpersonalPronoun), 1);
    }

    #[test]
    fn style_counts_saturate() {
        let f = features(&"the ".repeat(300));
        assert_eq!(f.style.count(StyleCategory::Article), 127);
        assert_eq!(f.style.count(StyleCategory::PersonalPronoun), 0);
    }

    #[test]
    fn style_matching_follows_the_formula() {
        let a = [2, 1, 1, 0, 0, 0, 0, 0, 0];
        assert_eq!(style_matching(&a, 10, &a, 10), Some(1.0));
        assert_eq!(style_matching(&a, 0, &a, 10), None);
        assert_eq!(style_matching(&a, 10, &a, 0), None);
        // One category differs: 0.2 against 0.1 gives 1 - 0.1/0.3001.
        let b = [1, 1, 1, 0, 0, 0, 0, 0, 0];
        let expected = (8.0 + 1.0 - 0.1 / 0.3001) / 9.0;
        let lsm = style_matching(&a, 10, &b, 10).expect("both have words");
        assert!((lsm - expected).abs() < 1e-12, "{lsm}");
        // Symmetric, and in [0, 1].
        assert_eq!(style_matching(&b, 10, &a, 10), Some(lsm));
        let c = [0, 0, 0, 0, 0, 0, 0, 0, 5];
        let lsm = style_matching(&a, 10, &c, 5).expect("both have words");
        assert!((0.0..=1.0).contains(&lsm), "{lsm}");
    }
}
