//! The JSON API's common ground: query parameters, one error envelope with stable codes,
//! cursor pagination, sorting, CSV as an alternative to JSON, and the answer's cache headers.
//!
//! Lists answer `{"data": [...], "meta": {...}, "links": {...}}`; errors answer
//! `{"error": {"status": 404, "code": "not_found", "message": "..."}}`. Codes are part of the
//! contract (see the OpenAPI document); messages are for people and may change.

use crate::snapshot::Snapshot;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use egovwatch_domain::{EntityKind, Lang};
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// The stable error codes of the API.
pub const ERROR_CODES: &[&str] = &[
    "not_found",
    "bad_parameter",
    "bad_cursor",
    "analysis_failed",
    "too_large",
    "busy",
    "internal",
];

/// `Retry-After` of a `503` (`busy`), in seconds.
pub const RETRY_AFTER_SECS: &str = "5";

/// An API error: the HTTP status, a stable code and a message.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn not_found(what: &str, code: &str) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: format!("no {what} {code:?}"),
        }
    }

    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_parameter",
            message: message.into(),
        }
    }

    /// A request or an answer over one of the server's bounds.
    pub fn too_large(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: "too_large",
            message: message.into(),
        }
    }

    /// Too much is being computed now; `Retry-After` says when to ask again.
    pub fn busy(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "busy",
            message: message.into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!("API: {e}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "the server could not answer; the error is logged".into(),
        }
    }
}

/// How every error of the API is answered: `{"error": {"status", "code", "message"}}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct ErrorDetail<'a> {
    /// The HTTP status, repeated.
    status: u16,
    /// What went wrong, as a word that stays the same from release to release.
    #[schema(value_type = crate::openapi::ErrorCodeDoc)]
    code: &'static str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                code: self.code,
                message: &self.message,
            },
        };
        let mut res = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&body).unwrap_or_default(),
        )
            .into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
        res
    }
}

/// What a query value or a path segment keeps as it is: letters, digits and `-_.~` (RFC 3986's
/// unreserved characters); everything else is percent-encoded.
const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encoding of a query value or a path segment.
pub fn encode(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, RESERVED).to_string()
}

/// The query string as decoded pairs, in order (`+` is a space, as in forms).
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// JSON or CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// The parameters every list takes, and the filters it was given.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub limit: usize,
    pub cursor: Option<String>,
    pub sort: Option<(String, bool)>,
    pub format: Format,
    pub lang: Lang,
    pub filters: Vec<(String, String)>,
}

pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 1000;

