//! `mutual today`: the agenda.

use anyhow::Result;
use mutual_app::views::Today;

use crate::app::App;
use crate::ui::{self, BOLD, DIM, HEADING, styled};

/// Today's agenda: who to reach out to, what to come back to, what to celebrate
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let store = app.open_read()?;
    let today = mutual_app::views::today(app, store.db())?;
    if args.json {
        return ui::json(&today);
    }
    print(&today)
}

pub(crate) fn print(today: &Today) -> Result<()> {
    let (agenda, friends) = (&today.agenda, today.friends);
    ui::line(styled(HEADING, agenda.today.strftime("Today, %A %-d %B")))?;
    if friends == 0 {
        return ui::line("No friends here yet. Start with: mutual friend add \"Sam\" --every 14");
    }
    if agenda.items.is_empty() {
        return ui::line("Nothing needs you today. Enjoy your people.");
    }
    let mut section = None;
    for item in &agenda.items {
        if section != Some(item.section) {
            section = Some(item.section);
            ui::line("")?;
            ui::line(styled(BOLD, item.section.title()))?;
        }
        ui::line(format!("  \u{2022} {}", item.message))?;
        ui::line(styled(DIM, format!("    {}", item.suggestion)))?;
    }
    let rest = today.rest();
    if !rest.is_empty() {
        ui::line("")?;
        ui::line(styled(DIM, rest.join(" ")))?;
    }
    Ok(())
}
