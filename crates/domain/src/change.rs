//! What an import or an edit changes: the merge of incoming records into the registry, and the
//! action each record gets (created, updated, withdrawn, unchanged).

use crate::registry::*;
use crate::validate::{
    CodeSet, FieldError, Problem, Validate, channel_conflicts, code_set, each_code, each_reference,
    hierarchy_cycles,
};
use crate::{Code, Records, Text};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// Whether an import carries the channels of its services. Channels travel inside their service,
/// but a CSV folder may leave out `channels.csv`: its services then keep the channels they have,
/// rather than losing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Channels {
    /// Each incoming service lists all its channels (a JSON document, a folder with
    /// `channels.csv`).
    #[default]
    Given,
    /// The incoming services say nothing of channels: stored services keep theirs.
    Kept,
}

impl Channels {
    /// The incoming records as they are to be merged: with [`Channels::Kept`], every incoming
    /// service that is stored takes its stored channels.
    pub fn apply<'a>(self, existing: &Registry, incoming: &'a Registry) -> Cow<'a, Registry> {
        if self == Channels::Given || incoming.services.is_empty() {
            return Cow::Borrowed(incoming);
        }
        let stored: HashMap<&Code, &Service> =
            existing.services.iter().map(|s| (&s.code, s)).collect();
        let mut out = incoming.clone();
        for s in &mut out.services {
            if let Some(old) = stored.get(&s.code) {
                s.channels = old.channels.clone();
            }
        }
        Cow::Owned(out)
    }
}

/// A record of one of the registry's kinds.
pub trait Record: Clone + PartialEq + Validate + serde::Serialize {
    const KIND: EntityKind;
    fn code(&self) -> &Code;
    fn is_withdrawn(&self) -> bool;
    /// Empties the record's words (names, descriptions, a link's purpose): what is left is
    /// what scores and the gap analysis read.
    fn clear_words(&mut self);
}

macro_rules! record {
    ($t:ty, $kind:ident, |$s:ident| $withdrawn:expr, words: $($word:ident),+) => {
        impl Record for $t {
            const KIND: EntityKind = EntityKind::$kind;
            fn code(&self) -> &Code {
                &self.code
            }
            fn is_withdrawn(&self) -> bool {
                let $s = self;
                $withdrawn
            }
            fn clear_words(&mut self) {
                $(self.$word = Text::default();)+
            }
        }
    };
}

record!(Organisation, Organisation, |s| s.status == Status::Withdrawn, words: name);
record!(LifeEvent, LifeEvent, |s| s.status == Status::Withdrawn, words: name, description);
record!(EvidenceType, EvidenceType, |s| s.status == Status::Withdrawn, words: name, description);
record!(Output, Output, |s| s.status == Status::Withdrawn, words: name, description);
record!(InformationSystem, InformationSystem, |s| s.lifecycle == Lifecycle::Withdrawn, words: name, description);
record!(Dataset, Dataset, |s| s.status == Status::Withdrawn, words: name, description);
record!(Service, Service, |s| s.status == ServiceStatus::Withdrawn, words: name, description);
record!(ExchangeLink, ExchangeLink, |s| s.status == LinkStatus::Withdrawn, words: purpose);

/// A record of any of the registry's kinds, as read back from its saved state (its latest
/// revision): what a reader holding the registry in memory puts in place of what it holds.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyRecord {
    Organisation(Organisation),
    LifeEvent(LifeEvent),
    EvidenceType(EvidenceType),
    Output(Output),
    InformationSystem(InformationSystem),
    Dataset(Dataset),
    Service(Service),
    ExchangeLink(ExchangeLink),
}

/// Where [`AnyRecord::put`] put a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// In place of the record with its code: every position in the registry is unchanged.
    Replaced,
    /// After the records of its kind: the registry is no longer in canonical order.
    Added,
}

/// Where the record with `code` is in `records`: at `at` when given and right, else found by a
/// linear search.
fn locate<R: Record>(records: &Records<R>, code: &Code, at: Option<usize>) -> Option<usize> {
    at.filter(|&i| records.get(i).is_some_and(|x| x.code() == code))
        .or_else(|| records.iter().position(|x| x.code() == code))
}

fn put_in<R: Record>(records: &mut Records<R>, r: R, at: Option<usize>) -> Placed {
    match locate(records, r.code(), at) {
        Some(i) => {
            records.set(i, r);
            Placed::Replaced
        }
        None => {
            records.push(r);
            Placed::Added
        }
    }
}

