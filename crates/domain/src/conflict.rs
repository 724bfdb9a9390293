//! Why a write was refused because another writer got there first.
//!
//! A conflict is a value, not a sentence: the store says what happened, and each interface
//! words it in its reader's language (`egovwatch_i18n::conflict`). The `Display` form is the
//! English sentence for logs and the command line.

use crate::registry::EntityKind;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The record was saved by someone else after the editor read it.
    Edited {
        kind: EntityKind,
        code: String,
        /// The version stored now.
        stored: i64,
        /// The version the change was made on.
        read: i64,
    },
    /// The record changed between planning the import and writing it.
    Changed { kind: EntityKind, code: String },
    /// A round with this code exists already.
    RoundExists { round: String },
    /// The round was changed by someone else (closed, published, corrected) meanwhile.
    RoundChanged { round: String },
    /// Other writers kept the database busy through every retry.
    Busy { attempts: u32 },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Edited {
                kind,
                code,
                stored,
                read,
            } => write!(
                f,
                "{kind} {code} is at version {stored}, the change was made on version {read}"
            ),
            Conflict::Changed { kind, code } => {
                write!(f, "{kind} {code} was changed by someone else meanwhile")
            }
            Conflict::RoundExists { round } => write!(f, "round {round} already exists"),
            Conflict::RoundChanged { round } => write!(f, "round {round} changed meanwhile"),
            Conflict::Busy { attempts } => {
                write!(
                    f,
                    "other writers kept the database busy ({attempts} attempts)"
                )
            }
        }
    }
}
