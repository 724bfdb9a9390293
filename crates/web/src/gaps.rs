//! The gaps page (ranking, blocked services, dependency view) and its JSON endpoint.

use crate::AppState;
use crate::api::{ApiError, ListParams, Param, names, schema};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::snapshot::{Seed, Snapshot};
use crate::tables::DataTable;
use crate::views::{Page, escape};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use egovwatch_domain::Lang;
use egovwatch_domain::gaps::explain::{
    Explained, IndexProjection, InvestmentView, ServiceView, explain,
};
use egovwatch_domain::gaps::{Assumption, BlockingRules, Condition, Weights};
use egovwatch_domain::index::{name_in, shown_name};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Query parameters: `round`, `assume` (repeatable) and, for the API, `lang`.
struct Query {
    round: Option<String>,
    assume: Vec<Assumption>,
    assume_text: Vec<String>,
    lang: Option<Lang>,
}

fn parse_query(raw: Option<&str>) -> Result<Query, String> {
    let mut q = Query {
        round: None,
        assume: Vec::new(),
        assume_text: Vec::new(),
        lang: None,
    };
    for (k, v) in crate::api::pairs(raw) {
        match k.as_str() {
            "round" if !v.is_empty() => q.round = Some(v),
            "assume" => {
                for line in v
                    .split(['\n', ','])
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                {
                    q.assume.push(Assumption::parse(line)?);
                    q.assume_text.push(line.to_string());
                }
            }
            "lang" => q.lang = Some(v.parse().map_err(|e: String| e)?),
            _ => {}
        }
    }
    Ok(q)
}

/// A gap analysis and, for a what-if, the permit it was computed under: whoever shows it
/// holds the permit until the answer is written, so at most `max_whatifs` what-ifs (with their
/// rendered pages) are in memory at once.
type Analysed = (
    Arc<Snapshot>,
    Arc<Explained>,
    IndexProjection,
    Option<tokio::sync::OwnedSemaphorePermit>,
);

/// The analysis of a published round (the current one unless `round` names another) with the
/// assumptions asked for, on the snapshot: the one without assumptions is computed once per
/// snapshot and language, a what-if on request.
async fn report(state: &AppState, q: &Query, lang: Lang) -> Result<Analysed, AppError> {
    // Without assumptions, the analysis of a round is of its part of the registry alone.
    let about = q
        .assume
        .is_empty()
        .then(|| q.round.clone().map_or(Seed::Current, Seed::Round));
    let snap = crate::pages::snapshot(state, lang, about).await?;
    let round = match &q.round {
        Some(code) => Some(
            snap.round(code)
                .map(|(i, _)| i)
                .ok_or_else(|| AppError::NotFound {
                    lang,
                    what: "published round".into(),
                    code: code.clone(),
                })?,
        ),
        None => snap
            .current()
            .and_then(|c| snap.round(&c.round.code).map(|(i, _)| i)),
    };
    let current = snap
        .current()
        .and_then(|c| snap.round(&c.round.code).map(|(i, _)| i));
    if q.assume.is_empty() && round == current {
        // Computed once per snapshot and language, seconds on a large registry: off the async
        // threads, so other requests go on meanwhile.
        // The projection scores the round from its answers (the analysis alone does not).
        let s = snap.clone();
        let gaps = tokio::task::spawn_blocking(move || {
            s.gaps(lang).map(|g| {
                let index = s.projection(&g);
                (g, index)
            })
        })
        .await
        .map_err(|e| AppError::internal(lang, e))?;
        return match gaps {
            Some((g, index)) => Ok((snap.clone(), g, index, None)),
            None => Err(AppError::internal(lang, "the blocking rules do not load")),
        };
    }
    // A what-if is computed on request, with memory in proportion to the registry: only
    // `max_whatifs` at once; others wait a little, then are told to come back.
    let permit = state.permit(&state.whatifs, lang).await?;
    let (s, assume) = (snap.clone(), q.assume.clone());
    // Held until the computation ends, even when the request is gone.
    let report =
        tokio::task::spawn_blocking(move || -> Result<(Explained, _), crate::error::Failure> {
            let rules = BlockingRules::default_rules()?;
            let tr = Tr::new(lang);
            let phrase = move |k: &str, a: &[(&'static str, &str)]| tr.with(k, a);
            let r = round.map(|i| &s.rounds[i]);
            let scored = r.and_then(|r| s.scored(r));
            Ok(explain(
                &s.reg,
                r.zip(scored.as_ref())
                    .map(|(r, scored)| (&r.round, &r.fw, scored)),
                &assume,
                &rules,
                &Weights::default(),
                lang,
                &phrase,
            )
            .map(|r| (r, permit))?)
        })
        .await
        .map_err(|e| AppError::internal(lang, e))?
        .map_err(|e| AppError::internal(lang, e))?;
    let index = report.0.index.clone();
    Ok((snap, Arc::new(report.0), index, Some(report.1)))
}

/// Investments the summary of `/api/v1/gaps` names; all of them are in its `investments` list.
const SUMMARY_INVESTMENTS: usize = 10;

/// What `/api/v1/gaps` answers: the analysis in brief.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct GapsSummary<'a> {
    round: Option<&'a str>,
    rules: &'a str,
    assumptions: &'a [String],
    /// The national index now and as projected once the investments are made.
    #[schema(value_type = Object)]
    index: IndexProjection,
    totals: GapsTotals,
    /// The first ten investments, ranked (all of them: `links.investments`).
    #[schema(value_type = Vec<crate::openapi::InvestmentDoc>)]
    investments: Vec<InvestmentItem<'a>>,
    links: GapsLinks,
}

/// How many items each list of the analysis holds.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct GapsTotals {
    investments: usize,
    services: usize,
    findings: usize,
}

