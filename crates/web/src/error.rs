//! The one error type at the HTTP edge: a localised page, never a bare stack trace.

use crate::i18n::Tr;
use crate::views::{MessagePage, Page};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use egovwatch_domain::Lang;

/// What a read behind a page or an API answer can fail with, before it becomes an answer
/// ([`AppError`] for pages, `api::ApiError` for the API).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    App(#[from] egovwatch_app::Error),
    #[error(transparent)]
    Store(#[from] egovwatch_store::StoreError),
    #[error(transparent)]
    Report(#[from] egovwatch_report::Error),
    #[error(transparent)]
    Rules(#[from] egovwatch_domain::scoring::DefinitionErrors),
    #[error(transparent)]
    Assumptions(#[from] egovwatch_domain::gaps::explain::InvalidAssumptions),
    /// A thread building a snapshot panicked while holding its lock.
    #[error("the snapshot lock is poisoned")]
    Poisoned,
    /// The last attempt to read the site's data failed less than a second ago; it is not
    /// tried again for every request meanwhile.
    #[error("the site's data could not be read ({0}); trying again shortly")]
    Unavailable(String),
}

#[derive(Debug)]
pub enum AppError {
    NotFound {
        lang: Lang,
        what: String,
        code: String,
    },
    Internal {
        lang: Lang,
        detail: String,
    },
    /// A request the server will not answer now: over a bound (`too-large`, `uri-too-long`) or
    /// busy (`busy`, 503 with `Retry-After`). `key` names the page's messages.
    Refused {
        lang: Lang,
        status: StatusCode,
        key: &'static str,
    },
}

impl AppError {
    pub fn internal(lang: Lang, e: impl std::fmt::Display) -> Self {
        AppError::Internal {
            lang,
            detail: e.to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut title = None;
        let (status, lang, title_key, body) = match &self {
            AppError::NotFound { lang, what, code } => {
                let tr = Tr::new(*lang);
                let body = tr.with("not-found-body", &[("what", what), ("code", code)]);
                (StatusCode::NOT_FOUND, *lang, "not-found-title", body)
            }
            AppError::Internal { lang, detail } => {
                tracing::error!("{detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    *lang,
                    "error-title",
                    Tr::new(*lang).t("error-body"),
                )
            }
            AppError::Refused { lang, status, key } => {
                let tr = Tr::new(*lang);
                title = Some(tr.t(&format!("{key}-title")));
                (*status, *lang, "error-title", tr.t(&format!("{key}-body")))
            }
        };
        let tr = Tr::new(lang);
        let page = MessagePage {
            page: Page::new(tr, "/", title.unwrap_or_else(|| tr.t(title_key))),
            tr,
            body,
        };
        let mut res = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => status.into_response(),
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(crate::api::RETRY_AFTER_SECS),
            );
        }
        res
    }
}
