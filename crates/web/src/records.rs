//! `/api/v1` for registry records: services, life events, organisations, information systems
//! and datasets, as lists (filtered, sorted, paged, JSON or CSV) and one by one.
//!
//! Every value comes from the snapshot: the registry and the published rounds as scored.

use crate::AppState;
use crate::api::{
    ApiError, Key, ListParams, ListQuery, NoParams, Param, after_cursor, cursor_of, json_response,
    list_response, page, schema, sort_rows,
};
use crate::snapshot::{RoundData, Seed, Snapshot};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use egovwatch_domain::EntityKind;
use egovwatch_domain::monitoring::Movement;
use egovwatch_domain::scoring::Framework;
use egovwatch_domain::{
    DigitisationState, LinkStatus, OrganisationType, OutputType, ServiceStatus, Status,
};
use egovwatch_domain::{Lang, Service, Text, fold_az};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// The published round a list shows, by position in the snapshot: the one `round` names,
/// else the current one.
fn round_param(s: &Snapshot, q: &ListQuery) -> Result<Option<usize>, ApiError> {
    match q.filter("round") {
        Some(code) => s
            .round(code)
            .map(|(i, _)| Some(i))
            .ok_or_else(|| ApiError::not_found("published round", code)),
        None => Ok(s
            .current()
            .and_then(|c| s.round(&c.round.code).map(|(i, _)| i))),
    }
}

/// The name of stage `stage` in framework `fw`.
pub fn stage_text(fw: &Framework, stage: Option<u8>) -> Option<&Text> {
    stage
        .and_then(|st| fw.stage_levels().get(usize::from(st)))
        .map(|l| &l.name)
}

/// A service in a list: what it is, who provides it, and where it stands in `round`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ServiceItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    status: &'s str,
    organisation: Option<&'s str>,
    life_events: Vec<&'s str>,
    round: Option<&'s str>,
    stage: Option<u8>,
    #[schema(value_type = Option<crate::openapi::TextDoc>)]
    stage_name: Option<&'s Text>,
    score: Option<f64>,
    #[schema(value_type = Option<crate::openapi::MovementDoc>)]
    movement: Option<egovwatch_domain::monitoring::Movement>,
    links: ItemLinks,
}

/// A list item's own address in the API and its page.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemLinks {
    #[serde(rename = "self")]
    own: String,
    page: String,
}

pub fn service_item<'s>(
    s: &'s Snapshot,
    i: usize,
    round: Option<&'s RoundData>,
) -> ServiceItem<'s> {
    ServiceItem::new(
        &s.reg.services[i],
        round.map(|r| {
            let stage = r.stage(i);
            Standing {
                round: r.round.code.as_str(),
                stage,
                stage_name: stage_text(&r.fw, stage),
                score: r.score(i),
                movement: r.movement(i),
            }
        }),
    )
}

/// Where a service stands in the round a list shows.
pub struct Standing<'s> {
    pub round: &'s str,
    pub stage: Option<u8>,
    pub stage_name: Option<&'s Text>,
    pub score: Option<f64>,
    pub movement: Option<Movement>,
}

impl<'s> ServiceItem<'s> {
    /// Service `x` as a list gives it, standing as `standing` says in the round the list
    /// shows (none when it shows no round).
    pub fn new(x: &'s Service, standing: Option<Standing<'s>>) -> ServiceItem<'s> {
        let (round, stage, stage_name, score, movement) = match standing {
            Some(s) => (Some(s.round), s.stage, s.stage_name, s.score, s.movement),
            None => (None, None, None, None, None),
        };
        ServiceItem {
            code: x.code.as_str(),
            name: &x.name,
            status: x.status.as_str(),
            organisation: x.organisations.first().map(|o| o.as_str()),
            life_events: x.life_events.iter().map(|l| l.as_str()).collect(),
            round,
            stage,
            stage_name,
            score,
            movement,
            links: ItemLinks {
                // concat: one allocation of the right size (format! costs a tenth of a list item).
                own: ["/api/v1/services/", x.code.as_str()].concat(),
                page: ["/en/services/", x.code.as_str()].concat(),
            },
        }
    }
}

fn sort_name(t: &Text, lang: Lang) -> Key {
    Key::Text(fold_az(&t.show(lang)))
}

/// The record the list filter `param` names, by registry position (`what` it is, for the 404
/// when no record has that code).
fn named(
    s: &Snapshot,
    q: &ListQuery,
    param: &str,
    kind: EntityKind,
    what: &str,
) -> Result<Option<usize>, ApiError> {
    q.filter(param)
        .map(|c| {
            s.codes
                .position(kind, c)
                .ok_or_else(|| ApiError::not_found(what, c))
        })
        .transpose()
}

/// The services a list asks for, filtered, as registry positions.
pub fn select_services(
    s: &Snapshot,
    q: &ListQuery,
    round: Option<&RoundData>,
) -> Result<Vec<usize>, ApiError> {
    let life_event = named(s, q, "life_event", EntityKind::LifeEvent, "life event")?;
    let organisation = named(
        s,
        q,
        "organisation",
        EntityKind::Organisation,
        "organisation",
    )?;
    let mut rows: Vec<usize> = match (life_event, organisation) {
        (Some(g), _) => s.codes.services_of_life_event(g).to_vec(),
        (None, Some(o)) => s.codes.services_of_organisation(o).to_vec(),
        (None, None) => (0..s.reg.services.len()).collect(),
    };
    if let (Some(_), Some(o)) = (q.filter("life_event"), q.filter("organisation")) {
        rows.retain(|&i| {
            s.reg.services[i]
                .organisations
                .iter()
                .any(|c| c.as_str() == o)
        });
    }
    if let Some(st) = q.filter("status") {
        rows.retain(|&i| s.reg.services[i].status.as_str() == st);
    }
    // The services needing the data of a system or of one dataset (of that system, when both).
    let system = named(
        s,
        q,
        "system",
        EntityKind::InformationSystem,
        "information system",
    )?;
    let dataset = named(s, q, "dataset", EntityKind::Dataset, "dataset")?;
    let datasets = match (system, dataset) {
        (Some(p), None) => Some(s.datasets_of(p)),
        (system, Some(d)) => Some(
            system
                .is_none_or(|p| s.reg.datasets[d].system == s.reg.information_systems[p].code)
                .then_some(d)
                .into_iter()
                .collect(),
        ),
        (None, None) => None,
    };
    if let Some(datasets) = datasets {
        let mut needing = vec![false; s.reg.services.len()];
        for i in s.services_needing(&datasets) {
            needing[i] = true;
        }
        rows.retain(|&i| needing[i]);
    }
    if let Some(st) = q.filter("stage") {
        let want: u8 = st
            .parse()
            .map_err(|_| ApiError::bad(format!("stage is a number, not {st:?}")))?;
        let r = round.ok_or_else(|| ApiError::bad("no published round to take stages from"))?;
        if !r.has_stages() {
            return Err(ApiError::bad(format!(
                "round {} ({}) does not classify services into stages",
                r.round.code, r.fw.id
            )));
        }
        rows.retain(|&i| r.stage(i) == Some(want));
    }
    if let Some(m) = q.filter("movement") {
        let r = round.ok_or_else(|| ApiError::bad("no published round to compare"))?;
        let want: egovwatch_domain::monitoring::Movement =
            serde_json::from_value(Value::String(m.to_string())).map_err(|_| {
                ApiError::bad(format!(
                    "movement is improved, regressed, unchanged, new or withdrawn, not {m:?}"
                ))
            })?;
        rows.retain(|&i| r.movement(i) == Some(want));
    }
    if let Some((key, desc)) = &q.sort {
        let lang = q.lang;
        let reg = &s.reg;
        sort_rows(
            &mut rows,
            |&i| reg.services[i].code.to_string(),
            |&i| match key.as_str() {
                "name" => sort_name(&reg.services[i].name, lang),
                "stage" => round
                    .and_then(|r| r.stage(i))
                    .map(|v| Key::Num(f64::from(v)))
                    .unwrap_or(Key::Missing),
                "score" => round
                    .and_then(|r| r.score(i))
                    .map(Key::Num)
                    .unwrap_or(Key::Missing),
                _ => Key::Text(reg.services[i].code.to_string()),
            },
            *desc,
        );
    }
    Ok(rows)
}

