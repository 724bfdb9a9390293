//! Rounds read from the store and scored with their framework.

use anyhow::{Context, Result};
use egovwatch_domain::Registry;
use egovwatch_domain::monitoring::{self, Assessment, Round, ScoredRound};
use egovwatch_domain::scoring::{Framework, catalog};
use egovwatch_store::Store;

/// A shipped framework by id, or an error listing the shipped ones.
pub fn framework(id: &str) -> Result<Framework> {
    catalog::builtin_by_id(id).with_context(|| {
        let ids: Vec<String> = catalog::builtin()
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.id)
            .collect();
        format!("unknown framework {id:?} (shipped: {})", ids.join(", "))
    })
}

/// A round by code, or an error that says how to list them.
pub fn round_of(store: &Store, code: &str) -> Result<Round> {
    store
        .round(code)?
        .with_context(|| format!("no round {code:?} (see `egovwatch round list`)"))
}

/// A round scored from the store.
pub struct Loaded {
    pub round: Round,
    pub fw: Framework,
    pub registry: Registry,
    pub assessments: Vec<Assessment>,
    pub scored: ScoredRound,
}

/// Reads a round, its answers and the registry, and scores the round.
pub fn load(store: &Store, code: &str) -> Result<Loaded> {
    load_on(store, code, store.registry()?)
}

/// [`load`] on a registry already read (several rounds scored against one registry).
pub fn load_on(store: &Store, code: &str, registry: Registry) -> Result<Loaded> {
    let round = round_of(store, code)?;
    let fw = framework(&round.framework)?;
    if fw.version != round.framework_version {
        eprintln!(
            "note: round {code} was opened on {} {}; scored with {}",
            fw.id, round.framework_version, fw.version
        );
    }
    let assessments = store.assessments(code)?;
    let scored = monitoring::score(&fw, &registry, &round, &assessments);
    Ok(Loaded {
        round,
        fw,
        registry,
        assessments,
        scored,
    })
}
