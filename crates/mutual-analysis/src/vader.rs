//! VADER sentiment (Hutto and Gilbert, 2014), scoring every text as the
//! reference implementation vaderSentiment 3.3.2 does.
//!
//! The rules are the reference's, quirks included, because the scores must
//! agree with it to the published precision:
//!
//! - emoji (single code points only) are replaced by their description;
//! - tokens are split on Python's whitespace and lose leading and trailing
//!   ASCII punctuation unless that leaves two characters or fewer (`:)`);
//! - a lexicon word's valence is turned by `no`, ALL CAPS amid lower case,
//!   up to three preceding boosters and negations (`never so`, `without
//!   doubt`), the special idioms (`the shit`, `yeah right`, `kind of`) and
//!   `least`; booster words and `kind` before `of` score zero;
//! - `but` halves what comes before and raises by half what comes after,
//!   finding each value by its first equal value as the reference's
//!   `list.index` does;
//! - `!` (up to four) and `?` (two or more) add emphasis; the sum, added
//!   as Python 3.12 and newer add (compensated), is normalised to the
//!   compound and the parts to `neg`, `neu`, `pos`;
//! - results are rounded as Python's `round` does.
//!
//! The lexicons come from the crate `qsv_vader_sentiment_analysis` (MIT),
//! whose word lexicon is 3.3.2's less two entries and folds case; see
//! [`LEXICON_PATCH`]. They are read once into one open-addressing table from
//! lowercased token (packed into three words, on the stack) to everything
//! the rules ask of it: valence, booster, negation, and the word's role in
//! the rules as a small enum. Scoring a token is one probe or two, and a
//! message allocates nothing unless it holds an emoji (buffers are reused
//! per thread). A chat message takes about half a microsecond, some ten
//! times less than the `vader-parity` crate (`benches/vader.rs`).
//!
//! Agreement is tested on texts scored by the Python package
//! (`tests/data/vader/`) and against `vader-parity` on generated texts. Two
//! things the reference leaves to its interpreter: the sum of valences is
//! Python 3.12's `sum()` (older Pythons add naively, and differ where
//! valences cancel exactly), and upper and lower case come from Rust's
//! Unicode tables (a Python on an older Unicode may differ on characters
//! added since).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use qsv_vader_sentiment_analysis::{EMOJI_LEXICON, LEXICON};

use crate::lang::Lang;

/// The four VADER scores of a text, rounded as the reference rounds them
/// (three decimals for the proportions, four for the compound).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sentiment {
    pub neg: f64,
    pub neu: f64,
    pub pos: f64,
    /// Normalised to [-1, 1].
    pub compound: f64,
}

/// Scores one English text.
///
/// A text without tokens (empty or only whitespace) scores all zeros, `neu`
/// included, as in the reference.
pub fn sentiment(text: &str) -> Sentiment {
    sentiment_in(text, Lang::En)
}

/// Scores one text written in `lang`: English exactly as the reference
/// does; another language with the same rules over its own lexicon and
/// rule words (`data/<lang>/`: negations, boosters and contrast words such
/// as "pero", "mais", "aber"), without English's idioms. Emoji become their
/// English descriptions in every language, and those words keep their
/// English valence where the language's lexicon lacks them.
pub fn sentiment_in(text: &str, lang: Lang) -> Sentiment {
    let (text, table) = match lang {
        Lang::En => (replace_emoji(text, ""), &*TABLE),
        other => (replace_emoji(text, EMOJI_MARK), &*LANG_TABLES[other.index() - 1]),
    };
    SCRATCH.with_borrow_mut(|scratch| score(&text, scratch, table))
}

/// Marks the words of an emoji's description in other languages than
/// English, so that they keep their English valence without a word of the
/// language that is spelled alike ("no" in Portuguese, "red" in Spanish)
/// taking it (a private-use character, which no message writes).
const EMOJI_MARK: &str = "\u{E000}";

// Constants of the reference, empirically derived by its authors.
const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
const C_INCR: f64 = 0.733;
const N_SCALAR: f64 = -0.74;
const ALPHA: f64 = 15.0;

/// Corrections that turn the dependency's lexicon into the one 3.3.2 looks
/// up. 3.3.2 keeps its lexicon in an exact-case dictionary and looks up
/// lowercased tokens, while `qsv_vader_sentiment_analysis` folds case: there
/// `:P` (1.4) overwrites `:p` (1.0), and `:Þ`, `:-Þ` answer to `:þ`, `:-þ`,
/// which 3.3.2 can never reach. Its lexicon also predates `heart` and
/// `hearts`. `None` removes the entry.
const LEXICON_PATCH: &[(&str, Option<f64>)] = &[
    (":p", Some(1.0)),
    (":þ", None),
    (":-þ", None),
    ("heart", Some(3.2)),
    ("hearts", Some(3.3)),
];

/// Single words that boost the valence of a following lexicon word by
/// [`B_INCR`]. The reference's two-word boosters are [`booster_pair`].
const BOOSTERS_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerable",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormous",
    "enormously",
    "entirely",
    "especially",
    "exceptional",
    "exceptionally",
    "extreme",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "frackin",
    "fracking",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fuckin",
    "fucking",
    "fuggin",
    "fugging",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredible",
    "incredibly",
    "intensely",
    "major",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "total",
    "totally",
    "tremendous",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utter",
    "utterly",
    "very",
];

/// Single words that dampen it, by [`B_DECR`].
const BOOSTERS_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "kinda",
    "kindof",
    "kind-of",
    "less",
    "little",
    "marginal",
    "marginally",
    "occasional",
    "occasionally",
    "partly",
    "scarce",
    "scarcely",
    "slight",
    "slightly",
    "somewhat",
    "sorta",
    "sortof",
    "sort-of",
];

/// Words that negate. Any other token containing `n't` negates too.
const NEGATIONS: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// The words that the rules name, so that a rule compares a byte instead of
/// a string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Word {
    #[default]
    Other,
    No,
    Or,
    Nor,
    Kind,
    Of,
    Never,
    So,
    This,
    Without,
    Doubt,
    Least,
    At,
    Very,
    But,
    The,
    Shit,
    Bomb,
    Bad,
    Ass,
    Bus,
    Stop,
    Yeah,
    Right,
    Beating,
    Heart,
    Kiss,
    Death,
    To,
    Die,
    For,
    Just,
    Enough,
    Sort,
}

const NAMED_WORDS: &[(&str, Word)] = &[
    ("no", Word::No),
    ("or", Word::Or),
    ("nor", Word::Nor),
    ("kind", Word::Kind),
    ("of", Word::Of),
    ("never", Word::Never),
    ("so", Word::So),
    ("this", Word::This),
    ("without", Word::Without),
    ("doubt", Word::Doubt),
    ("least", Word::Least),
    ("at", Word::At),
    ("very", Word::Very),
    ("but", Word::But),
    ("the", Word::The),
    ("shit", Word::Shit),
    ("bomb", Word::Bomb),
    ("bad", Word::Bad),
    ("ass", Word::Ass),
    ("bus", Word::Bus),
    ("stop", Word::Stop),
    ("yeah", Word::Yeah),
    ("right", Word::Right),
    ("beating", Word::Beating),
    ("heart", Word::Heart),
    ("kiss", Word::Kiss),
    ("death", Word::Death),
    ("to", Word::To),
    ("die", Word::Die),
    ("for", Word::For),
    ("just", Word::Just),
    ("enough", Word::Enough),
    ("sort", Word::Sort),
];

