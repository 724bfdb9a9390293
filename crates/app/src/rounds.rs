//! Rounds read from the store and scored with their framework, and the figures that span
//! several rounds (the series of national indexes, the multi-round window), each computed here
//! once for the command line, the web and the reports.

use crate::error::{Error, Result};
use egovwatch_domain::Registry;
use egovwatch_domain::monitoring::{
    self, AssessedRound, Assessment, Reported, Round, RoundResults, RoundState, Subjects,
};
use egovwatch_domain::scoring::{Framework, catalog};
use egovwatch_store::Store;
use std::sync::Arc;

/// A shipped framework by id, or an error listing the shipped ones.
pub fn framework(id: &str) -> Result<Framework> {
    catalog::builtin_by_id(id).ok_or_else(|| Error::UnknownFramework {
        id: id.to_string(),
        shipped: catalog::builtin()
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.id)
            .collect(),
    })
}

/// A round by code. Codes are matched exactly, else without regard to case (`2015-h1` is
/// `2015-H1` when no other round differs only in case); an unknown code gets the closest codes
/// as suggestions, or how to list the rounds.
pub fn round_of(store: &Store, code: &str) -> Result<Round> {
    if let Some(r) = store.round(code)? {
        return Ok(r);
    }
    let rounds = store.rounds()?;
    let mut same: Vec<&Round> = rounds
        .iter()
        .filter(|r| r.code.eq_ignore_ascii_case(code))
        .collect();
    if same.len() == 1
        && let Some(r) = same.pop()
    {
        return Ok(r.clone());
    }
    let wanted = code.to_ascii_lowercase();
    let mut like: Vec<(usize, &str)> = rounds
        .iter()
        .map(|r| {
            let d = strsim::levenshtein(&wanted, &r.code.to_ascii_lowercase());
            (d, r.code.as_str())
        })
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .collect();
    like.sort();
    if like.is_empty() {
        Err(Error::NoRound(code.to_string()))
    } else {
        Err(Error::NoRoundLike {
            code: code.to_string(),
            like: like.iter().take(3).map(|(_, c)| c.to_string()).collect(),
        })
    }
}

/// Reads a round, its answers and its part of the registry ([`registry_of`]), and scores the
/// round.
pub fn load(store: &Store, code: &str) -> Result<AssessedRound> {
    let round = round_of(store, code)?;
    load_on(store, &round.code, registry_of(store, &round)?)
}

/// The part of the registry the figures of `round` are read from: the records connected to the
/// services of its scope and of every round on its framework that can be in its series
/// ([`monitoring::series_witnesses`]), read by the store's indexed queries
/// (`Store::connected`); the whole registry when it or one of those rounds covers every
/// service. In a registry of many countries, its country: scoring, comparing and analysing a
/// round on it give what they give on the whole registry, since nothing they read of a
/// service lies outside the records connected to it.
pub fn registry_of(store: &Store, round: &Round) -> Result<Arc<Registry>> {
    registry_for(store, &[round])
}

/// [`registry_of`] several rounds read together (a round and the one a report compares it
/// with, which may be another country's): the part connected to all of them.
fn registry_for(store: &Store, rounds: &[&Round]) -> Result<Arc<Registry>> {
    let whole = || Ok(Arc::new(store.registry()?));
    if rounds.iter().any(|r| r.scope.is_empty()) {
        return whole();
    }
    let scopes = |rounds: &[&Round]| -> Vec<String> {
        let codes: std::collections::BTreeSet<&String> =
            rounds.iter().flat_map(|r| &r.scope).collect();
        codes.into_iter().cloned().collect()
    };
    let scope = scopes(rounds);
    let part = store.connected(&scope.iter().map(String::as_str).collect::<Vec<_>>())?;
    let mut candidates = Vec::new();
    for round in rounds {
        let Some(witnesses) = monitoring::series_witnesses(round, &part) else {
            return whole();
        };
        candidates.extend(store.rounds_naming(&round.framework, &witnesses)?);
    }
    if candidates.iter().any(|r| r.scope.is_empty()) {
        return whole();
    }
    let held: std::collections::HashSet<&str> =
        part.services.iter().map(|s| s.code.as_str()).collect();
    let seeds = scopes(
        &rounds
            .iter()
            .copied()
            .chain(&candidates)
            .collect::<Vec<_>>(),
    );
    if seeds.iter().all(|code| held.contains(code.as_str())) {
        return Ok(Arc::new(part));
    }
    let seeds: Vec<&str> = seeds.iter().map(String::as_str).collect();
    Ok(Arc::new(store.connected(&seeds)?))
}

