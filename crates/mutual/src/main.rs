//! `mutual`: the command-line surface. One module per subcommand in
//! `command/`; `app` opens the store and knows the clock, `when` reads
//! times, `ui` prints, `output` writes files beside the database.

mod app;
mod chats;
mod command;
mod demo;
mod error;
mod output;
mod ui;
mod when;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::App;
use crate::error::exit_code;

/// Keep friendships healthy and reciprocal.
///
/// mutual is a private journal of the give-and-take in your friendships: log
/// time together, needs and boundaries, follow-ups, wins and gratitude, and get
/// a calm, explained picture of balance, energy and rhythm. Everything stays in
/// one local database file.
#[derive(Debug, Parser)]
#[command(name = "mutual", version, propagate_version = true, max_term_width = 100)]
struct Cli {
    /// The database file [env: MUTUAL_DB] [default: the platform data directory]
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    /// Read the passphrase of an encrypted database from this file
    #[arg(long, global = true, value_name = "PATH", env = "MUTUAL_PASSPHRASE_FILE")]
    passphrase_file: Option<PathBuf>,

    /// Evaluate as if it were this moment (for trying things out and for tests)
    #[arg(long, global = true, value_name = "TIME", env = "MUTUAL_NOW", hide = true)]
    now: Option<String>,

    /// A silence this long ends a chat conversation [default: 3h]
    #[arg(long, global = true, value_name = "DURATION", env = "MUTUAL_CONVERSATION_GAP")]
    conversation_gap: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init(command::init::Args),
    /// Add, list, show and edit friends; aliases, pauses, snoozes
    #[command(subcommand)]
    Friend(command::friend::Command),
    Log(command::log::Args),
    /// List, edit and remove journal entries
    #[command(subcommand)]
    Journal(command::journal::Command),
    /// Needs, yours and theirs
    #[command(subcommand)]
    Need(command::need::Command),
    /// Boundaries, yours and theirs, with checkable rules
    #[command(subcommand)]
    Boundary(command::boundary::Command),
    /// Things to come back to
    #[command(subcommand, name = "followup")]
    FollowUp(command::followup::Command),
    /// A friend's good news and how you responded
    #[command(subcommand)]
    Win(command::win::Command),
    /// Gratitude, and whether you told them
    #[command(subcommand)]
    Thanks(command::thanks::Command),
    /// Topics paused by agreement, to revisit later
    #[command(subcommand)]
    Park(command::park::Command),
    /// Days that matter to a friend: a move, a surgery, an anniversary
    #[command(subcommand)]
    Date(command::date::Command),
    /// Agreements and the roles each of you expects to play
    #[command(subcommand)]
    Agree(command::agree::Command),
    /// Conversation prompts, paced per friend
    #[command(subcommand)]
    Prompt(command::prompt::Command),
    Import(command::import::Args),
    Features(command::features::Args),
    Senders(command::senders::Args),
    Today(command::today::Args),
    Balance(command::balance::Args),
    Signals(command::signals::Args),
    Report(command::report::Args),
    Review(command::review::Args),
    Calendar(command::calendar::Args),
    Remind(command::remind::Args),
    Export(command::export::Args),
    Forget(command::forget::Args),
    Rekey(command::rekey::Args),
    Demo(command::demo::Args),
    Completions(command::completions::Args),
    Man(command::man::Args),
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let app = App::new(
        cli.db,
        cli.passphrase_file,
        cli.now.as_deref(),
        cli.conversation_gap.as_deref(),
    )?;
    match cli.command {
        Command::Init(args) => command::init::run(args, &app),
        Command::Friend(cmd) => command::friend::run(cmd, &app),
        Command::Log(args) => command::log::run(args, &app),
        Command::Journal(cmd) => command::journal::run(cmd, &app),
        Command::Need(cmd) => command::need::run(cmd, &app),
        Command::Boundary(cmd) => command::boundary::run(cmd, &app),
        Command::FollowUp(cmd) => command::followup::run(cmd, &app),
        Command::Win(cmd) => command::win::run(cmd, &app),
        Command::Thanks(cmd) => command::thanks::run(cmd, &app),
        Command::Park(cmd) => command::park::run(cmd, &app),
        Command::Date(cmd) => command::date::run(cmd, &app),
        Command::Agree(cmd) => command::agree::run(cmd, &app),
        Command::Prompt(cmd) => command::prompt::run(cmd, &app),
        Command::Import(args) => command::import::run(args, &app),
        Command::Features(args) => command::features::run(args, &app),
        Command::Senders(args) => command::senders::run(args, &app),
        Command::Today(args) => command::today::run(args, &app),
        Command::Balance(args) => command::balance::run(args, &app),
        Command::Signals(args) => command::signals::run(args, &app),
        Command::Report(args) => command::report::run(args, &app),
        Command::Review(args) => command::review::run(args, &app),
        Command::Calendar(args) => command::calendar::run(args, &app),
        Command::Remind(args) => command::remind::run(args, &app),
        Command::Export(args) => command::export::run(args, &app),
        Command::Forget(args) => command::forget::run(args, &app),
        Command::Rekey(args) => command::rekey::run(args, &app),
        Command::Demo(args) => command::demo::run(args, &app),
        Command::Completions(args) => command::completions::run(args),
        Command::Man(args) => command::man::run(args, &app),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return error::usage(err),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = exit_code(&err);
            if code != 0 && !err.is::<error::NothingDue>() {
                // One line: the outermost context and, after a colon, the cause.
                anstream::eprintln!("mutual: {}", ui::visible(&error::one_line(&err)));
            }
            ExitCode::from(code)
        }
    }
}

/// The clap command, for completions and the man page.
pub(crate) fn cli_command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
