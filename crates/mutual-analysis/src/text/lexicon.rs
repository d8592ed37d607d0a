//! The word lists behind the detectors, read once from the data files in
//! `data/`: word roles and spellings (`words.tsv`), phrases (`phrases.tsv`),
//! style words (`style_words.tsv`) and emoji sentiment
//! (`emoji_sentiment.tsv`).
//!
//! Phrases become two word tries: one for what a message says (gratitude,
//! apology, news, disclosure, support) matched leftmost-longest, one for how
//! a sentence opens (questions) matched at every clause start. A trie step
//! is a word or a word class (the one-word choices of a macro such as @kin),
//! so long lists stay small. Each word knows its style categories, its role,
//! its classes and whether it can start a phrase, so most words of a message
//! cost one hash lookup and nothing more.

use std::collections::HashMap;
use std::sync::LazyLock;

use rustc_hash::FxBuildHasher;

use super::lex::{self, KEY_BYTES, Lexeme, Sink, key};
use super::trie::{ANCHORED_ROOT, CLASS, ROOT, Step, Trie, TrieBuilder};
use super::{Flags, StyleCategory};
use crate::lang::Lang;

const EMOJI_SENTIMENT: &str = include_str!("../../data/emoji_sentiment.tsv");

/// One language's data files: word roles and spellings, phrases, style words.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Files {
    pub(crate) words: &'static str,
    pub(crate) phrases: &'static str,
    pub(crate) style_words: &'static str,
}

macro_rules! files {
    ($lang:literal) => {
        Files {
            words: include_str!(concat!("../../data/", $lang, "/words.tsv")),
            phrases: include_str!(concat!("../../data/", $lang, "/phrases.tsv")),
            style_words: include_str!(concat!("../../data/", $lang, "/style_words.tsv")),
        }
    };
}

/// Each language's files, in [`Lang::ALL`] order.
pub(crate) const FILES: [Files; 6] = [
    files!("en"),
    files!("es"),
    files!("pt"),
    files!("fr"),
    files!("de"),
    files!("it"),
];

/// The lexicon of each language's bundled data files, in [`Lang::ALL`]
/// order, each read on first use (most chats need one or two).
pub(super) static LEXICONS: [LazyLock<Lexicon>; 6] = [
    LazyLock::new(|| load(Lang::En)),
    LazyLock::new(|| load(Lang::Es)),
    LazyLock::new(|| load(Lang::Pt)),
    LazyLock::new(|| load(Lang::Fr)),
    LazyLock::new(|| load(Lang::De)),
    LazyLock::new(|| load(Lang::It)),
];

fn load(lang: Lang) -> Lexicon {
    match Lexicon::parse_lang(lang) {
        Ok(lexicon) => lexicon,
        // The data files are part of the crate and `data_files_parse` tests them.
        Err(errors) => panic!(
            "the bundled text data files of {} are invalid:\n{}",
            lang.name(),
            errors.join("\n")
        ),
    }
}

/// The English lexicon.
#[cfg(test)]
pub(super) static LEXICON: LazyLock<&'static Lexicon> = LazyLock::new(|| &LEXICONS[Lang::En.index()]);

/// The longest word the lexicon knows, in bytes: words are keyed by their
/// bytes in one `u128`.
const MAX_KNOWN: usize = KEY_BYTES;

/// A macro needs this many one-word choices to become a class.
const CLASS_MIN: usize = 4;

/// Marks a phrase can set: the eight [`Flags`] bits and helper marks.
pub(super) mod mark {
    /// A bare "sorry": an apology unless the message offers support.
    pub(crate) const SORRY: u16 = 1 << 8;
    /// A word of hard news: hard news unless the message offers support or
    /// asks a question.
    pub(crate) const HARD_CUE: u16 = 1 << 9;
    /// A question form that asks nothing: its sentence's `?` does not count.
    pub(crate) const RHETORICAL: u16 = 1 << 10;
    /// A shield: the words flag nothing.
    pub(crate) const NONE: u16 = 1 << 11;
}

/// Roles of a word (bits).
pub(super) mod role {
    pub(crate) const FILLER: u8 = 1;
    pub(crate) const NEGATOR: u8 = 1 << 1;
    pub(crate) const OPENER: u8 = 1 << 2;
    /// A spelling without its apostrophe ("thats"): read as the word and a
    /// `'s`.
    pub(crate) const THEN_S: u8 = 1 << 3;
}