/// What `/api/v1/services` takes.
pub const SERVICES: ListParams = ListParams {
    filters: &[
        Param::code(
            "life_event",
            "Only services of this life event (code)",
            EntityKind::LifeEvent,
        ),
        Param::code(
            "organisation",
            "Only services this organisation provides (code)",
            EntityKind::Organisation,
        ),
        Param::of(
            "stage",
            "Only services at this stage in the round",
            schema::stage,
        ),
        Param::round(
            "round",
            "The published round whose stages and scores are shown (default: the latest with stages)",
        ),
        Param::of(
            "movement",
            "Only services that moved this way since the previous round",
            || schema::words(Movement::ALL.iter().map(|m| m.as_str())),
        ),
        Param::of("status", "Only services with this status", || {
            schema::words(ServiceStatus::ALL.iter().map(|m| m.as_str()))
        }),
        Param::code(
            "system",
            "Only services requiring evidence a dataset of this information system supplies (code)",
            EntityKind::InformationSystem,
        ),
        Param::code(
            "dataset",
            "Only services requiring evidence this dataset supplies (code)",
            EntityKind::Dataset,
        ),
    ],
    sorts: &["code", "name", "stage", "score"],
};

/// What `/api/v1/services/{code}/assessments` takes.
pub const ASSESSMENTS: ListParams = ListParams {
    filters: &[Param::round(
        "round",
        "The published round (default: the current one)",
    )],
    sorts: &[],
};

/// What `/api/v1/life-events` takes.
pub const LIFE_EVENTS: ListParams = ListParams {
    filters: &[],
    sorts: &["journey", "code", "name", "score"],
};

/// What `/api/v1/organisations` takes.
pub const ORGANISATIONS: ListParams = ListParams {
    filters: &[
        Param::of("type", "Only organisations of this type", || {
            schema::words(OrganisationType::ALL.iter().map(|m| m.as_str()))
        }),
        Param::code(
            "parent",
            "Only organisations under this one (code)",
            EntityKind::Organisation,
        ),
    ],
    sorts: &["code", "name", "score"],
};

/// What `/api/v1/information-systems` takes.
pub const SYSTEMS: ListParams = ListParams {
    filters: &[
        Param::code(
            "owner",
            "Only systems this organisation owns (code)",
            EntityKind::Organisation,
        ),
        Param::of(
            "base_registry",
            "Only base registries (true) or other systems (false)",
            || schema::words(["true", "false"]),
        ),
        Param::of(
            "digitisation",
            "Only systems at this digitisation state",
            || schema::words(DigitisationState::ALL.iter().map(|m| m.as_str())),
        ),
    ],
    sorts: &["code", "name"],
};

/// What `/api/v1/datasets` takes.
pub const DATASETS: ListParams = ListParams {
    filters: &[
        Param::code(
            "system",
            "Only datasets of this system (code)",
            EntityKind::InformationSystem,
        ),
        Param::code(
            "supplies",
            "Only datasets supplying this evidence type (code)",
            EntityKind::EvidenceType,
        ),
    ],
    sorts: &["code", "name"],
};

/// What `/api/v1/evidence-types` takes.
pub const EVIDENCE_TYPES: ListParams = ListParams {
    filters: &[Param::of(
        "status",
        "Only evidence types with this status",
        || schema::words(Status::ALL.iter().map(|m| m.as_str())),
    )],
    sorts: &["code", "name"],
};

/// What `/api/v1/outputs` takes.
pub const OUTPUTS: ListParams = ListParams {
    filters: &[
        Param::of("type", "Only outputs of this type", || {
            schema::words(OutputType::ALL.iter().map(|m| m.as_str()))
        }),
        Param::of("status", "Only outputs with this status", || {
            schema::words(Status::ALL.iter().map(|m| m.as_str()))
        }),
    ],
    sorts: &["code", "name"],
};

/// What `/api/v1/exchange-links` takes.
pub const EXCHANGE_LINKS: ListParams = ListParams {
    filters: &[
        Param::of("status", "Only links with this status", || {
            schema::words(LinkStatus::ALL.iter().map(|m| m.as_str()))
        }),
        Param::code(
            "source_dataset",
            "Only links from this dataset (code)",
            EntityKind::Dataset,
        ),
        Param::code(
            "target_system",
            "Only links to this system (code)",
            EntityKind::InformationSystem,
        ),
        Param::code(
            "target_service",
            "Only links to this service (code)",
            EntityKind::Service,
        ),
    ],
    sorts: &["code"],
};

/// The API's resources, each with its address, and where its description is.
pub const RESOURCES: [(&str, &str); 13] = [
    (
        "services",
        "Public services with their stage in a round; filters, sorting, pages",
    ),
    ("organisations", "Organisations providing services"),
    (
        "life-events",
        "Life events from birth to death, with their services",
    ),
    (
        "information-systems",
        "Information systems and their digitisation",
    ),
    (
        "datasets",
        "Datasets held in information systems and the evidence they supply",
    ),
    ("evidence-types", "Evidence a service requires"),
    ("outputs", "Documents services issue"),
    (
        "exchange-links",
        "Data exchanges between systems and organisations",
    ),
    ("rounds", "Monitoring rounds with their scores"),
    ("search", "Search across the registry (q=...)"),
    (
        "gaps",
        "Why services are stuck and what to fund first (what-ifs with assume=...)",
    ),
    (
        "services/{code}",
        "One service with its evidence, stages and blocks",
    ),
    ("rounds/{code}", "One round's dashboard"),
];

