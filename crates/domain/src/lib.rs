//! The vocabulary of egovwatch: registry entities, their validation and text folding.
//!
//! Architecture invariant: this crate does no IO, has no async and knows no database. Everything
//! here is a plain value or a pure function, so it can be tested with literals.

pub mod change;
pub mod code;
pub mod component;
pub mod conflict;
pub mod fold;
pub mod gaps;
pub mod index;
pub mod lang;
pub mod monitoring;
pub mod provenance;
pub mod records;
pub mod registry;
pub mod scoring;
pub mod search;
pub mod validate;

pub use code::Code;
pub use conflict::Conflict;
pub use fold::fold_az;
pub use index::Index;
pub use lang::{Lang, Text};
pub use provenance::Provenance;
pub use records::Records;
pub use registry::*;
pub use validate::{FieldError, Problem};
