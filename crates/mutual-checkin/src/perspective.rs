//! Two sides' answers shown as two perspectives, item by item, never as a
//! score or a verdict: "You see the last months as balanced; Sam feels they
//! have been giving a little more lately."
//!
//! The words come from the question set (each choice says how "you" and
//! "they" would put it); this module only decides how the two fit together:
//! the same answer, different ones, far apart (a gentle note that this may
//! be a good place to start talking), one side left open, or both.
//! Mirrored items (who has been giving more) are compared after turning the
//! other's answer around: their "you, a little more" is my "me, a little
//! more", so those two agree.

use mutual_core::support::SupportKind;

use crate::items::{Answer, Answers, Item, ItemKind, ItemSet};

/// One item seen from both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub item: String,
    /// My answer as I gave it ("Me, a little more"); `None` when left open.
    pub mine: Option<String>,
    /// Their answer as they gave it.
    pub theirs: Option<String>,
    /// Both perspectives in one sentence.
    pub sentence: String,
}

const FAR_APART: &str = " You see this one differently, which can be a good place to start talking.";

/// Every item of `set`, worded for me, with `their_name` for the other side.
pub fn lines(set: &ItemSet, mine: &Answers, theirs: &Answers, their_name: &str) -> Vec<Line> {
    set.items
        .iter()
        .map(|item| {
            let (a, b) = (mine.get(&item.id), theirs.get(&item.id));
            Line {
                item: item.id.clone(),
                mine: a.map(|a| label(set, item, a)),
                theirs: b.map(|b| label(set, item, b)),
                sentence: sentence(set, item, a, b, their_name),
            }
        })
        .collect()
}

/// An answer as the person gave it.
fn label(set: &ItemSet, item: &Item, answer: &Answer) -> String {
    match answer {
        Answer::Step(step) => item
            .choices()
            .get(usize::from(*step).wrapping_sub(1))
            .map_or_else(|| step.to_string(), |c| c.label.clone()),
        Answer::Kinds(kinds) if kinds.is_empty() => "Nothing".into(),
        Answer::Kinds(kinds) => capitalize(&list(set, kinds)),
        Answer::Text(text) => text.clone(),
    }
}

fn sentence(
    set: &ItemSet,
    item: &Item,
    mine: Option<&Answer>,
    theirs: Option<&Answer>,
    name: &str,
) -> String {
    let (mine, theirs) = match (mine, theirs) {
        (None, None) => return "Neither of you answered this one.".into(),
        (Some(a), None) => {
            return format!(
                "{}; {name} left this one open.",
                capitalize(&part(set, item, a, Side::Me, name))
            );
        }
        (None, Some(b)) => {
            return format!(
                "{}; you left this one open.",
                capitalize(&part(set, item, b, Side::Them, name))
            );
        }
        (Some(a), Some(b)) => (a, b),
    };
    match (&item.kind, mine, theirs) {
        (ItemKind::Circles { choices } | ItemKind::Scale { choices }, Answer::Step(a), Answer::Step(b)) => {
            let (a, b) = (usize::from(*a), usize::from(*b));
            if a == b {
                return format!("You {}.", both(&fill(&choices[a - 1].you, name, "")));
            }
            let far = if far_apart(a, b, choices.len()) {
                FAR_APART
            } else {
                ""
            };
            format!(
                "{}; {}.{far}",
                part(set, item, mine, Side::Me, name),
                part(set, item, theirs, Side::Them, name)
            )
        }
        (ItemKind::Mirrored { choices }, Answer::Step(a), Answer::Step(b)) => {
            let n = choices.len();
            let (a, b_mine) = (usize::from(*a), n + 1 - usize::from(*b));
            if a == b_mine {
                let both = choices[a - 1].both.as_deref().unwrap_or_default();
                return format!("You and {name} see it the same way: {}.", fill(both, name, ""));
            }
            let far = if far_apart(a, b_mine, n) { FAR_APART } else { "" };
            format!(
                "{}; {}.{far}",
                part(set, item, mine, Side::Me, name),
                part(set, item, theirs, Side::Them, name)
            )
        }
        (ItemKind::Kinds { word }, Answer::Kinds(a), Answer::Kinds(b)) => {
            kinds_sentence(set, word, a, b, name)
        }
        _ => format!(
            "{}; {}.",
            part(set, item, mine, Side::Me, name),
            part(set, item, theirs, Side::Them, name)
        ),
    }
}

