//! The question set: 8-10 items both sides answer from their own side, kept
//! as versioned data files (`data/items-v<N>.json`). A check-in records the
//! version it was asked with, and every version ever shipped keeps loading,
//! so an old check-in reads as it was asked.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use mutual_core::support::SupportKind;
use mutual_core::text::clean_name;
use serde::Deserialize;

use crate::CheckinError;

/// Every shipped question set, oldest first. A new version is a new file
/// added here; old files never change.
const SHIPPED: &[(u8, &str)] = &[(1, include_str!("../data/items-v1.json"))];

/// The version new check-ins use.
pub const LATEST: u8 = 1;

/// One version of the questions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemSet {
    pub version: u8,
    /// The words for each support kind in a list ("practical help").
    kind_labels: BTreeMap<String, String>,
    pub items: Vec<Item>,
}

/// One question.
#[derive(Clone, Debug, Deserialize)]
pub struct Item {
    /// Stable within a version: the key of the answer.
    pub id: String,
    pub prompt: String,
    #[serde(default)]
    pub hint: Option<String>,
    /// Whether it may be left unanswered.
    #[serde(default)]
    pub optional: bool,
    #[serde(flatten)]
    pub kind: ItemKind,
}

/// How an item is answered.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ItemKind {
    /// Pairs of circles from apart to overlapping, one step chosen.
    Circles { choices: Vec<Choice> },
    /// One step on a scale.
    Scale { choices: Vec<Choice> },
    /// One step on a scale that runs from "me" to "you": the other side's
    /// step `k` of `n` means what my step `n + 1 - k` means.
    Mirrored { choices: Vec<Choice> },
    /// Any number of support kinds ("more of", "less of").
    Kinds {
        /// "more" or "less", as the perspective says it.
        word: String,
    },
    /// Free text, at most `max_chars` characters.
    Text {
        max_chars: usize,
        /// How the perspective shows my text and theirs (`{text}`, `{name}`).
        you: String,
        they: String,
    },
}

/// One step of a scale, with the words each perspective uses for it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// What the person picks.
    pub label: String,
    /// After "You": "feel heard most of the time".
    pub you: String,
    /// After the other's name: "feels heard most of the time".
    pub they: String,
    /// For mirrored items, when both see it the same way, in my frame.
    #[serde(default)]
    pub both: Option<String>,
}

/// One answer. Steps count from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Step(u8),
    Kinds(Vec<SupportKind>),
    Text(String),
}

/// One side's answers, by item id. Unanswered optional items are absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers(BTreeMap<String, Answer>);