/// [`load`] on a registry already read (several rounds scored against one registry).
pub fn load_on(store: &Store, code: &str, registry: Arc<Registry>) -> Result<AssessedRound> {
    let round = round_of(store, code)?;
    let fw = framework(&round.framework)?;
    if fw.version != round.framework_version {
        eprintln!(
            "note: round {code} was opened on {} {}; scored with {}",
            fw.id, round.framework_version, fw.version
        );
    }
    let assessments = store.assessments(&round.code)?;
    Ok(AssessedRound::new(round, fw, registry, assessments))
}

/// Whether a round's framework classifies services into stages.
fn staged(round: &Round) -> bool {
    framework(&round.framework).is_ok_and(|f| f.stage.is_some())
}

/// The current round ([`monitoring::current`]): the latest published one, on a framework with
/// stages when there is one.
pub fn current(store: &Store) -> Result<Option<Round>> {
    let rounds = store.rounds()?;
    Ok(monitoring::current(&rounds, staged).cloned())
}

/// The round `of` is compared with ([`monitoring::previous`]).
pub fn previous(store: &Store, of: &Round) -> Result<Option<Round>> {
    let (rounds, subjects) = series_candidates(store, of, &*registry_of(store, of)?)?;
    Ok(monitoring::previous(&rounds, &subjects, of).cloned())
}

/// The rounds that can be in one series with `of` (on its framework, naming a service of its
/// subject: [`monitoring::series_witnesses`], found through the store's index) and their
/// subjects: a superset of its series, read without reading every round.
fn series_candidates(
    store: &Store,
    of: &Round,
    registry: &Registry,
) -> Result<(Vec<Round>, Subjects)> {
    let rounds: Vec<Round> = match monitoring::series_witnesses(of, registry) {
        Some(services) => store.rounds_naming(&of.framework, &services)?,
        None => store
            .rounds()?
            .into_iter()
            .filter(|r| r.framework == of.framework)
            .collect(),
    };
    let subjects = Subjects::of(rounds.iter().chain([of]), registry);
    Ok((rounds, subjects))
}

/// The national index of every round of the series of `now`, up to it; rounds already scored
/// (`now`, `scored`) are not scored again.
pub fn index_series(
    store: &Store,
    now: &AssessedRound,
    scored: &[&AssessedRound],
) -> Result<Vec<(String, f64)>> {
    let (rounds, subjects) = series_candidates(store, &now.round, &now.registry)?;
    let mut out = Vec::new();
    for r in monitoring::series(&rounds, &subjects, &now.round) {
        let value = match std::iter::once(now)
            .chain(scored.iter().copied())
            .find(|l| l.round.code == r.code)
        {
            Some(l) => l.national_index(),
            None => load_on(store, &r.code, now.registry.clone())?.national_index(),
        };
        if let Some(v) = value {
            out.push((r.code.clone(), v));
        }
    }
    Ok(out)
}

/// The framework's multi-round figure of `now` (EU biennial, [`monitoring::window_value`]):
/// the rounds it averages and its value; none when the framework has no window or the series
/// is too short.
pub fn window(store: &Store, now: &AssessedRound) -> Result<Option<(Vec<String>, Option<f64>)>> {
    let Some(n) = now.fw.window else {
        return Ok(None);
    };
    let (rounds, subjects) = series_candidates(store, &now.round, &now.registry)?;
    let Some(codes) = monitoring::window(&rounds, &subjects, &now.round, n) else {
        return Ok(None);
    };
    let mut loaded = Vec::new();
    for r in &codes {
        if r.code != now.round.code {
            loaded.push(load_on(store, &r.code, now.registry.clone())?);
        }
    }
    let mut scored: Vec<&monitoring::ScoredRound> = loaded.iter().map(|l| &l.scored).collect();
    scored.push(&now.scored);
    Ok(Some((
        codes.iter().map(|r| r.code.clone()).collect(),
        monitoring::window_value(&now.fw, &scored),
    )))
}

