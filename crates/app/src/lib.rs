//! The application layer: the use cases over the store that the command line, the web and the
//! reports share (a round read and scored, the figures across rounds, the gap analysis, the EU
//! benchmark imported and replayed), each once. Errors are values ([`error::Error`]).

pub mod error;
pub mod eu_benchmark;
pub mod gaps;
pub mod rounds;

pub use error::{Error, Result};