impl ListQuery {
    /// Parses the common parameters and the list's own (`takes`), so a misspelt parameter is
    /// an error rather than silently ignored.
    pub fn parse(raw: Option<&str>, takes: &ListParams) -> Result<ListQuery, ApiError> {
        let sorts = takes.sorts;
        let mut q = ListQuery {
            limit: DEFAULT_LIMIT,
            cursor: None,
            sort: None,
            format: Format::Json,
            lang: Lang::En,
            filters: Vec::new(),
        };
        for (k, v) in pairs(raw) {
            match k.as_str() {
                "limit" => {
                    q.limit = v
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| {
                            ApiError::bad(format!("limit must be 1 to {MAX_LIMIT}, not {v:?}"))
                        })?
                }
                "cursor" if !v.is_empty() => q.cursor = Some(v),
                // A list with no sort keys takes no `sort`.
                "sort" if !v.is_empty() && !sorts.is_empty() => {
                    let (key, desc) = match v.strip_prefix('-') {
                        Some(k) => (k.to_string(), true),
                        None => (v.clone(), false),
                    };
                    if !sorts.contains(&key.as_str()) {
                        return Err(ApiError::bad(format!(
                            "cannot sort by {key:?}; sort keys: {}",
                            sorts.join(", ")
                        )));
                    }
                    q.sort = Some((key, desc));
                }
                "format" => {
                    q.format = match v.as_str() {
                        "json" | "" => Format::Json,
                        "csv" => Format::Csv,
                        _ => {
                            return Err(ApiError::bad(format!("format is json or csv, not {v:?}")));
                        }
                    }
                }
                "lang" => q.lang = parse_lang(&v)?,
                "cursor" => {}
                "sort" if !sorts.is_empty() => {}
                k if takes.filter(k) => {
                    if !v.is_empty() {
                        if let Some(p) = takes.filters.iter().find(|p| p.name == k) {
                            p.check(&v)?;
                        }
                        q.filters.push((k.to_string(), v))
                    }
                }
                k => return Err(unknown_parameter(k, "this list", &takes.names())),
            }
        }
        Ok(q)
    }

    /// Refuses (404) a filter of `takes` naming a record `s` does not hold: every list answers
    /// an unknown code the same way, rather than with an empty page.
    pub fn check_records(&self, s: &Snapshot, takes: &ListParams) -> Result<(), ApiError> {
        for p in takes.filters {
            if let (Refers::Record(kind), Some(code)) = (p.refers, self.filter(p.name))
                && s.codes.position(kind, code).is_none()
            {
                return Err(ApiError::not_found(&kind.as_str().replace('_', " "), code));
            }
        }
        Ok(())
    }

    pub fn filter(&self, name: &str) -> Option<&str> {
        self.filters
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The parameters every list takes, before its own filters.
pub const LIST_PARAMS: &[&str] = &["limit", "cursor", "sort", "format", "lang"];

/// A query parameter of a route: its name, what it does and its JSON Schema, as the OpenAPI
/// document gives them, and what it names. A value its schema does not allow (a word not in
/// its `enum`, a number below its `minimum`) is answered 400 on every list; the code of a
/// record or a round that does not exist, 404.
#[derive(Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub description: &'static str,
    pub schema: fn() -> Value,
    pub refers: Refers,
}

/// What a parameter's value names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refers {
    /// Nothing that must exist: a word, a number, text.
    Nothing,
    /// The code of a record of this kind.
    Record(EntityKind),
    /// The code of a published round.
    Round,
}

impl Param {
    /// A parameter taking any text (a word, an id).
    pub const fn text(name: &'static str, description: &'static str) -> Param {
        Param::of(name, description, schema::string)
    }

    /// A parameter whose values `schema` gives.
    pub const fn of(name: &'static str, description: &'static str, schema: fn() -> Value) -> Param {
        Param {
            name,
            description,
            schema,
            refers: Refers::Nothing,
        }
    }

    /// A parameter naming a record of `kind` by its code.
    pub const fn code(name: &'static str, description: &'static str, kind: EntityKind) -> Param {
        Param {
            refers: Refers::Record(kind),
            ..Param::text(name, description)
        }
    }

    /// A parameter naming a published round by its code.
    pub const fn round(name: &'static str, description: &'static str) -> Param {
        Param {
            refers: Refers::Round,
            ..Param::text(name, description)
        }
    }

    /// Whether `value` is one its schema allows: one of its `enum`, at least its `minimum`.
    pub fn check(&self, value: &str) -> Result<(), ApiError> {
        let schema = (self.schema)();
        if let Some(words) = schema["enum"].as_array()
            && !words.iter().any(|w| w.as_str() == Some(value))
        {
            let words: Vec<&str> = words.iter().filter_map(Value::as_str).collect();
            return Err(ApiError::bad(format!(
                "{} is one of {}, not {value:?}",
                self.name,
                words.join(", ")
            )));
        }
        if schema["type"] == "integer" {
            let min = schema["minimum"].as_i64().unwrap_or(i64::MIN);
            if !value.parse::<i64>().is_ok_and(|n| n >= min) {
                return Err(ApiError::bad(format!(
                    "{} is a whole number from {min}, not {value:?}",
                    self.name
                )));
            }
        }
        Ok(())
    }
}

/// Whether any of `params` names a record or a round: a route taking one answers 404 when it
/// names none.
pub fn refer(params: &[Param]) -> bool {
    params.iter().any(|p| p.refers != Refers::Nothing)
}

/// The names of `params`, in order.
pub fn names(params: &[Param]) -> Vec<&'static str> {
    params.iter().map(|p| p.name).collect()
}

