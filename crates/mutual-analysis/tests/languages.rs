//! The text features of each language besides English, on its own
//! hand-labelled set, `tests/data/<lang>/labelled.tsv`: synthetic chat
//! messages written for this project, labelled by meaning (the flags, as
//! `data/labelled.tsv` defines them for English) and by tone (`+`, `-` or
//! `0`), in three splits: `dev` (tuned on freely), `held-out` (written before
//! the word lists, never tuned on) and `fresh` (written after the word lists
//! and committed before running them on it, never tuned on).
//!
//! `cargo test -p mutual-analysis --test main languages -- --nocapture`
//! prints each language's table; the example prints one language's, and
//! with `--mistakes` the dev messages it gets wrong:
//! `cargo run -p mutual-analysis --example languages -- es --mistakes`.
//! (The example includes this file, so there is one copy of the code.)

use std::fmt::Write;

use mutual_analysis::lang::{Evidence, Lang, evidence};
use mutual_analysis::text::model::grams;
use mutual_analysis::text::{Features, Flags, features_in, listed_features_in};

/// The flags the sets are labelled with, by their names in the files.
pub(crate) const FLAGS: [(&str, Flags); 8] = Flags::NAMED;

/// The labelled set of each language, in `Lang::ALL` order after English.
const SETS: [(Lang, &str); 5] = [
    (Lang::Es, include_str!("data/es/labelled.tsv")),
    (Lang::Pt, include_str!("data/pt/labelled.tsv")),
    (Lang::Fr, include_str!("data/fr/labelled.tsv")),
    (Lang::De, include_str!("data/de/labelled.tsv")),
    (Lang::It, include_str!("data/it/labelled.tsv")),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Split {
    Dev = 0,
    HeldOut = 1,
    Fresh = 2,
}

impl Split {
    pub(crate) const ALL: [Split; 3] = [Split::Dev, Split::HeldOut, Split::Fresh];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::HeldOut => "held-out",
            Split::Fresh => "fresh",
        }
    }
}

/// The tone a message is labelled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tone {
    Positive,
    Negative,
    Neutral,
}

impl Tone {
    /// The tone VADER's compound says, with its usual ±0.05 band.
    pub(crate) fn of(features: &Features) -> Tone {
        let c = features.sentiment.compound;
        if c >= 0.05 {
            Tone::Positive
        } else if c <= -0.05 {
            Tone::Negative
        } else {
            Tone::Neutral
        }
    }
}

/// One labelled message.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Example {
    pub(crate) split: Split,
    pub(crate) expected: Flags,
    pub(crate) tone: Tone,
    pub(crate) text: &'static str,
}

/// A language's labelled set; panics on a malformed line, naming it.
pub(crate) fn examples(lang: Lang) -> Vec<Example> {
    let (_, text) = SETS.iter().find(|(l, _)| *l == lang).expect("a set per language");
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(i, line)| {
            let at = format!("{lang}/labelled.tsv:{}", i + 1);
            let [split, labels, tone, text] = line.split('\t').collect::<Vec<_>>()[..] else {
                panic!("{at}: expected split<TAB>flags<TAB>tone<TAB>text");
            };
            let Some(split) = Split::ALL.into_iter().find(|s| s.name() == split) else {
                panic!("{at}: unknown split {split:?}");
            };
            let mut expected = Flags::default();
            if labels != "-" {
                for label in labels.split(',') {
                    let Some(&(_, flag)) = FLAGS.iter().find(|(name, _)| *name == label) else {
                        panic!("{at}: unknown flag {label:?}");
                    };
                    expected.insert(flag);
                }
            }
            let tone = match tone {
                "+" => Tone::Positive,
                "-" => Tone::Negative,
                "0" => Tone::Neutral,
                other => panic!("{at}: tone {other:?} is not +, - or 0"),
            };
            Example {
                split,
                expected,
                tone,
                text,
            }
        })
        .collect()
}

/// True and false positives and false negatives of one flag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) true_positives: u32,
    pub(crate) false_positives: u32,
    pub(crate) false_negatives: u32,
}

impl Counts {
    pub(crate) fn precision(self) -> Option<f64> {
        let flagged = self.true_positives + self.false_positives;
        (flagged > 0).then(|| f64::from(self.true_positives) / f64::from(flagged))
    }

    pub(crate) fn recall(self) -> Option<f64> {
        let labelled = self.true_positives + self.false_negatives;
        (labelled > 0).then(|| f64::from(self.true_positives) / f64::from(labelled))
    }

    pub(crate) fn labelled(self) -> u32 {
        self.true_positives + self.false_negatives
    }
}