/// Where the analysis' three lists are, with its own parameters.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct GapsLinks {
    investments: String,
    services: String,
    findings: String,
}

/// The services an investment's item lists with it; all of them are at its `unlocks_all`.
pub const UNLOCKS_LISTED: usize = 100;

/// The investments an investment's item names as going with it, the most shared first (a base
/// register's can go with hundreds); the item counts them all.
pub const WITH_LISTED: usize = 20;

/// An investment as the API gives it in a list: the analysis' investment with its first
/// [`UNLOCKS_LISTED`] services, how many there are and where all of them are, so that one
/// item stays small when a base register holds back tens of thousands of services.
#[derive(serde::Serialize)]
struct InvestmentItem<'a> {
    rank: usize,
    title: &'a str,
    id: &'a str,
    kind: &'static str,
    subject: &'a str,
    unlocks: &'a [egovwatch_domain::gaps::Unlock],
    unlocks_total: usize,
    unlocks_all: String,
    life_events: &'a [String],
    score: f64,
    delivers: f64,
    with: &'a [String],
    with_total: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score_per_cost: Option<f64>,
    unlocked_services: &'a [String],
}

impl<'a> InvestmentItem<'a> {
    /// `v` as an item, its list of all services kept under the analysis' parameters `params`
    /// (`round`, `assume`, `lang`, encoded).
    fn of(v: &'a InvestmentView, params: &[String]) -> InvestmentItem<'a> {
        let i = &v.investment;
        let n = i.unlocks.len().min(UNLOCKS_LISTED);
        let mut all = format!(
            "/api/v1/gaps/investments/{}/unlocks",
            crate::api::encode(&i.id)
        );
        if !params.is_empty() {
            all.push('?');
            all.push_str(&params.join("&"));
        }
        InvestmentItem {
            rank: v.rank,
            title: &v.title,
            id: &i.id,
            kind: i.kind,
            subject: &i.subject,
            unlocks: &i.unlocks[..n],
            unlocks_total: i.unlocks.len(),
            unlocks_all: all,
            life_events: &i.life_events,
            score: i.score,
            delivers: i.delivers,
            with: &i.with[..i.with.len().min(WITH_LISTED)],
            with_total: i.with.len(),
            cost: i.cost,
            score_per_cost: i.score_per_cost,
            unlocked_services: &v.unlocked_services[..n.min(v.unlocked_services.len())],
        }
    }
}

/// One service an investment is needed for, as `/api/v1/gaps/investments/{code}/unlocks`
/// lists it: what the investment means to it, and its name.
#[derive(serde::Serialize)]
struct UnlockItem<'a> {
    #[serde(flatten)]
    unlock: &'a egovwatch_domain::gaps::Unlock,
    name: &'a str,
}

/// The analysis' own parameters in `raw` (`round`, `assume`, `lang`), encoded, for the links of
/// its answers.
fn analysis_params(raw: Option<&str>) -> Vec<String> {
    crate::api::pairs(raw)
        .into_iter()
        .filter(|(k, _)| matches!(k.as_str(), "round" | "assume" | "lang"))
        .map(|(k, v)| format!("{k}={}", crate::api::encode(&v)))
        .collect()
}

/// What the gap analysis is made of: the round and the what-if assumptions.
const ANALYSIS: [Param; 2] = [
    Param::round(
        "round",
        "The round whose stages are analysed (default: the latest)",
    ),
    Param::text(
        "assume",
        "What-if assumptions, each an investment's `id` such as `dataset:LAND-CADASTRE=digitised` (repeatable)",
    ),
];

/// What `/api/v1/gaps` takes.
pub const SUMMARY: [Param; 3] = [
    ANALYSIS[0],
    ANALYSIS[1],
    Param::of("lang", "Language of names and reasons", schema::lang),
];

/// What the lists of `/api/v1/gaps/{list}` take.
pub const LISTS: ListParams = ListParams {
    filters: &ANALYSIS,
    sorts: &[],
};