/// The reference's two-word special cases (idioms containing lexicon words).
fn special_pair(a: Word, b: Word) -> Option<f64> {
    use Word::*;
    match (a, b) {
        (The, Shit) | (The, Bomb) => Some(3.0),
        (Bad, Ass) => Some(1.5),
        (Bus, Stop) => Some(0.0),
        (Yeah, Right) => Some(-2.0),
        (Beating, Heart) => Some(3.5),
        _ => None,
    }
}

/// The reference's three-word special cases.
fn special_triple(a: Word, b: Word, c: Word) -> Option<f64> {
    use Word::*;
    match (a, b, c) {
        (Kiss, Of, Death) => Some(-1.5),
        (To, Die, For) => Some(3.0),
        _ => None,
    }
}

/// The reference's two-word boosters (all dampeners).
fn booster_pair(a: Word, b: Word) -> Option<f64> {
    use Word::*;
    match (a, b) {
        (Just, Enough) | (Kind, Of) | (Sort, Of) => Some(B_DECR),
        _ => None,
    }
}

/// What the rules ask of one lowercased word: its lexicon valence and
/// [`Flags`], and its role in the rules.
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    valence: f64,
    flags: u8,
    word: Word,
}

/// Bits of [`Entry::flags`] (and so of [`Token::flags`]).
struct Flags;

impl Flags {
    const LEXICON: u8 = 1;
    const BOOST_UP: u8 = 2;
    const BOOST_DOWN: u8 = 4;
    /// A negation word, or (for a token) a token containing `n't`.
    const NEGATION: u8 = 8;
    /// Python's `str.isupper()`: some cased character and none lowercase.
    const UPPER: u8 = 16;
    /// (Other languages.) The token ends its clause: `,` `;` `.` `!` `?`.
    const CLAUSE_END: u8 = 32;
    /// (Other languages.) A word of an emoji's description: its feeling
    /// is shown, not said, so no word negates or boosts it.
    const EMOJI: u8 = 64;
}

/// One token, as the rules see it: its entry with the token's own flags.
type Token = Entry;

impl Entry {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    fn in_lexicon(&self) -> bool {
        self.has(Flags::LEXICON)
    }

    fn booster(&self) -> Option<f64> {
        if self.has(Flags::BOOST_UP) {
            Some(B_INCR)
        } else if self.has(Flags::BOOST_DOWN) {
            Some(B_DECR)
        } else {
            None
        }
    }
}

/// A lowercased token as a table key: its bytes zero-padded to 23, its
/// length in the 24th, read as three words. Longer tokens have no key (the
/// longest lexicon word has 19 bytes), and neither have those with non-ASCII
/// characters (every key is ASCII). The all-zero key marks an empty slot:
/// tokens are never empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Key([u64; 3]);

impl Key {
    const MAX_LEN: usize = 23;

    /// The key of bytes as they are (already lowercased).
    fn of_bytes(bytes: &[u8]) -> Option<Key> {
        if bytes.is_empty() || bytes.len() > Self::MAX_LEN {
            return None;
        }
        let mut buf = [0u8; 24];
        buf[..bytes.len()].copy_from_slice(bytes);
        Some(Key::from_buf(buf, bytes.len()))
    }

    /// The key of ASCII bytes, lowercased.
    #[cfg(test)]
    fn new(ascii: &[u8]) -> Option<Key> {
        if ascii.len() > Self::MAX_LEN {
            return None;
        }
        let mut buf = [0u8; 24];
        buf[..ascii.len()].copy_from_slice(ascii);
        buf[..ascii.len()].make_ascii_lowercase();
        Some(Key::from_buf(buf, ascii.len()))
    }

    fn from_buf(mut buf: [u8; 24], len: usize) -> Key {
        buf[23] = len as u8;
        let word = |k: usize| u64::from_le_bytes(buf[k * 8..k * 8 + 8].try_into().expect("8 bytes"));
        Key([word(0), word(1), word(2)])
    }

    /// No key has length 0, so a zero last word marks an empty slot.
    fn is_empty(&self) -> bool {
        self.0[2] == 0
    }

