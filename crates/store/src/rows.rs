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

pub(crate) fn text(table: &str, code: &str, field: &str, s: &str) -> Result<Text, StoreError> {
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

pub(crate) fn code_of(table: &str, code: &str, field: &str, s: &str) -> Result<Code, StoreError> {
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

/// A record's lists of references as its row keeps them (`refs`): a line per list, each the
/// codes in their order separated by one space (a code has neither).
pub(crate) fn packed(lists: &[&[Code]]) -> String {
    let mut s = String::with_capacity(
        lists
            .iter()
            .flat_map(|l| l.iter())
            .map(|c| c.as_str().len() + 1)
            .sum(),
    );
    for (i, list) in lists.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        for (j, code) in list.iter().enumerate() {
            if j > 0 {
                s.push(' ');
            }
            s.push_str(code.as_str());
        }
    }
    s
}

/// The `N` lists of references of [`packed`], read back.
pub(crate) fn unpacked<const N: usize>(
    table: &str,
    code: &str,
    refs: &str,
) -> Result<[Vec<Code>; N], StoreError> {
    let lines = refs.split('\n').count();
    if lines != N {
        let s = if lines == 1 { "" } else { "s" };
        return Err(corrupt(
            table,
            code,
            "refs",
            format!("{lines} line{s} where {N} are kept"),
        ));
    }
    let mut lists: [Vec<Code>; N] = std::array::from_fn(|_| Vec::new());
    for (list, line) in lists.iter_mut().zip(refs.split('\n')) {
        if !line.is_empty() {
            list.reserve_exact(line.split(' ').count());
            for to in line.split(' ') {
                list.push(code_of(table, code, "refs", to)?);
            }
        }
    }
    Ok(lists)
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

/// Channels by the code of their service, each service's in the order read.
pub(crate) fn channels_by_service(
    rows: impl IntoIterator<Item = Result<ChannelRow, diesel::result::Error>>,
) -> Result<HashMap<String, Vec<Channel>>, StoreError> {
    let mut channels: HashMap<String, Vec<Channel>> = HashMap::new();
    for ch in rows {
        let ch = ch?;
        let channel = ch.to_domain()?;
        channels.entry(ch.service_code).or_default().push(channel);
    }
    Ok(channels)
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
    /// The evidence it supplies ([`packed`]).
    pub refs: String,
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
            refs: packed(&[&d.supplies]),
        }
    }

    pub fn to_domain(&self) -> Result<Dataset, StoreError> {
        let t = "dataset";
        let c = self.code.as_str();
        let [supplies] = unpacked(t, c, &self.refs)?;
        Ok(Dataset {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            description: text(t, c, "description", &self.description)?,
            system: code_of(t, c, "system", &self.system_code)?,
            supplies,
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
    /// Its organisations, life events, evidence and outputs ([`packed`]).
    pub refs: String,
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
            refs: packed(&[&s.organisations, &s.life_events, &s.evidence, &s.outputs]),
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
        let [organisations, life_events, evidence, outputs] = unpacked(t, c, &self.refs)?;
        Ok(Service {
            code: code_of(t, c, "code", c)?,
            name: text(t, c, "name", &self.name)?,
            description: text(t, c, "description", &self.description)?,
            status: word(t, c, "status", &self.status)?,
            audience,
            organisations,
            life_events,
            evidence,
            outputs,
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

    /// Every list comes back as it was packed, empty ones included, in its order.
    #[test]
    fn references_come_back_as_packed() {
        let lists = [
            codes(&["O-10", "O-1"]),
            vec![],
            codes(&["E.1", "E_2", "E-3"]),
            vec![],
        ];
        let refs = packed(&[&lists[0], &lists[1], &lists[2], &lists[3]]);
        assert_eq!(refs, "O-10 O-1\n\nE.1 E_2 E-3\n");
        assert_eq!(unpacked::<4>("service", "S-1", &refs).expect("read"), lists);
        assert_eq!(packed(&[&[]]), "");
        assert_eq!(
            unpacked::<1>("dataset", "D-1", "").expect("read"),
            [Vec::<Code>::new()]
        );
    }

    /// A row whose references are not what its table keeps is an error naming the row, never
    /// a record with lists missing or moved.
    #[test]
    fn references_not_as_kept_are_refused() {
        for (refs, says) in [
            ("O-1\nLE-1\nE-1", "3 lines where 4 are kept"),
            ("", "1 line where 4 are kept"),
            ("O-1\nLE-1\nE-1\n\n", "5 lines where 4 are kept"),
            ("O-1\nLE-1  LE-2\n\n", "is empty"),
            ("O-1\nle-1\n\n", "is not a code"),
        ] {
            let e = unpacked::<4>("service", "S-1", refs)
                .expect_err(refs)
                .to_string();
            assert!(
                e.contains("service S-1: refs") && e.contains(says),
                "{refs:?}: {e}"
            );
        }
    }
}