/// The gaps page in a line: how many services the data keep below the top stage (`held`) and
/// the investment most needed, then how many are below it with nothing in the data holding
/// them back.
fn lead(tr: &Tr, r: &Explained, held: usize) -> String {
    let mut said = match r.investments.first() {
        _ if held == 0 => tr.t("gaps-lead-none"),
        Some(first) => {
            let first = match first.investment.moves() {
                0 => tr.with("gaps-lead-needed", &[("title", &first.title)]),
                n => tr.counted("gaps-lead-first", n, &[("title", &first.title)]),
            };
            format!("{} {first}", tr.counted("gaps-lead", held, &[]))
        }
        None => tr.counted("gaps-lead", held, &[]),
    };
    let not_built = r
        .services
        .iter()
        .filter(|s| s.gap.blocks.is_empty() && s.gap.stage.is_some_and(|st| st < s.gap.ceiling))
        .count();
    if not_built > 0 {
        said.push(' ');
        said.push_str(&tr.counted("gaps-lead-not-built", not_built, &[]));
    }
    said
}

/// `/api/v1/gaps`: the analysis in brief (round, assumptions, national index now and as
/// projected, how many investments, services and findings, the first investments) with links
/// to its three lists, each paged like every list of the API. Its size does not grow with the
/// registry.
pub async fn api(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = match parse_query(raw.as_deref()) {
        Ok(q) => q,
        Err(e) => return ApiError::bad(e).into_response(),
    };
    if let Err(e) = crate::api::only(raw.as_deref(), "the gap analysis", &names(&SUMMARY)) {
        return e.into_response();
    }
    let lang = q.lang.unwrap_or(Lang::En);
    let (r, index) = match report(&state, &q, lang).await {
        Ok((_, r, index, _permit)) => (r, index),
        Err(e) => return analysis_error(e),
    };
    let params = analysis_params(raw.as_deref());
    let list = |name: &str| match params.is_empty() {
        true => format!("/api/v1/gaps/{name}"),
        false => format!("/api/v1/gaps/{name}?{}", params.join("&")),
    };
    crate::api::json_response(&GapsSummary {
        round: r.round.as_deref(),
        rules: &r.rules,
        assumptions: &r.assumptions,
        index,
        totals: GapsTotals {
            investments: r.investments.len(),
            services: r.services.len(),
            findings: r.findings.len(),
        },
        investments: r.investments[..r.investments.len().min(SUMMARY_INVESTMENTS)]
            .iter()
            .map(|i| InvestmentItem::of(i, &params))
            .collect(),
        links: GapsLinks {
            investments: list("investments"),
            services: list("services"),
            findings: list("findings"),
        },
    })
}

/// `/api/v1/gaps/{investments,services,findings}`: one list of the analysis, paged (`limit`,
/// `cursor`) and downloadable (`format=csv`) like every list of the API, with the analysis'
/// own parameters (`round`, `assume`) kept in its links.
pub async fn api_investments(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    api_list(state, "investments", raw).await
}

pub async fn api_services(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    api_list(state, "services", raw).await
}

pub async fn api_findings(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    api_list(state, "findings", raw).await
}

/// `/api/v1/gaps/investments/{code}/unlocks`: every service one investment (its `id`) is
/// needed for, with what it means to each, paged like every list of the API.
pub async fn api_unlocks(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (lq, snap, r) = match analysed_list(&state, raw.as_deref()).await {
        Ok(x) => x,
        Err(e) => return e,
    };
    let Some(v) = r.investments.iter().find(|i| i.investment.id == id) else {
        return ApiError::not_found("investment", &id).into_response();
    };
    let path = format!(
        "/api/v1/gaps/investments/{}/unlocks",
        crate::api::encode(&id)
    );
    // The names are the unlocks' own, one each, in their order.
    let all: Vec<UnlockItem> = v
        .investment
        .unlocks
        .iter()
        .zip(&v.unlocked_services)
        .map(|(unlock, name)| UnlockItem { unlock, name })
        .collect();
    match crate::api::page(&all, |u| u.unlock.service.as_str(), &lq) {
        Ok((rows, next)) => {
            crate::api::list_response(&snap.tag, &path, &lq, all.len(), values(rows), next)
        }
        Err(e) => e.into_response(),
    }
}

/// What a list of the analysis is made from: the list parameters read from `raw`, and the
/// analysis they ask for (its own parameters `round` and `assume`), or the answer refusing them.
async fn analysed_list(
    state: &AppState,
    raw: Option<&str>,
) -> Result<(crate::api::ListQuery, Arc<Snapshot>, Arc<Explained>), Response> {
    let lq = crate::api::ListQuery::parse(raw, &LISTS).map_err(IntoResponse::into_response)?;
    let q = parse_query(raw).map_err(|e| ApiError::bad(e).into_response())?;
    let (snap, r, _, _permit) = report(state, &q, lq.lang).await.map_err(analysis_error)?;
    Ok((lq, snap, r))
}

