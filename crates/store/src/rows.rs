//! Table rows and their conversion to and from the domain's records.
//!
//! Rows are the same on both backends; text columns hold JSON for multilingual text and the
//! snake_case words of the domain's enums.

use crate::StoreError;
use crate::schema::*;
use diesel::prelude::*;
use egovwatch_domain::*;
use std::collections::HashMap;
use std::str::FromStr;

pub(crate) const REL_SERVICE_ORGANISATION: &str = "service_organisation";
pub(crate) const REL_SERVICE_LIFE_EVENT: &str = "service_life_event";
pub(crate) const REL_SERVICE_EVIDENCE: &str = "service_evidence";
pub(crate) const REL_SERVICE_OUTPUT: &str = "service_output";
pub(crate) const REL_DATASET_SUPPLIES: &str = "dataset_supplies";

pub(crate) fn text_json(t: &Text) -> String {
    // A map of strings always serialises.
    serde_json::to_string(t).unwrap_or_else(|_| "{}".to_string())
}

/// Stored text of a round (its name, an evidence note) or a revision (its reason): the JSON of its languages
/// (`{"az": …, "en": …}`). Text stored before rounds had languages is plain, and was written
/// in English (the only language the files and the command line had); assessments are
/// append-only, so it stays as written and is read as English.
pub(crate) fn stored_text(stored: Option<&str>) -> Text {
    match stored {
        None => Text::new(),
        Some(s) => serde_json::from_str::<Text>(s)
            .ok()
            .filter(|_| s.starts_with('{'))
            .unwrap_or_else(|| Text::new().with(Lang::En, s)),
    }
}

fn corrupt(table: &str, code: &str, field: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{table} {code}: {field}: {e}"))
}

fn text(table: &str, code: &str, field: &str, s: &str) -> Result<Text, StoreError> {
    serde_json::from_str(s).map_err(|e| corrupt(table, code, field, e))
}

fn word<T: FromStr<Err = String>>(
    table: &str,
    code: &str,
    field: &str,
    s: &str,
) -> Result<T, StoreError> {
    s.parse().map_err(|e| corrupt(table, code, field, e))
}

fn code_of(table: &str, code: &str, field: &str, s: &str) -> Result<Code, StoreError> {
    Code::parse(s).map_err(|e| corrupt(table, code, field, e))
}

fn opt_code(
    table: &str,
    code: &str,
    field: &str,
    s: Option<&str>,
) -> Result<Option<Code>, StoreError> {
    s.map(|s| code_of(table, code, field, s)).transpose()
}

/// What the search index holds for a record: its code and all its names, folded.
pub(crate) fn search_text(code: &Code, texts: &[&Text]) -> String {
    let mut s = code.as_str().to_string();
    for t in texts {
        s.push(' ');
        s.push_str(&t.joined());
    }
    fold_az(&s)
}

/// The kinds of relation a registry is read with.
pub(crate) const RELATION_KINDS: [&str; 5] = [
    REL_SERVICE_ORGANISATION,
    REL_SERVICE_LIFE_EVENT,
    REL_SERVICE_EVIDENCE,
    REL_SERVICE_OUTPUT,
    REL_DATASET_SUPPLIES,
];

/// The kinds of relation that start from a service.
pub(crate) const SERVICE_RELATION_KINDS: &[&str] = &[
    REL_SERVICE_ORGANISATION,
    REL_SERVICE_LIFE_EVENT,
    REL_SERVICE_EVIDENCE,
    REL_SERVICE_OUTPUT,
];

