//! Why each service is stuck and which investment unlocks the most.
//!
//! The registry is read as a graph: a service requires evidence types; each evidence type can be
//! supplied by datasets (held in information systems, reaching the service through exchange
//! links) or by the output of another service. The blocking rules cap the stage a service can
//! reach for every weak point on the best supply path of each piece of evidence; every cap is a
//! reason naming the dataset, system, link or service, and the investment that would lift it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    pub service: String,
    pub life_events: Vec<String>,
    pub organisation: Option<String>,
    /// The stage observed in the round, when there is one.
    pub stage: Option<u8>,
    /// The highest stage the data situation allows.
    pub ceiling: u8,
    /// With the assumptions: the ceiling when it rose (the service can be built up to it),
    /// otherwise the observed stage.
    pub projected: Option<u8>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unlock {
    pub service: String,
    /// Stages this investment is responsible for: max stage minus the lowest cap it lifts.
    pub stages: u8,
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
    /// Σ stages unlocked × weight (yearly transactions when given, else 1).
    pub score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Score per unit of cost, when the cost is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_per_cost: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub kind: &'static str,
    pub subject: String,
    pub detail: String,
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

/// The registry indexed once for repeated analyses (what-ifs re-use it).
pub struct Graph<'r> {
    reg: &'r Registry,
    rules: &'r BlockingRules,
    /// Evidence code -> datasets (index into `reg.datasets`) supplying it.
    datasets_for: HashMap<&'r str, Vec<usize>>,
    /// Evidence code -> (service index, output code) producing it.
    producers_for: HashMap<&'r str, Vec<(usize, &'r str)>>,
    system: HashMap<&'r str, usize>,
    service: HashMap<&'r str, usize>,
    /// Dataset code -> links leaving it (directly or through its system).
    links_from: HashMap<&'r str, Vec<usize>>,
}

/// What a what-if changes, resolved against the registry.
#[derive(Default)]
struct Overrides {
    dataset_state: HashMap<String, DigitisationState>,
    system_state: HashMap<String, DigitisationState>,
    system_lifecycle: HashMap<String, Lifecycle>,
    link_status: HashMap<String, LinkStatus>,
    /// (dataset, target) of assumed new links.
    new_links: BTreeSet<(String, String)>,
    evidence: BTreeSet<String>,
    stages: HashMap<String, u8>,
}

impl Overrides {
    fn of(assumptions: &[Assumption]) -> Overrides {
        let mut o = Overrides::default();
        for a in assumptions {
            match a.clone() {
                Assumption::Dataset { dataset, state } => {
                    o.dataset_state.insert(dataset, state);
                }
                Assumption::SystemLifecycle { system, lifecycle } => {
                    o.system_lifecycle.insert(system, lifecycle);
                }
                Assumption::SystemDigitisation { system, state } => {
                    o.system_state.insert(system, state);
                }
                Assumption::Link { link, status } => {
                    o.link_status.insert(link, status);
                }
                Assumption::NewLink { dataset, target } => {
                    o.new_links.insert((dataset, target));
                }
                Assumption::Evidence { evidence } => {
                    o.evidence.insert(evidence);
                }
                Assumption::Service { service, stage } => {
                    o.stages.insert(service, stage);
                }
            }
        }
        o
    }
}