impl AnyRecord {
    /// Reads a record of kind `kind` from the registry JSON of one record (a revision's saved
    /// state). Channels travel inside their service and are no record of their own.
    pub fn from_json(kind: EntityKind, json: &str) -> Result<AnyRecord, String> {
        fn read<R: serde::de::DeserializeOwned>(json: &str) -> Result<R, String> {
            serde_json::from_str(json).map_err(|e| e.to_string())
        }
        Ok(match kind {
            EntityKind::Organisation => AnyRecord::Organisation(read(json)?),
            EntityKind::LifeEvent => AnyRecord::LifeEvent(read(json)?),
            EntityKind::EvidenceType => AnyRecord::EvidenceType(read(json)?),
            EntityKind::Output => AnyRecord::Output(read(json)?),
            EntityKind::InformationSystem => AnyRecord::InformationSystem(read(json)?),
            EntityKind::Dataset => AnyRecord::Dataset(read(json)?),
            EntityKind::Service => AnyRecord::Service(read(json)?),
            EntityKind::ExchangeLink => AnyRecord::ExchangeLink(read(json)?),
            EntityKind::Channel => return Err("a channel is saved within its service".into()),
        })
    }

    /// Puts the record into `reg` in place of the one with its code (at position `at` when
    /// given and right, else found by a linear search), or after the records of its kind when
    /// there is none: the caller then sorts the registry once it has put them all
    /// (`Registry::sort`).
    pub fn put(self, reg: &mut Registry, at: Option<usize>) -> Placed {
        match self {
            AnyRecord::Organisation(r) => put_in(&mut reg.organisations, r, at),
            AnyRecord::LifeEvent(r) => put_in(&mut reg.life_events, r, at),
            AnyRecord::EvidenceType(r) => put_in(&mut reg.evidence_types, r, at),
            AnyRecord::Output(r) => put_in(&mut reg.outputs, r, at),
            AnyRecord::InformationSystem(r) => put_in(&mut reg.information_systems, r, at),
            AnyRecord::Dataset(r) => put_in(&mut reg.datasets, r, at),
            AnyRecord::Service(r) => put_in(&mut reg.services, r, at),
            AnyRecord::ExchangeLink(r) => put_in(&mut reg.exchange_links, r, at),
        }
    }

    /// Whether this record differs from the one with its code in `reg` (at position `at` when
    /// given and right) only in words: names, descriptions, a link's purpose. What scores and
    /// the gap analysis read is then unchanged; only what is shown in words is not. False when
    /// `reg` has no record with its code.
    pub fn changes_only_words(&self, reg: &Registry, at: Option<usize>) -> bool {
        fn same<R: Record>(records: &Records<R>, new: &R, at: Option<usize>) -> bool {
            locate(records, new.code(), at).is_some_and(|i| {
                let (mut a, mut b) = (records[i].clone(), new.clone());
                a.clear_words();
                b.clear_words();
                a == b
            })
        }
        match self {
            AnyRecord::Organisation(r) => same(&reg.organisations, r, at),
            AnyRecord::LifeEvent(r) => same(&reg.life_events, r, at),
            AnyRecord::EvidenceType(r) => same(&reg.evidence_types, r, at),
            AnyRecord::Output(r) => same(&reg.outputs, r, at),
            AnyRecord::InformationSystem(r) => same(&reg.information_systems, r, at),
            AnyRecord::Dataset(r) => same(&reg.datasets, r, at),
            AnyRecord::Service(r) => same(&reg.services, r, at),
            AnyRecord::ExchangeLink(r) => same(&reg.exchange_links, r, at),
        }
    }

    /// What this record refers to: each reference's field, and the kind and code of the
    /// record it names, in order.
    pub fn links(&self) -> Vec<(&'static str, EntityKind, Code)> {
        let mut reg = Registry::default();
        self.clone().put(&mut reg, None);
        let mut out = Vec::new();
        each_reference(&reg, |r| out.push((r.field, r.to, r.target.clone())));
        out
    }

