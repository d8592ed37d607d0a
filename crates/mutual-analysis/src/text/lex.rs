//! Characters to words: the one tokenizer that messages and the data files
//! both go through, so a pattern and a message always agree on the words.
//!
//! A word is a run of letters and digits, lower-cased, with inner apostrophes
//! kept as `'` ("don't", "i'm"); a trailing `'s` is split off into a word of
//! its own ("dad's" is "dad" and "'s", "what's" is "what" and "'s"); runs of
//! three or more equal ASCII letters collapse to one ("sooo" is "so",
//! "thank youuu" is "thank you"). Punctuation becomes boundaries, emoji are
//! reported once per visible emoji (a skin tone, a variation selector or a
//! zero-width-joined sequence does not count again).

use unicode_properties::{EmojiStatus, UnicodeEmoji};

/// The longest word kept, in bytes; longer runs are reported as an empty,
/// unknown word.
const MAX_WORD: usize = 32;

/// Punctuation that matters to the detectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Boundary {
    /// `,` `;` `:` brackets, quotes, dashes: a new clause.
    Clause,
    /// `.` `…` or a line break: the end of a sentence.
    Stop,
    /// `?` and its look-alikes: the end of a question.
    Question,
    /// `!` and its look-alikes: the end of an exclamation.
    Exclamation,
}

/// A word as the lexer reports it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Lexeme<'a> {
    pub bytes: &'a [u8],
    /// The first [`KEY_BYTES`] bytes as a little-endian `u128`, zero-padded;
    /// `None` if the word is longer (no known word is).
    pub key: Option<u128>,
}

/// Bytes in a [`Lexeme::key`].
pub(super) const KEY_BYTES: usize = 16;

/// The key of a word, as [`Lexeme::key`].
pub(super) fn key(word: &[u8]) -> Option<u128> {
    let mut bytes = [0; KEY_BYTES];
    bytes.get_mut(..word.len())?.copy_from_slice(word);
    Some(u128::from_le_bytes(bytes))
}

/// What the lexer reports, in text order.
pub(super) trait Sink {
    fn word(&mut self, word: Lexeme<'_>);
    fn boundary(&mut self, _boundary: Boundary) {}
    /// One visible emoji, by its first scalar value.
    fn emoji(&mut self, _base: char) {}
}

/// Sizes counted on the way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Sizes {
    /// Unicode scalar values.
    pub chars: u32,
    /// Whitespace-separated tokens with at least one letter or digit.
    pub words: u32,
}