/// What `GET /api/v1` answers: what the API offers, with links, and where its OpenAPI
/// description is.
#[derive(Serialize)]
pub struct ApiIndex {
    name: &'static str,
    version: &'static str,
    openapi: &'static str,
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct Resource {
    name: &'static str,
    href: String,
    description: &'static str,
}

/// `GET /api/v1`: what the API offers, with links, and where its OpenAPI description is.
pub async fn index(_: NoParams) -> Response {
    let resources = RESOURCES
        .iter()
        .map(|&(name, description)| Resource {
            name,
            href: format!("/api/v1/{name}"),
            description,
        })
        .collect();
    let doc = axum::Json(ApiIndex {
        name: "egovwatch API",
        version: "v1",
        openapi: "/api/openapi.json",
        resources,
    });
    axum::response::IntoResponse::into_response(doc)
}

pub async fn services(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let run = async {
        let q = ListQuery::parse(raw.as_deref(), &SERVICES)?;
        if let Some(answer) = crate::direct::services(&state, &q).await? {
            return Ok(answer);
        }
        let s = state.snapshot().await?;
        let round = round_param(&s, &q)?.map(|r| &*s.rounds[r]);
        let rows = select_services(&s, &q, round)?;
        let (slice, next) = page(&rows, |&i| s.reg.services[i].code.as_str(), &q)?;
        let items = slice.iter().map(|&i| service_item(&s, i, round)).collect();
        Ok::<_, ApiError>(list_response(
            &s.tag,
            "/api/v1/services",
            &q,
            rows.len(),
            items,
            next,
        ))
    };
    run.await
        .unwrap_or_else(axum::response::IntoResponse::into_response)
}

/// Everything known about one service: the record, where its evidence comes from, its stage
/// in every published round, and why it is blocked.
/// `{code, name}` of a referenced record, the name in every language it has.
#[derive(Serialize, utoipa::ToSchema)]
struct Named<'s> {
    code: &'s str,
    #[schema(value_type = Option<crate::openapi::TextDoc>)]
    name: Option<&'s Text>,
}

impl<'s> Named<'s> {
    fn of(s: &'s Snapshot, code: &'s str) -> Named<'s> {
        Named {
            code,
            name: s.codes.name(&s.reg, code),
        }
    }
}

/// One service, as `/api/v1/services/{code}` gives it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Service)]
pub struct ServiceDetail<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    #[schema(value_type = crate::openapi::TextDoc)]
    description: &'s Text,
    status: &'static str,
    #[schema(value_type = Vec<crate::openapi::AudienceDoc>)]
    audience: &'s [egovwatch_domain::Audience],
    organisations: Vec<Named<'s>>,
    life_events: Vec<Named<'s>>,
    /// The service's channels as the registry JSON holds them.
    #[schema(value_type = Vec<Object>)]
    channels: &'s [egovwatch_domain::Channel],
    #[schema(value_type = Vec<EvidenceOf>)]
    evidence: Vec<Written<'s, EvidenceOf<'s>>>,
    outputs: Vec<Named<'s>>,
    rounds: Vec<ServiceInRound<'s>>,
    blocked_by: Vec<Blocked>,
    /// Where the record comes from (`seed`, `imported:SOURCE`, ...).
    #[schema(value_type = String)]
    provenance: &'s egovwatch_domain::Provenance,
    links: ServiceLinks,
}

/// A piece of evidence a service requires and the datasets that could supply it.
#[derive(Serialize, utoipa::ToSchema)]
struct EvidenceOf<'s> {
    code: &'s str,
    #[schema(value_type = Option<crate::openapi::TextDoc>)]
    name: Option<&'s Text>,
    suppliers: Vec<Supplier<'s>>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Supplier<'s> {
    dataset: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    dataset_name: &'s Text,
    system: &'s str,
    #[schema(value_type = Option<crate::openapi::TextDoc>)]
    system_name: Option<&'s Text>,
    digitisation: Option<&'static str>,
}

/// Where a service stands in one published round.
#[derive(Serialize, utoipa::ToSchema)]
struct ServiceInRound<'s> {
    round: &'s str,
    period_end: &'s str,
    framework: &'s str,
    stage: Option<u8>,
    #[schema(value_type = Option<crate::openapi::TextDoc>)]
    stage_name: Option<&'s Text>,
    score: Option<f64>,
    #[schema(value_type = Option<crate::openapi::MovementDoc>)]
    movement: Option<egovwatch_domain::monitoring::Movement>,
}

/// What holds a service back, in the reader's language.
#[derive(Serialize, utoipa::ToSchema)]
struct Blocked {
    #[schema(value_type = String)]
    condition: egovwatch_domain::gaps::Condition,
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ServiceLinks {
    page: String,
    history: String,
    assessments: String,
}

fn all_named<'s>(s: &'s Snapshot, codes: &'s [egovwatch_domain::Code]) -> Vec<Named<'s>> {
    codes.iter().map(|c| Named::of(s, c.as_str())).collect()
}

/// A part of an answer: written as JSON once per snapshot and copied into every answer that
/// holds it, or made for this answer (a part the snapshot does not keep, such as evidence
/// whose code names no evidence type).
#[derive(Serialize)]
#[serde(untagged)]
enum Written<'s, T> {
    Once(&'s sonic_rs::OwnedLazyValue),
    Made(T),
}

fn evidence_of<'s>(s: &'s Snapshot, e: &'s str) -> EvidenceOf<'s> {
    EvidenceOf {
        code: e,
        name: s.codes.name(&s.reg, e),
        suppliers: s
            .codes
            .suppliers(e)
            .map(|d| {
                let d = &s.reg.datasets[d];
                let sys = s.codes.information_system(&s.reg, d.system.as_str());
                Supplier {
                    dataset: d.code.as_str(),
                    dataset_name: &d.name,
                    system: d.system.as_str(),
                    system_name: sys.map(|x| &x.name),
                    digitisation: sys.map(|x| x.digitisation.state.as_str()),
                }
            })
            .collect(),
    }
}

/// Evidence `e` as a service's answer gives it, written once per snapshot
/// ([`Snapshot::evidence_json`]).
fn evidence_written<'s>(s: &'s Snapshot, e: &'s str) -> Written<'s, EvidenceOf<'s>> {
    let Some(slot) = s
        .codes
        .position(EntityKind::EvidenceType, e)
        .and_then(|k| s.evidence_json.get(k))
    else {
        return Written::Made(evidence_of(s, e));
    };
    if let Some(json) = slot.get() {
        return Written::Once(json);
    }
    let written = sonic_rs::to_string(&evidence_of(s, e))
        .and_then(|json| sonic_rs::from_str::<sonic_rs::OwnedLazyValue>(&json));
    match written {
        Ok(json) => Written::Once(slot.get_or_init(|| json)),
        Err(_) => Written::Made(evidence_of(s, e)),
    }
}

