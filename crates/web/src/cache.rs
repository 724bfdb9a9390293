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
//!
//! What is kept is bounded in bytes (a total budget, the least useful answers evicted first), and
//! kept by the route's path and the parameters it reads, decoded, re-encoded and in a fixed order
//! ([`key`]): a request with a parameter its route does not read is answered without the cache,
//! so made-up query strings never fill it. A single service's or output's answer is not kept:
//! it costs less to make than to keep, and there are as many as there are services. A body larger than [`MAX_HASHED`] is streamed as it
//! is made, without an ETag, rather than held whole.

use crate::AppState;
use crate::routes::{Takes, api_route};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

/// `Cache-Control` of public API reads.
pub const PUBLIC: &str = "public, max-age=60";
/// `Cache-Control` of pages.
pub const PAGE: &str = "private, no-cache";

/// Bodies larger than this are streamed without an ETag rather than held whole.
pub const MAX_HASHED: usize = 8 * 1024 * 1024;
/// The bytes of answers one snapshot keeps, unless configured otherwise.
pub const DEFAULT_BUDGET: u64 = 32 * 1024 * 1024;
/// What an entry costs besides its key and body: headers and bookkeeping.
const ENTRY_OVERHEAD: usize = 512;

/// A successful answer as sent: headers (with its ETag) and body.
#[derive(Clone)]
struct Kept {
    headers: HeaderMap,
    etag: HeaderValue,
    body: Bytes,
}

/// The cost of a kept answer in bytes.
#[derive(Clone)]
struct Weigh;

impl Weighter<String, Kept> for Weigh {
    fn weight(&self, key: &String, k: &Kept) -> u64 {
        (key.len() + k.body.len() + ENTRY_OVERHEAD) as u64
    }
}

/// Answers computed from one snapshot, by [`key`], within a budget of bytes.
pub struct Responses {
    kept: Cache<String, Kept, Weigh>,
    /// The largest answer kept: an eighth of the budget, so one answer never empties the cache.
    largest: usize,
}

impl Default for Responses {
    fn default() -> Self {
        Responses::with_budget(DEFAULT_BUDGET)
    }
}

impl Responses {
    /// A cache of at most `budget` bytes (keys, bodies and a fixed allowance per entry).
    pub fn with_budget(budget: u64) -> Responses {
        let budget = budget.max(1);
        // Answers are typically a few tens of KB.
        let estimated = (budget / (16 * 1024)).clamp(16, 1 << 16) as usize;
        Responses {
            kept: Cache::with_weighter(estimated, budget, Weigh),
            largest: usize::try_from(budget / 8).unwrap_or(usize::MAX),
        }
    }

    fn get(&self, key: &str) -> Option<Kept> {
        self.kept.get(key)
    }

    fn put(&self, key: String, k: Kept) {
        if key.len() + k.body.len() + ENTRY_OVERHEAD <= self.largest {
            self.kept.insert(key, k);
        }
    }

    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes kept now, as counted against the budget.
    pub fn weight(&self) -> u64 {
        self.kept.weight()
    }
}

/// Parameters every page reads: the table downloads (`tables.rs`).
const PAGE_PARAMS: &[&str] = &["table", "format"];

/// The query parameters a route reads.
enum Reads {
    /// A page's: [`PAGE_PARAMS`] and these.
    Page(&'static [&'static str]),
    /// An API route's, as declared in its entry of `routes::API`.
    Api(&'static Takes),
}

impl Reads {
    fn reads(&self, name: &str) -> bool {
        match self {
            Reads::Page(own) => PAGE_PARAMS.contains(&name) || own.contains(&name),
            Reads::Api(takes) => takes.reads(name),
        }
    }
}

/// The query parameters a route reads; None for what is never kept.
fn params_of(path: &str) -> Option<Reads> {
    if let Some(route) = api_route(path) {
        return route.kept.then_some(Reads::Api(&route.takes));
    }
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    Some(match segs.as_slice() {
        [""] | ["healthz"] | ["readyz"] | ["static", ..] => return None,
        // An address the API does not have, or its OpenAPI document.
        ["api", ..] => Reads::Api(&Takes::Nothing),
        // As one service's answer in the API (`routes::ApiRoute::kept`).
        [_, "services", _] => return None,
        [_, "search"] => Reads::Page(&["q"]),
        [_, "gaps"] => Reads::Page(&["round", "assume", "page", "ranking", "findings"]),
        [_, "rounds"] | [_, "rounds", _] => Reads::Page(&["page"]),
        [
            _,
            "life-events" | "organisations" | "systems" | "datasets",
            _,
        ] => Reads::Page(&["page"]),
        _ => Reads::Page(&[]),
    })
}

