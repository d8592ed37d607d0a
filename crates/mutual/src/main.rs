//! `mutual`: the command-line surface. One module per subcommand in
//! `command/`; `app` opens the store and knows the clock, `when` reads
//! times, `ui` prints, `output` writes files beside the database.

mod app;
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
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    db: Option<PathBuf>,

    /// Read the passphrase of an encrypted database from this file
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "MUTUAL_PASSPHRASE_FILE",
        hide_env_values = true,
        help_heading = GLOBAL
    )]
    passphrase_file: Option<PathBuf>,

    /// Evaluate as if it were this moment (for trying things out and for tests)
    #[arg(long, global = true, value_name = "TIME", env = "MUTUAL_NOW", hide = true)]
    now: Option<String>,

    /// A silence this long ends a chat conversation [default: 3h]
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        env = "MUTUAL_CONVERSATION_GAP",
        hide_env_values = true,
        help_heading = GLOBAL
    )]
    conversation_gap: Option<String>,

    #[command(subcommand)]
    command: Command,
}

/// The heading the options every command takes are listed under.
const GLOBAL: &str = "Global options";

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
    /// Two-sided check-ins: your friend answers too, privately, in any browser
    #[command(subcommand)]
    Checkin(command::checkin::Command),
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
    Serve(command::serve::Args),
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
    // A write command that fails leaves no new, empty database behind
    // (`mutual --db typo.db log Nobody`): it wrote nothing.
    let missing = app.db_path().ok().filter(|path| !path.exists());
    let done = run_command(cli.command, &app);
    if let (Err(_), Some(path)) = (&done, missing)
        && path.is_file()
        && let Ok(store) = mutual_store::Store::open(&path, None)
    {
        let _ = store.remove_if_empty();
    }
    done
}

fn run_command(command: Command, app: &App) -> anyhow::Result<()> {
    match command {
        Command::Init(args) => command::init::run(args, app),
        Command::Friend(cmd) => command::friend::run(cmd, app),
        Command::Log(args) => command::log::run(args, app),
        Command::Journal(cmd) => command::journal::run(cmd, app),
        Command::Need(cmd) => command::need::run(cmd, app),
        Command::Boundary(cmd) => command::boundary::run(cmd, app),
        Command::FollowUp(cmd) => command::followup::run(cmd, app),
        Command::Win(cmd) => command::win::run(cmd, app),
        Command::Thanks(cmd) => command::thanks::run(cmd, app),
        Command::Park(cmd) => command::park::run(cmd, app),
        Command::Date(cmd) => command::date::run(cmd, app),
        Command::Agree(cmd) => command::agree::run(cmd, app),
        Command::Prompt(cmd) => command::prompt::run(cmd, app),
        Command::Checkin(cmd) => command::checkin::run(cmd, app),
        Command::Import(args) => command::import::run(args, app),
        Command::Features(args) => command::features::run(args, app),
        Command::Senders(args) => command::senders::run(args, app),
        Command::Today(args) => command::today::run(args, app),
        Command::Balance(args) => command::balance::run(args, app),
        Command::Signals(args) => command::signals::run(args, app),
        Command::Report(args) => command::report::run(args, app),
        Command::Review(args) => command::review::run(args, app),
        Command::Calendar(args) => command::calendar::run(args, app),
        Command::Remind(args) => command::remind::run(args, app),
        Command::Export(args) => command::export::run(args, app),
        Command::Forget(args) => command::forget::run(args, app),
        Command::Rekey(args) => command::rekey::run(args, app),
        Command::Demo(args) => command::demo::run(args, app),
        Command::Serve(args) => command::serve::run(args, app),
        Command::Completions(args) => command::completions::run(args),
        Command::Man(args) => command::man::run(args, app),
    }
}