pub fn service_detail(s: &Snapshot, i: usize, lang: Lang) -> ServiceDetail<'_> {
    let x: &Service = &s.reg.services[i];
    let evidence = x
        .evidence
        .iter()
        .map(|e| evidence_written(s, e.as_str()))
        .collect();
    let rounds = s
        .rounds
        .iter()
        .filter(|r| r.assesses(i, x.code.as_str()))
        .map(|r| {
            let stage = r.stage(i);
            ServiceInRound {
                round: &r.round.code,
                period_end: &r.round.period_end,
                framework: &r.fw.id,
                stage,
                stage_name: stage_text(&r.fw, stage),
                score: r.score(i),
                movement: r.movement(i),
            }
        })
        .collect();
    let blocked_by = s
        .service_gap(i, lang)
        .map(|v| {
            v.gap
                .blocks
                .iter()
                .zip(v.reasons)
                .map(|(b, reason)| Blocked {
                    condition: b.condition,
                    reason,
                })
                .collect()
        })
        .unwrap_or_default();
    ServiceDetail {
        code: x.code.as_str(),
        name: &x.name,
        description: &x.description,
        status: x.status.as_str(),
        audience: &x.audience,
        organisations: all_named(s, &x.organisations),
        life_events: all_named(s, &x.life_events),
        channels: &x.channels,
        evidence,
        outputs: all_named(s, &x.outputs),
        rounds,
        blocked_by,
        provenance: &x.provenance,
        links: ServiceLinks {
            page: ["/", lang.tag(), "/services/", x.code.as_str()].concat(),
            history: ["/api/v1/services/", x.code.as_str(), "/history"].concat(),
            assessments: ["/api/v1/services/", x.code.as_str(), "/assessments"].concat(),
        },
    }
}

/// What `/api/v1/services/{code}` takes.
pub const SERVICE: [Param; 1] = [Param::of(
    "lang",
    "Language of the blocking reasons",
    schema::lang,
)];

pub(crate) fn lang_of(raw: Option<&str>) -> Result<Lang, ApiError> {
    let mut lang = Lang::En;
    for (k, v) in crate::api::pairs(raw) {
        match k.as_str() {
            "lang" => lang = crate::api::parse_lang(&v)?,
            k => {
                return Err(crate::api::unknown_parameter(
                    k,
                    "this",
                    &crate::api::names(&SERVICE),
                ));
            }
        }
    }
    Ok(lang)
}

pub async fn service(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let lang = lang_of(raw.as_deref())?;
    service_answer(
        &*state.snapshot_of(Seed::service(&code)).await?,
        &code,
        lang,
    )
}

/// `/api/v1/services/{code}` as snapshot `s` (whole, or of the service's part of the
/// registry) answers it.
pub fn service_answer(s: &Snapshot, code: &str, lang: Lang) -> Result<Response, ApiError> {
    let i = s
        .codes
        .position(EntityKind::Service, code)
        .ok_or_else(|| ApiError::not_found("service", code))?;
    Ok(json_response(&service_detail(s, i, lang)))
}

/// The answers and evidence behind a service's assessment in a round (the current one unless
/// `round` is given).
pub async fn service_assessments(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &ASSESSMENTS)?;
    // In the current round, from the service's part while the whole snapshot is read; a round
    // asked for may be another part's, which names none of its answers.
    let about = q.filter("round").is_none().then(|| Seed::service(&code));
    let s = state.snapshot_about(about).await?;
    if s.codes.position(EntityKind::Service, &code).is_none() {
        return Err(ApiError::not_found("service", &code));
    }
    let Some(r) = round_param(&s, &q)? else {
        return Ok(list_response(
            &s.tag,
            &format!("/api/v1/services/{code}/assessments"),
            &q,
            0,
            Vec::<AssessmentItem>::new(),
            None,
        ));
    };
    let round = s.rounds[r].round.code.clone();
    let (c, rc) = (code.clone(), round.clone());
    let answers = state
        .blocking(move |store| Ok(store.assessments_of(&rc, &c)?))
        .await?;
    let rows: Vec<AssessmentItem> = egovwatch_domain::monitoring::effective(&answers)
        .into_iter()
        .map(|a| AssessmentItem {
            code: format!("{}:{}", a.question, a.assessor),
            round: &round,
            question: &a.question,
            channel: a.channel.as_deref(),
            answer: &a.answer,
            evidence_url: a.evidence_url.as_deref(),
            evidence_note: &a.evidence_note,
            assessor: &a.assessor,
            assessed_at: &a.assessed_at,
            source: a.source,
        })
        .collect();
    let (slice, next) = page(&rows, |a| a.code.as_str(), &q)?;
    Ok(list_response(
        &s.tag,
        &format!("/api/v1/services/{code}/assessments"),
        &q,
        rows.len(),
        slice.iter().collect(),
        next,
    ))
}

/// One answer behind a service's assessment, as it counts (`monitoring::effective`).
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Answer)]
pub struct AssessmentItem<'a> {
    /// `question:assessor`, unique within the service's round.
    code: String,
    round: &'a str,
    question: &'a str,
    channel: Option<&'a str>,
    answer: &'a str,
    evidence_url: Option<&'a str>,
    #[schema(value_type = crate::openapi::TextDoc)]
    evidence_note: &'a Text,
    assessor: &'a str,
    assessed_at: &'a str,
    #[schema(value_type = String)]
    source: egovwatch_domain::monitoring::AssessmentSource,
}

/// One saved state of a record, with who saved it, when and why.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Revision)]
pub struct RevisionItem {
    /// The version as the list's cursor names it.
    #[serde(skip)]
    key: String,
    version: i32,
    action: String,
    author: String,
    #[schema(value_type = crate::openapi::TextDoc)]
    reason: Text,
    created_at: String,
    /// The record as it was saved, in the registry JSON format.
    #[schema(value_type = Object)]
    record: Value,
}

/// A body that is only its items: `{"data": [...]}`.
#[derive(Serialize)]
pub struct DataBody<T> {
    pub data: Vec<T>,
}

/// Every saved state of a service, newest first, a page at a time (a service edited every
/// week has hundreds, each a whole record).
pub async fn service_history(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &ListParams::PAGED)?;
    let c = code.clone();
    let (revisions, version) = state
        .blocking(move |store| {
            let version = store.data_version()?;
            Ok((
                store.history(egovwatch_domain::EntityKind::Service, &c)?,
                version,
            ))
        })
        .await?;
    if revisions.is_empty() {
        return Err(ApiError::not_found("service", &code));
    }
    let rows: Vec<RevisionItem> = revisions
        .into_iter()
        .rev()
        .map(|r| RevisionItem {
            key: r.version.to_string(),
            version: r.version,
            action: r.action,
            author: r.author,
            reason: r.reason,
            created_at: r.created_at,
            record: r.snapshot,
        })
        .collect();
    let (slice, next) = page(&rows, |r| r.key.as_str(), &q)?;
    Ok(list_response(
        &Snapshot::tag_of(version),
        &format!("/api/v1/services/{code}/history"),
        &q,
        rows.len(),
        slice.iter().collect(),
        next,
    ))
}

