//! One typed error for everything the application layer does: what was
//! asked for is not there (with close ones to suggest), answers to several,
//! or a value cannot be used; or the store failed. The command line maps
//! it to exit codes and adds its own words (commands, flags); the web app
//! will map it to status codes.

use mutual_store::StoreError;

/// What went wrong, without a word of any face's vocabulary.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing answers to `name`; `suggestions` are close ones, best first.
    #[error("{}", not_found(what, name, suggestions, *empty))]
    NotFound {
        what: &'static str,
        name: String,
        suggestions: Vec<String>,
        /// There are none of these at all yet.
        empty: bool,
    },
    /// Several answer to `name`.
    #[error("'{name}' could be more than one friend ({}); use the name of the one you mean", candidates.join(", "))]
    Ambiguous { name: String, candidates: Vec<String> },
    /// A value that cannot be used as given, and what was expected.
    #[error("{field} '{value}' {problem}; expected {expected}")]
    Invalid {
        field: &'static str,
        value: String,
        problem: String,
        expected: String,
    },
    /// A check-in cannot do what was asked, or a code does not fit it.
    #[error(transparent)]
    Checkin(#[from] crate::checkin::CheckinProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else that failed (reading a file, an analysis).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<jiff::Error> for AppError {
    fn from(e: jiff::Error) -> AppError {
        AppError::Other(e.into())
    }
}

/// The application layer's results.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

fn not_found(what: &str, name: &str, suggestions: &[String], empty: bool) -> String {
    match suggestions {
        _ if empty => format!("there is no {what} called '{name}' yet"),
        [] => format!("there is no {what} called '{name}'"),
        [one] => format!("there is no {what} called '{name}'; did you mean {one}?"),
        many => format!(
            "there is no {what} called '{name}'; did you mean one of: {}?",
            many.join(", ")
        ),
    }
}

impl AppError {
    /// Whether the person asking can fix it by asking differently (not
    /// found, ambiguous, invalid, or a store error of that kind).
    pub fn is_bad_input(&self) -> bool {
        match self {
            AppError::NotFound { .. } | AppError::Ambiguous { .. } | AppError::Invalid { .. } => true,
            AppError::Checkin(e) => e.is_bad_input(),
            AppError::Store(e) => store_error_is_bad_input(e),
            AppError::Other(_) => false,
        }
    }
}

/// Store errors that asking differently fixes (a name taken, a file that is
/// not ours, a passphrase missing or wrong).
pub fn store_error_is_bad_input(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::NotFound { .. }
            | StoreError::DuplicateName(_)
            | StoreError::DuplicateAlias { .. }
            | StoreError::NameIsAlias { .. }
            | StoreError::AliasIsName { .. }
            | StoreError::Foreign { .. }
            | StoreError::Missing { .. }
            | StoreError::NotAFile { .. }
            | StoreError::ReadOnly { .. }
            | StoreError::Locked { .. }
            | StoreError::WrongPassphrase { .. }
            | StoreError::TooNew { .. }
            | StoreError::NoCheckin(_)
    )
}
