//! What the public site reads: the registry, its published rounds scored, and the search
//! index, built once from the store and shared by every request until the data change.
//!
//! Pages and the API compute nothing of their own; they look up here. A snapshot is immutable;
//! at most ten times a second ([`RECHECK`]) one request starts a check of the store's data
//! version (one indexed read) in the background, and when it moved the changes since
//! (`Store::changes_since`) are read and a new snapshot is made from the one held: the records
//! saved since put in place, the rounds that changed read again, the rest shared. It is swapped
//! in while the old one keeps answering, so a change shows on the site well within a second
//! after it is stored, on every process reading the same database.

use crate::error::Failure;
use egovwatch_app::rounds::framework;
use egovwatch_domain::change::AnyRecord;
use egovwatch_domain::gaps::explain::{
    Analysed, Explained, IndexProjection, InvestmentView, ServiceView, analyse_part,
    projected_index,
};
use egovwatch_domain::gaps::{BlockingRules, Weights};
use egovwatch_domain::monitoring::{
    self, Comparison, Movement, Perspective, Round, RoundResults, RoundState, ScoredRound,
};
use egovwatch_domain::scoring::Framework;
use egovwatch_domain::search::{Hit, Layered, SearchIndex};
use egovwatch_domain::validate::{CodeSet, each_code, each_reference};
use egovwatch_domain::{Code, EntityKind, Index, Lang, Registry, Status, component};
use egovwatch_store::Store;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// A published round as it was published: its stored results (`monitoring::RoundResults`),
/// with everything pages show about it by registry position. Nothing is scored to build it;
/// the answers are read and scored only when the gap analysis of the current round asks.
pub struct RoundData {
    pub round: Round,
    pub fw: Framework,
    pub results: RoundResults,
    /// The earlier published round of its series (`monitoring::Subjects`), by position in
    /// [`Snapshot::rounds`].
    pub previous: Option<usize>,
    /// The comparison with `previous`: the index and the life events' values; its lists of
    /// services are left empty (each unit holds its stage and movement, `moved` and
    /// `withdrawn` the rest).
    pub comparison: Option<Comparison>,
    /// Each service's standing in the round, read on first use ([`RoundData::brief`]): a
    /// process answers before it has read every round's units (the UN survey's scale stores
    /// 772,000 of them); the current round's are read with the snapshot, the rest in the
    /// background once it answers.
    brief: OnceLock<Brief>,
    /// Where the brief is read from, and the registry positions it is laid out by.
    source: Source,
    /// By grouping (life events, organisations) and registry position: the headline value
    /// and how many services of the round the group has, in `group_values`.
    groups: [Positions; 2],
    group_values: Vec<(f64, usize)>,
}

/// Where a round's units come from when it is made: its stored results, read on first use,
/// or the results it is made with (computed when none were stored).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Units {
    Stored,
    Given,
}

/// What a round's brief is read with.
struct Source {
    store: Store,
    /// The registry positions of the snapshot the round was made for.
    codes: Arc<Index>,
    services: usize,
}

/// The national units of a round's results (whose own `units` are not kept: a registry of
/// tens of thousands of services has as many units per round, each with room for every
/// node's value), with what pages show of them.
struct Brief {
    /// Shared with the brief of the same round in a registry whose positions moved
    /// ([`Brief::placed`]).
    units: Arc<[UnitInBrief]>,
    /// By registry service position: the service's national unit in `units`.
    unit: Positions,
    /// The services improved or regressed since `previous`, by registry position, with
    /// where they stood then.
    moved: Vec<Before>,
    /// The services `previous` assessed and this round does not, by registry position.
    withdrawn: Vec<u32>,
}

/// The brief of a round whose units could not be read (the error is logged; they are read
/// again on the next use).
static NO_BRIEF: LazyLock<Brief> = LazyLock::new(|| Brief {
    units: Arc::new([]),
    unit: Positions::Sparse(Vec::new()),
    moved: Vec::new(),
    withdrawn: Vec::new(),
});

impl Brief {
    /// The national unit of the service at registry position `service`, if the round has one.
    fn of(&self, service: usize) -> Option<&UnitInBrief> {
        self.unit.get(service).and_then(|u| self.units.get(u))
    }

    /// The brief of `units` (a round's, national first) and `withdrawn` (the services the
    /// round compared with assessed and this one does not), by the positions of `codes`;
    /// movements only when the round is `compared` with one here.
    fn new(
        units: Vec<monitoring::UnitResult>,
        withdrawn: &[String],
        compared: bool,
        codes: &Index,
        services: usize,
    ) -> Brief {
        let national = units
            .iter()
            .take_while(|u| u.perspective == Perspective::National)
            .count();
        // The units of services in the registry, by registry position: none other is shown.
        let mut kept = Vec::with_capacity(national);
        let mut at = Vec::with_capacity(national);
        let mut moved = Vec::new();
        for u in units.into_iter().take(national) {
            if let Some(p) = codes.position(EntityKind::Service, &u.service) {
                at.push((p, kept.len()));
                // Moved only against the round it is compared with here.
                let movement = u.movement.filter(|_| compared);
                if matches!(movement, Some(Movement::Improved | Movement::Regressed))
                    && let Ok(position) = u32::try_from(p)
                {
                    moved.push(Before {
                        position,
                        stage: u.stage_before,
                        headline: u.headline_before,
                    });
                }
                kept.push(UnitInBrief {
                    stage: u.stage,
                    headline: u.headline,
                    movement,
                });
            }
        }
        kept.shrink_to_fit();
        moved.sort_unstable_by_key(|b| b.position);
        moved.shrink_to_fit();
        let mut withdrawn: Vec<u32> = withdrawn
            .iter()
            .filter(|_| compared)
            .filter_map(|code| codes.position(EntityKind::Service, code))
            .filter_map(|p| u32::try_from(p).ok())
            .collect();
        withdrawn.sort_unstable();
        withdrawn.dedup();
        withdrawn.shrink_to_fit();
        Brief {
            units: kept.into(),
            unit: Positions::new(services, at),
            moved,
            withdrawn,
        }
    }

    /// This brief in a registry of `services` services whose positions moved as `moves`
    /// says (records were added): the same units, each placed anew.
    fn placed(&self, moves: &[u32], services: usize) -> Brief {
        let to = |p: u32| {
            moves
                .get(p as usize)
                .copied()
                .filter(|&q| q != Positions::NONE)
        };
        let mut moved: Vec<Before> = self
            .moved
            .iter()
            .filter_map(|b| {
                Some(Before {
                    position: to(b.position)?,
                    ..*b
                })
            })
            .collect();
        moved.sort_unstable_by_key(|b| b.position);
        let mut withdrawn: Vec<u32> = self.withdrawn.iter().filter_map(|&p| to(p)).collect();
        withdrawn.sort_unstable();
        Brief {
            units: self.units.clone(),
            unit: self.unit.placed(moves, services),
            moved,
            withdrawn,
        }
    }
}

/// A service's stage, headline score and movement since the round compared with.
struct UnitInBrief {
    stage: Option<u8>,
    headline: Option<f64>,
    movement: Option<Movement>,
}

/// Where a service that moved stood in the round compared with, as the stored results say.
#[derive(Clone, Copy)]
struct Before {
    position: u32,
    stage: Option<u8>,
    headline: Option<f64>,
}

impl RoundData {
    /// Each service's standing in the round: read from the store the first time it is asked
    /// for (the round's stored units, by registry position). When they cannot be read, the
    /// error is logged and the round shows no service (they are read again on the next use).
    fn brief(&self) -> &Brief {
        self.try_brief().unwrap_or_else(|e| {
            tracing::warn!("the units of round {}: {e}", self.round.code);
            &*NO_BRIEF
        })
    }

    /// [`RoundData::brief`], or why it cannot be read.
    fn try_brief(&self) -> Result<&Brief, Failure> {
        if let Some(b) = self.brief.get() {
            return Ok(b);
        }
        // A round whose results were not stored has its units given when it is made.
        let units = match self.source.store.round_results_in_brief(&self.round.code)? {
            Some(r) if r.revision == self.round.revision => r.units,
            _ => {
                return Err(Failure::Unavailable(
                    "its stored results changed since this snapshot was read".into(),
                ));
            }
        };
        Ok(self.brief.get_or_init(|| {
            Brief::new(
                units,
                &self.results.withdrawn,
                self.comparison.is_some(),
                &self.source.codes,
                self.source.services,
            )
        }))
    }

    pub fn unit(&self, service: usize) -> Option<usize> {
        self.brief().unit.get(service)
    }

    /// Whether this round and `other` hold one reading of the round's units: a snapshot
    /// updated after records were added places the held round's units by the new positions
    /// instead of reading them again.
    pub fn shares_units(&self, other: &RoundData) -> bool {
        match (self.brief.get(), other.brief.get()) {
            (Some(a), Some(b)) => Arc::ptr_eq(&a.units, &b.units),
            _ => false,
        }
    }

    /// Whether the framework classifies services into stages.
    pub fn has_stages(&self) -> bool {
        self.fw.stage.is_some()
    }

    /// Whether the round assesses the service at registry position `service`, whose code is
    /// `code`. A round whose units are not read yet is read only when its scope names the
    /// service or covers every service, so that a service's page does not read every round.
    pub fn assesses(&self, service: usize, code: &str) -> bool {
        let may = || self.round.scope.is_empty() || self.round.scope.iter().any(|c| c == code);
        (self.brief.get().is_some() || may()) && self.unit(service).is_some()
    }

    /// The stage of a service (by registry position) in this round.
    pub fn stage(&self, service: usize) -> Option<u8> {
        self.brief().of(service).and_then(|u| u.stage)
    }

    /// The headline score of a service in this round, rounded as published.
    pub fn score(&self, service: usize) -> Option<f64> {
        self.brief().of(service).and_then(|u| u.headline)
    }

    /// How the service at registry position `service` moved since the round compared with.
    pub fn movement(&self, service: usize) -> Option<Movement> {
        let b = self.brief();
        match b.of(service) {
            Some(u) => u.movement,
            None => u32::try_from(service)
                .ok()
                .filter(|p| b.withdrawn.binary_search(p).is_ok())
                .map(|_| Movement::Withdrawn),
        }
    }