fn main() -> ExitCode {
    // A shell asking for candidates (see `mutual completions`).
    clap_complete::CompleteEnv::with_factory(cli_command)
        .var(command::completions::VAR)
        .complete();
    let parsed = cli_command()
        .try_get_matches()
        .and_then(|matches| <Cli as clap::FromArgMatches>::from_arg_matches(&matches));
    let cli = match parsed {
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

/// The clap command, for parsing, completions and the man page: the
/// derived one, with the arguments many commands share explained in one
/// place (see [`common_help`]).
pub(crate) fn cli_command() -> clap::Command {
    explain(<Cli as clap::CommandFactory>::command())
}

fn explain(cmd: clap::Command) -> clap::Command {
    use clap_complete::engine::ArgValueCandidates;
    use command::completions::{friend_names, words};
    cmd.mut_args(|arg| {
        let arg = match arg.get_id().as_str() {
            "friend" | "friends" => arg.add(ArgValueCandidates::new(friend_names)),
            "via" => arg.add(ArgValueCandidates::new(|| words(CHANNELS))),
            "gave" | "got" => arg.add(ArgValueCandidates::new(|| words(KINDS))),
            "whose" => arg.add(ArgValueCandidates::new(|| {
                words(&[("me", "yours"), ("them", "theirs")])
            })),
            "started_by" => arg.add(ArgValueCandidates::new(|| {
                words(&[
                    ("me", "you reached out"),
                    ("them", "they did"),
                    ("both", "both of you"),
                ])
            })),
            "circle" => arg.add(ArgValueCandidates::new(|| {
                words(&[
                    ("inner", "every 7 days"),
                    ("close", "every 14 days"),
                    ("wider", "every 30 days"),
                ])
            })),
            _ => arg,
        };
        if arg.get_help().is_some() || arg.get_long_help().is_some() {
            return arg;
        }
        match common_help(arg.get_id().as_str()) {
            Some(help) => arg.help(help),
            None => arg,
        }
    })
    .mut_subcommands(explain)
}

/// The ways of being in touch, for completing `--via`.
const CHANNELS: &[(&str, &str)] = &[
    ("in-person", "together in person"),
    ("call", "a call (or: phone)"),
    ("video", "a video call"),
    ("message", "messages (or: text)"),
    ("other", "anything else"),
];

/// The kinds of support, for completing `--gave` and `--got`.
const KINDS: &[(&str, &str)] = &[
    ("listening", "being heard"),
    ("affirmation", "encouragement, being seen"),
    ("practical", "hands-on help"),
    ("advice", "ideas and perspective"),
    ("disclosure", "sharing something personal"),
    ("celebration", "sharing joy"),
    ("presence", "simply being there"),
];

/// Help for an argument many commands share, by its name.
fn common_help(id: &str) -> Option<&'static str> {
    Some(match id {
        "json" => "Print JSON instead of text",
        "friend" => "The friend, by name or alias (accents optional)",
        "id" => "The id, as the list shows it",
        "text" => "In your own words",
        "topic" => "The topic, in your own words",
        "at" => "When; e.g. yesterday, \"2 days ago\" or 2026-11-20 [default: now]",
        "since" => "From which day, e.g. 2026-11-20 [default: today]",
        "until" => "The last day, e.g. friday or 2026-12-20",
        "due" => "The day it is due, e.g. friday or \"in 3 days\"",
        "whose" => "Whose it is: me (yours) or them (theirs)",
        "all" => "Also the ones already done",
        "name" => "Their name as you call them",
        "notes" => "Notes about them (kept on this machine only)",
        "every" => "Ideal days between check-ins",
        "max" => "The longest gap that still feels fine, in days",
        "alias" => "Another name they go by: a chat name or a phone number",
        "remove" => "Remove it instead of adding it",
        "reason" => "What the busy season is (kept on this machine only)",
        "response" => "How you responded: enthusiastic, brief or missed",
        "shell" => "bash, zsh, fish, elvish or powershell",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    /// Every argument of every command, as `command path: argument`,
    /// without help text.
    fn unexplained(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_hide_set() || id == "help" || id == "version" {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                out.push(format!("{path}: {id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            unexplained(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_argument_says_what_it_is() {
        let mut missing = Vec::new();
        unexplained(&super::cli_command(), "mutual", &mut missing);
        assert!(
            missing.is_empty(),
            "arguments without help:\n{}",
            missing.join("\n")
        );
    }
}
