//! Disclosure prompts: our own deck in three depths, and the pacing that
//! suggests going deeper only when both friends have been answering and
//! recent time together has not left me depleted.

use jiff::Timestamp;

use crate::id::{FriendId, PromptUseId};
use crate::names::named_enum;

named_enum! {
    /// How deep a prompt goes.
    pub enum Depth as "depth" {
        Light = "light",
        Personal = "personal",
        Deep = "deep",
    }
}

impl Depth {
    pub const fn deeper(self) -> Option<Depth> {
        match self {
            Depth::Light => Some(Depth::Personal),
            Depth::Personal => Some(Depth::Deep),
            Depth::Deep => None,
        }
    }
}

/// One conversation prompt of the deck.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Prompt {
    /// Stable id such as `light-07`.
    pub id: String,
    pub depth: Depth,
    pub text: String,
}

/// The deck, in file order.
#[derive(Clone, Debug)]
pub struct Deck {
    prompts: Vec<Prompt>,
}

/// A line of the deck file that is not `<depth>-<nn> <text>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("prompt deck line {line}: {problem}")]
pub struct DeckError {
    pub line: usize,
    pub problem: String,
}

const DECK: &str = include_str!("../data/prompts.txt");

impl Deck {
    /// The deck that ships with mutual.
    pub fn builtin() -> Deck {
        Deck::parse(DECK).expect("the built-in deck is checked by a unit test")
    }

    /// Reads `<depth>-<nn> <text>` lines; `#` starts a comment line.
    pub fn parse(text: &str) -> Result<Deck, DeckError> {
        let mut prompts: Vec<Prompt> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let problem = |problem: String| DeckError { line: n + 1, problem };
            let (id, text) = line
                .split_once(' ')
                .ok_or_else(|| problem("expected '<depth>-<nn> <text>'".into()))?;
            let (depth, number) = id
                .split_once('-')
                .ok_or_else(|| problem(format!("id '{id}' is not '<depth>-<nn>'")))?;
            let depth: Depth = depth.parse().map_err(|e| problem(format!("{e}")))?;
            if number.parse::<u16>().is_err() {
                return Err(problem(format!("id '{id}' does not end in a number")));
            }
            if prompts.iter().any(|p| p.id == id) {
                return Err(problem(format!("id '{id}' appears twice")));
            }
            prompts.push(Prompt {
                id: id.to_owned(),
                depth,
                text: text.trim().to_owned(),
            });
        }
        Ok(Deck { prompts })
    }

    pub fn get(&self, id: &str) -> Option<&Prompt> {
        self.prompts.iter().find(|p| p.id == id)
    }

    pub fn at_depth(&self, depth: Depth) -> impl Iterator<Item = &Prompt> {
        self.prompts.iter().filter(move |p| p.depth == depth)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Prompt> {
        self.prompts.iter()
    }
}

/// One time a prompt was brought up with a friend.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PromptUse {
    pub id: PromptUseId,
    pub friend: FriendId,
    pub prompt: String,
    pub at: Timestamp,
    pub me_answered: bool,
    pub they_answered: bool,
}

/// Knobs of the pacing rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PacingConfig {
    /// Prompts both must have answered at a depth before the next one opens.
    pub answers_to_deepen: usize,
    /// A recent mean energy at or below this means "depleted": stay light.
    pub depleted_energy: f64,
}

impl Default for PacingConfig {
    fn default() -> Self {
        PacingConfig {
            answers_to_deepen: 3,
            depleted_energy: -1.0,
        }
    }
}

/// Why a depth was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PacingReason {
    /// Where everyone starts.
    Start,
    /// Both have answered enough at the depth above; still here.
    Earned,
    /// Both have answered enough at the previous depth: time to go deeper.
    ReadyToDeepen,
    /// Recent time together left me drained: something light instead.
    Depleted,
}

/// The next prompt to try with a friend, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NextPrompt {
    pub depth: Depth,
    pub reason: PacingReason,
    /// How many prompts at `depth` both have answered so far.
    pub answered_by_both: usize,
    pub prompt: Prompt,
}

