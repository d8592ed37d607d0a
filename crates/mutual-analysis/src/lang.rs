//! The languages whose messages `mutual` reads, and which one a message is
//! written in.
//!
//! A message's own words decide where they can: its closed-class words
//! (the style words of each language, `data/<lang>/style_words.tsv`) are
//! the best evidence a short chat message has, and they cost one lookup a
//! word. A message in another script (Devanagari, Arabic, Han, ...) is in a
//! language `mutual` cannot read. A longer message in the Latin script with
//! no evidence is given to `whatlang`, which is too slow to run on every
//! message (tens of microseconds each) but tells a Dutch or Turkish text
//! from ours. What is left (`ok`, `jaja`, an emoji) takes the language of
//! its chat: the caller decides that, from the evidence of the chat's other
//! messages.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// A small, fast hash for short words (no attacker chooses the keys: they
/// are the bundled word lists).
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 =
                (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A language whose messages `mutual` reads: sentiment, the detectors and
/// the style words each have data for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    En,
    Es,
    Pt,
    Fr,
    De,
    It,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Es, Lang::Pt, Lang::Fr, Lang::De, Lang::It];

    /// The ISO 639-1 code, used in the store and in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::It => "it",
        }
    }

    /// The language's name, in English.
    pub const fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Spanish",
            Lang::Pt => "Portuguese",
            Lang::Fr => "French",
            Lang::De => "German",
            Lang::It => "Italian",
        }
    }

    /// Its place in [`Lang::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown language '{s}'; expected one of: en, es, pt, fr, de, it"))
    }
}

/// What a message's own text says about its language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Written in this language.
    Lang(Lang),
    /// Written in a language `mutual` cannot read.
    Unread,
    /// Too little to tell (a short message, emoji only): its chat's language.
    None,
}

/// How often each language (and an unread one) was read in a chat: the
/// language its short messages take.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally([u32; Lang::ALL.len() + 1]);

impl Tally {
    /// Counts `n` messages read as `evidence` (nothing for [`Evidence::None`]).
    pub fn add(&mut self, evidence: Evidence, n: u32) {
        let at = match evidence {
            Evidence::Lang(lang) => lang.index(),
            Evidence::Unread => Lang::ALL.len(),
            Evidence::None => return,
        };
        self.0[at] = self.0[at].saturating_add(n);
    }

    /// The language read most often (the first in [`Lang::ALL`] on a tie,
    /// an unread one last); [`Evidence::None`] before anything was read.
    pub fn most(&self) -> Evidence {
        let Some((at, &n)) = self
            .0
            .iter()
            .enumerate()
            .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
        else {
            return Evidence::None;
        };
        match Lang::ALL.get(at) {
            _ if n == 0 => Evidence::None,
            Some(&lang) => Evidence::Lang(lang),
            None => Evidence::Unread,
        }
    }

    /// The language a message with `evidence` is read in: its own, else the
    /// tally's (which it then counts toward when it had its own).
    pub fn read(&mut self, evidence: Evidence) -> Evidence {
        match evidence {
            Evidence::None => self.most(),
            own => {
                self.add(own, 1);
                own
            }
        }
    }
}

/// The features of a text read as `reading`: in its language, without tone
/// for an unread one, in English when nothing tells.
pub fn features_as(text: &str, reading: Evidence) -> crate::text::Features {
    match reading {
        Evidence::Lang(lang) => crate::text::features_in(text, lang),
        Evidence::Unread => crate::text::features_unread(text),
        Evidence::None => crate::text::features(text),
    }
}

/// The language of a message's text, as far as the text alone tells.
pub fn evidence(text: &str) -> Evidence {
    let mut latin = 0usize;
    let mut other = 0usize;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if is_latin(c) {
            latin += 1;
        } else {
            other += 1;
        }
    }
    if other > latin {
        return Evidence::Unread;
    }
    if let Some(lang) = by_words(text) {
        return Evidence::Lang(lang);
    }
    if latin >= LONG_ENOUGH {
        return by_whatlang(text);
    }
    Evidence::None
}

/// Letters of a message without closed-class words that make it worth
/// asking `whatlang` (which is unreliable on less).
const LONG_ENOUGH: usize = 30;

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}')
}

/// Each closed-class word, with the languages that have it (bits by
/// [`Lang::index`]).
static WORDS: LazyLock<HashMap<String, u8, BuildHasherDefault<FxHasher>>> = LazyLock::new(|| {
    let mut words: HashMap<String, u8, BuildHasherDefault<FxHasher>> = HashMap::default();
    for lang in Lang::ALL {
        for word in crate::text::style_word_list(lang) {
            let word = word.to_lowercase().replace('’', "'");
            *words.entry(word.trim_matches('\'').to_owned()).or_default() |= 1 << lang.index();
        }
    }
    words
});