/// Which trie: what a message says, or how its sentences open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layer {
    Content = 0,
    Opening = 1,
}

/// Everything known about one word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Word {
    /// Its label in the tries; 0 when no phrase names it.
    pub id: u16,
    /// One bit per [`StyleCategory`].
    pub style: u16,
    /// [`role`] bits.
    pub role: u8,
    /// Bit [`start_bit`]: a phrase of that trie and root can start with it.
    pub starts: u8,
    /// The word classes it belongs to (bits).
    pub classes: u32,
    /// Per layer, the node its own label leads to from the unanchored and
    /// the anchored root; 0 if none.
    pub first: [[u32; 2]; 2],
}

/// The bit of [`Word::starts`] for a layer's root, unanchored or anchored.
pub(super) fn start_bit(layer: Layer, anchored: bool) -> u8 {
    1 << (2 * layer as u8 + u8::from(anchored))
}

/// The parsed data files.
#[derive(Debug)]
pub(super) struct Lexicon {
    words: HashMap<u128, Word, FxBuildHasher>,
    tries: [Trie; 2],
    /// Emoji (first scalar value) to sentiment, sorted.
    emoji: Vec<(char, f32)>,
}

impl Lexicon {
    /// What is known about a word as the lexer reports it.
    pub(super) fn word(&self, word: Lexeme<'_>) -> Word {
        word.key
            .and_then(|key| self.words.get(&key))
            .copied()
            .unwrap_or_default()
    }

    /// What is known about a word given as bytes.
    #[cfg(test)]
    fn word_of(&self, word: &[u8]) -> Word {
        self.word(Lexeme {
            bytes: word,
            key: key(word),
        })
    }

    /// The sentiment of an emoji, if rated.
    pub(super) fn emoji_sentiment(&self, base: char) -> Option<f32> {
        self.emoji
            .binary_search_by_key(&base, |&(c, _)| c)
            .ok()
            .map(|i| self.emoji[i].1)
    }

    pub(super) fn trie(&self, layer: Layer) -> &Trie {
        &self.tries[layer as usize]
    }

    /// Parses a language's bundled data files, or says everything wrong
    /// with them.
    pub(super) fn parse_lang(lang: Lang) -> Result<Lexicon, Vec<String>> {
        let files = FILES[lang.index()];
        let mut builder = Builder::default();
        builder.words(files.words);
        builder.style_words(files.style_words);
        builder.phrases(files.phrases);
        builder.emoji(EMOJI_SENTIMENT);
        builder.finish()
    }
}

/// Lines of a data file that are not blank or comments, with line numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| (i + 1, line.split('\t').collect()))
}

/// A pattern, parsed: words, choices and macros in a row.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Word(String),
    Choice(Vec<Vec<Item>>),
    Macro(String),
}

/// Where a phrase's walk starts: the root, or the anchored root after `^`.
const START: u32 = u32::MAX;

/// A macro: its one-word choices as a class (if there are enough of them),
/// and the rest.
#[derive(Clone, Debug, Default)]
struct Macro {
    class: Option<u16>,
    rest: Vec<Vec<Item>>,
}

#[derive(Default)]
struct Builder {
    words: HashMap<Box<[u8]>, Word, FxBuildHasher>,
    variants: HashMap<Box<[u8]>, Box<[u8]>, FxBuildHasher>,
    /// Variants whose canonical form ends in `'s` (stored without it).
    then_s: Vec<Box<[u8]>>,
    typos: Vec<Box<[u8]>>,
    macros: HashMap<String, Macro, FxBuildHasher>,
    classes: u16,
    tries: Option<[TrieBuilder; 2]>,
    next_id: u16,
    emoji: Vec<(char, f32)>,
    errors: Vec<String>,
}

/// Collects the words of a text.
#[derive(Default)]
struct Words(Vec<Box<[u8]>>);

impl Sink for Words {
    fn word(&mut self, word: Lexeme<'_>) {
        self.0.push(word.bytes.into());
    }
}

fn words_of(text: &str) -> Vec<Box<[u8]>> {
    let mut words = Words::default();
    lex::lex(text, &mut words);
    words.0
}

fn show(word: &[u8]) -> String {
    String::from_utf8_lossy(word).into_owned()
}

impl Builder {
    fn error(&mut self, file: &str, line: usize, message: impl std::fmt::Display) {
        self.errors.push(format!("{file}:{line}: {message}"));
    }