    /// The services improved or regressed since the round compared with, in the order of
    /// `reg` (the snapshot's registry).
    pub fn moved<'a>(
        &'a self,
        reg: &'a Registry,
    ) -> impl Iterator<Item = monitoring::ServiceChange> + 'a {
        let b = self.brief();
        b.moved.iter().filter_map(move |m| {
            let position = m.position as usize;
            let u = b.of(position)?;
            Some(monitoring::ServiceChange {
                service: reg.services.get(position)?.code.to_string(),
                movement: u.movement?,
                before: m.headline,
                now: u.headline,
                stage_before: m.stage,
                stage_now: u.stage,
            })
        })
    }

    /// The national index.
    pub fn index(&self) -> Option<f64> {
        self.results.index
    }

    /// The stage of every service of `reg` (the snapshot's registry) the round assesses,
    /// by service code.
    pub fn stages(&self, reg: &Registry) -> std::collections::HashMap<String, u8> {
        let b = self.brief();
        b.unit
            .iter()
            .filter_map(|(p, k)| {
                Some((
                    reg.services.get(p)?.code.to_string(),
                    b.units.get(k)?.stage?,
                ))
            })
            .collect()
    }

    /// The codes of the services of `reg` (the snapshot's registry) the round assesses.
    pub fn assessed<'r>(&self, reg: &'r Registry) -> Vec<&'r str> {
        self.brief()
            .unit
            .iter()
            .filter_map(|(p, _)| Some(reg.services.get(p)?.code.as_str()))
            .collect()
    }

    /// Services the round assesses (national units).
    pub fn services(&self) -> usize {
        self.brief().units.len()
    }

    /// The headline score of a group: grouping 0 is life events, 1 organisations, by registry
    /// position.
    pub fn group(&self, grouping: usize, position: usize) -> Option<f64> {
        let k = self.groups.get(grouping)?.get(position)?;
        self.group_values.get(k).map(|&(v, _)| self.fw.round(v))
    }

    /// How many services of the round are in a group (grouping 0 life events, 1
    /// organisations, by registry position).
    pub fn services_in(&self, grouping: usize, position: usize) -> usize {
        self.groups
            .get(grouping)
            .and_then(|g| g.get(position))
            .and_then(|k| self.group_values.get(k))
            .map_or(0, |&(_, n)| n)
    }

    /// Services per stage (index = stage value), for frameworks with stages.
    pub fn stage_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.fw.stage_levels().len()];
        for u in self.brief().units.iter() {
            if let Some(s) = u.stage
                && let Some(c) = counts.get_mut(usize::from(s))
            {
                *c += 1;
            }
        }
        counts
    }

    /// Services improved, regressed, unchanged, new and withdrawn since the previous round.
    pub fn movement_counts(&self) -> [usize; 5] {
        let b = self.brief();
        let mut out = [0; 5];
        out[4] = b.withdrawn.len();
        for m in b.units.iter().filter_map(|u| u.movement) {
            out[match m {
                Movement::Improved => 0,
                Movement::Regressed => 1,
                Movement::Unchanged => 2,
                Movement::New => 3,
                Movement::Withdrawn => 4,
            }] += 1;
        }
        out
    }

    /// The round scored from its answers read from `store`, for the gap analysis and its
    /// what-ifs; none when they cannot be read. Not kept: the analysis keeps what it needs,
    /// and a what-if is rare beside the memory a scored round holds (a matrix of every answer).
    fn scored(&self, store: &Store, reg: &Registry) -> Option<ScoredRound> {
        match store.assessments(&self.round.code) {
            Ok(answers) => Some(monitoring::score(&self.fw, reg, &self.round, &answers)),
            Err(e) => {
                tracing::warn!("the answers of round {}: {e}", self.round.code);
                None
            }
        }
    }

    /// Round `round` scored with `fw`, as `results` say, compared with `before` (its
    /// position in the snapshot and its data) when it has one, in the snapshot's registry
    /// `reg`; its units those `results` hold when `units` says they are given, else read
    /// from `source` on first use.
    fn new(
        round: Round,
        fw: Framework,
        mut results: RoundResults,
        units: Units,
        reg: &Registry,
        before: Option<(usize, &RoundData)>,
        source: Source,
    ) -> RoundData {
        let codes = &source.codes;
        let comparison = before.map(|(_, b)| comparison(&fw, &results, b));
        let brief = OnceLock::new();
        if units == Units::Given {
            let _ = brief.set(Brief::new(
                std::mem::take(&mut results.units),
                &results.withdrawn,
                comparison.is_some(),
                codes,
                source.services,
            ));
        }
        let mut group_at: [Vec<(usize, usize)>; 2] = [Vec::new(), Vec::new()];
        let mut group_values = Vec::new();
        let headline = fw.headline_group_node();
        for g in (results.groups.iter()).filter(|g| Some(g.node.as_str()) == headline) {
            let (k, kind) = match g.grouping.as_str() {
                "life_event" => (LIFE_EVENTS, EntityKind::LifeEvent),
                _ => (ORGANISATIONS, EntityKind::Organisation),
            };
            if let (Some(v), Some(i)) = (g.value, codes.position(kind, &g.code)) {
                group_at[k].push((i, group_values.len()));
                group_values.push((v, g.services));
            }
        }
        let [life_events, organisations] = group_at;
        let groups = [
            Positions::new(reg.life_events.len(), life_events),
            Positions::new(reg.organisations.len(), organisations),
        ];
        RoundData {
            round,
            fw,
            results,
            previous: before.map(|(p, _)| p),
            comparison,
            brief,
            source,
            groups,
            group_values,
        }
    }

    /// This round in a registry made from its snapshot's by adding records (`reg`, read
    /// with `source`), whose positions moved as `moves` says, with the round before it at
    /// `previous` of the new snapshot's rounds: the same results and comparison, placed
    /// anew, without reading them again. Its brief is placed when read, else read on first
    /// use by the new positions.
    fn placed(
        &self,
        moves: &Moves,
        reg: &Registry,
        previous: Option<usize>,
        source: Source,
    ) -> RoundData {
        let brief = OnceLock::new();
        if let Some(b) = self.brief.get() {
            let _ = brief.set(b.placed(&moves.services, source.services));
        }
        let [life_events, organisations] = &self.groups;
        RoundData {
            round: self.round.clone(),
            fw: self.fw.clone(),
            results: self.results.clone(),
            previous,
            comparison: self.comparison.clone(),
            brief,
            source,
            groups: [
                life_events.placed(&moves.life_events, reg.life_events.len()),
                organisations.placed(&moves.organisations, reg.organisations.len()),
            ],
            group_values: self.group_values.clone(),
        }
    }
}

/// Where the records a round's maps are by stand in a registry made from another by adding
/// records (`Snapshot::update`): by old position, the new one ([`Positions::NONE`] for a
/// record no longer there).
struct Moves {
    services: Vec<u32>,
    life_events: Vec<u32>,
    organisations: Vec<u32>,
}

impl Moves {
    /// The positions of `from`'s records in the registry `to` indexes.
    fn new(from: &Registry, to: &Index) -> Moves {
        fn of<'a>(codes: impl Iterator<Item = &'a Code>, kind: EntityKind, to: &Index) -> Vec<u32> {
            codes
                .map(|c| {
                    to.position(kind, c.as_str())
                        .and_then(|p| u32::try_from(p).ok())
                        .unwrap_or(Positions::NONE)
                })
                .collect()
        }
        Moves {
            services: of(
                from.services.iter().map(|r| &r.code),
                EntityKind::Service,
                to,
            ),
            life_events: of(
                from.life_events.iter().map(|r| &r.code),
                EntityKind::LifeEvent,
                to,
            ),
            organisations: of(
                from.organisations.iter().map(|r| &r.code),
                EntityKind::Organisation,
                to,
            ),
        }
    }
}

/// Registry positions mapped to a round's items: dense (a slot per position) when the round
/// covers a good share of the registry, sparse (sorted pairs) when it covers little of it, as
/// each country's rounds do in an international registry, which would otherwise hold a slot
/// for every service of every country in every round.
enum Positions {
    /// The item of each position, [`Positions::NONE`] for none.
    Dense(Vec<u32>),
    Sparse(Vec<(u32, u32)>),
}

impl Positions {
    /// No item (4 bytes a slot rather than the 8 of an `Option<u32>`).
    const NONE: u32 = u32::MAX;

    /// `len` positions; `pairs` gives (position, item) for those that have one.
    fn new(len: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> Positions {
        let mut pairs: Vec<(u32, u32)> = pairs
            .into_iter()
            .filter_map(|(p, k)| Some((u32::try_from(p).ok()?, u32::try_from(k).ok()?)))
            .filter(|&(_, k)| k != Positions::NONE)
            .collect();
        if pairs.len().saturating_mul(4) >= len {
            let mut dense = vec![Positions::NONE; len];
            for (p, k) in pairs {
                if let Some(slot) = dense.get_mut(p as usize)
                    && *slot == Positions::NONE
                {
                    *slot = k;
                }
            }
            Positions::Dense(dense)
        } else {
            pairs.sort_unstable();
            pairs.dedup_by_key(|(p, _)| *p);
            pairs.shrink_to_fit();
            Positions::Sparse(pairs)
        }
    }

    /// Every (position, item) pair, by position.
    fn iter(&self) -> Box<dyn Iterator<Item = (usize, usize)> + '_> {
        match self {
            Positions::Dense(v) => Box::new(
                v.iter()
                    .enumerate()
                    .filter(|&(_, &k)| k != Positions::NONE)
                    .map(|(p, &k)| (p, k as usize)),
            ),
            Positions::Sparse(v) => Box::new(v.iter().map(|&(p, k)| (p as usize, k as usize))),
        }
    }

    /// These positions in a registry of `len` records whose positions moved as `moves` says
    /// (by old position, the new one).
    fn placed(&self, moves: &[u32], len: usize) -> Positions {
        Positions::new(
            len,
            self.iter().filter_map(|(p, k)| {
                let q = *moves.get(p)?;
                (q != Positions::NONE).then_some((q as usize, k))
            }),
        )
    }

    fn get(&self, position: usize) -> Option<usize> {
        let k = match self {
            Positions::Dense(v) => v.get(position).copied().filter(|&k| k != Positions::NONE),
            Positions::Sparse(v) => {
                let p = u32::try_from(position).ok()?;
                v.binary_search_by_key(&p, |&(q, _)| q).ok().map(|i| v[i].1)
            }
        }?;
        Some(k as usize)
    }
}

/// The comparison of a round with the one before it, as its stored results say it (what
/// `monitoring::compare` gave when it was published): the index and the life events.
fn comparison(fw: &Framework, now: &RoundResults, before: &RoundData) -> Comparison {
    let headline = fw.headline_group_node();
    let life_event = |r: &RoundResults, code: &str| {
        r.groups
            .iter()
            .find(|g| {
                g.grouping == "life_event" && g.code == code && Some(g.node.as_str()) == headline
            })
            .and_then(|g| g.value)
            .map(|v| fw.round(v))
    };
    let mut life_events = Vec::new();
    for g in now
        .groups
        .iter()
        .filter(|g| g.grouping == "life_event" && Some(g.node.as_str()) == headline)
    {
        let (n, b) = (
            g.value.map(|v| fw.round(v)),
            life_event(&before.results, &g.code),
        );
        if n.is_none() && b.is_none() {
            continue;
        }
        life_events.push(monitoring::LifeEventChange {
            life_event: g.code.clone(),
            before: b,
            now: n,
            delta: n.zip(b).map(|(n, b)| fw.round(n - b)),
        });
    }
    Comparison {
        index_before: now.index_before,
        index_now: now.index,
        // Not held twice: each service's stage and movement are in the round's units
        // (`RoundData::stage`, `RoundData::movement`, `RoundData::moved`).
        undeveloped: Vec::new(),
        information_only: Vec::new(),
        services: Vec::new(),
        life_events,
    }
}

