//! Search across services, organisations, information systems, datasets and life events in
//! any of the three languages (`seher` finds `şəhər`), for the search page and
//! `/api/v1/search`. Matching and ranking are the domain's search index; here hits become
//! rows with the matching words highlighted.

use crate::AppState;
use crate::api::{ApiError, Param, json_response, names, pairs, parse_lang, schema};
use crate::snapshot::{Seed, Snapshot};
use crate::views::escape;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use egovwatch_domain::EntityKind;
use egovwatch_domain::search::{Field, Hit, highlight, terms};
use egovwatch_domain::{Lang, Text};
use serde::Serialize;

pub const KINDS: &[(&str, EntityKind)] = &[
    ("service", EntityKind::Service),
    ("organisation", EntityKind::Organisation),
    ("information_system", EntityKind::InformationSystem),
    ("dataset", EntityKind::Dataset),
    ("life_event", EntityKind::LifeEvent),
];

pub fn kind_word(k: EntityKind) -> &'static str {
    KINDS
        .iter()
        .find(|(_, x)| *x == k)
        .map(|(w, _)| *w)
        .unwrap_or("record")
}

/// The page of a record in `lang`.
pub fn href(lang: Lang, k: EntityKind, code: &str) -> String {
    match k {
        EntityKind::Service => format!("/{lang}/services/{code}"),
        EntityKind::Organisation => format!("/{lang}/organisations/{code}"),
        EntityKind::InformationSystem => format!("/{lang}/systems/{code}"),
        EntityKind::Dataset => format!("/{lang}/datasets/{code}"),
        EntityKind::LifeEvent => format!("/{lang}/life-events/{code}"),
        _ => format!("/{lang}/"),
    }
}

fn record<'s>(s: &'s Snapshot, h: &Hit) -> Option<(&'s str, &'s Text, &'s Text)> {
    let r = &s.reg;
    Some(match h.kind {
        EntityKind::Service => {
            let x = r.services.get(h.position)?;
            (x.code.as_str(), &x.name, &x.description)
        }
        EntityKind::Organisation => {
            let x = r.organisations.get(h.position)?;
            (x.code.as_str(), &x.name, &x.name)
        }
        EntityKind::InformationSystem => {
            let x = r.information_systems.get(h.position)?;
            (x.code.as_str(), &x.name, &x.description)
        }
        EntityKind::Dataset => {
            let x = r.datasets.get(h.position)?;
            (x.code.as_str(), &x.name, &x.description)
        }
        EntityKind::LifeEvent => {
            let x = r.life_events.get(h.position)?;
            (x.code.as_str(), &x.name, &x.description)
        }
        _ => return None,
    })
}

/// Text as HTML with the words that match wrapped in `<mark>`.
pub fn marked(text: &str, terms: &[String]) -> (String, bool) {
    let mut out = String::with_capacity(text.len() + 16);
    let mut any = false;
    for (seg, hit) in highlight(text, terms) {
        if hit {
            any = true;
            out.push_str("<mark>");
            out.push_str(&escape(&seg));
            out.push_str("</mark>");
        } else {
            out.push_str(&escape(&seg));
        }
    }
    (out, any)
}

/// One search result as the page and the API show it.
pub struct Found {
    pub kind: EntityKind,
    pub code: String,
    pub href: String,
    pub name: Text,
    /// The name in the reader's language (or a fallback), highlighted; and its language.
    pub title_html: String,
    pub title_lang: Lang,
    /// When the match is in other text (another language's name, the description): that
    /// text highlighted, with its language.
    pub context_html: Option<(String, Option<Lang>)>,
}

/// Runs a query: the `limit` hits ranked after the first `skip`, as rows, and the total number
/// of matches.
pub fn run(
    s: &Snapshot,
    query: &str,
    kinds: Option<&[EntityKind]>,
    lang: Lang,
    fallback: &[Lang],
    (skip, limit): (usize, usize),
) -> (Vec<Found>, usize) {
    let t = terms(query);
    let (hits, total) = s.search().search(query, kinds, skip.saturating_add(limit));
    let rows = hits
        .iter()
        .skip(skip)
        .filter_map(|h| {
            let (code, name, description) = record(s, h)?;
            let shown = name.pick(lang, fallback);
            let (title, title_lang) = match &shown {
                Some(x) => (x.text.to_string(), x.lang),
                None => (code.to_string(), lang),
            };
            let (title_html, title_hit) = marked(&title, &t);
            let context_html = match (h.field, h.lang) {
                _ if title_hit => None,
                (Field::Name, Some(l)) => name.get(l).map(|x| (marked(x, &t).0, Some(l))),
                (Field::Description, Some(l)) => {
                    description.get(l).map(|x| (marked(x, &t).0, Some(l)))
                }
                (Field::Code, _) => Some((marked(code, &t).0, None)),
                _ => None,
            };
            Some(Found {
                kind: h.kind,
                code: code.to_string(),
                href: href(lang, h.kind, code),
                name: name.clone(),
                title_html,
                title_lang,
                context_html,
            })
        })
        .collect();
    (rows, total)
}

