//! One pass over a message: the lexer's words go into a sentence buffer,
//! each finished sentence is matched against the phrase tries, and the marks
//! found are resolved into [`Flags`] at the end.

use super::lex::{self, Boundary, Lexeme, Sink};
use super::lexicon::{Layer, Lexicon, mark, role, start_bit};
use super::trie::Step;
use super::{Flags, Style, StyleCategory};

/// Words of one sentence matched at once; a longer sentence is matched in
/// pieces of this size (a phrase across the cut is missed).
const SENTENCE: usize = 64;

/// 🙏: thanks when it stands (nearly) alone.
const FOLDED_HANDS: char = '\u{1F64F}';

/// 🙄 🙃 😒: thanks said with these is sarcasm ("thanks for eating my
/// leftovers 🙄").
const SARCASM: [char; 3] = ['\u{1F644}', '\u{1F643}', '\u{1F612}'];

/// Everything but sentiment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Scan {
    pub flags: Flags,
    pub emoji: u32,
    pub emoji_sentiment: f32,
    pub words: u32,
    pub chars: u32,
    pub style: Style,
}

pub(super) fn scan(lexicon: &Lexicon, text: &str) -> Scan {
    let mut scanner = Scanner {
        lexicon,
        sentence: [Token::default(); SENTENCE],
        len: 0,
        clause: 0,
        clause_start: true,
        ended: false,
        asked: false,
        exclaimed: false,
        marks: 0,
        style: Style::default(),
        emoji: 0,
        emoji_sum: 0.0,
        emoji_rated: 0,
        folded_hands: false,
        sarcastic: false,
    };
    let sizes = lex::lex(text, &mut scanner);
    scanner.end_sentence();

    let marks = scanner.marks;
    let mut flags = Flags(marks & 0xff);
    let has = |flags: Flags, any: &[Flags]| any.iter().any(|&f| flags.contains(f));
    if scanner.exclaimed {
        flags.insert(Flags::EXCLAMATION);
    }
    if marks & mark::SORRY != 0 && !flags.contains(Flags::SUPPORT) {
        flags.insert(Flags::APOLOGY);
    }
    if marks & mark::HARD_CUE != 0 && !has(flags, &[Flags::SUPPORT, Flags::QUESTION]) {
        flags.insert(Flags::HARD_NEWS);
    }
    let content = [
        Flags::APOLOGY,
        Flags::GOOD_NEWS,
        Flags::HARD_NEWS,
        Flags::DISCLOSURE,
        Flags::SUPPORT,
    ];
    if scanner.folded_hands && sizes.words <= 2 && !has(flags, &content) {
        flags.insert(Flags::GRATITUDE);
    }
    if scanner.sarcastic {
        flags.0 &= !Flags::GRATITUDE.0;
    }
    Scan {
        flags,
        emoji: scanner.emoji,
        emoji_sentiment: if scanner.emoji_rated == 0 {
            0.0
        } else {
            scanner.emoji_sum / scanner.emoji_rated as f32
        },
        words: sizes.words,
        chars: sizes.chars,
        style: scanner.style,
    }
}

/// A word of the sentence being read.
#[derive(Clone, Copy, Debug, Default)]
struct Token {
    id: u16,
    /// Which clause of the message it is in (negation stays in its clause).
    clause: u16,
    classes: u32,
    role: u8,
    starts: u8,
    /// The first trie steps of its own label, as `lexicon::Word::first`.
    first: [[u32; 2]; 2],
    /// It opens a clause (first word, after punctuation or a discourse
    /// marker).
    clause_start: bool,
    /// A `?` follows it directly ("sorry?").
    before_question: bool,
}

impl Step for Token {
    fn id(&self) -> u16 {
        self.id
    }

    fn classes(&self) -> u32 {
        self.classes
    }
}

struct Scanner<'l> {
    lexicon: &'l Lexicon,
    sentence: [Token; SENTENCE],
    len: usize,
    clause: u16,
    clause_start: bool,
    /// The sentence has ended; the next word starts another.
    ended: bool,
    /// The sentence ends with `?`.
    asked: bool,
    exclaimed: bool,
    marks: u16,
    style: Style,
    emoji: u32,
    emoji_sum: f32,
    emoji_rated: u32,
    folded_hands: bool,
    sarcastic: bool,
}