/// Everything the public site shows, at one data version.
pub struct Snapshot {
    /// The store's data version it was read at (`Store::data_version`).
    pub version: i64,
    /// A short tag of the version for ETags.
    pub tag: String,
    /// Who each published round is about, for its series.
    pub subjects: monitoring::Subjects,
    /// The round the site leads with ([`Snapshot::current`]), by position in `rounds`: found
    /// once, not on every call (a page of services asks for it once a row).
    current: Option<usize>,
    pub reg: Arc<Registry>,
    pub codes: Arc<Index>,
    /// Published rounds, oldest period first.
    pub rounds: Vec<Arc<RoundData>>,
    search: Arc<Search>,
    /// Active life events in journey order, by registry position.
    pub journey: Vec<usize>,
    /// Answers already computed from this snapshot, by address.
    pub responses: crate::cache::Responses,
    /// Each evidence type as a service's answer gives it (its name and the datasets and
    /// systems that supply it), written as JSON on first use, by registry position: the same
    /// for every service that requires it, and most of a service's answer.
    pub evidence_json: Vec<OnceLock<sonic_rs::OwnedLazyValue>>,
    gaps: [OnceLock<Option<Arc<Explained>>>; 3],
    /// The browse tables, by language ([`lang_slot`]) and kind (`browse::KINDS`), made on
    /// first use.
    pub(crate) browse: [[OnceLock<Arc<crate::browse::Browse>>; 5]; 3],
    analysed: Mutex<Option<Arc<AnalysedAt>>>,
    /// The national index of the current round now and as the gap analysis projects it.
    projection: OnceLock<IndexProjection>,
    /// Where the answers of a round are read when the gap analysis needs them.
    store: Store,
    /// In a snapshot of one part of the registry ([`Snapshot::of_part`]) whose site's current
    /// round is about another part, that round's code: its gap analysis names none of the
    /// part's services.
    current_elsewhere: Option<String>,
    /// In the snapshot of the part of the registry the home page or a life event's page shows
    /// ([`Seed::Home`], [`Seed::LifeEvent`]), what the page says of the whole registry; none
    /// in any other.
    whole: Option<WholeJourney>,
    /// In the snapshot of a page of an unfiltered list of records ([`Seed::Records`],
    /// [`Snapshot::read_page`]), that page as the store lists it; none in any other.
    listed: Option<ListedRecords>,
    /// In the snapshot of the records a search can find ([`Seed::Search`],
    /// [`Snapshot::read_found`]), that search; none in any other.
    found: Option<Seed>,
}

/// A page of the unfiltered list of one kind's records in code order, read by indexed queries
/// for the snapshot of its records alone ([`Seed::Records`]).
pub struct ListedRecords {
    pub kind: EntityKind,
    /// The record the page starts after.
    pub after: Option<String>,
    /// How many records the page lists at most.
    pub limit: usize,
    /// How many records of the kind the registry has.
    pub total: usize,
    /// The registry positions of the page's records, in code order.
    pub positions: Vec<usize>,
    /// Whether the registry has records after the page's.
    pub more: bool,
    /// For a page of organisations, by registry position: how many services each is competent
    /// for, and its score in the current round.
    organisations: Vec<(usize, Option<f64>)>,
}

/// What the home page or a life event's page says of the whole registry, read by indexed
/// queries for the snapshot of the part it shows ([`Seed::Home`], [`Seed::LifeEvent`]).
struct WholeJourney {
    /// By life event's registry position, for the life events read: its services and those the
    /// page lists.
    events: Vec<Option<Listed>>,
    /// How many subjects the published rounds are about (for the home page).
    subjects: Option<usize>,
    /// A life event's (by registry position) score in every published round (for its page).
    scores: Option<(usize, Vec<StoredScore>)>,
}

/// A life event's services as the store lists them (`Store::journey`), by registry position.
struct Listed {
    /// How many services it has, withdrawn or not.
    all: usize,
    /// How many of them are not withdrawn.
    services: usize,
    /// Where `positions` start among those.
    start: usize,
    /// The registry positions of the services the page lists.
    positions: Vec<usize>,
}

/// A group's score in a published round, as stored when the round was published.
struct StoredScore {
    round: String,
    framework: String,
    /// Rounded by the framework's rule.
    score: Option<f64>,
    decimals: u32,
}

/// A group's score in one published round ([`Snapshot::life_event_scores`]), rounded by its
/// framework's rule, which says how many `decimals` it is shown with.
pub struct RoundScore<'s> {
    pub round: &'s str,
    pub framework: &'s str,
    pub score: Option<f64>,
    pub decimals: u32,
}

/// A round's headline average for one life event or organisation, beside the previous round's.
pub struct GroupScore<'s> {
    pub code: &'s str,
    pub name: &'s egovwatch_domain::Text,
    pub now: f64,
    pub before: Option<f64>,
    pub delta: Option<f64>,
    pub services: usize,
}

/// Groupings of the scorer: life events and organisations, by registry position.
pub const LIFE_EVENTS: usize = 0;
pub const ORGANISATIONS: usize = 1;

/// The gap analysis of the current round before it is put in words, with the rules it was
/// made with and each service's place in it by registry position: one service is put in
/// words from it when asked ([`Snapshot::service_gap`]), without the whole analysis in a
/// language.
struct AnalysedAt {
    analysed: Analysed,
    rules: BlockingRules,
    by_position: Positions,
    /// The records of the part of the registry the analysis covers, and every code they refer
    /// to; none when it covers the whole registry.
    part: Option<CodeSet<(EntityKind, Code)>>,
}

impl AnalysedAt {
    /// Each service of `analysed` by its position in a registry of `services` services
    /// indexed by `codes`.
    fn positions(analysed: &Analysed, codes: &Index, services: usize) -> Positions {
        Positions::new(
            services,
            analysed.services().enumerate().filter_map(|(k, code)| {
                Some((codes.position(EntityKind::Service, code.as_str())?, k))
            }),
        )
    }

    /// This analysis in a registry of `services` services whose positions moved as `moves`
    /// says (records it does not cover were added): the same analysis, each service placed
    /// anew.
    fn placed(&self, moves: &Moves, services: usize) -> AnalysedAt {
        AnalysedAt {
            analysed: self.analysed.clone(),
            rules: self.rules.clone(),
            by_position: self.by_position.placed(&moves.services, services),
            part: self.part.clone(),
        }
    }

    /// Whether `record`, saved as the record `kind` `code`, can change this analysis: it is
    /// in the part of the registry the analysis covers, or now refers to a record of it (a
    /// record outside the part that refers to none of it leaves the part as it was). Life
    /// events connect nothing (`component`): a reference to one reaches no part.
    fn reached_by(&self, kind: EntityKind, code: &str, record: &AnyRecord) -> bool {
        let Some(part) = &self.part else {
            return true;
        };
        let Ok(code) = Code::parse(code) else {
            return true;
        };
        part.contains(&(kind, code))
            || record
                .links()
                .into_iter()
                .any(|(_, to, target)| to != EntityKind::LifeEvent && part.contains(&(to, target)))
    }
}

/// The search index of a snapshot's registry, built on first use: a snapshot is answering
/// before its index is built (`Shared` builds it in the background once the snapshot is in
/// use), and snapshots of the same registry share it. A snapshot updated after an editor's
/// change indexes the records put in since and shares the rest ([`Search::followed`]).
pub struct Search {
    reg: Arc<Registry>,
    codes: Arc<Index>,
    index: OnceLock<Searcher>,
}

/// A search index: of the whole registry, or of an earlier one with the records put in since.
enum Searcher {
    Whole(Arc<SearchIndex>),
    Layered(Box<Layered>),
}

impl Searcher {
    /// The whole index this one is, or is made on.
    fn whole(&self) -> &Arc<SearchIndex> {
        match self {
            Searcher::Whole(index) => index,
            Searcher::Layered(layered) => layered.parts().0,
        }
    }
}

/// The most records put in since the whole index was made that an updated snapshot indexes on
/// their own beside it; past them it makes the whole index again.
const MAX_LAYERED: usize = 2_000;

impl Search {
    fn new(reg: Arc<Registry>, codes: Arc<Index>) -> Search {
        Search {
            reg,
            codes,
            index: OnceLock::new(),
        }
    }

    fn get(&self) -> &Searcher {
        self.index
            .get_or_init(|| Searcher::Whole(Arc::new(SearchIndex::new(&self.reg))))
    }

    /// Ranked hits (best first) and the total number of matches ([`SearchIndex::search`]).
    pub fn search(
        &self,
        query: &str,
        kinds: Option<&[EntityKind]>,
        limit: usize,
    ) -> (Vec<Hit>, usize) {
        match self.get() {
            Searcher::Whole(index) => index.search(query, kinds, limit),
            Searcher::Layered(layered) => layered.search(query, kinds, limit, &self.codes),
        }
    }

    /// Whether this search and `other` are made on one whole index, made once: an updated
    /// snapshot's is made on the one held before it.
    pub fn shares_index(&self, other: &Search) -> bool {
        match (self.index.get(), other.index.get()) {
            (Some(a), Some(b)) => Arc::ptr_eq(a.whole(), b.whole()),
            _ => false,
        }
    }

    /// The search of `reg` (indexed by `codes`), made from this one's registry by putting in
    /// `put`: when this index is made, it is shared and the records put in since it was made
    /// whole are indexed beside it (up to [`MAX_LAYERED`]); else the whole index is made on
    /// first use.
    fn followed(&self, reg: Arc<Registry>, codes: Arc<Index>, put: Vec<AnyRecord>) -> Search {
        let fresh = Search::new(reg, codes);
        let (base, base_reg, mut since) = match self.index.get() {
            None => return fresh,
            Some(Searcher::Whole(index)) => (index.clone(), self.reg.clone(), Registry::default()),
            Some(Searcher::Layered(layered)) => {
                let (base, base_reg, since) = layered.parts();
                (base.clone(), base_reg.clone(), since.clone())
            }
        };
        for record in put.into_iter().filter(SearchIndex::holds) {
            record.put(&mut since, None);
        }
        if SearchIndex::entries_of(&since) <= MAX_LAYERED {
            let layered = Layered::new(base, base_reg, since);
            let _ = fresh.index.set(Searcher::Layered(Box::new(layered)));
        }
        fresh
    }
}

/// The positions in `reg` (in canonical order) of the records `added`, ascending, when every
/// one of them is a service.
fn services_at(reg: &Registry, added: &[(EntityKind, &str)]) -> Option<Vec<usize>> {
    let mut at = added
        .iter()
        .map(|&(kind, code)| {
            (kind == EntityKind::Service)
                .then(|| {
                    reg.services
                        .binary_search_by(|s| s.code.as_str().cmp(code))
                        .ok()
                })
                .flatten()
        })
        .collect::<Option<Vec<usize>>>()?;
    at.sort_unstable();
    Some(at)
}

/// What a snapshot is assembled from.
struct Parts {
    version: i64,
    reg: Arc<Registry>,
    codes: Arc<Index>,
    search: Arc<Search>,
    /// The published rounds, oldest first.
    published: Vec<Round>,
    /// Who each of them is about.
    subjects: monitoring::Subjects,
}

/// Where a part of the registry starts ([`Snapshot::of_part`]): what a page or an answer is
/// about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seed {
    /// A record (not a life event: every part holds them all).
    Record(EntityKind, String),
    /// A published round: the services it assessed.
    Round(String),
    /// The site's current round: the services it assessed, which its gap analysis is about.
    Current,
    /// The home page: the current round's services, and the services the journey lists first
    /// for each life event (`Store::journey`), with what the page says of the whole registry
    /// (and the lists of life events, whose counts of services it has).
    Home,
    /// A life event's page `page` (1-based, [`crate::pages::PER_PAGE`] services a page; a page
    /// past the last is the last): the current round's services and the services the page
    /// lists, with how many the life event has and its score in every published round.
    LifeEvent { code: String, page: usize },
    /// A page of the list of records of `kind` with no filter, in code order (an API list):
    /// the `limit` records after record `after` (from the first when none), read alone
    /// (`Snapshot::read_page`), with how many the registry has.
    Records {
        kind: EntityKind,
        after: Option<String>,
        limit: usize,
    },
    /// A search: its folded words (`search::terms`) and the kinds of records it looks in
    /// (none: every kind), read alone (`Snapshot::read_found`): the records whose text holds
    /// every word.
    Search {
        terms: Vec<String>,
        kinds: Vec<EntityKind>,
    },
}

