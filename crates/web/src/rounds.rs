//! Published monitoring rounds in `/api/v1`: the list, each round's dashboard (national index
//! and its change, stages, improved / regressed / new), and its averages by life event and
//! by organisation.

use crate::AppState;
use crate::api::{
    ApiError, Key, ListParams, ListQuery, NoParams, Param, json_response, list_response, page,
    sort_rows,
};
use crate::snapshot::{LIFE_EVENTS, ORGANISATIONS, RoundData, Seed, Snapshot};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use egovwatch_domain::Text;
use egovwatch_domain::monitoring::Round;
use egovwatch_domain::scoring::Framework;
use serde::Serialize;

/// A published round in a list: what it is, its national index and where its parts are.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RoundItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    period_start: &'s str,
    period_end: &'s str,
    framework: &'s str,
    framework_version: &'s str,
    state: String,
    revision: i32,
    published_at: Option<&'s str>,
    services: usize,
    index: Option<f64>,
    previous: Option<&'s str>,
    index_before: Option<f64>,
    links: RoundLinks,
}

#[derive(Serialize, utoipa::ToSchema)]
struct RoundLinks {
    #[serde(rename = "self")]
    own: String,
    life_events: String,
    organisations: String,
    services: String,
}

/// What a round's item says beyond the round and its framework: how many services it assessed,
/// its national index, and the round before it in its series with its index then.
pub(crate) struct Standing<'s> {
    pub services: usize,
    pub index: Option<f64>,
    pub previous: Option<&'s str>,
    pub index_before: Option<f64>,
}

/// Round `round`, scored with `fw`, as a list gives it.
pub(crate) fn item_of<'s>(
    round: &'s Round,
    fw: &'s Framework,
    standing: Standing<'s>,
) -> RoundItem<'s> {
    let code = &round.code;
    RoundItem {
        code,
        name: &round.name,
        period_start: &round.period_start,
        period_end: &round.period_end,
        framework: &fw.id,
        framework_version: &fw.version,
        state: round.state.to_string(),
        revision: round.revision,
        published_at: round.published_at.as_deref(),
        services: standing.services,
        index: standing.index,
        previous: standing.previous,
        index_before: standing.index_before,
        links: RoundLinks {
            own: format!("/api/v1/rounds/{code}"),
            life_events: format!("/api/v1/rounds/{code}/life-events"),
            organisations: format!("/api/v1/rounds/{code}/organisations"),
            services: format!("/api/v1/services?round={code}"),
        },
    }
}

pub fn round_item<'s>(s: &'s Snapshot, r: &'s RoundData) -> RoundItem<'s> {
    let previous = r.previous.map(|p| &s.rounds[p]);
    item_of(
        &r.round,
        &r.fw,
        Standing {
            services: r.services(),
            index: r.index(),
            previous: previous.map(|p| p.round.code.as_str()),
            index_before: r.comparison.as_ref().and_then(|c| c.index_before),
        },
    )
}

/// What `/api/v1/rounds` takes.
pub const ROUNDS: ListParams = ListParams {
    filters: &[Param::text(
        "framework",
        "Only rounds scored with this framework (id)",
    )],
    sorts: &["code", "period"],
};

/// What a round's averages by life event or by organisation take.
pub const GROUPS: ListParams = ListParams {
    filters: &[],
    sorts: &["code", "score", "delta"],
};

pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &ROUNDS)?;
    if let Some(answer) = crate::direct::rounds(&state, &q).await? {
        return Ok(answer);
    }
    let s = state.snapshot().await?;
    let mut rows: Vec<usize> = (0..s.rounds.len())
        .filter(|&i| q.filter("framework").is_none_or(|f| s.rounds[i].fw.id == f))
        .collect();
    if let Some((key, desc)) = &q.sort {
        sort_rows(
            &mut rows,
            |&i| s.rounds[i].round.code.clone(),
            |&i| match key.as_str() {
                "period" => Key::Text(s.rounds[i].round.period_start.clone()),
                _ => Key::Text(s.rounds[i].round.code.clone()),
            },
            *desc,
        );
    }
    let (slice, next) = page(&rows, |&i| s.rounds[i].round.code.as_str(), &q)?;
    let items = slice
        .iter()
        .map(|&i| round_item(&s, &s.rounds[i]))
        .collect();
    Ok(list_response(
        &s.tag,
        "/api/v1/rounds",
        &q,
        rows.len(),
        items,
        next,
    ))
}