    /// Whether this record, put in place of the one with its code in `reg` (at `at` when
    /// given and right), refers to the same records and is withdrawn or not as that one is:
    /// what an index of who refers to whom (`Index`) and the rounds' subjects
    /// (`monitoring::Subjects`) are made of is then unchanged, whatever else changed. False
    /// when `reg` has no record with its code.
    pub fn keeps_links(&self, reg: &Registry, at: Option<usize>) -> bool {
        fn same<R: Record>(
            records: &Records<R>,
            new: &R,
            at: Option<usize>,
            any: fn(R) -> AnyRecord,
        ) -> bool {
            locate(records, new.code(), at).is_some_and(|i| {
                let old = &records[i];
                old.is_withdrawn() == new.is_withdrawn()
                    && any(old.clone()).links() == any(new.clone()).links()
            })
        }
        match self {
            AnyRecord::Organisation(r) => same(&reg.organisations, r, at, AnyRecord::Organisation),
            AnyRecord::LifeEvent(r) => same(&reg.life_events, r, at, AnyRecord::LifeEvent),
            AnyRecord::EvidenceType(r) => same(&reg.evidence_types, r, at, AnyRecord::EvidenceType),
            AnyRecord::Output(r) => same(&reg.outputs, r, at, AnyRecord::Output),
            AnyRecord::InformationSystem(r) => same(
                &reg.information_systems,
                r,
                at,
                AnyRecord::InformationSystem,
            ),
            AnyRecord::Dataset(r) => same(&reg.datasets, r, at, AnyRecord::Dataset),
            AnyRecord::Service(r) => same(&reg.services, r, at, AnyRecord::Service),
            AnyRecord::ExchangeLink(r) => same(&reg.exchange_links, r, at, AnyRecord::ExchangeLink),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Create,
    Update,
    Withdraw,
    Unchanged,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Withdraw => "withdraw",
            Action::Unchanged => "unchanged",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The action one incoming record gets, and the stored version it was compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: EntityKind,
    pub code: Code,
    pub action: Action,
}

/// Decides the action for `new` given the stored record, if any.
pub fn action_for<R: Record>(old: Option<&R>, new: &R) -> Action {
    match old {
        None => Action::Create,
        Some(o) if o == new => Action::Unchanged,
        Some(o) if new.is_withdrawn() && !o.is_withdrawn() => Action::Withdraw,
        Some(_) => Action::Update,
    }
}

fn upsert<R: Record>(
    into: &mut Records<R>,
    incoming: &Records<R>,
    changes: &mut Vec<Change>,
    problems: &mut Vec<Problem>,
) {
    let mut index: BTreeMap<Code, usize> = into
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code().clone(), i))
        .collect();
    let mut seen = BTreeSet::new();
    for r in incoming {
        if !seen.insert(r.code().clone()) {
            problems.push(Problem {
                kind: R::KIND,
                code: r.code().clone(),
                error: FieldError::new("code", format!("{} appears twice", r.code())),
            });
            continue;
        }
        for e in r.field_errors() {
            problems.push(Problem {
                kind: R::KIND,
                code: r.code().clone(),
                error: e,
            });
        }
        let action = action_for(index.get(r.code()).map(|&i| &into[i]), r);
        changes.push(Change {
            kind: R::KIND,
            code: r.code().clone(),
            action,
        });
        match index.get(r.code()) {
            Some(&i) => into.set(i, r.clone()),
            None => {
                index.insert(r.code().clone(), into.len());
                into.push(r.clone());
            }
        }
    }
}

/// Upserts every record of `incoming` into `into` by code.
fn merge(
    into: &mut Registry,
    incoming: &Registry,
    changes: &mut Vec<Change>,
    problems: &mut Vec<Problem>,
) {
    let (c, p) = (changes, problems);
    upsert(&mut into.organisations, &incoming.organisations, c, p);
    upsert(&mut into.life_events, &incoming.life_events, c, p);
    upsert(&mut into.evidence_types, &incoming.evidence_types, c, p);
    upsert(&mut into.outputs, &incoming.outputs, c, p);
    upsert(
        &mut into.information_systems,
        &incoming.information_systems,
        c,
        p,
    );
    upsert(&mut into.datasets, &incoming.datasets, c, p);
    upsert(&mut into.services, &incoming.services, c, p);
    upsert(&mut into.exchange_links, &incoming.exchange_links, c, p);
}