/// Reads `text` into `sink`.
pub(super) fn lex(text: &str, sink: &mut impl Sink) -> Sizes {
    let bytes = text.as_bytes();
    let mut sizes = Sizes::default();
    let mut word = WordBuf::default();
    // The current whitespace-separated token, for `Sizes::words`.
    let mut in_token = false;
    let mut token_has_alnum = false;
    let mut after_space = true;
    // An apostrophe seen after a letter: kept only if a letter follows.
    let mut apostrophe = false;
    // The previous emoji was followed by a zero-width joiner.
    let mut joined = false;
    // A regional indicator is waiting for its pair (two make one flag).
    let mut half_flag = false;

    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        sizes.chars += 1;
        // ASCII letters and digits, the bulk of most messages.
        if b.is_ascii_alphanumeric() {
            in_token = true;
            token_has_alnum = true;
            after_space = false;
            joined = false;
            if apostrophe {
                word.push_byte(b'\'');
                apostrophe = false;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            sizes.chars += (i - start - 1) as u32;
            let run = &bytes[start..i];
            // A whole word in one run, as most are: no copy, one load.
            let whole = word.is_empty() && bytes.get(i).is_none_or(|&b| b.is_ascii() && b != b'\'');
            if whole && !has_triple(run) {
                let lower;
                let bytes = if run.len() > MAX_WORD {
                    &[]
                } else if run.iter().any(u8::is_ascii_uppercase) {
                    lower = word.lower(run);
                    lower
                } else {
                    run
                };
                sink.word(Lexeme {
                    bytes,
                    key: ascii_key(text.as_bytes(), start, run.len()),
                });
            } else {
                for &b in run {
                    word.push_byte(b.to_ascii_lowercase());
                }
            }
            continue;
        }
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            match text[i..].chars().next() {
                Some(c) => c,
                None => break,
            }
        };
        i += c.len_utf8();
        if c.is_whitespace() {
            word.flush(sink);
            apostrophe = false;
            if in_token && token_has_alnum {
                sizes.words += 1;
            }
            in_token = false;
            token_has_alnum = false;
            after_space = true;
            joined = false;
            if c == '\n' {
                sink.boundary(Boundary::Stop);
            }
            continue;
        }
        in_token = true;
        let was_after_space = after_space;
        after_space = false;

        if !c.is_ascii() && c.is_alphanumeric() {
            token_has_alnum = true;
            if apostrophe {
                word.push_byte(b'\'');
                apostrophe = false;
            }
            word.push(c);
            joined = false;
            continue;
        }
        if matches!(c, '\'' | '\u{2019}' | '\u{02BC}') {
            if word.is_empty() || apostrophe {
                word.flush(sink);
                apostrophe = false;
                // A lone 's, as patterns write it ("@kin 's").
                let rest = &bytes[i..];
                if rest.first().is_some_and(|&b| b.eq_ignore_ascii_case(&b's'))
                    && rest.get(1).is_none_or(|b| !b.is_ascii_alphanumeric())
                {
                    sink.word(APOSTROPHE_S);
                    sizes.chars += 1;
                    token_has_alnum = true;
                    i += 1;
                }
            } else {
                apostrophe = true;
            }
            continue;
        }
        word.flush(sink);
        apostrophe = false;

        if let Some(boundary) = punctuation(c, was_after_space) {
            sink.boundary(boundary);
            // ⁉ is both.
            if c == '\u{2049}' {
                sink.boundary(Boundary::Exclamation);
            }
        }
        if c.is_ascii() {
            joined = false;
            continue;
        }
        match c {
            '\u{200D}' => joined = true,
            '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}' => {}
            '\u{20E3}' => sink.emoji(c), // a keycap: the digit before it was ASCII
            '\u{1F1E6}'..='\u{1F1FF}' => {
                if !half_flag {
                    sink.emoji(c);
                    sink.boundary(Boundary::Clause);
                }
                half_flag = !half_flag;
            }
            _ => {
                let emoji = match c.emoji_status() {
                    EmojiStatus::EmojiPresentation
                    | EmojiStatus::EmojiPresentationAndModifierBase
                    | EmojiStatus::EmojiPresentationAndEmojiComponent
                    | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent => true,
                    // Text by default (©, ‼, ☺, ❤): an emoji when asked for
                    // with U+FE0F, and in the symbol blocks chats render as
                    // emoji anyway.
                    EmojiStatus::EmojiOther | EmojiStatus::EmojiModifierBase => {
                        c >= '\u{2600}' || text[i..].starts_with('\u{FE0F}')
                    }
                    _ => false,
                };
                if emoji {
                    if joined {
                        joined = false;
                    } else {
                        sink.emoji(c);
                        sink.boundary(Boundary::Clause);
                    }
                } else {
                    joined = false;
                }
            }
        }
    }
    word.flush(sink);
    if in_token && token_has_alnum {
        sizes.words += 1;
    }
    sizes
}

/// Whether three equal ASCII letters follow each other ("sooo").
fn has_triple(run: &[u8]) -> bool {
    run.windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_ascii_alphabetic())
}