/// The stored relations by kind, then by the record they start from (sorted by its code), each
/// list in its order.
#[derive(Default)]
pub struct RelationMap(HashMap<&'static str, Vec<(String, Vec<Code>)>>);

impl RelationMap {
    /// Adds the list of one record's relations of one kind (read in order, all at once).
    pub(crate) fn insert(&mut self, kind: &'static str, from: String, to: Vec<Code>) {
        self.0.entry(kind).or_default().push((from, to));
    }

    /// Puts the relations in the records of `reg` (read without them, sorted by code): a walk
    /// along both lists in code order, no lookup per record (a registry of the UN survey's
    /// scale has four million relations).
    pub(crate) fn attach(mut self, reg: &mut Registry) {
        for lists in self.0.values_mut() {
            // In code order as Rust compares codes, whatever the database's collation.
            lists.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        }
        let mut supplies = Walk::new(self.0.remove(REL_DATASET_SUPPLIES));
        for d in &mut reg.datasets {
            d.supplies = supplies.take(d.code.as_str());
        }
        let mut organisations = Walk::new(self.0.remove(REL_SERVICE_ORGANISATION));
        let mut life_events = Walk::new(self.0.remove(REL_SERVICE_LIFE_EVENT));
        let mut evidence = Walk::new(self.0.remove(REL_SERVICE_EVIDENCE));
        let mut outputs = Walk::new(self.0.remove(REL_SERVICE_OUTPUT));
        for s in &mut reg.services {
            let c = s.code.as_str();
            s.organisations = organisations.take(c);
            s.life_events = life_events.take(c);
            s.evidence = evidence.take(c);
            s.outputs = outputs.take(c);
        }
    }
}

/// The relations of one kind, walked in code order beside the records they start from.
struct Walk {
    lists: Vec<(String, Vec<Code>)>,
    at: usize,
}

impl Walk {
    fn new(lists: Option<Vec<(String, Vec<Code>)>>) -> Walk {
        Walk {
            lists: lists.unwrap_or_default(),
            at: 0,
        }
    }

    /// The list starting from `from`; records must be asked for in code order. Relations from a
    /// code no record has are passed over.
    fn take(&mut self, from: &str) -> Vec<Code> {
        while self
            .lists
            .get(self.at)
            .is_some_and(|(f, _)| f.as_str() < from)
        {
            self.at += 1;
        }
        match self.lists.get_mut(self.at) {
            Some((f, list)) if f.as_str() == from => {
                let mut list = std::mem::take(list);
                list.shrink_to_fit();
                list
            }
            _ => Vec::new(),
        }
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = relations)]
pub(crate) struct RelationRow {
    pub kind: String,
    pub from_code: String,
    pub to_code: String,
    pub position: i32,
}

pub(crate) fn relation_rows(kind: &str, from: &Code, to: &[Code]) -> Vec<RelationRow> {
    to.iter()
        .enumerate()
        .map(|(i, t)| RelationRow {
            kind: kind.to_string(),
            from_code: from.to_string(),
            to_code: t.to_string(),
            position: i as i32,
        })
        .collect()
}

/// The rows of every registry record, as stored, without the relations (`RelationMap`).
#[derive(Default)]
pub struct RecordRows {
    pub(crate) organisations: Vec<OrganisationRow>,
    pub(crate) life_events: Vec<LifeEventRow>,
    pub(crate) evidence_types: Vec<EvidenceTypeRow>,
    pub(crate) outputs: Vec<OutputRow>,
    pub(crate) information_systems: Vec<InformationSystemRow>,
    pub(crate) datasets: Vec<DatasetRow>,
    pub(crate) services: Vec<ServiceRow>,
    /// In code order.
    pub(crate) channels: Vec<ChannelRow>,
    pub(crate) exchange_links: Vec<ExchangeLinkRow>,
}

impl RecordRows {
    /// The registry of these rows, in canonical order, without relations
    /// ([`RelationMap::attach`] puts them in); each record's version goes to `versions` when
    /// given.
    pub(crate) fn into_registry(
        self,
        mut versions: Option<&mut crate::Versions>,
    ) -> Result<Registry, StoreError> {
        let mut seen = |kind: EntityKind, code: &str, version: i32| {
            if let Some(v) = versions.as_deref_mut() {
                v.insert((kind, code.to_string()), version);
            }
        };
        let mut channels: HashMap<String, Vec<Channel>> = HashMap::new();
        for ch in self.channels {
            let channel = ch.to_domain()?;
            channels.entry(ch.service_code).or_default().push(channel);
        }
        // Exact capacities: a registry is held for as long as the site answers from it, and
        // vectors grown by doubling would keep up to a third of their room unused.
        let mut reg = Registry::default();
        reg.organisations.reserve_exact(self.organisations.len());
        for r in self.organisations {
            seen(EntityKind::Organisation, &r.code, r.version);
            reg.organisations.push(r.to_domain()?);
        }
        reg.life_events.reserve_exact(self.life_events.len());
        for r in self.life_events {
            seen(EntityKind::LifeEvent, &r.code, r.version);
            reg.life_events.push(r.to_domain()?);
        }
        reg.evidence_types.reserve_exact(self.evidence_types.len());
        for r in self.evidence_types {
            seen(EntityKind::EvidenceType, &r.code, r.version);
            reg.evidence_types.push(r.to_domain()?);
        }
        reg.outputs.reserve_exact(self.outputs.len());
        for r in self.outputs {
            seen(EntityKind::Output, &r.code, r.version);
            reg.outputs.push(r.to_domain()?);
        }
        reg.information_systems
            .reserve_exact(self.information_systems.len());
        for r in self.information_systems {
            seen(EntityKind::InformationSystem, &r.code, r.version);
            reg.information_systems.push(r.to_domain()?);
        }
        reg.datasets.reserve_exact(self.datasets.len());
        for r in self.datasets {
            seen(EntityKind::Dataset, &r.code, r.version);
            reg.datasets.push(r.to_domain()?);
        }
        reg.services.reserve_exact(self.services.len());
        for r in self.services {
            seen(EntityKind::Service, &r.code, r.version);
            let chs = channels.remove(&r.code).unwrap_or_default();
            reg.services.push(r.to_domain(chs)?);
        }
        reg.exchange_links.reserve_exact(self.exchange_links.len());
        for r in self.exchange_links {
            seen(EntityKind::ExchangeLink, &r.code, r.version);
            reg.exchange_links.push(r.to_domain()?);
        }
        reg.sort();
        Ok(reg)
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub(crate) struct OrganisationRow {
    pub code: String,
    pub name: String,
    pub org_type: String,
    pub parent_code: Option<String>,
    pub status: String,
    pub provenance: String,
    pub search_text: String,
    pub version: i32,
    pub updated_at: String,
}

impl OrganisationRow {
    pub fn from_domain(o: &Organisation, version: i32, now: &str) -> Self {
        OrganisationRow {
            code: o.code.to_string(),
            name: text_json(&o.name),
            org_type: o.org_type.to_string(),
            parent_code: o.parent.as_ref().map(Code::to_string),
            status: o.status.to_string(),
            provenance: o.provenance.to_string(),
            search_text: search_text(&o.code, &[&o.name]),
            version,
            updated_at: now.to_string(),
        }
    }

    pub fn to_domain(&self) -> Result<Organisation, StoreError> {
        let t = "organisation";
        let c = self.code.as_str();
        Ok(Organisation {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            org_type: word(t, c, "type", &self.org_type)?,
            parent: opt_code(t, c, "parent", self.parent_code.as_deref())?,
            status: word(t, c, "status", &self.status)?,
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = life_events, treat_none_as_null = true)]
pub(crate) struct LifeEventRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub journey_order: i32,
    pub eu_code: String,
    pub status: String,
    pub provenance: String,
    pub version: i32,
    pub updated_at: String,
}

impl LifeEventRow {
    pub fn from_domain(e: &LifeEvent, version: i32, now: &str) -> Self {
        LifeEventRow {
            code: e.code.to_string(),
            name: text_json(&e.name),
            description: text_json(&e.description),
            journey_order: e.journey_order,
            eu_code: e.eu_code.to_string(),
            status: e.status.to_string(),
            provenance: e.provenance.to_string(),
            version,
            updated_at: now.to_string(),
        }
    }

    pub fn to_domain(&self) -> Result<LifeEvent, StoreError> {
        let t = "life_event";
        let c = self.code.as_str();
        Ok(LifeEvent {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            description: text(t, c, "description", &self.description)?,
            journey_order: self.journey_order,
            eu_code: word(t, c, "eu_code", &self.eu_code)?,
            status: word(t, c, "status", &self.status)?,
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = evidence_types, treat_none_as_null = true)]
pub(crate) struct EvidenceTypeRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub status: String,
    pub provenance: String,
    pub version: i32,
    pub updated_at: String,
}

impl EvidenceTypeRow {
    pub fn from_domain(e: &EvidenceType, version: i32, now: &str) -> Self {
        EvidenceTypeRow {
            code: e.code.to_string(),
            name: text_json(&e.name),
            description: text_json(&e.description),
            status: e.status.to_string(),
            provenance: e.provenance.to_string(),
            version,
            updated_at: now.to_string(),
        }
    }

    pub fn to_domain(&self) -> Result<EvidenceType, StoreError> {
        let t = "evidence_type";
        let c = self.code.as_str();
        Ok(EvidenceType {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            description: text(t, c, "description", &self.description)?,
            status: word(t, c, "status", &self.status)?,
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = outputs, treat_none_as_null = true)]
pub(crate) struct OutputRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub output_type: String,
    pub evidence_type_code: Option<String>,
    pub status: String,
    pub provenance: String,
    pub version: i32,
    pub updated_at: String,
}

impl OutputRow {
    pub fn from_domain(o: &Output, version: i32, now: &str) -> Self {
        OutputRow {
            code: o.code.to_string(),
            name: text_json(&o.name),
            description: text_json(&o.description),
            output_type: o.output_type.to_string(),
            evidence_type_code: o.evidence_type.as_ref().map(Code::to_string),
            status: o.status.to_string(),
            provenance: o.provenance.to_string(),
            version,
            updated_at: now.to_string(),
        }
    }

    pub fn to_domain(&self) -> Result<Output, StoreError> {
        let t = "output";
        let c = self.code.as_str();
        Ok(Output {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            description: text(t, c, "description", &self.description)?,
            output_type: word(t, c, "type", &self.output_type)?,
            evidence_type: opt_code(t, c, "evidence_type", self.evidence_type_code.as_deref())?,
            status: word(t, c, "status", &self.status)?,
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = information_systems, treat_none_as_null = true)]
pub(crate) struct InformationSystemRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub owner_code: String,
    pub base_registry: bool,
    pub lifecycle: String,
    pub digitisation_state: String,
    pub digitisation_share_pct: Option<i32>,
    pub digitisation_as_of: Option<String>,
    pub provenance: String,
    pub search_text: String,
    pub version: i32,
    pub updated_at: String,
}

impl InformationSystemRow {
    pub fn from_domain(s: &InformationSystem, version: i32, now: &str) -> Self {
        InformationSystemRow {
            code: s.code.to_string(),
            name: text_json(&s.name),
            description: text_json(&s.description),
            owner_code: s.owner.to_string(),
            base_registry: s.base_registry,
            lifecycle: s.lifecycle.to_string(),
            digitisation_state: s.digitisation.state.to_string(),
            digitisation_share_pct: s.digitisation.share_pct,
            digitisation_as_of: s.digitisation.as_of.clone(),
            provenance: s.provenance.to_string(),
            search_text: search_text(&s.code, &[&s.name, &s.description]),
            version,
            updated_at: now.to_string(),
        }
    }

    pub fn to_domain(&self) -> Result<InformationSystem, StoreError> {
        let t = "information_system";
        let c = self.code.as_str();
        Ok(InformationSystem {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            description: text(t, c, "description", &self.description)?,
            owner: code_of(t, c, "owner", &self.owner_code)?,
            base_registry: self.base_registry,
            lifecycle: word(t, c, "lifecycle", &self.lifecycle)?,
            digitisation: Digitisation {
                state: word(t, c, "digitisation.state", &self.digitisation_state)?,
                share_pct: self.digitisation_share_pct,
                as_of: self.digitisation_as_of.clone(),
            },
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = datasets, treat_none_as_null = true)]
pub(crate) struct DatasetRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub system_code: String,
    pub status: String,
    pub provenance: String,
    pub version: i32,
    pub updated_at: String,
}

impl DatasetRow {
    pub fn from_domain(d: &Dataset, version: i32, now: &str) -> Self {
        DatasetRow {
            code: d.code.to_string(),
            name: text_json(&d.name),
            description: text_json(&d.description),
            system_code: d.system.to_string(),
            status: d.status.to_string(),
            provenance: d.provenance.to_string(),
            version,
            updated_at: now.to_string(),
        }
    }

    pub fn to_domain(&self) -> Result<Dataset, StoreError> {
        let t = "dataset";
        let c = self.code.as_str();
        Ok(Dataset {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            description: text(t, c, "description", &self.description)?,
            system: code_of(t, c, "system", &self.system_code)?,
            // Read with the relations: `RelationMap::attach`.
            supplies: Vec::new(),
            status: word(t, c, "status", &self.status)?,
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = services, treat_none_as_null = true)]
pub(crate) struct ServiceRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub status: String,
    pub audience: String,
    pub provenance: String,
    pub search_text: String,
    pub version: i32,
    pub updated_at: String,
}

impl ServiceRow {
    pub fn from_domain(s: &Service, version: i32, now: &str) -> Self {
        ServiceRow {
            code: s.code.to_string(),
            name: text_json(&s.name),
            description: text_json(&s.description),
            status: s.status.to_string(),
            audience: s
                .audience
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(","),
            provenance: s.provenance.to_string(),
            search_text: search_text(&s.code, &[&s.name, &s.description]),
            version,
            updated_at: now.to_string(),
        }
    }

    pub fn to_domain(&self, channels: Vec<Channel>) -> Result<Service, StoreError> {
        let t = "service";
        let c = self.code.as_str();
        let audience = self
            .audience
            .split(',')
            .filter(|a| !a.is_empty())
            .map(|a| word(t, c, "audience", a))
            .collect::<Result<Vec<Audience>, _>>()?;
        Ok(Service {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            description: text(t, c, "description", &self.description)?,
            status: word(t, c, "status", &self.status)?,
            audience,
            // Read with the relations: `RelationMap::attach`.
            organisations: Vec::new(),
            life_events: Vec::new(),
            evidence: Vec::new(),
            outputs: Vec::new(),
            channels,
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = channels, treat_none_as_null = true)]
pub(crate) struct ChannelRow {
    pub code: String,
    pub service_code: String,
    pub channel_type: String,
    pub url: Option<String>,
    pub e_id: bool,
    pub e_signature: bool,
    pub e_payment: bool,
    pub electronic_output: bool,
    pub status: String,
    pub provenance: String,
}

impl ChannelRow {
    pub fn from_domain(service: &Code, ch: &Channel) -> Self {
        ChannelRow {
            code: ch.code.to_string(),
            service_code: service.to_string(),
            channel_type: ch.channel_type.to_string(),
            url: ch.url.clone(),
            e_id: ch.e_id,
            e_signature: ch.e_signature,
            e_payment: ch.e_payment,
            electronic_output: ch.electronic_output,
            status: ch.status.to_string(),
            provenance: ch.provenance.to_string(),
        }
    }

    pub fn to_domain(&self) -> Result<Channel, StoreError> {
        let t = "channel";
        let c = self.code.as_str();
        Ok(Channel {
            code: code_of(t, c, "code", c)?,
            channel_type: word(t, c, "type", &self.channel_type)?,
            url: self.url.clone(),
            e_id: self.e_id,
            e_signature: self.e_signature,
            e_payment: self.e_payment,
            electronic_output: self.electronic_output,
            status: word(t, c, "status", &self.status)?,
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = exchange_links, treat_none_as_null = true)]
pub(crate) struct ExchangeLinkRow {
    pub code: String,
    pub source_dataset_code: Option<String>,
    pub source_system_code: Option<String>,
    pub target_system_code: Option<String>,
    pub target_service_code: Option<String>,
    pub status: String,
    pub purpose: String,
    pub legal_basis: Option<String>,
    pub provenance: String,
    pub version: i32,
    pub updated_at: String,
}

impl ExchangeLinkRow {
    pub fn from_domain(l: &ExchangeLink, version: i32, now: &str) -> Self {
        let s = |c: &Option<Code>| c.as_ref().map(Code::to_string);
        ExchangeLinkRow {
            code: l.code.to_string(),
            source_dataset_code: s(&l.source_dataset),
            source_system_code: s(&l.source_system),
            target_system_code: s(&l.target_system),
            target_service_code: s(&l.target_service),
            status: l.status.to_string(),
            purpose: text_json(&l.purpose),
            legal_basis: l.legal_basis.clone(),
            provenance: l.provenance.to_string(),
            version,
            updated_at: now.to_string(),
        }
    }

    pub fn to_domain(&self) -> Result<ExchangeLink, StoreError> {
        let t = "exchange_link";
        let c = self.code.as_str();
        Ok(ExchangeLink {
            code: code_of(t, c, "code", c)?,
            source_dataset: opt_code(t, c, "source_dataset", self.source_dataset_code.as_deref())?,
            source_system: opt_code(t, c, "source_system", self.source_system_code.as_deref())?,
            target_system: opt_code(t, c, "target_system", self.target_system_code.as_deref())?,
            target_service: opt_code(t, c, "target_service", self.target_service_code.as_deref())?,
            status: word(t, c, "status", &self.status)?,
            purpose: text(t, c, "purpose", &self.purpose)?,
            legal_basis: self.legal_basis.clone(),
            provenance: word(t, c, "provenance", &self.provenance)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = revisions)]
pub(crate) struct RevisionRow {
    pub entity_kind: String,
    pub entity_code: String,
    pub version: i32,
    pub action: String,
    pub author: String,
    pub reason: String,
    pub created_at: String,
    pub snapshot: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Vec<Code> {
        list.iter().map(|c| Code::parse(c).expect("code")).collect()
    }

    /// Each record gets its own lists however the database ordered the rows (a collation
    /// may order codes otherwise than Rust does), and relations from a code no record has are
    /// passed over.
    #[test]
    fn relations_reach_their_records_in_any_order_read() {
        let service = |code: &str| {
            serde_json::json!({ "code": code, "name": { "en": code }, "status": "active",
                "organisations": [], "provenance": "seed" })
        };
        let mut reg = Registry {
            services: serde_json::from_value(serde_json::json!([
                service("S-10"),
                service("S-2"),
                service("S-9")
            ]))
            .expect("services"),
            ..Registry::default()
        };
        reg.sort();
        let mut rel = RelationMap::default();
        for (from, to) in [
            ("S-9", &["O-9"][..]),
            ("S-10", &["O-10", "O-1"][..]),
            ("S-5", &["O-5"][..]),
            ("S-2", &["O-2"][..]),
        ] {
            rel.insert(REL_SERVICE_ORGANISATION, from.into(), codes(to));
        }
        rel.insert(REL_SERVICE_EVIDENCE, "S-9".into(), codes(&["E-1", "E-2"]));
        rel.attach(&mut reg);
        let got: Vec<(&str, Vec<Code>, Vec<Code>)> = reg
            .services
            .iter()
            .map(|s| (s.code.as_str(), s.organisations.clone(), s.evidence.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("S-10", codes(&["O-10", "O-1"]), vec![]),
                ("S-2", codes(&["O-2"]), vec![]),
                ("S-9", codes(&["O-9"]), codes(&["E-1", "E-2"])),
            ]
        );
    }
}