/// What of the stored registry an import touches: all it is planned and checked against, so
/// that saving one record reads a few rows rather than the whole registry. Nothing is ever
/// deleted from a registry and every stored state passed these checks, so the records an
/// import does not touch cannot be broken by it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Touched {
    /// The stored records with an incoming record's code (kind and code), with their
    /// channels: what each incoming record is compared with.
    pub records: Registry,
    /// The stored records the incoming ones refer to (kind and code), at least.
    pub known: CodeSet<(EntityKind, Code)>,
    /// The stored service of each incoming channel code that is stored, at least.
    pub channel_owners: BTreeMap<Code, Code>,
    /// Every stored organisation's parent: the hierarchy an incoming organisation joins.
    pub parents: BTreeMap<Code, Code>,
}

impl Touched {
    /// The codes `incoming` refers to that it does not bring itself, by kind: which of them
    /// are stored is what [`Touched::known`] holds.
    pub fn referred_to(incoming: &Registry) -> BTreeMap<EntityKind, BTreeSet<&Code>> {
        let arriving = code_set(incoming);
        let mut out: BTreeMap<EntityKind, BTreeSet<&Code>> = BTreeMap::new();
        each_reference(incoming, |r| {
            if !arriving.contains(&(r.to, r.target)) {
                out.entry(r.to).or_default().insert(r.target);
            }
        });
        out
    }

    /// What `incoming` touches of a whole registry `existing` (for callers that hold one).
    pub fn of(existing: &Registry, incoming: &Registry) -> Touched {
        let arriving = code_set(incoming);
        let mut records = existing.clone();
        fn kind_of<R: Record>(_: &R) -> EntityKind {
            R::KIND
        }
        macro_rules! keep {
            ($($list:ident),+) => {$(
                records.$list.retain(|r| arriving.contains(&(kind_of(r), r.code())));
            )+};
        }
        keep!(
            organisations,
            life_events,
            evidence_types,
            outputs,
            information_systems,
            datasets,
            services,
            exchange_links
        );
        let channel_owners = existing
            .services
            .iter()
            .flat_map(|s| {
                s.channels
                    .iter()
                    .map(|ch| (ch.code.clone(), s.code.clone()))
            })
            .collect();
        let parents = existing
            .organisations
            .iter()
            .filter_map(|o| Some((o.code.clone(), o.parent.clone()?)))
            .collect();
        Touched {
            records,
            known: each_code(existing).map(|(k, c)| (k, c.clone())).collect(),
            channel_owners,
            parents,
        }
    }
}

/// The action for each incoming record, and every rule the registry after the import would
/// break. An import may only be written when the problem list is empty.
pub struct Plan {
    pub changes: Vec<Change>,
    pub problems: Vec<Problem>,
}

/// Upserts `incoming` into what it touches of the stored registry by code and checks the
/// result: each incoming record on its own, its references, channel codes across the
/// registry and the organisation hierarchy. The problems are those
/// [`check_references`](crate::validate::check_references) finds in the whole registry after
/// the import, given that the registry before it had none; a channel code an incoming service
/// shares with a stored one is named on the incoming service, which is the one to correct.
pub fn plan_import(mut touched: Touched, incoming: &Registry) -> Plan {
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    merge(&mut touched.records, incoming, &mut changes, &mut problems);

    let arriving = code_set(incoming);
    each_reference(incoming, |r| {
        if !arriving.contains(&(r.to, r.target))
            && !touched.known.contains(&(r.to, r.target.clone()))
        {
            problems.push(r.unknown());
        }
    });
    // An incoming service's channels replace its stored ones; any other stored service keeps
    // the channel codes it owns.
    let owners = touched
        .channel_owners
        .iter()
        .filter(|(_, s)| !arriving.contains(&(EntityKind::Service, *s)))
        .collect();
    problems.extend(channel_conflicts(&incoming.services, owners));
    let mut parents: BTreeMap<&Code, &Code> = touched.parents.iter().collect();
    for o in &incoming.organisations {
        match &o.parent {
            Some(p) => parents.insert(&o.code, p),
            None => parents.remove(&o.code),
        };
    }
    if !incoming.organisations.is_empty() {
        problems.extend(hierarchy_cycles(parents));
    }
    Plan { changes, problems }
}

/// Counts per kind and action, for the import summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeCounts(pub BTreeMap<(EntityKind, Action), usize>);