impl Sink for Scanner<'_> {
    fn word(&mut self, lexeme: Lexeme<'_>) {
        if self.ended || self.len == SENTENCE {
            self.end_sentence();
        }
        let word = self.lexicon.word(lexeme);
        let mut style = word.style;
        while style != 0 {
            let category = style.trailing_zeros() as usize;
            self.style.add(StyleCategory::ALL[category]);
            style &= style - 1;
        }
        if word.role & role::FILLER != 0 {
            return;
        }
        self.sentence[self.len] = Token {
            id: word.id,
            clause: self.clause,
            classes: word.classes,
            role: word.role,
            starts: word.starts,
            first: word.first,
            clause_start: self.clause_start,
            before_question: false,
        };
        self.len += 1;
        self.clause_start = word.role & role::OPENER != 0;
        if word.role & role::THEN_S != 0 {
            self.word(Lexeme {
                bytes: b"'s",
                key: lex::key(b"'s"),
            });
        }
    }

    fn boundary(&mut self, boundary: Boundary) {
        self.clause = self.clause.wrapping_add(1);
        self.clause_start = true;
        match boundary {
            Boundary::Clause => {}
            Boundary::Stop => self.ended = true,
            Boundary::Question => {
                if let Some(last) = self.sentence[..self.len].last_mut() {
                    last.before_question = true;
                }
                self.asked = true;
                self.ended = true;
            }
            Boundary::Exclamation => {
                self.exclaimed = true;
                self.ended = true;
            }
        }
    }

    fn emoji(&mut self, base: char) {
        self.emoji += 1;
        if let Some(score) = self.lexicon.emoji_sentiment(base) {
            self.emoji_sum += score;
            self.emoji_rated += 1;
        }
        self.folded_hands |= base == FOLDED_HANDS;
        self.sarcastic |= SARCASM.contains(&base);
    }
}

impl Scanner<'_> {
    fn end_sentence(&mut self) {
        let words = &self.sentence[..self.len];
        let mut marks = openings(self.lexicon, words) | content(self.lexicon, words);
        if self.asked && marks & mark::RHETORICAL == 0 {
            marks |= Flags::QUESTION.0;
        }
        self.marks |= marks & !mark::RHETORICAL;
        self.len = 0;
        self.asked = false;
        self.ended = false;
    }
}

/// The longest phrase of `layer` starting at `words[i]`: length and marks.
fn longest_at(lexicon: &Lexicon, layer: Layer, words: &[Token], i: usize) -> (usize, u16) {
    let trie = lexicon.trie(layer);
    let starts = |anchored| words[i].starts & start_bit(layer, anchored) != 0;
    let first = words[i].first[layer as usize];
    let mut best = if starts(false) {
        trie.longest(false, first[0], &words[i..])
    } else {
        (0, 0)
    };
    if words[i].clause_start && starts(true) {
        let anchored = trie.longest(true, first[1], &words[i..]);
        if anchored.0 > best.0 {
            best = anchored;
        }
    }
    best
}

/// Question and rhetorical openings, wherever they start.
fn openings(lexicon: &Lexicon, words: &[Token]) -> u16 {
    (0..words.len()).fold(0, |marks, i| {
        marks | longest_at(lexicon, Layer::Opening, words, i).1
    })
}

/// What the sentence says: leftmost-longest phrases, each cancelled by a
/// negator just before it in its clause.
fn content(lexicon: &Lexicon, words: &[Token]) -> u16 {
    let mut marks = 0;
    let mut i = 0;
    while i < words.len() {
        let (len, found) = longest_at(lexicon, Layer::Content, words, i);
        if len == 0 {
            i += 1;
            continue;
        }
        let negated =
            i > 0 && words[i - 1].clause == words[i].clause && words[i - 1].role & role::NEGATOR != 0;
        // "sorry?" asks to hear something again.
        let pardon = found == mark::SORRY && words[i].before_question;
        if !negated && !pardon && found & mark::NONE == 0 {
            marks |= found;
        }
        i += len;
    }
    marks
}