    /// The single word `text` lexes to.
    fn one_word(&mut self, file: &str, line: usize, text: &str) -> Option<Box<[u8]>> {
        let mut words = words_of(text);
        if words.len() == 1 {
            words.pop()
        } else {
            self.error(file, line, format_args!("{text:?} is not one word to the lexer"));
            None
        }
    }

    fn canonical(&self, word: Box<[u8]>) -> Box<[u8]> {
        self.variants.get(&word).cloned().unwrap_or(word)
    }

    fn words(&mut self, text: &str) {
        const FILE: &str = "words.tsv";
        for (n, fields) in lines(text) {
            match fields.as_slice() {
                [kind @ ("filler" | "negator" | "opener"), word] => {
                    let bit = match *kind {
                        "filler" => role::FILLER,
                        "negator" => role::NEGATOR,
                        _ => role::OPENER,
                    };
                    if let Some(word) = self.one_word(FILE, n, word) {
                        self.words.entry(word).or_default().role |= bit;
                    }
                }
                ["variant", variant, canonical] => {
                    let mut canonical_words = words_of(canonical);
                    if canonical_words.len() == 2 && &*canonical_words[1] == b"'s" {
                        canonical_words.pop();
                        if let Some(variant) = self.one_word(FILE, n, variant) {
                            self.then_s.push(variant);
                        }
                    }
                    let canonical = match <[_; 1]>::try_from(canonical_words) {
                        Ok([canonical]) => canonical,
                        Err(_) => {
                            let message = format!("{canonical:?} is not one word (or a word and 's)");
                            self.error(FILE, n, message);
                            continue;
                        }
                    };
                    let Some(variant) = self.one_word(FILE, n, variant) else {
                        continue;
                    };
                    if self.variants.insert(variant.clone(), canonical).is_some() {
                        self.error(
                            FILE,
                            n,
                            format_args!("{} has two canonical forms", show(&variant)),
                        );
                    }
                }
                ["typo", word] => {
                    if let Some(word) = self.one_word(FILE, n, word) {
                        self.typos.push(word);
                    }
                }
                _ => self.error(FILE, n, "expected filler, negator, opener, variant or typo"),
            }
        }
        let chained: Vec<_> = self
            .variants
            .iter()
            .filter(|(_, canonical)| self.variants.contains_key(*canonical))
            .map(|(variant, _)| show(variant))
            .collect();
        for variant in chained {
            self.error(
                FILE,
                0,
                format_args!("the canonical form of {variant} is itself a variant"),
            );
        }
    }

    fn style_words(&mut self, text: &str) {
        const FILE: &str = "style_words.tsv";
        for (n, fields) in lines(text) {
            let [category, word] = fields.as_slice() else {
                self.error(FILE, n, "expected category<TAB>word");
                continue;
            };
            let Some(category) = StyleCategory::ALL.into_iter().find(|c| c.name() == *category) else {
                self.error(FILE, n, format_args!("unknown category {category:?}"));
                continue;
            };
            let Some(word) = self.one_word(FILE, n, word) else {
                continue;
            };
            if self.variants.contains_key(&word) {
                let message = format!("{} is a variant spelling; list its canonical form", show(&word));
                self.error(FILE, n, message);
                continue;
            }
            let entry = self.words.entry(word).or_default();
            let bit = 1 << category as u16;
            let twice = entry.style & bit != 0;
            entry.style |= bit;
            if twice {
                self.error(FILE, n, "listed twice");
            }
        }
    }

