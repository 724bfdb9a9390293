//! Why each service is stuck and which investment unlocks the most.
//!
//! The registry is read as a graph: a service requires evidence types; each evidence type can be
//! supplied by datasets (held in information systems, reaching the service through exchange
//! links) or by the output of another service. The blocking rules cap the stage a service can
//! reach for every weak point on the best supply path of each piece of evidence; every cap is a
//! reason naming the dataset, system, link or service, and the investment that would lift it.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::rules::{BlockingRules, Condition};
use crate::{
    ChannelType, DigitisationState, Lang, Lifecycle, LinkStatus, Registry, ServiceStatus, Status,
};

/// A change assumed for a what-if, written `kind:SUBJECT=VALUE`; an investment's id is the
/// assumption that stands for it, so any line of the ranking can be fed back as `--assume`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assumption {
    /// `dataset:CODE=digitised` (or any digitisation state): the data are digital.
    Dataset {
        dataset: String,
        state: DigitisationState,
    },
    /// `system:CODE=in-use` (or another lifecycle), or `system:CODE=digitised`.
    SystemLifecycle {
        system: String,
        lifecycle: Lifecycle,
    },
    SystemDigitisation {
        system: String,
        state: DigitisationState,
    },
    /// `link:CODE=in-use`: an existing link changes status.
    Link { link: String, status: LinkStatus },
    /// `link:DATASET>TARGET=in-use`: a new link from a dataset to a service, a system or an
    /// organisation (its systems).
    NewLink { dataset: String, target: String },
    /// `evidence:CODE=supplied`: some digital source of this evidence exists and is connected.
    Evidence { evidence: String },
    /// `service:CODE=4`: a service reaches a stage (its output becomes electronic).
    Service { service: String, stage: u8 },
}

/// The most assumptions one what-if may make.
pub const MAX_ASSUMPTIONS: usize = 100;

/// The codes of each kind an assumption may name.
struct Codes<'r> {
    datasets: HashSet<&'r str>,
    systems: HashSet<&'r str>,
    links: HashSet<&'r str>,
    organisations: HashSet<&'r str>,
    services: HashSet<&'r str>,
    evidence: HashSet<&'r str>,
}

/// Checks a what-if before it runs: every code names a record of its kind in `reg`, every stage
/// is on the rules' scale, and there are at most [`MAX_ASSUMPTIONS`]. Each problem is one
/// message naming the assumption, so a mistyped code is never silently ignored.
pub fn check_assumptions(
    reg: &Registry,
    rules: &BlockingRules,
    assumptions: &[Assumption],
) -> Result<(), Vec<String>> {
    if assumptions.len() > MAX_ASSUMPTIONS {
        return Err(vec![format!(
            "{} assumptions; a what-if takes at most {MAX_ASSUMPTIONS}",
            assumptions.len()
        )]);
    }
    if assumptions.is_empty() {
        return Ok(());
    }
    let codes = Codes {
        datasets: reg.datasets.iter().map(|x| x.code.as_str()).collect(),
        systems: reg
            .information_systems
            .iter()
            .map(|x| x.code.as_str())
            .collect(),
        links: reg.exchange_links.iter().map(|x| x.code.as_str()).collect(),
        organisations: reg.organisations.iter().map(|x| x.code.as_str()).collect(),
        services: reg.services.iter().map(|x| x.code.as_str()).collect(),
        evidence: reg.evidence_types.iter().map(|x| x.code.as_str()).collect(),
    };
    let problems: Vec<String> = assumptions
        .iter()
        .filter_map(|a| a.problem(&codes, rules))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn word<T: std::str::FromStr<Err = String>>(v: &str) -> Result<T, String> {
    v.replace('-', "_").parse()
}

fn digitisation(v: &str) -> Result<DigitisationState, String> {
    // "digitised" is how people say it; the registry's word is mostly_digital.
    if v == "digitised" || v == "digital" {
        return Ok(DigitisationState::MostlyDigital);
    }
    word(v)
}

impl Assumption {
    pub fn parse(text: &str) -> Result<Assumption, String> {
        let form = "write kind:SUBJECT=VALUE, e.g. dataset:LAND-CADASTRE=digitised, system:IS-HEALTH=in-use, link:XL-0005=in-use, link:DATASET>TARGET=in-use, evidence:EV-PHOTO=supplied, service:SRV-0017=4";
        let (kind, rest) = text
            .split_once(':')
            .ok_or_else(|| format!("{text:?}: {form}"))?;
        let (subject, value) = rest
            .split_once('=')
            .ok_or_else(|| format!("{text:?}: {form}"))?;
        let (subject, value) = (subject.trim().to_string(), value.trim());
        if subject.is_empty() {
            return Err(format!("{text:?}: no subject; {form}"));
        }
        let bad = |e: String| format!("{text:?}: {e}");
        Ok(match kind.trim() {
            "dataset" => Assumption::Dataset {
                dataset: subject,
                state: digitisation(value).map_err(bad)?,
            },
            "system" => match word::<Lifecycle>(value) {
                Ok(lifecycle) => Assumption::SystemLifecycle {
                    system: subject,
                    lifecycle,
                },
                Err(_) => Assumption::SystemDigitisation {
                    system: subject,
                    state: digitisation(value).map_err(bad)?,
                },
            },
            "link" => match subject.split_once('>') {
                Some((d, t)) => {
                    let status: LinkStatus = word(value).map_err(bad)?;
                    if status != LinkStatus::InUse {
                        return Err(format!("{text:?}: a new link can only be assumed in-use"));
                    }
                    Assumption::NewLink {
                        dataset: d.trim().into(),
                        target: t.trim().into(),
                    }
                }
                None => Assumption::Link {
                    link: subject,
                    status: word(value).map_err(bad)?,
                },
            },
            "evidence" if value == "supplied" => Assumption::Evidence { evidence: subject },
            "service" => Assumption::Service {
                service: subject,
                stage: value
                    .parse()
                    .map_err(|_| format!("{text:?}: a stage is a number"))?,
            },
            _ => return Err(format!("{text:?}: {form}")),
        })
    }

    /// Why this assumption cannot be applied to `reg` under `rules`: a code that names no
    /// record of its kind, or a stage outside the scale. `None` when it applies.
    fn problem(&self, codes: &Codes<'_>, rules: &BlockingRules) -> Option<String> {
        let missing = |what: &str, code: &str| {
            Some(format!("{}: no {what} {code} in the registry", self.text()))
        };
        match self {
            Assumption::Dataset { dataset, .. } if !codes.datasets.contains(dataset.as_str()) => {
                missing("dataset", dataset)
            }
            Assumption::SystemLifecycle { system, .. }
            | Assumption::SystemDigitisation { system, .. }
                if !codes.systems.contains(system.as_str()) =>
            {
                missing("information system", system)
            }
            Assumption::Link { link, .. } if !codes.links.contains(link.as_str()) => {
                missing("exchange link", link)
            }
            Assumption::NewLink { dataset, .. } if !codes.datasets.contains(dataset.as_str()) => {
                missing("dataset", dataset)
            }
            Assumption::NewLink { target, .. }
                if !codes.organisations.contains(target.as_str())
                    && !codes.services.contains(target.as_str())
                    && !codes.systems.contains(target.as_str()) =>
            {
                missing("organisation, service or information system", target)
            }
            Assumption::Evidence { evidence } if !codes.evidence.contains(evidence.as_str()) => {
                missing("evidence type", evidence)
            }
            Assumption::Service { service, .. } if !codes.services.contains(service.as_str()) => {
                missing("service", service)
            }
            Assumption::Service { stage, .. } if *stage > rules.max_stage => Some(format!(
                "{}: stages go from 0 to {}",
                self.text(),
                rules.max_stage
            )),
            _ => None,
        }
    }

    /// The canonical text (what `parse` reads).
    pub fn text(&self) -> String {
        match self {
            Assumption::Dataset { dataset, state } => {
                format!("dataset:{dataset}={}", state_word(*state))
            }
            Assumption::SystemLifecycle { system, lifecycle } => {
                format!("system:{system}={}", dash(lifecycle.as_str()))
            }
            Assumption::SystemDigitisation { system, state } => {
                format!("system:{system}={}", state_word(*state))
            }
            Assumption::Link { link, status } => format!("link:{link}={}", dash(status.as_str())),
            Assumption::NewLink { dataset, target } => format!("link:{dataset}>{target}=in-use"),
            Assumption::Evidence { evidence } => format!("evidence:{evidence}=supplied"),
            Assumption::Service { service, stage } => format!("service:{service}={stage}"),
        }
    }
}

/// Digitisation states as assumptions say them ("digitised" for mostly digital).
fn state_word(state: DigitisationState) -> String {
    match state {
        DigitisationState::MostlyDigital => "digitised".into(),
        other => dash(other.as_str()),
    }
}

fn dash(s: &str) -> String {
    s.replace('_', "-")
}

/// One reason a service is capped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub condition: Condition,
    pub cap: u8,
    pub evidence: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The investment (as an assumption) that lifts this cap.
    pub investment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceGap {
    pub service: crate::Code,
    pub life_events: Vec<crate::Code>,
    pub organisation: Option<crate::Code>,
    /// The stage observed in the round, when there is one.
    pub stage: Option<u8>,
    /// The highest stage the data situation allows.
    pub ceiling: u8,
    /// The stage the service would stand at if it were built as far as its data allow (with
    /// the assumptions, when there are any): its ceiling, or the stage observed when higher.
    /// What an investment changes is the difference between this with and without it; a
    /// service nobody built up to what the data already allow is not credited to it.
    pub projected: Option<u8>,
    pub blocks: Vec<Block>,
}

impl ServiceGap {
    /// Whether the round observed the service above what the registry's data allow: its data
    /// are contradicted by what the monitors saw (a record out of date, or a rule too strict),
    /// and nothing holds it back.
    pub fn above_ceiling(&self) -> bool {
        self.stage.is_some_and(|s| s > self.ceiling)
    }

    /// Whether something in the registry's data holds the service back: it has blocks and
    /// was not observed above them.
    pub fn held_back(&self) -> bool {
        !self.blocks.is_empty() && !self.above_ceiling()
    }
}

/// How many of `services` the information systems `systems` keep below stage `full` (fully
/// online): held back ([`ServiceGap::held_back`]) by a dataset of one of them that is not
/// digital, or by one of them not in use, under `full`. They cannot be fully online until
/// those systems are digitised and in use.
pub fn held_back_by<'a>(
    services: impl IntoIterator<Item = &'a ServiceGap>,
    systems: &[String],
    full: u8,
) -> usize {
    services
        .into_iter()
        .filter(|g| {
            g.held_back()
                && g.blocks.iter().any(|b| {
                    matches!(
                        b.condition,
                        Condition::DatasetNotDigital | Condition::SystemNotInUse
                    ) && b.cap < full
                        && b.system.as_ref().is_some_and(|s| systems.contains(s))
                })
        })
        .count()
}

