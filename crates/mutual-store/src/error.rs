use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: i64 },
    #[error("a friend called '{0}' is already here")]
    DuplicateName(String),
    #[error("the alias '{alias}' already belongs to {friend}")]
    DuplicateAlias { alias: String, friend: String },
    #[error(
        "{} was written by a newer mutual (schema version {found}; this one knows up to {known}); please update mutual to open it",
        path.display()
    )]
    TooNew { path: PathBuf, found: u32, known: u32 },
    #[error("{} is not a mutual database", path.display())]
    Foreign { path: PathBuf },
    #[error(
        "{} is not a plain database; if it is an encrypted mutual database, give its passphrase with --passphrase-file or MUTUAL_PASSPHRASE_FILE, or run in a terminal to be asked",
        path.display()
    )]
    Locked { path: PathBuf },
    #[error("that passphrase does not open {} (or the file is not a mutual database)", path.display())]
    WrongPassphrase { path: PathBuf },
    #[error("the stored {column} value {value:?} is not valid; the database may be damaged")]
    Corrupt { column: &'static str, value: String },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("could not derive the encryption key: {0}")]
    Kdf(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> StoreError {
        let context = context.into();
        move |source| StoreError::Io { context, source }
    }
}