    fn phrases(&mut self, text: &str) {
        const FILE: &str = "phrases.tsv";
        let mut tries = [TrieBuilder::new(), TrieBuilder::new()];
        for (n, fields) in lines(text) {
            let [head, pattern] = fields.as_slice() else {
                self.error(FILE, n, "expected FLAG<TAB>pattern or @macro<TAB>pattern");
                continue;
            };
            let items = match parse(pattern) {
                Ok(items) => items,
                Err(message) => {
                    self.error(FILE, n, message);
                    continue;
                }
            };
            if let Some(name) = head.strip_prefix('@') {
                if let Err(message) = self.define(name, items) {
                    self.error(FILE, n, message);
                }
                continue;
            }
            let Some(marks) = marks_of(head) else {
                self.error(FILE, n, format_args!("unknown flag in {head:?}"));
                continue;
            };
            let opening = Flags::QUESTION.0 | mark::RHETORICAL;
            let layer = if marks & opening != 0 {
                if marks & !opening != 0 {
                    self.error(
                        FILE,
                        n,
                        "QUESTION and RHETORICAL cannot share a phrase with other flags",
                    );
                }
                Layer::Opening
            } else {
                Layer::Content
            };
            let trie = &mut tries[layer as usize];
            let ends = match self.walk(trie, &items, vec![START]) {
                Ok(ends) => ends,
                Err(message) => {
                    self.error(FILE, n, message);
                    continue;
                }
            };
            // An empty phrase (nothing, or `^` alone) says nothing.
            for end in ends
                .into_iter()
                .filter(|&end| end != START && end != ANCHORED_ROOT)
            {
                if let Err(other) = trie.mark(end, marks) {
                    let message =
                        format!("a wording of {pattern:?} is also a phrase with other flags ({other:#x})");
                    self.error(FILE, n, message);
                }
            }
        }
        self.tries = Some(tries);
    }

    /// The trie label of a (canonical) word, given one on first sight.
    fn label(&mut self, word: &[u8]) -> Result<u16, String> {
        if word.len() > MAX_KNOWN {
            return Err(format!("{} is longer than {MAX_KNOWN} bytes", show(word)));
        }
        let entry = self.words.entry(word.into()).or_default();
        if entry.role & role::FILLER != 0 {
            return Err(format!("{} is a filler, which messages drop", show(word)));
        }
        if entry.id == 0 {
            if self.next_id + 1 >= CLASS {
                return Err("too many distinct words".to_owned());
            }
            self.next_id += 1;
            entry.id = self.next_id;
        }
        Ok(entry.id)
    }

    /// Defines a macro: its one-word choices become a class if there are
    /// enough of them.
    fn define(&mut self, name: &str, items: Vec<Item>) -> Result<(), String> {
        let choices = match <[Item; 1]>::try_from(items) {
            Ok([Item::Choice(choices)]) => choices,
            Ok([item]) => vec![vec![item]],
            Err(items) => vec![items],
        };
        let mut single = Vec::new();
        let mut rest = Vec::new();
        for choice in choices {
            match choice.as_slice() {
                [Item::Word(word)] if word != "^" && words_of(word).len() == 1 => {
                    let word = words_of(word).remove(0);
                    single.push(self.canonical(word));
                }
                _ => rest.push(choice),
            }
        }
        let mut definition = Macro::default();
        if single.len() >= CLASS_MIN {
            if self.classes == 32 {
                return Err("more than 32 word classes".to_owned());
            }
            let class = self.classes;
            self.classes += 1;
            for word in single {
                if word.len() > MAX_KNOWN {
                    return Err(format!("{} is longer than {MAX_KNOWN} bytes", show(&word)));
                }
                let entry = self.words.entry(word.clone()).or_default();
                if entry.role & role::FILLER != 0 {
                    return Err(format!("{} is a filler, which messages drop", show(&word)));
                }
                entry.classes |= 1 << class;
            }
            definition.class = Some(class);
        } else {
            rest.extend(single.into_iter().map(|word| vec![Item::Word(show(&word))]));
        }
        definition.rest = rest;
        if self.macros.insert(name.to_owned(), definition).is_some() {
            return Err(format!("macro @{name} defined twice"));
        }
        // Every macro it uses must exist already.
        let definition = &self.macros[name];
        definition
            .rest
            .iter()
            .try_for_each(|choice| self.check_macros(choice))
    }