impl ItemSet {
    /// The question set of `version`, as shipped.
    pub fn version(version: u8) -> Result<&'static ItemSet, CheckinError> {
        static LOADED: OnceLock<Vec<Result<ItemSet, CheckinError>>> = OnceLock::new();
        let loaded =
            LOADED.get_or_init(|| SHIPPED.iter().map(|(v, json)| ItemSet::parse(*v, json)).collect());
        let index =
            SHIPPED
                .iter()
                .position(|(v, _)| *v == version)
                .ok_or_else(|| CheckinError::UnknownItemSet {
                    version,
                    known: SHIPPED
                        .iter()
                        .map(|(v, _)| v.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
        loaded[index].as_ref().map_err(Clone::clone)
    }

    /// The question set new check-ins use.
    pub fn latest() -> Result<&'static ItemSet, CheckinError> {
        ItemSet::version(LATEST)
    }

    /// The data file of every shipped version, for the friend's page.
    pub fn shipped_json() -> impl Iterator<Item = (u8, &'static str)> {
        SHIPPED.iter().copied()
    }

    fn parse(version: u8, json: &str) -> Result<ItemSet, CheckinError> {
        let bad = |problem: String| CheckinError::ItemSetFile { version, problem };
        let set: ItemSet = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        if set.version != version {
            return Err(bad(format!("it says it is version {}", set.version)));
        }
        for kind in SupportKind::ALL {
            if !set.kind_labels.contains_key(kind.as_str()) {
                return Err(bad(format!("kind_labels has no words for '{kind}'")));
            }
        }
        for (i, item) in set.items.iter().enumerate() {
            if set.items[..i].iter().any(|other| other.id == item.id) {
                return Err(bad(format!("the id '{}' is used twice", item.id)));
            }
            match &item.kind {
                ItemKind::Circles { choices } | ItemKind::Scale { choices } if choices.len() < 2 => {
                    return Err(bad(format!("'{}' has fewer than two choices", item.id)));
                }
                ItemKind::Mirrored { choices }
                    if choices.len() < 2 || choices.iter().any(|c| c.both.is_none()) =>
                {
                    return Err(bad(format!(
                        "'{}' needs two choices or more, each with 'both'",
                        item.id
                    )));
                }
                _ => {}
            }
        }
        Ok(set)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Result<&Item, CheckinError> {
        self.items
            .iter()
            .find(|item| item.id == id)
            .ok_or_else(|| CheckinError::UnknownItem {
                id: id.to_owned(),
                version: self.version,
                expected: self.ids(),
            })
    }

    fn ids(&self) -> String {
        self.items
            .iter()
            .map(|item| item.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The words for a support kind in a list ("practical help").
    pub fn kind_label(&self, kind: SupportKind) -> &str {
        self.kind_labels
            .get(kind.as_str())
            .map_or(kind.as_str(), String::as_str)
    }
}

impl Item {
    /// The choices of a one-step item; empty for kinds and text.
    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            ItemKind::Circles { choices } | ItemKind::Scale { choices } | ItemKind::Mirrored { choices } => {
                choices
            }
            ItemKind::Kinds { .. } | ItemKind::Text { .. } => &[],
        }
    }

    /// What an answer to this item looks like, for error messages.
    pub fn expected(&self) -> String {
        match &self.kind {
            ItemKind::Circles { choices } | ItemKind::Scale { choices } | ItemKind::Mirrored { choices } => {
                format!("a step from 1 to {}", choices.len())
            }
            ItemKind::Kinds { .. } => format!(
                "a list of support kinds from: {}",
                SupportKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ItemKind::Text { max_chars, .. } => format!("a text of at most {max_chars} characters"),
        }
    }

    /// `answer`, checked against this item and cleaned: text loses control
    /// characters and extra white space, kinds lose repeats. `None` when the
    /// answer says nothing (empty text).
    pub fn check(&self, answer: Answer) -> Result<Option<Answer>, CheckinError> {
        let wrong = |problem: String| CheckinError::Answer {
            item: self.id.clone(),
            problem,
            expected: self.expected(),
        };
        match (&self.kind, answer) {
            (
                ItemKind::Circles { choices } | ItemKind::Scale { choices } | ItemKind::Mirrored { choices },
                Answer::Step(step),
            ) => {
                if step == 0 || usize::from(step) > choices.len() {
                    return Err(wrong(format!("is step {step}")));
                }
                Ok(Some(Answer::Step(step)))
            }
            (ItemKind::Kinds { .. }, Answer::Kinds(mut kinds)) => {
                kinds.sort();
                kinds.dedup();
                Ok(Some(Answer::Kinds(kinds)))
            }
            (ItemKind::Text { max_chars, .. }, Answer::Text(text)) => {
                let text = clean_name(&text);
                let chars = text.chars().count();
                if chars > *max_chars {
                    return Err(wrong(format!("has {chars} characters")));
                }
                Ok((!text.is_empty()).then_some(Answer::Text(text)))
            }
            (_, answer) => Err(wrong(format!("is {}", answer.describe()))),
        }
    }
}

impl Answer {
    fn describe(&self) -> &'static str {
        match self {
            Answer::Step(_) => "a step",
            Answer::Kinds(_) => "a list",
            Answer::Text(_) => "a text",
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Answer::Step(step) => serde_json::Value::from(*step),
            Answer::Kinds(kinds) => kinds
                .iter()
                .map(|k| serde_json::Value::from(k.as_str()))
                .collect(),
            Answer::Text(text) => serde_json::Value::from(text.as_str()),
        }
    }
}

impl Answers {
    pub fn new() -> Answers {
        Answers::default()
    }

    /// Checks `answer` against the item `id` of `set` and keeps it (an empty
    /// text removes the item's answer).
    pub fn set(&mut self, set: &ItemSet, id: &str, answer: Answer) -> Result<(), CheckinError> {
        let item = set.item(id)?;
        match item.check(answer)? {
            Some(answer) => self.0.insert(item.id.clone(), answer),
            None => self.0.remove(&item.id),
        };
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.0.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Answer)> {
        self.0.iter().map(|(id, answer)| (id.as_str(), answer))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether every item that is not optional has an answer.
    pub fn check_complete(&self, set: &ItemSet) -> Result<(), CheckinError> {
        match set
            .items
            .iter()
            .find(|item| !item.optional && !self.0.contains_key(&item.id))
        {
            Some(item) => Err(CheckinError::Answer {
                item: item.id.clone(),
                problem: "is missing".into(),
                expected: item.expected(),
            }),
            None => Ok(()),
        }
    }

    /// Reads answers written as a JSON object (`{"closeness": 5, "more":
    /// ["listening"], "need": "…"}`), checking each against `set` and that
    /// every required item is answered.
    pub fn from_json(set: &ItemSet, json: &str) -> Result<Answers, CheckinError> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| CheckinError::AnswersJson {
            problem: e.to_string(),
        })?;
        Answers::from_value(set, &value)
    }

    pub(crate) fn from_value(set: &ItemSet, value: &serde_json::Value) -> Result<Answers, CheckinError> {
        let object = value.as_object().ok_or_else(|| CheckinError::AnswersJson {
            problem: "it is not an object of item ids and answers".into(),
        })?;
        let mut answers = Answers::new();
        for (id, value) in object {
            let item = set.item(id)?;
            let wrong = |problem: String| CheckinError::Answer {
                item: id.clone(),
                problem,
                expected: item.expected(),
            };
            let answer = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::Number(n) => {
                    let step = n
                        .as_u64()
                        .and_then(|n| u8::try_from(n).ok())
                        .ok_or_else(|| wrong(format!("is {n}")))?;
                    Answer::Step(step)
                }
                serde_json::Value::String(text) => Answer::Text(text.clone()),
                serde_json::Value::Array(list) => {
                    let mut kinds = Vec::with_capacity(list.len());
                    for entry in list {
                        let name = entry
                            .as_str()
                            .ok_or_else(|| wrong(format!("has {entry} in its list")))?;
                        let kind = name
                            .parse::<SupportKind>()
                            .map_err(|_| wrong(format!("has '{name}' in its list")))?;
                        kinds.push(kind);
                    }
                    Answer::Kinds(kinds)
                }
                serde_json::Value::Bool(b) => return Err(wrong(format!("is {b}"))),
                serde_json::Value::Object(_) => return Err(wrong("is an object".into())),
            };
            answers.set(set, id, answer)?;
        }
        answers.check_complete(set)?;
        Ok(answers)
    }