impl Seed {
    pub fn service(code: &str) -> Seed {
        Seed::Record(EntityKind::Service, code.to_string())
    }

    /// The seed of a search for `query` in records of `kinds` (none: every kind).
    pub fn search(query: &str, kinds: &[EntityKind]) -> Seed {
        let mut kinds = kinds.to_vec();
        kinds.sort();
        kinds.dedup();
        Seed::Search {
            terms: egovwatch_domain::search::terms(query),
            kinds,
        }
    }

    /// Whether the seed is read alone, whatever the parts of the registry: a page of a list
    /// of records, a search.
    fn read_alone(&self) -> bool {
        matches!(self, Seed::Records { .. } | Seed::Search { .. })
    }

    /// Whether part `part` holds what this seed is about.
    fn in_part(&self, part: &Snapshot) -> bool {
        if part.listed.is_some() {
            // A page's records are read without what they are connected to.
            return part.records_page(self).is_some();
        }
        if let Some(found) = &part.found {
            // So are a search's.
            return found == self;
        }
        match self {
            Seed::Record(kind, code) => part.codes.position(*kind, code).is_some(),
            Seed::Round(code) => part.round(code).is_some(),
            Seed::Current => part.current.is_some(),
            Seed::Home => part.whole.as_ref().is_some_and(|w| w.subjects.is_some()),
            Seed::LifeEvent { code, page } => {
                let Some(g) = part.codes.position(EntityKind::LifeEvent, code) else {
                    return false;
                };
                let Some(w) = &part.whole else {
                    return false;
                };
                let listed = w.events.get(g).and_then(Option::as_ref);
                w.scores.as_ref().is_some_and(|(at, _)| *at == g)
                    && listed.is_some_and(|l| life_event_rows(l.services, *page).start == l.start)
            }
            Seed::Records { .. } | Seed::Search { .. } => false,
        }
    }
}

/// The rows of a life event's `services` its page `page` lists (a page past the last is the
/// last), as `views::Pager` pages them.
pub fn life_event_rows(services: usize, page: usize) -> std::ops::Range<usize> {
    crate::views::Pager::rows(services, page, crate::pages::PER_PAGE)
}

/// What reading the part of the registry connected to a seed gave ([`Snapshot::read_part`]).
pub enum Part {
    /// The part's snapshot.
    Read(Box<Snapshot>),
    /// Nothing to start from: no such record or published round, a record connected to no
    /// service, a round about every service. Another seed may have a part that answers alone.
    Unconnected,
    /// No part of this registry answers alone: no current round, a part of more than half the
    /// registry's services (a national registry), or rounds about every service or about
    /// services of several parts.
    Whole,
    /// The data changed while the part was read.
    Moved,
}

/// The published rounds, oldest first.
fn published(store: &Store) -> Result<Vec<Round>, Failure> {
    Ok(store
        .rounds()?
        .into_iter()
        .filter(|r| r.state == RoundState::Published)
        .collect())
}

/// The round the site leads with among the published rounds `published` (`monitoring::current`:
/// the latest on a framework with stages when there is one), each framework looked up once.
pub(crate) fn current_of(published: &[Round]) -> Option<&Round> {
    let mut staged: std::collections::HashMap<&str, bool> = Default::default();
    for r in published {
        staged
            .entry(r.framework.as_str())
            .or_insert_with(|| framework(&r.framework).is_ok_and(|f| f.stage.is_some()));
    }
    monitoring::current(published, |r| {
        staged.get(r.framework.as_str()).copied().unwrap_or(false)
    })
}

/// The scores of groups `groups` of grouping `grouping` (`life_event`, `organisation`) in each
/// of the published rounds `rounds`, as stored when each was published, rounded by its
/// framework's rule: for each group (in the order of `groups`), its score in each round; none
/// when a round's stored results are not of its revision (the whole snapshot computes those
/// again).
fn stored_scores(
    store: &Store,
    rounds: &[Round],
    grouping: &str,
    groups: &[&str],
) -> Result<Option<Vec<Vec<StoredScore>>>, Failure> {
    let revisions: std::collections::HashMap<String, i32> = (store.round_result_revisions()?)
        .into_iter()
        .map(|(round, revision, _)| (round, revision))
        .collect();
    if rounds
        .iter()
        .any(|r| revisions.get(&r.code) != Some(&r.revision))
    {
        return Ok(None);
    }
    let codes: Vec<&str> = rounds.iter().map(|r| r.code.as_str()).collect();
    let values: std::collections::HashMap<(String, String, String), Option<f64>> = (store
        .group_results(grouping, groups, &codes)?)
    .into_iter()
    .map(|(round, group, node, value)| ((round, group, node), value))
    .collect();
    // Each framework looked up once, and each round's found among them.
    let mut frameworks: Vec<(&str, Framework)> = Vec::new();
    let mut of_round = Vec::with_capacity(rounds.len());
    for r in rounds {
        let at = match frameworks.iter().position(|(id, _)| *id == r.framework) {
            Some(at) => at,
            None => {
                frameworks.push((&r.framework, framework(&r.framework)?));
                frameworks.len() - 1
            }
        };
        of_round.push(at);
    }
    let scores = (groups.iter())
        .map(|group| {
            (rounds.iter().zip(&of_round))
                .map(|(r, &at)| (r, &frameworks[at].1))
                .map(|(r, fw)| StoredScore {
                    round: r.code.clone(),
                    framework: fw.id.clone(),
                    score: (fw.headline_group_node())
                        .and_then(|node| {
                            values.get(&(r.code.clone(), group.to_string(), node.to_string()))
                        })
                        .copied()
                        .flatten()
                        .map(|v| fw.round(v)),
                    decimals: fw.decimals,
                })
                .collect()
        })
        .collect();
    Ok(Some(scores))
}

/// Changes after which a snapshot is built again from the whole store rather than updated.
pub const MAX_CHANGES: usize = 5_000;

/// The most records a search is answered from before the whole snapshot is held
/// ([`Snapshot::read_found`]): a sixteenth of the registry's services, at least
/// [`MIN_FOUND`] and at most [`MAX_FOUND`]; past them, reading them costs about what the whole
/// does.
const MAX_FOUND: usize = 20_000;
const MIN_FOUND: usize = 1_000;

impl Snapshot {
    /// Reads everything public from the store. How long each part took is logged at debug
    /// level (`EGOVWATCH_LOG=debug`).
    pub fn build(store: &Store) -> Result<Snapshot, Failure> {
        let began = Instant::now();
        let version = store.data_version()?;
        // The rounds' stored results, without their units (read on first use) but for the
        // current round's, which the snapshot answers with at once, are read on a second
        // connection while the registry is.
        let (reg, rounds) = std::thread::scope(|scope| {
            let rounds = scope.spawn(|| -> Result<_, Failure> {
                let began = Instant::now();
                let published = published(store)?;
                let current = current_of(&published).map(|r| r.code.clone());
                let mut results = std::collections::HashMap::new();
                for r in &published {
                    let stored = if current.as_ref() == Some(&r.code) {
                        store.round_results_in_brief(&r.code)?
                    } else {
                        store.round_results_for(&r.code, &[])?
                    };
                    if let Some(stored) = stored
                        && stored.revision == r.revision
                    {
                        results.insert(r.code.clone(), stored);
                    }
                }
                Ok((published, results, began.elapsed()))
            });
            let reg = store.registry_in_parallel().map(|r| (r, began.elapsed()));
            (reg, rounds.join())
        });
        let (published, mut results, rounds_took) = rounds.map_err(|_| Failure::Poisoned)??;
        let (reg, registry_took) = reg?;
        let reg = Arc::new(reg);
        // The index of codes and the rounds' subjects, each on its own core.
        let indexing = Instant::now();
        let (codes, subjects) = std::thread::scope(|scope| {
            let subjects = scope.spawn(|| {
                let began = Instant::now();
                (monitoring::Subjects::of(&published, &reg), began.elapsed())
            });
            (Index::new(&reg), subjects.join())
        });
        let (subjects, subjects_took) = subjects.map_err(|_| Failure::Poisoned)?;
        let codes = Arc::new(codes);
        let index_took = indexing.elapsed();
        let search = Arc::new(Search::new(reg.clone(), codes.clone()));
        let parts = Parts {
            version,
            reg,
            codes,
            search,
            published,
            subjects,
        };
        let assembling = Instant::now();
        let made = Snapshot::assemble(store, parts, |r| results.remove(&r.code), |_, _| None);
        tracing::debug!(
            "whole read: registry {registry_took:.1?}, rounds' stored results {rounds_took:.1?} \
             beside it, index of codes {index_took:.1?} (the rounds' subjects \
             {subjects_took:.1?} beside it), rounds assembled {:.1?}",
            assembling.elapsed()
        );
        made
    }

    /// The snapshot of the part of the registry connected to `seed` ([`Snapshot::read_part`]),
    /// or none when the part cannot answer alone.
    pub fn of_part(store: &Store, seed: &Seed) -> Result<Option<Snapshot>, Failure> {
        Ok(match Snapshot::read_part(store, seed)? {
            Part::Read(made) => Some(*made),
            Part::Unconnected | Part::Whole | Part::Moved => None,
        })
    }

