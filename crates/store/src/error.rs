use egovwatch_domain::{Conflict, Problem};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL {0}")]
    Url(String),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
    /// The database has migrations this build does not know: a newer egovwatch migrated it,
    /// and this one would read or write its tables as they were before. Nothing was done.
    #[error(
        "the database was migrated by a newer egovwatch (migration {}); this one cannot use it \
         without losing what the newer one keeps: use egovwatch of that version or later",
        .0.join(", ")
    )]
    Newer(Vec<String>),
    /// The change breaks the registry's rules; nothing was written.
    #[error("{} problem(s) in the change, nothing was written", .0.len())]
    Invalid(Vec<Problem>),
    /// Someone else changed the record since it was read; nothing was written.
    #[error("conflict: {0}; nothing was written, read it again and retry")]
    Conflict(Conflict),
    /// The thing asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The request breaks a rule of the workflow (a published round is not edited); nothing
    /// was written.
    #[error("refused: {0}")]
    Refused(String),
    /// The database holds a value the domain does not accept (edited by hand?).
    #[error("unreadable record in the database: {0}")]
    Corrupt(String),
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StoreError::Connect(e.to_string())
    }
}