    /// Adds every wording a pattern stands for to `trie`, from each of
    /// `nodes` ([`START`] before the first word), and gives the nodes they
    /// end at. The wordings are never spelled out one by one: the pattern is
    /// walked a step at a time over the set of nodes reached so far, so
    /// shared beginnings cost once.
    fn walk(
        &mut self,
        trie: &mut TrieBuilder,
        items: &[Item],
        mut nodes: Vec<u32>,
    ) -> Result<Vec<u32>, String> {
        let from = |node: u32| if node == START { ROOT } else { node };
        for item in items {
            nodes = match item {
                Item::Word(word) if word == "^" => {
                    if nodes.iter().any(|&node| node != START) {
                        return Err("^ may only open a phrase".to_owned());
                    }
                    vec![ANCHORED_ROOT]
                }
                Item::Word(word) if word.contains('^') => return Err(format!("write ^ apart in {word:?}")),
                Item::Word(word) => {
                    let mut labels = Vec::new();
                    for word in words_of(word) {
                        labels.push(self.label(&self.canonical(word))?);
                    }
                    if labels.is_empty() {
                        continue;
                    }
                    nodes
                        .iter()
                        .map(|&node| {
                            labels
                                .iter()
                                .fold(from(node), |node, &label| trie.child_or_insert(node, label))
                        })
                        .collect()
                }
                Item::Choice(choices) => {
                    let mut all = Vec::new();
                    for choice in choices {
                        all.extend(self.walk(trie, choice, nodes.clone())?);
                    }
                    all
                }
                Item::Macro(name) => {
                    let definition = self
                        .macros
                        .get(name)
                        .cloned()
                        .ok_or_else(|| format!("unknown macro @{name}"))?;
                    let mut all: Vec<u32> = definition
                        .class
                        .iter()
                        .flat_map(|&class| nodes.iter().map(move |&node| (node, CLASS + class)))
                        .map(|(node, label)| trie.child_or_insert(from(node), label))
                        .collect();
                    for choice in &definition.rest {
                        all.extend(self.walk(trie, choice, nodes.clone())?);
                    }
                    all
                }
            };
            nodes.sort_unstable();
            nodes.dedup();
        }
        Ok(nodes)
    }

    /// Every macro `items` use is defined.
    fn check_macros(&self, items: &[Item]) -> Result<(), String> {
        items.iter().try_for_each(|item| match item {
            Item::Word(_) => Ok(()),
            Item::Choice(choices) => choices.iter().try_for_each(|choice| self.check_macros(choice)),
            Item::Macro(name) if self.macros.contains_key(name) => Ok(()),
            Item::Macro(name) => Err(format!("unknown macro @{name}")),
        })
    }

    fn emoji(&mut self, text: &str) {
        const FILE: &str = "emoji_sentiment.tsv";
        for (n, fields) in lines(text) {
            let [emoji, score, _name] = fields.as_slice() else {
                self.error(FILE, n, "expected emoji<TAB>score<TAB>name");
                continue;
            };
            let Some(base) = emoji.chars().next() else {
                self.error(FILE, n, "no emoji");
                continue;
            };
            match score.parse::<f32>() {
                Ok(score) if (-1.0..=1.0).contains(&score) => self.emoji.push((base, score)),
                _ => self.error(FILE, n, format_args!("score {score:?} is not in [-1, 1]")),
            }
        }
        self.emoji.sort_by_key(|&(c, _)| c);
        let twice: Vec<_> = self
            .emoji
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| w[0].0)
            .collect();
        for c in twice {
            self.error(FILE, 0, format_args!("{c} is rated twice"));
        }
    }

    fn finish(mut self) -> Result<Lexicon, Vec<String>> {
        let tries = self
            .tries
            .take()
            .unwrap_or_else(|| [TrieBuilder::new(), TrieBuilder::new()]);
        // Typos: each keyword with two neighbouring letters swapped, unless
        // that spelling is a word already.
        for keyword in std::mem::take(&mut self.typos) {
            for i in 0..keyword.len().saturating_sub(1) {
                let mut typo = keyword.clone();
                typo.swap(i, i + 1);
                if typo != keyword && !self.words.contains_key(&typo) && !self.variants.contains_key(&typo) {
                    self.variants.insert(typo, keyword.clone());
                }
            }
        }
        for (variant, canonical) in &self.variants {
            let mut entry = self.words.get(canonical).copied().unwrap_or_default();
            if self.then_s.contains(variant) {
                entry.role |= role::THEN_S;
            }
            let slot = self.words.entry(variant.clone()).or_default();
            if slot.style != 0 || slot.id != 0 || slot.classes != 0 {
                self.errors
                    .push(format!("variant {} is also used as a word", show(variant)));
            }
            // A role given to the variant itself stays.
            *slot = Word {
                role: entry.role | slot.role,
                ..entry
            };
        }
        let mut words = HashMap::default();
        let tries = tries.map(|trie| (trie.freeze(), trie));
        for (word, mut entry) in self.words {
            for layer in [Layer::Content, Layer::Opening] {
                let (frozen, trie) = &tries[layer as usize];
                for (anchored, root) in [(false, ROOT), (true, ANCHORED_ROOT)] {
                    let first = if entry.id == 0 {
                        None
                    } else {
                        trie.child(root, entry.id)
                    };
                    entry.first[layer as usize][usize::from(anchored)] = first.unwrap_or(0);
                    if first.is_some() || frozen.root_class_mask[root as usize] & entry.classes != 0 {
                        entry.starts |= start_bit(layer, anchored);
                    }
                }
            }
            match key(&word) {
                Some(key) => {
                    words.insert(key, entry);
                }
                None if entry == Word::default() => {}
                None => self
                    .errors
                    .push(format!("{} is longer than {MAX_KNOWN} bytes", show(&word))),
            }
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let [(content, _), (opening, _)] = tries;
        Ok(Lexicon {
            words,
            tries: [content, opening],
            emoji: self.emoji,
        })
    }
}