    fn hash(&self) -> u64 {
        let [a, b, c] = self.0;
        (a ^ b.rotate_left(21) ^ c.rotate_left(42)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

/// Open addressing with linear probing, filled to less than half.
#[derive(Debug)]
struct Table {
    slots: Box<[(Key, Entry)]>,
    shift: u32,
    /// How a token with non-ASCII characters becomes a key.
    fold: Fold,
    /// A negation may follow what it negates ("das gefällt mir nicht").
    negation_after: bool,
}

/// How a token with non-ASCII characters becomes a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fold {
    /// As the English reference: only tokens that lowercase to ASCII have one.
    Ascii,
    /// Lowercased, accents kept (`très`).
    Unicode,
    /// Lowercased and without accents (`nao` for `não`), as the Portuguese
    /// lexicon writes its words.
    Unaccented,
}

impl Table {
    const BITS: u32 = 14;

    fn get(&self, key: Key) -> Entry {
        let mask = self.slots.len() - 1;
        let mut at = (key.hash() >> self.shift) as usize;
        loop {
            let (k, entry) = &self.slots[at];
            if *k == key {
                return *entry;
            }
            if k.is_empty() {
                return Entry::default();
            }
            at = (at + 1) & mask;
        }
    }
}

static TABLE: LazyLock<Table> = LazyLock::new(build_table);

/// The tables of the other languages, in [`Lang::ALL`] order after
/// English, each built on first use.
static LANG_TABLES: [LazyLock<Table>; 5] = [
    LazyLock::new(|| lang_table(Lang::Es)),
    LazyLock::new(|| lang_table(Lang::Pt)),
    LazyLock::new(|| lang_table(Lang::Fr)),
    LazyLock::new(|| lang_table(Lang::De)),
    LazyLock::new(|| lang_table(Lang::It)),
];

fn lang_table(lang: Lang) -> Table {
    match build_lang_table(lang) {
        Ok(table) => table,
        // The data files are part of the crate; `lang_tables_build` tests them.
        Err(e) => panic!("the bundled sentiment data of {} are invalid: {e}", lang.name()),
    }
}

/// A language's sentiment data: its lexicon and rule words (third-party,
/// see NOTICE), and what this project adds to each.
struct LangData {
    lexicon: &'static str,
    rules: &'static str,
    lexicon_more: &'static str,
    rules_more: &'static str,
    fold: Fold,
    negation_after: bool,
}

macro_rules! lang_data {
    ($lang:literal, $fold:expr, $negation_after:expr) => {
        LangData {
            lexicon: include_str!(concat!("../data/", $lang, "/sentiment.tsv")),
            rules: include_str!(concat!("../data/", $lang, "/rules.tsv")),
            lexicon_more: include_str!(concat!("../data/", $lang, "/sentiment_more.tsv")),
            rules_more: include_str!(concat!("../data/", $lang, "/rules_more.tsv")),
            fold: $fold,
            negation_after: $negation_after,
        }
    };
}

/// The data of a language other than English (whose lexicon comes from a
/// crate, read as the reference reads it).
fn lang_data(lang: Lang) -> Option<LangData> {
    match lang {
        Lang::En => None,
        Lang::Es => Some(lang_data!("es", Fold::Unicode, false)),
        Lang::Pt => Some(lang_data!("pt", Fold::Unaccented, false)),
        // vader_FR looks its words up without accents, as LeIA does; French
        // puts "pas" after the verb.
        Lang::Fr => Some(lang_data!("fr", Fold::Unaccented, true)),
        // German puts "nicht" after the verb it negates, too.
        Lang::De => Some(lang_data!("de", Fold::Unicode, true)),
        Lang::It => Some(lang_data!("it", Fold::Unicode, false)),
    }
}

/// A language's table: its lexicon (the project's additions win), its rule
/// words, and the English valence of the words of emoji descriptions it
/// lacks. Contrast words take the role of "but".
fn build_lang_table(lang: Lang) -> Result<Table, String> {
    let data = lang_data(lang).ok_or("English has its own table")?;
    let mut entries: HashMap<Vec<u8>, Entry> = HashMap::new();
    let key_of = |word: &str| fold_word(word, data.fold).into_bytes();
    for (file, text) in [
        ("sentiment.tsv", data.lexicon),
        ("sentiment_more.tsv", data.lexicon_more),
    ] {
        for (n, line) in data_lines(text) {
            let [word, valence] = line[..] else {
                return Err(format!("{file}:{n}: expected token<TAB>valence"));
            };
            let valence: f64 = valence
                .parse()
                .ok()
                .filter(|v: &f64| (-4.0..=4.0).contains(v))
                .ok_or_else(|| format!("{file}:{n}: {valence:?} is not a valence from -4 to 4"))?;
            let entry = entries.entry(key_of(word)).or_default();
            entry.valence = valence;
            entry.flags |= Flags::LEXICON;
        }
    }
    for (file, text) in [("rules.tsv", data.rules), ("rules_more.tsv", data.rules_more)] {
        for (n, line) in data_lines(text) {
            let [kind, word, value] = line[..] else {
                return Err(format!("{file}:{n}: expected kind<TAB>token<TAB>value"));
            };
            let value: f64 = value
                .parse()
                .map_err(|_| format!("{file}:{n}: {value:?} is not a number"))?;
            let entry = entries.entry(key_of(word)).or_default();
            match kind {
                "negation" => entry.flags |= Flags::NEGATION,
                "booster" if value > 0.0 => entry.flags |= Flags::BOOST_UP,
                "booster" => entry.flags |= Flags::BOOST_DOWN,
                "contrast" => entry.word = Word::But,
                // What the third-party list makes a rule word, ours may
                // make a plain word again ("demais" as "awesome").
                "plain" => {
                    entry.flags &= !(Flags::NEGATION | Flags::BOOST_UP | Flags::BOOST_DOWN);
                    if entry.word == Word::But {
                        entry.word = Word::Other;
                    }
                }
                other => return Err(format!("{file}:{n}: unknown kind {other:?}")),
            }
        }
    }
    // A negation or a booster is only that ("no sabe nadie" is not negative
    // by its "no"; the lexicons carry English "no"'s own score over), and a
    // lexicon word in the way would stop the rules that look back for it.
    // A booster keeps its own valence aside, for when it boosts nothing
    // ("c'est super").
    for entry in entries.values_mut() {
        if entry.has(Flags::NEGATION) {
            entry.valence = 0.0;
        }
        if entry.has(Flags::NEGATION | Flags::BOOST_UP | Flags::BOOST_DOWN) {
            entry.flags &= !Flags::LEXICON;
        }
    }
    // The words of emoji descriptions, marked, with their English valence.
    let mut english: HashMap<String, f64> = LEXICON.iter().map(|(w, &v)| (w.to_lowercase(), v)).collect();
    for &(word, valence) in LEXICON_PATCH {
        match valence {
            Some(v) => english.insert(word.to_owned(), v),
            None => english.remove(word),
        };
    }
    for (_, description) in EMOJI.descriptions.iter() {
        for word in description.split_whitespace() {
            let word = word.to_lowercase();
            if let Some(&valence) = english.get(&word) {
                let entry = entries
                    .entry(format!("{EMOJI_MARK}{word}").into_bytes())
                    .or_default();
                entry.valence = valence;
                entry.flags |= Flags::LEXICON | Flags::EMOJI;
            }
        }
    }
    for &(emoji, score) in RATED.iter() {
        let entry = entries
            .entry(rated_token(EMOJI_MARK, emoji).into_bytes())
            .or_default();
        entry.valence = score * EMOJI_VALENCE;
        entry.flags |= Flags::LEXICON | Flags::EMOJI;
    }
    let mut table = fill(entries, data.fold);
    table.negation_after = data.negation_after;
    Ok(table)
}

/// The lines of a data file that are not blank or comments, split at tabs.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| (i + 1, line.split('\t').collect()))
}

/// A word as a table of `fold` keys it: lowercased, and without accents for
/// [`Fold::Unaccented`].
fn fold_word(word: &str, fold: Fold) -> String {
    let lower = word.to_lowercase().replace('’', "'");
    match fold {
        Fold::Unaccented => {
            use unicode_normalization::UnicodeNormalization;
            lower
                .nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .collect()
        }
        Fold::Ascii | Fold::Unicode => lower,
    }
}

fn build_table() -> Table {
    let mut entries: HashMap<Vec<u8>, Entry> = HashMap::new();
    for (word, &valence) in LEXICON.iter() {
        let word: &str = word.as_ref();
        let entry = entries.entry(word.to_lowercase().into_bytes()).or_default();
        entry.valence = valence;
        entry.flags |= Flags::LEXICON;
    }
    for &(word, valence) in LEXICON_PATCH {
        match valence {
            Some(valence) => {
                let entry = entries.entry(word.as_bytes().to_vec()).or_default();
                entry.valence = valence;
                entry.flags |= Flags::LEXICON;
            }
            None => {
                entries.remove(word.as_bytes());
            }
        }
    }
    let mut flag = |words: &[&str], flag: u8| {
        for word in words {
            entries.entry(word.as_bytes().to_vec()).or_default().flags |= flag;
        }
    };
    flag(BOOSTERS_UP, Flags::BOOST_UP);
    flag(BOOSTERS_DOWN, Flags::BOOST_DOWN);
    flag(NEGATIONS, Flags::NEGATION);
    for &(text, word) in NAMED_WORDS {
        entries.entry(text.as_bytes().to_vec()).or_default().word = word;
    }

    fill(entries, Fold::Ascii)
}

/// The open-addressing table of `entries`. Keys with a space (`fed up`) can
/// never match a token, nor, in an ASCII table, keys with other bytes, nor
/// keys longer than a [`Key`] holds.
fn fill(entries: HashMap<Vec<u8>, Entry>, fold: Fold) -> Table {
    let keys: Vec<(Key, Entry)> = entries
        .into_iter()
        .filter(|(word, _)| (fold != Fold::Ascii || word.is_ascii()) && !word.contains(&b' '))
        .filter_map(|(word, entry)| Some((Key::of_bytes(&word)?, entry)))
        .collect();
    let bits = Table::BITS.max(usize::BITS - (keys.len() * 2).leading_zeros());
    let mut slots = vec![(Key::default(), Entry::default()); 1 << bits].into_boxed_slice();
    assert!(
        keys.len() * 2 < slots.len(),
        "the table stays less than half full"
    );
    let shift = 64 - bits;
    let mask = slots.len() - 1;
    for (key, entry) in keys {
        let mut at = (key.hash() >> shift) as usize;
        while !slots[at].0.is_empty() {
            at = (at + 1) & mask;
        }
        slots[at] = (key, entry);
    }
    Table {
        slots,
        shift,
        fold,
        negation_after: false,
    }
}

/// Single-code-point emoji and their descriptions; the reference compares
/// one code point at a time, so longer sequences never match.
#[derive(Debug)]
struct Emoji {
    /// One bit per code point below [`Emoji::BITSET_END`]: a cheap "maybe".
    bits: Vec<u64>,
    /// Sorted by the emoji.
    descriptions: Vec<(char, &'static str)>,
}

impl Emoji {
    const BITSET_END: u32 = 0x2_0000;

