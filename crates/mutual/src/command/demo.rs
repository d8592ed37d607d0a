//! `mutual demo`: a fresh demo database with a generated year of six
//! friendships, then today's agenda and the balance overview.

use std::path::{Path, PathBuf};

use anyhow::Result;
use mutual_core::agenda;
use mutual_store::Store;

use crate::app::{App, data_dir};
use crate::error::{bad, bad_input};
use crate::output;
use crate::ui::{self, BOLD, DIM, styled};

/// Create a demo database (never yours) with a realistic year of friendships
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Seed of the generated year
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

pub(crate) fn run(args: Args, app: &App) -> Result<()> {
    let path = match app.db_flag() {
        Some(p) => p.to_owned(),
        None => data_dir()?.join("demo.db"),
    };
    // What the demo writes beside its database, checked before anything is.
    let chats = path.with_file_name("demo-chats");
    let report_path = path.with_file_name("demo-report.html");
    let beside = |file: &Path| {
        output::check(file, &path).map_err(|_| {
            bad(format!(
                "the demo would write {} over its own database {}, so nothing was written; expected another --db, such as demo/demo.db",
                file.display(),
                path.display()
            ))
        })
    };
    beside(&report_path)?;
    beside(&chats)?;
    for entry in std::fs::read_dir(&chats).into_iter().flatten().flatten() {
        beside(&entry.path())?;
    }
    clear_previous_demo(&path)?;
    let mut store = Store::open(&path, None)?;
    let written = crate::demo::fill(&mut store, app.now, &app.tz, args.seed)?;
    drop(store);
    // A year of chats with each friend, through the real importers, in a
    // folder of the user's own.
    output::folder(&chats, Some(&path))?;
    // The exports carry local times in a zone the import is told by name
    // (UTC when the system's zone has none).
    let zone = match app.tz.iana_name() {
        Some(_) => app.tz.clone(),
        None => jiff::tz::TimeZone::UTC,
    };
    let files = crate::demo::write_chats(&chats, app.now, &zone, args.seed)?;
    for file in &files {
        output::protect(file)?;
    }
    let demo = app.with_db(&path);
    let imported = import_chats(&demo, &files, zone)?;
    ui::done(format!(
        "Imported a year of chats: {} new messages from {}.",
        indicatif::HumanCount(imported),
        ui::count(files.len() as u64, "export", "exports")
    ))?;
    ui::line("")?;
    let store = demo.open_read()?;

    let records = demo.records(store.db(), None)?;
    let weeks = demo.weeks(store.db(), None)?;
    let drift = demo.drift_in(&weeks, &records);
    let cx = demo.context();
    super::today::print(&mutual_app::views::Today {
        agenda: agenda(&records, &drift, &cx),
        friends: records.len(),
    })?;
    ui::line("")?;
    ui::line(styled(BOLD, "Balance lately"))?;
    let rows = mutual_app::views::balance_rows(&demo, store.db(), &records)?;
    super::balance::print(&rows, &app.config)?;

    let report = mutual_app::report::build(
        "Your friendships (demo)".to_owned(),
        &records,
        &weeks,
        &drift,
        &cx,
    );
    super::report::write(&report, &report_path, &path)?;

    ui::line("")?;
    ui::line(format!(
        "The report, with charts of each friendship: {}",
        report_path.display()
    ))?;
    ui::line(format!(
        "This demo ({} friendships, {} journal entries) lives at {}; your own data is untouched.",
        written.friends,
        written.entries,
        path.display()
    ))?;
    ui::line("")?;
    ui::line(styled(BOLD, "Try next"))?;
    ui::line("Point mutual at the demo once, for this shell:")?;
    ui::line(format!(
        "  export MUTUAL_DB={}",
        ui::shell_quote(&path.display().to_string())
    ))?;
    try_next(&[
        ("one friendship in depth", "friend show Jordan"),
        ("what the chats show", "signals Alex"),
        ("a conversation prompt", "prompt next Sam"),
        ("the month in review", "review --period month"),
        ("log something", "log Sam --via call --gave listening --energy 2"),
    ])?;
    ui::line("")?;
    ui::line(styled(
        DIM,
        "Start your own with: mutual friend add \"Name\" --every 14",
    ))
}

/// Imports the demo's chat exports (written by Robin, local times in
/// `zone`) through the real importers; how many messages are new.
fn import_chats(demo: &App, files: &[PathBuf], zone: jiff::tz::TimeZone) -> Result<u64> {
    let opened = files
        .iter()
        .map(|f| mutual_app::import::ImportFile::open(f, None))
        .collect::<Result<Vec<_>, _>>()?;
    let options = mutual_import::Options {
        tz: zone,
        date_order: None,
    };
    let request = mutual_app::import::ImportRequest {
        files: &opened,
        options: &options,
        me: &["Robin".to_owned()],
        links: &[],
        chat: None,
        keep_text: false,
    };
    let mut store = demo.open()?;
    let summaries = mutual_app::import::run(demo, &mut store, &request, &|_| {})?;
    Ok(summaries.iter().map(|s| s.new).sum())
}

/// Commands with what each does: side by side when they fit the width,
/// else each under what it does. A command is never broken.
fn try_next(commands: &[(&str, &str)]) -> Result<()> {
    let longest = commands.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    let side_by_side = |(what, _): &(&str, &str)| 2 + "mutual ".len() + longest + "  # ".len() + what.len();
    let fits = ui::width().is_none_or(|w| commands.iter().all(|c| side_by_side(c) <= w));
    for (what, cmd) in commands {
        if fits {
            ui::unwrapped(format!(
                "  mutual {cmd:<longest$}  {}",
                styled(DIM, format!("# {what}"))
            ))?;
        } else {
            ui::unwrapped(styled(DIM, format!("  # {what}")))?;
            ui::unwrapped(format!("  mutual {cmd}"))?;
        }
    }
    Ok(())
}

/// Removes an earlier demo at `path`, refusing anything that is not one.
fn clear_previous_demo(path: &Path) -> Result<()> {
    if !path.metadata().is_ok_and(|m| m.len() > 0) {
        return Ok(());
    }
    let is_demo = !mutual_store::is_encrypted(path)?
        && Store::open(path, None)
            .ok()
            .and_then(|s| s.db().meta("demo").ok().flatten())
            .is_some_and(|v| v == "1");
    if !is_demo {
        bad_input!(
            "{} already holds data that is not a mutual demo; the demo never overwrites it, so choose another --db",
            path.display()
        );
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = PathBuf::from(name);
        if file.exists() {
            std::fs::remove_file(&file)?;
        }
    }
    Ok(())
}