fn kinds_sentence(set: &ItemSet, word: &str, a: &[SupportKind], b: &[SupportKind], name: &str) -> String {
    let shared: Vec<SupportKind> = a.iter().copied().filter(|k| b.contains(k)).collect();
    let only_mine: Vec<SupportKind> = a.iter().copied().filter(|k| !b.contains(k)).collect();
    let only_theirs: Vec<SupportKind> = b.iter().copied().filter(|k| !a.contains(k)).collect();
    match (a.is_empty(), b.is_empty()) {
        (true, true) => format!("Neither of you named anything you would like {word} of."),
        (false, true) => format!(
            "You would like {word} {}; {name} named nothing here.",
            list(set, a)
        ),
        (true, false) => format!(
            "{name} would like {word} {}; you named nothing here.",
            list(set, b)
        ),
        _ if shared.is_empty() => {
            format!(
                "You would like {word} {}; {name} would like {word} {}.",
                list(set, a),
                list(set, b)
            )
        }
        _ => {
            let both = format!("You would both like {word} {}", list(set, &shared));
            match (only_mine.is_empty(), only_theirs.is_empty()) {
                (true, true) => format!("{both}."),
                (false, true) => format!("{both}; you also named {}.", list(set, &only_mine)),
                (true, false) => format!("{both}; {name} also named {}.", list(set, &only_theirs)),
                (false, false) => format!(
                    "{both}; you also named {}, and {name} {}.",
                    list(set, &only_mine),
                    list(set, &only_theirs)
                ),
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Me,
    Them,
}

/// One side's view, without the full stop: "You feel heard most of the
/// time", "Sam feels they have been giving a little more lately".
fn part(set: &ItemSet, item: &Item, answer: &Answer, side: Side, name: &str) -> String {
    let subject = match side {
        Side::Me => "You",
        Side::Them => name,
    };
    match (&item.kind, answer) {
        (ItemKind::Text { you, they, .. }, Answer::Text(text)) => {
            fill(if side == Side::Me { you } else { they }, name, text)
        }
        (ItemKind::Kinds { word }, Answer::Kinds(kinds)) if kinds.is_empty() => {
            format!("{subject} would like {word} of nothing in particular")
        }
        (ItemKind::Kinds { word }, Answer::Kinds(kinds)) => {
            format!("{subject} would like {word} {}", list(set, kinds))
        }
        (_, Answer::Step(step)) => match item.choices().get(usize::from(*step).wrapping_sub(1)) {
            Some(choice) => {
                let phrase = if side == Side::Me {
                    &choice.you
                } else {
                    &choice.they
                };
                format!("{subject} {}", fill(phrase, name, ""))
            }
            None => format!("{subject} chose step {step}"),
        },
        (_, answer) => format!("{subject} answered {}", label(set, item, answer)),
    }
}

/// "both" in its natural place: "would both like …", "both feel …".
fn both(phrase: &str) -> String {
    match phrase.split_once(' ') {
        Some((verb @ ("would" | "can" | "could" | "are"), rest)) => format!("{verb} both {rest}"),
        _ => format!("both {phrase}"),
    }
}

/// Whether two steps of an `n`-step scale are a third of it or more apart.
fn far_apart(a: usize, b: usize, n: usize) -> bool {
    a.abs_diff(b) * 3 >= n
}

/// "listening", "listening and advice", "listening, advice and time together".
fn list(set: &ItemSet, kinds: &[SupportKind]) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| set.kind_label(*k)).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// `template` with `{name}` and `{text}` put in, in one pass, so that a
/// name or a text that contains braces stays as it is.
fn fill(template: &str, name: &str, text: &str) -> String {
    let mut out = String::with_capacity(template.len() + name.len() + text.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("{name}") {
            out.push_str(name);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("{text}") {
            out.push_str(text);
            rest = after;
        } else {
            out.push('{');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn set() -> &'static ItemSet {
        ItemSet::version(1).unwrap()
    }

    /// The sentence for one item, my answer and theirs given as JSON values.
    fn say(item: &str, mine: &str, theirs: &str) -> String {
        let answers = |value: &str| {
            let mut answers = Answers::new();
            if !value.is_empty() {
                let value: serde_json::Value = serde_json::from_str(value).unwrap();
                let answer = match value {
                    serde_json::Value::Number(n) => Answer::Step(n.as_u64().unwrap() as u8),
                    serde_json::Value::String(s) => Answer::Text(s),
                    serde_json::Value::Array(a) => {
                        Answer::Kinds(a.iter().map(|k| k.as_str().unwrap().parse().unwrap()).collect())
                    }
                    other => panic!("{other}"),
                };
                answers.set(set(), item, answer).unwrap();
            }
            answers
        };
        let lines = lines(set(), &answers(mine), &answers(theirs), "Sam");
        lines.into_iter().find(|line| line.item == item).unwrap().sentence
    }

    #[test]
    fn balance_is_compared_mirrored() {
        // The issue's example.
        assert_eq!(
            say("balance", "3", "2"),
            "You see the last months as balanced; Sam feels they have been giving a little more lately."
        );
        // My "me, a little more" and their "you, a little more" agree.
        assert_eq!(
            say("balance", "2", "4"),
            "You and Sam see it the same way: you have been giving a little more lately."
        );
        assert_eq!(
            say("balance", "5", "1"),
            "You and Sam see it the same way: Sam has been giving much more lately."
        );
        assert_eq!(
            say("balance", "3", "3"),
            "You and Sam see it the same way: the last months have felt balanced."
        );
        // Both feel they give more: the same words, opposite views.
        assert_eq!(
            say("balance", "2", "2"),
            "You feel you have been giving a little more lately; Sam feels they have been giving a little more lately. \
             You see this one differently, which can be a good place to start talking."
        );
        assert_eq!(
            say("balance", "4", "3"),
            "You feel Sam has been giving a little more lately; Sam sees the last months as balanced."
        );
        assert_eq!(
            say("balance", "1", "5"),
            "You and Sam see it the same way: you have been giving much more lately."
        );
        assert_eq!(
            say("balance", "1", "1"),
            format!(
                "You feel you have been giving much more lately; Sam feels they have been giving much more lately.{FAR_APART}"
            )
        );
    }

    #[test]
    fn scales_agree_differ_or_sit_far_apart() {
        assert_eq!(say("heard", "4", "4"), "You both feel heard most of the time.");
        assert_eq!(
            say("heard", "4", "5"),
            "You feel heard most of the time; Sam nearly always feels heard."
        );
        assert_eq!(
            say("heard", "5", "2"),
            "You nearly always feel heard; Sam feels heard now and then. \
             You see this one differently, which can be a good place to start talking."
        );
        assert_eq!(
            say("time", "3", "3"),
            "You both find your time together about right."
        );
        // Seven steps: two apart is near, three apart is far.
        assert_eq!(
            say("closeness", "5", "3"),
            "You picture the two of you halfway overlapping; Sam pictures the two of you just touching."
        );
        assert!(say("closeness", "6", "3").ends_with(FAR_APART));
        assert_eq!(
            say("closeness", "7", "7"),
            "You both picture the two of you as almost one circle."
        );
    }

    #[test]
    fn one_side_or_both_left_open() {
        assert_eq!(
            say("heard", "", "4"),
            "Sam feels heard most of the time; you left this one open."
        );
        assert_eq!(
            say("heard", "2", ""),
            "You feel heard now and then; Sam left this one open."
        );
        assert_eq!(say("need", "", ""), "Neither of you answered this one.");
        assert_eq!(
            say("need", "", r#""a call on Sundays""#),
            "Sam's need: “a call on Sundays”; you left this one open."
        );
        assert_eq!(
            say("more", r#"["advice"]"#, ""),
            "You would like more advice; Sam left this one open."
        );
    }

    #[test]
    fn texts_stand_side_by_side() {
        assert_eq!(
            say("need", r#""more notice for plans""#, r#""a call on Sundays""#),
            "Your need: “more notice for plans”; Sam's need: “a call on Sundays”."
        );
        assert_eq!(
            say("grateful", r#""the soup""#, r#""{name} and {text}""#),
            "You are grateful for “the soup”; Sam is grateful for “{name} and {text}”."
        );
        assert_eq!(
            say("boundary", r#""no calls after 11""#, ""),
            "Your boundary: “no calls after 11”; Sam left this one open."
        );
    }

    #[test]
    fn kinds_shared_overlapping_disjoint_or_none() {
        assert_eq!(
            say("more", r#"["presence"]"#, r#"["presence"]"#),
            "You would both like more time together."
        );
        assert_eq!(
            say("more", r#"["presence","listening"]"#, r#"["presence"]"#),
            "You would both like more time together; you also named listening."
        );
        assert_eq!(
            say("more", r#"["presence"]"#, r#"["presence","practical","advice"]"#),
            "You would both like more time together; Sam also named practical help and advice."
        );
        assert_eq!(
            say(
                "more",
                r#"["presence","listening"]"#,
                r#"["presence","celebration"]"#
            ),
            "You would both like more time together; you also named listening, and Sam celebrating good news."
        );
        assert_eq!(
            say(
                "less",
                r#"["advice"]"#,
                r#"["practical","disclosure","affirmation"]"#
            ),
            "You would like less advice; Sam would like less encouragement and appreciation, practical help and opening up to each other."
        );
        assert_eq!(
            say("less", "[]", "[]"),
            "Neither of you named anything you would like less of."
        );
        assert_eq!(
            say("less", r#"["advice"]"#, "[]"),
            "You would like less advice; Sam named nothing here."
        );
        assert_eq!(
            say("more", "[]", r#"["listening"]"#),
            "Sam would like more listening; you named nothing here."
        );
    }

    #[test]
    fn lines_carry_both_answers_as_given() {
        let mine = Answers::from_json(
            set(),
            r#"{"closeness":5,"balance":2,"heard":4,"time":3,"more":[]}"#,
        )
        .unwrap();
        let theirs = Answers::from_json(
            set(),
            r#"{"closeness":5,"balance":4,"heard":4,"time":2,"more":["listening","presence"]}"#,
        )
        .unwrap();
        let lines = lines(set(), &mine, &theirs, "Sam");
        assert_eq!(lines.len(), set().items.len());
        assert_eq!(lines[1].mine.as_deref(), Some("Me, a little more"));
        assert_eq!(lines[1].theirs.as_deref(), Some("You, a little more"));
        assert_eq!(lines[4].mine.as_deref(), Some("Nothing"));
        assert_eq!(lines[4].theirs.as_deref(), Some("Listening and time together"));
        assert_eq!(lines[6].mine, None);
    }

    #[test]
    fn no_sentence_keeps_a_score_or_a_ledger_word() {
        let steps = ["1", "2", "3", "4", "5"];
        for item in ["balance", "heard", "time"] {
            for a in steps {
                for b in steps {
                    let s = say(item, a, b);
                    for word in ["owe", "score", "%", "fault", "should"] {
                        assert!(!s.contains(word), "{item} {a}/{b}: {s}");
                    }
                }
            }
        }
    }

    #[test]
    fn fill_puts_names_and_texts_in_once() {
        assert_eq!(
            fill("{name}'s need: “{text}”", "{text}", "x"),
            "{text}'s need: “x”"
        );
        assert_eq!(fill("a {b} c {", "n", "t"), "a {b} c {");
    }
}