    fn description(&self, c: char) -> Option<&'static str> {
        let cp = c as u32;
        if cp < 0x80 {
            return None;
        }
        if cp < Self::BITSET_END && self.bits[(cp / 64) as usize] & (1 << (cp % 64)) == 0 {
            return None;
        }
        let at = self.descriptions.binary_search_by_key(&c, |&(e, _)| e).ok()?;
        Some(self.descriptions[at].1)
    }
}

static EMOJI: LazyLock<Emoji> = LazyLock::new(|| {
    let mut bits = vec![0u64; (Emoji::BITSET_END / 64) as usize];
    let mut descriptions = Vec::new();
    for (&emoji, &description) in EMOJI_LEXICON.iter() {
        let mut chars = emoji.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            let cp = c as u32;
            if cp < Emoji::BITSET_END {
                bits[(cp / 64) as usize] |= 1 << (cp % 64);
            }
            descriptions.push((c, description));
        }
    }
    descriptions.sort_unstable();
    Emoji { bits, descriptions }
});

/// How strong an emoji rated 1 in `data/emoji_sentiment.tsv` is, as a
/// word of feeling (strong words such as "love" or "great" are about 3).
const EMOJI_VALENCE: f64 = 2.5;

/// The emoji `data/emoji_sentiment.tsv` rates for personal chat (ours),
/// sorted: outside English an emoji's feeling is its rating, not the
/// English words of its description ("fire", "broken heart").
static RATED: LazyLock<Vec<(char, f64)>> = LazyLock::new(|| {
    let mut rated: Vec<(char, f64)> = include_str!("../data/emoji_sentiment.tsv")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let emoji = fields.next()?.chars().next()?;
            let score = fields.next()?.trim().parse().ok()?;
            Some((emoji, score))
        })
        .collect();
    rated.sort_unstable_by_key(|&(c, _)| c);
    rated.dedup_by_key(|&mut (c, _)| c);
    rated
});

fn is_rated(c: char) -> bool {
    c as u32 >= 0x80 && RATED.binary_search_by_key(&c, |&(e, _)| e).is_ok()
}

/// The one marked token a rated emoji becomes outside English.
fn rated_token(mark: &str, c: char) -> String {
    format!("{mark}e{:x}", c as u32)
}

/// The reference's first step: each emoji becomes its description, with a
/// space before it unless one precedes, none after. `mark` goes before each
/// word of a description (nothing for English); with a mark, an emoji we
/// rate becomes one marked token instead, valued by its rating.
fn replace_emoji<'t>(text: &'t str, mark: &str) -> Cow<'t, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let emoji = &*EMOJI;
    let mut out: Option<String> = None;
    let mut prev_space = true;
    for (at, c) in text.char_indices() {
        let rated = !mark.is_empty() && is_rated(c);
        if let Some(description) = emoji.description(c).or(rated.then_some("")) {
            let out = out.get_or_insert_with(|| {
                let mut s = String::with_capacity(text.len() + 32);
                s.push_str(&text[..at]);
                s
            });
            if !prev_space {
                out.push(' ');
            }
            if rated {
                out.push_str(&rated_token(mark, c));
            } else if mark.is_empty() {
                out.push_str(description);
            } else {
                for (k, word) in description.split(' ').enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    out.push_str(mark);
                    out.push_str(word);
                }
            }
            prev_space = false;
        } else if !mark.is_empty() && is_emoji_modifier(c) {
            // Outside English, a variation selector or skin tone would glue
            // itself to the description's last word ("heart\u{fe0f}").
            out.get_or_insert_with(|| text[..at].to_owned());
        } else {
            if let Some(out) = out.as_mut() {
                out.push(c);
            }
            prev_space = c == ' ';
        }
    }
    match out {
        Some(s) => Cow::Owned(s),
        None => Cow::Borrowed(text),
    }
}

/// Bits of [`CLASS`], what scanning needs to know of a byte.
struct Class;

impl Class {
    /// ASCII whitespace as Python counts it: `\t` to `\r`, U+001C to U+001F
    /// (unlike Rust's `char::is_whitespace`) and the space.
    const SPACE: u8 = 1;
    /// The first byte of a multi-byte character that may be whitespace.
    const MAYBE_SPACE: u8 = 2;
    /// ASCII punctuation (Python's `string.punctuation`).
    const PUNCT: u8 = 4;
    const UPPER: u8 = 8;
    const LOWER: u8 = 16;
    const NON_ASCII: u8 = 32;
    const APOSTROPHE: u8 = 64;
    /// `!` or `?`.
    const EMPHASIS: u8 = 128;
}

static CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        class[b] = if matches!(byte, b'\t'..=b'\r' | 0x1C..=0x1F | b' ') {
            Class::SPACE
        } else if byte == b'\'' {
            Class::PUNCT | Class::APOSTROPHE
        } else if byte == b'!' || byte == b'?' {
            Class::PUNCT | Class::EMPHASIS
        } else if byte.is_ascii_punctuation() {
            Class::PUNCT
        } else if byte.is_ascii_uppercase() {
            Class::UPPER
        } else if byte.is_ascii_lowercase() {
            Class::LOWER
        } else if matches!(byte, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            Class::NON_ASCII | Class::MAYBE_SPACE
        } else if byte >= 0x80 {
            Class::NON_ASCII
        } else {
            0
        };
        b += 1;
    }
    class
};

