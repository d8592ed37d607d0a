use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: i64 },
    #[error("there is no check-in with id {0}")]
    NoCheckin(String),
    #[error("a friend called '{0}' is already here")]
    DuplicateName(String),
    #[error("the alias '{alias}' already belongs to {friend}; a name or alias points to one friend only")]
    DuplicateAlias { alias: String, friend: String },
    #[error("'{name}' is already an alias of {friend}; a name or alias points to one friend only")]
    NameIsAlias { name: String, friend: String },
    #[error("'{alias}' is the name of another friend, {friend}; a name or alias points to one friend only")]
    AliasIsName { alias: String, friend: String },
    #[error(
        "{} was written by a newer mutual (schema version {found}; this one knows up to {known}); please update mutual to open it",
        path.display()
    )]
    TooNew { path: PathBuf, found: u32, known: u32 },
    #[error("{} is not a mutual database", path.display())]
    Foreign { path: PathBuf },
    #[error("there is no mutual database at {}", path.display())]
    Missing { path: PathBuf },
    #[error("{} is {what}, not a database file", path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "{} is read-only (its permissions say so), so nothing in it can change; make it writable (chmod u+w) to change or upgrade it",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "another program has {} open, and this needs it to itself; try again once the other mutual has finished",
        path.display()
    )]
    InUse { path: PathBuf },
    #[error(
        "another mutual is holding {} to itself right now (a rekey, perhaps); try again in a moment",
        path.display()
    )]
    Busy { path: PathBuf },
    #[error(
        "{} was replaced by another mutual (a rekey) while this one waited; nothing was written, please run the command again",
        path.display()
    )]
    Replaced { path: PathBuf },
    #[error(
        "{} is not a plain database; if it is an encrypted mutual database, its passphrase opens it",
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
