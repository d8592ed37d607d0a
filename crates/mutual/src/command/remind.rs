//! `mutual remind`: what is due today, in one short block, for a timer
//! (cron, a systemd user timer) to run each morning. Exits 0 when something
//! is due and 1 when nothing is, as grep does; `--notify` also shows it as
//! a desktop notification.

use anyhow::Result;
use mutual_core::{DateKind, upcoming};

use crate::app::App;
use crate::error::NothingDue;
use crate::ui::{self, BOLD, styled};

/// What is due today, in one short block (exit 0), or nothing (exit 1)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Also show it as a desktop notification (notify-send on Linux and the
    /// BSDs, osascript on macOS)
    #[arg(long)]
    notify: bool,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let store = app.open_read()?;
    let records = app.records(store.db(), None)?;
    let cx = app.context();
    let mut due = Vec::new();
    for record in &records {
        let name = &record.friend.name;
        let status = mutual_core::agenda::status(record, &cx);
        // Open follow-ups whose day has passed are due still.
        for f in record
            .follow_ups
            .iter()
            .filter(|f| f.done_at.is_none() && f.due < cx.today)
        {
            due.push(format!(
                "Come back to {name} about \u{201c}{}\u{201d} (since {}).",
                f.text,
                mutual_core::words::day(f.due, cx.today)
            ));
        }
        for u in upcoming(record, &status, cx.today, cx.today) {
            due.push(match u.kind {
                DateKind::CheckIn if status.support_window_until.is_some() => {
                    format!("Check in with {name} (a tighter rhythm after their hard news).")
                }
                DateKind::CheckIn if status.days_since > 0 => format!(
                    "Check in with {name} (it has been {}).",
                    mutual_core::words::days(status.days_since)
                ),
                DateKind::CheckIn => format!("Check in with {name}."),
                DateKind::FollowUp => format!("Come back to {name} about \u{201c}{}\u{201d}.", u.text),
                DateKind::Revisit => format!(
                    "Come back to \u{201c}{}\u{201d} with {name}, if you both feel ready.",
                    u.text
                ),
                DateKind::PauseEnds => format!("{name}'s busy season ends today."),
                DateKind::Birthday => format!("It is {name}'s birthday."),
                DateKind::KeyDate => format!("{name}'s \u{201c}{}\u{201d}.", u.text),
            });
        }
    }
    if due.is_empty() {
        return Err(NothingDue.into());
    }
    let title = format!("Due today, {}:", cx.today.strftime("%A %-d %B"));
    ui::line(styled(BOLD, &title))?;
    for item in &due {
        ui::line(format!("  \u{2022} {item}"))?;
    }
    if args.notify
        && let Err(why) = notify(&title, &due.join("\n"))
    {
        anstream::eprintln!("mutual: {}", ui::visible(&why));
    }
    Ok(())
}

/// Shows a desktop notification with the platform's own tool.
fn notify(title: &str, body: &str) -> std::result::Result<(), String> {
    let mut command = if cfg!(target_os = "macos") {
        let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut c = std::process::Command::new("osascript");
        c.arg("-e").arg(format!(
            "display notification {} with title {}",
            quote(body),
            quote(title)
        ));
        c
    } else {
        let mut c = std::process::Command::new("notify-send");
        c.args(["--app-name=mutual", "--", title, body]);
        c
    };
    let tool = command.get_program().to_string_lossy().into_owned();
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "the desktop notification was not shown ({tool} exited with {status}); what is due is printed above"
        )),
        Err(e) => Err(format!(
            "the desktop notification was not shown ({tool}: {e}); install it (e.g. libnotify-bin) or leave out --notify"
        )),
    }
}