/// A list of other records: rows are registry positions of one kind.
struct Listing<'a, T> {
    path: &'static str,
    /// The kind of records listed in code order when no sort is asked for (none for a list in
    /// another order).
    kind: Option<EntityKind>,
    /// What the list takes: its filters naming records are checked before it is filtered.
    takes: &'static ListParams,
    count: usize,
    code: &'a dyn Fn(usize) -> &'a str,
    name: &'a dyn Fn(usize) -> &'a Text,
    keep: &'a dyn Fn(usize, &ListQuery) -> bool,
    score: &'a dyn Fn(usize) -> Option<f64>,
    item: &'a dyn Fn(usize) -> T,
}

fn list_of<T: Serialize>(
    s: &Arc<Snapshot>,
    q: &ListQuery,
    l: Listing<'_, T>,
) -> Result<Response, ApiError> {
    q.check_records(s, l.takes)?;
    // The snapshot of a page's records alone (`Seed::Records`) has the page as the store
    // lists it.
    let seed = l
        .kind
        .map(|kind| records_seed(q, kind))
        .transpose()?
        .flatten();
    if let Some(listed) = seed.as_ref().and_then(|seed| s.records_page(seed)) {
        let items: Vec<T> = listed.positions.iter().map(|&i| (l.item)(i)).collect();
        let next = (listed.positions.last())
            .filter(|_| listed.more)
            .map(|&i| cursor_of((l.code)(i)));
        return Ok(list_response(&s.tag, l.path, q, listed.total, items, next));
    }
    let mut rows: Vec<usize> = (0..l.count).filter(|&i| (l.keep)(i, q)).collect();
    if let Some((key, desc)) = &q.sort {
        sort_rows(
            &mut rows,
            |&i| (l.code)(i).to_string(),
            |&i| match key.as_str() {
                "name" => sort_name((l.name)(i), q.lang),
                "score" => (l.score)(i).map(Key::Num).unwrap_or(Key::Missing),
                _ => Key::Text((l.code)(i).to_string()),
            },
            *desc,
        );
    }
    let (slice, next) = page(&rows, |&i| (l.code)(i), q)?;
    let items: Vec<T> = slice.iter().map(|&i| (l.item)(i)).collect();
    Ok(list_response(&s.tag, l.path, q, rows.len(), items, next))
}

/// A life event or an organisation's own address and where its services are listed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GroupLinks {
    #[serde(rename = "self")]
    own: String,
    services: String,
}

/// A life event in a list: what it is, how many services it has, its score now.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = LifeEvent)]
pub struct LifeEventItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    journey_order: i32,
    #[schema(value_type = crate::openapi::EuLifeEventDoc)]
    eu_code: &'s egovwatch_domain::EuLifeEvent,
    status: &'s str,
    services: usize,
    round: Option<&'s str>,
    score: Option<f64>,
    links: GroupLinks,
}

pub fn life_event_item(s: &Snapshot, g: usize) -> LifeEventItem<'_> {
    let e = &s.reg.life_events[g];
    let current = s.current();
    LifeEventItem {
        code: e.code.as_str(),
        name: &e.name,
        journey_order: e.journey_order,
        eu_code: &e.eu_code,
        status: e.status.as_str(),
        services: s.life_event_services(g),
        round: current.map(|r| r.round.code.as_str()),
        score: current.and_then(|r| r.group(0, g)),
        links: GroupLinks {
            own: format!("/api/v1/life-events/{}", e.code),
            services: format!("/api/v1/services?life_event={}", e.code),
        },
    }
}

pub async fn life_events(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut q = ListQuery::parse(raw.as_deref(), &LIFE_EVENTS)?;
    // Every part holds every life event; the home page's part has their counts of services.
    let s = state.snapshot_of(Seed::Home).await?;
    // The journey from birth to death is the natural order of life events.
    let journey = q.sort.is_none() || q.sort.as_ref().is_some_and(|(k, _)| k == "journey");
    let order: Vec<usize> = if journey {
        let mut all: Vec<usize> = (0..s.reg.life_events.len()).collect();
        all.sort_by_key(|&g| (s.reg.life_events[g].journey_order, g));
        if q.sort.as_ref().is_some_and(|(_, d)| *d) {
            all.reverse();
        }
        q.sort = None;
        all
    } else {
        (0..s.reg.life_events.len()).collect()
    };
    let current = s.current();
    list_of(
        &s,
        &q,
        Listing {
            path: "/api/v1/life-events",
            kind: None,

            takes: &LIFE_EVENTS,
            count: order.len(),
            code: &|i| s.reg.life_events[order[i]].code.as_str(),
            name: &|i| &s.reg.life_events[order[i]].name,
            keep: &|_, _| true,
            score: &|i| current.and_then(|r| r.group(0, order[i])),
            item: &|i| life_event_item(&s, order[i]),
        },
    )
}

/// A life event and its score in the latest rounds.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LifeEventDetail<'s> {
    #[serde(flatten)]
    item: LifeEventItem<'s>,
    #[schema(value_type = crate::openapi::TextDoc)]
    description: &'s Text,
    /// Its score in the latest published rounds (at most twenty), oldest first.
    rounds: Vec<GroupInRound<'s>>,
    /// How many published rounds there are.
    rounds_total: usize,
    /// Where its score in every one of them is listed, a page at a time.
    rounds_all: String,
}

/// A group's (life event's, organisation's) score in one round.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GroupInRound<'s> {
    round: &'s str,
    framework: &'s str,
    score: Option<f64>,
}

/// The latest rounds a life event's record and page give its score in: in a registry of many
/// countries every country's rounds score it (193 countries publish 386 rounds a year).
pub const ROUNDS_LISTED: usize = 20;

/// The life event at `g`'s score in every published round, oldest first.
fn life_event_rounds_of(s: &Snapshot, g: usize) -> Vec<GroupInRound<'_>> {
    (s.life_event_scores(g).into_iter())
        .map(|r| GroupInRound {
            round: r.round,
            framework: r.framework,
            score: r.score,
        })
        .collect()
}

pub fn life_event_detail(s: &Snapshot, g: usize) -> LifeEventDetail<'_> {
    let mut rounds = life_event_rounds_of(s, g);
    let rounds_total = rounds.len();
    rounds.drain(..rounds_total.saturating_sub(ROUNDS_LISTED));
    LifeEventDetail {
        item: life_event_item(s, g),
        description: &s.reg.life_events[g].description,
        rounds,
        rounds_total,
        rounds_all: format!("/api/v1/life-events/{}/rounds", s.reg.life_events[g].code),
    }
}

/// The snapshot a life event's answers are made from (its page's part while the whole one is
/// read), with the life event's registry position; `not_found` when there is no such life event.
async fn life_event_snapshot(
    state: &AppState,
    code: &str,
) -> Result<(Arc<Snapshot>, usize), ApiError> {
    let s = (state.snapshot_of(Seed::LifeEvent {
        code: code.to_string(),
        page: 1,
    }))
    .await?;
    let g = (s.codes.position(EntityKind::LifeEvent, code))
        .ok_or_else(|| ApiError::not_found("life event", code))?;
    Ok((s, g))
}

pub async fn life_event(
    State(state): State<AppState>,
    Path(code): Path<String>,
    _: NoParams,
) -> Result<Response, ApiError> {
    let (s, g) = life_event_snapshot(&state, &code).await?;
    Ok(json_response(&life_event_detail(&s, g)))
}