/// Per split: counts per flag, tones right, and messages the text alone
/// says are in the language.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Evaluation {
    pub(crate) flags: [[Counts; 8]; 3],
    pub(crate) tones_right: [u32; 3],
    pub(crate) told_apart: [u32; 3],
    pub(crate) misread: [u32; 3],
    pub(crate) size: [u32; 3],
}

pub(crate) fn evaluate(lang: Lang, examples: &[Example]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for example in examples {
        let s = example.split as usize;
        let features = features_in(example.text, lang);
        evaluation.size[s] += 1;
        evaluation.tones_right[s] += u32::from(Tone::of(&features) == example.tone);
        match evidence(example.text) {
            Evidence::Lang(l) if l == lang => evaluation.told_apart[s] += 1,
            Evidence::None => {}
            _ => evaluation.misread[s] += 1,
        }
        for (i, &(_, flag)) in FLAGS.iter().enumerate() {
            let counts = &mut evaluation.flags[s][i];
            match (example.expected.contains(flag), features.flags.contains(flag)) {
                (true, true) => counts.true_positives += 1,
                (false, true) => counts.false_positives += 1,
                (true, false) => counts.false_negatives += 1,
                (false, false) => {}
            }
        }
    }
    evaluation
}

/// The table of one language: per split, precision and recall of each
/// flag, the share of tones right, and how the language was told.
pub(crate) fn table(lang: Lang, evaluation: &Evaluation) -> String {
    let show = |v: Option<f64>| v.map_or_else(|| "  - ".to_owned(), |v| format!("{v:.2}"));
    let mut out = format!("{} ({lang})\n{:<12}", lang.name(), "");
    for split in Split::ALL {
        let _ = write!(
            out,
            " {:>17}",
            format!("{} ({})", split.name(), evaluation.size[split as usize])
        );
    }
    let _ = write!(out, "\n{:<12}", "flag");
    for _ in Split::ALL {
        let _ = write!(out, " {:>17}", "P    R    n");
    }
    out.push('\n');
    for (i, (flag, _)) in FLAGS.iter().enumerate() {
        let _ = write!(out, "{flag:<12}");
        for split in Split::ALL {
            let c = evaluation.flags[split as usize][i];
            let _ = write!(
                out,
                " {:>17}",
                format!("{} {} {:>3}", show(c.precision()), show(c.recall()), c.labelled())
            );
        }
        out.push('\n');
    }
    for (name, values) in [
        ("tone right", evaluation.tones_right),
        ("told apart", evaluation.told_apart),
        ("misread", evaluation.misread),
    ] {
        let _ = write!(out, "{name:<12}");
        for split in Split::ALL {
            let s = split as usize;
            let share = f64::from(values[s]) / f64::from(evaluation.size[s].max(1));
            let _ = write!(out, " {:>17}", format!("{share:.2}"));
        }
        out.push('\n');
    }
    out.push_str(
        "(P precision, R recall, n messages labelled; tone: the sign of the compound, ±0.05 neutral;\n told apart: the text alone names the language; misread: it names another)\n",
    );
    out
}

/// What a language's model is trained on: a line per dev message, its
/// tone and flags as labelled, then VADER's compound and the flags the word
/// lists find, then its grams (each once), tab-separated. The model's
/// header holds this text's hash.
pub(crate) fn training_input(examples: &[Example], lang: Lang) -> String {
    let mut out = String::new();
    for example in examples.iter().filter(|e| e.split == Split::Dev) {
        let listed = listed_features_in(example.text, lang);
        let tone = match example.tone {
            Tone::Positive => "+",
            Tone::Negative => "-",
            Tone::Neutral => "0",
        };
        let _ = write!(
            out,
            "{tone}\t{}\t{:.4}\t{}",
            example.expected, listed.sentiment.compound, listed.flags
        );
        let mut seen: Vec<String> = Vec::new();
        grams(example.text, |gram| {
            if !seen.iter().any(|g| g == gram) {
                seen.push(gram.to_owned());
            }
        });
        for gram in seen {
            out.push('\t');
            out.push_str(&gram);
        }
        out.push('\n');
    }
    out
}

