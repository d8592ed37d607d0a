//! A small linear model per language besides English, read beside the word
//! lists: it weighs every word and pair of words of a message, so wording the
//! lists do not know yet still counts.
//!
//! The lists find what they know with high precision, but natural chat says
//! news, confidences and support in more ways than any list, and many
//! messages carry their feeling in no word of feeling at all. The model
//! learns both from the language's hand-labelled dev set. It reads:
//! - for the tone, the message's grams together with what the lists found
//!   (VADER's compound and the flags), and gives positive, negative or
//!   neutral with a probability each. The likeliest is the message's tone:
//!   VADER's compound stays when it reads that tone already (its size says
//!   how strongly the words feel), else half the model's lean (P(positive)
//!   − P(negative)) takes its place, kept in the tone's band;
//! - for the question and each content flag (gratitude, apology, good and
//!   hard news, disclosure, support), the grams alone. A content flag the
//!   lists missed is added when the model gives it at least 0.6, and one they
//!   found is taken away when it gives it less than 0.05; a question they
//!   found goes below 0.3 ("no sé qué hacer" asks nothing). The lists find
//!   what they know with high precision, so the model mostly adds.
//!
//! A gram is a word (`w:gracias`), two words in a row within a sentence
//! (`b:^ gracias` opens one), an emoji (`e:🙏`) or the punctuation of the
//! message (`p:?`, `p:?$` when it ends asking, `p:!`). Words are the lexer's,
//! lower-cased, with accents folded away ("está" is "esta"). A gram counts
//! once per message.
//!
//! The weights live in `data/<lang>/model.tsv`, written by
//! `scripts/models/train.py` (scikit-learn's logistic regression) from what
//! `cargo run -p mutual-analysis --example languages -- <lang> --grams` prints. Its
//! header holds a hash of that input, and a test fails when the dev set or
//! the lists have changed since: retrain then.

use std::collections::HashMap;
use std::sync::LazyLock;

use rustc_hash::FxBuildHasher;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::Flags;
use super::lex::{self, Boundary, Lexeme, Sink};
use crate::lang::Lang;

/// The flags the model weighs, in the order of their weight columns, after
/// the three tones' (positive, negative, neutral).
const WEIGHED: [Flags; 7] = [
    Flags::QUESTION,
    Flags::GRATITUDE,
    Flags::APOLOGY,
    Flags::GOOD_NEWS,
    Flags::HARD_NEWS,
    Flags::DISCLOSURE,
    Flags::SUPPORT,
];

/// Weight columns: three tones and seven flags.
const WIDTH: usize = 10;

/// The tone model's input besides the grams: VADER's compound.
const COMPOUND: &str = ":compound";

/// How sure the model must be to add a content flag the lists did not find
/// (as a log-odds: 0.6)...
const ADD: f32 = 0.405;
/// ...and how sure that it is not there to take one away (0.05).
const TAKE: f32 = -2.944;
/// A question the lists found stays unless the model gives it less than 0.3
/// (statements that mention a question word, "no sé qué hacer").
const NOT_ASKED: f32 = -0.847;

/// The weights of each language's model, in [`Lang::ALL`] order; English
/// has none (its tone is VADER's, as the reference computes it).
static MODELS: [LazyLock<Option<Model>>; 6] = [
    LazyLock::new(|| None),
    LazyLock::new(|| Some(load(Lang::Es, include_str!("../../data/es/model.tsv")))),
    LazyLock::new(|| Some(load(Lang::Pt, include_str!("../../data/pt/model.tsv")))),
    LazyLock::new(|| Some(load(Lang::Fr, include_str!("../../data/fr/model.tsv")))),
    LazyLock::new(|| Some(load(Lang::De, include_str!("../../data/de/model.tsv")))),
    LazyLock::new(|| Some(load(Lang::It, include_str!("../../data/it/model.tsv")))),
];

fn load(lang: Lang, text: &str) -> Model {
    match Model::parse(text) {
        Ok(model) => model,
        // The data files are part of the crate and `every_model_parses` tests them.
        Err(error) => panic!("the bundled model of {} is invalid: {error}", lang.name()),
    }
}

/// The model of `lang`, if it has one.
pub(super) fn model(lang: Lang) -> Option<&'static Model> {
    MODELS[lang.index()].as_ref()
}