async fn api_list(state: AppState, list: &str, raw: Option<String>) -> Response {
    let (lq, snap, r) = match analysed_list(&state, raw.as_deref()).await {
        Ok(x) => x,
        Err(e) => return e,
    };
    let path = format!("/api/v1/gaps/{list}");
    let paged = match list {
        "investments" => crate::api::page(&r.investments, |i| i.investment.id.as_str(), &lq).map(
            |(rows, next)| {
                let params = analysis_params(raw.as_deref());
                let items: Vec<InvestmentItem> = rows
                    .iter()
                    .map(|i| InvestmentItem::of(i, &params))
                    .collect();
                (r.investments.len(), values(&items), next)
            },
        ),
        "services" => crate::api::page(&r.services, |s| s.gap.service.as_str(), &lq)
            .map(|(rows, next)| (r.services.len(), values(rows), next)),
        _ => {
            // Findings have no code of their own: the cursor is the position.
            let keys: Vec<String> = (0..r.findings.len()).map(|i| i.to_string()).collect();
            crate::api::page(&keys, |k| k.as_str(), &lq).map(|(rows, next)| {
                let found: Vec<&egovwatch_domain::gaps::Finding> = rows
                    .iter()
                    .filter_map(|k| k.parse::<usize>().ok())
                    .filter_map(|i| r.findings.get(i))
                    .collect();
                (r.findings.len(), values(&found), next)
            })
        }
    };
    match paged {
        Ok((total, items, next)) => {
            crate::api::list_response(&snap.tag, &path, &lq, total, items, next)
        }
        Err(e) => e.into_response(),
    }
}

/// One page of rows as JSON values.
fn values<T: serde::Serialize>(rows: &[T]) -> Vec<serde_json::Value> {
    rows.iter()
        .filter_map(|r| serde_json::to_value(r).ok())
        .collect()
}

/// A failed analysis as the API says it.
fn analysis_error(e: AppError) -> Response {
    match e {
        AppError::NotFound { what, code, .. } => ApiError::not_found(&what, &code).into_response(),
        AppError::Refused { status, .. } if status == StatusCode::SERVICE_UNAVAILABLE => {
            ApiError::busy(format!(
                "too many what-if analyses are being computed; ask again in {} s",
                crate::api::RETRY_AFTER_SECS
            ))
            .into_response()
        }
        AppError::Refused { status, .. } => {
            ApiError::too_large(status, "the answer is over the server's bound").into_response()
        }
        AppError::Internal { detail, .. } => {
            tracing::warn!("gaps API: {detail}");
            ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "analysis_failed",
                message: detail,
            }
            .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "gaps.html")]
pub struct GapsPage {
    pub page: Page,
    pub tr: Tr,
    pub round: String,
    pub choices: Vec<Choice>,
    /// Assumptions written by hand (not among the choices), or everything asked when it was
    /// refused: the box keeps what the reader wrote.
    pub custom: String,
    /// How many services the data hold back, and what most of them need: the page in a line.
    pub lead: String,
    /// With assumptions: what they move, as a sentence and the services moved (a first few,
    /// each with its projected stage before and after).
    pub moved: Option<(String, Vec<Moved>)>,
    pub index_now: String,
    /// If every service were built as far as the data allow: without the assumptions, then
    /// with them when there are any.
    pub index_projected: String,
    pub index_assumed: Option<String>,
    pub investments: Vec<InvestmentRow>,
    pub services: Vec<ServiceRow>,
    pub findings: Vec<String>,
    /// The pager of the ranking, of the blocked services, then of the findings.
    pub ranking_pager: crate::views::Pager,
    pub pager: crate::views::Pager,
    pub findings_pager: crate::views::Pager,
    pub svg: String,
    /// When the view draws only some of the blocked services: which, and where the rest are.
    pub graph_note: Option<String>,
    pub edges: Vec<EdgeRow>,
    pub error: Option<String>,
    pub api: String,
}

impl crate::tables::Tables for GapsPage {
    fn table(&self, id: &str) -> Option<DataTable> {
        let tr = &self.tr;
        Some(match id {
            "t-investments" => DataTable::of(
                tr,
                &[
                    "gaps-col-rank",
                    "gaps-col-investment",
                    "gaps-col-unlocks",
                    "gaps-col-delivers",
                    "gaps-col-score",
                ],
                &self.investments,
                |i| {
                    let mut unlocks = i
                        .unlocks
                        .iter()
                        .map(|u| u.1.as_str())
                        .collect::<Vec<_>>()
                        .join("; ");
                    if let Some(m) = &i.more {
                        unlocks = format!("{unlocks} {m}");
                    }
                    let events = tr.count("gaps-life-events", i.life_events);
                    vec![
                        i.rank.to_string(),
                        match &i.with {
                            Some(w) => format!("{} ({w})", i.title),
                            None => i.title.clone(),
                        },
                        format!("{unlocks} ({events})"),
                        i.delivers.clone(),
                        i.score.clone(),
                    ]
                },
            ),
            "t-blocked" => DataTable::of(
                tr,
                &[
                    "col-service",
                    "gaps-col-stage",
                    "gaps-col-ceiling",
                    "gaps-col-reasons",
                ],
                &self.services,
                |s| {
                    vec![
                        s.name.clone(),
                        s.stage.clone(),
                        s.ceiling.to_string(),
                        s.reasons.join("; "),
                    ]
                },
            ),
            "t-edges" => DataTable::of(
                tr,
                &[
                    "gaps-col-from",
                    "gaps-col-relation",
                    "gaps-col-to",
                    "gaps-col-blocked",
                ],
                &self.edges,
                |e| {
                    vec![
                        e.from.clone(),
                        e.relation.clone(),
                        e.to.clone(),
                        tr.t(if e.blocked { "gaps-yes" } else { "gaps-no" }),
                    ]
                },
            ),
            _ => return None,
        })
    }
}