    /// The part of the registry connected to `seed` (`Store::connected`: in a registry of many
    /// countries, its country) with the published rounds about that part, read by indexed
    /// queries: what a process holding no whole snapshot yet answers the seed's pages and
    /// answers from, the same as the whole snapshot gives for them (a test compares them),
    /// or why it cannot answer alone ([`Part`]).
    pub fn read_part(store: &Store, seed: &Seed) -> Result<Part, Failure> {
        match seed {
            // Every part holds every life event: its services are in every part.
            Seed::Record(EntityKind::LifeEvent, _) => return Ok(Part::Unconnected),
            // A page of records is read alone, whatever the parts.
            Seed::Records { kind, after, limit } => {
                return Snapshot::read_page(store, *kind, after, *limit);
            }
            Seed::Search { terms, kinds } => return Snapshot::read_found(store, terms, kinds),
            _ => {}
        }
        let began = Instant::now();
        let version = store.data_version()?;
        // The site's current round, among every published round (read without their scopes).
        let every = store.published_rounds_without_scope()?;
        let Some(current) = current_of(&every) else {
            // Without a current round the gap analysis covers the whole registry.
            return Ok(Part::Whole);
        };
        // A part of more than half the registry is most of the whole snapshot's work, which is
        // read beside it anyway (a national registry is, as a rule, one part).
        let services = store
            .services_page(egovwatch_store::ServiceFilter::default(), None, 0)?
            .map(|page| page.total)
            .unwrap_or_default();
        // A part holding a service of a round holds every service of it (or it does not answer
        // alone): with a current round about more than half of the services (or every one),
        // every part it touches is too large, and the others are the few services it leaves
        // out. A national registry learns it in one count.
        let scope = store.scope_size(&current.code)?;
        if scope == 0 || scope > services / 2 {
            tracing::debug!(
                "part of {seed:?}: the current round is about {} of the {services} services",
                if scope == 0 {
                    "all".to_string()
                } else {
                    scope.to_string()
                }
            );
            return Ok(Part::Whole);
        }
        // Where the part starts: the record, or the services of the published round.
        let scope_of = |code: &str| -> Result<Vec<(EntityKind, String)>, Failure> {
            if !every.iter().any(|r| r.code == code) {
                return Ok(Vec::new());
            }
            let scope = store.round(code)?.map(|r| r.scope).unwrap_or_default();
            Ok(scope
                .into_iter()
                .map(|c| (EntityKind::Service, c))
                .collect())
        };
        let mut journey = None;
        let seeds = match seed {
            Seed::Record(kind, code) => vec![(*kind, code.clone())],
            Seed::Round(code) => scope_of(code)?,
            Seed::Current => scope_of(&current.code)?,
            Seed::Home => {
                let listed = store.journey(None, &|_| 0..crate::pages::JOURNEY_SERVICES)?;
                let leads = store.published_rounds_leads()?;
                if leads.covers_every {
                    return Ok(Part::Whole);
                }
                let mut seeds = scope_of(&current.code)?;
                seeds.extend(
                    (listed.iter().flat_map(|e| &e.listed))
                        .map(|c| (EntityKind::Service, c.clone())),
                );
                let subjects =
                    monitoring::Subjects::count_of_leads(&every, &leads.leads, &leads.parents);
                journey = Some((listed, Some(subjects), None));
                seeds
            }
            Seed::LifeEvent { code, page } => {
                let listed =
                    store.journey(Some(code), &|services| life_event_rows(services, *page))?;
                let Some(entry) = listed.first() else {
                    return Ok(Part::Unconnected);
                };
                let Some(scores) = (stored_scores(store, &every, "life_event", &[code])?)
                    .and_then(|scores| scores.into_iter().next())
                else {
                    return Ok(Part::Whole);
                };
                let mut seeds = scope_of(&current.code)?;
                seeds.extend((entry.listed.iter()).map(|c| (EntityKind::Service, c.clone())));
                journey = Some((listed, None, Some((code.clone(), scores))));
                seeds
            }
            // Read alone by `Snapshot::read_page` and `Snapshot::read_found`, above.
            Seed::Records { .. } | Seed::Search { .. } => return Ok(Part::Unconnected),
        };
        let seeds: Vec<(EntityKind, &str)> = seeds.iter().map(|(k, c)| (*k, c.as_str())).collect();
        let Some(reg) = store.connected_within(&seeds, services / 2)? else {
            tracing::debug!(
                "part of {seed:?}: more than half of the {services} services, given up after \
                 {:.1?}",
                began.elapsed()
            );
            return Ok(Part::Whole);
        };
        if reg.services.is_empty() {
            return Ok(Part::Unconnected);
        }
        let registry_took = began.elapsed();
        let frameworks: std::collections::BTreeSet<&str> =
            every.iter().map(|r| r.framework.as_str()).collect();
        let services: Vec<&str> = reg.services.iter().map(|s| s.code.as_str()).collect();
        let mut published = Vec::new();
        for fw in frameworks {
            published.extend(
                store
                    .rounds_naming(fw, &services)?
                    .into_iter()
                    .filter(|r| r.state == RoundState::Published),
            );
        }
        published.sort_by(|a, b| (&a.period_start, &a.code).cmp(&(&b.period_start, &b.code)));
        let held: std::collections::HashSet<&str> = services.iter().copied().collect();
        if published
            .iter()
            .any(|r| r.scope.is_empty() || r.scope.iter().any(|c| !held.contains(c.as_str())))
        {
            return Ok(Part::Whole);
        }
        let current = current.code.clone();
        let rounds_took = began.elapsed() - registry_took;
        let reg = Arc::new(reg);
        let subjects = monitoring::Subjects::of(&published, &reg);
        let codes = Arc::new(Index::new(&reg));
        let parts = Parts {
            version,
            search: Arc::new(Search::new(reg.clone(), codes.clone())),
            codes,
            reg,
            published,
            subjects,
        };
        let mut made = Snapshot::assemble(store, parts, |_| None, |_, _| None)?;
        made.current = made.rounds.iter().position(|d| d.round.code == current);
        made.current_elsewhere = made.current.is_none().then_some(current);
        if let Some((listed, subjects, scores)) = journey {
            let events = (made.reg.life_events.iter())
                .map(|e| {
                    let entry = listed.iter().find(|l| l.life_event == e.code.as_str())?;
                    Some(Listed {
                        all: entry.all,
                        services: entry.services,
                        start: entry.start,
                        positions: (entry.listed.iter())
                            .filter_map(|c| made.codes.position(EntityKind::Service, c))
                            .collect(),
                    })
                })
                .collect();
            let scores = scores.and_then(|(code, scores)| {
                Some((made.codes.position(EntityKind::LifeEvent, &code)?, scores))
            });
            made.whole = Some(WholeJourney {
                events,
                subjects,
                scores,
            });
        }
        if let Some(c) = made.current {
            made.rounds[c].try_brief()?;
        }
        if store.data_version()? != version {
            return Ok(Part::Moved);
        }
        tracing::debug!(
            "part of {seed:?} read: {} services in {registry_took:.1?}, {} rounds in \
             {rounds_took:.1?}, assembled in {:.1?}",
            made.reg.services.len(),
            made.rounds.len(),
            began.elapsed() - registry_took - rounds_took
        );
        Ok(Part::Read(Box::new(made)))
    }

    /// The snapshot of a page of the unfiltered list of records of `kind` in code order
    /// ([`Seed::Records`]): the page's records alone (evidence types with the datasets that
    /// supply them), with how many the registry has and, for organisations, how many services
    /// each is competent for and its score in the current round as stored when the round was
    /// published, read by indexed queries. It answers that page only (`Seed::in_part`): the
    /// records are not read with what they are connected to. A page of life events (listed in
    /// journey order), of services or of channels has none.
    fn read_page(
        store: &Store,
        kind: EntityKind,
        after: &Option<String>,
        limit: usize,
    ) -> Result<Part, Failure> {
        use EntityKind as K;
        if matches!(kind, K::LifeEvent | K::Service | K::Channel) {
            return Ok(Part::Unconnected);
        }
        let began = Instant::now();
        let version = store.data_version()?;
        let Some(mut page) = store.records_page(kind, after.as_deref(), limit.saturating_add(1))?
        else {
            return Ok(Part::Unconnected);
        };
        let more = page.codes.len() > limit;
        page.codes.truncate(limit);
        let codes: Vec<&str> = page.codes.iter().map(String::as_str).collect();
        let supplying = match kind {
            K::EvidenceType => store.datasets_supplying(&codes)?,
            _ => Vec::new(),
        };
        let named: Vec<(EntityKind, &str)> = (codes.iter().map(|c| (kind, *c)))
            .chain(supplying.iter().map(|c| (K::Dataset, c.as_str())))
            .collect();
        let reg = store.records_named(&named)?;
        let every = store.published_rounds_without_scope()?;
        let current = current_of(&every);
        let mut organisations = Vec::new();
        if kind == K::Organisation {
            let codes: Vec<&str> = reg.organisations.iter().map(|o| o.code.as_str()).collect();
            let services = store.services_of_organisations(&codes)?;
            let scores = match current {
                None => vec![None; codes.len()],
                Some(r) => {
                    match stored_scores(store, std::slice::from_ref(r), "organisation", &codes)? {
                        Some(scores) => (scores.iter())
                            .map(|s| s.first().and_then(|s| s.score))
                            .collect(),
                        // Not stored for the round's revision: the whole snapshot scores it.
                        None => return Ok(Part::Unconnected),
                    }
                }
            };
            organisations = services.into_iter().zip(scores).collect();
        }
        let current = current.map(|r| r.code.clone());
        let mut made = Snapshot::of_records(store, version, reg, current)?;
        let positions: Option<Vec<usize>> = (page.codes.iter())
            .map(|c| made.codes.position(kind, c))
            .collect();
        // A record of the page removed since the page was read.
        let Some(positions) = positions else {
            return Ok(Part::Moved);
        };
        made.listed = Some(ListedRecords {
            kind,
            after: after.clone(),
            limit,
            total: page.total,
            positions,
            more,
            organisations,
        });
        if store.data_version()? != version {
            return Ok(Part::Moved);
        }
        tracing::debug!(
            "page of {} {kind:?} records read in {:.1?}",
            page.codes.len(),
            began.elapsed()
        );
        Ok(Part::Read(Box::new(made)))
    }

    /// The snapshot of records `reg` read alone at data version `version`, with none of the
    /// published rounds, the site's current round (`current`) being about other records: what
    /// a page of a list ([`Snapshot::read_page`]) or a search ([`Snapshot::read_found`])
    /// answers from.
    fn of_records(
        store: &Store,
        version: i64,
        reg: Registry,
        current: Option<String>,
    ) -> Result<Snapshot, Failure> {
        let reg = Arc::new(reg);
        let codes = Arc::new(Index::new(&reg));
        let parts = Parts {
            version,
            search: Arc::new(Search::new(reg.clone(), codes.clone())),
            subjects: monitoring::Subjects::of(&[], &reg),
            codes,
            reg,
            published: Vec::new(),
        };
        let mut made = Snapshot::assemble(store, parts, |_| None, |_, _| None)?;
        made.current_elsewhere = current;
        Ok(made)
    }

    /// The snapshot of the records a search can find ([`Seed::Search`]): those whose folded
    /// text holds every one of its words (`Store::records_holding`, one scan of the folded
    /// text the store keeps of each record), read alone, indexed as the whole snapshot's
    /// search index is. A search ranks each record on its own text and breaks ties by kind
    /// and code, so it finds and ranks them as the whole snapshot does (a test compares
    /// them). It answers that search only (`Seed::in_part`); more records holding the words
    /// than a sixteenth of the registry's services (at least [`MIN_FOUND`], at most
    /// [`MAX_FOUND`]) wait for the whole snapshot.
    fn read_found(store: &Store, terms: &[String], asked: &[EntityKind]) -> Result<Part, Failure> {
        let began = Instant::now();
        let version = store.data_version()?;
        let every: Vec<EntityKind> = crate::find::KINDS.iter().map(|(_, k)| *k).collect();
        let kinds = if asked.is_empty() { &every[..] } else { asked };
        let named = if terms.is_empty() {
            Vec::new()
        } else {
            // Reading a record costs about a sixteenth of what reading it with the whole
            // registry does: past that share, the whole snapshot answers as soon.
            let services = store
                .services_page(egovwatch_store::ServiceFilter::default(), None, 0)?
                .map(|page| page.total)
                .unwrap_or_default();
            let most = (services / 16).clamp(MIN_FOUND, MAX_FOUND);
            match store.records_holding(terms, kinds, most)? {
                Some(named) => named,
                None => return Ok(Part::Unconnected),
            }
        };
        let named: Vec<(EntityKind, &str)> = named.iter().map(|(k, c)| (*k, c.as_str())).collect();
        let reg = store.records_named(&named)?;
        let current = current_of(&store.published_rounds_without_scope()?).map(|r| r.code.clone());
        let mut made = Snapshot::of_records(store, version, reg, current)?;
        made.found = Some(Seed::Search {
            terms: terms.to_vec(),
            kinds: asked.to_vec(),
        });
        if store.data_version()? != version {
            return Ok(Part::Moved);
        }
        tracing::debug!(
            "the {} records a search for {terms:?} can find read in {:.1?}",
            named.len(),
            began.elapsed()
        );
        Ok(Part::Read(Box::new(made)))
    }