/// The hash of the input `lang`'s model was trained on ([`input_hash`]);
/// `None` for English, which has no model.
pub fn trained_on(lang: Lang) -> Option<u64> {
    model(lang).map(|model| model.trained_on)
}

/// One language's weights.
#[derive(Debug)]
pub(crate) struct Model {
    /// The hash of the input it was trained on (see [`input_hash`]).
    pub(crate) trained_on: u64,
    bias: [f32; WIDTH],
    compound: [f32; WIDTH],
    /// Per flag the lists found, its weights (the tone's only).
    flags: [(Flags, [f32; WIDTH]); 8],
    /// Each gram by the hash of its text ([`input_hash`]), to its row.
    grams: HashMap<u64, u32, FxBuildHasher>,
    weights: Vec<[f32; WIDTH]>,
}

/// What the model reads in a message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Reading {
    /// In [-1, 1], in the band of the likeliest tone (±0.05 is neutral):
    /// VADER's compound where it is in that band already, else half of how
    /// much likelier positive is than negative.
    pub compound: f64,
    /// The flags, the lists' findings weighed by the model: a question
    /// the model finds unlikely goes; a content flag it finds likely comes,
    /// and one it finds very unlikely goes. The other flags stay as found.
    pub flags: Flags,
}

impl Model {
    /// Reads the weights file: `# trained<TAB>hash` in the header, then a
    /// line per input, its name and one weight per output.
    pub(crate) fn parse(text: &str) -> Result<Model, String> {
        let mut trained_on = None;
        let mut bias = None;
        let mut compound = [0.0; WIDTH];
        let mut flags = Flags::NAMED.map(|(_, flag)| (flag, [0.0; WIDTH]));
        let mut grams = HashMap::default();
        let mut weights = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let at = i + 1;
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(hash) = comment.strip_prefix(" trained\t") {
                    let hash = u64::from_str_radix(hash, 16)
                        .map_err(|_| format!("line {at}: {hash:?} is not a hex hash"))?;
                    trained_on = Some(hash);
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or_default();
            let mut row = [0.0; WIDTH];
            for (slot, value) in row.iter_mut().zip(&mut fields) {
                *slot = value
                    .parse()
                    .map_err(|_| format!("line {at}: {value:?} is not a weight"))?;
            }
            if fields.next().is_some() || line.split('\t').count() != WIDTH + 1 {
                return Err(format!("line {at}: expected a name and {WIDTH} weights"));
            }
            match name {
                ":bias" => bias = Some(row),
                COMPOUND => compound = row,
                _ => {
                    if let Some(flag) = name.strip_prefix(':') {
                        let Some(slot) = flags.iter_mut().zip(Flags::NAMED).find(|(_, (n, _))| *n == flag)
                        else {
                            return Err(format!("line {at}: {name:?} names no input"));
                        };
                        slot.0.1 = row;
                    } else {
                        let index = u32::try_from(weights.len()).map_err(|_| "too many grams")?;
                        if grams.insert(input_hash(name.as_bytes()), index).is_some() {
                            return Err(format!("line {at}: {name:?} is weighed twice"));
                        }
                        weights.push(row);
                    }
                }
            }
        }
        Ok(Model {
            trained_on: trained_on.ok_or("no `# trained` line")?,
            bias: bias.ok_or("no :bias line")?,
            compound,
            flags,
            grams,
            weights,
        })
    }

    /// What the model reads in `text`, given VADER's `compound` and the
    /// `flags` the lists found.
    pub(super) fn read(&self, text: &str, compound: f64, found: Flags) -> Reading {
        let mut found_grams = Vec::new();
        walk(
            text,
            &mut Hashes(|hash| {
                if let Some(&index) = self.grams.get(&hash) {
                    found_grams.push(index);
                }
            }),
        );
        found_grams.sort_unstable();
        found_grams.dedup();
        let mut score = self.bias;
        for index in found_grams {
            add(&mut score, &self.weights[index as usize], 1.0);
        }
        // The lists' findings weigh in on the tone only: the flag columns
        // of these rows are zero.
        add(&mut score, &self.compound, compound as f32);
        for (flag, row) in &self.flags {
            if found.contains(*flag) {
                add(&mut score, row, 1.0);
            }
        }
        let [positive, negative, neutral] = softmax([score[0], score[1], score[2]]);
        let likeliest = if neutral >= positive && neutral >= negative {
            0
        } else if positive > negative {
            1
        } else {
            -1
        };
        // VADER's own score where it reads the same tone (its size says how
        // strongly the words feel); else how much likelier positive is than
        // negative, halved: a tone read from what a message says rather
        // than from words of feeling counts as moderate.
        let lean = f64::from(positive - negative) / 2.0;
        let compound = match likeliest {
            _ if band(compound) == likeliest => compound,
            0 => lean.clamp(-0.049, 0.049),
            1 => lean.max(0.05),
            _ => lean.min(-0.05),
        };
        let mut flags = found;
        for (&flag, &logit) in WEIGHED.iter().zip(&score[3..]) {
            let keep = if flag == Flags::QUESTION {
                found.contains(flag) && logit >= NOT_ASKED
            } else {
                (found.contains(flag) || logit > ADD) && logit >= TAKE
            };
            if keep {
                flags.insert(flag);
            } else {
                flags.0 &= !flag.0;
            }
        }
        Reading { compound, flags }
    }
}