/// What one investment means to one service: the stages it is needed for, and the stages it
/// delivers on its own.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Contribution {
    inv: Inv,
    /// From the lowest cap it lifts, or from the stage observed when the service already stands
    /// above that cap, to the top: what the service cannot reach without it.
    needed: u8,
    /// How far the service's projected stage (built as far as its data allow) rises when this
    /// investment alone is made: none while another block holds it at the same cap.
    delivers: u8,
}

/// The investments the `blocks` of a service observed at `stage` name, on a scale whose top is
/// `max`, each with what it means to the service ([`Contribution`]); an investment the service
/// does not need (observed above what its data allow) is left out. Also how many investments
/// the blocks name in all.
fn contributions(blocks: &[BlockRef], max: u8, stage: Option<u8>) -> (Vec<Contribution>, usize) {
    let mut invs: Vec<Inv> = blocks.iter().map(|b| b.inv).collect();
    invs.sort_unstable();
    invs.dedup();
    let named = invs.len();
    let cap = |keep: &dyn Fn(&BlockRef) -> bool| {
        blocks
            .iter()
            .filter(|b| keep(b))
            .map(|b| b.cap)
            .min()
            .unwrap_or(max)
    };
    let projected = |ceiling: u8| stage.map_or(ceiling, |s| s.max(ceiling));
    let now = projected(cap(&|_| true));
    let gains = invs
        .into_iter()
        .filter_map(|inv| {
            let lowest = cap(&|b| b.inv == inv);
            let needed = max.saturating_sub(lowest.max(stage.unwrap_or(0)));
            let delivers = projected(cap(&|b| b.inv != inv)).saturating_sub(now);
            (needed > 0).then_some(Contribution {
                inv,
                needed,
                delivers,
            })
        })
        .collect();
    (gains, named)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unlock {
    pub service: String,
    /// Stages this investment is responsible for: max stage minus the lowest cap it lifts.
    pub stages: u8,
    /// Stages the service's projected stage rises by when this investment alone is made.
    pub delivers: u8,
    /// True when this investment alone lets the service reach the top stage.
    pub alone: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Investment {
    /// The assumption that stands for the investment (feed it to `--assume`).
    pub id: String,
    pub kind: &'static str,
    pub subject: String,
    pub unlocks: Vec<Unlock>,
    pub life_events: Vec<String>,
    /// Σ stages unlocked × weight (yearly transactions when given, else 1): the stages it is
    /// needed for.
    pub score: f64,
    /// Σ stages it delivers on its own × weight: how far the projected stages rise when only
    /// this investment is made. The ranking's first key.
    pub delivers: f64,
    /// The investments it goes with: those holding the same services at its cap or below,
    /// which must be made too before it delivers there (ids, the most shared first).
    pub with: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Score per unit of cost, when the cost is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_per_cost: Option<f64>,
}

impl Investment {
    /// How many of the services that need it it would let go further on its own.
    pub fn moves(&self) -> usize {
        self.unlocks.iter().filter(|u| u.delivers > 0).count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub kind: &'static str,
    pub subject: String,
    /// The finding in English (the API's and the command line's text).
    pub detail: String,
    /// The message that words it in a reader's language (`finding-...` in the interface's
    /// messages) and its arguments.
    #[serde(skip)]
    pub message: &'static str,
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub assumptions: Vec<String>,
    pub services: Vec<ServiceGap>,
    /// Ranked: highest score first.
    pub investments: Vec<Investment>,
    pub findings: Vec<Finding>,
}

/// Options that weigh the ranking.
#[derive(Debug, Clone, Default)]
pub struct Weights {
    /// Yearly transactions per service code.
    pub volumes: HashMap<String, f64>,
    /// Cost per investment id.
    pub costs: HashMap<String, f64>,
    /// Rank by score per unit of cost instead of score.
    pub by_cost: bool,
}

/// FNV-1a: registry codes are short strings; a fast hash keeps indexing a large registry cheap
/// (the standard SipHash guards against hostile keys, which registry codes are not).
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Lists of indices per key, stored flat (compressed rows): a registry of 100,000 services
/// needs a handful of allocations instead of hundreds of thousands of small vectors.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Csr {
    /// From (key, item) pairs, keys below `n`; items keep their order within a key.
    fn new(n: usize, pairs: &[(u32, u32)]) -> Csr {
        let mut start = vec![0u32; n + 1];
        for &(k, _) in pairs {
            start[k as usize + 1] += 1;
        }
        for k in 0..n {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(k, v) in pairs {
            items[fill[k as usize] as usize] = v;
            fill[k as usize] += 1;
        }
        Csr { start, items }
    }

    fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    fn iter(&self) -> impl Iterator<Item = &[u32]> {
        (0..self.len()).map(|k| &self[k])
    }
}

impl std::ops::Index<usize> for Csr {
    type Output = [u32];

    fn index(&self, k: usize) -> &[u32] {
        &self.items[self.start[k] as usize..self.start[k + 1] as usize]
    }
}

/// An investment as indices into the registry: cheap to hash, copy and compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Inv {
    Digitise(u32),
    Build(u32),
    Link(u32),
    /// (dataset, organisation)
    NewLink(u32, u32),
    Supply(u32),
    /// (service, stage)
    Output(u32, u8),
}

/// One reason as indices (see [`Block`] for the resolved form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockRef {
    pub condition: Condition,
    pub cap: u8,
    pub evidence: u32,
    pub dataset: Option<u32>,
    pub system: Option<u32>,
    pub link: Option<u32>,
    pub service: Option<u32>,
    pub organisation: Option<u32>,
    pub inv: Inv,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapRef {
    pub service: u32,
    pub stage: Option<u8>,
    pub ceiling: u8,
    pub projected: Option<u8>,
    /// Where its blocks are in [`Compact::blocks`]: (start, count).
    pub blocks: (u32, u32),
}

/// An investment's tally: what the ranking needs. Which services it unlocks is read back from
/// the blocks when the analysis is resolved, so a what-if touches only a few numbers here.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentRef {
    pub inv: Inv,
    pub score: f64,
    /// Stages delivered on its own, weighted ([`Investment::delivers`]).
    pub delivers: f64,
    /// How many services it unlocks stages of.
    pub services: u32,
    /// (life event, services of it unlocked), without zeros.
    pub life_events: Vec<(u32, u32)>,
    pub cost: Option<f64>,
}

/// An analysis in indices: what `what_if` starts from and `resolve` turns into [`Analysis`].
/// Blocks are stored flat, so copying an analysis for a what-if is a few memory copies.
#[derive(Debug, Clone, PartialEq)]
pub struct Compact {
    pub assumptions: Vec<Assumption>,
    pub services: Vec<GapRef>,
    /// The blocks of the analysis a what-if started from, shared, not copied.
    pub blocks: std::sync::Arc<Vec<BlockRef>>,
    /// Blocks of services a what-if analysed again (their start has [`EXTRA`] set).
    pub extra: Vec<BlockRef>,
    /// Per registry service: its place in `services` (`u32::MAX` for withdrawn services).
    pub position: Vec<u32>,
    pub investments: Vec<InvestmentRef>,
}

/// Marks a block range in [`Compact::extra`] rather than in the shared blocks.
pub const EXTRA: u32 = 1 << 31;

impl Compact {
    pub fn blocks_of(&self, g: &GapRef) -> &[BlockRef] {
        let (start, n) = (g.blocks.0 & !EXTRA, g.blocks.1);
        let all = if g.blocks.0 & EXTRA != 0 {
            &self.extra
        } else {
            &*self.blocks
        };
        &all[start as usize..(start + n) as usize]
    }
}

/// The registry indexed once for repeated analyses (what-ifs re-use it).
pub struct Graph<'r> {
    reg: &'r Registry,
    rules: &'r BlockingRules,
    evidence: FastMap<&'r str, u32>,
    /// Evidence codes by index.
    ev_codes: Vec<&'r str>,
    /// Evidence index -> datasets supplying it.
    datasets_for: Csr,
    /// Evidence index -> services whose output is that evidence.
    producers_for: Csr,
    /// Evidence index -> services requiring it.
    requirers: Csr,
    /// Per service: its evidence indices.
    needs: Csr,
    /// Per service: its organisation indices, lead first.
    orgs: Csr,
    /// Per service: whether it is offered on an online portal.
    on_portal: Vec<bool>,
    /// Per service: its life-event indices.
    les: Csr,
    /// Per dataset: its system, if the system is in the registry.
    dataset_system: Vec<Option<u32>>,
    /// Per system: its owner.
    system_owner: Vec<Option<u32>>,
    /// Per dataset: links leaving it (directly or through its system).
    links_from: Csr,
    /// Per link: (target service, target system).
    link_target: Vec<(Option<u32>, Option<u32>)>,
    dataset: FastMap<&'r str, u32>,
    system: FastMap<&'r str, u32>,
    service: FastMap<&'r str, u32>,
    org: FastMap<&'r str, u32>,
    link: FastMap<&'r str, u32>,
}

