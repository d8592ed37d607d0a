//! Bad input versus failure: exit code 2 for what the user can fix by
//! changing the command, 1 for everything else, 0 for a closed pipe.

use mutual_app::error::{AppError, store_error_is_bad_input};
use mutual_store::StoreError;

/// Input that cannot be used as given. The message says what was wrong and
/// what was expected.
#[derive(Debug)]
pub(crate) struct BadInput(pub(crate) String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Returns early with a [`BadInput`] error.
macro_rules! bad_input {
    ($($arg:tt)*) => {
        return Err(anyhow::Error::new($crate::error::BadInput(format!($($arg)*))))
    };
}
pub(crate) use bad_input;

/// A [`BadInput`] as an `anyhow::Error`, for `ok_or_else` and `map_err`.
pub(crate) fn bad(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// `remind` found nothing due today: exit 1 and say nothing, as grep does
/// when nothing matches.
#[derive(Debug)]
pub(crate) struct NothingDue;

impl std::fmt::Display for NothingDue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("nothing is due today")
    }
}

impl std::error::Error for NothingDue {}

pub(crate) fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.is::<NothingDue>() {
            return 1;
        }
        let io_kind = match (
            cause.downcast_ref::<std::io::Error>(),
            cause.downcast_ref::<serde_json::Error>(),
        ) {
            (Some(io), _) => Some(io.kind()),
            (_, Some(json)) => json.io_error_kind(),
            _ => None,
        };
        if io_kind == Some(std::io::ErrorKind::BrokenPipe) {
            return 0;
        }
        if cause.is::<BadInput>() {
            return 2;
        }
        if let Some(store) = cause.downcast_ref::<StoreError>() {
            return if store_error_is_bad_input(store) { 2 } else { 1 };
        }
        if let Some(app) = cause.downcast_ref::<AppError>() {
            return if app.is_bad_input() { 2 } else { 1 };
        }
    }
    1
}

/// How to do, on this command line, what an error of a lower layer asks
/// for (the store does not know the flags).
fn command_line_hint(cause: &(dyn std::error::Error + 'static)) -> Option<String> {
    let store = match cause.downcast_ref::<AppError>() {
        Some(AppError::NotFound {
            what: "friend",
            name,
            empty: true,
            ..
        }) => {
            return Some(format!(
                "add them with `mutual friend add {}`",
                crate::ui::shell_quote(name)
            ));
        }
        Some(AppError::NotFound {
            what: "friend",
            suggestions,
            ..
        }) if suggestions.is_empty() => return Some("`mutual friend list` shows who is here".to_owned()),
        Some(AppError::Checkin(problem)) => return checkin_hint(problem),
        Some(AppError::Store(store)) => store,
        Some(_) => return None,
        None => cause.downcast_ref::<StoreError>()?,
    };
    match store {
        StoreError::NoCheckin(_) => Some("`mutual checkin list` shows yours".to_owned()),
        StoreError::Locked { .. } => Some(
            "give it with --passphrase-file or MUTUAL_PASSPHRASE_FILE, or run in a terminal to be asked"
                .to_owned(),
        ),
        _ => None,
    }
}

/// How to go on with a check-in that cannot do what was asked.
fn checkin_hint(problem: &mutual_app::checkin::CheckinProblem) -> Option<String> {
    use mutual_app::checkin::CheckinProblem;
    match problem {
        CheckinProblem::Closed { friend, .. } => Some(format!(
            "start a fresh one with `mutual checkin new {}`",
            crate::ui::shell_quote(friend)
        )),
        CheckinProblem::NotAnswered { id, .. } => {
            Some(format!("answer it first: `mutual checkin answer {id}`"))
        }
        CheckinProblem::NoReply { .. } => {
            Some("when it comes, add it with `mutual checkin receive CODE`".to_owned())
        }
        CheckinProblem::NotHere { .. } => Some("`mutual checkin list` shows the check-ins here".to_owned()),
        CheckinProblem::Code(_) => None,
    }
}

/// The error and its causes on one line, without repeating a cause that a
/// context already quotes.
pub(crate) fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let mut text = cause.to_string();
        if let Some(hint) = command_line_hint(cause) {
            text = format!("{text}; {hint}");
        }
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line.replace('\n', " ")
}

/// Reports a command-line usage error on one line (help and version print
/// as usual) and returns its exit code: 2 for bad input, 0 for help.
pub(crate) fn usage(err: clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return std::process::ExitCode::from(if err.use_stderr() { 2 } else { 0 });
    }
    let rendered = err.render().to_string();
    let mut parts: Vec<&str> = Vec::new();
    for line in rendered.lines().map(str::trim) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if !line.is_empty() {
            parts.push(line.strip_prefix("error: ").unwrap_or(line));
        }
    }
    anstream::eprintln!("mutual: {} (see --help)", crate::ui::visible(&parts.join(" ")));
    std::process::ExitCode::from(2)
}