    /// The answers as a compact JSON object, the form [`Answers::from_json`] reads.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    pub(crate) fn to_value(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.0
                .iter()
                .map(|(id, answer)| (id.clone(), answer.to_json()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn v1() -> &'static ItemSet {
        ItemSet::version(1).unwrap()
    }

    #[test]
    fn every_shipped_version_loads() {
        for (version, _) in ItemSet::shipped_json() {
            let set = ItemSet::version(version).unwrap();
            assert_eq!(set.version, version);
            assert!(
                (8..=10).contains(&set.items.len()),
                "8-10 items in version {version}"
            );
        }
        assert_eq!(ItemSet::latest().unwrap().version, LATEST);
    }

    /// Check-ins asked with a version are read with it for good: a shipped
    /// file changes only by a new version beside it.
    #[test]
    fn shipped_files_do_not_change() {
        use sha2::{Digest, Sha256};
        let known = [(
            1,
            "d3768773a8bf5640153a33076ca9ab37a1b3a1fd670784d6727551ef3e8cff3e",
        )];
        for (version, json) in ItemSet::shipped_json() {
            let hash: String = Sha256::digest(json.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let expected = known.iter().find(|(v, _)| *v == version).map(|(_, h)| *h);
            assert_eq!(
                Some(hash.as_str()),
                expected,
                "items-v{version}.json changed; add a new version instead"
            );
        }
    }

    #[test]
    fn version_one_asks_what_the_issue_asks() {
        let set = v1();
        let ids: Vec<&str> = set.items.iter().map(|item| item.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "closeness",
                "balance",
                "heard",
                "time",
                "more",
                "less",
                "need",
                "boundary",
                "grateful"
            ]
        );
        assert!(
            matches!(&set.item("closeness").unwrap().kind, ItemKind::Circles { choices } if choices.len() == 7)
        );
        assert!(
            matches!(&set.item("balance").unwrap().kind, ItemKind::Mirrored { choices } if choices.len() == 5)
        );
        assert_eq!(set.item("balance").unwrap().choices()[0].label, "Me, much more");
        assert_eq!(set.item("balance").unwrap().choices()[4].label, "You, much more");
        assert_eq!(set.kind_label(SupportKind::Practical), "practical help");
        for id in ["need", "boundary", "grateful", "more", "less"] {
            assert!(set.item(id).unwrap().optional, "{id} is optional");
        }
    }

    #[test]
    fn an_unknown_version_says_which_are_known() {
        let err = ItemSet::version(7).unwrap_err();
        assert_eq!(
            err,
            CheckinError::UnknownItemSet {
                version: 7,
                known: "1".into()
            }
        );
        assert!(err.to_string().contains("question set 7"), "{err}");
    }

    #[test]
    fn answers_round_trip_through_json() {
        let json = r#"{"closeness":5,"balance":2,"heard":4,"time":3,"more":["presence","listening","listening"],"less":[],"need":"  more   walks ","grateful":""}"#;
        let answers = Answers::from_json(v1(), json).unwrap();
        assert_eq!(answers.get("closeness"), Some(&Answer::Step(5)));
        assert_eq!(
            answers.get("more"),
            Some(&Answer::Kinds(vec![
                SupportKind::Listening,
                SupportKind::Presence
            ]))
        );
        assert_eq!(answers.get("need"), Some(&Answer::Text("more walks".into())));
        assert_eq!(answers.get("grateful"), None, "an empty text is no answer");
        let again = Answers::from_json(v1(), &answers.to_json()).unwrap();
        assert_eq!(again, answers);
        assert_eq!(
            answers.to_json(),
            r#"{"balance":2,"closeness":5,"heard":4,"less":[],"more":["listening","presence"],"need":"more walks","time":3}"#
        );
    }

    #[test]
    fn bad_answers_say_what_was_expected() {
        let set = v1();
        let err = |json: &str| Answers::from_json(set, json).unwrap_err().to_string();
        let base = r#""closeness":5,"balance":2,"heard":4,"time":3"#;
        assert_eq!(
            err(r#"{"closeness":8,"balance":2,"heard":4,"time":3}"#),
            "the answer to 'closeness' is step 8; expected a step from 1 to 7"
        );
        assert_eq!(
            err(r#"{"closeness":0,"balance":2,"heard":4,"time":3}"#),
            "the answer to 'closeness' is step 0; expected a step from 1 to 7"
        );
        assert_eq!(
            err(r#"{"closeness":-1}"#),
            "the answer to 'closeness' is -1; expected a step from 1 to 7"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"mood":3}}"#)),
            "there is no question 'mood' in question set 1; expected one of: closeness, balance, heard, time, more, less, need, boundary, grateful"
        );
        assert!(err(&format!(r#"{{{base},"more":["hugs"]}}"#)).starts_with(
            "the answer to 'more' has 'hugs' in its list; expected a list of support kinds from: listening, affirmation"
        ));
        assert_eq!(
            err(&format!(r#"{{{base},"need":3}}"#)),
            "the answer to 'need' is a step; expected a text of at most 280 characters"
        );
        assert_eq!(
            err(&format!(r#"{{{base},"need":"{}"}}"#, "a".repeat(281))),
            "the answer to 'need' has 281 characters; expected a text of at most 280 characters"
        );
        assert_eq!(
            err(r#"{"closeness":5,"heard":4,"time":3}"#),
            "the answer to 'balance' is missing; expected a step from 1 to 5"
        );
        assert!(err("[1,2]").contains("not an object"));
        assert!(err("{").starts_with("the answers are not JSON we can read"));
    }

    #[test]
    fn texts_are_cleaned_of_control_characters() {
        let mut answers = Answers::new();
        answers
            .set(
                v1(),
                "boundary",
                Answer::Text("no calls\u{1b}[2J after\n\n11".into()),
            )
            .unwrap();
        assert_eq!(
            answers.get("boundary"),
            Some(&Answer::Text("no calls[2J after 11".into()))
        );
        answers.set(v1(), "boundary", Answer::Text(" ".into())).unwrap();
        assert!(answers.is_empty());
    }
}
