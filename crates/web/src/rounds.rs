//! Published monitoring rounds in `/api/v1`: the list, each round's dashboard (national index
//! and its change, stages, improved / regressed / new), and its averages by life event and
//! by organisation.

use crate::AppState;
use crate::api::{ApiError, Key, ListQuery, json_response, list_response, page, sort_rows};
use crate::snapshot::{LIFE_EVENTS, ORGANISATIONS, RoundData, Snapshot};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::{Value, json};

use crate::records::text;

pub fn round_item(s: &Snapshot, r: &RoundData) -> Value {
    let previous = r.previous.map(|p| &s.rounds[p]);
    let c = r.comparison.as_ref();
    json!({
        "code": r.round.code,
        "name": text(&r.round.name),
        "period_start": r.round.period_start,
        "period_end": r.round.period_end,
        "framework": r.fw.id,
        "framework_version": r.fw.version,
        "state": r.round.state.to_string(),
        "revision": r.round.revision,
        "published_at": r.round.published_at,
        "services": r.services(),
        "index": r.index(),
        "previous": previous.map(|p| p.round.code.as_str()),
        "index_before": c.and_then(|c| c.index_before),
        "links": {
            "self": format!("/api/v1/rounds/{}", r.round.code),
            "life_events": format!("/api/v1/rounds/{}/life-events", r.round.code),
            "organisations": format!("/api/v1/rounds/{}/organisations", r.round.code),
            "services": format!("/api/v1/services?round={}", r.round.code),
        },
    })
}

pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &["framework"], &["code", "period"])?;
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
        &s,
        "/api/v1/rounds",
        &q,
        rows.len(),
        items,
        next,
    ))
}

/// The round's dashboard numbers.
pub fn dashboard(s: &Snapshot, r: &RoundData) -> Value {
    let mut v = round_item(s, r);
    let levels = r.fw.stage_levels();
    v["stages"] = r
        .stage_counts()
        .iter()
        .enumerate()
        .map(|(st, n)| json!({ "stage": st, "name": levels.get(st).map(|l| text(&l.name)), "services": n }))
        .collect();
    let [improved, regressed, unchanged, new, withdrawn] = r.movement_counts();
    v["movement"] = json!({ "improved": improved, "regressed": regressed, "unchanged": unchanged, "new": new, "withdrawn": withdrawn });
    v
}

fn round_of<'s>(s: &'s Snapshot, code: &str) -> Result<&'s RoundData, ApiError> {
    s.round(code)
        .map(|(_, r)| &**r)
        .ok_or_else(|| ApiError::not_found("published round", code))
}

pub async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let s = state.snapshot().await?;
    let r = round_of(&s, &code)?;
    Ok(json_response(&dashboard(&s, r)))
}

/// Headline averages of a round by group with the change since the previous round.
pub fn group_rows(s: &Snapshot, r: &RoundData, grouping: usize) -> Vec<Value> {
    s.group_scores(r, grouping)
        .into_iter()
        .map(|g| {
            json!({
                "code": g.code,
                "name": text(g.name),
                "score": g.now,
                "before": g.before,
                "delta": g.delta,
                "services": g.services,
            })
        })
        .collect()
}

async fn groups(
    state: AppState,
    code: String,
    raw: Option<String>,
    grouping: usize,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &[], &["code", "score", "delta"])?;
    let s = state.snapshot().await?;
    let r = round_of(&s, &code)?;
    let mut rows = group_rows(&s, r, grouping);
    if let Some((key, desc)) = &q.sort {
        sort_rows(
            &mut rows,
            |v| v["code"].as_str().unwrap_or_default().to_string(),
            |v| match v[key.as_str()].as_f64() {
                Some(x) => Key::Num(x),
                None if key == "code" => Key::Text(v["code"].as_str().unwrap_or_default().into()),
                None => Key::Missing,
            },
            *desc,
        );
    }
    let (slice, next) = page(&rows, |v| v["code"].as_str().unwrap_or_default(), &q)?;
    let what = if grouping == LIFE_EVENTS {
        "life-events"
    } else {
        "organisations"
    };
    Ok(list_response(
        &s,
        &format!("/api/v1/rounds/{code}/{what}"),
        &q,
        rows.len(),
        slice.to_vec(),
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