/// The length in bytes of the Python whitespace character (`str.isspace()`,
/// what `str.split()` splits on) at `at`, or 0.
fn space_len(bytes: &[u8], at: usize) -> usize {
    let class = CLASS[bytes[at] as usize];
    if class & Class::SPACE != 0 {
        return 1;
    }
    if class & Class::MAYBE_SPACE == 0 {
        return 0;
    }
    let next = |k: usize| bytes.get(at + k).copied();
    match (bytes[at], next(1), next(2)) {
        // U+0085, U+00A0
        (0xC2, Some(0x85 | 0xA0), _) => 2,
        // U+1680
        (0xE1, Some(0x9A), Some(0x80)) => 3,
        // U+2000..U+200A, U+2028, U+2029, U+202F; U+205F
        (0xE2, Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (0xE2, Some(0x81), Some(0x9F)) => 3,
        // U+3000
        (0xE3, Some(0x80), Some(0x80)) => 3,
        _ => 0,
    }
}

/// Reusable buffers, so that scoring allocates nothing per message.
#[derive(Debug, Default)]
struct Scratch {
    tokens: Vec<Token>,
    valences: Vec<f64>,
    nonzero: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn score(text: &str, scratch: &mut Scratch, table: &Table) -> Sentiment {
    let Scratch {
        tokens,
        valences,
        nonzero,
    } = scratch;
    tokens.clear();
    valences.clear();
    let bytes = text.as_bytes();
    let mut classes = 0;
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let class = CLASS[bytes[at] as usize];
        classes |= class;
        let space = if class & (Class::SPACE | Class::MAYBE_SPACE) == 0 {
            0
        } else {
            space_len(bytes, at)
        };
        if space == 0 {
            at += 1;
            continue;
        }
        if start < at {
            tokens.push(classify(&text[start..at], table));
        }
        at += space;
        start = at;
    }
    if start < bytes.len() {
        tokens.push(classify(&text[start..], table));
    }
    if tokens.is_empty() {
        return Sentiment::default();
    }
    let upper = tokens.iter().filter(|t| t.has(Flags::UPPER)).count();
    let cap_diff = upper > 0 && upper < tokens.len();

    if table.fold == Fold::Ascii {
        for i in 0..tokens.len() {
            valences.push(valence(tokens, i, cap_diff));
        }
    } else {
        clause_valences(tokens, valences, cap_diff, table.negation_after);
    }
    if let Some(but) = tokens.iter().position(|t| t.word == Word::But) {
        but_check(valences, but, nonzero);
    }

    let emphasis = if classes & Class::EMPHASIS == 0 {
        0.0
    } else {
        let exclamations = bytes.iter().filter(|&&b| b == b'!').count();
        let questions = bytes.iter().filter(|&&b| b == b'?').count();
        emphasis(exclamations, questions)
    };
    scores(valences, emphasis)
}

/// One whitespace-delimited token as the rules see it. The reference first
/// strips leading and trailing ASCII punctuation, unless that would leave
/// two characters or fewer (emoticons such as `:)`).
fn classify(raw: &str, table: &Table) -> Token {
    let bytes = raw.as_bytes();
    let is_punct = |b: &u8| CLASS[*b as usize] & Class::PUNCT != 0;
    let start = bytes.iter().position(|b| !is_punct(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !is_punct(b)).map_or(start, |k| k + 1);
    // Cut at ASCII bytes, so at character boundaries.
    let mut token = if end - start <= 2 { raw } else { &raw[start..end] };
    let mut scan = Scan::new(token.as_bytes());
    if scan.classes & Class::NON_ASCII != 0 && token.len() <= 8 && token.len() < raw.len() {
        let chars = token.bytes().filter(|&b| !is_continuation(b)).count();
        if chars <= 2 {
            token = raw;
            scan = Scan::new(bytes);
        }
    }

    let ends_clause = table.fold != Fold::Ascii
        && raw
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '…'));
    if table.fold != Fold::Ascii {
        // Other languages' punctuation ("¡genial!", "«bien»") is not part
        // of the word either.
        let inner = token.trim_matches(is_wide_punctuation);
        if !inner.is_empty() && inner.len() < token.len() {
            token = inner;
            scan = Scan::new(token.as_bytes());
        }
    }
    let (key, upper) = if scan.classes & Class::NON_ASCII == 0 {
        let upper = scan.classes & Class::UPPER != 0 && scan.classes & Class::LOWER == 0;
        (scan.key, upper)
    } else if table.fold == Fold::Ascii {
        fold_unicode(token)
    } else {
        let (_, upper) = fold_unicode(token);
        (Key::of_bytes(fold_word(token, table.fold).as_bytes()), upper)
    };
    let mut entry = key.map_or_else(Entry::default, |key| table.get(key));
    if table.fold != Fold::Ascii && entry.flags == 0 && entry.word == Word::Other {
        let folded = fold_word(token, table.fold);
        // "obrigadaaa", "genialll": a lengthened word is the word; "l'ansia",
        // "dell'anno", "j'adore": an elided article or pronoun goes.
        let elided = folded
            .rsplit_once('\'')
            .map(|(_, word)| word.to_owned())
            .filter(|w| !w.is_empty());
        for candidate in [collapse_runs(&folded), elided].into_iter().flatten() {
            if let Some(found) = Key::of_bytes(candidate.as_bytes()).map(|key| table.get(key))
                && (found.flags != 0 || found.word != Word::Other)
            {
                entry = found;
                break;
            }
        }
    }
    if upper {
        entry.flags |= Flags::UPPER;
    }
    if scan.classes & Class::APOSTROPHE != 0 && has_nt(token.as_bytes()) {
        entry.flags |= Flags::NEGATION;
    }
    if ends_clause {
        entry.flags |= Flags::CLAUSE_END;
    }
    entry
}

/// `word` with every run of three or more equal letters made one, if it
/// has such a run.
fn collapse_runs(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let long = chars
        .windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_alphabetic());
    if !long {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        let mut run = 1;
        while k + run < chars.len() && chars[k + run] == c {
            run += 1;
        }
        let keep = if run >= 3 && c.is_alphabetic() { 1 } else { run };
        out.extend(std::iter::repeat_n(c, keep));
        k += run;
    }
    Some(out)
}

/// Variation selectors and skin tones: they change how an emoji looks, not
/// what it says.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}')
}

/// Punctuation beyond ASCII that opens or closes words in other languages.
fn is_wide_punctuation(c: char) -> bool {
    matches!(
        c,
        '¡' | '¿' | '«' | '»' | '‹' | '›' | '“' | '”' | '„' | '‘' | '’' | '‚' | '…' | '–' | '—'
    ) || c.is_ascii_punctuation()
}

/// One pass over a token's bytes: the union of their classes, and the key
/// of the lowercased token if it is short and ASCII.
struct Scan {
    classes: u8,
    key: Option<Key>,
}

impl Scan {
    fn new(bytes: &[u8]) -> Scan {
        let mut classes = 0;
        let mut buf = [0u8; 24];
        let (head, tail) = bytes.split_at(bytes.len().min(Key::MAX_LEN));
        for (slot, &b) in buf.iter_mut().zip(head) {
            let class = CLASS[b as usize];
            classes |= class;
            // Class::UPPER << 2 is 0x20, the bit that lowercases A..Z.
            *slot = b | ((class & Class::UPPER) << 2);
        }
        for &b in tail {
            classes |= CLASS[b as usize];
        }
        let key = tail.is_empty().then(|| Key::from_buf(buf, bytes.len()));
        Scan { classes, key }
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// A non-ASCII token's key and Python's `isupper`. The only non-ASCII
/// character that lowercases to ASCII is the Kelvin sign, so a token with
/// any other one has no key.
fn fold_unicode(token: &str) -> (Option<Key>, bool) {
    let mut cased = false;
    let mut lower = false;
    let mut buf = [0u8; 24];
    let mut len = Some(0);
    for c in token.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            lower = true;
        } else if c.is_uppercase() {
            cased = true;
        }
        len = len.and_then(|n: usize| {
            let b = match c {
                '\u{212A}' => b'k',
                _ if c.is_ascii() => (c as u8).to_ascii_lowercase(),
                _ => return None,
            };
            *buf.get_mut(n).filter(|_| n < Key::MAX_LEN)? = b;
            Some(n + 1)
        });
    }
    (len.map(|n| Key::from_buf(buf, n)), cased && !lower)
}

/// Python's titlecase letters (category Lt), which make `isupper` false.
fn is_titlecase(c: char) -> bool {
    matches!(
        c,
        '\u{1C5}'
            | '\u{1C8}'
            | '\u{1CB}'
            | '\u{1F2}'
            | '\u{1F88}'..='\u{1F8F}'
            | '\u{1F98}'..='\u{1F9F}'
            | '\u{1FA8}'..='\u{1FAF}'
            | '\u{1FBC}'
            | '\u{1FCC}'
            | '\u{1FFC}'
    )
}