    /// The snapshot at the store's data version now, made from this one by reading only what
    /// changed since (`Store::changes_since`): the registry records saved since, put in place
    /// of the ones held, and the rounds created, moved or corrected since; the rest is kept.
    /// None when nothing changed; a whole [`Snapshot::build`] when more than [`MAX_CHANGES`]
    /// changed.
    pub fn update(&self, store: &Store) -> Result<Option<Snapshot>, Failure> {
        let changes = store.changes_since(self.version, MAX_CHANGES as i64 + 1)?;
        let Some(last) = changes.last() else {
            return Ok(None);
        };
        if changes.len() > MAX_CHANGES {
            return Snapshot::build(store).map(Some);
        }
        let version = last.seq;
        let began = Instant::now();
        let mut rounds_changed = std::collections::HashSet::new();
        let mut records = std::collections::HashSet::new();
        for c in &changes {
            if c.kind == "round" {
                rounds_changed.insert(c.code.as_str());
            } else {
                let kind: EntityKind = c
                    .kind
                    .parse()
                    .map_err(|e| Failure::Unavailable(format!("change {}: {e}", c.seq)))?;
                records.insert((kind, c.code.as_str()));
            }
        }
        // Whether every record saved since changed only in words: the gap analysis (made on
        // codes, stages and states) is then the same, and only its words are made again.
        let mut words_only = true;
        // Whether every record saved since refers to what it referred to and is withdrawn or
        // not as it was: the index of codes and the rounds' subjects are then the same.
        let mut links_kept = true;
        // Whether every record added since leaves the rounds' subjects as they are.
        let mut subjects_kept = true;
        // The held gap analysis (when made; one being made is not waited for), and whether a
        // record saved since is in the part of the registry it covers or now refers to it.
        let analysis = self.analysed.try_lock().ok().and_then(|a| a.clone());
        let mut analysis_reached = false;
        let (reg, codes, search, moved) = if records.is_empty() {
            (
                self.reg.clone(),
                self.codes.clone(),
                self.search.clone(),
                false,
            )
        } else {
            let mut reg = Registry::clone(&self.reg);
            let mut moved = false;
            // The records saved since that the search index holds, and those added.
            let mut searched = Vec::new();
            let mut added = Vec::new();
            for (kind, code) in records {
                match store.latest_record(kind, code)? {
                    Some(record) => {
                        let at = self.codes.position(kind, code);
                        words_only &= record.changes_only_words(&reg, at);
                        let keeps_links = record.keeps_links(&reg, at);
                        analysis_reached |= analysis
                            .as_ref()
                            .is_none_or(|a| a.reached_by(kind, code, &record));
                        // A record the index does not have is added.
                        let keeps_subjects_if_added = at.is_none().then(|| {
                            monitoring::Subjects::kept_on_adding(
                                self.rounds.iter().map(|d| &d.round),
                                &record,
                            )
                        });
                        if SearchIndex::holds(&record) {
                            searched.push(record.clone());
                        }
                        if record.put(&mut reg, at) == egovwatch_domain::change::Placed::Added {
                            moved = true;
                            added.push((kind, code));
                            subjects_kept &= keeps_subjects_if_added.unwrap_or(false);
                        } else {
                            links_kept &= keeps_links;
                        }
                    }
                    None => (words_only, links_kept, analysis_reached) = (false, false, true),
                }
            }
            // Records added, or a life event moved in the journey: positions move.
            let reordered = !reg.in_journey_order();
            if moved || reordered {
                reg.sort();
                moved = true;
            }
            let reg = Arc::new(reg);
            tracing::debug!(
                "update: {} records put in {:.1?}",
                changes.len(),
                began.elapsed()
            );
            // Records that refer to what they did, none added: every position, code and
            // reference is where it was, so the index of them is the one held.
            let codes = if links_kept && !moved {
                self.codes.clone()
            } else if let Some(at) = (links_kept && !reordered)
                .then(|| services_at(&reg, &added))
                .flatten()
            {
                // Only services added: the index held, the others shifted past them.
                Arc::new(self.codes.with_services_added(&reg, &at))
            } else {
                Arc::new(Index::new(&reg))
            };
            let search = Arc::new(self.search.followed(reg.clone(), codes.clone(), searched));
            tracing::debug!(
                "update: index of codes and search at {:.1?}",
                began.elapsed()
            );
            (reg, codes, search, moved)
        };
        // A round is kept when neither it nor the round it is compared with changed; placed
        // anew when records added moved registry positions (its maps are by position).
        let moves = moved.then(|| Moves::new(&self.reg, &codes));
        let (fresh_codes, services) = (codes.clone(), reg.services.len());
        let fresh_reg = reg.clone();
        // The rounds taken from this snapshot, kept or placed: a round compared with one of
        // them compares as it did.
        let taken = std::cell::RefCell::new(std::collections::HashSet::new());
        let keep = |round: &Round, previous: Option<(usize, &Arc<RoundData>)>| {
            if rounds_changed.contains(round.code.as_str()) {
                return None;
            }
            let (_, held) = self.round(&round.code)?;
            let same_previous = held.previous.map(|p| self.rounds[p].round.code.as_str())
                == previous.map(|(_, p)| p.round.code.as_str());
            let previous_kept =
                previous.is_none_or(|(_, p)| taken.borrow().contains(p.round.code.as_str()));
            if !(held.round == *round && same_previous && previous_kept) {
                return None;
            }
            let at = previous.map(|(p, _)| p);
            let kept = match &moves {
                None if held.previous == at => held.clone(),
                None => return None,
                Some(moves) => Arc::new(held.placed(
                    moves,
                    &fresh_reg,
                    at,
                    Source {
                        store: store.clone(),
                        codes: fresh_codes.clone(),
                        services,
                    },
                )),
            };
            taken.borrow_mut().insert(round.code.clone());
            Some(kept)
        };
        // No round changed: the published rounds are the ones held (a snapshot holds every
        // published round, oldest first), and unless a record changed what it refers to or
        // whether it is withdrawn, they are about the same subjects.
        let (published, subjects) = if rounds_changed.is_empty() {
            let published: Vec<Round> = self.rounds.iter().map(|d| d.round.clone()).collect();
            let subjects = if links_kept && subjects_kept {
                self.subjects.clone()
            } else {
                monitoring::Subjects::of(&published, &reg)
            };
            (published, subjects)
        } else {
            // The rounds held that did not change are taken as held; only the others are read
            // whole (their scopes are most of what rounds weigh: 16 MB at the UN scale).
            let mut fresh = Vec::new();
            let published = store
                .published_rounds_without_scope()?
                .into_iter()
                .map(|r| match self.round(&r.code) {
                    Some((_, held)) if !rounds_changed.contains(r.code.as_str()) => {
                        Ok(held.round.clone())
                    }
                    _ => {
                        let whole = store.round(&r.code)?.ok_or_else(|| {
                            Failure::Unavailable(format!("round {} was just removed", r.code))
                        })?;
                        fresh.push(whole.clone());
                        Ok(whole)
                    }
                })
                .collect::<Result<Vec<Round>, Failure>>()?;
            let subjects = (links_kept && subjects_kept)
                .then(|| self.subjects.adding(&fresh, &reg))
                .flatten()
                .unwrap_or_else(|| monitoring::Subjects::of(&published, &reg));
            (published, subjects)
        };
        let parts = Parts {
            version,
            reg,
            codes,
            search,
            published,
            subjects,
        };
        let subjects_at = began.elapsed();
        let mut fresh = Snapshot::assemble(store, parts, |_| None, keep)?;
        tracing::debug!(
            "update: the rounds' subjects at {subjects_at:.1?}, the rounds at {:.1?}",
            began.elapsed()
        );
        // On the same rounds, the analysis is the held one when the records saved since
        // changed only in words, or none of them reaches the part of the registry it covers
        // (in a registry of many countries, an edit in another country than the current
        // round's), placed anew when records added moved positions.
        if let Some(analysis) = analysis
            && rounds_changed.is_empty()
            && (words_only || !analysis_reached)
        {
            let analysis = match &moves {
                Some(moves) => Arc::new(analysis.placed(moves, fresh.reg.services.len())),
                None => analysis,
            };
            fresh.carry_analysis(self, analysis);
        }
        Ok(Some(fresh))
    }

    /// Whether this snapshot and `other` hold one gap analysis, made once: an update takes
    /// the held one over when nothing it reads changed.
    pub fn shares_analysis(&self, other: &Snapshot) -> bool {
        let (Ok(a), Ok(b)) = (self.analysed.lock(), other.analysed.lock()) else {
            return false;
        };
        matches!((&*a, &*b), (Some(a), Some(b)) if a.analysed.is(&b.analysed))
    }

    /// Takes over `analysis`, the language-free gap analysis of `held` (placed by this
    /// snapshot's positions), and its projected index when made: for a snapshot on the same
    /// rounds whose records differ from `held`'s in nothing the analysis reads.
    fn carry_analysis(&mut self, held: &Snapshot, analysis: Arc<AnalysedAt>) {
        if let Ok(to) = self.analysed.get_mut() {
            *to = Some(analysis);
        }
        if let Some(p) = held.projection.get() {
            let _ = self.projection.set(p.clone());
        }
    }

    /// The snapshot of `parts`: each published round is the one `keep` gives (a round, and the
    /// round before it in its series, already made, with its position in the rounds), else made
    /// from its results as `read` gives them (with its units when they hold them) or as the
    /// store has them.
    fn assemble(
        store: &Store,
        parts: Parts,
        mut read: impl FnMut(&Round) -> Option<RoundResults>,
        keep: impl Fn(&Round, Option<(usize, &Arc<RoundData>)>) -> Option<Arc<RoundData>>,
    ) -> Result<Snapshot, Failure> {
        let Parts {
            version,
            reg,
            codes,
            search,
            published,
            subjects,
        } = parts;
        let mut rounds: Vec<Arc<RoundData>> = Vec::new();
        let began = Instant::now();
        for round in published {
            // The rounds come oldest first, all published: the one before in the series.
            let previous = rounds
                .iter()
                .rposition(|p| subjects.same_series(&p.round, &round));
            if let Some(kept) = keep(&round, previous.map(|p| (p, &rounds[p]))) {
                rounds.push(kept);
                continue;
            }
            let fw = framework(&round.framework)?;
            let stored = match read(&round) {
                Some(r) => Some(r),
                None => store.round_results_for(&round.code, &[])?,
            };
            let (results, units) = match stored {
                // Read with its units (the current round's, beside the registry).
                Some(r) if r.revision == round.revision && !r.units.is_empty() => (r, Units::Given),
                Some(r) if r.revision == round.revision => (r, Units::Stored),
                // Published by a version that did not store results, and `migrate` not run
                // since: computed here, as publishing would have, units and all.
                _ => {
                    let mut r = egovwatch_app::rounds::results_of(store, &round.code)?;
                    r.units.iter_mut().for_each(|u| u.values.clear());
                    (r, Units::Given)
                }
            };
            let before = previous.map(|p| (p, &*rounds[p]));
            let source = Source {
                store: store.clone(),
                codes: codes.clone(),
                services: reg.services.len(),
            };
            let data = RoundData::new(round, fw, results, units, &reg, before, source);
            rounds.push(Arc::new(data));
        }
        let staged: std::collections::HashSet<&str> = rounds
            .iter()
            .filter(|d| d.has_stages())
            .map(|d| d.round.code.as_str())
            .collect();
        let current = monitoring::current(rounds.iter().map(|d| &d.round), |r| {
            staged.contains(r.code.as_str())
        })
        .and_then(|c| rounds.iter().position(|d| d.round.code == c.code));
        // The round the site leads with is read whole before the snapshot answers; the others'
        // units when first asked for, or in the background (`Shared::refresh`).
        let rounds_took = began.elapsed();
        if let Some(c) = current {
            rounds[c].try_brief()?;
        }
        tracing::debug!(
            "rounds assembled: the rounds {rounds_took:.1?}, the current round's units {:.1?}",
            began.elapsed() - rounds_took
        );
        let mut journey: Vec<usize> = (0..reg.life_events.len())
            .filter(|&g| reg.life_events[g].status == Status::Active)
            .collect();
        journey.sort_by_key(|&g| (reg.life_events[g].journey_order, g));
        let tag = Snapshot::tag_of(version);
        let evidence_json = (0..reg.evidence_types.len())
            .map(|_| OnceLock::new())
            .collect();
        Ok(Snapshot {
            version,
            tag,
            subjects,
            current,
            reg,
            codes,
            rounds,
            search,
            journey,
            responses: Default::default(),
            evidence_json,
            gaps: Default::default(),
            browse: Default::default(),
            analysed: Mutex::new(None),
            projection: OnceLock::new(),
            store: store.clone(),
            current_elsewhere: None,
            whole: None,
            listed: None,
            found: None,
        })
    }

