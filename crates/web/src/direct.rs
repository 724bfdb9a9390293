//! Answers read straight from the store with indexed queries, while the process holds no
//! snapshot yet: a process that has just started answers these at once, whatever the size of
//! the registry, while its snapshot is read in the background (`Shared::warm`).
//!
//! Each answer is the one the snapshot would give at the same data version, byte for byte
//! (a test compares them): it is read between two reads of the data version and read again
//! when the version moved in between, so it never mixes two versions. A request these cannot
//! answer (a filter or a sort they do not read) waits for the snapshot, as before.

use crate::AppState;
use crate::api::{ApiError, ListQuery, after_cursor, cursor_gone, cursor_of, list_response};
use crate::records::{ServiceItem, Standing, stage_text};
use crate::snapshot::{Seed, Snapshot};
use axum::response::{IntoResponse, Response};
use egovwatch_app::rounds::framework;
use egovwatch_domain::monitoring::{self, Movement, Perspective, Round};
use egovwatch_store::{ServiceFilter, Store, Unknown};
use std::collections::{HashMap, HashSet};

/// How many times an answer is read again when the data changed while it was read, before
/// the request waits for the snapshot instead.
const ATTEMPTS: usize = 3;

/// `/api/v1/services` in its own order (by code) with the filters in [`FILTERS`], or none when
/// `q` asks for more or the process already holds a snapshot.
pub async fn services(state: &AppState, q: &ListQuery) -> Result<Option<Response>, ApiError> {
    if !answers(q) {
        return Ok(None);
    }
    from_store(state, q, read_services).await
}

/// What `read` answers to `q` from the store while the process holds no snapshot (whose read
/// it starts), counted as answered directly; none once it holds one.
async fn from_store(
    state: &AppState,
    q: &ListQuery,
    read: fn(&Store, &ListQuery) -> Result<Option<Response>, ApiError>,
) -> Result<Option<Response>, ApiError> {
    if state.shared.held().is_some() {
        return Ok(None);
    }
    state.shared.warm();
    let q = q.clone();
    let answer = state.blocking(move |store| Ok(read(store, &q))).await??;
    if answer.is_some() {
        state.shared.answered_directly();
    }
    Ok(answer)
}

/// `/api/v1/services?{raw}` as a process holding no snapshot answers it from the store, or
/// none when the store does not answer it directly.
pub fn services_from_store(store: &Store, raw: Option<&str>) -> Option<Response> {
    let answer = ListQuery::parse(raw, &crate::records::SERVICES).and_then(|q| {
        if answers(&q) {
            read_services(store, &q)
        } else {
            Ok(None)
        }
    });
    answer.unwrap_or_else(|e| Some(e.into_response()))
}

/// `/api/v1/services/{code}?{raw}` as a process holding no snapshot answers it from the part
/// of the registry connected to the service (`Snapshot::of_part`), or none when that part
/// does not answer alone.
pub fn service_from_store(store: &Store, code: &str, raw: Option<&str>) -> Option<Response> {
    let answer = crate::records::lang_of(raw).and_then(|lang| {
        match Snapshot::of_part(store, &Seed::service(code)).map_err(ApiError::internal)? {
            Some(part) => crate::records::service_answer(&part, code, lang).map(Some),
            None => Ok(None),
        }
    });
    answer.unwrap_or_else(|e| Some(e.into_response()))
}

/// The filters of the list of services the store answers directly (the others need every
/// service's stage, movement or evidence).
const FILTERS: [&str; 4] = ["round", "life_event", "organisation", "status"];

/// Whether the store answers list query `q` of services directly.
fn answers(q: &ListQuery) -> bool {
    q.sort.is_none() && q.filters.iter().all(|(k, _)| FILTERS.contains(&k.as_str()))
}

