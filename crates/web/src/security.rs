//! What every answer tells the browser, and the bound on request targets.
//!
//! Pages load nothing but the site's own style sheet (no inline style or script, not even in
//! the SVG charts), so the policy needs no `unsafe-inline`. The self-contained report HTML
//! (`/{lang}/rounds/{code}/report.html`) carries its style sheet inline: it gets its own
//! policy ([`document_csp`]) allowing exactly that style by hash, in a sandbox.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use futures_util::future::{Either, Ready, ready};
use sha2::Digest;
use std::task::{Context, Poll};

/// The policy of every page and API answer.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every answer; a handler's own `Content-Security-Policy` stays.
/// (A plain function of the answer, mapped over the service: `axum::middleware::from_fn` would
/// clone the stack inside it and box it on every request.)
pub fn headers<B>(mut res: axum::http::Response<B>) -> axum::http::Response<B> {
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// The policy of a self-contained HTML document: its own `<style>` elements, allowed by their
/// SHA-256, and `data:` images; no script, nothing fetched, in a sandbox.
pub fn document_csp(html: &str) -> String {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<style") {
        let after = &rest[open..];
        let (Some(gt), Some(close)) = (after.find('>'), after.find("</style>")) else {
            break;
        };
        if gt < close {
            let digest = sha2::Sha256::digest(&after.as_bytes()[gt + 1..close]);
            let b64 = base64::engine::general_purpose::STANDARD.encode(digest.as_slice());
            hashes.push(format!("'sha256-{b64}'"));
        }
        rest = &after[close + "</style>".len()..];
    }
    let styles = if hashes.is_empty() {
        "'none'".to_string()
    } else {
        hashes.join(" ")
    };
    format!(
        "default-src 'none'; style-src {styles}; img-src data:; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'; sandbox"
    )
}

/// Refuses a request target (path and query) longer than `max` bytes with 414, in the API's
/// error envelope under `/api/`, else as a page in the language of the address; passes every
/// other request to the service it wraps, untouched.
#[derive(Clone)]
pub struct TargetLimit<S> {
    inner: S,
    max: usize,
}

impl<S> TargetLimit<S> {
    pub fn layer(max: usize) -> impl tower::Layer<S, Service = TargetLimit<S>> + Clone {
        tower::layer::layer_fn(move |inner| TargetLimit { inner, max })
    }
}

impl<S> tower::Service<Request> for TargetLimit<S>
where
    S: tower::Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Either<Ready<Result<Response, S::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match too_long(req.uri(), self.max) {
            Some(refusal) => Either::Left(ready(Ok(refusal))),
            None => Either::Right(self.inner.call(req)),
        }
    }
}

/// The 414 answer to `uri` when its target is longer than `max` bytes.
fn too_long(uri: &axum::http::Uri, max: usize) -> Option<Response> {
    let len = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if len <= max {
        return None;
    }
    let path = uri.path();
    if path.starts_with("/api/") {
        return Some(
            crate::api::ApiError::too_large(
                StatusCode::URI_TOO_LONG,
                format!("the address is {len} bytes long; the server takes at most {max}"),
            )
            .into_response(),
        );
    }
    let lang = path
        .split('/')
        .nth(1)
        .and_then(|t| t.parse().ok())
        .unwrap_or(egovwatch_domain::Lang::En);
    Some(
        crate::error::AppError::Refused {
            lang,
            status: StatusCode::URI_TOO_LONG,
            key: "uri-too-long",
        }
        .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_policy_allows_its_own_style_by_hash_only() {
        let csp = document_csp("<html><head><style>body{color:red}</style></head></html>");
        // printf 'body{color:red}' | openssl dgst -sha256 -binary | base64
        assert!(
            csp.contains("style-src 'sha256-FcQqt3aNlV7AZnGV4zkQRVeCeJOxbMPnQSx258L803E='"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("sandbox") && csp.contains("frame-ancestors 'none'"));
        assert!(document_csp("<p>no style</p>").contains("style-src 'none'"));
        assert!(!CSP.contains("unsafe-inline") && CSP.contains("frame-ancestors 'none'"));
    }
}