/// Parses a pattern: words, `(a|b c|)` choices and `@macro`s, apart from
/// each other.
fn parse(pattern: &str) -> Result<Vec<Item>, String> {
    fn sequence(chars: &[char], pos: &mut usize, depth: usize) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        loop {
            while chars.get(*pos).is_some_and(|c| c.is_whitespace()) {
                *pos += 1;
            }
            let Some(&c) = chars.get(*pos) else { break };
            let item = match c {
                ')' | '|' if depth == 0 => return Err(format!("a stray {c}")),
                ')' | '|' => break,
                '(' => {
                    *pos += 1;
                    let mut choices = Vec::new();
                    loop {
                        choices.push(sequence(chars, pos, depth + 1)?);
                        match chars.get(*pos) {
                            Some('|') => *pos += 1,
                            Some(')') => {
                                *pos += 1;
                                break;
                            }
                            _ => return Err("a ( is not closed".to_owned()),
                        }
                    }
                    Item::Choice(choices)
                }
                _ => {
                    let start = *pos;
                    while chars
                        .get(*pos)
                        .is_some_and(|&c| !c.is_whitespace() && !"()|".contains(c))
                    {
                        *pos += 1;
                    }
                    let text: String = chars[start..*pos].iter().collect();
                    match text.strip_prefix('@') {
                        Some(name) => Item::Macro(name.to_owned()),
                        None => Item::Word(text),
                    }
                }
            };
            if chars
                .get(*pos)
                .is_some_and(|&c| !c.is_whitespace() && c != '|' && c != ')')
            {
                return Err(format!(
                    "write apart what follows {:?}",
                    chars[..*pos].iter().collect::<String>()
                ));
            }
            items.push(item);
        }
        Ok(items)
    }

    // ^ anchors the whole pattern and may touch what follows.
    let (mut items, rest) = match pattern.trim_start().strip_prefix('^') {
        Some(rest) => (vec![Item::Word("^".to_owned())], rest),
        None => (Vec::new(), pattern),
    };
    let chars: Vec<char> = rest.chars().collect();
    items.extend(sequence(&chars, &mut 0, 0)?);
    Ok(items)
}

/// The marks of a flag column such as `GOOD_NEWS` or `HARD_NEWS+DISCLOSURE`.
fn marks_of(head: &str) -> Option<u16> {
    head.split('+').try_fold(0, |marks, name| {
        let mark = match name {
            "QUESTION" => Flags::QUESTION.0,
            "GRATITUDE" => Flags::GRATITUDE.0,
            "APOLOGY" => Flags::APOLOGY.0,
            "GOOD_NEWS" => Flags::GOOD_NEWS.0,
            "HARD_NEWS" => Flags::HARD_NEWS.0,
            "DISCLOSURE" => Flags::DISCLOSURE.0,
            "SUPPORT" => Flags::SUPPORT.0,
            "SORRY" => mark::SORRY,
            "HARD_CUE" => mark::HARD_CUE,
            "RHETORICAL" => mark::RHETORICAL,
            "NONE" => mark::NONE,
            _ => return None,
        };
        Some(marks | mark)
    })
}

impl Step for Word {
    fn id(&self) -> u16 {
        self.id
    }

