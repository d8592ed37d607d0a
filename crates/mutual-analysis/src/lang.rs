//! The languages whose messages `mutual` reads, and which one a message is
//! written in.
//!
//! A message's own words decide where they can: its closed-class words
//! (the style words of each language, `data/<lang>/style_words.tsv`) are
//! the best evidence a short chat message has, and they cost one lookup a
//! word. A message in another script (Devanagari, Arabic, Han, ...) is in a
//! language `mutual` cannot read. What is left (`ok`, `jaja`, an emoji, a
//! sentence without closed-class words) takes the language of its chat
//! ([`Tally`]), from the evidence of the chat's other messages and a sample
//! of its longer ones read once by `whatlang` (too slow to ask per message,
//! tens of microseconds each, but it tells a Dutch or Turkish chat from
//! ours).

use std::collections::HashMap;
use std::sync::LazyLock;

use rustc_hash::FxBuildHasher;

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
/// language its short messages take. Longer messages whose words tell
/// nothing are gathered into a sample that `whatlang` reads once (it is too
/// slow to ask per message), which tells a Dutch or Turkish chat, whose
/// language `mutual` cannot read, from one of ours.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    counts: [u32; Lang::ALL.len() + 1],
    sample: String,
    sampled: u32,
    asked: u8,
}

/// Bytes of sample `whatlang` reads, and how often a chat may ask.
const SAMPLE_BYTES: usize = 600;
const ASKS: u8 = 3;

impl Tally {
    /// Counts `n` messages read as `evidence` (nothing for [`Evidence::None`]).
    pub fn add(&mut self, evidence: Evidence, n: u32) {
        let at = match evidence {
            Evidence::Lang(lang) => lang.index(),
            Evidence::Unread => Lang::ALL.len(),
            Evidence::None => return,
        };
        self.counts[at] = self.counts[at].saturating_add(n);
    }

    /// The language read most often (the first in [`Lang::ALL`] on a tie,
    /// an unread one last); [`Evidence::None`] before anything was read.
    pub fn most(&self) -> Evidence {
        let Some((at, &n)) = self
            .counts
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

    /// [`Tally::read`], gathering a longer `text` without evidence into the
    /// sample `whatlang` reads once it is long enough.
    pub fn read_text(&mut self, evidence: Evidence, text: &str) -> Evidence {
        if evidence == Evidence::None
            && self.asked < ASKS
            && text.chars().filter(|c| is_latin(*c)).count() >= LONG_ENOUGH
        {
            self.sample.push_str(text);
            self.sample.push('\n');
            self.sampled += 1;
            if self.sample.len() >= SAMPLE_BYTES {
                self.asked += 1;
                let found = by_whatlang(&self.sample);
                self.add(found, self.sampled);
                self.sample.clear();
                self.sampled = 0;
            }
        }
        self.read(evidence)
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

/// The language of a message's text, as far as the text alone tells: its
/// script, and the language whose closed-class words it uses clearly more
/// than any other's (a word several languages share counts as a fraction).
/// One pass over the text; every import reads every text with it.
pub fn evidence(text: &str) -> Evidence {
    let words_of = &*WORDS;
    let (mut latin, mut other) = (0usize, 0usize);
    let mut words_seen = 0usize;
    // In sixtieths: a word that n languages share gives each 60 / n.
    let mut scores = [0u32; Lang::ALL.len()];
    let mut word = Word::default();
    let mut end_word = |word: &mut Word| {
        let Some(key) = word.take() else {
            return;
        };
        words_seen += 1;
        if let Some(&langs) = key.and_then(|key| words_of.get(&key)) {
            let share = 60 / langs.count_ones().max(1);
            let mut bits = langs;
            while bits != 0 {
                scores[bits.trailing_zeros() as usize] += share;
                bits &= bits - 1;
            }
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                latin += 1;
                word.push_ascii(c.to_ascii_lowercase() as u8);
            } else if c.is_ascii_digit() {
                word.push_ascii(c as u8);
            } else if c == '\'' {
                word.push(c);
            } else {
                end_word(&mut word);
            }
        } else if c == '’' {
            word.push('\'');
        } else if c.is_alphabetic() {
            if is_latin(c) {
                latin += 1;
            } else {
                other += 1;
            }
            for c in c.to_lowercase() {
                word.push(c);
            }
        } else if c.is_alphanumeric() {
            word.push(c);
        } else {
            end_word(&mut word);
        }
    }
    end_word(&mut word);
    if other > latin {
        return Evidence::Unread;
    }
    let (mut best, mut second, mut lang) = (0, 0, Lang::En);
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
    // lone match in a long text is a coincidence ("is" in Dutch). In
    // sixtieths of a word: at least one word, a fifth of the words, and
    // half a word more than one and a half times the runner-up.
    let words_seen = u32::try_from(words_seen).unwrap_or(u32::MAX);
    if best >= 60 && best >= 12 * words_seen && 2 * best >= 3 * second + 60 {
        Evidence::Lang(lang)
    } else {
        Evidence::None
    }
}

/// Letters of a message without closed-class words that make it worth
/// sampling for `whatlang` (which is unreliable on less).
const LONG_ENOUGH: usize = 30;

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}')
}

/// Each closed-class word, as a [`Word`] key, with the languages that have
/// it (bits by [`Lang::index`]).
static WORDS: LazyLock<HashMap<u128, u8, FxBuildHasher>> = LazyLock::new(|| {
    let mut words: HashMap<u128, u8, FxBuildHasher> = HashMap::default();
    for lang in Lang::ALL {
        for listed in crate::text::style_word_list(lang) {
            let mut word = Word::default();
            listed
                .to_lowercase()
                .chars()
                .for_each(|c| word.push(if c == '’' { '\'' } else { c }));
            if let Some(Some(key)) = word.take() {
                *words.entry(key).or_default() |= 1 << lang.index();
            }
        }
    }
    words
});

/// A word being read, lowercased, without the apostrophes around it: its
/// UTF-8 bytes are its key, and a word too long for the key is no
/// closed-class word.
#[derive(Default)]
struct Word {
    /// The first bytes; only the first `len` of them are the word's.
    bytes: [u8; 16],
    len: usize,
    /// Apostrophes not yet known to be inside the word.
    apostrophes: usize,
}

impl Word {
    fn push(&mut self, c: char) {
        if c == '\'' {
            if self.len > 0 {
                self.apostrophes += 1;
            }
            return;
        }
        self.push_apostrophes();
        for &byte in c.encode_utf8(&mut [0; 4]).as_bytes() {
            self.push_byte(byte);
        }
    }

    fn push_ascii(&mut self, byte: u8) {
        self.push_apostrophes();
        self.push_byte(byte);
    }

    fn push_apostrophes(&mut self) {
        for _ in 0..std::mem::take(&mut self.apostrophes) {
            self.push_byte(b'\'');
        }
    }

    fn push_byte(&mut self, byte: u8) {
        if let Some(at) = self.bytes.get_mut(self.len) {
            *at = byte;
        }
        self.len += 1;
    }

    /// The key of the word read (`None` inside when it is too long), and
    /// the start of the next; nothing when no word was read.
    fn take(&mut self) -> Option<Option<u128>> {
        let len = std::mem::take(&mut self.len);
        self.apostrophes = 0;
        match len {
            0 => None,
            1..16 => Some(Some(u128::from_le_bytes(self.bytes) & ((1u128 << (8 * len)) - 1))),
            16 => Some(Some(u128::from_le_bytes(self.bytes))),
            _ => Some(None),
        }
    }
}

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