pub struct InvestmentRow {
    pub rank: usize,
    pub title: String,
    /// For an investment that delivers nothing on its own: what it goes with.
    pub with: Option<String>,
    /// Stages it delivers on its own, and stages it is needed for.
    pub delivers: String,
    pub score: String,
    pub unlocks: Vec<(String, String)>,
    /// Unlocked services not listed (the API has them all).
    pub more: Option<String>,
    pub life_events: usize,
    /// This page with the investment assumed done, beside what is assumed already: what it
    /// would change (every investment of the ranking, where the form offers the first ones).
    pub whatif: String,
}

/// A service whose projected stage the assumptions change.
pub struct Moved {
    pub href: String,
    pub name: String,
    pub before: u8,
    pub after: u8,
}

/// Services named under a what-if's sentence; the rest are counted (the API lists all).
const MOVED_SHOWN: usize = 20;

/// What the assumptions of `r` move, against the analysis without them (`base`): how many
/// services' projected stages rise, and the first of them.
fn moved(tr: &Tr, lang: Lang, base: &Explained, r: &Explained) -> (String, Vec<Moved>) {
    let before: std::collections::HashMap<&str, u8> = base
        .services
        .iter()
        .filter_map(|s| Some((s.gap.service.as_str(), s.gap.projected?)))
        .collect();
    let all: Vec<Moved> = r
        .services
        .iter()
        .filter_map(|s| {
            let after = s.gap.projected?;
            let before = *before.get(s.gap.service.as_str())?;
            (after != before).then(|| Moved {
                href: format!("/{lang}/services/{}", s.gap.service),
                name: s.name.clone(),
                before,
                after,
            })
        })
        .collect();
    let said = match all.len() {
        0 => tr.t("gaps-moved-none"),
        n if n > MOVED_SHOWN => format!(
            "{} ({})",
            tr.counted("gaps-moved", n, &[]),
            tr.count("gaps-unlocks-more", n - MOVED_SHOWN)
        ),
        n => tr.counted("gaps-moved", n, &[]),
    };
    (said, all.into_iter().take(MOVED_SHOWN).collect())
}

/// One choice of the what-if form: an investment of the analysis without assumptions.
pub struct Choice {
    pub id: String,
    pub title: String,
    pub unlocks: String,
    pub checked: bool,
}

/// Investments offered as choices in the what-if form.
const CHOICES: usize = 12;

/// The what-if form's choices: the first investments of the analysis without assumptions, and
/// any further one asked for, checked when asked for; then what was asked that is not a choice
/// (written by hand, or not an investment of this analysis).
fn choices(tr: &Tr, base: Option<&Explained>, asked: &[String]) -> (Vec<Choice>, Vec<String>) {
    let all = base.map(|g| g.investments.as_slice()).unwrap_or_default();
    let choices: Vec<Choice> = all
        .iter()
        .enumerate()
        .filter(|(k, i)| *k < CHOICES || asked.contains(&i.investment.id))
        .map(|(_, i)| Choice {
            id: i.investment.id.clone(),
            title: i.title.clone(),
            unlocks: tr.count("gaps-choice-unlocks", i.unlocked_services.len()),
            checked: asked.contains(&i.investment.id),
        })
        .collect();
    let custom = asked
        .iter()
        .filter(|a| !choices.iter().any(|c| &c.id == *a))
        .cloned()
        .collect();
    (choices, custom)
}

/// Services named per investment on the page (the rest counted; all in the API): a row of
/// the ranking stays a few lines tall.
const UNLOCKS_SHOWN: usize = 8;

/// Investments a page of the ranking shows.
const INVESTMENTS_PER_PAGE: usize = 25;

/// Blocked services a page shows: each with its reasons, up to one per piece of evidence.
const BLOCKED_PER_PAGE: usize = 25;

/// Findings a page shows (a registry of many countries has tens of thousands).
const FINDINGS_PER_PAGE: usize = 50;

pub struct ServiceRow {
    pub href: String,
    pub name: String,
    pub stage: String,
    pub ceiling: u8,
    pub reasons: Vec<String>,
}

pub struct EdgeRow {
    pub from: String,
    pub to: String,
    pub relation: String,
    pub blocked: bool,
}