/// What one API list takes beyond [`LIST_PARAMS`]: its filters and its sort keys. Declared
/// once beside the list's handler, which parses with it ([`ListQuery::parse`]); the OpenAPI
/// document describes the list from it and the response cache keys answers by it, so none of
/// the three can name a parameter the others do not.
pub struct ListParams {
    pub filters: &'static [Param],
    pub sorts: &'static [&'static str],
}

impl ListParams {
    /// What a list that takes only the parameters of every list takes (paging, format,
    /// language): a record's revisions, a life event's scores in every round.
    pub const PAGED: ListParams = ListParams {
        filters: &[],
        sorts: &[],
    };

    /// Whether `name` is one of this list's filters.
    pub fn filter(&self, name: &str) -> bool {
        self.filters.iter().any(|f| f.name == name)
    }

    /// Whether the list reads `name`: a common parameter (`sort` only with sort keys) or a filter.
    pub fn reads(&self, name: &str) -> bool {
        (LIST_PARAMS.contains(&name) && (name != "sort" || !self.sorts.is_empty()))
            || self.filter(name)
    }

    /// Every parameter the list takes, in the order the OpenAPI document lists them.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<&str> = LIST_PARAMS
            .iter()
            .copied()
            .filter(|&p| p != "sort" || !self.sorts.is_empty())
            .collect();
        names.extend(self.filters.iter().map(|f| f.name));
        names
    }
}

/// Schemas of parameters, for [`Param::schema`].
pub mod schema {
    use serde_json::{Value, json};

    pub fn string() -> Value {
        json!({ "type": "string" })
    }

    /// A stage of the methodology: 0 and up.
    pub fn stage() -> Value {
        json!({ "type": "integer", "minimum": 0 })
    }

    /// A language of the site.
    pub fn lang() -> Value {
        words(egovwatch_domain::Lang::ALL.iter().map(|l| l.tag()))
    }

    /// One of `words`.
    pub fn words<'a>(words: impl IntoIterator<Item = &'a str>) -> Value {
        json!({ "type": "string", "enum": words.into_iter().collect::<Vec<_>>() })
    }
}

/// The refusal of a parameter a route does not take, worded the same on every route: the
/// parameter, and every one `what` takes (as the OpenAPI document names them).
pub fn unknown_parameter(name: &str, what: &str, takes: &[&str]) -> ApiError {
    ApiError::bad(match takes {
        [] => format!("unknown parameter {name:?}; {what} takes no parameters"),
        _ => format!(
            "unknown parameter {name:?}; {what} takes {}",
            takes.join(", ")
        ),
    })
}

/// Refuses the first parameter of `raw` that is not in `takes` ([`unknown_parameter`]).
pub fn only(raw: Option<&str>, what: &str, takes: &[&str]) -> Result<(), ApiError> {
    match pairs(raw)
        .into_iter()
        .find(|(k, _)| !takes.contains(&k.as_str()))
    {
        Some((k, _)) => Err(unknown_parameter(&k, what, takes)),
        None => Ok(()),
    }
}

/// A route that takes no query parameters: any given is refused ([`unknown_parameter`]).
pub struct NoParams;

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for NoParams {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<NoParams, ApiError> {
        only(parts.uri.query(), "this", &[]).map(|()| NoParams)
    }
}

pub fn parse_lang(v: &str) -> Result<Lang, ApiError> {
    v.parse()
        .map_err(|_| ApiError::bad(format!("lang is az, en or ru, not {v:?}")))
}

/// A sort key of one row: numbers sort before missing values either way round.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum Key {
    Num(f64),
    Text(String),
    Missing,
}

fn cmp_key(a: &Key, b: &Key, desc: bool) -> Ordering {
    let o = match (a, b) {
        (Key::Missing, Key::Missing) => Ordering::Equal,
        (Key::Missing, _) => return Ordering::Greater,
        (_, Key::Missing) => return Ordering::Less,
        (Key::Num(x), Key::Num(y)) => x.total_cmp(y),
        (Key::Text(x), Key::Text(y)) => x.cmp(y),
        (Key::Num(_), Key::Text(_)) => Ordering::Less,
        (Key::Text(_), Key::Num(_)) => Ordering::Greater,
    };
    if desc { o.reverse() } else { o }
}