/// What a what-if changes, in indices.
#[derive(Default)]
struct Overrides {
    dataset_state: FastMap<u32, DigitisationState>,
    system_state: FastMap<u32, DigitisationState>,
    system_lifecycle: FastMap<u32, Lifecycle>,
    link_status: FastMap<u32, LinkStatus>,
    /// dataset -> targets: organisations, services or systems (as organisation owners).
    new_links: FastMap<u32, Vec<NewTarget>>,
    evidence: Vec<u32>,
    stages: FastMap<u32, u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NewTarget {
    Org(u32),
    Service(u32),
}

/// A path step before it is known whether the path is the best one.
type Path = ([Option<BlockRef>; 4], bool);

fn path_cap(p: &Path, max: u8) -> u8 {
    p.0.iter().flatten().map(|b| b.cap).min().unwrap_or(max)
}

fn index<'r>(codes: impl Iterator<Item = &'r str>) -> FastMap<&'r str, u32> {
    codes.enumerate().map(|(i, c)| (c, i as u32)).collect()
}

impl<'r> Graph<'r> {
    pub fn new(reg: &'r Registry, rules: &'r BlockingRules) -> Graph<'r> {
        // Evidence codes the registry uses without defining them still get an index, so a
        // required but unknown evidence type shows up as unsupplied instead of vanishing.
        let mut ev_codes: Vec<&str> = reg.evidence_types.iter().map(|e| e.code.as_str()).collect();
        let mut evidence = index(ev_codes.iter().copied());
        let used = reg
            .services
            .iter()
            .flat_map(|s| s.evidence.iter())
            .chain(reg.datasets.iter().flat_map(|d| d.supplies.iter()))
            .chain(reg.outputs.iter().filter_map(|o| o.evidence_type.as_ref()));
        for e in used {
            if !evidence.contains_key(e.as_str()) {
                evidence.insert(e.as_str(), ev_codes.len() as u32);
                ev_codes.push(e.as_str());
            }
        }
        let dataset = index(reg.datasets.iter().map(|d| d.code.as_str()));
        let system = index(reg.information_systems.iter().map(|s| s.code.as_str()));
        let service = index(reg.services.iter().map(|s| s.code.as_str()));
        let org = index(reg.organisations.iter().map(|o| o.code.as_str()));
        let link = index(reg.exchange_links.iter().map(|l| l.code.as_str()));
        let life_event = index(reg.life_events.iter().map(|l| l.code.as_str()));
        let n_ev = ev_codes.len();
        let mut pairs = Vec::new();
        for (i, d) in reg.datasets.iter().enumerate() {
            if d.status == Status::Active {
                for e in &d.supplies {
                    if let Some(&x) = evidence.get(e.as_str()) {
                        pairs.push((x, i as u32));
                    }
                }
            }
        }
        let datasets_for = Csr::new(n_ev, &pairs);
        let outputs: FastMap<&str, u32> = reg
            .outputs
            .iter()
            .filter(|o| o.status == Status::Active)
            .filter_map(|o| {
                o.evidence_type
                    .as_ref()
                    .and_then(|e| evidence.get(e.as_str()))
                    .map(|&x| (o.code.as_str(), x))
            })
            .collect();
        let (mut producers, mut required, mut need_pairs, mut org_pairs, mut le_pairs) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut on_portal = Vec::with_capacity(reg.services.len());
        for (i, s) in reg.services.iter().enumerate() {
            let active = s.status != ServiceStatus::Withdrawn;
            for o in &s.outputs {
                if let (true, Some(&e)) = (active, outputs.get(o.as_str())) {
                    producers.push((e, i as u32));
                }
            }
            for e in s
                .evidence
                .iter()
                .filter_map(|e| evidence.get(e.as_str()).copied())
            {
                required.push((e, i as u32));
                need_pairs.push((i as u32, e));
            }
            for o in s
                .organisations
                .iter()
                .filter_map(|o| org.get(o.as_str()).copied())
            {
                org_pairs.push((i as u32, o));
            }
            for l in s
                .life_events
                .iter()
                .filter_map(|l| life_event.get(l.as_str()).copied())
            {
                le_pairs.push((i as u32, l));
            }
            on_portal.push(s.channels.iter().any(|c| {
                c.channel_type == ChannelType::OnlinePortal && c.status == Status::Active
            }));
        }
        let n_sv = reg.services.len();
        let (producers_for, requirers) = (Csr::new(n_ev, &producers), Csr::new(n_ev, &required));
        let (needs, orgs, les) = (
            Csr::new(n_sv, &need_pairs),
            Csr::new(n_sv, &org_pairs),
            Csr::new(n_sv, &le_pairs),
        );
        let dataset_system: Vec<Option<u32>> = reg
            .datasets
            .iter()
            .map(|d| system.get(d.system.as_str()).copied())
            .collect();
        let system_owner = reg
            .information_systems
            .iter()
            .map(|s| org.get(s.owner.as_str()).copied())
            .collect();
        let mut datasets_of_system: Vec<Vec<u32>> = vec![Vec::new(); reg.information_systems.len()];
        for (d, s) in dataset_system.iter().enumerate() {
            if let Some(s) = s {
                datasets_of_system[*s as usize].push(d as u32);
            }
        }
        let mut link_pairs = Vec::new();
        let mut link_target = Vec::with_capacity(reg.exchange_links.len());
        for (i, l) in reg.exchange_links.iter().enumerate() {
            if let Some(&d) = l
                .source_dataset
                .as_ref()
                .and_then(|d| dataset.get(d.as_str()))
            {
                link_pairs.push((d, i as u32));
            }
            if let Some(&s) = l
                .source_system
                .as_ref()
                .and_then(|s| system.get(s.as_str()))
            {
                for &d in &datasets_of_system[s as usize] {
                    link_pairs.push((d, i as u32));
                }
            }
            link_target.push((
                l.target_service
                    .as_ref()
                    .and_then(|t| service.get(t.as_str()).copied()),
                l.target_system
                    .as_ref()
                    .and_then(|t| system.get(t.as_str()).copied()),
            ));
        }
        let links_from = Csr::new(reg.datasets.len(), &link_pairs);
        Graph {
            reg,
            rules,
            evidence,
            ev_codes,
            datasets_for,
            producers_for,
            requirers,
            needs,
            orgs,
            on_portal,
            les,
            dataset_system,
            system_owner,
            links_from,
            link_target,
            dataset,
            system,
            service,
            org,
            link,
        }
    }

    fn overrides(&self, assumptions: &[Assumption]) -> Overrides {
        let mut o = Overrides::default();
        for a in assumptions {
            match a {
                Assumption::Dataset { dataset, state } => {
                    if let Some(&d) = self.dataset.get(dataset.as_str()) {
                        o.dataset_state.insert(d, *state);
                    }
                }
                Assumption::SystemLifecycle { system, lifecycle } => {
                    if let Some(&s) = self.system.get(system.as_str()) {
                        o.system_lifecycle.insert(s, *lifecycle);
                    }
                }
                Assumption::SystemDigitisation { system, state } => {
                    if let Some(&s) = self.system.get(system.as_str()) {
                        o.system_state.insert(s, *state);
                    }
                }
                Assumption::Link { link, status } => {
                    if let Some(&l) = self.link.get(link.as_str()) {
                        o.link_status.insert(l, *status);
                    }
                }
                Assumption::NewLink { dataset, target } => {
                    let Some(&d) = self.dataset.get(dataset.as_str()) else {
                        continue;
                    };
                    let t = if let Some(&x) = self.org.get(target.as_str()) {
                        Some(NewTarget::Org(x))
                    } else if let Some(&x) = self.service.get(target.as_str()) {
                        Some(NewTarget::Service(x))
                    } else {
                        self.system
                            .get(target.as_str())
                            .and_then(|&s| self.system_owner[s as usize])
                            .map(NewTarget::Org)
                    };
                    o.new_links.entry(d).or_default().extend(t);
                }
                Assumption::Evidence { evidence } => o
                    .evidence
                    .extend(self.evidence.get(evidence.as_str()).copied()),
                Assumption::Service { service, stage } => {
                    if let Some(&s) = self.service.get(service.as_str()) {
                        o.stages.insert(s, *stage);
                    }
                }
            }
        }
        o
    }

    /// The stage observed for each registry service, from stages keyed by service code.
    pub fn observed(&self, stages: &HashMap<String, u8>) -> Vec<Option<u8>> {
        self.reg
            .services
            .iter()
            .map(|s| stages.get(s.code.as_str()).copied())
            .collect()
    }

    /// Analyses every service (the compact form, for what-ifs and benchmarks); `observed` is
    /// [`Graph::observed`].
    pub fn compute(
        &self,
        observed: &[Option<u8>],
        assumptions: &[Assumption],
        weights: &Weights,
    ) -> Compact {
        let o = self.overrides(assumptions);
        let active: Vec<u32> = (0..self.reg.services.len() as u32)
            .filter(|&i| self.reg.services[i as usize].status != ServiceStatus::Withdrawn)
            .collect();
        let chunks: Vec<&[u32]> = active.chunks(4096).collect();
        let parts = crate::scoring::par_map(&chunks, |chunk| {
            let mut blocks = Vec::new();
            let gaps: Vec<GapRef> = chunk
                .iter()
                .map(|&i| self.gap(i, observed, &o, &mut blocks))
                .collect();
            (gaps, blocks)
        });
        let mut services = Vec::with_capacity(active.len());
        let mut blocks = Vec::new();
        for (gaps, part) in parts {
            let offset = blocks.len() as u32;
            services.extend(gaps.into_iter().map(|mut g| {
                g.blocks.0 += offset;
                g
            }));
            blocks.extend(part);
        }
        let mut position = vec![u32::MAX; self.reg.services.len()];
        for (k, g) in services.iter().enumerate() {
            position[g.service as usize] = k as u32;
        }
        let mut c = Compact {
            assumptions: assumptions.to_vec(),
            services,
            blocks: std::sync::Arc::new(blocks),
            extra: Vec::new(),
            position,
            investments: Vec::new(),
        };
        let mut tally: FastMap<Inv, InvestmentRef> = FastMap::default();
        for g in &c.services {
            self.add_contribution(&mut tally, g, c.blocks_of(g), weights, 1.0);
        }
        c.investments = self.finish(tally, weights);
        c
    }

    /// Analyses every service, resolved to codes: what reports and pages show.
    pub fn analyse(
        &self,
        stages: &HashMap<String, u8>,
        assumptions: &[Assumption],
        weights: &Weights,
    ) -> Analysis {
        self.resolve(&self.compute(&self.observed(stages), assumptions, weights))
    }

    /// A what-if on top of an analysis without assumptions: only the services whose evidence
    /// the assumptions touch are analysed again, and only their share of the ranking changes.
    pub fn what_if(
        &self,
        base: &Compact,
        observed: &[Option<u8>],
        assumptions: &[Assumption],
        weights: &Weights,
    ) -> Compact {
        let o = self.overrides(assumptions);
        let mut evidence: Vec<u32> = o.evidence.clone();
        let mut direct: Vec<u32> = Vec::new();
        let of_dataset = |d: u32, out: &mut Vec<u32>| {
            out.extend(
                self.reg.datasets[d as usize]
                    .supplies
                    .iter()
                    .filter_map(|e| self.evidence.get(e.as_str()).copied()),
            );
        };
        for &d in o.dataset_state.keys().chain(o.new_links.keys()) {
            of_dataset(d, &mut evidence);
        }
        for &s in o.system_state.keys().chain(o.system_lifecycle.keys()) {
            for (d, sys) in self.dataset_system.iter().enumerate() {
                if *sys == Some(s) {
                    of_dataset(d as u32, &mut evidence);
                }
            }
        }
        for &l in o.link_status.keys() {
            for (d, links) in self.links_from.iter().enumerate() {
                if links.contains(&l) {
                    of_dataset(d as u32, &mut evidence);
                }
            }
        }
        for &s in o.stages.keys() {
            direct.push(s);
            for (e, producers) in self.producers_for.iter().enumerate() {
                if producers.contains(&s) {
                    evidence.push(e as u32);
                }
            }
        }
        let mut affected: Vec<u32> = evidence
            .iter()
            .flat_map(|&e| self.requirers[e as usize].iter().copied())
            .chain(direct)
            .collect();
        affected.sort_unstable();
        affected.dedup();
        let mut c = Compact {
            assumptions: assumptions.to_vec(),
            services: base.services.clone(),
            blocks: base.blocks.clone(),
            // A what-if on a what-if keeps the blocks the first one added.
            extra: base.extra.clone(),
            position: base.position.clone(),
            investments: Vec::new(),
        };
        let mut tally: FastMap<Inv, InvestmentRef> = base
            .investments
            .iter()
            .map(|i| (i.inv, i.clone()))
            .collect();
        for i in affected {
            let k = base.position[i as usize];
            if k == u32::MAX {
                continue;
            }
            let old = base.services[k as usize];
            self.add_contribution(&mut tally, &old, base.blocks_of(&old), weights, -1.0);
            let mut gap = self.gap(i, observed, &o, &mut c.extra);
            gap.blocks.0 |= EXTRA;
            self.add_contribution(&mut tally, &gap, c.blocks_of(&gap), weights, 1.0);
            c.services[k as usize] = gap;
        }
        c.investments = self.finish(tally, weights);
        c
    }

    fn cap(&self, c: Condition) -> Option<u8> {
        self.rules.rule(c).map(|r| r.cap)
    }

    /// Analyses one service, appending its blocks to `blocks`.
    fn gap(
        &self,
        i: u32,
        observed: &[Option<u8>],
        o: &Overrides,
        blocks: &mut Vec<BlockRef>,
    ) -> GapRef {
        let stage = o.stages.get(&i).copied().or(observed[i as usize]);
        let start = blocks.len();
        for &e in &self.needs[i as usize] {
            blocks.extend(self.best_supply(i, e, observed, o).0.into_iter().flatten());
        }
        let ceiling = blocks[start..]
            .iter()
            .map(|b| b.cap)
            .min()
            .unwrap_or(self.rules.max_stage);
        GapRef {
            service: i,
            stage,
            ceiling,
            projected: stage.map(|s| s.max(ceiling)),
            blocks: (start as u32, (blocks.len() - start) as u32),
        }
    }

    fn block(&self, condition: Condition, evidence: u32, inv: Inv) -> BlockRef {
        BlockRef {
            condition,
            cap: self.cap(condition).unwrap_or(self.rules.max_stage),
            evidence,
            dataset: None,
            system: None,
            link: None,
            service: None,
            organisation: None,
            inv,
        }
    }

    /// The blocks on the best way to get one piece of evidence: highest cap; on equal caps data
    /// from a register wins over a document the applicant first has to obtain elsewhere (the
    /// once-only route); then the fewest blocks.
    fn best_supply(&self, i: u32, e: u32, observed: &[Option<u8>], o: &Overrides) -> Path {
        let max = self.rules.max_stage;
        if o.evidence.contains(&e) {
            return ([None; 4], false);
        }
        let key = |p: &Path| {
            (
                std::cmp::Reverse(path_cap(p, max)),
                p.1,
                p.0.iter().flatten().count(),
            )
        };
        let mut best: Option<Path> = None;
        let mut consider = |p: Path| {
            if best.as_ref().is_none_or(|b| key(&p) < key(b)) {
                best = Some(p);
            }
        };
        for &d in &self.datasets_for[e as usize] {
            consider((self.dataset_path(i, d, e, o), false));
        }
        for &p in &self.producers_for[e as usize] {
            if p == i {
                continue;
            }
            let st = o.stages.get(&p).copied().or(observed[p as usize]);
            let mut path = [None; 4];
            if let Some(rule) = self.rules.rule(Condition::OutputNotElectronic)
                && st.is_none_or(|st| st < rule.below_stage)
            {
                let mut b = self.block(
                    Condition::OutputNotElectronic,
                    e,
                    Inv::Output(p, rule.below_stage),
                );
                b.service = Some(p);
                path[0] = Some(b);
            }
            consider((path, true));
        }
        match best {
            Some(p) => p,
            None => {
                let mut path = [None; 4];
                if self.cap(Condition::EvidenceUnsupplied).is_some() {
                    path[0] = Some(self.block(Condition::EvidenceUnsupplied, e, Inv::Supply(e)));
                }
                (path, false)
            }
        }
    }

    fn dataset_path(&self, i: u32, d: u32, e: u32, o: &Overrides) -> [Option<BlockRef>; 4] {
        let mut path = [None; 4];
        let Some(sys) = self.dataset_system[d as usize] else {
            return path;
        };
        let system = &self.reg.information_systems[sys as usize];
        let lifecycle = o
            .system_lifecycle
            .get(&sys)
            .copied()
            .unwrap_or(system.lifecycle);
        if lifecycle != Lifecycle::InUse && self.cap(Condition::SystemNotInUse).is_some() {
            let mut b = self.block(Condition::SystemNotInUse, e, Inv::Build(sys));
            b.system = Some(sys);
            b.dataset = Some(d);
            path[0] = Some(b);
        }
        let state = o
            .dataset_state
            .get(&d)
            .or_else(|| o.system_state.get(&sys))
            .copied()
            .unwrap_or(system.digitisation.state);
        if let Some(rule) = self.rules.rule(Condition::DatasetNotDigital)
            && rule.states.contains(&state)
        {
            let mut b = self.block(Condition::DatasetNotDigital, e, Inv::Digitise(d));
            b.system = Some(sys);
            b.dataset = Some(d);
            path[1] = Some(b);
        }
        if self.cap(Condition::NoExchangeInUse).is_some() && !self.reaches(i, d, o) {
            let lead = self.orgs[i as usize].first().copied();
            // Prefer naming a link the registry already plans over inventing one.
            let planned = self.links_from[d as usize].iter().copied().find(|&l| {
                self.reg.exchange_links[l as usize].status != LinkStatus::Withdrawn
                    && self.link_targets(l, i)
            });
            let inv = match (planned, lead) {
                (Some(l), _) => Inv::Link(l),
                (None, Some(org)) => Inv::NewLink(d, org),
                (None, None) => Inv::Supply(e),
            };
            let mut b = self.block(Condition::NoExchangeInUse, e, inv);
            b.dataset = Some(d);
            b.system = Some(sys);
            b.link = planned;
            b.organisation = lead;
            path[2] = Some(b);
        }
        path
    }

    /// Whether link `l` ends at service `i`: at the service itself, at a system of one of its
    /// organisations, or at a portal (a system that is not a base registry) it is offered on.
    fn link_targets(&self, l: u32, i: u32) -> bool {
        let (service, system) = self.link_target[l as usize];
        if service == Some(i) {
            return true;
        }
        let Some(t) = system else { return false };
        let owner = self.system_owner[t as usize];
        owner.is_some_and(|o| self.orgs[i as usize].contains(&o))
            || (!self.reg.information_systems[t as usize].base_registry
                && self.on_portal[i as usize])
    }

    /// Whether dataset `d` reaches service `i`: held by a competent organisation, or carried by
    /// a link in use (in the registry or assumed).
    fn reaches(&self, i: u32, d: u32, o: &Overrides) -> bool {
        let orgs = &self.orgs[i as usize];
        if let Some(sys) = self.dataset_system[d as usize]
            && self.system_owner[sys as usize].is_some_and(|owner| orgs.contains(&owner))
        {
            return true;
        }
        let in_use = self.links_from[d as usize].iter().any(|&l| {
            let link = &self.reg.exchange_links[l as usize];
            let status = o.link_status.get(&l).copied().unwrap_or(link.status);
            status == LinkStatus::InUse && self.link_targets(l, i)
        });
        in_use
            || o.new_links.get(&d).is_some_and(|targets| {
                targets.iter().any(|t| match t {
                    NewTarget::Org(x) => orgs.contains(x),
                    NewTarget::Service(x) => *x == i,
                })
            })
    }

    /// Adds (`sign` 1) or removes (`sign` -1) what one service contributes to the ranking:
    /// for each investment among its blocks, the stages it is responsible for
    /// ([`contributions`]), weighted by the service's yearly transactions when known.
    fn add_contribution(
        &self,
        tally: &mut FastMap<Inv, InvestmentRef>,
        g: &GapRef,
        blocks: &[BlockRef],
        w: &Weights,
        sign: f64,
    ) {
        let weight = if w.volumes.is_empty() {
            1.0
        } else {
            w.volumes
                .get(self.reg.services[g.service as usize].code.as_str())
                .copied()
                .unwrap_or(1.0)
        };
        for c in contributions(blocks, self.rules.max_stage, g.stage).0 {
            let inv = c.inv;
            let entry = tally.entry(inv).or_insert_with(|| InvestmentRef {
                inv,
                score: 0.0,
                delivers: 0.0,
                services: 0,
                life_events: Vec::new(),
                cost: None,
            });
            entry.score += sign * f64::from(c.needed) * weight;
            entry.delivers += sign * f64::from(c.delivers) * weight;
            for &le in &self.les[g.service as usize] {
                match entry.life_events.iter_mut().find(|(l, _)| *l == le) {
                    Some((_, n)) if sign > 0.0 => *n += 1,
                    Some((_, n)) => *n = n.saturating_sub(1),
                    None if sign > 0.0 => entry.life_events.push((le, 1)),
                    None => {}
                }
            }
            entry.life_events.retain(|(_, n)| *n > 0);
            entry.services = if sign > 0.0 {
                entry.services + 1
            } else {
                entry.services.saturating_sub(1)
            };
        }
    }

    /// The ranking from the tallies: what an investment delivers on its own first, then what
    /// it is needed for (or its score per unit of cost, when ranking by cost), then the most
    /// life events, then a stable order.
    fn finish(&self, tally: FastMap<Inv, InvestmentRef>, w: &Weights) -> Vec<InvestmentRef> {
        let mut out: Vec<InvestmentRef> = tally
            .into_values()
            .filter(|i| i.services > 0)
            .map(|mut i| {
                i.life_events.sort_unstable();
                i.cost = if w.costs.is_empty() {
                    None
                } else {
                    w.costs.get(&self.assumption(i.inv).text()).copied()
                };
                i
            })
            .collect();
        let per_cost = |x: &InvestmentRef| x.cost.filter(|c| *c > 0.0).map(|c| x.score / c);
        let key = |x: &InvestmentRef| {
            if w.by_cost {
                per_cost(x).unwrap_or(f64::NEG_INFINITY)
            } else {
                x.score
            }
        };
        out.sort_by(|a, b| {
            let delivered = match w.by_cost {
                true => std::cmp::Ordering::Equal,
                false => b.delivers.total_cmp(&a.delivers),
            };
            delivered
                .then(key(b).total_cmp(&key(a)))
                .then(b.life_events.len().cmp(&a.life_events.len()))
                .then(a.inv.cmp(&b.inv))
        });
        out
    }

    /// The assumption that stands for an investment.
    pub fn assumption(&self, inv: Inv) -> Assumption {
        let r = self.reg;
        match inv {
            Inv::Digitise(d) => Assumption::Dataset {
                dataset: r.datasets[d as usize].code.as_str().into(),
                state: DigitisationState::MostlyDigital,
            },
            Inv::Build(s) => Assumption::SystemLifecycle {
                system: r.information_systems[s as usize].code.as_str().into(),
                lifecycle: Lifecycle::InUse,
            },
            Inv::Link(l) => Assumption::Link {
                link: r.exchange_links[l as usize].code.as_str().into(),
                status: LinkStatus::InUse,
            },
            Inv::NewLink(d, o) => Assumption::NewLink {
                dataset: r.datasets[d as usize].code.as_str().into(),
                target: r.organisations[o as usize].code.as_str().into(),
            },
            Inv::Supply(e) => Assumption::Evidence {
                evidence: self.ev_codes[e as usize].into(),
            },
            Inv::Output(s, stage) => Assumption::Service {
                service: r.services[s as usize].code.as_str().into(),
                stage,
            },
        }
    }

    fn kind_of(&self, inv: Inv) -> (&'static str, String) {
        let r = self.reg;
        match inv {
            Inv::Digitise(d) => ("digitise_dataset", r.datasets[d as usize].code.to_string()),
            Inv::Build(s) => (
                "build_system",
                r.information_systems[s as usize].code.to_string(),
            ),
            Inv::Link(l) => ("open_link", r.exchange_links[l as usize].code.to_string()),
            Inv::NewLink(d, o) => (
                "new_link",
                format!(
                    "{} > {}",
                    r.datasets[d as usize].code, r.organisations[o as usize].code
                ),
            ),
            Inv::Supply(e) => ("supply_evidence", self.ev_codes[e as usize].to_string()),
            Inv::Output(s, _) => ("electronic_output", r.services[s as usize].code.to_string()),
        }
    }

    /// The compact analysis with codes instead of indices.
    pub fn resolve(&self, c: &Compact) -> Analysis {
        let r = self.reg;
        let code = |v: &[&'r str], i: Option<u32>| i.map(|i| v[i as usize].to_string());
        let ev = &self.ev_codes;
        let ds: Vec<&str> = r.datasets.iter().map(|e| e.code.as_str()).collect();
        let sy: Vec<&str> = r
            .information_systems
            .iter()
            .map(|e| e.code.as_str())
            .collect();
        let li: Vec<&str> = r.exchange_links.iter().map(|e| e.code.as_str()).collect();
        let sv: Vec<&str> = r.services.iter().map(|e| e.code.as_str()).collect();
        let og: Vec<&str> = r.organisations.iter().map(|e| e.code.as_str()).collect();
        let le: Vec<&str> = r.life_events.iter().map(|e| e.code.as_str()).collect();
        let services: Vec<ServiceGap> = c
            .services
            .iter()
            .map(|g| ServiceGap {
                service: r.services[g.service as usize].code.clone(),
                life_events: r.services[g.service as usize].life_events.clone(),
                organisation: r.services[g.service as usize]
                    .organisations
                    .first()
                    .cloned(),
                stage: g.stage,
                ceiling: g.ceiling,
                projected: g.projected,
                blocks: c
                    .blocks_of(g)
                    .iter()
                    .map(|b| Block {
                        condition: b.condition,
                        cap: b.cap,
                        evidence: ev[b.evidence as usize].to_string(),
                        dataset: code(&ds, b.dataset),
                        system: code(&sy, b.system),
                        link: code(&li, b.link),
                        service: code(&sv, b.service),
                        organisation: code(&og, b.organisation),
                        investment: self.assumption(b.inv).text(),
                    })
                    .collect(),
            })
            .collect();
        // Which services each investment unlocks, read back from the blocks, and what else
        // holds those services at its cap or below.
        let mut unlocks: FastMap<Inv, Vec<Unlock>> = FastMap::default();
        let mut with: FastMap<Inv, FastMap<Inv, u32>> = FastMap::default();
        for g in &c.services {
            let blocks = c.blocks_of(g);
            let (gains, named) = contributions(blocks, self.rules.max_stage, g.stage);
            for x in &gains {
                let lowest = blocks
                    .iter()
                    .filter(|b| b.inv == x.inv)
                    .map(|b| b.cap)
                    .min();
                let others = with.entry(x.inv).or_default();
                let mut seen: Vec<Inv> = blocks
                    .iter()
                    .filter(|b| b.inv != x.inv && Some(b.cap) <= lowest)
                    .map(|b| b.inv)
                    .collect();
                seen.sort_unstable();
                seen.dedup();
                for o in seen {
                    *others.entry(o).or_default() += 1;
                }
            }
            for x in gains {
                unlocks.entry(x.inv).or_default().push(Unlock {
                    service: sv[g.service as usize].to_string(),
                    stages: x.needed,
                    delivers: x.delivers,
                    alone: named == 1,
                });
            }
        }
        let investments = c
            .investments
            .iter()
            .map(|i| {
                let (kind, subject) = self.kind_of(i.inv);
                Investment {
                    id: self.assumption(i.inv).text(),
                    kind,
                    subject,
                    unlocks: unlocks.remove(&i.inv).unwrap_or_default(),
                    life_events: i
                        .life_events
                        .iter()
                        .map(|&(l, _)| le[l as usize].to_string())
                        .collect(),
                    score: i.score,
                    delivers: i.delivers,
                    with: {
                        let mut others: Vec<(Inv, u32)> = with
                            .remove(&i.inv)
                            .unwrap_or_default()
                            .into_iter()
                            .collect();
                        others.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                        others
                            .into_iter()
                            .map(|(o, _)| self.assumption(o).text())
                            .collect()
                    },
                    cost: i.cost,
                    score_per_cost: i.cost.filter(|c| *c > 0.0).map(|c| i.score / c),
                }
            })
            .collect();
        Analysis {
            assumptions: c.assumptions.iter().map(Assumption::text).collect(),
            investments,
            findings: self
                .findings()
                .into_iter()
                .chain(observed_above(&services))
                .collect(),
            services,
        }
    }

    /// Problems in the registry itself: evidence nobody can supply, links touching withdrawn
    /// records, and services that need each other's output in a circle.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = BTreeSet::new();
        let r = self.reg;
        let mut required = vec![false; self.ev_codes.len()];
        for (i, need) in self.needs.iter().enumerate() {
            if r.services[i].status != ServiceStatus::Withdrawn {
                for &e in need {
                    required[e as usize] = true;
                }
            }
        }
        for (e, _) in required.iter().enumerate().filter(|(_, r)| **r) {
            if self.datasets_for[e].is_empty() && self.producers_for[e].is_empty() {
                let code = self.ev_codes[e];
                out.insert(Finding {
                    kind: "evidence_unsupplied",
                    subject: code.into(),
                    detail: format!("no dataset and no service output supplies {code}"),
                    message: "finding-evidence-unsupplied",
                    args: vec![("evidence", code.to_string())],
                });
            }
        }
        for l in &r.exchange_links {
            if l.status == LinkStatus::Withdrawn {
                continue;
            }
            for sys in [&l.source_system, &l.target_system].into_iter().flatten() {
                if let Some(&x) = self.system.get(sys.as_str())
                    && r.information_systems[x as usize].lifecycle == Lifecycle::Withdrawn
                {
                    out.insert(Finding {
                        kind: "link_to_withdrawn",
                        subject: l.code.as_str().into(),
                        detail: format!(
                            "{} is {} but touches the withdrawn system {sys}",
                            l.code,
                            dash(l.status.as_str())
                        ),
                        message: "finding-link-withdrawn-system",
                        args: vec![
                            ("link", l.code.to_string()),
                            ("status", l.status.as_str().to_string()),
                            ("system", sys.to_string()),
                        ],
                    });
                }
            }
            if let Some(t) = &l.target_service
                && self
                    .service
                    .get(t.as_str())
                    .is_some_and(|&x| r.services[x as usize].status == ServiceStatus::Withdrawn)
            {
                out.insert(Finding {
                    kind: "link_to_withdrawn",
                    subject: l.code.as_str().into(),
                    detail: format!("{} leads to the withdrawn service {t}", l.code),
                    message: "finding-link-withdrawn-service",
                    args: vec![("link", l.code.to_string()), ("service", t.to_string())],
                });
            }
        }
        for (d, ds) in r.datasets.iter().enumerate() {
            if ds.status == Status::Active
                && let Some(sys) = self.dataset_system[d]
                && r.information_systems[sys as usize].lifecycle == Lifecycle::Withdrawn
            {
                out.insert(Finding {
                    kind: "dataset_in_withdrawn_system",
                    subject: ds.code.as_str().into(),
                    detail: format!("{} is held in the withdrawn system {}", ds.code, ds.system),
                    message: "finding-dataset-withdrawn-system",
                    args: vec![
                        ("dataset", ds.code.to_string()),
                        ("system", ds.system.to_string()),
                    ],
                });
            }
        }
        for cycle in self.output_cycles() {
            out.insert(Finding {
                kind: "cycle",
                subject: cycle[0].clone(),
                detail: format!("services need each other's output: {}", cycle.join(" -> ")),
                message: "finding-cycle",
                // A circle of hundreds of services is named by its first dozen.
                args: vec![
                    ("count", cycle.len().to_string()),
                    ("services", first_dozen(&cycle, " → ")),
                ],
            });
        }
        out.into_iter().collect()
    }

    /// Circles of services each requiring an output of the next (strongly connected components
    /// of more than one service, or a service needing its own output).
    fn output_cycles(&self) -> Vec<Vec<String>> {
        let n = self.reg.services.len();
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, need) in self.needs.iter().enumerate() {
            if self.reg.services[i].status == ServiceStatus::Withdrawn {
                continue;
            }
            for &e in need {
                // Another supplier (a dataset) breaks the dependence.
                if self.datasets_for[e as usize].is_empty() {
                    next[i].extend(self.producers_for[e as usize].iter().map(|&p| p as usize));
                }
            }
        }
        tarjan(&next)
            .into_iter()
            .filter(|c| c.len() > 1 || next[c[0]].contains(&c[0]))
            .map(|mut c| {
                c.sort_unstable();
                let mut names: Vec<String> = c
                    .iter()
                    .map(|&i| self.reg.services[i].code.as_str().to_string())
                    .collect();
                names.push(names[0].clone());
                names
            })
            .collect()
    }
}

