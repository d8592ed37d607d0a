//! `mutual prompt`: our own deck of conversation prompts, paced per friend.

use anyhow::Result;
use mutual_app::notes::{self, AnsweredBy};
use mutual_core::prompt::{PacingReason, next_prompt};
use mutual_core::{Deck, Depth, energy};

use super::parse_opt;
use crate::app::App;
use crate::error::{bad, bad_input};
use crate::ui::{self, BOLD, styled};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Suggest the next prompt to bring to a friend
    Next {
        friend: String,
        #[arg(long)]
        json: bool,
    },
    /// Record that a prompt was answered
    Answered {
        friend: String,
        /// The prompt's id, e.g. light-03
        prompt: String,
        /// Who answered: me, them or both
        #[arg(long, default_value = "both")]
        by: String,
        #[arg(long)]
        at: Option<String>,
    },
    /// Show the deck
    Deck {
        /// light, personal or deep
        #[arg(long)]
        depth: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    let deck = Deck::builtin();
    match cmd {
        Command::Next { friend, json } => {
            let store = app.open_read()?;
            let db = store.db();
            let friend = app.friend(db, &friend)?;
            let uses = db.prompt_uses(Some(friend.id))?;
            let exchanges = db.exchanges_of(friend.id, Some(app.horizon()))?;
            let recent = energy::energy(&exchanges, app.now, &app.config.energy).recent;
            let next = next_prompt(&deck, &uses, recent, &app.config.pacing)
                .ok_or_else(|| bad("the prompt deck is empty"))?;
            if json {
                return ui::json(&next);
            }
            let why = match next.reason {
                PacingReason::Start => "A light one to begin with.".to_owned(),
                PacingReason::Earned => {
                    format!("You two have been answering {} prompts together.", next.depth)
                }
                PacingReason::ReadyToDeepen => format!(
                    "You have both been answering: ready to try a {} one, if it feels right.",
                    next.depth
                ),
                PacingReason::Depleted => {
                    "Recent time together left you drained, so something light.".to_owned()
                }
            };
            ui::line(format!(
                "For you and {} ({}): {why}",
                styled(BOLD, &friend.name),
                next.depth
            ))?;
            ui::line(format!(
                "  \u{201c}{}\u{201d}  [{}]",
                next.prompt.text, next.prompt.id
            ))?;
            ui::hint(format!(
                "Afterwards: mutual prompt answered {} {} --by both",
                ui::shell_quote(&friend.name),
                ui::shell_quote(&next.prompt.id)
            ))
        }
        Command::Answered {
            friend,
            prompt,
            by,
            at,
        } => {
            let Some(p) = deck.get(prompt.trim()) else {
                bad_input!(
                    "there is no prompt '{prompt}' in the deck; expected an id such as light-03 (see `mutual prompt deck`)"
                );
            };
            let by = match by.trim().to_lowercase().as_str() {
                "me" => AnsweredBy::Me,
                "them" => AnsweredBy::Them,
                "both" => AnsweredBy::Both,
                other => bad_input!("--by '{other}' is not who answered; expected me, them or both"),
            };
            let at = super::past_or_now(app, at.as_deref())?;
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            notes::prompt_answered(&mut store, friend.id, p, by, at)?;
            ui::done(format!(
                "Noted: {} with {}. Thank you for opening up to each other.",
                p.id, friend.name
            ))
        }
        Command::Deck { depth, json } => {
            let depth: Option<Depth> = parse_opt("--depth", depth.as_deref())?;
            let prompts: Vec<_> = deck
                .iter()
                .filter(|p| depth.is_none_or(|d| p.depth == d))
                .collect();
            if json {
                return ui::json(&prompts);
            }
            for p in prompts {
                ui::line(format!("{:<12} {}", p.id, p.text))?;
            }
            Ok(())
        }
    }
}