    /// The page of the unfiltered list of records `seed` asks for ([`Seed::Records`]), when
    /// this is the snapshot of that page (`Snapshot::read_page`, read with it from the store).
    pub fn records_page(&self, seed: &Seed) -> Option<&ListedRecords> {
        let Seed::Records { kind, after, limit } = seed else {
            return None;
        };
        (self.listed.as_ref()).filter(|l| l.kind == *kind && l.after == *after && l.limit == *limit)
    }

    /// The services of the life event at registry position `g` the journey lists (those not
    /// withdrawn, in code order): how many there are, and the registry positions of those in
    /// `range` of them (in the snapshot of the home page's or a life event's page's part,
    /// [`Seed::Home`], [`Seed::LifeEvent`], of those the page lists only, read with the count
    /// from the store).
    pub fn journey_services(&self, g: usize, range: std::ops::Range<usize>) -> (usize, Vec<usize>) {
        if let Some(w) = &self.whole {
            let Some(l) = w.events.get(g).and_then(Option::as_ref) else {
                return (0, Vec::new());
            };
            // The rows asked for among those read (the part's seed read the rows its page
            // lists).
            let len = l.positions.len();
            let at = |row: usize| row.saturating_sub(l.start).min(len);
            return (
                l.services,
                l.positions[at(range.start)..at(range.end)].to_vec(),
            );
        }
        let all: Vec<usize> = (self.codes.services_of_life_event(g).iter().copied())
            .filter(|&i| self.reg.services[i].status != egovwatch_domain::ServiceStatus::Withdrawn)
            .collect();
        let clip = |len: usize| range.start.min(len)..range.end.min(len);
        (all.len(), all[clip(all.len())].to_vec())
    }

    /// How many services the life event at registry position `g` has, withdrawn or not (in
    /// the snapshot of the home page's or a life event's page's part, read from the store).
    pub fn life_event_services(&self, g: usize) -> usize {
        match self.whole.as_ref().and_then(|w| w.events.get(g)?.as_ref()) {
            Some(l) => l.all,
            None => self.codes.services_of_life_event(g).len(),
        }
    }