/// Sorts rows (each with its code) by a key, the code breaking ties so pages never overlap.
pub fn sort_rows<T>(
    rows: &mut Vec<T>,
    code: impl Fn(&T) -> String,
    key: impl Fn(&T) -> Key,
    desc: bool,
) {
    let mut keyed: Vec<(Key, String, T)> = rows.drain(..).map(|r| (key(&r), code(&r), r)).collect();
    keyed.sort_by(|(ka, ca, _), (kb, cb, _)| cmp_key(ka, kb, desc).then_with(|| ca.cmp(cb)));
    rows.extend(keyed.into_iter().map(|(_, _, r)| r));
}

/// An opaque cursor: the code of the last row of the page, hex-encoded.
pub fn cursor_of(code: &str) -> String {
    code.bytes().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn code_of_cursor(c: &str) -> Option<String> {
    if !c.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..c.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(c.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// The code the list's cursor points after, if it has one; a cursor this API did not give is
/// refused.
pub fn after_cursor(q: &ListQuery) -> Result<Option<String>, ApiError> {
    q.cursor
        .as_deref()
        .map(|c| code_of_cursor(c).ok_or_else(bad_cursor))
        .transpose()
}

/// The refusal of a cursor this API did not give.
pub fn bad_cursor() -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        code: "bad_cursor",
        message: "the cursor is not one this API gave".into(),
    }
}

/// The address `base` with `pairs` as its query.
pub fn address(base: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return base.to_string();
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{base}?{}", q.finish())
}

/// The refusal of a cursor pointing after `after`, a row the list no longer has.
pub fn cursor_gone(after: &str) -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        code: "bad_cursor",
        message: format!(
            "{after:?} is no longer in this list (the data changed); start again without a cursor"
        ),
    }
}

/// One page of rows: where the cursor points, `limit` rows on, and the next cursor.
pub fn page<'a, T>(
    rows: &'a [T],
    code: impl Fn(&'a T) -> &'a str,
    q: &ListQuery,
) -> Result<(&'a [T], Option<String>), ApiError> {
    let start = match after_cursor(q)? {
        None => 0,
        Some(after) => rows
            .iter()
            .position(|r| code(r) == after)
            .map(|p| p + 1)
            .ok_or_else(|| cursor_gone(&after))?,
    };
    let end = (start + q.limit).min(rows.len());
    let slice = &rows[start.min(end)..end];
    let next = (end < rows.len())
        .then(|| slice.last().map(|r| cursor_of(code(r))))
        .flatten();
    Ok((slice, next))
}

/// A list answer in the asked format.
pub fn list_response<T: serde::Serialize>(
    tag: &str,
    path: &str,
    q: &ListQuery,
    total: usize,
    items: Vec<T>,
    next: Option<String>,
) -> Response {
    let mut params: Vec<(String, String)> = q.filters.clone();
    if q.limit != DEFAULT_LIMIT {
        params.push(("limit".into(), q.limit.to_string()));
    }
    if let Some((k, d)) = &q.sort {
        params.push(("sort".into(), format!("{}{k}", if *d { "-" } else { "" })));
    }
    let link = |cursor: Option<&str>, extra: Option<(&str, &str)>| {
        let mut p = params.clone();
        if let Some(c) = cursor {
            p.push(("cursor".into(), c.to_string()));
        }
        if let Some((k, v)) = extra {
            p.push((k.to_string(), v.to_string()));
        }
        let qs: Vec<String> = p
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if qs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", qs.join("&"))
        }
    };
    match q.format {
        Format::Csv => match items
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<Vec<Value>, _>>()
        {
            Ok(rows) => {
                let mut answer = csv_response(&rows, &q.filters);
                // A CSV page says in its headers how many rows the list has and where the next
                // page is (RFC 8288), as the JSON answer's `meta` and `links` do.
                let headers = answer.headers_mut();
                if let Ok(v) = header::HeaderValue::from_str(&total.to_string()) {
                    headers.insert("x-total-count", v);
                }
                if let Some(n) = &next
                    && let Ok(v) = header::HeaderValue::from_str(&format!(
                        "<{}>; rel=\"next\"",
                        link(Some(n), Some(("format", "csv")))
                    ))
                {
                    headers.insert(header::LINK, v);
                }
                answer
            }
            Err(e) => ApiError::internal(e).into_response(),
        },
        Format::Json => {
            let page = |cursor: Option<&str>| link(cursor, None);
            let mut links = Map::new();
            links.insert("self".into(), Value::String(page(q.cursor.as_deref())));
            if let Some(n) = &next {
                links.insert("next".into(), Value::String(page(Some(n))));
            }
            links.insert(
                "csv".into(),
                Value::String(link(None, Some(("format", "csv")))),
            );
            json_response(&ListBody {
                data: &items,
                meta: ListMeta {
                    total,
                    limit: q.limit,
                    next_cursor: next.as_deref(),
                    version: tag,
                },
                links,
            })
        }
    }
}