/// Whether the lowercased token contains `n't`. Lowercasing never turns a
/// non-ASCII character into `n`, `'` or `t`, so the ASCII bytes decide.
fn has_nt(bytes: &[u8]) -> bool {
    bytes
        .windows(3)
        .any(|w| w[1] == b'\'' && w[0].eq_ignore_ascii_case(&b'n') && w[2].eq_ignore_ascii_case(&b't'))
}

/// (Other languages.) The valences of `tokens` with the rules applied within
/// each clause: a negation or booster before a comma does not reach past it
/// ("nicht traurig, nur müde"), and with `negation_after`, a negation up to
/// three words after a word of feeling in its clause turns it too.
fn clause_valences(tokens: &[Token], valences: &mut Vec<f64>, cap_diff: bool, negation_after: bool) {
    let mut start = 0;
    while start < tokens.len() {
        let end = tokens[start..]
            .iter()
            .position(|t| t.has(Flags::CLAUSE_END))
            .map_or(tokens.len(), |k| start + k + 1);
        let clause = &tokens[start..end];
        for i in 0..clause.len() {
            let token = &clause[i];
            if token.has(Flags::EMOJI) {
                // "ich kann nicht mehr 😭" is not warm.
                valences.push(token.valence);
                continue;
            }
            let mut v = valence(clause, i, cap_diff);
            if token.booster().is_some()
                && token.valence != 0.0
                && !clause.get(i + 1).is_some_and(Entry::in_lexicon)
            {
                // A word of feeling that also boosts, with nothing to boost.
                v = token.valence;
            }
            // "non è mai bello", "no vino nadie": Romance negations come in
            // pairs and negate once.
            let before = (1..=3)
                .filter(|&k| i >= k && clause[i - k].has(Flags::NEGATION) && !clause[i - k].in_lexicon())
                .count();
            if before >= 2 {
                v /= N_SCALAR.powi(before as i32 - 1);
            }
            let negated_before = before > 0;
            if negation_after
                && v != 0.0
                && !negated_before
                && (1..=3).any(|k| clause.get(i + k).is_some_and(|t| t.has(Flags::NEGATION)))
            {
                v *= N_SCALAR;
            }
            valences.push(v);
        }
        start = end;
    }
}

/// The valence of token `i` after every rule but `but`.
fn valence(tokens: &[Token], i: usize, cap_diff: bool) -> f64 {
    let token = &tokens[i];
    if token.booster().is_some() {
        return 0.0;
    }
    if token.word == Word::Kind && tokens.get(i + 1).is_some_and(|t| t.word == Word::Of) {
        return 0.0;
    }
    if !token.in_lexicon() {
        return 0.0;
    }
    let base = token.valence;
    let word = |k: usize| tokens[k].word;

    let mut v = base;
    // "no" before another lexicon word negates it instead of scoring.
    if token.word == Word::No && tokens.get(i + 1).is_some_and(Entry::in_lexicon) {
        v = 0.0;
    }
    if (i > 0 && word(i - 1) == Word::No)
        || (i > 1 && word(i - 2) == Word::No)
        || (i > 2 && word(i - 3) == Word::No && matches!(word(i - 1), Word::Or | Word::Nor))
    {
        v = base * N_SCALAR;
    }
    if token.has(Flags::UPPER) && cap_diff {
        if v > 0.0 {
            v += C_INCR;
        } else {
            v -= C_INCR;
        }
    }
    for start in 0..3 {
        if i <= start || tokens[i - (start + 1)].in_lexicon() {
            continue;
        }
        let mut s = scalar(&tokens[i - (start + 1)], v, cap_diff);
        if start == 1 && s != 0.0 {
            s *= 0.95;
        }
        if start == 2 && s != 0.0 {
            s *= 0.9;
        }
        v += s;
        v = negation_check(v, tokens, start, i);
        if start == 2 {
            v = idioms_check(v, tokens, i);
        }
    }
    least_check(v, tokens, i)
}

/// The boost of a preceding booster word, signed like the valence.
fn scalar(token: &Token, valence: f64, cap_diff: bool) -> f64 {
    let Some(mut s) = token.booster() else {
        return 0.0;
    };
    if valence < 0.0 {
        s *= -1.0;
    }
    if token.has(Flags::UPPER) && cap_diff {
        if valence > 0.0 {
            s += C_INCR;
        } else {
            s -= C_INCR;
        }
    }
    s
}

fn negation_check(v: f64, tokens: &[Token], start: usize, i: usize) -> f64 {
    let word = |k: usize| tokens[k].word;
    let so_or_this = |k: usize| matches!(word(k), Word::So | Word::This);
    match start {
        0 if tokens[i - 1].has(Flags::NEGATION) => v * N_SCALAR,
        1 if word(i - 2) == Word::Never && so_or_this(i - 1) => v * 1.25,
        1 if word(i - 2) == Word::Without && word(i - 1) == Word::Doubt => v,
        1 if tokens[i - 2].has(Flags::NEGATION) => v * N_SCALAR,
        2 if (word(i - 3) == Word::Never && so_or_this(i - 2)) || so_or_this(i - 1) => v * 1.25,
        2 if word(i - 3) == Word::Without && (word(i - 2) == Word::Doubt || word(i - 1) == Word::Doubt) => v,
        2 if tokens[i - 3].has(Flags::NEGATION) => v * N_SCALAR,
        _ => v,
    }
}

/// Special idioms around token `i` (`i >= 3`) replace its valence; the
/// two-word dampeners before it add to it.
fn idioms_check(mut v: f64, tokens: &[Token], i: usize) -> f64 {
    let word = |k: usize| tokens[k].word;
    let (w3, w2, w1, w0) = (word(i - 3), word(i - 2), word(i - 1), word(i));
    let before = special_pair(w1, w0)
        .or_else(|| special_triple(w2, w1, w0))
        .or_else(|| special_pair(w2, w1))
        .or_else(|| special_triple(w3, w2, w1))
        .or_else(|| special_pair(w3, w2));
    if let Some(s) = before {
        v = s;
    }
    if let Some(s) = tokens.get(i + 1).and_then(|next| special_pair(w0, next.word)) {
        v = s;
    }
    if i + 2 < tokens.len() {
        if let Some(s) = special_triple(w0, word(i + 1), word(i + 2)) {
            v = s;
        }
    }
    if let Some(b) = booster_pair(w3, w2) {
        v += b;
    }
    if let Some(b) = booster_pair(w2, w1) {
        v += b;
    }
    v
}

/// "least" negates unless it follows "at" or "very".
fn least_check(v: f64, tokens: &[Token], i: usize) -> f64 {
    let least_before = |k: usize| !tokens[k].in_lexicon() && tokens[k].word == Word::Least;
    if i > 1 && least_before(i - 1) {
        if !matches!(tokens[i - 2].word, Word::At | Word::Very) {
            return v * N_SCALAR;
        }
        v
    } else if i > 0 && least_before(i - 1) {
        v * N_SCALAR
    } else {
        v
    }
}

/// The reference's `but` rule, kept with its quirk: it walks the list and
/// scales the *first* element equal to each value, which is not always the
/// element itself. Zeros are skipped (scaling a zero leaves a zero).
fn but_check(valences: &mut [f64], but: usize, nonzero: &mut Vec<usize>) {
    nonzero.clear();
    nonzero.extend(
        valences
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0.0)
            .map(|(k, _)| k),
    );
    for &k in nonzero.iter() {
        let v = valences[k];
        let first = nonzero
            .iter()
            .copied()
            .find(|&j| valences[j] == v)
            .expect("k itself holds v");
        if first < but {
            valences[first] = v * 0.5;
        } else if first > but {
            valences[first] = v * 1.5;
        }
    }
}