/// A life event's score in every published round, oldest first, a page at a time.
pub async fn life_event_rounds(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &ListParams::PAGED)?;
    let (s, g) = life_event_snapshot(&state, &code).await?;
    let rows = life_event_rounds_of(&s, g);
    let (slice, next) = page(&rows, |r| r.round, &q)?;
    Ok(list_response(
        &s.tag,
        &format!("/api/v1/life-events/{code}/rounds"),
        &q,
        rows.len(),
        slice.iter().collect(),
        next,
    ))
}

/// An organisation in a list: what it is, how many services it provides, its score now.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Organisation)]
pub struct OrganisationItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    #[serde(rename = "type")]
    org_type: &'s str,
    parent: Option<&'s str>,
    status: &'s str,
    services: usize,
    round: Option<&'s str>,
    score: Option<f64>,
    links: GroupLinks,
}

pub fn organisation_item(s: &Snapshot, o: usize) -> OrganisationItem<'_> {
    let x = &s.reg.organisations[o];
    OrganisationItem {
        code: x.code.as_str(),
        name: &x.name,
        org_type: x.org_type.as_str(),
        parent: x.parent.as_ref().map(|p| p.as_str()),
        status: x.status.as_str(),
        services: s.organisation_services(o),
        round: s.current_code(),
        score: s.organisation_score(o),
        links: GroupLinks {
            own: format!("/api/v1/organisations/{}", x.code),
            services: format!("/api/v1/services?organisation={}", x.code),
        },
    }
}

pub async fn organisations(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &ORGANISATIONS)?;
    let s = list_snapshot(&state, &q, &ORGANISATIONS, EntityKind::Organisation).await?;
    list_of(
        &s,
        &q,
        Listing {
            path: "/api/v1/organisations",
            kind: Some(EntityKind::Organisation),

            takes: &ORGANISATIONS,
            count: s.reg.organisations.len(),
            code: &|i| s.reg.organisations[i].code.as_str(),
            name: &|i| &s.reg.organisations[i].name,
            keep: &|i, q| {
                let o = &s.reg.organisations[i];
                q.filter("type").is_none_or(|t| o.org_type.as_str() == t)
                    && q.filter("parent")
                        .is_none_or(|p| o.parent.as_ref().is_some_and(|x| x.as_str() == p))
            },
            score: &|i| s.organisation_score(i),
            item: &|i| organisation_item(&s, i),
        },
    )
}

/// The most records of another kind a record's answer names (its systems, units, datasets,
/// exchange links): a ministry over every municipality has thousands; the answer counts them
/// all and gives the address of their paged list.
pub const NAMED_LISTED: usize = 100;

/// The first [`NAMED_LISTED`] of `items` and how many there are.
fn first_named<T>(items: impl Iterator<Item = T>) -> (Vec<T>, usize) {
    let mut first = Vec::new();
    let mut total = 0;
    for item in items {
        if total < NAMED_LISTED {
            first.push(item);
        }
        total += 1;
    }
    (first, total)
}

/// An organisation with the systems it owns and its units.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationDetail<'s> {
    #[serde(flatten)]
    item: OrganisationItem<'s>,
    /// The systems it owns: the first hundred.
    systems: Vec<&'s str>,
    systems_total: usize,
    /// Where all of them are listed, a page at a time.
    systems_all: String,
    /// Its units: the first hundred.
    children: Vec<&'s str>,
    children_total: usize,
    /// Where all of them are listed, a page at a time.
    children_all: String,
}

pub fn organisation_detail(s: &Snapshot, o: usize) -> OrganisationDetail<'_> {
    let code = &s.reg.organisations[o].code;
    let (systems, systems_total) = first_named(
        (s.reg.information_systems.iter())
            .filter(|x| x.owner == *code)
            .map(|x| x.code.as_str()),
    );
    let (children, children_total) = first_named(
        (s.reg.organisations.iter())
            .filter(|x| x.parent.as_ref() == Some(code))
            .map(|x| x.code.as_str()),
    );
    let code = crate::api::encode(code.as_str());
    OrganisationDetail {
        item: organisation_item(s, o),
        systems,
        systems_total,
        systems_all: format!("/api/v1/information-systems?owner={code}"),
        children,
        children_total,
        children_all: format!("/api/v1/organisations?parent={code}"),
    }
}

pub async fn organisation(
    State(state): State<AppState>,
    Path(code): Path<String>,
    _: NoParams,
) -> Result<Response, ApiError> {
    one_of(
        state,
        code,
        EntityKind::Organisation,
        "organisation",
        |s, o| json_response(&organisation_detail(s, o)),
    )
    .await
}

/// A list item's own address in the API.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OwnLink {
    #[serde(rename = "self")]
    own: String,
}

impl OwnLink {
    fn at(kind: &str, code: &egovwatch_domain::Code) -> OwnLink {
        OwnLink {
            own: format!("/api/v1/{kind}/{code}"),
        }
    }
}

/// An information system in a list: who owns it, whether it is a base registry, how far it
/// is digitised.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = InformationSystem)]
pub struct SystemItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    owner: &'s str,
    base_registry: bool,
    lifecycle: &'s str,
    digitisation: &'s str,
    digitised_share_pct: Option<i32>,
    as_of: Option<&'s str>,
    links: OwnLink,
}

pub fn system_item(s: &Snapshot, i: usize) -> SystemItem<'_> {
    let x = &s.reg.information_systems[i];
    SystemItem {
        code: x.code.as_str(),
        name: &x.name,
        owner: x.owner.as_str(),
        base_registry: x.base_registry,
        lifecycle: x.lifecycle.as_str(),
        digitisation: x.digitisation.state.as_str(),
        digitised_share_pct: x.digitisation.share_pct,
        as_of: x.digitisation.as_of.as_deref(),
        links: OwnLink::at("information-systems", &x.code),
    }
}

pub async fn systems(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &SYSTEMS)?;
    let s = list_snapshot(&state, &q, &SYSTEMS, EntityKind::InformationSystem).await?;
    list_of(
        &s,
        &q,
        Listing {
            path: "/api/v1/information-systems",
            kind: Some(EntityKind::InformationSystem),

            takes: &SYSTEMS,
            count: s.reg.information_systems.len(),
            code: &|i| s.reg.information_systems[i].code.as_str(),
            name: &|i| &s.reg.information_systems[i].name,
            keep: &|i, q| {
                let x = &s.reg.information_systems[i];
                q.filter("owner").is_none_or(|o| x.owner.as_str() == o)
                    && q.filter("base_registry")
                        .is_none_or(|b| (b == "true") == x.base_registry)
                    && q.filter("digitisation")
                        .is_none_or(|d| x.digitisation.state.as_str() == d)
            },
            score: &|_| None,
            item: &|i| system_item(&s, i),
        },
    )
}