/// A page of a list, as every list route answers it.
#[derive(serde::Serialize)]
struct ListBody<'a, T> {
    data: &'a [T],
    meta: ListMeta<'a>,
    links: Map<String, Value>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ListMeta<'a> {
    total: usize,
    limit: usize,
    next_cursor: Option<&'a str>,
    version: &'a str,
}

pub fn json_response(v: &impl serde::Serialize) -> Response {
    // One allocation of the usual size of a record's answer, not a doubling from 128 bytes.
    let mut body = Vec::with_capacity(8 * 1024);
    match sonic_rs::to_writer(&mut body, v) {
        Ok(()) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, crate::cache::PUBLIC),
            ],
            body,
        )
            .into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// Rows as CSV: nested objects become one column per key (`name_az`, `name_en`), lists are
/// joined with `; `. Columns are the union of every row's keys, in first-seen order. Cells a
/// spreadsheet would run as formulas get a leading apostrophe
/// ([`egovwatch_interop::spreadsheet`]); the JSON form carries the values untouched.
pub fn csv(items: &[Value]) -> String {
    fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}_{k}")
                    };
                    flatten(&key, x, out);
                }
            }
            Value::Array(xs) => {
                let parts: Vec<String> = xs
                    .iter()
                    .map(|x| match x {
                        Value::String(s) => s.clone(),
                        Value::Object(m) => m
                            .get("code")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .unwrap_or_else(|| x.to_string()),
                        other => other.to_string(),
                    })
                    .collect();
                out.push((prefix.to_string(), parts.join("; ")));
            }
            Value::Null => out.push((prefix.to_string(), String::new())),
            Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let rows: Vec<Vec<(String, String)>> = items
        .iter()
        .map(|v| {
            let mut out = Vec::new();
            flatten("", v, &mut out);
            out
        })
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for r in &rows {
        for (k, _) in r {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let body = rows.iter().map(|r| {
        columns.iter().map(|c| {
            r.iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default()
        })
    });
    let head = columns.iter().map(String::as_str);
    egovwatch_interop::spreadsheet::to_string(
        std::iter::once(head.collect::<Vec<_>>()).chain(body.map(Iterator::collect)),
        egovwatch_interop::spreadsheet::Cells::Safe,
    )
}

fn csv_response(items: &[Value], filters: &[(String, String)]) -> Response {
    let name = filters
        .iter()
        .map(|(_, v)| v.as_str())
        .filter(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .collect::<Vec<_>>()
        .join("-");
    let file = if name.is_empty() {
        "egovwatch.csv".to_string()
    } else {
        format!("egovwatch-{name}.csv")
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CACHE_CONTROL, crate::cache::PUBLIC.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        csv(items),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NONE: ListParams = ListParams {
        filters: &[],
        sorts: &[],
    };
    const BY_NAME: ListParams = ListParams {
        filters: &[],
        sorts: &["name"],
    };
    const STAGE: ListParams = ListParams {
        filters: &[Param::of(
            "stage",
            "Only services at this stage",
            schema::stage,
        )],
        sorts: &[],
    };

    #[tokio::test]
    async fn answers_are_the_bytes_serde_json_writes() {
        #[derive(serde::Serialize)]
        struct Answer<'a> {
            name: egovwatch_domain::Text,
            scores: Vec<Option<f64>>,
            stage: Option<u8>,
            note: &'a str,
            nested: serde_json::Value,
        }
        let v = Answer {
            name: egovwatch_domain::Text::new()
                .with(Lang::Az, "Uşağın arayışının verilməsi")
                .with(Lang::Ru, "Выдача справки «о ребёнке»"),
            scores: vec![
                Some(45.0),
                Some(0.1),
                Some(100.0 / 3.0),
                Some(1e-7),
                Some(1e21),
                Some(-0.0),
                Some(f64::NAN),
                None,
            ],
            stage: Some(4),
            note: "quote \" backslash \\ tab \t nul \u{0} bell \u{7} line\u{2028}sep </script>",
            nested: serde_json::json!({ "b": [1, 2.5, true, null], "a": {} }),
        };
        let res = json_response(&v);
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(
            String::from_utf8_lossy(&body),
            serde_json::to_string(&v).expect("serde_json")
        );
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        for code in ["SVC-001", "ŞƏHƏR-1", ""] {
            assert_eq!(code_of_cursor(&cursor_of(code)).as_deref(), Some(code));
        }
        assert_eq!(code_of_cursor("zz"), None);
        assert_eq!(code_of_cursor("abc"), None);
    }

    #[test]
    fn sorting_is_total_and_missing_values_go_last() {
        let mut rows = vec![
            ("C", Key::Num(2.0)),
            ("A", Key::Missing),
            ("B", Key::Num(2.0)),
            ("D", Key::Num(1.0)),
        ];
        sort_rows(&mut rows, |r| r.0.to_string(), |r| r.1.clone(), false);
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            ["D", "B", "C", "A"]
        );
        sort_rows(&mut rows, |r| r.0.to_string(), |r| r.1.clone(), true);
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            ["B", "C", "D", "A"]
        );
    }

    #[test]
    fn pages_walk_the_whole_list_once() {
        let rows: Vec<String> = (0..23).map(|i| format!("S{i:02}")).collect();
        let mut q = ListQuery::parse(Some("limit=5"), &NONE).expect("valid");
        let mut seen = Vec::new();
        loop {
            let (slice, next) = page(&rows, |r| r.as_str(), &q).expect("page");
            seen.extend(slice.iter().cloned());
            match next {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen, rows);
        q.cursor = Some(cursor_of("NOPE"));
        assert_eq!(
            page(&rows, |r| r.as_str(), &q)
                .map(|_| ())
                .expect_err("stale cursor")
                .code,
            "bad_cursor"
        );
    }

    #[test]
    fn parameters_are_checked() {
        assert_eq!(
            ListQuery::parse(Some("limit=0"), &NONE)
                .expect_err("limit 0")
                .code,
            "bad_parameter"
        );
        assert!(ListQuery::parse(Some("colour=red"), &STAGE).is_err());
        assert!(ListQuery::parse(Some("sort=-name"), &BY_NAME).is_ok());
        assert!(ListQuery::parse(Some("sort=size"), &BY_NAME).is_err());
        let q = ListQuery::parse(Some("stage=2&format=csv&lang=az"), &STAGE).expect("valid");
        assert_eq!(q.filter("stage"), Some("2"));
        assert_eq!((q.format, q.lang), (Format::Csv, Lang::Az));
    }

    #[test]
    fn csv_flattens_names_and_lists() {
        let items = vec![
            json!({ "code": "S1", "name": { "az": "Şəhər, kənd", "en": "City" }, "life_events": ["LE1", "LE2"] }),
            json!({ "code": "S2", "name": { "en": "Two \"2\"" }, "stage": 3 }),
        ];
        assert_eq!(
            csv(&items),
            "code,name_az,name_en,life_events,stage\nS1,\"Şəhər, kənd\",City,LE1; LE2,\nS2,,\"Two \"\"2\"\"\",,3\n"
        );
    }
}