/// What an answer is kept under: the path and the parameters its route reads, decoded and
/// re-encoded, sorted by name (repeated names keep their order); a page's number as a number. None when
/// the request is not kept: not a GET, a route that is never kept, or a parameter the route does
/// not read (the handler then answers, or refuses, as without a cache).
pub(crate) fn key(req: &Request) -> Option<String> {
    if *req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    let reads = params_of(path)?;
    let mut pairs = crate::api::pairs(req.uri().query());
    for (k, v) in &mut pairs {
        if !reads.reads(k) {
            return None;
        }
        if matches!(k.as_str(), "page" | "ranking" | "findings") {
            *v = v.parse::<usize>().unwrap_or(1).to_string();
        }
        // A what-if is one reader's exploration: kept, it would push out the pages everyone
        // reads (each is the size of the gap analysis).
        if k == "assume" {
            return None;
        }
    }
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = path.to_string();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&crate::api::encode(k));
        out.push('=');
        out.push_str(&crate::api::encode(v));
    }
    Some(out)
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
    let target = key(&req);
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
    // Up to MAX_HASHED bytes are read to hash them; a longer body goes on as a stream, what
    // was read first, then the rest as it comes, with no ETag and not kept.
    let mut stream = body.into_data_stream();
    let mut head: Vec<Bytes> = Vec::new();
    let mut held = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("reading a response body: {e}");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        held += chunk.len();
        head.push(chunk);
        if held > state.max_buffer {
            let first = futures_util::stream::iter(head.into_iter().map(Ok::<_, axum::Error>));
            return Response::from_parts(parts, Body::from_stream(first.chain(stream)));
        }
    }
    // A kept answer is one exact-size copy: a body rendered into a growing String may hold up
    // to twice its length, and the cache would hold that spare capacity for as long as it
    // keeps the answer. One that is not kept goes out as it was made.
    let bytes = match (head.len(), &target) {
        (0, _) => Bytes::new(),
        (1, None) => head.swap_remove(0),
        _ => Bytes::from(head.concat()),
    };
    let Ok(etag) =
        HeaderValue::from_str(&format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(&bytes)))
    else {
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
    use super::*;

    fn key_of(target: &str) -> Option<String> {
        let req = axum::http::Request::builder()
            .uri(target)
            .body(Body::empty())
            .expect("request");
        key(&req)
    }

    #[test]
    fn keys_are_the_parameters_the_route_reads_in_one_order() {
        assert_eq!(
            key_of("/api/v1/services?stage=2&limit=5").as_deref(),
            Some("/api/v1/services?limit=5&stage=2")
        );
        assert_eq!(
            key_of("/api/v1/services?limit=5&stage=2"),
            key_of("/api/v1/services?stage=%32&limit=5")
        );
        assert_eq!(key_of("/en/search?q=a+b"), key_of("/en/search?q=a%20b"));
        assert_eq!(
            key_of("/en/life-events/LE-1?page=x"),
            key_of("/en/life-events/LE-1?page=1")
        );
        assert_eq!(
            key_of("/en/gaps?page=2&round=R").as_deref(),
            Some("/en/gaps?page=2&round=R")
        );
        // What-ifs are never kept.
        assert_eq!(key_of("/en/gaps?assume=b&round=R&assume=a"), None);
        assert_eq!(key_of("/api/v1/gaps?assume=service:S=2"), None);
        // A parameter the route does not read is never kept.
        for t in [
            "/en/search?q=a&utm=1",
            "/api/v1/services?colour=red",
            "/api/v1/rounds/R?x=1",
            "/en/services/S?q=1",
            // One record is never kept (made in microseconds, one per service).
            "/en/services/S",
            "/api/v1/services/S",
            "/api/v1/outputs/O",
            "/",
            "/static/style.css",
        ] {
            assert_eq!(key_of(t), None, "{t}");
        }
    }

    #[test]
    fn the_cache_holds_no_more_than_its_budget() {
        let r = Responses::with_budget(1024 * 1024);
        let body = Bytes::from(vec![b'x'; 10 * 1024]);
        for i in 0..1000 {
            let k = Kept {
                headers: HeaderMap::new(),
                etag: HeaderValue::from_static("\"x\""),
                body: body.clone(),
            };
            r.put(format!("/en/search?q={i}"), k);
        }
        assert!(r.weight() <= 1024 * 1024, "{} bytes kept", r.weight());
        assert!(r.len() >= 50, "the cache keeps what fits: {}", r.len());
        // An answer larger than an eighth of the budget is not kept.
        let big = Kept {
            headers: HeaderMap::new(),
            etag: HeaderValue::from_static("\"y\""),
            body: Bytes::from(vec![b'y'; 200 * 1024]),
        };
        r.put("/big".into(), big);
        assert!(r.get("/big").is_none());
    }

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