/// The datasets a system holds and the services that need what they supply.
/// An information system with its datasets and the services its data can serve.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = InformationSystemDetail)]
pub struct SystemDetail<'s> {
    #[serde(flatten)]
    item: SystemItem<'s>,
    #[schema(value_type = crate::openapi::TextDoc)]
    description: &'s Text,
    /// Its datasets: the first hundred.
    datasets: Vec<&'s str>,
    datasets_total: usize,
    /// Where all of them are listed, a page at a time.
    datasets_all: String,
    services: Needing,
}

/// The services that need a system's or a dataset's data: how many, and the paged list of them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Needing {
    total: usize,
    /// `/api/v1/services` filtered to them.
    href: String,
}

impl Needing {
    fn of(s: &Snapshot, datasets: &[usize], filter: &str, code: &str) -> Needing {
        Needing {
            total: s.services_needing(datasets).len(),
            href: format!("/api/v1/services?{filter}={}", crate::api::encode(code)),
        }
    }
}

pub fn system_detail(s: &Snapshot, i: usize) -> SystemDetail<'_> {
    let x = &s.reg.information_systems[i];
    let datasets = s.datasets_of(i);
    let (listed, datasets_total) =
        first_named(datasets.iter().map(|&d| s.reg.datasets[d].code.as_str()));
    SystemDetail {
        item: system_item(s, i),
        description: &x.description,
        datasets: listed,
        datasets_total,
        datasets_all: format!(
            "/api/v1/datasets?system={}",
            crate::api::encode(x.code.as_str())
        ),
        services: Needing::of(s, &datasets, "system", x.code.as_str()),
    }
}

pub async fn system(
    State(state): State<AppState>,
    Path(code): Path<String>,
    _: NoParams,
) -> Result<Response, ApiError> {
    one_of(
        state,
        code,
        EntityKind::InformationSystem,
        "information system",
        |s, i| json_response(&system_detail(s, i)),
    )
    .await
}

/// A dataset in a list: the system that holds it and the evidence it supplies.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Dataset)]
pub struct DatasetItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    system: &'s str,
    supplies: Vec<&'s str>,
    status: &'s str,
    links: OwnLink,
}

pub fn dataset_item(s: &Snapshot, i: usize) -> DatasetItem<'_> {
    let x = &s.reg.datasets[i];
    DatasetItem {
        code: x.code.as_str(),
        name: &x.name,
        system: x.system.as_str(),
        supplies: x.supplies.iter().map(|e| e.as_str()).collect(),
        status: x.status.as_str(),
        links: OwnLink::at("datasets", &x.code),
    }
}

pub async fn datasets(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &DATASETS)?;
    let s = list_snapshot(&state, &q, &DATASETS, EntityKind::Dataset).await?;
    list_of(
        &s,
        &q,
        Listing {
            path: "/api/v1/datasets",
            kind: Some(EntityKind::Dataset),

            takes: &DATASETS,
            count: s.reg.datasets.len(),
            code: &|i| s.reg.datasets[i].code.as_str(),
            name: &|i| &s.reg.datasets[i].name,
            keep: &|i, q| {
                let x = &s.reg.datasets[i];
                q.filter("system").is_none_or(|o| x.system.as_str() == o)
                    && q.filter("supplies")
                        .is_none_or(|e| x.supplies.iter().any(|c| c.as_str() == e))
            },
            score: &|_| None,
            item: &|i| dataset_item(&s, i),
        },
    )
}

/// A dataset, the exchange links that carry it and the services that need what it supplies.
/// A dataset with the exchanges that carry it and the services its evidence serves.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DatasetDetail<'s> {
    #[serde(flatten)]
    item: DatasetItem<'s>,
    #[schema(value_type = crate::openapi::TextDoc)]
    description: &'s Text,
    /// The exchange links it is the source of: the first hundred.
    exchange_links: Vec<ExchangeOf<'s>>,
    exchange_links_total: usize,
    /// Where all of them are listed, a page at a time.
    exchange_links_all: String,
    services: Needing,
}

/// An exchange link as a dataset's record names it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ExchangeOf<'s> {
    code: &'s str,
    status: &'s str,
    target_system: Option<&'s str>,
    target_service: Option<&'s str>,
}

pub fn dataset_detail(s: &Snapshot, i: usize) -> DatasetDetail<'_> {
    let x = &s.reg.datasets[i];
    let (exchange_links, exchange_links_total) = first_named(
        (s.reg.exchange_links.iter())
            .filter(|l| l.source_dataset.as_ref() == Some(&x.code))
            .map(|l| ExchangeOf {
                code: l.code.as_str(),
                status: l.status.as_str(),
                target_system: l.target_system.as_ref().map(|c| c.as_str()),
                target_service: l.target_service.as_ref().map(|c| c.as_str()),
            }),
    );
    DatasetDetail {
        item: dataset_item(s, i),
        description: &x.description,
        exchange_links,
        exchange_links_total,
        exchange_links_all: format!(
            "/api/v1/exchange-links?source_dataset={}",
            crate::api::encode(x.code.as_str())
        ),
        services: Needing::of(s, &[i], "dataset", x.code.as_str()),
    }
}

pub async fn dataset(
    State(state): State<AppState>,
    Path(code): Path<String>,
    _: NoParams,
) -> Result<Response, ApiError> {
    one_of(state, code, EntityKind::Dataset, "dataset", |s, i| {
        json_response(&dataset_detail(s, i))
    })
    .await
}

/// A kind of evidence and the datasets that supply it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = EvidenceType)]
pub struct EvidenceItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    #[schema(value_type = crate::openapi::TextDoc)]
    description: &'s Text,
    status: &'s str,
    supplied_by: Vec<&'s str>,
    links: OwnLink,
}

pub fn evidence_item(s: &Snapshot, i: usize) -> EvidenceItem<'_> {
    let x = &s.reg.evidence_types[i];
    EvidenceItem {
        code: x.code.as_str(),
        name: &x.name,
        description: &x.description,
        status: x.status.as_str(),
        // Through the index of suppliers: a page of 1,000 evidence types of a registry of many
        // countries would otherwise scan its 7,720 datasets for each (0.17 s a page).
        supplied_by: (s.codes.suppliers(x.code.as_str()))
            .map(|d| s.reg.datasets[d].code.as_str())
            .collect(),
        links: OwnLink::at("evidence-types", &x.code),
    }
}

/// A document services issue, and the evidence it can serve as.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Output)]
pub struct OutputItem<'s> {
    code: &'s str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'s Text,
    #[schema(value_type = crate::openapi::TextDoc)]
    description: &'s Text,
    #[serde(rename = "type")]
    output_type: &'s str,
    evidence_type: Option<&'s str>,
    status: &'s str,
    links: OwnLink,
}

pub fn output_item(s: &Snapshot, i: usize) -> OutputItem<'_> {
    let x = &s.reg.outputs[i];
    OutputItem {
        code: x.code.as_str(),
        name: &x.name,
        description: &x.description,
        output_type: x.output_type.as_str(),
        evidence_type: x.evidence_type.as_ref().map(|c| c.as_str()),
        status: x.status.as_str(),
        links: OwnLink::at("outputs", &x.code),
    }
}