/// The dev messages whose flags or tone differ from their labels.
pub(crate) fn dev_mistakes(lang: Lang, examples: &[Example]) -> String {
    let mut out = String::new();
    for example in examples.iter().filter(|e| e.split == Split::Dev) {
        let features = features_in(example.text, lang);
        let found = features.flags;
        let tone = Tone::of(&features);
        if found != example.expected || tone != example.tone {
            let _ = writeln!(
                out,
                "missed {:<20} extra {:<20} tone {:?} ({:+.2}) for {:?}  {}",
                Flags(example.expected.0 & !found.0),
                Flags(found.0 & !example.expected.0),
                tone,
                features.sentiment.compound,
                example.tone,
                example.text
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OTHERS: [Lang; 5] = [Lang::Es, Lang::Pt, Lang::Fr, Lang::De, Lang::It];

    #[test]
    fn every_set_is_large_enough_and_covers_every_flag() {
        for lang in OTHERS {
            let examples = examples(lang);
            assert!(examples.len() >= 60, "{lang}: {} messages", examples.len());
            // At least a third of the smallest set the targets are read on
            // (60), and enough to read a flag's recall on: 40 fresh ones.
            let fresh = examples.iter().filter(|e| e.split == Split::Fresh).count();
            assert!(fresh >= 40, "{lang}: {fresh} fresh messages");
            let evaluation = evaluate(lang, &examples);
            for (i, (name, _)) in FLAGS.iter().enumerate() {
                let labelled: u32 = Split::ALL
                    .iter()
                    .map(|&s| evaluation.flags[s as usize][i].labelled())
                    .sum();
                assert!(labelled >= 4, "{lang}: {name} labelled on {labelled} messages");
            }
            let mut texts: Vec<_> = examples.iter().map(|e| e.text).collect();
            texts.sort_unstable();
            texts.dedup();
            assert_eq!(texts.len(), examples.len(), "{lang}: a message is labelled twice");
        }
    }

    /// The targets on the fresh third: the sign of the tone right for 80% of
    /// messages; each flag with labelled messages there at precision 0.9 and
    /// recall 0.8; and the language told from the text alone or left to the
    /// chat, never mistaken, for 95%. The fresh third is the eighth round's:
    /// 160 messages a language of natural everyday chat, written by others
    /// from the label definitions alone and committed before anything was
    /// run on it, read once with the models trained on the rounds before
    /// it (2026-12-05): every target is met.
    #[test]
    fn every_language_meets_its_targets_on_the_fresh_third() {
        let mut failures = Vec::new();
        for lang in OTHERS {
            let examples = examples(lang);
            let evaluation = evaluate(lang, &examples);
            println!("{}", table(lang, &evaluation));
            println!("dev mistakes:\n{}", dev_mistakes(lang, &examples));
            let fresh = Split::Fresh as usize;
            let size = f64::from(evaluation.size[fresh].max(1));
            let mut check = |what: &str, value: f64, target: f64| {
                if value < target {
                    failures.push(format!(
                        "{lang}: {what} {value:.2} on the fresh third (at least {target})"
                    ));
                }
            };
            check("tone", f64::from(evaluation.tones_right[fresh]) / size, 0.8);
            check("told", 1.0 - f64::from(evaluation.misread[fresh]) / size, 0.95);
            for (i, (name, _)) in FLAGS.iter().enumerate() {
                let counts = evaluation.flags[fresh][i];
                if counts.labelled() == 0 {
                    continue;
                }
                check(
                    &format!("{name} precision"),
                    counts.precision().unwrap_or(0.0),
                    0.9,
                );
                check(&format!("{name} recall"), counts.recall().unwrap_or(0.0), 0.8);
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Each language's model was trained on its dev set as it is, and on
    /// what the word lists find in it now: after changing either, run
    /// `python3 scripts/models/train.py` (the model's header holds the hash
    /// of its input).
    #[test]
    fn every_model_was_trained_on_the_dev_set_and_lists_as_they_are() {
        for lang in OTHERS {
            let input = training_input(&examples(lang), lang);
            assert_eq!(
                mutual_analysis::text::model::trained_on(lang),
                Some(mutual_analysis::text::model::input_hash(input.as_bytes())),
                "{lang}: the dev set or the word lists changed since the model was trained; \
                 run python3 scripts/models/train.py {lang}"
            );
        }
    }

    /// English chat stays English now that the other languages' words are
    /// known too: the hand-labelled English set is never taken for another.
    #[test]
    fn english_messages_are_not_taken_for_another_language() {
        let misread: Vec<&str> = crate::detectors::examples()
            .iter()
            .map(|e| e.text)
            .filter(|text| {
                matches!(evidence(text), Evidence::Lang(l) if l != Lang::En)
                    || evidence(text) == Evidence::Unread
            })
            .collect();
        let total = crate::detectors::examples().len();
        println!(
            "English messages taken for another language: {} of {total}: {misread:?}",
            misread.len()
        );
        assert!(
            misread.len() * 100 <= total * 2,
            "{} of {total}: {misread:?}",
            misread.len()
        );
    }
}