/// Emphasis from up to four `!` and from two or more `?`.
fn emphasis(exclamations: usize, questions: usize) -> f64 {
    let ep = exclamations.min(4) as f64 * 0.292;
    let qm = match questions {
        0 | 1 => 0.0,
        2 | 3 => questions as f64 * 0.18,
        _ => 0.96,
    };
    ep + qm
}

fn scores(valences: &[f64], emphasis: f64) -> Sentiment {
    let mut sum = python_sum(valences);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    let compound = (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0);

    let mut pos_sum = 0.0;
    let mut neg_sum = 0.0;
    let mut neutral = 0usize;
    for &v in valences {
        if v > 0.0 {
            pos_sum += v + 1.0;
        }
        if v < 0.0 {
            neg_sum += v - 1.0;
        }
        if v == 0.0 {
            neutral += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += emphasis;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= emphasis;
    }
    let total = pos_sum + neg_sum.abs() + neutral as f64;
    Sentiment {
        neg: round_half_even(neg_sum.abs() / total, 3),
        neu: round_half_even((neutral as f64 / total).abs(), 3),
        pos: round_half_even((pos_sum / total).abs(), 3),
        compound: round_half_even(compound, 4),
    }
}

/// Python's `sum()` of floats since 3.12: Neumaier's compensated
/// summation, its compensation added at the end. (Python 3.11 and older
/// add naively and so differ where valences cancel: `wtf cool sux yeah
/// nice!` sums to 0.0 there and to 2.2e-16 here, and the `!` then makes a
/// compound of 0.0752.)
fn python_sum(values: &[f64]) -> f64 {
    let mut sum = 0.0_f64;
    let mut compensation = 0.0_f64;
    for &x in values {
        let t = sum + x;
        if sum.abs() >= x.abs() {
            compensation += (sum - t) + x;
        } else {
            compensation += (x - t) + sum;
        }
        sum = t;
    }
    if compensation != 0.0 && compensation.is_finite() {
        sum + compensation
    } else {
        sum
    }
}

/// Python's `round(x, digits)`: the decimal nearest to the exact binary
/// value, ties to even, read back as the nearest double. For |x| <= 1 and
/// 3 or 4 digits.
fn round_half_even(x: f64, digits: u32) -> f64 {
    let scale = match digits {
        3 => 1e3,
        4 => 1e4,
        _ => 10f64.powi(digits as i32),
    };
    let a = x.abs();
    let y = a * scale;
    // Truncation is the floor here (0 <= y <= 10^digits), and cheaper than
    // `floor` where that is a library call.
    let floor = y as i64 as f64;
    // Exact: y and its floor are close doubles (Sterbenz).
    let frac = y - floor;
    let up = if frac != 0.5 {
        frac > 0.5
    } else {
        // y is a tie only if the product was exact; otherwise its error
        // says on which side of the tie the exact product lies.
        let error = a.mul_add(scale, -y);
        if error != 0.0 {
            error > 0.0
        } else {
            floor % 2.0 != 0.0
        }
    };
    let rounded = if up { floor + 1.0 } else { floor };
    (rounded / scale).copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_tables_build() {
        for lang in Lang::ALL[1..].iter() {
            let table = build_lang_table(*lang).unwrap_or_else(|e| panic!("{}: {e}", lang.name()));
            let words = table.slots.iter().filter(|(_, e)| e.in_lexicon()).count();
            assert!(words > 2000, "{}: {words} words", lang.name());
        }
    }

    #[test]
    fn other_languages_score_with_their_own_words_and_rules() {
        let positive = |text: &str, lang: Lang| sentiment_in(text, lang).compound;
        assert!(positive("que alegria, foi incrível", Lang::Pt) > 0.3);
        assert!(positive("não foi bom", Lang::Pt) < 0.0, "a negation turns it");
        // No word negates an emoji: it shows the feeling.
        assert!(positive("ich kann nicht mehr 😭", Lang::De) < 0.0);
        assert!(positive("no aparece 😢", Lang::Es) < 0.0);
        assert!(positive("non vedo l'ora 😍", Lang::It) > 0.0);
        // An emoji means what chat means by it, not its English name.
        assert!(positive("vamos 🔥", Lang::Es) > 0.0, "not a fire");
        assert!(positive("ça y est 💔", Lang::Fr) < 0.0, "not a heart");
        assert!(
            positive("ok 🥹", Lang::Pt) > 0.0,
            "newer than the reference's table"
        );
        assert!(positive("c'était très bien", Lang::Fr) > 0.0);
        assert!(positive("ce n'était pas bien", Lang::Fr) < positive("c'était bien", Lang::Fr));
        assert!(positive("Ich bin so glücklich", Lang::De) > 0.0);
        assert!(positive("es terrible", Lang::Es) < 0.0);
        assert!(positive("è stato fantastico", Lang::It) > 0.0);
        // Emoji keep their English reading in every language, and only
        // they: Portuguese "no" (in the) is not English "no".
        assert!(positive("😍", Lang::Es) > 0.3);
        assert!(positive("❤️", Lang::Pt) > 0.3);
        assert_eq!(positive("no parque", Lang::Pt), 0.0);
        // A lengthened word is the word; a negation is only a negation.
        assert!(positive("obrigadooo", Lang::Pt) > 0.0 && positive("ótimooo", Lang::Pt) > 0.0);
        assert!(positive("¡genial!", Lang::Es) >= positive("genial", Lang::Es));
        // German negates after the verb; no rule reaches past a comma.
        assert!(positive("das ist gut", Lang::De) > 0.0);
        assert!(positive("das ist nicht gut", Lang::De) < 0.0);
        assert!(
            positive("das finde ich gut nicht", Lang::De) < 0.0,
            "a negation after the word"
        );
        assert!(
            positive("ich bin nicht traurig, nur gut drauf", Lang::De)
                > positive("ich bin nicht traurig nur gut drauf", Lang::De),
            "the negation stays in its clause"
        );
        assert!(
            positive("❤️", Lang::De) > 0.3,
            "a heart with its variation selector"
        );
        // French: "pas" after the verb; "super" alone is praise.
        assert!(positive("j'aime pas ce genre de soirée", Lang::Fr) < 0.0);
        assert!(positive("c'est super", Lang::Fr) > 0.0);
        // Italian: "non ... mai" negates once; an elided article hides nothing.
        assert!(positive("non è mai bello", Lang::It) < 0.0);
        assert!(positive("l'ansia mi uccide", Lang::It) < 0.0);
        // English is the reference's, unchanged.
        assert_eq!(sentiment_in("I love it", Lang::En), sentiment("I love it"));
    }

    /// Scores from vaderSentiment 3.3.2 on Python 3.13: `[neg, neu, pos, compound]`.
    #[track_caller]
    fn check(text: &str, [neg, neu, pos, compound]: [f64; 4]) {
        assert_eq!(
            sentiment(text),
            Sentiment {
                neg,
                neu,
                pos,
                compound
            },
            "{text:?}"
        );
    }

    #[test]
    fn nothing_to_score_is_all_zeros() {
        check("", [0.0, 0.0, 0.0, 0.0]);
        check(" \t\n", [0.0, 0.0, 0.0, 0.0]);
        check("\u{1C}\u{3000}\u{A0}", [0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn negation() {
        check("The book was good.", [0.0, 0.508, 0.492, 0.4404]);
        check("The book was not good.", [0.376, 0.624, 0.0, -0.3412]);
        check("isn't good", [0.706, 0.294, 0.0, -0.3412]);
        // Any token containing n't, in any case.
        check("doN'T like", [0.678, 0.322, 0.0, -0.2755]);
        check("never good", [0.706, 0.294, 0.0, -0.3412]);
        // "never so" and "never this" intensify instead.
        check("never so good", [0.0, 0.348, 0.652, 0.5777]);
        // "without doubt" does not negate.
        check("without a doubt good", [0.0, 0.285, 0.715, 0.6136]);
    }

    #[test]
    fn no_negates_the_next_lexicon_word_instead_of_scoring() {
        check("no problem", [0.0, 0.307, 0.693, 0.3089]);
        check("no good", [0.706, 0.294, 0.0, -0.3412]);
        // "no X or Y" negates Y too.
        check("no bad or sad", [0.0, 0.27, 0.73, 0.6602]);
    }

    #[test]
    fn least_negates_unless_after_at_or_very() {
        check("least good", [0.706, 0.294, 0.0, -0.3412]);
        check("the least good", [0.546, 0.454, 0.0, -0.3412]);
        check("at least good", [0.0, 0.408, 0.592, 0.4404]);
        check("very least good", [0.0, 0.386, 0.614, 0.4902]);
    }

    #[test]
    fn kind_of_dampens_and_kind_alone_scores() {
        check("It was kind of good", [0.0, 0.605, 0.395, 0.3832]);
        check("kind good", [0.0, 0.0, 1.0, 0.743]);
    }

    #[test]
    fn special_idioms_need_three_words_before() {
        check("that is the shit", [0.0, 0.429, 0.571, 0.6124]);
        check("the shit", [0.783, 0.217, 0.0, -0.5574]);
        check("you are a bad ass", [0.0, 0.375, 0.625, 0.6124]);
        check("yeah right, great", [0.0, 0.137, 0.863, 0.743]);
    }

    #[test]
    fn caps_emphasise_only_amid_lower_case() {
        check("good GOOD good", [0.0, 0.0, 1.0, 0.8567]);
        check("GOOD GOOD", [0.0, 0.0, 1.0, 0.7003]);
        check("VERY good stuff", [0.0, 0.337, 0.663, 0.6028]);
        // The Kelvin sign lowercases to "k", and is upper case.
        check("O\u{212A}", [0.0, 0.0, 1.0, 0.296]);
    }

    #[test]
    fn but_shifts_the_weight_to_what_follows() {
        check("good but bad", [0.617, 0.13, 0.253, -0.5859]);
    }

    #[test]
    fn but_scales_the_first_equal_value_as_the_reference_does() {
        // Position 0 holds 1.0, halved to 0.5. Position 1 holds 0.5: the
        // reference finds the first 0.5 (position 0, before "but") and
        // halves that again, leaving position 1 alone. Position 3 holds 2.0,
        // raised by half.
        let mut valences = [1.0, 0.5, 0.0, 2.0];
        but_check(&mut valences, 2, &mut Vec::new());
        assert_eq!(valences, [0.25, 0.5, 0.0, 3.0]);
        // After "but", a value equal to an earlier raised one scales that.
        let mut valences = [0.0, 2.0, 3.0];
        but_check(&mut valences, 0, &mut Vec::new());
        assert_eq!(valences, [0.0, 4.5, 3.0]);
    }

    #[test]
    fn punctuation_emphasis() {
        check("good!!!", [0.0, 0.0, 1.0, 0.5826]);
        // At most four "!" count.
        check("good!!!!!!", [0.0, 0.0, 1.0, 0.6209]);
        check("good??", [0.0, 0.0, 1.0, 0.504]);
        check("good????", [0.0, 0.0, 1.0, 0.594]);
    }

    #[test]
    fn emoticons_and_emoji() {
        check("Send me a :) or :D when you land!", [0.0, 0.489, 0.511, 0.8087]);
        // The description is glued to the following text.
        check("😀good", [0.0, 0.286, 0.714, 0.3612]);
        // A variation selector after the emoji sticks to its description.
        check("I ❤️ you", [0.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn lexicon_patch() {
        check(":p", [0.0, 0.0, 1.0, 0.25]);
        check(":P", [0.0, 0.0, 1.0, 0.25]);
        check(":Þ", [0.0, 1.0, 0.0, 0.0]);
        check("heart", [0.0, 0.0, 1.0, 0.6369]);
        check("hearts", [0.0, 0.0, 1.0, 0.6486]);
    }

    #[test]
    fn the_table_holds_the_reference_lexicon() {
        let lexicon = TABLE.slots.iter().filter(|(_, e)| e.in_lexicon()).count();
        // 3.3.2 looks up 7,492 lowercase words; 4 of them hold a space.
        assert_eq!(lexicon, 7_488);
        let get = |word: &str| TABLE.get(Key::new(word.as_bytes()).expect("short"));
        assert_eq!(get("good").valence, 1.9);
        assert_eq!(get(":p").valence, 1.0);
        assert!(!get(":\u{fe}").in_lexicon() && !get("fed up").in_lexicon());
        assert_eq!(get("kinda").booster(), Some(B_DECR));
        assert_eq!(get("very").booster(), Some(B_INCR));
        assert!(get("nope").has(Flags::NEGATION));
        assert_eq!(get("least").word, Word::Least);
        assert_eq!(EMOJI.descriptions.len(), 1_212);
    }

    #[test]
    fn compensated_sum_as_python_3_12() {
        assert_eq!([-2.8, 1.3, -1.5, 1.2, 1.8].iter().sum::<f64>(), 0.0);
        assert_eq!(python_sum(&[-2.8, 1.3, -1.5, 1.2, 1.8]), 2.220446049250313e-16);
        check("wtf cool sux yeah nice!", [0.453, 0.0, 0.547, 0.0752]);
    }

    #[test]
    fn rounds_as_python() {
        // (x, digits, Python's round(x, digits))
        let cases = [
            (0.0625, 3, 0.062),
            (0.1875, 3, 0.188),
            (0.0005, 3, 0.001),
            (0.0015, 3, 0.002),
            (0.00125, 4, 0.0013),
            (0.00005, 4, 0.0001),
            (0.12345, 4, 0.1235),
            (0.9995, 3, 1.0),
            (0.8316, 4, 0.8316),
            (-0.00005, 4, -0.0001),
            (-0.25005, 4, -0.25),
        ];
        for (x, digits, expected) in cases {
            assert_eq!(round_half_even(x, digits), expected, "round({x}, {digits})");
        }
        let zero = round_half_even(-0.00001, 4);
        assert!(zero == 0.0 && zero.is_sign_negative());
    }

    /// Python's whitespace (`str.isspace()`), listed from Python 3.11.
    const PY_SPACE: &[u32] = &[
        0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002,
        0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
        0x3000,
    ];

    #[test]
    fn splits_on_python_whitespace() {
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            let expected = if PY_SPACE.contains(&(c as u32)) {
                encoded.len()
            } else {
                0
            };
            assert_eq!(space_len(encoded, 0), expected, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn isupper_as_python() {
        let upper = |s: &str| classify(s, &TABLE).has(Flags::UPPER);
        assert!(upper("GOOD") && upper("GOOD!") && upper("ÉCOLE") && upper("1A"));
        assert!(!upper("Good") && !upper("123") && !upper(":)") && !upper("ǅEMAL") && !upper("日本"));
        assert!(upper(":D") && upper("XD"));
    }
}
