//! Rows of the monitoring tables and their conversion to the domain's rounds and assessments.

use crate::StoreError;
use crate::schema::{assessments, rounds};
use diesel::prelude::*;
use egovwatch_domain::monitoring::{Assessment, Round};

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
