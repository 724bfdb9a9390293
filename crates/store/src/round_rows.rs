//! Rows of the monitoring tables and their conversion to the domain's rounds and assessments.

use crate::StoreError;
use crate::schema::{
    assessments, round_group_results, round_results, round_total_results, round_unit_results,
    rounds,
};
use diesel::prelude::*;
use egovwatch_domain::monitoring::{
    Assessment, GroupResult, Movement, NodeResult, Round, RoundResults, UnitResult,
};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = rounds)]
pub struct RoundRow {
    pub code: String,
    pub name: String,
    pub period_start: String,
    pub period_end: String,
    pub framework: String,
    pub framework_version: String,
    pub scope: String,
    pub state: String,
    pub assessors: i32,
    pub revision: i32,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub published_at: Option<String>,
    pub version: i32,
}

impl RoundRow {
    pub fn from_domain(r: &Round, version: i32) -> Result<RoundRow, StoreError> {
        Ok(RoundRow {
            code: r.code.clone(),
            name: crate::rows::text_json(&r.name),
            period_start: r.period_start.clone(),
            period_end: r.period_end.clone(),
            framework: r.framework.clone(),
            framework_version: r.framework_version.clone(),
            scope: serde_json::to_string(&r.scope)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            state: r.state.as_str().to_string(),
            assessors: i32::from(r.assessors),
            revision: r.revision,
            created_at: r.created_at.clone(),
            closed_at: r.closed_at.clone(),
            published_at: r.published_at.clone(),
            version,
        })
    }

    pub fn to_domain(&self) -> Result<Round, StoreError> {
        let bad = |what: &str, e: String| {
            StoreError::Corrupt(format!("round {}: {what}: {e}", self.code))
        };
        Ok(Round {
            code: self.code.clone(),
            name: crate::rows::stored_text(Some(&self.name)),
            period_start: self.period_start.clone(),
            period_end: self.period_end.clone(),
            framework: self.framework.clone(),
            framework_version: self.framework_version.clone(),
            scope: serde_json::from_str(&self.scope).map_err(|e| bad("scope", e.to_string()))?,
            state: self.state.parse().map_err(|e| bad("state", e))?,
            assessors: u8::try_from(self.assessors).map_err(|e| bad("assessors", e.to_string()))?,
            revision: self.revision,
            created_at: self.created_at.clone(),
            closed_at: self.closed_at.clone(),
            published_at: self.published_at.clone(),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessments)]
pub struct AssessmentRow {
    pub round_code: String,
    pub seq: i32,
    pub service_code: String,
    pub channel_code: Option<String>,
    pub perspective: String,
    pub question: String,
    pub answer: String,
    pub evidence_url: Option<String>,
    pub evidence_note: Option<String>,
    pub evidence_hash: Option<String>,
    pub assessor: String,
    pub assessed_at: String,
    pub source: String,
    pub round_revision: i32,
    pub correction: Option<String>,
}

impl AssessmentRow {
    pub fn from_domain(round: &str, seq: i32, a: &Assessment) -> AssessmentRow {
        AssessmentRow {
            round_code: round.to_string(),
            seq,
            service_code: a.service.clone(),
            channel_code: a.channel.clone(),
            perspective: a.perspective.as_str().to_string(),
            question: a.question.clone(),
            answer: a.answer.clone(),
            evidence_url: a.evidence_url.clone(),
            evidence_note: (!a.evidence_note.is_empty())
                .then(|| crate::rows::text_json(&a.evidence_note)),
            evidence_hash: a.evidence_hash.clone(),
            assessor: a.assessor.clone(),
            assessed_at: a.assessed_at.clone(),
            source: a.source.as_str().to_string(),
            round_revision: a.revision,
            correction: a.correction.as_ref().map(crate::rows::text_json),
        }
    }

    pub fn into_domain(self) -> Result<Assessment, StoreError> {
        let source = self.source.parse().map_err(|e| {
            StoreError::Corrupt(format!("assessment {}#{}: {e}", self.round_code, self.seq))
        })?;
        Ok(Assessment {
            service: self.service_code,
            channel: self.channel_code,
            perspective: self.perspective.parse().map_err(|e| {
                StoreError::Corrupt(format!("assessment {}#{}: {e}", self.round_code, self.seq))
            })?,
            question: self.question,
            answer: self.answer,
            evidence_url: self.evidence_url,
            evidence_note: crate::rows::stored_text(self.evidence_note.as_deref()),
            evidence_hash: self.evidence_hash,
            assessor: self.assessor,
            assessed_at: self.assessed_at,
            source,
            correction: self.correction.map(|c| crate::rows::stored_text(Some(&c))),
            revision: self.round_revision,
        })
    }
}

/// The rows of a round's stored results ([`RoundResults`]).
pub struct ResultRows {
    pub summary: ResultRow,
    pub units: Vec<UnitResultRow>,
    pub groups: Vec<GroupResultRow>,
    pub totals: Vec<TotalResultRow>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = round_results)]
pub struct ResultRow {
    pub round_code: String,
    pub revision: i32,
    pub against: Option<String>,
    pub national_index: Option<f64>,
    pub index_before: Option<f64>,
    pub findings: Option<String>,
    pub withdrawn: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = round_unit_results)]
