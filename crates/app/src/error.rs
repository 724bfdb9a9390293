//! What can go wrong in a use case, as values: the command line words them, the web maps them
//! to answers.

use egovwatch_domain::gaps::explain::InvalidAssumptions;
use egovwatch_domain::scoring::DefinitionErrors;
use egovwatch_interop::ImportError;
use egovwatch_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file that cannot be imported: every problem, located.
    #[error("{0}\n{n} problem(s); nothing was imported", n = .0.0.len())]
    Import(#[from] ImportError),
    #[error("no round {0:?} (see `egovwatch round list`)")]
    NoRound(String),
    /// A round code that names no round but looks like some.
    #[error("no round {code:?}; did you mean {}?", .like.join(", "))]
    NoRoundLike { code: String, like: Vec<String> },
    /// A round a workbook's replay needs and the database does not have.
    #[error(
        "round {0} is not in the database: import the workbook first (egovwatch import eu-benchmark)"
    )]
    NotImported(String),
    #[error("unknown framework {id:?} (shipped: {})", shipped.join(", "))]
    UnknownFramework { id: String, shipped: Vec<String> },
    /// A round that cannot be opened as given.
    #[error("{}", .0.join("\n"))]
    InvalidRound(Vec<String>),
    #[error(transparent)]
    Assumptions(#[from] InvalidAssumptions),
    #[error(transparent)]
    Definition(#[from] DefinitionErrors),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Reads a file, saying which one when it cannot.
pub fn read(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.display().to_string(),
        source,
    })
}