/// The key of the lower-cased ASCII letters and digits `text[start..start +
/// len]`: letters and digits lower-case by setting bit 5, so one load and
/// two masks do it when 16 bytes are there to load.
fn ascii_key(text: &[u8], start: usize, len: usize) -> Option<u128> {
    if len > KEY_BYTES {
        return None;
    }
    let mask = if len == KEY_BYTES {
        u128::MAX
    } else {
        (1 << (8 * len)) - 1
    };
    let raw = match text.get(start..start + KEY_BYTES) {
        Some(sixteen) => {
            let mut word = [0; KEY_BYTES];
            word.copy_from_slice(sixteen);
            u128::from_le_bytes(word)
        }
        None => text[start..start + len]
            .iter()
            .rev()
            .fold(0, |key, &b| (key << 8) | u128::from(b)),
    };
    Some((raw | 0x2020_2020_2020_2020_2020_2020_2020_2020) & mask)
}

/// The boundary a punctuation character makes, if any.
fn punctuation(c: char, after_space: bool) -> Option<Boundary> {
    Some(match c {
        '?' | '\u{FF1F}' | '\u{2753}' | '\u{2754}' | '\u{2049}' => Boundary::Question,
        '!' | '\u{FF01}' | '\u{203C}' | '\u{2757}' | '\u{2755}' | '\u{A1}' => Boundary::Exclamation,
        '.' | '\u{2026}' | '\u{3002}' => Boundary::Stop,
        ',' | ';' | ':' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | '\u{201C}' | '\u{201D}' | '\u{2013}'
        | '\u{2014}' | '\u{2022}' => Boundary::Clause,
        // An opening "¿" starts the question it asks (its "?" ends it);
        // guillemets quote as quotes do.
        '\u{BF}' | '\u{AB}' | '\u{BB}' | '\u{201E}' => Boundary::Clause,
        // A hyphen between letters joins words ("check-in"); after a space
        // it is a dash.
        '-' if after_space => Boundary::Clause,
        _ => return None,
    })
}

/// The split-off `'s`.
const APOSTROPHE_S: Lexeme<'static> = Lexeme {
    bytes: b"'s",
    key: Some(0x7327),
};

/// The word being read, lower-cased, with long letter runs collapsed.
#[derive(Default)]
struct WordBuf {
    bytes: [u8; MAX_WORD],
    len: usize,
    overflow: bool,
    /// How many times the last byte, an ASCII letter, was pushed in a row.
    run: usize,
    /// The first `KEY_BYTES` bytes, kept in a register as they come (reading
    /// them back from `bytes` right after writing them stalls).
    key: u128,
}

impl WordBuf {
    fn is_empty(&self) -> bool {
        self.len == 0 && !self.overflow
    }

    /// `run` (at most `MAX_WORD` bytes) lower-cased, in this (empty) buffer.
    fn lower(&mut self, run: &[u8]) -> &[u8] {
        for (to, from) in self.bytes.iter_mut().zip(run) {
            *to = from.to_ascii_lowercase();
        }
        &self.bytes[..run.len().min(MAX_WORD)]
    }

    fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.push_byte(c.to_ascii_lowercase() as u8);
        } else {
            for lower in c.to_lowercase() {
                let mut utf8 = [0; 4];
                for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                    self.push_byte(b);
                }
            }
        }
    }

    fn push_byte(&mut self, b: u8) {
        if b.is_ascii_alphabetic() && self.len > 0 && self.bytes[self.len - 1] == b {
            self.run += 1;
            // The third of a run takes the second back; later ones add nothing.
            if self.run == 3 {
                self.len -= 1;
                if self.len < KEY_BYTES {
                    self.key &= !(0xff << (8 * self.len));
                }
            }
            if self.run >= 3 {
                return;
            }
        } else {
            self.run = 1;
        }
        if self.len < MAX_WORD {
            if self.len < KEY_BYTES {
                self.key |= u128::from(b) << (8 * self.len);
            }
            self.bytes[self.len] = b;
            self.len += 1;
        } else {
            self.overflow = true;
        }
    }

    /// Reports the word, if any, and starts a new one.
    fn flush(&mut self, sink: &mut impl Sink) {
        if self.overflow {
            sink.word(Lexeme {
                bytes: &[],
                key: None,
            });
        } else if self.len > 0 {
            let bytes = &self.bytes[..self.len];
            let key = |len: usize| match len {
                KEY_BYTES => Some(self.key),
                ..KEY_BYTES => Some(self.key & ((1 << (8 * len)) - 1)),
                _ => None,
            };
            match bytes.strip_suffix(b"'s") {
                Some(stem) if !stem.is_empty() => {
                    sink.word(Lexeme {
                        bytes: stem,
                        key: key(stem.len()),
                    });
                    sink.word(APOSTROPHE_S);
                }
                _ => sink.word(Lexeme {
                    bytes,
                    key: key(bytes.len()),
                }),
            }
        }
        self.len = 0;
        self.overflow = false;
        self.run = 0;
        self.key = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect(Vec<String>);

    impl Sink for Collect {
        fn word(&mut self, word: Lexeme<'_>) {
            if !word.bytes.is_empty() {
                assert_eq!(word.key, key(word.bytes), "the key of {:?}", word.bytes);
            }
            self.0.push(String::from_utf8_lossy(word.bytes).into_owned());
        }
        fn boundary(&mut self, boundary: Boundary) {
            self.0.push(format!("{boundary:?}"));
        }
        fn emoji(&mut self, base: char) {
            self.0.push(format!("emoji {base}"));
        }
    }

    fn events(text: &str) -> (Vec<String>, Sizes) {
        let mut sink = Collect::default();
        let sizes = lex(text, &mut sink);
        (sink.0, sizes)
    }

    #[test]
    fn words_are_lower_case_with_inner_apostrophes() {
        let (events, sizes) = events("I’m SO done, don't 'quote' me");
        assert_eq!(
            events,
            ["i'm", "so", "done", "Clause", "don't", "quote", "me"].map(String::from)
        );
        assert_eq!(sizes, Sizes { chars: 29, words: 6 });
    }

    #[test]
    fn a_trailing_apostrophe_s_is_its_own_word() {
        let (events, _) = events("Dad's back, what's up");
        assert_eq!(
            events,
            ["dad", "'s", "back", "Clause", "what", "'s", "up"].map(String::from)
        );
    }

    #[test]
    fn long_letter_runs_collapse() {
        let (events, _) =
            events("sooo sorryyy thank youuu 1000 sooooooooooooooooooooooooooooooooooooooooooooooooooooo");
        assert_eq!(
            events,
            ["so", "sorry", "thank", "you", "1000", "so"].map(String::from)
        );
    }

    #[test]
    fn punctuation_makes_boundaries() {
        let (events, _) = events("ok?! well-done - yes… no.");
        assert_eq!(
            events,
            [
                "ok",
                "Question",
                "Exclamation",
                "well",
                "done",
                "Clause",
                "yes",
                "Stop",
                "no",
                "Stop"
            ]
            .map(String::from)
        );
    }

    #[test]
    fn emoji_count_once_per_visible_emoji() {
        // A skin tone, a variation selector, a family joined by ZWJ, a flag,
        // a keycap, and a copyright sign that is text.
        let text = "👍🏽 ❤️ 👨‍👩‍👧 🇬🇧 1️⃣ © ☺";
        let (events, sizes) = events(text);
        let emoji: Vec<_> = events.iter().filter(|e| e.starts_with("emoji")).collect();
        assert_eq!(
            emoji,
            [
                "emoji 👍",
                "emoji ❤",
                "emoji 👨",
                "emoji 🇬",
                "emoji \u{20e3}",
                "emoji ☺"
            ]
        );
        assert_eq!(sizes.words, 1, "only the keycap's digit is alphanumeric");
        assert_eq!(sizes.chars, text.chars().count() as u32);
    }

    #[test]
    fn emoji_only_text_has_no_words() {
        let (_, sizes) = events("😂😂😂");
        assert_eq!(sizes, Sizes { chars: 3, words: 0 });
    }

    #[test]
    fn overlong_runs_are_unknown_words() {
        let long = "ab".repeat(30);
        let (events, _) = events(&format!("hi {long} you"));
        assert_eq!(events, ["hi", "", "you"].map(String::from));
    }
}
