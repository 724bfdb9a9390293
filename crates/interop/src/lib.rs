//! Formats in and out of egovwatch: the native registry JSON (lossless) and the CSV folder (one
//! file per entity), both documented in `docs/registry-json.md`, and the assessments CSV of a
//! monitoring round.
//!
//! Reading never stops at the first bad row: it collects every error it can find, each with the
//! file, the line and the field, so an editor can fix a file in one pass.

pub mod assessments;
pub mod csv_folder;
pub mod eu_benchmark;
pub mod eu_registry;
pub mod json;
mod location;
pub mod pairs;
pub mod spreadsheet;

pub use location::{ImportError, Located, Location, Parsed};