/// The services the round observed above what the registry's data allow
/// ([`ServiceGap::above_ceiling`]), as one finding: a record out of date, or a rule too strict.
fn observed_above(services: &[ServiceGap]) -> Option<Finding> {
    let above: Vec<&str> = services
        .iter()
        .filter(|g| g.above_ceiling())
        .map(|g| g.service.as_str())
        .collect();
    let first = *above.first()?;
    let named = first_dozen(&above, ", ");
    Some(Finding {
        kind: "observed_above_data",
        subject: first.to_string(),
        detail: format!(
            "{} services were observed at a higher stage than the registry's data allow: {named}",
            above.len()
        ),
        message: "finding-observed-above-data",
        args: vec![("count", above.len().to_string()), ("services", named)],
    })
}

/// The first dozen of `codes` joined by `sep`, and "…" when there are more.
fn first_dozen(codes: &[impl AsRef<str>], sep: &str) -> String {
    codes
        .iter()
        .take(12)
        .map(AsRef::as_ref)
        .chain((codes.len() > 12).then_some("…"))
        .collect::<Vec<_>>()
        .join(sep)
}

/// Strongly connected components (Tarjan), iteratively so deep graphs cannot overflow the stack.
fn tarjan(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = next.len();
    let (mut index, mut low) = (vec![usize::MAX; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut out, mut counter) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if *k == 0 && index[v] == usize::MAX {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = next[v].get(*k) {
                *k += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

/// A reason in words, from the rule's template, naming records by code.
pub fn reason(rules: &BlockingRules, b: &Block, lang: Lang) -> String {
    reason_named(rules, b, lang, &|c: &str| c)
}

/// A reason in words, naming each record as `name` gives it (readers want names; the codes stay
/// in the block's fields).
pub fn reason_named<'n>(
    rules: &BlockingRules,
    b: &'n Block,
    lang: Lang,
    name: &dyn Fn(&'n str) -> &'n str,
) -> String {
    // Borrowed, as `Text::show` would give it (the language asked for, else English).
    let template = rules
        .rule(b.condition)
        .and_then(|r| r.reason.pick(lang, &[Lang::En]))
        .map_or("", |s| s.text);
    // One pass over the template: each placeholder is named only where it occurs (a reason is
    // made for every block of every service a page or an answer shows).
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    // Byte searches: templates are short, and a char search sets up a memchr per brace.
    while let Some(open) = rest.bytes().position(|c| c == b'{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.bytes().position(|c| c == b'}') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let field = match &after[1..close] {
            "evidence" => Some(Some(&b.evidence)),
            "dataset" => Some(b.dataset.as_ref()),
            "system" => Some(b.system.as_ref()),
            "link" => Some(b.link.as_ref()),
            "service" => Some(b.service.as_ref()),
            "organisation" => Some(b.organisation.as_ref()),
            _ => None,
        };
        match field {
            Some(code) => out.push_str(code.map_or("", |c| name(c.as_str()))),
            None => out.push_str(&after[..=close]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod reason_tests {
    use super::*;
    use crate::Text;

    fn block() -> Block {
        Block {
            condition: Condition::NoExchangeInUse,
            cap: 4,
            evidence: "EV-1".into(),
            dataset: Some("DS-1".into()),
            system: None,
            link: Some("LK-1".into()),
            service: None,
            organisation: Some("ORG-1".into()),
            investment: "link:LK-1".into(),
        }
    }

    fn rules_saying(template: &str) -> BlockingRules {
        let mut rules = BlockingRules::default_rules().expect("shipped rules");
        for r in &mut rules.rules {
            r.reason = Text::new().with(Lang::En, template);
        }
        rules
    }

    #[test]
    fn placeholders_are_named_once_each_where_they_stand() {
        let named = |t: &str| {
            reason_named(&rules_saying(t), &block(), Lang::En, &|c: &str| match c {
                "EV-1" => "<EV-1>",
                "DS-1" => "<DS-1>",
                "LK-1" => "<LK-1>",
                "ORG-1" => "<ORG-1>",
                _ => "<unknown>",
            })
        };
        assert_eq!(
            named("{evidence} from {dataset} via {link} ({organisation}); {system}{service}."),
            "<EV-1> from <DS-1> via <LK-1> (<ORG-1>); ."
        );
        // Unknown placeholders and an unclosed brace stay as written; a name holding a
        // placeholder is not expanded again.
        assert_eq!(
            named("{moon} {evidence} {dataset"),
            "{moon} <EV-1> {dataset"
        );
        assert_eq!(
            reason_named(
                &rules_saying("{evidence}"),
                &block(),
                Lang::En,
                &|_| "{dataset}"
            ),
            "{dataset}"
        );
        assert_eq!(
            reason(&rules_saying("{evidence}/{dataset}"), &block(), Lang::En),
            "EV-1/DS-1"
        );
    }
}