/// Reads round `code` and, when given, the round it is compared with (on one registry), and
/// the national index of its series.
pub fn reported(store: &Store, code: &str, against: Option<&str>) -> Result<Reported> {
    let round = round_of(store, code)?;
    let before = against.map(|a| round_of(store, a)).transpose()?;
    let registry = registry_for(
        store,
        &std::iter::once(&round).chain(&before).collect::<Vec<_>>(),
    )?;
    reported_on(store, &round.code, against, registry)
}

/// [`reported`] on a registry already read (the site's, held in memory).
pub fn reported_on(
    store: &Store,
    code: &str,
    against: Option<&str>,
    registry: Arc<Registry>,
) -> Result<Reported> {
    let now = load_on(store, code, registry)?;
    let before = against
        .map(|a| load_on(store, a, now.registry.clone()))
        .transpose()?;
    let series = index_series(store, &now, &before.iter().collect::<Vec<_>>())?;
    Ok(Reported {
        now,
        before,
        series,
    })
}

/// Opens `round` (refused with every problem of [`Round::problems`]), with the answers that
/// count in round `prefill_from` as proposals, in one transaction: a bad source leaves no round
/// behind. Returns how many answers were proposed.
pub fn open(store: &Store, round: &Round, prefill_from: Option<&str>, now: &str) -> Result<usize> {
    framework(&round.framework)?;
    // Its scope's services alone, read by key: whether each is in the registry is all a
    // round's problems ask of it.
    let scope: Vec<&str> = round.scope.iter().map(String::as_str).collect();
    let problems = round.problems(&store.services_named(&scope)?);
    if !problems.is_empty() {
        return Err(Error::InvalidRound(problems));
    }
    let proposals = match prefill_from {
        Some(prev) => {
            let prev = round_of(store, prev)?.code;
            monitoring::proposals(&prev, &store.assessments(&prev)?, now)
        }
        None => Vec::new(),
    };
    store.create_round_with(round, &proposals)?;
    Ok(proposals.len())
}

/// Imports a round's answers from an assessments CSV (`egovwatch_interop::assessments`): all or
/// nothing, every problem with its line; a published round takes them only as a correction.
pub fn import_assessments(
    store: &Store,
    code: &str,
    (file, bytes): (&str, &[u8]),
    correction: Option<(&str, &egovwatch_domain::Text)>,
    now: &str,
) -> Result<i32> {
    let round = round_of(store, code)?;
    let fw = framework(&round.framework)?;
    // The answers are checked against the services they name, read by key: an assessor's few
    // answers cost a few rows whatever the registry's size. (A round's scope is a rule on each
    // service alone, so it holds on these as on the whole registry.)
    let named = egovwatch_interop::assessments::services_named(bytes);
    let named: Vec<&str> = named.iter().map(String::as_str).collect();
    let services = store.services_named(&named)?;
    let items = egovwatch_interop::assessments::read(file, bytes, &fw, &services, &round, now)?;
    let Some(correction) = correction else {
        return Ok(store.add_assessments(&round.code, &items, None)?);
    };
    if round.state != RoundState::Published {
        // The store refuses it with the reason.
        return Ok(store.add_assessments(&round.code, &items, Some(correction))?);
    }
    // A correction scores the round again, on its part of the registry.
    let registry = registry_of(store, &round)?;
    let compute = computer(store, &round, fw, registry.clone())?;
    let n = store.correct_round(&round.code, &items, correction, &compute)?;
    refresh_after(store, &round.code, &registry)?;
    Ok(n)
}

/// Publishes a closed round at `at`, with its results (`monitoring::results`, compared with
/// the round before it) stored in the same transaction; then the rounds compared with it are
/// brought up to date.
pub fn publish(store: &Store, code: &str, at: &str) -> Result<Round> {
    let round = round_of(store, code)?;
    publish_on(store, &round.code, at, &registry_of(store, &round)?)
}

