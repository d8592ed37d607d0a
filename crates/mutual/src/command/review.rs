//! `mutual review`: a weekly or monthly walk through each friendship, with
//! reflections recorded interactively or straight from flags.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Result;
use mutual_app::notes::{self, Reflection, ReviewAnswers};
use mutual_app::views::ReviewFriend;
use mutual_core::Period;

use super::{parse, text};
use crate::app::App;
use crate::error::bad_input;
use crate::ui::{self, BOLD, DIM, HEADING, styled};

/// Look back over the week or month, friend by friend, and note reflections
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only this friend
    friend: Option<String>,
    /// week or month
    #[arg(long, default_value = "week")]
    period: String,
    /// Record what went well (no questions asked)
    #[arg(long = "went-well", value_name = "TEXT")]
    went_well: Option<String>,
    /// Record what you would like to adjust
    #[arg(long = "to-adjust", value_name = "TEXT")]
    to_adjust: Option<String>,
    /// Record any other reflection
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Ask the questions even when input is not a terminal (answers one per line)
    #[arg(long, conflicts_with_all = ["went_well", "to_adjust", "note", "json"])]
    interactive: bool,
    /// Print the review as JSON (no questions)
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let period: Period = parse("--period", &args.period)?;
    let reflection = [&args.went_well, &args.to_adjust, &args.note]
        .iter()
        .map(|t| t.as_deref().map(|t| text("reflection", t)).transpose())
        .collect::<Result<Vec<_>>>()?;
    let mut store = app.open_read()?;
    let db = store.db();
    let only = args.friend.as_deref().map(|n| app.friend(db, n)).transpose()?;
    let records = app.records(db, only.as_ref().map(|f| f.id))?;
    let review = mutual_app::views::review(app, db, records, period, only.as_ref().map(|f| f.id))?;
    if args.json {
        return ui::json(&review);
    }

    let [went_well, to_adjust, note] = [&reflection[0], &reflection[1], &reflection[2]];
    if went_well.is_some() || to_adjust.is_some() || note.is_some() {
        let reflection = Reflection {
            went_well: went_well.clone(),
            to_adjust: to_adjust.clone(),
            note: note.clone(),
        };
        let id = notes::add_reflection(app, &mut store, period, only.as_ref().map(|f| f.id), &reflection)?;
        let about = only
            .as_ref()
            .map_or("your friendships".to_owned(), |f| f.name.clone());
        return ui::done(format!("Saved your reflection on {about} (#{id})."));
    }

    ui::line(styled(HEADING, format!("Your {} in friendship", period)))?;
    if review.friends.is_empty() {
        return ui::line("No friends here yet. Start with: mutual friend add \"Sam\" --every 14");
    }
    let interactive = args.interactive || std::io::stdin().is_terminal();
    let mut answers: Vec<ReviewAnswers> = Vec::new();
    let mut input = std::io::stdin().lock();
    for s in &review.friends {
        print_summary(s)?;
        if interactive {
            let name = &s.record.friend.name;
            let went = ask(&mut input, &format!("What went well with {name}?"))?;
            let adjust = ask(&mut input, "Anything you would like to adjust?")?;
            let thanks = ask(&mut input, &format!("Anything to thank {name} for?"))?;
            answers.push(ReviewAnswers {
                friend: s.record.friend.id,
                went_well: went,
                to_adjust: adjust,
                thanks,
            });
        }
    }
    if !interactive {
        ui::line("")?;
        return ui::hint(
            "Record a reflection with --went-well/--to-adjust, or run in a terminal to be asked.",
        );
    }
    let notes::ReviewSaved {
        reflections: saved,
        thanks,
    } = notes::save_review(app, &mut store, period, &answers)?;
    ui::line("")?;
    ui::done(format!(
        "Saved {saved} reflection{} and {thanks} note{} of gratitude. Thank you for tending your friendships.",
        if saved == 1 { "" } else { "s" },
        if thanks == 1 { "" } else { "s" }
    ))?;
    if thanks > 0 {
        ui::hint("Gratitude is best told: `mutual thanks list --untold` shows what to pass on.")?;
    }
    Ok(())
}

fn print_summary(s: &ReviewFriend) -> Result<()> {
    let o = &s.overview;
    let name = &s.record.friend.name;
    let energy = o.energy.recent.map_or(String::new(), |e| {
        format!(
            ", energy {e:+.1} over the last {}",
            mutual_core::words::window(o.energy.window_days)
        )
    });
    ui::line("")?;
    ui::line(format!(
        "{} — {}, {}{energy}, rhythm: {}",
        styled(BOLD, name),
        ui::count(s.entries as u64, "entry", "entries"),
        o.balance.summary(name),
        o.cadence.state.phrase()
    ))?;
    if s.wins > 0 {
        let news = if s.wins == 1 {
            "some good news".to_owned()
        } else {
            format!("{} pieces of good news", s.wins)
        };
        ui::line(format!("  {name} shared {news}."))?;
    }
    for signal in &s.signals {
        ui::line(format!("  \u{2022} {}", signal.message))?;
        ui::line(styled(DIM, format!("    {}", signal.suggestion)))?;
    }
    Ok(())
}

/// Asks one question; an empty answer (or the end of input) skips it.
fn ask(input: &mut impl BufRead, question: &str) -> Result<Option<String>> {
    let mut out = ui::stdout();
    write!(out, "  {question} ")?;
    out.flush()?;
    let mut answer = String::new();
    if input.read_line(&mut answer)? == 0 {
        writeln!(out)?;
        return Ok(None);
    }
    let answer = answer.trim();
    if answer.len() > 10_000 {
        bad_input!("that answer is over 10,000 characters; expected a few sentences");
    }
    Ok(Some(answer.to_owned()).filter(|a| !a.is_empty()))
}