    fn classes(&self) -> u32 {
        self.classes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(lexicon: &Lexicon, text: &str) -> Vec<Word> {
        words_of(text).iter().map(|w| lexicon.word_of(w)).collect()
    }

    #[test]
    fn data_files_parse() {
        for lang in Lang::ALL {
            if let Err(errors) = Lexicon::parse_lang(lang) {
                panic!("{}: {} errors:\n{}", lang.name(), errors.len(), errors.join("\n"));
            }
        }
    }

    #[test]
    fn patterns_stand_for_every_wording_through_words_and_classes() -> Result<(), String> {
        let mut builder = Builder::default();
        builder.define("kin", parse("(mum|dad|gran|aunt|best friend)")?)?;
        let mut trie = TrieBuilder::new();
        let ends = builder.walk(&mut trie, &parse("(my|our) @kin ('s|is) (ill|)")?, vec![START])?;
        // Two owners, the class or "best friend", two verbs, with or without "ill".
        assert_eq!(ends.len(), 16);
        let label = |builder: &Builder, w: &str| builder.words[w.as_bytes()].id;
        let path = |trie: &TrieBuilder, labels: &[u16]| {
            labels
                .iter()
                .try_fold(ROOT, |node, &label| trie.child(node, label))
        };
        let [my, our, best, friend, s, is, ill] =
            ["my", "our", "best", "friend", "'s", "is", "ill"].map(|w| label(&builder, w));
        let kin = CLASS; // the first class
        for labels in [&[my, kin, s, ill][..], &[our, best, friend, is], &[my, kin, is]] {
            let end = path(&trie, labels).expect("a wording is a path");
            assert!(ends.contains(&end), "{labels:?}");
        }
        assert_eq!(path(&trie, &[my, kin, ill]), None, "no verb, no phrase");
        assert_eq!(builder.words[&b"gran"[..]].classes, 1);
        assert!(parse("(a|b").is_err());
        assert!(parse("a)").is_err());
        assert!(parse("(a|b)'s").is_err(), "parts must be written apart");
        assert!(builder.walk(&mut trie, &parse("@nope")?, vec![START]).is_err());
        assert!(builder.define("bad", parse("(a|@nope)")?).is_err());
        // `^` opens a phrase from the anchored root, and nowhere else.
        let anchored = builder.walk(&mut trie, &parse("^ (my|our) @kin")?, vec![START])?;
        assert_eq!(anchored.len(), 4, "two owners, the class or \"best friend\"");
        assert!(anchored.iter().all(|&end| trie.marks(end) == 0));
        assert!(
            builder
                .walk(&mut trie, &parse("my ^ @kin")?, vec![START])
                .is_err()
        );
        Ok(())
    }

    #[test]
    fn variants_and_typos_read_as_the_canonical_word() {
        let lexicon = &*LEXICON;
        assert_eq!(lexicon.word_of(b"thx"), lexicon.word_of(b"thanks"));
        assert_eq!(lexicon.word_of(b"thnaks"), lexicon.word_of(b"thanks"));
        assert_eq!(lexicon.word_of(b"u"), lexicon.word_of(b"you"));
        assert_ne!(lexicon.word_of(b"you").style, 0);
        let thats = lexicon.word_of(b"thats");
        assert_eq!(thats.id, lexicon.word_of(b"that").id);
        assert_ne!(thats.role & role::THEN_S, 0);
        assert_eq!(
            lexicon.word_of(b"a-word-longer-than-any-known-one"),
            Word::default()
        );
    }

    #[test]
    fn phrases_are_found_longest_first() {
        let lexicon = &*LEXICON;
        let trie = lexicon.trie(Layer::Content);
        let found = |text| {
            let words = words(lexicon, text);
            trie.longest(false, words[0].first[Layer::Content as usize][0], &words)
        };
        assert_eq!(found("sorry to hear that"), (3, Flags::SUPPORT.0));
        assert_eq!(found("sorry again"), (2, Flags::APOLOGY.0));
        assert_eq!(found("sorry"), (1, mark::SORRY));
        assert_eq!(found("nothing here"), (0, 0));
        // Through a class: @kin.
        assert_eq!(found("my gran 's in hospital"), (5, Flags::HARD_NEWS.0));
        let starts =
            |word: &[u8], layer, anchored| lexicon.word_of(word).starts & start_bit(layer, anchored) != 0;
        assert!(starts(b"sorry", Layer::Content, false));
        assert!(!starts(b"sorry", Layer::Opening, true));
        assert!(starts(b"did", Layer::Opening, true));
    }

    #[test]
    fn emoji_sentiment_is_looked_up_by_base() {
        let lexicon = &*LEXICON;
        assert!(lexicon.emoji_sentiment('🎉').is_some_and(|s| s > 0.5));
        assert!(lexicon.emoji_sentiment('💔').is_some_and(|s| s < -0.5));
        assert_eq!(lexicon.emoji_sentiment('🦫'), None);
    }
}
