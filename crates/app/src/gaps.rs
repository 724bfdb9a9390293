//! The gap analysis read from the store: the round to start from and the blocking rules from a
//! file; the analysis itself is `egovwatch_domain::gaps::explain`.

use crate::error::{Error, Result};
use egovwatch_domain::Lang;
use egovwatch_domain::gaps::explain::{Explained, Phrase, explain};
use egovwatch_domain::gaps::{Assumption, BlockingRules, Weights};
use egovwatch_store::Store;
use std::path::PathBuf;

/// Runs the analysis against the store; shared by the command and the web.
pub fn analyse(
    store: &Store,
    round: Option<&str>,
    assumptions: &[Assumption],
    rules: &BlockingRules,
    weights: &Weights,
    lang: Lang,
    phrase: Phrase<'_>,
) -> Result<Explained> {
    let round = match round {
        Some(c) => Some(crate::rounds::round_of(store, c)?),
        None => crate::rounds::current(store)?,
    };
    // A round's analysis covers the part of the registry connected to it (the analysis
    // itself keeps no more), read as that part.
    let registry = match &round {
        Some(r) => crate::rounds::registry_of(store, r)?,
        None => std::sync::Arc::new(store.registry()?),
    };
    let loaded = match &round {
        Some(r) => Some(crate::rounds::load_on(store, &r.code, registry.clone())?),
        None => None,
    };
    explain(
        &registry,
        loaded.as_ref().map(|l| (&l.round, &l.fw, &l.scored)),
        assumptions,
        rules,
        weights,
        lang,
        phrase,
    )
    .map_err(Into::into)
}

/// The blocking rules from a file, or the shipped ones.
pub fn load_rules(path: Option<&PathBuf>) -> Result<BlockingRules> {
    Ok(match path {
        Some(p) => {
            let bytes = crate::error::read(p)?;
            let text = String::from_utf8(bytes).map_err(|e| Error::Read {
                path: p.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            })?;
            BlockingRules::from_toml(&p.display().to_string(), &text)?
        }
        None => BlockingRules::default_rules()?,
    })
}