impl<'r> Graph<'r> {
    pub fn new(reg: &'r Registry, rules: &'r BlockingRules) -> Graph<'r> {
        let mut datasets_for: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in reg.datasets.iter().enumerate() {
            if d.status == Status::Active {
                for e in &d.supplies {
                    datasets_for.entry(e.as_str()).or_default().push(i);
                }
            }
        }
        let outputs: HashMap<&str, &str> = reg
            .outputs
            .iter()
            .filter(|o| o.status == Status::Active)
            .filter_map(|o| {
                o.evidence_type
                    .as_ref()
                    .map(|e| (o.code.as_str(), e.as_str()))
            })
            .collect();
        let mut producers_for: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
        for (i, s) in reg.services.iter().enumerate() {
            if s.status == ServiceStatus::Withdrawn {
                continue;
            }
            for o in &s.outputs {
                if let Some(e) = outputs.get(o.as_str()) {
                    producers_for.entry(e).or_default().push((i, o.as_str()));
                }
            }
        }
        let system = reg
            .information_systems
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.as_str(), i))
            .collect();
        let service = reg
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.as_str(), i))
            .collect();
        let dataset_of_system: HashMap<&str, Vec<&str>> =
            reg.datasets.iter().fold(HashMap::new(), |mut m, d| {
                m.entry(d.system.as_str())
                    .or_default()
                    .push(d.code.as_str());
                m
            });
        let mut links_from: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, l) in reg.exchange_links.iter().enumerate() {
            if let Some(d) = &l.source_dataset {
                links_from.entry(d.as_str()).or_default().push(i);
            }
            if let Some(sys) = &l.source_system {
                for d in dataset_of_system.get(sys.as_str()).into_iter().flatten() {
                    links_from.entry(d).or_default().push(i);
                }
            }
        }
        Graph {
            reg,
            rules,
            datasets_for,
            producers_for,
            system,
            service,
            links_from,
        }
    }

    /// Analyses every service, with `stages` observed per service code and the assumptions.
    pub fn analyse(
        &self,
        stages: &HashMap<String, u8>,
        assumptions: &[Assumption],
        weights: &Weights,
    ) -> Analysis {
        let o = Overrides::of(assumptions);
        let base = if assumptions.is_empty() {
            None
        } else {
            Some(self.ceilings(stages, &Overrides::default()))
        };
        let mut services = Vec::with_capacity(self.reg.services.len());
        for (i, s) in self.reg.services.iter().enumerate() {
            if s.status == ServiceStatus::Withdrawn {
                continue;
            }
            let mut gap = self.service_gap(i, stages, &o);
            let before = base.as_ref().map(|b| b[i]).unwrap_or(gap.ceiling);
            gap.projected = match gap.stage {
                Some(st) if gap.ceiling > before && gap.ceiling > st => Some(gap.ceiling),
                other => other,
            };
            services.push(gap);
        }
        let investments = self.rank(&services, weights);
        Analysis {
            assumptions: assumptions.iter().map(Assumption::text).collect(),
            services,
            investments,
            findings: self.findings(),
        }
    }

    fn ceilings(&self, stages: &HashMap<String, u8>, o: &Overrides) -> Vec<u8> {
        (0..self.reg.services.len())
            .map(|i| self.service_gap(i, stages, o).ceiling)
            .collect()
    }

    fn cap(&self, c: Condition) -> Option<u8> {
        self.rules.rule(c).map(|r| r.cap)
    }

    fn service_gap(&self, i: usize, stages: &HashMap<String, u8>, o: &Overrides) -> ServiceGap {
        let s = &self.reg.services[i];
        let code = s.code.as_str();
        let stage = o.stages.get(code).or_else(|| stages.get(code)).copied();
        let mut blocks = Vec::new();
        for e in &s.evidence {
            blocks.extend(self.best_supply(i, e.as_str(), stages, o));
        }
        let ceiling = blocks
            .iter()
            .map(|b| b.cap)
            .min()
            .unwrap_or(self.rules.max_stage);
        ServiceGap {
            service: code.to_string(),
            life_events: s
                .life_events
                .iter()
                .map(|l| l.as_str().to_string())
                .collect(),
            organisation: s.organisations.first().map(|c| c.as_str().to_string()),
            stage,
            ceiling,
            projected: stage,
            blocks,
        }
    }

    /// The blocks on the best way to get one piece of evidence (highest cap, then fewest blocks).
    fn best_supply(
        &self,
        i: usize,
        evidence: &str,
        stages: &HashMap<String, u8>,
        o: &Overrides,
    ) -> Vec<Block> {
        if o.evidence.contains(evidence) {
            return Vec::new();
        }
        let block = |condition: Condition, investment: String| Block {
            condition,
            cap: self.cap(condition).unwrap_or(self.rules.max_stage),
            evidence: evidence.to_string(),
            dataset: None,
            system: None,
            link: None,
            service: None,
            organisation: None,
            investment,
        };
        // (is another service's output, blocks): on equal caps data from a register wins over
        // a document the applicant first has to obtain elsewhere (the once-only route).
        let mut options: Vec<(bool, Vec<Block>)> = Vec::new();
        for &d in self.datasets_for.get(evidence).into_iter().flatten() {
            options.push((false, self.dataset_path(i, d, o, &block)));
        }
        for &(p, _) in self.producers_for.get(evidence).into_iter().flatten() {
            if p == i {
                continue;
            }
            let producer = self.reg.services[p].code.as_str();
            let st = o
                .stages
                .get(producer)
                .or_else(|| stages.get(producer))
                .copied();
            let mut path = Vec::new();
            if let Some(rule) = self.rules.rule(Condition::OutputNotElectronic)
                && st.is_none_or(|st| st < rule.below_stage)
            {
                let mut b = block(
                    Condition::OutputNotElectronic,
                    Assumption::Service {
                        service: producer.into(),
                        stage: rule.below_stage,
                    }
                    .text(),
                );
                b.service = Some(producer.to_string());
                path.push(b);
            }
            options.push((true, path));
        }
        if options.is_empty() {
            return match self.cap(Condition::EvidenceUnsupplied) {
                Some(_) => vec![block(
                    Condition::EvidenceUnsupplied,
                    Assumption::Evidence {
                        evidence: evidence.into(),
                    }
                    .text(),
                )],
                None => Vec::new(),
            };
        }
        let key = |(output, p): &(bool, Vec<Block>)| {
            let cap = p.iter().map(|b| b.cap).min().unwrap_or(u8::MAX);
            (std::cmp::Reverse(cap), *output, p.len())
        };
        options
            .into_iter()
            .min_by_key(key)
            .map(|(_, p)| p)
            .unwrap_or_default()
    }

    fn dataset_path(
        &self,
        i: usize,
        d: usize,
        o: &Overrides,
        block: &impl Fn(Condition, String) -> Block,
    ) -> Vec<Block> {
        let s = &self.reg.services[i];
        let ds = &self.reg.datasets[d];
        let dcode = ds.code.as_str();
        let sys = self
            .system
            .get(ds.system.as_str())
            .map(|&x| &self.reg.information_systems[x]);
        let mut path = Vec::new();
        let Some(sys) = sys else { return path };
        let scode = sys.code.as_str();
        let lifecycle = o
            .system_lifecycle
            .get(scode)
            .copied()
            .unwrap_or(sys.lifecycle);
        if lifecycle != Lifecycle::InUse && self.cap(Condition::SystemNotInUse).is_some() {
            let mut b = block(
                Condition::SystemNotInUse,
                Assumption::SystemLifecycle {
                    system: scode.into(),
                    lifecycle: Lifecycle::InUse,
                }
                .text(),
            );
            b.system = Some(scode.to_string());
            b.dataset = Some(dcode.to_string());
            path.push(b);
        }
        let state = o
            .dataset_state
            .get(dcode)
            .or_else(|| o.system_state.get(scode))
            .copied()
            .unwrap_or(sys.digitisation.state);
        if let Some(rule) = self.rules.rule(Condition::DatasetNotDigital)
            && rule.states.contains(&state)
        {
            let mut b = block(
                Condition::DatasetNotDigital,
                Assumption::Dataset {
                    dataset: dcode.into(),
                    state: DigitisationState::MostlyDigital,
                }
                .text(),
            );
            b.system = Some(scode.to_string());
            b.dataset = Some(dcode.to_string());
            path.push(b);
        }
        if self.cap(Condition::NoExchangeInUse).is_some() && !self.reaches(i, d, o) {
            let lead = s
                .organisations
                .first()
                .map(|c| c.as_str())
                .unwrap_or_default();
            // Prefer naming a link the registry already plans over inventing one.
            let planned = self
                .links_from
                .get(dcode)
                .into_iter()
                .flatten()
                .find(|&&l| {
                    let link = &self.reg.exchange_links[l];
                    link.status != LinkStatus::Withdrawn && self.link_targets(l, i)
                });
            let (investment, link) = match planned {
                Some(&l) => {
                    let c = self.reg.exchange_links[l].code.as_str();
                    (
                        Assumption::Link {
                            link: c.into(),
                            status: LinkStatus::InUse,
                        }
                        .text(),
                        Some(c.to_string()),
                    )
                }
                None => (
                    Assumption::NewLink {
                        dataset: dcode.into(),
                        target: lead.into(),
                    }
                    .text(),
                    None,
                ),
            };
            let mut b = block(Condition::NoExchangeInUse, investment);
            b.dataset = Some(dcode.to_string());
            b.system = Some(scode.to_string());
            b.link = link;
            b.organisation = Some(lead.to_string());
            path.push(b);
        }
        path
    }

    /// Whether link `l` ends at service `i`: at the service itself, at a system of one of its
    /// organisations, or at a portal (a system that is not a base registry) the service is
    /// offered on.
    fn link_targets(&self, l: usize, i: usize) -> bool {
        let link = &self.reg.exchange_links[l];
        let s = &self.reg.services[i];
        if link.target_service.as_ref().is_some_and(|t| t == &s.code) {
            return true;
        }
        let Some(t) = link
            .target_system
            .as_ref()
            .and_then(|t| self.system.get(t.as_str()))
        else {
            return false;
        };
        let sys = &self.reg.information_systems[*t];
        s.organisations.contains(&sys.owner)
            || (!sys.base_registry
                && s.channels.iter().any(|c| {
                    c.channel_type == ChannelType::OnlinePortal && c.status == Status::Active
                }))
    }

    /// Whether dataset `d` reaches service `i`: held by a competent organisation, or carried by
    /// a link in use (in the registry or assumed).
    fn reaches(&self, i: usize, d: usize, o: &Overrides) -> bool {
        let s = &self.reg.services[i];
        let ds = &self.reg.datasets[d];
        if let Some(&x) = self.system.get(ds.system.as_str())
            && s.organisations
                .contains(&self.reg.information_systems[x].owner)
        {
            return true;
        }
        let in_use = self
            .links_from
            .get(ds.code.as_str())
            .into_iter()
            .flatten()
            .any(|&l| {
                let link = &self.reg.exchange_links[l];
                let status = o
                    .link_status
                    .get(link.code.as_str())
                    .copied()
                    .unwrap_or(link.status);
                status == LinkStatus::InUse && self.link_targets(l, i)
            });
        in_use
            || o.new_links.iter().any(|(dd, t)| {
                dd == ds.code.as_str()
                    && (t == s.code.as_str()
                        || s.organisations.iter().any(|org| org.as_str() == t)
                        || self.system.get(t.as_str()).is_some_and(|&x| {
                            s.organisations
                                .contains(&self.reg.information_systems[x].owner)
                        }))
            })
    }

    fn rank(&self, services: &[ServiceGap], w: &Weights) -> Vec<Investment> {
        let max = self.rules.max_stage;
        let mut by_id: BTreeMap<String, Tally> = BTreeMap::new();
        for g in services {
            let ids: BTreeSet<&str> = g.blocks.iter().map(|b| b.investment.as_str()).collect();
            for id in &ids {
                let lowest = g
                    .blocks
                    .iter()
                    .filter(|b| b.investment == *id)
                    .map(|b| b.cap)
                    .min()
                    .unwrap_or(max);
                let stages = max.saturating_sub(lowest);
                let weight = w.volumes.get(&g.service).copied().unwrap_or(1.0);
                let first = g.blocks.iter().find(|b| b.investment == *id);
                let (kind, subject) = first.map(kind_of).unwrap_or(("", String::new()));
                let entry = by_id
                    .entry(id.to_string())
                    .or_insert_with(|| (Vec::new(), BTreeSet::new(), 0.0, kind, subject));
                entry.0.push(Unlock {
                    service: g.service.clone(),
                    stages,
                    alone: ids.len() == 1,
                });
                entry.1.extend(g.life_events.iter().cloned());
                entry.2 += f64::from(stages) * weight;
            }
        }
        let mut out: Vec<Investment> = by_id
            .into_iter()
            .map(|(id, (unlocks, les, score, kind, subject))| {
                let cost = w.costs.get(&id).copied();
                Investment {
                    score_per_cost: cost.filter(|c| *c > 0.0).map(|c| score / c),
                    cost,
                    kind,
                    subject,
                    unlocks,
                    life_events: les.into_iter().collect(),
                    score,
                    id,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            let key = |x: &Investment| {
                if w.by_cost {
                    x.score_per_cost.unwrap_or(f64::NEG_INFINITY)
                } else {
                    x.score
                }
            };
            key(b)
                .total_cmp(&key(a))
                .then(b.life_events.len().cmp(&a.life_events.len()))
                .then(a.id.cmp(&b.id))
        });
        out
    }

    /// Problems in the registry itself: evidence nobody can supply, links touching withdrawn
    /// records, and services that need each other's output in a circle.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = BTreeSet::new();
        let required: BTreeSet<&str> = self
            .reg
            .services
            .iter()
            .filter(|s| s.status != ServiceStatus::Withdrawn)
            .flat_map(|s| s.evidence.iter().map(|e| e.as_str()))
            .collect();
        for e in required {
            if !self.datasets_for.contains_key(e) && !self.producers_for.contains_key(e) {
                out.insert(Finding {
                    kind: "evidence_unsupplied",
                    subject: e.into(),
                    detail: format!("no dataset and no service output supplies {e}"),
                });
            }
        }
        for l in &self.reg.exchange_links {
            if l.status == LinkStatus::Withdrawn {
                continue;
            }
            for sys in [&l.source_system, &l.target_system].into_iter().flatten() {
                if let Some(&x) = self.system.get(sys.as_str())
                    && self.reg.information_systems[x].lifecycle == Lifecycle::Withdrawn
                {
                    out.insert(Finding {
                        kind: "link_to_withdrawn",
                        subject: l.code.as_str().into(),
                        detail: format!(
                            "{} is {} but touches the withdrawn system {sys}",
                            l.code,
                            dash(l.status.as_str())
                        ),
                    });
                }
            }
            if let Some(t) = &l.target_service
                && self
                    .service
                    .get(t.as_str())
                    .is_some_and(|&x| self.reg.services[x].status == ServiceStatus::Withdrawn)
            {
                out.insert(Finding {
                    kind: "link_to_withdrawn",
                    subject: l.code.as_str().into(),
                    detail: format!("{} leads to the withdrawn service {t}", l.code),
                });
            }
        }
        for d in &self.reg.datasets {
            if d.status == Status::Active
                && let Some(&x) = self.system.get(d.system.as_str())
                && self.reg.information_systems[x].lifecycle == Lifecycle::Withdrawn
            {
                out.insert(Finding {
                    kind: "dataset_in_withdrawn_system",
                    subject: d.code.as_str().into(),
                    detail: format!("{} is held in the withdrawn system {}", d.code, d.system),
                });
            }
        }
        for cycle in self.output_cycles() {
            out.insert(Finding {
                kind: "cycle",
                subject: cycle[0].clone(),
                detail: format!("services need each other's output: {}", cycle.join(" -> ")),
            });
        }
        out.into_iter().collect()
    }

    /// Circles of services each requiring an output of the next (strongly connected components
    /// of more than one service, or a service needing its own output), found without recursion.
    fn output_cycles(&self) -> Vec<Vec<String>> {
        let n = self.reg.services.len();
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, s) in self.reg.services.iter().enumerate() {
            if s.status == ServiceStatus::Withdrawn {
                continue;
            }
            for e in &s.evidence {
                for &(p, _) in self.producers_for.get(e.as_str()).into_iter().flatten() {
                    // Another supplier (a dataset) breaks the dependence.
                    if !self.datasets_for.contains_key(e.as_str()) {
                        next[i].push(p);
                    }
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

/// What one investment unlocks, gathered service by service: (unlocks, life events, score,
/// kind, subject).
type Tally = (Vec<Unlock>, BTreeSet<String>, f64, &'static str, String);

fn kind_of(b: &Block) -> (&'static str, String) {
    match b.condition {
        Condition::EvidenceUnsupplied => ("supply_evidence", b.evidence.clone()),
        Condition::SystemNotInUse => ("build_system", b.system.clone().unwrap_or_default()),
        Condition::DatasetNotDigital => ("digitise_dataset", b.dataset.clone().unwrap_or_default()),
        Condition::NoExchangeInUse => match &b.link {
            Some(l) => ("open_link", l.clone()),
            None => (
                "new_link",
                format!(
                    "{} > {}",
                    b.dataset.clone().unwrap_or_default(),
                    b.organisation.clone().unwrap_or_default()
                ),
            ),
        },
        Condition::OutputNotElectronic => {
            ("electronic_output", b.service.clone().unwrap_or_default())
        }
    }
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

/// A reason in words, from the rule's template.
pub fn reason(rules: &BlockingRules, b: &Block, lang: Lang) -> String {
    let template = rules
        .rule(b.condition)
        .and_then(|r| r.reason.pick(lang, &[Lang::En]).map(|s| s.text.to_string()))
        .unwrap_or_default();
    let or = |v: &Option<String>| v.clone().unwrap_or_default();
    template
        .replace("{evidence}", &b.evidence)
        .replace("{dataset}", &or(&b.dataset))
        .replace("{system}", &or(&b.system))
        .replace("{link}", &or(&b.link))
        .replace("{service}", &or(&b.service))
        .replace("{organisation}", &or(&b.organisation))
}