    /// The life event at registry position `g`'s score in every published round, oldest
    /// first (in the snapshot of its page's part, [`Seed::LifeEvent`], as stored when each
    /// round was published).
    pub fn life_event_scores(&self, g: usize) -> Vec<RoundScore<'_>> {
        if let Some(w) = &self.whole {
            return match &w.scores {
                Some((at, scores)) if *at == g => (scores.iter())
                    .map(|s| RoundScore {
                        round: &s.round,
                        framework: &s.framework,
                        score: s.score,
                        decimals: s.decimals,
                    })
                    .collect(),
                _ => Vec::new(),
            };
        }
        (self.rounds.iter())
            .map(|r| RoundScore {
                round: &r.round.code,
                framework: &r.fw.id,
                score: r.group(LIFE_EVENTS, g),
                decimals: r.fw.decimals,
            })
            .collect()
    }

    /// How many services the organisation at registry position `o` is competent for (in the
    /// snapshot of a page of organisations, [`Seed::Records`], counted by the store).
    pub fn organisation_services(&self, o: usize) -> usize {
        match self.listed.as_ref().and_then(|l| l.organisations.get(o)) {
            Some((services, _)) => *services,
            None => self.codes.services_of_organisation(o).len(),
        }
    }

    /// The organisation at registry position `o`'s headline score in the current round (in the
    /// snapshot of a page of organisations, [`Seed::Records`], as stored when it was
    /// published).
    pub fn organisation_score(&self, o: usize) -> Option<f64> {
        match self.listed.as_ref().and_then(|l| l.organisations.get(o)) {
            Some((_, score)) => *score,
            None => self.current().and_then(|r| r.group(ORGANISATIONS, o)),
        }
    }

    /// How many subjects the published rounds are about (in the snapshot of the home page's
    /// part, [`Seed::Home`], read from the store for the whole registry).
    pub fn subjects_count(&self) -> usize {
        (self.whole.as_ref().and_then(|w| w.subjects)).unwrap_or_else(|| self.subjects.count())
    }

    /// The tag of data version `version` that answers carry (`meta.version`, ETags).
    pub fn tag_of(version: i64) -> String {
        format!("{:x}", xxhash_rust::xxh3::xxh3_64(&version.to_le_bytes()))
    }

    /// The services (registry positions, in registry order) that require evidence one of
    /// `datasets` (registry positions) supplies: what an information system's or a dataset's
    /// data are needed for.
    pub fn services_needing(&self, datasets: &[usize]) -> Vec<usize> {
        let supplied: std::collections::HashSet<&str> = datasets
            .iter()
            .filter_map(|&d| self.reg.datasets.get(d))
            .flat_map(|d| d.supplies.iter().map(|e| e.as_str()))
            .collect();
        self.reg
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| s.evidence.iter().any(|e| supplied.contains(e.as_str())))
            .map(|(i, _)| i)
            .collect()
    }

    /// The datasets (registry positions) held in the information system at `system`.
    pub fn datasets_of(&self, system: usize) -> Vec<usize> {
        let Some(code) = self.reg.information_systems.get(system).map(|s| &s.code) else {
            return Vec::new();
        };
        self.reg
            .datasets
            .iter()
            .enumerate()
            .filter(|(_, d)| d.system == *code)
            .map(|(i, _)| i)
            .collect()
    }

    /// The search index of the registry, built here if it is not yet.
    pub fn search(&self) -> &Search {
        self.search.get();
        &self.search
    }

    /// Round `r` scored from its answers, for the gap analysis (read from the store).
    pub fn scored(&self, r: &RoundData) -> Option<ScoredRound> {
        r.scored(&self.store, &self.reg)
    }

    /// The averages of round `r` by life event (in journey order) or by organisation; groups
    /// without an assessed service are left out.
    pub fn group_scores(&self, r: &RoundData, grouping: usize) -> Vec<GroupScore<'_>> {
        let previous = r.previous.map(|p| &self.rounds[p]);
        let order: Vec<usize> = if grouping == LIFE_EVENTS {
            self.journey.clone()
        } else {
            (0..self.reg.organisations.len()).collect()
        };
        order
            .into_iter()
            .filter_map(|g| {
                let now = r.group(grouping, g)?;
                let before = previous.and_then(|p| p.group(grouping, g));
                let (code, name, services) = if grouping == LIFE_EVENTS {
                    let e = &self.reg.life_events[g];
                    (e.code.as_str(), &e.name, r.services_in(grouping, g))
                } else {
                    let o = &self.reg.organisations[g];
                    (o.code.as_str(), &o.name, r.services_in(grouping, g))
                };
                Some(GroupScore {
                    code,
                    name,
                    now,
                    before,
                    delta: before.map(|b| r.fw.round(now - b)),
                    services,
                })
            })
            .collect()
    }

    pub fn round(&self, code: &str) -> Option<(usize, &Arc<RoundData>)> {
        self.rounds
            .iter()
            .enumerate()
            .find(|(_, r)| r.round.code == code)
    }

    /// The round the site leads with: the latest published round that classifies services
    /// into stages, else the latest published round.
    pub fn current(&self) -> Option<&RoundData> {
        self.rounds.get(self.current?).map(|d| &**d)
    }

    /// The code of the site's current round, also when this snapshot of one part of the
    /// registry does not hold it (it is about another part).
    pub fn current_code(&self) -> Option<&str> {
        self.current()
            .map(|r| r.round.code.as_str())
            .or(self.current_elsewhere.as_deref())
    }

    /// The gap analysis of the current round, before it is put in words: made on first use,
    /// once for every language.
    fn analysed(&self) -> Option<Arc<AnalysedAt>> {
        if self.current_elsewhere.is_some() {
            return None;
        }
        let mut held = self.analysed.lock().ok()?;
        if let Some(a) = held.as_ref() {
            return Some(a.clone());
        }
        let rules = BlockingRules::default_rules().ok()?;
        let current = self.current();
        // On the stages stored with the round's results: nothing is scored.
        let stages = current.map(|r| r.stages(&self.reg)).unwrap_or_default();
        let assessed = current.map(|r| r.assessed(&self.reg)).unwrap_or_default();
        let part = current.and_then(|_| component::connected(&self.reg, assessed.iter().copied()));
        let analysed = analyse_part(
            &self.reg,
            part.as_ref(),
            current.map(|r| r.round.code.as_str()),
            &stages,
            &[],
            &rules,
            &Weights::default(),
        )
        .ok()?;
        let part = part.map(|p| {
            let mut codes: CodeSet<(EntityKind, Code)> =
                each_code(&p).map(|(k, c)| (k, c.clone())).collect();
            each_reference(&p, |r| {
                codes.insert((r.to, r.target.clone()));
            });
            codes
        });
        let by_position = AnalysedAt::positions(&analysed, &self.codes, self.reg.services.len());
        let made = Arc::new(AnalysedAt {
            analysed,
            rules,
            by_position,
            part,
        });
        *held = Some(made.clone());
        Some(made)
    }

    /// How the service at registry position `service` stands in the gap analysis of the
    /// current round, with the reasons it is blocked in `lang`; none when the analysis does
    /// not name it. Only this service is put in words.
    pub fn service_gap(&self, service: usize, lang: Lang) -> Option<ServiceView> {
        let a = self.analysed()?;
        let k = a.by_position.get(service)?;
        a.analysed
            .explain_service(&self.reg, &self.codes, &a.rules, k, lang)
    }

    /// How many services the information systems `systems` keep from being fully online in
    /// the gap analysis of the current round ([`egovwatch_domain::gaps::held_back_by`]).
    pub fn held_back_by(&self, systems: &[String]) -> Option<usize> {
        let full = monitoring::fully_online(self.current()?.fw.top_stage()?);
        Some(self.analysed()?.analysed.held_back_by(systems, full))
    }

    /// What the gap analysis of the current round says to build first, in `lang`.
    pub fn first_investment(&self, lang: Lang) -> Option<InvestmentView> {
        let tr = egovwatch_i18n::Tr::new(lang);
        let phrase = move |k: &str, a: &[(&'static str, &str)]| tr.with(k, a);
        self.analysed()?
            .analysed
            .explain_first_investment(&self.reg, &self.codes, lang, &phrase)
    }

    /// The national index of the current round now and with every service at the stage
    /// `report` (its gap analysis, in any language) projects: computed on first use, scoring
    /// the round from its answers.
    pub fn projection(&self, report: &Explained) -> IndexProjection {
        self.projection
            .get_or_init(|| {
                let Some(r) = self.current() else {
                    return IndexProjection::default();
                };
                match self.scored(r) {
                    Some(scored) => projected_index(
                        &r.fw,
                        &scored,
                        report.services.iter().map(|v| v.gap.as_ref()),
                    ),
                    None => IndexProjection {
                        now: r.index(),
                        projected: None,
                    },
                }
            })
            .clone()
    }

    /// The gap analysis of the current round in `lang`, computed on first use.
    pub fn gaps(&self, lang: Lang) -> Option<Arc<Explained>> {
        let slot = &self.gaps[lang_slot(lang)];
        slot.get_or_init(|| {
            let a = self.analysed()?;
            let tr = egovwatch_i18n::Tr::new(lang);
            let phrase = move |k: &str, args: &[(&'static str, &str)]| tr.with(k, args);
            Some(Arc::new(a.analysed.explain(
                &self.reg,
                &self.codes,
                &a.rules,
                lang,
                &phrase,
            )))
        })
        .clone()
    }
}

/// Where what a snapshot keeps per language is kept for `lang`.
pub fn lang_slot(lang: Lang) -> usize {
    Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

/// How often the store is asked whether the data changed (one indexed read of the largest
/// `seq` of `changes`), while requests come.
pub const RECHECK: Duration = Duration::from_millis(100);

/// How long requests get the failure of a first snapshot that could not be read before one of
/// them tries again: a broken store costs one attempt a second, not one per request.
pub const RETRY_FAILED: Duration = Duration::from_secs(1);

/// The current snapshot, shared by all requests, and when the store was last asked whether
/// it changed.
pub struct Shared {
    store: Store,
    current: RwLock<Option<Arc<Snapshot>>>,
    rebuilding: Mutex<()>,
    /// When the first snapshot last failed to build, and why: requests meanwhile get the same
    /// failure at once instead of each building again (a store that cannot be read would
    /// otherwise cost a full build per request).
    failed: Mutex<Option<(Instant, String)>>,
    /// Snapshots built since the start.
    builds: AtomicU64,
    /// Whether the first snapshot is being read in the background ([`Shared::warm`]).
    warming: std::sync::atomic::AtomicBool,
    /// Answers read from the store while no snapshot was held ([`Shared::direct_answers`]).
    direct: AtomicU64,
    checked_ms: AtomicU64,
    started: Instant,
    /// How stale a snapshot may get before the store is asked again.
    pub recheck: Duration,
    /// The bytes of answers each snapshot keeps (`cache::Responses`).
    pub cache_bytes: u64,
    /// Snapshots of parts of the registry read while no whole one is held
    /// ([`Shared::for_part`]), most recent last.
    parts: Mutex<Vec<Arc<Snapshot>>>,
    /// Whether no part of the registry answers alone ([`Part::Whole`]): in a national registry
    /// none does, and the requests until the whole snapshot is held wait for it instead of
    /// each trying again.
    parts_refused: std::sync::atomic::AtomicBool,
}

/// How many snapshots of parts of the registry a process keeps while its whole snapshot is
/// read.
const PARTS_KEPT: usize = 8;

impl Shared {
    pub fn new(store: Store) -> Shared {
        Shared {
            store,
            current: RwLock::new(None),
            rebuilding: Mutex::new(()),
            failed: Mutex::new(None),
            builds: AtomicU64::new(0),
            warming: Default::default(),
            direct: AtomicU64::new(0),
            checked_ms: AtomicU64::new(0),
            started: Instant::now(),
            recheck: RECHECK,
            cache_bytes: crate::cache::DEFAULT_BUDGET,
            parts: Mutex::new(Vec::new()),
            parts_refused: Default::default(),
        }
    }

    /// What to answer about `seed` from while no whole snapshot is held (the caller looked): a
    /// snapshot of the part of the registry connected to it ([`Snapshot::read_part`]), kept for
    /// the next requests about that part while the store's data version stays; none when the
    /// part cannot answer alone (the request then waits for the whole snapshot). When no part
    /// of the registry answers alone ([`Part::Whole`]: a national registry), the next requests
    /// wait for it too without trying, but for pages of records, read alone
    /// ([`Seed::Records`]); a seed with no part of its own (an unknown code) or a change of the
    /// data while it was read stops nothing. Blocking.
    pub fn for_part(&self, seed: &Seed) -> Result<Option<Arc<Snapshot>>, Failure> {
        if self.parts_refused.load(Ordering::Relaxed) && !seed.read_alone() {
            return Ok(None);
        }
        let version = self.store.data_version()?;
        {
            let mut parts = self.parts.lock().map_err(|_| Failure::Poisoned)?;
            parts.retain(|p| p.version == version);
            if let Some(p) = parts.iter().find(|p| seed.in_part(p)) {
                return Ok(Some(p.clone()));
            }
        }
        let mut made = match Snapshot::read_part(&self.store, seed)? {
            Part::Read(made) => *made,
            Part::Unconnected | Part::Moved => return Ok(None),
            Part::Whole => {
                self.parts_refused.store(true, Ordering::Relaxed);
                return Ok(None);
            }
        };
        made.responses = crate::cache::Responses::with_budget(self.cache_bytes / 16);
        let made = Arc::new(made);
        let mut parts = self.parts.lock().map_err(|_| Failure::Poisoned)?;
        if parts.len() >= PARTS_KEPT {
            parts.remove(0);
        }
        parts.push(made.clone());
        Ok(Some(made))
    }

    /// The snapshot held now, if one was built.
    pub fn held(&self) -> Option<Arc<Snapshot>> {
        self.current.read().ok().and_then(|g| g.clone())
    }

    /// Whether the store should be asked again; true for exactly one caller per period, which
    /// then runs [`Shared::refresh`] while everyone else goes on answering.
    pub fn claim_check(&self) -> bool {
        let now_ms = self.started.elapsed().as_millis() as u64;
        let last = self.checked_ms.load(Ordering::Relaxed);
        now_ms.saturating_sub(last) >= self.recheck.as_millis() as u64
            && self
                .checked_ms
                .compare_exchange(last, now_ms, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
    }

    /// Rebuilds the snapshot when the store's data version moved. Blocking (store reads).
    pub fn refresh(&self) -> Result<Arc<Snapshot>, Failure> {
        let _guard = self.rebuilding.lock().map_err(|_| Failure::Poisoned)?;
        // Requests that queued behind a build that failed take its failure.
        if self.held().is_none()
            && let Some(why) = self.recent_failure()
        {
            return Err(Failure::Unavailable(why));
        }
        let held = self.held();
        let began = Instant::now();
        let built = match &held {
            Some(s) => match s.update(&self.store) {
                Ok(None) => return Ok(s.clone()),
                Ok(Some(updated)) => Ok(updated),
                Err(e) => Err(e),
            },
            None => Snapshot::build(&self.store),
        };
        if let Ok(s) = &built {
            tracing::info!(
                "data version {} read in {:.0?} ({})",
                s.version,
                began.elapsed(),
                if held.is_some() { "updated" } else { "whole" }
            );
        }
        self.builds.fetch_add(1, Ordering::Relaxed);
        // Recorded under the lock, so that whoever waited for it finds it.
        if let Ok(mut f) = self.failed.lock() {
            *f = built
                .as_ref()
                .err()
                .map(|e| (Instant::now(), e.to_string()));
        }
        let mut fresh = built?;
        fresh.responses = crate::cache::Responses::with_budget(self.cache_bytes);
        let fresh = Arc::new(fresh);
        if let Ok(mut g) = self.current.write() {
            *g = Some(fresh.clone());
        }
        if let Ok(mut parts) = self.parts.lock() {
            parts.clear();
        }
        // What is made on first use is made while the snapshot already answers: the gap
        // analysis of the current round (every service's answer and page puts its place in it in
        // words, and the first ones would wait for it), then the search index. Without a
        // current round the analysis would cover the whole registry, and waits to be asked.
        let warm = fresh.clone();
        std::thread::spawn(move || {
            if warm.current().is_some() {
                warm.analysed();
            }
            warm.search();
            for r in &warm.rounds {
                r.brief();
            }
        });
        Ok(fresh)
    }

    /// The snapshot to answer from, built on first use. Blocking (store reads). After a
    /// failed build the same failure is given for [`RETRY_FAILED`] before building again.
    pub fn get(&self) -> Result<Arc<Snapshot>, Failure> {
        if let Some(s) = self.held() {
            return Ok(s);
        }
        if let Some(why) = self.recent_failure() {
            return Err(Failure::Unavailable(why));
        }
        let s = self.refresh()?;
        self.checked_ms
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
        Ok(s)
    }

    /// Why the first snapshot failed to build, if that was less than [`RETRY_FAILED`] ago.
    fn recent_failure(&self) -> Option<String> {
        let f = self.failed.lock().ok()?;
        f.as_ref()
            .filter(|(at, _)| at.elapsed() < RETRY_FAILED)
            .map(|(_, why)| why.clone())
    }

    /// Starts reading the first snapshot in the background, unless one is held or being
    /// read: a process starts it when it starts, and answers what it can from the store
    /// meanwhile (`direct`).
    pub fn warm(self: &Arc<Self>) {
        if self.held().is_some() || self.warming.swap(true, Ordering::AcqRel) {
            return;
        }
        let shared = self.clone();
        std::thread::spawn(move || {
            if let Err(e) = shared.get() {
                tracing::error!("reading the site's data: {e:#}");
            }
            shared.warming.store(false, Ordering::Release);
        });
    }

    /// Counts an answer read from the store while no snapshot was held (`direct`).
    pub fn answered_directly(&self) {
        self.direct.fetch_add(1, Ordering::Relaxed);
    }

    /// Answers read from the store while no snapshot was held, since the start.
    pub fn direct_answers(&self) -> u64 {
        self.direct.load(Ordering::Relaxed)
    }

    /// Snapshots built since the start (attempts that failed included).
    pub fn builds(&self) -> u64 {
        self.builds.load(Ordering::Relaxed)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

#[cfg(test)]
mod tests {
    use super::Positions;

    #[test]
    fn dense_and_sparse_positions_answer_alike() {
        let pairs = [(7, 0), (2, 1), (9, 2), (2, 3)];
        let dense = Positions::new(12, pairs);
        let sparse = Positions::new(1000, pairs);
        assert!(matches!(dense, Positions::Dense(_)));
        assert!(matches!(sparse, Positions::Sparse(_)));
        for p in 0..12 {
            assert_eq!(dense.get(p), sparse.get(p), "position {p}");
        }
        // The first item given for a position wins.
        assert_eq!(sparse.get(2), Some(1));
        assert_eq!(sparse.get(9), Some(2));
        assert_eq!(sparse.get(3), None);
        assert_eq!(sparse.get(usize::MAX), None);
        let all = [(2, 1), (7, 0), (9, 2)];
        assert_eq!(dense.iter().collect::<Vec<_>>(), all);
        assert_eq!(sparse.iter().collect::<Vec<_>>(), all);
    }
}