/// A round's dashboard: the round as listed, how many services stand at each stage, and how
/// many moved since the round compared with.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Round)]
pub struct Dashboard<'s> {
    #[serde(flatten)]
    round: RoundItem<'s>,
    stages: Vec<StageCount<'s>>,
    movement: MovementCounts,
}

#[derive(Serialize, utoipa::ToSchema)]
struct StageCount<'s> {
    stage: usize,
    #[schema(value_type = Option<crate::openapi::TextDoc>)]
    name: Option<&'s Text>,
    services: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
struct MovementCounts {
    improved: usize,
    regressed: usize,
    unchanged: usize,
    new: usize,
    withdrawn: usize,
}

/// The round's dashboard numbers.
pub fn dashboard<'s>(s: &'s Snapshot, r: &'s RoundData) -> Dashboard<'s> {
    let levels = r.fw.stage_levels();
    let stages = r
        .stage_counts()
        .into_iter()
        .enumerate()
        .map(|(stage, services)| StageCount {
            stage,
            name: levels.get(stage).map(|l| &l.name),
            services,
        })
        .collect();
    let [improved, regressed, unchanged, new, withdrawn] = r.movement_counts();
    Dashboard {
        round: round_item(s, r),
        stages,
        movement: MovementCounts {
            improved,
            regressed,
            unchanged,
            new,
            withdrawn,
        },
    }
}

fn round_of<'s>(s: &'s Snapshot, code: &str) -> Result<&'s RoundData, ApiError> {
    s.round(code)
        .map(|(_, r)| &**r)
        .ok_or_else(|| ApiError::not_found("published round", code))
}

pub async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
    _: NoParams,
) -> Result<Response, ApiError> {
    let s = state.snapshot_of(Seed::Round(code.clone())).await?;
    let r = round_of(&s, &code)?;
    Ok(json_response(&dashboard(&s, r)))
}

/// A round's headline average for one life event or organisation, beside the previous round's.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = GroupScore)]
pub struct GroupItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    score: f64,
    before: Option<f64>,
    delta: Option<f64>,
    services: usize,
}

impl GroupItem<'_> {
    /// The value the list is sorted by under `key`.
    fn key(&self, key: &str) -> Key {
        match key {
            "score" => Key::Num(self.score),
            "delta" => self.delta.map_or(Key::Missing, Key::Num),
            _ => Key::Text(self.code.to_string()),
        }
    }
}

/// Headline averages of a round by group with the change since the previous round.
pub fn group_rows<'s>(s: &'s Snapshot, r: &'s RoundData, grouping: usize) -> Vec<GroupItem<'s>> {
    s.group_scores(r, grouping)
        .into_iter()
        .map(|g| GroupItem {
            code: g.code,
            name: g.name,
            score: g.now,
            before: g.before,
            delta: g.delta,
            services: g.services,
        })
        .collect()
}

async fn groups(
    state: AppState,
    code: String,
    raw: Option<String>,
    grouping: usize,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &GROUPS)?;
    let s = state.snapshot_of(Seed::Round(code.clone())).await?;
    let r = round_of(&s, &code)?;
    let mut rows = group_rows(&s, r, grouping);
    if let Some((key, desc)) = &q.sort {
        sort_rows(&mut rows, |g| g.code.to_string(), |g| g.key(key), *desc);
    }
    let (slice, next) = page(&rows, |g| g.code, &q)?;
    let what = if grouping == LIFE_EVENTS {
        "life-events"
    } else {
        "organisations"
    };
    Ok(list_response(
        &s.tag,
        &format!("/api/v1/rounds/{code}/{what}"),
        &q,
        rows.len(),
        slice.iter().collect::<Vec<_>>(),
        next,
    ))
}

pub async fn life_events(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    groups(state, code, raw, LIFE_EVENTS).await
}

pub async fn organisations(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    groups(state, code, raw, ORGANISATIONS).await
}