/// The answer to list query `q` read from the store (as the module says), or none when the
/// round it shows has no stored results for its revision or the data kept changing while it
/// was read.
fn read_services(store: &Store, q: &ListQuery) -> Result<Option<Response>, ApiError> {
    let after = after_cursor(q)?;
    let began = std::time::Instant::now();
    for _ in 0..ATTEMPTS {
        let version = store.data_version().map_err(ApiError::internal)?;
        // Their scopes are not read: none of them is used here.
        let published: Vec<Round> = store
            .published_rounds_without_scope()
            .map_err(ApiError::internal)?;
        let round = match q.filter("round") {
            Some(code) => Some(
                published
                    .iter()
                    .find(|r| r.code == code)
                    .ok_or_else(|| ApiError::not_found("published round", code))?,
            ),
            None => crate::snapshot::current_of(&published),
        };
        let filter = ServiceFilter {
            life_event: q.filter("life_event"),
            organisation: q.filter("organisation"),
            status: q.filter("status"),
        };
        let page = match store
            .services_page(filter, after.as_deref(), q.limit.saturating_add(1))
            .map_err(ApiError::internal)?
        {
            Ok(page) => page,
            Err(Unknown::LifeEvent) => {
                return Err(ApiError::not_found(
                    "life event",
                    filter.life_event.unwrap_or_default(),
                ));
            }
            Err(Unknown::Organisation) => {
                return Err(ApiError::not_found(
                    "organisation",
                    filter.organisation.unwrap_or_default(),
                ));
            }
            Err(Unknown::After) => {
                return Err(cursor_gone(after.as_deref().unwrap_or_default()));
            }
        };
        let shown = &page.services[..q.limit.min(page.services.len())];
        let codes: Vec<&str> = shown.iter().map(|x| x.code.as_str()).collect();
        let standing = match round {
            None => None,
            Some(r) => {
                let fw = framework(&r.framework).map_err(ApiError::internal)?;
                match store
                    .round_results_for(&r.code, &codes)
                    .map_err(ApiError::internal)?
                {
                    Some(results) if results.revision == r.revision => Some((r, fw, results)),
                    // Results not stored for this revision: the snapshot computes them.
                    _ => return Ok(None),
                }
            }
        };
        if store.data_version().map_err(ApiError::internal)? != version {
            continue;
        }
        // Movements are shown against the round compared with when it is still an earlier
        // published round, as the snapshot's comparison is.
        let compared = standing.as_ref().is_some_and(|(r, _, results)| {
            results.against.as_deref().is_some_and(|against| {
                published
                    .iter()
                    .take_while(|p| p.code != r.code)
                    .any(|p| p.code == against)
            })
        });
        let units: HashMap<&str, &monitoring::UnitResult> = standing
            .iter()
            .flat_map(|(_, _, results)| &results.units)
            .filter(|u| u.perspective == Perspective::National)
            .map(|u| (u.service.as_str(), u))
            .collect();
        let withdrawn: HashSet<&str> = standing
            .iter()
            .filter(|_| compared)
            .flat_map(|(_, _, results)| &results.withdrawn)
            .map(String::as_str)
            .collect();
        let items: Vec<ServiceItem> = shown
            .iter()
            .map(|x| {
                let code = x.code.as_str();
                let unit = units.get(code);
                ServiceItem::new(
                    x,
                    standing.as_ref().map(|(r, fw, _)| {
                        let stage = unit.and_then(|u| u.stage);
                        Standing {
                            round: r.code.as_str(),
                            stage,
                            stage_name: stage_text(fw, stage),
                            score: unit.and_then(|u| u.headline),
                            movement: match unit {
                                Some(u) => u.movement.filter(|_| compared),
                                None => withdrawn.contains(code).then_some(Movement::Withdrawn),
                            },
                        }
                    }),
                )
            })
            .collect();
        tracing::debug!(
            "{} services answered from the store in {:.1?}",
            items.len(),
            began.elapsed()
        );
        let next = (page.services.len() > shown.len())
            .then(|| shown.last().map(|x| cursor_of(x.code.as_str())))
            .flatten();
        return Ok(Some(list_response(
            &Snapshot::tag_of(version),
            "/api/v1/services",
            q,
            page.total,
            items,
            next,
        )));
    }
    Ok(None)
}

/// `/api/v1/rounds` in its own order (oldest period first), whole or on one framework, or
/// none when `q` sorts it or the process already holds a snapshot.
pub async fn rounds(state: &AppState, q: &ListQuery) -> Result<Option<Response>, ApiError> {
    if q.sort.is_some() {
        return Ok(None);
    }
    from_store(state, q, read_rounds).await
}

/// The list of published rounds read from the store (as the module says): the rounds without
/// their scopes, who each is about from the leading organisations of its services
/// (`Store::published_rounds_leads`, so the round before each in its series is the
/// snapshot's), and for the page's rounds their stored results' index and how many services
/// each assessed; none when a round covers every service, a round of the page has no stored
/// results for its revision, or the data kept changing while it was read.
fn read_rounds(store: &Store, q: &ListQuery) -> Result<Option<Response>, ApiError> {
    for _ in 0..ATTEMPTS {
        let version = store.data_version().map_err(ApiError::internal)?;
        let published: Vec<Round> = store
            .published_rounds_without_scope()
            .map_err(ApiError::internal)?;
        let leads = store.published_rounds_leads().map_err(ApiError::internal)?;
        if leads.covers_every {
            return Ok(None);
        }
        let subjects = monitoring::Subjects::of_leads(&published, &leads.leads, &leads.parents);
        // The round before each in its series: the latest earlier one on its framework about
        // the same subject.
        let mut last: HashMap<(&str, Option<&[String]>), usize> = HashMap::new();
        let previous: Vec<Option<usize>> = (published.iter().enumerate())
            .map(|(i, r)| {
                let key = (r.framework.as_str(), subjects.of_round(&r.code));
                last.insert(key, i)
            })
            .collect();
        let rows: Vec<usize> = (0..published.len())
            .filter(|&i| {
                q.filter("framework")
                    .is_none_or(|f| published[i].framework == f)
            })
            .collect();
        let (slice, next) = crate::api::page(&rows, |&i| published[i].code.as_str(), q)?;
        let codes: Vec<&str> = slice.iter().map(|&i| published[i].code.as_str()).collect();
        let services = store.national_units(&codes).map_err(ApiError::internal)?;
        let mut read = Vec::with_capacity(slice.len());
        for &i in slice {
            let round = &published[i];
            let fw = framework(&round.framework).map_err(ApiError::internal)?;
            match store
                .round_results_for(&round.code, &[])
                .map_err(ApiError::internal)?
            {
                Some(results) if results.revision == round.revision => read.push((fw, results)),
                // Results not stored for this revision: the snapshot computes them.
                _ => return Ok(None),
            }
        }
        if store.data_version().map_err(ApiError::internal)? != version {
            continue;
        }
        let items: Vec<crate::rounds::RoundItem> = (slice.iter().zip(&read).zip(services))
            .map(|((&i, (fw, results)), services)| {
                let before = previous[i];
                crate::rounds::item_of(
                    &published[i],
                    fw,
                    crate::rounds::Standing {
                        services,
                        index: results.index,
                        previous: before.map(|p| published[p].code.as_str()),
                        index_before: before.and(results.index_before),
                    },
                )
            })
            .collect();
        return Ok(Some(list_response(
            &Snapshot::tag_of(version),
            "/api/v1/rounds",
            q,
            rows.len(),
            items,
            next,
        )));
    }
    Ok(None)
}
