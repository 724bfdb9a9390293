//! Conditional GETs and the response cache.
//!
//! Every successful public read carries a strong ETag (a hash of the bytes sent), and a request
//! whose `If-None-Match` names it gets `304 Not Modified` with no body. Handlers set
//! `Cache-Control`: API reads may be kept a minute by anyone; pages, which set the language
//! cookie, are revalidated by the browser only.
//!
//! Answers depend only on the request target and the data, so successful reads are also kept in
//! the snapshot they were computed from ([`Responses`]): the next request for the same address
//! is a lookup, and a new snapshot (the data changed) starts empty. `/` (which follows the
//! cookie and the browser's languages) and static files are not kept.

use crate::AppState;
use crate::snapshot::fnv_bytes;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::RwLock;

/// `Cache-Control` of public API reads.
pub const PUBLIC: &str = "public, max-age=60";
/// `Cache-Control` of pages.
pub const PAGE: &str = "private, no-cache";

/// Bodies larger than this are sent without an ETag rather than buffered.
const MAX_HASHED: usize = 64 * 1024 * 1024;
/// How many answers a snapshot keeps, and the largest kept (reports are a few MB).
const KEPT: usize = 4096;
const MAX_KEPT_BYTES: usize = 8 * 1024 * 1024;

/// A successful answer as sent: headers (with its ETag) and body.
#[derive(Clone)]
struct Kept {
    headers: HeaderMap,
    etag: HeaderValue,
    body: Bytes,
}

/// Answers computed from one snapshot, by request target.
#[derive(Default)]
pub struct Responses {
    kept: RwLock<HashMap<String, Kept>>,
}

impl Responses {
    fn get(&self, key: &str) -> Option<Kept> {
        self.kept.read().ok()?.get(key).cloned()
    }

    fn put(&self, key: String, k: Kept) {
        if let Ok(mut m) = self.kept.write() {
            // A full cache starts over: simple, and the popular addresses come straight back.
            if m.len() >= KEPT {
                m.clear();
            }
            m.insert(key, k);
        }
    }

    pub fn len(&self) -> usize {
        self.kept.read().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn kept_target(req: &Request) -> Option<String> {
    let path = req.uri().path();
    let cacheable = *req.method() == Method::GET
        && path != "/"
        && path != "/healthz"
        && !path.starts_with("/static/");
    cacheable.then(|| req.uri().to_string())
}

/// Whether an `If-None-Match` value names `tag` (a list, weak tags or `*`).
fn matches(header: &HeaderValue, tag: &HeaderValue) -> bool {
    let (Ok(v), Ok(tag)) = (header.to_str(), tag.to_str()) else {
        return false;
    };
    v.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

fn answer(k: Kept, conditional: Option<&HeaderValue>) -> Response {
    if conditional.is_some_and(|c| matches(c, &k.etag)) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        res.headers_mut().insert(header::ETAG, k.etag);
        for name in [header::CACHE_CONTROL, header::SET_COOKIE] {
            if let Some(v) = k.headers.get(&name) {
                res.headers_mut().insert(name, v.clone());
            }
        }
        return res;
    }
    let mut res = Response::new(Body::from(k.body));
    *res.headers_mut() = k.headers;
    res
}

pub async fn conditional(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let is_read = matches!(*req.method(), Method::GET | Method::HEAD);
    let target = kept_target(&req);
    state.check_for_changes();
    // The snapshot answering now.
    let before = target.as_ref().and_then(|_| state.shared.held());
    if let (Some(t), Some(s)) = (&target, &before)
        && let Some(k) = s.responses.get(t)
    {
        return answer(k, if_none_match.as_ref());
    }
    let res = next.run(req).await;
    if !is_read || res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_HASHED).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!("buffering a response for its ETag: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Ok(etag) = HeaderValue::from_str(&format!("\"{:016x}\"", fnv_bytes(&bytes))) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.insert(header::ETAG, etag.clone());
    let k = Kept {
        headers: parts.headers,
        etag,
        body: bytes,
    };
    // Kept only when the same snapshot was current before and after the handler ran, so an
    // answer is never filed under data it was not computed from.
    if let (Some(t), Some(s)) = (target, before)
        && k.body.len() <= MAX_KEPT_BYTES
        && state
            .shared
            .held()
            .is_some_and(|now| std::sync::Arc::ptr_eq(&now, &s))
    {
        s.responses.put(t, k.clone());
    }
    answer(k, if_none_match.as_ref())
}

#[cfg(test)]
mod tests {
    use super::matches;
    use axum::http::HeaderValue;

    #[test]
    fn if_none_match_forms() {
        let tag = HeaderValue::from_static("\"abc\"");
        for (h, want) in [
            ("\"abc\"", true),
            ("W/\"abc\"", true),
            ("\"x\", \"abc\"", true),
            ("*", true),
            ("\"abd\"", false),
        ] {
            assert_eq!(matches(&HeaderValue::from_static(h), &tag), want, "{h}");
        }
    }
}