pub async fn page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let lang: Lang = lang.parse().map_err(|_| AppError::NotFound {
        lang: Lang::En,
        what: "language".into(),
        code: lang.clone(),
    })?;
    let tr = state.tr(lang);
    // What was asked, as written: the form shows it again, also after a mistake.
    let asked: Vec<String> = crate::api::pairs(raw.as_deref())
        .into_iter()
        .filter(|(k, _)| k == "assume")
        .flat_map(|(_, v)| {
            v.split(['\n', ','])
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    // An assumption that names no record or leaves the scale is refused like one that does not
    // parse: shown on the page, the analysis running without assumptions.
    let checked = match parse_query(raw.as_deref()) {
        Ok(q) if !q.assume.is_empty() => {
            let snap = crate::pages::snapshot(&state, lang, None).await?;
            BlockingRules::default_rules()
                .map_err(|e| e.to_string())
                .and_then(|rules| {
                    egovwatch_domain::gaps::check_assumptions(&snap.reg, &rules, &q.assume)
                        .map_err(|p| p.join("; "))
                })
                .map(|()| q)
        }
        parsed => parsed,
    };
    let (q, error) = match checked {
        Ok(q) => (q, None),
        // A bad assumption is shown on the page; the analysis runs without assumptions.
        Err(e) => (
            Query {
                round: None,
                assume: Vec::new(),
                assume_text: Vec::new(),
                lang: None,
            },
            Some(e),
        ),
    };
    let (snap, r, index, _permit) = report(&state, &q, lang).await?;
    // The analysis without assumptions, and its projected index: the choices, and what the
    // assumptions are compared with.
    let base = {
        let s = snap.clone();
        tokio::task::spawn_blocking(move || {
            s.gaps(lang).map(|g| {
                let index = s.projection(&g);
                (g, index)
            })
        })
        .await
        .map_err(|e| AppError::internal(lang, e))?
    };
    let (choices, custom) = choices(&tr, base.as_ref().map(|(g, _)| &**g), &asked);
    let places = snap.current().map_or(1, |c| c.fw.decimals);
    let f = |v: Option<f64>| tr.score(v, places);
    // The ranking and the blocked services, each a page at a time (a large registry has
    // thousands of each), each with its own page number in the address.
    let blocked: Vec<_> = r.services.iter().filter(|s| s.gap.held_back()).collect();
    let pager = |key: &str, total: usize, per: usize, anchor: &str| {
        let rest: Vec<(String, String)> = crate::api::pairs(raw.as_deref())
            .into_iter()
            .filter(|(k, _)| k != key)
            .collect();
        crate::views::Pager::new(
            &tr,
            total,
            crate::pages::page_number_of(raw.as_deref(), key),
            per,
            |n| {
                let mut qs: Vec<String> = rest
                    .iter()
                    .map(|(k, v)| format!("{k}={}", crate::api::encode(v)))
                    .collect();
                qs.push(format!("{key}={n}"));
                format!("/{lang}/gaps?{}#{anchor}", qs.join("&"))
            },
        )
    };
    let (ranking_pager, ranking_range) = pager(
        "ranking",
        r.investments.len(),
        INVESTMENTS_PER_PAGE,
        "ranking",
    );
    let (findings_pager, findings_range) =
        pager("findings", r.findings.len(), FINDINGS_PER_PAGE, "findings");
    let (pager, range) = pager("page", blocked.len(), BLOCKED_PER_PAGE, "services");
    let investments = r.investments[ranking_range]
        .iter()
        .map(|i| InvestmentRow {
            rank: i.rank,
            title: i.title.clone(),
            with: (i.investment.delivers <= 0.0 && !i.investment.with.is_empty()).then(|| {
                let title = |id: &String| {
                    r.investments
                        .iter()
                        .find(|o| o.investment.id == *id)
                        .map_or(id.clone(), |o| o.title.clone())
                };
                let mut named: Vec<String> = i.investment.with.iter().take(2).map(title).collect();
                if i.investment.with.len() > 2 {
                    named.push(tr.count("gaps-unlocks-more", i.investment.with.len() - 2));
                }
                tr.with("gaps-only-with", &[("investments", &named.join("; "))])
            }),
            delivers: tr.decimal(i.investment.delivers, 0),
            score: tr.decimal(i.investment.score, 0),
            unlocks: i
                .investment
                .unlocks
                .iter()
                .zip(&i.unlocked_services)
                .take(UNLOCKS_SHOWN)
                .map(|(u, name)| (format!("/{lang}/services/{}", u.service), name.clone()))
                .collect(),
            more: (i.investment.unlocks.len() > UNLOCKS_SHOWN).then(|| {
                tr.count(
                    "gaps-unlocks-more",
                    i.investment.unlocks.len() - UNLOCKS_SHOWN,
                )
            }),
            life_events: i.investment.life_events.len(),
            whatif: {
                let mut qs = analysis_params(raw.as_deref());
                qs.push(format!("assume={}", crate::api::encode(&i.investment.id)));
                format!("/{lang}/gaps?{}#moved", qs.join("&"))
            },
        })
        .collect();
    let services = blocked[range]
        .iter()
        .map(|s| ServiceRow {
            href: format!("/{lang}/services/{}", s.gap.service),
            name: s.name.clone(),
            stage: s
                .gap
                .stage
                .map(|v| v.to_string())
                .unwrap_or_else(|| "—".into()),
            ceiling: s.gap.ceiling,
            reasons: s.reasons.clone(),
        })
        .collect();
    let (svg, edges, drawn) = dependency_view(&tr, &snap, &r, lang);
    let graph_note = (drawn < blocked.len()).then(|| {
        tr.counted(
            "gaps-graph-some",
            blocked.len(),
            &[("drawn", &tr.integer(drawn))],
        )
    });
    let query = raw.clone().map(|q| format!("?{q}")).unwrap_or_default();
    let view = GapsPage {
        // The what-if is part of the address: the other languages and the table downloads
        // show the same analysis.
        page: Page::new(tr, &format!("/gaps{query}"), tr.t("gaps-title")),
        tr,
        round: r.round.clone().unwrap_or_else(|| "—".into()),
        choices,
        custom: custom.join("\n"),
        lead: lead(&tr, &r, blocked.len()),
        moved: match (&base, q.assume.is_empty()) {
            (Some((b, _)), false) => Some(moved(&tr, lang, b, &r)),
            _ => None,
        },
        index_now: f(index.now),
        // With assumptions, the same projection without them beside it: what they change.
        index_projected: match (&base, q.assume.is_empty()) {
            (Some((_, b)), false) => f(b.projected),
            _ => f(index.projected),
        },
        index_assumed: (!q.assume.is_empty()).then(|| f(index.projected)),
        investments,
        services,
        findings: r.findings[findings_range]
            .iter()
            .map(|x| {
                // A record is named, not coded; other arguments (counts, words, lists) are
                // no record's code and stay as they are.
                let name = |c: &str| shown_name(&snap.reg, &snap.codes, c, lang).to_string();
                // A list of services (a circle, those observed above their data) is named
                // service by service.
                let named: Vec<(&'static str, String)> = x
                    .args
                    .iter()
                    .map(|(k, v)| match *k {
                        "services" => {
                            let sep = if v.contains(" → ") { " → " } else { ", " };
                            (*k, v.split(sep).map(name).collect::<Vec<_>>().join(sep))
                        }
                        _ => (*k, name(v)),
                    })
                    .collect();
                let args: Vec<(&'static str, &str)> =
                    named.iter().map(|(k, v)| (*k, v.as_str())).collect();
                tr.with(x.message, &args)
            })
            .collect(),
        ranking_pager,
        pager,
        findings_pager,
        svg,
        graph_note,
        edges,
        error,
        api: format!("/api/v1/gaps{query}"),
    };
    if let Some(want) = crate::tables::wanted() {
        return Ok(crate::tables::answer(&view, &want));
    }
    let html = view.render().map_err(|e| AppError::internal(lang, e))?;
    if html.len() > state.max_buffer {
        return Err(AppError::Refused {
            lang,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            key: "too-large",
        });
    }
    Ok(Html(html).into_response())
}

/// The most rows a column of the dependency view has: 40 rows are about 900 pixels tall, and
/// beyond that its lines can no longer be followed.
const MAX_ROWS: usize = 40;

/// A node of the dependency view: (column, code).
type Node = (usize, String);

/// Labels longer than a column allows end in an ellipsis; the full name is in the `<title>`.
fn short_label(label: &str) -> String {
    if label.chars().count() > 30 {
        format!("{}…", label.chars().take(29).collect::<String>())
    } else {
        label.to_string()
    }
}

/// The chain behind a service's blocks, as links between (column, code) nodes, each with
/// whether it is broken there: systems hold datasets, datasets (or the services producing an
/// output) supply evidence, the service requires the evidence.
fn chain(s: &ServiceView) -> Vec<(Node, Node, bool)> {
    let mut links = Vec::new();
    let service = (3, s.gap.service.to_string());
    for b in &s.gap.blocks {
        let evidence = (2, b.evidence.clone());
        let unsupplied = matches!(
            b.condition,
            Condition::NoExchangeInUse
                | Condition::EvidenceUnsupplied
                | Condition::OutputNotElectronic
        );
        links.push((evidence.clone(), service.clone(), unsupplied));
        if let Some(d) = &b.dataset {
            let dataset = (1, d.clone());
            let not_digital = b.condition == Condition::DatasetNotDigital;
            links.push((dataset.clone(), evidence.clone(), not_digital));
            if let Some(sys) = &b.system {
                let down = b.condition == Condition::SystemNotInUse;
                links.push(((0, sys.clone()), dataset, down));
            }
        }
        if let Some(p) = &b.service {
            links.push(((1, p.clone()), evidence, true));
        }
    }
    links
}

/// The dependency view as server-rendered SVG: information systems, datasets, evidence types and
/// the blocked services in four columns, each column ordered by the mean position of its
/// neighbours so lines cross little; blocked links in red and dashed (never colour alone).
/// Also returns the same edges as table rows, the accessible equivalent, and how many services
/// it draws.
fn dependency_view(
    tr: &Tr,
    snap: &Snapshot,
    r: &Explained,
    lang: Lang,
) -> (String, Vec<EdgeRow>, usize) {
    let reg = &snap.reg;
    let n = |c: &str| name_in(reg, &snap.codes, c, lang);
    // The services the top of the ranking moves, in its order, as long as every column stays
    // within a readable number of rows (the table of blocked services lists them all); the
    // first always.
    let held_back: HashMap<&str, &ServiceView> = r
        .services
        .iter()
        .filter(|s| s.gap.held_back())
        .map(|s| (s.gap.service.as_str(), s))
        .collect();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut nodes: [BTreeSet<String>; 4] = Default::default();
    let mut edges: BTreeMap<(Node, Node), bool> = BTreeMap::new();
    let mut drawn = 0;
    for s in r
        .investments
        .iter()
        .flat_map(|i| &i.investment.unlocks)
        .filter_map(|u| held_back.get(u.service.as_str()).copied())
        .filter(|s| seen.insert(s.gap.service.as_str()))
    {
        let links = chain(s);
        let mut more = nodes.clone();
        for ((fc, f), (tc, t), _) in &links {
            more[*fc].insert(f.clone());
            more[*tc].insert(t.clone());
        }
        if drawn > 0 && more.iter().any(|c| c.len() > MAX_ROWS) {
            break;
        }
        nodes = more;
        drawn += 1;
        for (from, to, broken) in links {
            *edges.entry((from, to)).or_default() |= broken;
        }
    }
    let mut cols: [Vec<String>; 4] = nodes.map(|c| c.into_iter().collect());
    // Order: services by code (as a set gives them), then each column to the left by the mean
    // row of its right-hand neighbours (one barycentre sweep).
    for c in (0..3).rev() {
        let right: HashMap<&str, usize> = cols[c + 1]
            .iter()
            .enumerate()
            .map(|(i, x)| (x.as_str(), i))
            .collect();
        let mut keyed: Vec<(f64, String)> = cols[c]
            .iter()
            .map(|x| {
                let rows: Vec<usize> = edges
                    .keys()
                    .filter(|((fc, f), (_, _))| *fc == c && f == x)
                    .filter_map(|(_, (_, t))| right.get(t.as_str()).copied())
                    .collect();
                let mean = if rows.is_empty() {
                    f64::MAX
                } else {
                    rows.iter().sum::<usize>() as f64 / rows.len() as f64
                };
                (mean, x.clone())
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        cols[c] = keyed.into_iter().map(|(_, x)| x).collect();
    }
    let row_h = 22.0;
    let (width, col_w) = (1000.0, 250.0);
    let rows = cols.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let height = rows as f64 * row_h + 40.0;
    let pos = |c: usize, code: &str| -> Option<(f64, f64)> {
        let i = cols[c].iter().position(|x| x == code)?;
        // Shorter columns are centred so their lines fan out evenly.
        let offset = (rows - cols[c].len()) as f64 * row_h / 2.0;
        Some((c as f64 * col_w + 8.0, 40.0 + offset + i as f64 * row_h))
    };
    let headers = [
        "gaps-graph-systems",
        "gaps-graph-datasets",
        "gaps-graph-evidence",
        "gaps-graph-services",
    ];
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"gaps-svg-title gaps-svg-desc\" class=\"dependency\">\
         <title id=\"gaps-svg-title\">{}</title><desc id=\"gaps-svg-desc\">{}</desc>",
        escape(&tr.t("gaps-graph")),
        escape(&tr.t("gaps-graph-desc"))
    );
    for (c, h) in headers.iter().enumerate() {
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"18\" class=\"colhead\">{}</text>",
            c as f64 * col_w + 8.0,
            escape(&tr.t(h))
        ));
    }
    let mut rows_out = Vec::new();
    for (((fc, f), (tc, t)), blocked) in &edges {
        let (Some((x1, y1)), Some((x2, y2))) = (pos(*fc, f), pos(*tc, t)) else {
            continue;
        };
        // From the end of the label on the left to just before the label on the right.
        let label_w = (short_label(&n(f)).chars().count() as f64 * 6.6).min(col_w - 24.0);
        let (x1, x2) = (x1 + label_w + 6.0, x2 - 4.0);
        let mid = (x1 + x2) / 2.0;
        let class = if *blocked { "edge blocked" } else { "edge" };
        svg.push_str(&format!(
            "<path class=\"{class}\" d=\"M{x1:.0},{:.0} C{mid:.0},{:.0} {mid:.0},{:.0} {x2:.0},{:.0}\"/>",
            y1 - 4.0,
            y1 - 4.0,
            y2 - 4.0,
            y2 - 4.0
        ));
        rows_out.push(EdgeRow {
            from: n(f),
            to: n(t),
            relation: tr.t(["gaps-rel-holds", "gaps-rel-supplies", "gaps-rel-required"][*fc]),
            blocked: *blocked,
        });
    }
    let blocked_nodes: BTreeSet<&str> = edges
        .iter()
        .filter(|(_, b)| **b)
        .map(|(((_, f), _), _)| f.as_str())
        .collect();
    for (c, col) in cols.iter().enumerate() {
        for code in col {
            let Some((x, y)) = pos(c, code) else { continue };
            let label = n(code);
            let short = short_label(&label);
            let class = if blocked_nodes.contains(code.as_str()) {
                "node blocked"
            } else {
                "node"
            };
            svg.push_str(&format!(
                "<g class=\"{class}\"><title>{}</title><text x=\"{x:.0}\" y=\"{y:.0}\">{}</text></g>",
                escape(&label),
                escape(&short)
            ));
        }
    }
    svg.push_str("</svg>");
    (svg, rows_out, drawn)
}