pub struct UnitResultRow {
    pub round_code: String,
    pub service_code: String,
    pub perspective: String,
    pub seq: i32,
    pub stage: Option<i32>,
    pub headline: Option<f64>,
    pub movement: Option<String>,
    pub stage_before: Option<i32>,
    pub headline_before: Option<f64>,
    pub node_values: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = round_group_results)]
pub struct GroupResultRow {
    pub round_code: String,
    pub grouping: String,
    pub group_code: String,
    pub node: String,
    pub seq: i32,
    pub value: Option<f64>,
    pub services: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = round_total_results)]
pub struct TotalResultRow {
    pub round_code: String,
    pub node: String,
    pub seq: i32,
    pub value: Option<f64>,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn word<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(StoreError::Corrupt("a word that is not one".into())),
    }
}

impl ResultRows {
    pub fn from_domain(r: &RoundResults) -> Result<ResultRows, StoreError> {
        let code = || r.round.clone();
        let stage = |s: Option<u8>| s.map(i32::from);
        Ok(ResultRows {
            summary: ResultRow {
                round_code: code(),
                revision: r.revision,
                against: r.against.clone(),
                national_index: r.index,
                index_before: r.index_before,
                findings: r.findings.as_ref().map(json).transpose()?,
                withdrawn: json(&r.withdrawn)?,
            },
            units: r
                .units
                .iter()
                .zip(0..)
                .map(|(u, seq)| {
                    Ok(UnitResultRow {
                        round_code: code(),
                        service_code: u.service.clone(),
                        perspective: u.perspective.as_str().to_string(),
                        seq,
                        stage: stage(u.stage),
                        headline: u.headline,
                        movement: u.movement.as_ref().map(word).transpose()?,
                        stage_before: stage(u.stage_before),
                        headline_before: u.headline_before,
                        node_values: json(&u.values)?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            groups: r
                .groups
                .iter()
                .zip(0..)
                .map(|(g, seq)| GroupResultRow {
                    round_code: code(),
                    grouping: g.grouping.clone(),
                    group_code: g.code.clone(),
                    node: g.node.clone(),
                    seq,
                    value: g.value,
                    services: i32::try_from(g.services).unwrap_or(i32::MAX),
                })
                .collect(),
            totals: r
                .totals
                .iter()
                .zip(0..)
                .map(|(t, seq)| TotalResultRow {
                    round_code: code(),
                    node: t.node.clone(),
                    seq,
                    value: t.value,
                })
                .collect(),
        })
    }

    pub fn into_domain(self) -> Result<RoundResults, StoreError> {
        let round = self.summary.round_code;
        let bad = |what: &str, e: String| {
            StoreError::Corrupt(format!("results of round {round}: {what}: {e}"))
        };
        let stage = |s: Option<i32>| s.and_then(|s| u8::try_from(s).ok());
        let units = self
            .units
            .into_iter()
            .map(|u| {
                Ok(UnitResult {
                    perspective: u.perspective.parse().map_err(|e| bad("perspective", e))?,
                    movement: u
                        .movement
                        .map(|m| {
                            Movement::ALL
                                .iter()
                                .copied()
                                .find(|w| w.as_str() == m)
                                .ok_or_else(|| bad("movement", format!("unknown word {m:?}")))
                        })
                        .transpose()?,
                    // Read without them (`Store::round_results_in_brief`): nothing to parse.
                    values: if u.node_values.is_empty() {
                        BTreeMap::new()
                    } else {
                        serde_json::from_str(&u.node_values)
                            .map_err(|e| bad("node values", e.to_string()))?
                    },
                    service: u.service_code,
                    stage: stage(u.stage),
                    headline: u.headline,
                    stage_before: stage(u.stage_before),
                    headline_before: u.headline_before,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(RoundResults {
            revision: self.summary.revision,
            against: self.summary.against,
            index: self.summary.national_index,
            index_before: self.summary.index_before,
            findings: self
                .summary
                .findings
                .map(|f| serde_json::from_str(&f))
                .transpose()
                .map_err(|e| bad("findings", e.to_string()))?,
            withdrawn: serde_json::from_str(&self.summary.withdrawn)
                .map_err(|e| bad("withdrawn", e.to_string()))?,
            units,
            groups: self
                .groups
                .into_iter()
                .map(|g| GroupResult {
                    grouping: g.grouping,
                    code: g.group_code,
                    node: g.node,
                    value: g.value,
                    services: usize::try_from(g.services).unwrap_or_default(),
                })
                .collect(),
            totals: self
                .totals
                .into_iter()
                .map(|t| NodeResult {
                    node: t.node,
                    value: t.value,
                })
                .collect(),
            round,
        })
    }
}
