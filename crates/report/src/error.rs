//! What can go wrong while a report is gathered or written, as values.

use egovwatch_domain::gaps::explain::InvalidAssumptions;
use egovwatch_domain::scoring::DefinitionErrors;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The two rounds are scored on different frameworks.
    #[error(
        "round {now} uses {now_framework} and {before} uses {before_framework}: not comparable"
    )]
    NotComparable {
        now: String,
        now_framework: String,
        before: String,
        before_framework: String,
    },
    #[error(transparent)]
    Rules(#[from] DefinitionErrors),
    #[error(transparent)]
    Assumptions(#[from] InvalidAssumptions),
    /// typst refused the document (a bug: the source is generated).
    #[error("{stage} the PDF failed: {}", messages.join("; "))]
    Typeset {
        stage: &'static str,
        messages: Vec<String>,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