/// The language whose closed-class words the text uses clearly more than
/// any other's. A word several languages share counts as a fraction.
fn by_words(text: &str) -> Option<Lang> {
    let words_of = &*WORDS;
    let mut words_seen = 0usize;
    let mut scores = [0f32; Lang::ALL.len()];
    let mut lower = String::new();
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty() && w.len() <= MAX_WORD)
    {
        lower.clear();
        for c in word.chars() {
            match c {
                '’' => lower.push('\''),
                c if c.is_ascii() => lower.push(c.to_ascii_lowercase()),
                c => lower.extend(c.to_lowercase()),
            }
        }
        words_seen += 1;
        let Some(&langs) = words_of.get(lower.trim_matches('\'')) else {
            continue;
        };
        let share = 1.0 / langs.count_ones() as f32;
        for (i, score) in scores.iter_mut().enumerate() {
            if langs & (1 << i) != 0 {
                *score += share;
            }
        }
    }
    let (mut best, mut second, mut lang) = (0f32, 0f32, Lang::En);
    for (i, &score) in scores.iter().enumerate() {
        if score > best {
            second = best;
            best = score;
            lang = Lang::ALL[i];
        } else if score > second {
            second = score;
        }
    }
    // Closed-class words are a good share of any sentence's words: one
    // lone match in a long text is a coincidence ("is" in Dutch).
    (best >= 1.0 && best >= 0.2 * words_seen as f32 && best >= second * 1.5 + 0.5).then_some(lang)
}

/// No closed-class word is longer, in bytes.
const MAX_WORD: usize = 24;

/// `whatlang` among ours and the other languages most written in the
/// Latin script: a choice among fewer is faster (its cost grows with the
/// languages it weighs), and other scripts are already told apart.
static DETECTOR: LazyLock<whatlang::Detector> = LazyLock::new(|| {
    use whatlang::Lang::*;
    whatlang::Detector::with_allowlist(vec![
        Eng, Spa, Por, Fra, Deu, Ita, Nld, Swe, Dan, Nob, Fin, Pol, Ces, Hun, Ron, Tur, Ind, Cat,
    ])
});

/// `whatlang`'s reading of a longer Latin-script text: one of ours, or a
/// language `mutual` cannot read; nothing when it is unsure.
fn by_whatlang(text: &str) -> Evidence {
    let Some(info) = DETECTOR.detect(text) else {
        return Evidence::None;
    };
    let ours = match info.lang() {
        whatlang::Lang::Eng => Some(Lang::En),
        whatlang::Lang::Spa => Some(Lang::Es),
        whatlang::Lang::Por => Some(Lang::Pt),
        whatlang::Lang::Fra => Some(Lang::Fr),
        whatlang::Lang::Deu => Some(Lang::De),
        whatlang::Lang::Ita => Some(Lang::It),
        _ => None,
    };
    match ours {
        Some(lang) if info.confidence() >= 0.5 => Evidence::Lang(lang),
        None if info.is_reliable() => Evidence::Unread,
        _ => Evidence::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_round_trip_their_codes() {
        for lang in Lang::ALL {
            assert_eq!(lang.as_str().parse::<Lang>(), Ok(lang));
        }
        assert!("xx".parse::<Lang>().is_err());
    }

    #[test]
    fn other_scripts_are_unread_and_short_messages_tell_nothing() {
        assert_eq!(evidence("मैं ठीक हूँ, धन्यवाद"), Evidence::Unread);
        assert_eq!(evidence("我很好谢谢"), Evidence::Unread);
        assert_eq!(evidence("مرحبا كيف حالك"), Evidence::Unread);
        assert_eq!(evidence("ok"), Evidence::None);
        assert_eq!(evidence("👍👍"), Evidence::None);
        assert_eq!(evidence(""), Evidence::None);
    }

    #[test]
    fn a_chat_lends_its_language_to_short_messages() {
        let mut tally = Tally::default();
        assert_eq!(tally.read(Evidence::None), Evidence::None);
        assert_eq!(tally.read(Evidence::Lang(Lang::Es)), Evidence::Lang(Lang::Es));
        assert_eq!(tally.read(Evidence::None), Evidence::Lang(Lang::Es));
        tally.add(Evidence::Unread, 3);
        assert_eq!(tally.most(), Evidence::Unread);
        assert_eq!(
            tally.read(Evidence::Lang(Lang::Fr)),
            Evidence::Lang(Lang::Fr),
            "its own words win"
        );
    }

    #[test]
    fn closed_class_words_tell_english() {
        assert_eq!(
            evidence("are you coming to the party tonight?"),
            Evidence::Lang(Lang::En)
        );
        assert_eq!(evidence("I think it's fine"), Evidence::Lang(Lang::En));
    }
}