/// Chooses the next prompt. `recent_energy` is the mean energy of recent
/// interactions with this friend, if any were logged.
pub fn next_prompt(
    deck: &Deck,
    uses: &[PromptUse],
    recent_energy: Option<f64>,
    config: &PacingConfig,
) -> Option<NextPrompt> {
    let both_at = |depth: Depth| {
        uses.iter()
            .filter(|u| u.me_answered && u.they_answered)
            .filter(|u| deck.get(&u.prompt).is_some_and(|p| p.depth == depth))
            .map(|u| u.prompt.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let mut depth = Depth::Light;
    let mut reason = PacingReason::Start;
    while let Some(deeper) = depth.deeper() {
        if both_at(depth) < config.answers_to_deepen {
            break;
        }
        depth = deeper;
        reason = PacingReason::ReadyToDeepen;
    }
    if reason == PacingReason::ReadyToDeepen && uses_at(deck, uses, depth) > 0 {
        reason = PacingReason::Earned;
    }
    if recent_energy.is_some_and(|e| e <= config.depleted_energy) && depth != Depth::Light {
        depth = Depth::Light;
        reason = PacingReason::Depleted;
    }
    // The first prompt at this depth not yet used with this friend; when all
    // were used, the one used longest ago.
    let last_used = |id: &str| uses.iter().filter(|u| u.prompt == id).map(|u| u.at).max();
    let prompt = deck.at_depth(depth).min_by_key(|p| last_used(&p.id))?.clone();
    Some(NextPrompt {
        depth,
        reason,
        answered_by_both: both_at(depth),
        prompt,
    })
}

fn uses_at(deck: &Deck, uses: &[PromptUse], depth: Depth) -> usize {
    uses.iter()
        .filter(|u| deck.get(&u.prompt).is_some_and(|p| p.depth == depth))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_deck_has_at_least_twenty_prompts_per_depth() {
        let deck = Deck::builtin();
        for &depth in Depth::ALL {
            let n = deck.at_depth(depth).count();
            assert!(n >= 20, "{depth} has only {n} prompts");
        }
        assert!(deck.iter().all(|p| p.id.starts_with(p.depth.as_str())));
    }

    #[test]
    fn deck_errors_name_the_line() {
        let err = Deck::parse("# c\nlight-01 Hi?\nshallow-01 Hm?").unwrap_err();
        assert_eq!(err.line, 3);
        let err = Deck::parse("light-01 Hi?\nlight-01 Again?").unwrap_err();
        assert!(err.problem.contains("twice"));
    }

    fn used(deck: &Deck, depth: Depth, n: usize, both: bool) -> Vec<PromptUse> {
        deck.at_depth(depth)
            .take(n)
            .enumerate()
            .map(|(i, p)| PromptUse {
                id: PromptUseId(i as i64),
                friend: FriendId(1),
                prompt: p.id.clone(),
                at: Timestamp::from_second(1_700_000_000 + i as i64 * 86_400).unwrap(),
                me_answered: true,
                they_answered: both,
            })
            .collect()
    }

    #[test]
    fn starts_light_and_skips_used_prompts() {
        let deck = Deck::builtin();
        let next = next_prompt(&deck, &[], None, &PacingConfig::default()).unwrap();
        assert_eq!((next.depth, next.reason), (Depth::Light, PacingReason::Start));
        let uses = used(&deck, Depth::Light, 2, true);
        let next = next_prompt(&deck, &uses, None, &PacingConfig::default()).unwrap();
        assert_eq!(next.depth, Depth::Light);
        assert_eq!(next.prompt.id, deck.at_depth(Depth::Light).nth(2).unwrap().id);
        assert_eq!(next.answered_by_both, 2);
    }

    #[test]
    fn deepens_only_when_both_answered_and_not_depleted() {
        let deck = Deck::builtin();
        let config = PacingConfig::default();
        let one_sided = used(&deck, Depth::Light, 5, false);
        assert_eq!(
            next_prompt(&deck, &one_sided, None, &config).unwrap().depth,
            Depth::Light
        );

        let both = used(&deck, Depth::Light, 3, true);
        let next = next_prompt(&deck, &both, Some(1.0), &config).unwrap();
        assert_eq!(
            (next.depth, next.reason),
            (Depth::Personal, PacingReason::ReadyToDeepen)
        );

        let next = next_prompt(&deck, &both, Some(-2.0), &config).unwrap();
        assert_eq!((next.depth, next.reason), (Depth::Light, PacingReason::Depleted));

        let mut deeper = both.clone();
        deeper.extend(used(&deck, Depth::Personal, 1, false));
        let next = next_prompt(&deck, &deeper, None, &config).unwrap();
        assert_eq!((next.depth, next.reason), (Depth::Personal, PacingReason::Earned));
    }
}