/// The kinds asked for in `kind=service,organisation`; none means all.
pub fn parse_kinds(v: &str) -> Result<Vec<EntityKind>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            KINDS
                .iter()
                .find(|(w, _)| *w == k)
                .map(|(_, x)| *x)
                .ok_or_else(|| {
                    format!(
                        "kind {k:?} is not one of {}",
                        KINDS.iter().map(|(w, _)| *w).collect::<Vec<_>>().join(", ")
                    )
                })
        })
        .collect()
}

/// What `/api/v1/search` answers: a page of the hits, ranked, what was searched for, and where
/// the next page is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchBody<'a> {
    data: Vec<SearchItem<'a>>,
    meta: SearchMeta<'a>,
    links: SearchLinks,
}

/// The addresses of this page and of the next one (none after the last).
#[derive(Serialize, utoipa::ToSchema)]
struct SearchLinks {
    #[serde(rename = "self")]
    this: String,
    next: Option<String>,
}

/// One hit: the record, its name, the name highlighted, and where else the words matched.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = SearchHit)]
pub struct SearchItem<'a> {
    kind: &'static str,
    code: &'a str,
    #[schema(value_type = crate::openapi::TextDoc)]
    name: &'a Text,
    highlight: &'a str,
    context: Option<Context<'a>>,
    links: PageLink<'a>,
}

/// Text other than the name that matched, highlighted, with its language.
#[derive(Serialize, utoipa::ToSchema)]
struct Context<'a> {
    html: &'a str,
    lang: Option<&'static str>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct PageLink<'a> {
    page: &'a str,
}

#[derive(Serialize, utoipa::ToSchema)]
struct SearchMeta<'a> {
    total: usize,
    limit: usize,
    /// Where the next page starts: its `cursor`; none on the last page.
    next_cursor: Option<&'a str>,
    query: &'a str,
    /// The query's words as matched: folded, each once.
    terms: Vec<String>,
}

/// The longest search text taken, in characters; longer is refused (414).
pub const MAX_QUERY_CHARS: usize = 1000;

/// What `/api/v1/search` takes.
pub const PARAMS: [Param; 5] = [
    Param::text(
        "q",
        "Words to find; every word must match the start of a word",
    ),
    Param::text(
        "kind",
        "Comma-separated kinds: service, organisation, information_system, dataset, life_event",
    ),
    Param::of("lang", "Language of the highlighted names", schema::lang),
    Param::of(
        "limit",
        "Results per page (1-200, default 20)",
        || serde_json::json!({ "type": "integer", "minimum": 1, "maximum": 200, "default": 20 }),
    ),
    Param::text(
        "cursor",
        "Where the page starts: `meta.next_cursor` of the previous page",
    ),
];

/// The cursor of the page starting at hit `start` (0-based) of a ranked list.
pub fn rank_cursor(start: usize) -> String {
    crate::api::cursor_of(&start.to_string())
}

/// Where the page of a ranked list given by `cursor` starts ([`rank_cursor`]); a cursor this
/// API did not give is refused.
fn rank_of_cursor(cursor: &str) -> Result<usize, ApiError> {
    crate::api::code_of_cursor(cursor)
        .and_then(|c| c.parse().ok())
        .ok_or_else(crate::api::bad_cursor)
}

pub async fn api(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (mut query, mut kinds, mut lang, mut limit) = (String::new(), Vec::new(), Lang::En, 20);
    let mut start = 0;
    let mut given = Vec::new();
    for (k, v) in pairs(raw.as_deref()) {
        match k.as_str() {
            "cursor" => start = rank_of_cursor(&v)?,
            "q" => query = v.clone(),
            "kind" => kinds = parse_kinds(&v).map_err(ApiError::bad)?,
            "lang" => lang = parse_lang(&v)?,
            "limit" => {
                limit = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=200).contains(n))
                    .ok_or_else(|| ApiError::bad(format!("limit must be 1 to 200, not {v:?}")))?
            }
            k => {
                return Err(crate::api::unknown_parameter(k, "search", &names(&PARAMS)));
            }
        }
        if k != "cursor" {
            given.push((k, v));
        }
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::too_large(
            axum::http::StatusCode::URI_TOO_LONG,
            format!("q is at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let s = (state.snapshot_of(Seed::search(&query, &kinds))).await?;
    let filter = (!kinds.is_empty()).then_some(kinds.as_slice());
    let (rows, total) = run(&s, &query, filter, lang, &state.fallback, (start, limit));
    let end = start.saturating_add(limit);
    let next = (end < total).then(|| rank_cursor(end));
    let link = |cursor: Option<&str>| {
        let mut params = given.clone();
        params.extend(cursor.map(|c| ("cursor".to_string(), c.to_string())));
        crate::api::address("/api/v1/search", &params)
    };
    let data = rows
        .iter()
        .map(|f| SearchItem {
            kind: kind_word(f.kind),
            code: &f.code,
            name: &f.name,
            highlight: &f.title_html,
            context: f.context_html.as_ref().map(|(html, l)| Context {
                html,
                lang: l.map(|l| l.tag()),
            }),
            links: PageLink { page: &f.href },
        })
        .collect();
    Ok(json_response(&SearchBody {
        data,
        meta: SearchMeta {
            total,
            limit,
            next_cursor: next.as_deref(),
            terms: terms(&query),
            query: &query,
        },
        links: SearchLinks {
            this: link((start > 0).then(|| rank_cursor(start)).as_deref()),
            next: next.as_deref().map(|n| link(Some(n))),
        },
    }))
}