/// A data exchange: from which dataset or system, to which system or service, on what basis.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ExchangeLink)]
pub struct LinkItem<'s> {
    code: &'s str,
    status: &'s str,
    source_dataset: Option<&'s str>,
    source_system: Option<&'s str>,
    target_system: Option<&'s str>,
    target_service: Option<&'s str>,
    #[schema(value_type = crate::openapi::TextDoc)]
    purpose: &'s Text,
    legal_basis: Option<&'s str>,
    links: OwnLink,
}

pub fn link_item(s: &Snapshot, i: usize) -> LinkItem<'_> {
    let x = &s.reg.exchange_links[i];
    fn code(c: &Option<egovwatch_domain::Code>) -> Option<&str> {
        c.as_ref().map(|c| c.as_str())
    }
    LinkItem {
        code: x.code.as_str(),
        status: x.status.as_str(),
        source_dataset: code(&x.source_dataset),
        source_system: code(&x.source_system),
        target_system: code(&x.target_system),
        target_service: code(&x.target_service),
        purpose: &x.purpose,
        legal_basis: x.legal_basis.as_deref(),
        links: OwnLink::at("exchange-links", &x.code),
    }
}

static NO_NAME: std::sync::LazyLock<Text> = std::sync::LazyLock::new(Text::new);

pub async fn evidence_types(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &EVIDENCE_TYPES)?;
    let s = list_snapshot(&state, &q, &EVIDENCE_TYPES, EntityKind::EvidenceType).await?;
    list_of(
        &s,
        &q,
        Listing {
            path: "/api/v1/evidence-types",
            kind: Some(EntityKind::EvidenceType),

            takes: &EVIDENCE_TYPES,
            count: s.reg.evidence_types.len(),
            code: &|i| s.reg.evidence_types[i].code.as_str(),
            name: &|i| &s.reg.evidence_types[i].name,
            keep: &|i, q| {
                q.filter("status")
                    .is_none_or(|v| s.reg.evidence_types[i].status.as_str() == v)
            },
            score: &|_| None,
            item: &|i| evidence_item(&s, i),
        },
    )
}

pub async fn outputs(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &OUTPUTS)?;
    let s = list_snapshot(&state, &q, &OUTPUTS, EntityKind::Output).await?;
    list_of(
        &s,
        &q,
        Listing {
            path: "/api/v1/outputs",
            kind: Some(EntityKind::Output),

            takes: &OUTPUTS,
            count: s.reg.outputs.len(),
            code: &|i| s.reg.outputs[i].code.as_str(),
            name: &|i| &s.reg.outputs[i].name,
            keep: &|i, q| {
                let x = &s.reg.outputs[i];
                q.filter("type").is_none_or(|v| x.output_type.as_str() == v)
                    && q.filter("status").is_none_or(|v| x.status.as_str() == v)
            },
            score: &|_| None,
            item: &|i| output_item(&s, i),
        },
    )
}

pub async fn exchange_links(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = ListQuery::parse(raw.as_deref(), &EXCHANGE_LINKS)?;
    let s = list_snapshot(&state, &q, &EXCHANGE_LINKS, EntityKind::ExchangeLink).await?;
    let is =
        |c: &Option<egovwatch_domain::Code>, v: &str| c.as_ref().is_some_and(|c| c.as_str() == v);
    list_of(
        &s,
        &q,
        Listing {
            path: "/api/v1/exchange-links",
            kind: Some(EntityKind::ExchangeLink),

            takes: &EXCHANGE_LINKS,
            count: s.reg.exchange_links.len(),
            code: &|i| s.reg.exchange_links[i].code.as_str(),
            name: &|_| &NO_NAME,
            keep: &|i, q| {
                let x = &s.reg.exchange_links[i];
                q.filter("status").is_none_or(|v| x.status.as_str() == v)
                    && q.filter("source_dataset")
                        .is_none_or(|v| is(&x.source_dataset, v))
                    && q.filter("target_system")
                        .is_none_or(|v| is(&x.target_system, v))
                    && q.filter("target_service")
                        .is_none_or(|v| is(&x.target_service, v))
            },
            score: &|_| None,
            item: &|i| link_item(&s, i),
        },
    )
}

/// The snapshot a list of records of `kind` (`takes` its parameters) answers query `q` from:
/// while the whole one is read, the part of the registry connected to the record a filter of
/// `q` names (every record such a filter leaves refers to that record, so all are in its
/// part), or with no filter nor sort a snapshot of the page's records alone
/// ([`Seed::Records`]); the whole one otherwise.
async fn list_snapshot(
    state: &AppState,
    q: &ListQuery,
    takes: &ListParams,
    kind: EntityKind,
) -> Result<std::sync::Arc<Snapshot>, ApiError> {
    let named = takes.filters.iter().find_map(|p| match p.refers {
        crate::api::Refers::Record(kind) if kind != EntityKind::LifeEvent => q
            .filter(p.name)
            .map(|code| Seed::Record(kind, code.to_string())),
        _ => None,
    });
    let seed = match named {
        Some(seed) => Some(seed),
        None => records_seed(q, kind)?,
    };
    state.snapshot_about(seed).await
}

/// The page list query `q` of the records of `kind` asks for, when it asks for no filter nor
/// sort: the records after its cursor in code order ([`Seed::Records`]).
fn records_seed(q: &ListQuery, kind: EntityKind) -> Result<Option<Seed>, ApiError> {
    if !q.filters.is_empty() || q.sort.is_some() {
        return Ok(None);
    }
    Ok(Some(Seed::Records {
        kind,
        after: after_cursor(q)?,
        limit: q.limit,
    }))
}

/// One record by code, answered by `answer`.
async fn one_of(
    state: AppState,
    code: String,
    kind: EntityKind,
    what: &str,
    answer: fn(&Snapshot, usize) -> Response,
) -> Result<Response, ApiError> {
    let s = state.snapshot_of(Seed::Record(kind, code.clone())).await?;
    let i = s
        .codes
        .position(kind, &code)
        .ok_or_else(|| ApiError::not_found(what, &code))?;
    Ok(answer(&s, i))
}

pub async fn evidence_type(
    State(state): State<AppState>,
    Path(code): Path<String>,
    _: NoParams,
) -> Result<Response, ApiError> {
    one_of(
        state,
        code,
        EntityKind::EvidenceType,
        "evidence type",
        |s, i| json_response(&evidence_item(s, i)),
    )
    .await
}

pub async fn output(
    State(state): State<AppState>,
    Path(code): Path<String>,
    _: NoParams,
) -> Result<Response, ApiError> {
    one_of(state, code, EntityKind::Output, "output", |s, i| {
        json_response(&output_item(s, i))
    })
    .await
}

pub async fn exchange_link(
    State(state): State<AppState>,
    Path(code): Path<String>,
    _: NoParams,
) -> Result<Response, ApiError> {
    one_of(
        state,
        code,
        EntityKind::ExchangeLink,
        "exchange link",
        |s, i| json_response(&link_item(s, i)),
    )
    .await
}