/// The tone band of a compound: 1 positive, -1 negative, 0 neutral.
fn band(compound: f64) -> i8 {
    if compound >= 0.05 {
        1
    } else if compound <= -0.05 {
        -1
    } else {
        0
    }
}

fn add(score: &mut [f32; WIDTH], row: &[f32; WIDTH], times: f32) {
    for (s, w) in score.iter_mut().zip(row) {
        *s += w * times;
    }
}

fn softmax(logits: [f32; 3]) -> [f32; 3] {
    let top = logits.into_iter().fold(f32::NEG_INFINITY, f32::max);
    let exp = logits.map(|l| (l - top).exp());
    let sum: f32 = exp.iter().sum();
    exp.map(|e| e / sum)
}

/// Calls `each` with every gram of `text`, in text order (a gram that
/// occurs twice comes twice).
pub fn grams(text: &str, each: impl FnMut(&str)) {
    walk(
        text,
        &mut Texts {
            each,
            text: String::new(),
        },
    );
}

/// Where the grams of a message go, each given in parts.
trait Out {
    fn gram(&mut self, parts: &[&str]);
}

/// Each gram as text.
struct Texts<F> {
    each: F,
    text: String,
}

impl<F: FnMut(&str)> Out for Texts<F> {
    fn gram(&mut self, parts: &[&str]) {
        self.text.clear();
        for part in parts {
            self.text.push_str(part);
        }
        (self.each)(&self.text);
    }
}

/// Each gram as the hash of its text, without building it.
struct Hashes<F>(F);

impl<F: FnMut(u64)> Out for Hashes<F> {
    fn gram(&mut self, parts: &[&str]) {
        let hash = parts
            .iter()
            .fold(FNV_START, |hash, part| fnv(hash, part.as_bytes()));
        (self.0)(hash);
    }
}

fn walk(text: &str, out: &mut impl Out) {
    let mut reader = Grams {
        out,
        previous: String::from("^"),
        word: String::new(),
        asked: false,
        exclaimed: false,
        ends_asking: false,
    };
    lex::lex(text, &mut reader);
    let Grams {
        out,
        asked,
        exclaimed,
        ends_asking,
        ..
    } = reader;
    for (gram, on) in [("p:?", asked), ("p:?$", ends_asking), ("p:!", exclaimed)] {
        if on {
            out.gram(&[gram]);
        }
    }
}

struct Grams<'o, O> {
    out: &'o mut O,
    /// The sentence's previous word, `^` at its start.
    previous: String,
    word: String,
    asked: bool,
    exclaimed: bool,
    /// Nothing but punctuation has come since the last `?`.
    ends_asking: bool,
}

