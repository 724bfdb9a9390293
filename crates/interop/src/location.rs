//! Where each imported record came from, so errors can point at `file:line`.

use egovwatch_domain::{Code, EntityKind, Problem, Registry};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    /// 1-based; in CSV files line 1 is the header.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One thing wrong with the input, as `file:line: field: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub location: Option<Location>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = &self.location {
            write!(f, "{l}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Everything wrong with an import; nothing of it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub Vec<Located>);

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// A registry read from files, with the place each record was read from.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub registry: Registry,
    pub locations: BTreeMap<(EntityKind, Code), Location>,
    /// Whether the input carries the services' channels (a JSON document does; a CSV folder
    /// only with `channels.csv`). Without them, the services keep the channels they have.
    pub channels_given: bool,
}

impl Parsed {
    /// Points the problems found by the registry's rules at the lines they come from.
    pub fn locate(&self, problems: &[Problem]) -> ImportError {
        ImportError(
            problems
                .iter()
                .map(|p| {
                    let location = self.locations.get(&(p.kind, p.code.clone())).cloned();
                    let message = if location.is_some() {
                        p.error.message.clone()
                    } else {
                        format!("{} {}: {}", p.kind, p.code, p.error.message)
                    };
                    Located {
                        location,
                        field: Some(p.error.field.clone()),
                        message,
                    }
                })
                .collect(),
        )
    }

    /// Remembers where a record was read; a second record with the same code is an error.
    pub(crate) fn place(
        &mut self,
        kind: EntityKind,
        code: &Code,
        at: Location,
        errors: &mut Vec<Located>,
    ) -> bool {
        if let Some(first) = self.locations.get(&(kind, code.clone())) {
            errors.push(Located {
                location: Some(at),
                field: Some("code".into()),
                message: format!("{code} appears twice (first at {first})"),
            });
            return false;
        }
        self.locations.insert((kind, code.clone()), at);
        true
    }
}