impl ChangeCounts {
    pub fn of(changes: &[Change]) -> Self {
        let mut m = BTreeMap::new();
        for c in changes {
            *m.entry((c.kind, c.action)).or_insert(0) += 1;
        }
        ChangeCounts(m)
    }

    pub fn total(&self, action: Action) -> usize {
        self.0
            .iter()
            .filter(|((_, a), _)| *a == action)
            .map(|(_, n)| n)
            .sum()
    }
}

impl fmt::Display for ChangeCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Withdrawals are updates too; the summary keeps them apart so an editor sees them.
        write!(
            f,
            "created {}, updated {}, withdrawn {}, unchanged {}",
            self.total(Action::Create),
            self.total(Action::Update),
            self.total(Action::Withdraw),
            self.total(Action::Unchanged)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::check_references;
    use crate::{Lang, Provenance, Text};

    #[test]
    fn a_saved_record_is_put_in_place_or_after_the_others() {
        let mut reg = Registry {
            evidence_types: vec![ev("EV-A", "A"), ev("EV-B", "B")].into(),
            ..Registry::default()
        };
        let saved = serde_json::to_string(&ev("EV-B", "B renamed")).expect("json");
        let record = AnyRecord::from_json(EntityKind::EvidenceType, &saved).expect("read");
        // A wrong position is not trusted: the record goes where its code is.
        assert_eq!(record.clone().put(&mut reg, Some(0)), Placed::Replaced);
        assert_eq!(reg.evidence_types[1].name.get(Lang::En), Some("B renamed"));
        assert_eq!(reg.evidence_types[0].name.get(Lang::En), Some("A"));
        assert_eq!(record.put(&mut reg, Some(1)), Placed::Replaced);
        let new = serde_json::to_string(&ev("EV-0", "first")).expect("json");
        let record = AnyRecord::from_json(EntityKind::EvidenceType, &new).expect("read");
        assert_eq!(record.put(&mut reg, None), Placed::Added);
        assert_eq!(reg.evidence_types.len(), 3);
        assert!(AnyRecord::from_json(EntityKind::Channel, "{}").is_err());
        assert!(AnyRecord::from_json(EntityKind::Service, &saved).is_err());
    }

    #[test]
    fn a_change_of_words_is_told_from_a_change_of_substance() {
        let reg = Registry {
            evidence_types: vec![ev("EV-A", "A"), ev("EV-B", "B")].into(),
            ..Registry::default()
        };
        let mut renamed = ev("EV-B", "B renamed");
        renamed.description = Text::new().with(Lang::Az, "təsvir");
        assert!(AnyRecord::EvidenceType(renamed).changes_only_words(&reg, Some(1)));
        // A wrong position is not trusted.
        assert!(AnyRecord::EvidenceType(ev("EV-B", "B")).changes_only_words(&reg, Some(0)));
        let mut withdrawn = ev("EV-B", "B");
        withdrawn.status = Status::Withdrawn;
        assert!(!AnyRecord::EvidenceType(withdrawn).changes_only_words(&reg, Some(1)));
        assert!(!AnyRecord::EvidenceType(ev("EV-C", "new")).changes_only_words(&reg, None));
    }

    #[test]
    fn a_record_that_refers_to_what_it_did_keeps_the_links_of_the_registry() {
        let reg = demo();
        let held = || reg.services[0].clone();
        let keeps = |s: Service| AnyRecord::Service(s).keeps_links(&reg, Some(0));
        let mut other_audience = held();
        other_audience.audience = vec![Audience::Business];
        other_audience.name.set(Lang::En, "Renamed");
        assert!(keeps(other_audience.clone()));
        assert!(!AnyRecord::Service(other_audience).changes_only_words(&reg, Some(0)));
        let mut moved = held();
        moved.organisations.reverse();
        moved.organisations.push(code("ORG-OTHER"));
        assert!(!keeps(moved));
        let mut evidence = held();
        evidence.evidence.clear();
        assert!(!reg.services[0].evidence.is_empty());
        assert!(!keeps(evidence));
        let mut withdrawn = held();
        withdrawn.status = ServiceStatus::Withdrawn;
        assert!(!keeps(withdrawn));
        let mut new = held();
        new.code = code("SRV-NEW");
        assert!(!AnyRecord::Service(new).keeps_links(&reg, None));
        // A dataset's evidence (what the index finds suppliers by) is a link too.
        let mut dataset = reg.datasets[0].clone();
        dataset.supplies.push(code("EV-OTHER"));
        assert!(!AnyRecord::Dataset(dataset).keeps_links(&reg, Some(0)));
    }

    fn ev(code: &str, name: &str) -> EvidenceType {
        EvidenceType {
            code: Code::parse(code).expect("code"),
            name: Text::new().with(Lang::En, name),
            description: Text::new(),
            status: Status::Active,
            provenance: Provenance::Manual,
        }
    }

    #[test]
    fn upserts_by_code_and_says_what_happened() {
        let existing = Registry {
            evidence_types: vec![ev("EV-A", "a"), ev("EV-B", "b"), ev("EV-C", "c")].into(),
            ..Registry::default()
        };
        let mut withdrawn = ev("EV-C", "c");
        withdrawn.status = Status::Withdrawn;
        let incoming = Registry {
            evidence_types: vec![
                ev("EV-A", "a"),
                ev("EV-B", "b2"),
                withdrawn,
                ev("EV-D", "d"),
            ]
            .into(),
            ..Registry::default()
        };
        let plan = plan_import(Touched::of(&existing, &incoming), &incoming);
        assert!(plan.problems.is_empty(), "{:?}", plan.problems);
        let actions: Vec<(String, Action)> = plan
            .changes
            .iter()
            .map(|c| (c.code.to_string(), c.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("EV-A".into(), Action::Unchanged),
                ("EV-B".into(), Action::Update),
                ("EV-C".into(), Action::Withdraw),
                ("EV-D".into(), Action::Create)
            ]
        );
        assert_eq!(
            ChangeCounts::of(&plan.changes).to_string(),
            "created 1, updated 1, withdrawn 1, unchanged 1"
        );
    }

    #[test]
    fn a_code_twice_in_one_import_is_a_problem() {
        let incoming = Registry {
            evidence_types: vec![ev("EV-A", "a"), ev("EV-A", "again")].into(),
            ..Registry::default()
        };
        let plan = plan_import(Touched::default(), &incoming);
        assert_eq!(plan.problems.len(), 1);
        assert_eq!(plan.problems[0].error.message, "EV-A appears twice");
    }

    #[test]
    fn services_without_channels_keep_the_stored_ones() {
        let json = include_str!("../../../data/demo/registry.json");
        let existing: Registry = {
            let v: serde_json::Value = serde_json::from_str(json).expect("demo");
            Registry {
                services: serde_json::from_value(v["services"].clone()).expect("services"),
                ..Registry::default()
            }
        };
        let with_channels = existing
            .services
            .iter()
            .filter(|s| !s.channels.is_empty())
            .count();
        assert!(with_channels > 0);
        let mut incoming = existing.clone();
        for s in &mut incoming.services {
            s.channels.clear();
        }
        let kept = Channels::Kept.apply(&existing, &incoming);
        assert_eq!(kept.services, existing.services);
        let plan = plan_import(Touched::of(&existing, &kept), &kept);
        assert!(plan.changes.iter().all(|c| c.action == Action::Unchanged));
        // Given, the same incoming records remove the channels (an explicit empty list).
        let given = Channels::Given.apply(&existing, &incoming);
        let plan = plan_import(Touched::of(&existing, &given), &given);
        assert_eq!(
            plan.changes
                .iter()
                .filter(|c| c.action == Action::Update)
                .count(),
            with_channels
        );
    }

    fn demo() -> Registry {
        let json = include_str!("../../../data/demo/registry.json");
        let v: serde_json::Value = serde_json::from_str(json).expect("demo");
        let list = |k: &str| v[k].clone();
        Registry {
            organisations: serde_json::from_value(list("organisations")).expect("organisations"),
            life_events: serde_json::from_value(list("life_events")).expect("life events"),
            evidence_types: serde_json::from_value(list("evidence_types")).expect("evidence"),
            outputs: serde_json::from_value(list("outputs")).expect("outputs"),
            information_systems: serde_json::from_value(list("information_systems"))
                .expect("systems"),
            datasets: serde_json::from_value(list("datasets")).expect("datasets"),
            services: serde_json::from_value(list("services")).expect("services"),
            exchange_links: serde_json::from_value(list("exchange_links")).expect("links"),
        }
    }

    fn code(s: &str) -> Code {
        Code::parse(s).expect("code")
    }

    /// An import checked against only what it touches finds what a check of the whole
    /// registry after it finds, on the registry the demo starts from.
    #[test]
    fn an_import_checked_against_what_it_touches_finds_what_the_whole_check_finds() {
        let existing = demo();
        assert!(check_references(&existing).is_empty());
        let service = |i: usize| existing.services[i].clone();
        let mut new = service(0);
        new.code = code("SRV-NEW");
        new.channels.clear();
        let cases: Vec<(&str, Registry, usize)> = vec![
            (
                "a renamed service",
                {
                    let mut s = service(3);
                    s.name = Text::new().with(Lang::En, "renamed");
                    Registry {
                        services: vec![s].into(),
                        ..Registry::default()
                    }
                },
                0,
            ),
            (
                "references to records that do not exist",
                {
                    let mut s = new.clone();
                    s.life_events.push(code("LE-NOWHERE"));
                    s.organisations.push(code("ORG-NOWHERE"));
                    let mut l = existing.exchange_links[0].clone();
                    l.target_system = None;
                    l.target_service = Some(code("SRV-NOWHERE"));
                    let mut d = existing.datasets[0].clone();
                    d.supplies.push(code("EV-NOWHERE"));
                    Registry {
                        services: vec![s].into(),
                        exchange_links: vec![l].into(),
                        datasets: vec![d].into(),
                        ..Registry::default()
                    }
                },
                4,
            ),
            (
                "references to records arriving with them",
                {
                    let mut s = new.clone();
                    let mut o = existing.organisations[0].clone();
                    o.code = code("ORG-NEW");
                    o.parent = Some(code("ORG-MCHT"));
                    s.organisations = vec![o.code.clone()];
                    Registry {
                        services: vec![s].into(),
                        organisations: vec![o].into(),
                        ..Registry::default()
                    }
                },
                0,
            ),
            (
                "a stored service's channel code taken",
                {
                    let mut s = new.clone();
                    s.channels = vec![service(1).channels[0].clone()];
                    Registry {
                        services: vec![s].into(),
                        ..Registry::default()
                    }
                },
                1,
            ),
            (
                "a channel code twice in the import",
                {
                    let mut a = new.clone();
                    a.channels = vec![service(1).channels[0].clone()];
                    a.channels[0].code = code("CH-NEW");
                    let mut b = a.clone();
                    b.code = code("SRV-NEW-2");
                    Registry {
                        services: vec![a, b].into(),
                        ..Registry::default()
                    }
                },
                1,
            ),
            (
                "a channel moved from one stored service to another",
                {
                    let (mut a, mut b) = (service(1), service(2));
                    b.channels.push(a.channels.remove(0));
                    Registry {
                        services: vec![a, b].into(),
                        ..Registry::default()
                    }
                },
                0,
            ),
            (
                "a cycle through a stored organisation",
                {
                    // ORG-DPC's parent is ORG-MCHT: ORG-MCHT under ORG-DPC closes a cycle.
                    let mut o = existing.organisation("ORG-MCHT").expect("stored").clone();
                    o.parent = Some(code("ORG-DPC"));
                    Registry {
                        organisations: vec![o].into(),
                        ..Registry::default()
                    }
                },
                2,
            ),
            (
                "an organisation leaving the hierarchy",
                {
                    let mut o = existing.organisation("ORG-DPC").expect("stored").clone();
                    o.parent = None;
                    Registry {
                        organisations: vec![o].into(),
                        ..Registry::default()
                    }
                },
                0,
            ),
            (
                "a referred-to record withdrawn",
                {
                    let mut e = existing.evidence_types[0].clone();
                    e.status = Status::Withdrawn;
                    Registry {
                        evidence_types: vec![e].into(),
                        ..Registry::default()
                    }
                },
                0,
            ),
        ];
        let sorted = |mut p: Vec<Problem>| {
            p.sort_by_key(|p| format!("{p:?}"));
            p
        };
        for (what, incoming, expected) in cases {
            let mut whole = existing.clone();
            merge(&mut whole, &incoming, &mut Vec::new(), &mut Vec::new());
            let want = sorted(check_references(&whole));
            let plan = plan_import(Touched::of(&existing, &incoming), &incoming);
            assert_eq!(sorted(plan.problems), want, "{what}");
            assert_eq!(want.len(), expected, "{what}: {want:?}");
        }
    }
}