/// [`publish`] on the registry as already read (many rounds published one after the other,
/// as `egovwatch synth` does, read it once).
pub fn publish_on(store: &Store, code: &str, at: &str, registry: &Arc<Registry>) -> Result<Round> {
    let round = round_of(store, code)?;
    let fw = framework(&round.framework)?;
    let compute = computer(store, &round, fw, registry.clone())?;
    let published = store.publish_round(&round.code, at, &compute)?;
    refresh_after(store, &published.code, registry)?;
    Ok(published)
}

/// How the results of `round` are computed from its answers: scored against `registry` and
/// compared with the published round before it.
fn computer(
    store: &Store,
    round: &Round,
    fw: Framework,
    registry: Arc<Registry>,
) -> Result<impl Fn(&Round, &[Assessment]) -> std::result::Result<RoundResults, String> + use<>> {
    let before = compared_with(store, round, &registry)?;
    Ok(move |r: &Round, answers: &[Assessment]| {
        let now = AssessedRound::new(r.clone(), fw.clone(), registry.clone(), answers.to_vec());
        Ok(monitoring::results(&now, before.as_ref()))
    })
}

/// The published round `of` is compared with ([`monitoring::previous`]), read and scored on
/// `registry`.
fn compared_with(
    store: &Store,
    of: &Round,
    registry: &Arc<Registry>,
) -> Result<Option<AssessedRound>> {
    let (rounds, subjects) = series_candidates(store, of, registry)?;
    monitoring::previous(&rounds, &subjects, of)
        .filter(|p| p.code != of.code)
        .map(|p| load_on(store, &p.code, registry.clone()))
        .transpose()
}

/// The results of a published round as publishing it now would store them (for rounds
/// published before results were stored).
pub fn results_of(store: &Store, code: &str) -> Result<RoundResults> {
    let round = round_of(store, code)?;
    results_on(store, &round.code, &registry_of(store, &round)?)
}

/// [`results_of`] on the registry as already read.
fn results_on(store: &Store, code: &str, registry: &Arc<Registry>) -> Result<RoundResults> {
    let now = load_on(store, code, registry.clone())?;
    let before = compared_with(store, &now.round, registry)?;
    Ok(monitoring::results(&now, before.as_ref()))
}

/// Stores the results of every published round that has none, or has them of an earlier
/// revision or against another round than the one it is compared with now (rounds published
/// before results were stored, or after a change in the series). Returns the rounds brought up
/// to date.
pub fn ensure_results(store: &Store) -> Result<Vec<String>> {
    let stored: std::collections::HashMap<String, (i32, Option<String>)> = store
        .round_result_revisions()?
        .into_iter()
        .map(|(code, revision, against)| (code, (revision, against)))
        .collect();
    let rounds = store.rounds()?;
    let registry = Arc::new(store.registry()?);
    let subjects = Subjects::of(&rounds, &registry);
    let mut done = Vec::new();
    for r in rounds.iter().filter(|r| r.state == RoundState::Published) {
        let against = monitoring::previous(&rounds, &subjects, r)
            .filter(|p| p.code != r.code)
            .map(|p| p.code.clone());
        if stored.get(&r.code) != Some(&(r.revision, against)) {
            store.save_round_results(&results_on(store, &r.code, &registry)?)?;
            done.push(r.code.clone());
        }
    }
    Ok(done)
}

/// After `code` was published or corrected: the published rounds compared with it get their
/// results again (their "before" figures were of the earlier state).
fn refresh_after(store: &Store, code: &str, registry: &Arc<Registry>) -> Result<()> {
    let Some(changed) = store.round(code)? else {
        return Ok(());
    };
    // Only rounds of its series can be compared with it (one pass, not one per round).
    let (series, subjects) = series_candidates(store, &changed, registry)?;
    for r in series.iter().filter(|r| {
        r.state == RoundState::Published && r.code != code && subjects.same_series(r, &changed)
    }) {
        let against = monitoring::previous(&series, &subjects, r).filter(|p| p.code != r.code);
        if against.is_some_and(|p| p.code == code) {
            store.save_round_results(&results_on(store, &r.code, registry)?)?;
        }
    }
    Ok(())
}