impl<O: Out> Sink for Grams<'_, O> {
    fn word(&mut self, lexeme: Lexeme<'_>) {
        let Ok(word) = std::str::from_utf8(lexeme.bytes) else {
            return;
        };
        if word.is_empty() {
            return;
        }
        self.ends_asking = false;
        self.word.clear();
        if word.is_ascii() {
            self.word.push_str(word);
        } else {
            self.word.extend(word.nfd().filter(|c| !is_combining_mark(*c)));
        }
        self.out.gram(&["w:", &self.word]);
        self.out.gram(&["b:", &self.previous, " ", &self.word]);
        std::mem::swap(&mut self.previous, &mut self.word);
    }

    fn boundary(&mut self, boundary: Boundary) {
        let ends = match boundary {
            Boundary::Clause => false,
            Boundary::Stop => true,
            Boundary::Question => {
                self.asked = true;
                self.ends_asking = true;
                true
            }
            Boundary::Exclamation => {
                self.exclaimed = true;
                true
            }
        };
        if ends {
            self.previous.clear();
            self.previous.push('^');
        }
    }

    fn emoji(&mut self, base: char) {
        self.ends_asking = false;
        let mut utf8 = [0; 4];
        self.out.gram(&["e:", base.encode_utf8(&mut utf8)]);
    }
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// FNV-1a, 64 bits: the hash a model's header records of its training
/// input (here and in `scripts/models/train.py`), and the key of a gram.
pub fn input_hash(bytes: &[u8]) -> u64 {
    fnv(FNV_START, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        grams(text, |g| out.push(g.to_owned()));
        out
    }

    #[test]
    fn grams_are_folded_words_pairs_emoji_and_punctuation() {
        assert_eq!(
            all("¿Está bien? Sí 🙏"),
            [
                "w:esta",
                "b:^ esta",
                "w:bien",
                "b:esta bien",
                "w:si",
                "b:^ si",
                "e:🙏",
                "p:?"
            ]
        );
        assert_eq!(
            all("Merci!! ça va?"),
            [
                "w:merci",
                "b:^ merci",
                "w:ca",
                "b:^ ca",
                "w:va",
                "b:ca va",
                "p:?",
                "p:?$",
                "p:!"
            ]
        );
        // A comma keeps the pair; a full stop starts again.
        assert_eq!(all("ja, gut. ok")[3], "b:ja gut");
        assert_eq!(all("ja, gut. ok")[5], "b:^ ok");
        assert!(all("").is_empty());
    }

    #[test]
    fn the_hash_is_fnv_1a() {
        assert_eq!(input_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(input_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn a_model_file_is_read_or_refused_by_line() {
        let good = "# trained\tff\n\
            :bias\t0\t0\t1\t0\t-1\t-1\t-1\t-1\t-1\t-1\n\
            :compound\t2\t-2\t0\t0\t0\t0\t0\t0\t0\t0\n\
            w:gracias\t2\t0\t0\t0\t3\t0\t0\t0\t0\t0\n\
            w:que\t0\t0\t0\t-2\t0\t0\t0\t0\t0\t-3\n";
        let model = Model::parse(good).expect("valid");
        assert_eq!(model.trained_on, 0xff);
        let read = model.read("gracias", 0.0, Flags::default());
        assert_eq!(read.flags, Flags::GRATITUDE, "added: {read:?}");
        assert!(read.compound >= 0.05, "{read:?}");
        let read = model.read("hola", 0.0, Flags::EXCLAMATION);
        assert_eq!(read.flags, Flags::EXCLAMATION, "kept: {read:?}");
        assert!(read.compound.abs() < 0.05, "{read:?}");
        // Where VADER reads the likeliest tone already, its score stays;
        // else the model's lean counts, halved.
        assert_eq!(model.read("hola", -0.9, Flags::default()).compound, -0.9);
        let read = model.read("gracias", 0.0, Flags::default());
        assert!((0.05..=0.5).contains(&read.compound), "{read:?}");
        // Sure enough that it asks nothing and offers nothing: both go.
        let found = Flags(Flags::QUESTION.0 | Flags::SUPPORT.0);
        assert_eq!(model.read("no sé que", 0.0, found).flags, Flags::default());
        assert_eq!(model.read("hola", 0.0, found).flags, found);

        let bad = good.replace("w:gracias\t2", "w:gracias\tx");
        assert_eq!(Model::parse(&bad).unwrap_err(), "line 4: \"x\" is not a weight");
        let short = good.replace("\t3\t0\t0\t0\t0\t0\n", "\n");
        assert!(Model::parse(&short).unwrap_err().starts_with("line 4:"));
        assert!(Model::parse(&good.replace("# trained\tff\n", "")).is_err());
        let twice = format!("{good}w:que\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n");
        assert!(Model::parse(&twice).unwrap_err().contains("weighed twice"));
    }

    #[test]
    fn every_model_parses() {
        for lang in Lang::ALL {
            assert_eq!(model(lang).is_some(), lang != Lang::En, "{lang}");
        }
    }
}
