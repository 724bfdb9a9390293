//! The egovwatch web server: server-rendered pages in az, en and ru that work without
//! JavaScript.
//!
//! Routes carry the language (`/{lang}/...`), so every page has a permanent link per language;
//! `/` answers in the language remembered in a cookie, else the browser's, else Azerbaijani.

pub mod api;
mod assets;
mod browse;
mod cache;
pub mod direct;
mod error;
pub use error::Failure;
mod find;
mod gaps;
pub use egovwatch_i18n as i18n;
mod i18n_check;
mod lang;
pub mod openapi;
mod pages;
mod record_pages;
mod records;
mod round_pages;
mod rounds;
mod routes;
pub mod security;
mod server;
pub mod snapshot;
mod tables;
mod views;

use axum::Router;
use axum::routing::get;
use egovwatch_domain::Lang;
use egovwatch_store::Store;
pub use server::{Limits, serve_with};
use snapshot::{Seed, Shared, Snapshot};
use std::sync::Arc;
use std::time::Duration;

/// What every handler can reach: one shared value, so the copy each layer and handler takes
/// per request is one reference count.
#[derive(Clone)]
pub struct AppState(Arc<Reach>);

impl std::ops::Deref for AppState {
    type Target = Reach;

    fn deref(&self) -> &Reach {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct Reach {
    pub store: Store,
    /// Languages tried, in order, when registry text lacks the page's language.
    pub fallback: [Lang; 3],
    /// What the public site shows, read once per data version.
    pub shared: Arc<Shared>,
    /// Permits of the what-if analyses computed at once.
    pub whatifs: Arc<tokio::sync::Semaphore>,
    /// Permits of the round reports written at once.
    pub reports: Arc<tokio::sync::Semaphore>,
    /// How long a what-if or a report waits for a permit.
    pub busy_wait: Duration,
    /// The largest answer held whole ([`Limits::max_buffer_bytes`]).
    pub max_buffer: usize,
}

impl AppState {
    pub fn tr(&self, lang: Lang) -> i18n::Tr {
        i18n::Tr::with_fallback(lang, self.fallback)
    }

    /// The snapshot to answer from; store reads (when the data may have changed) run off
    /// the async threads.
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>, api::ApiError> {
        if let Some(s) = self.shared.held() {
            self.check_for_changes();
            return Ok(s);
        }
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || shared.get())
            .await
            .map_err(api::ApiError::internal)?
            .map_err(api::ApiError::internal)
    }

    /// The snapshot to answer about `seed` from (a record, a round, the current round's gap
    /// analysis): the whole one when held; while it is being read, one of the part of the
    /// registry connected to the seed (`Shared::for_part`), so a process that has just started
    /// answers at once whatever the size of the registry; the whole one when no part answers
    /// alone.
    pub async fn snapshot_of(&self, seed: Seed) -> Result<Arc<Snapshot>, api::ApiError> {
        if let Some(s) = self.shared.held() {
            self.check_for_changes();
            return Ok(s);
        }
        self.shared.warm();
        let shared = self.shared.clone();
        let part = tokio::task::spawn_blocking(move || shared.for_part(&seed))
            .await
            .map_err(api::ApiError::internal)?
            .map_err(api::ApiError::internal)?;
        match part {
            Some(s) => {
                self.shared.answered_directly();
                Ok(s)
            }
            None => self.snapshot().await,
        }
    }

    /// [`AppState::snapshot_of`] `about` when it is given, the whole [`AppState::snapshot`]
    /// otherwise.
    pub async fn snapshot_about(
        &self,
        about: Option<Seed>,
    ) -> Result<Arc<Snapshot>, api::ApiError> {
        match about {
            Some(seed) => self.snapshot_of(seed).await,
            None => self.snapshot().await,
        }
    }

    /// Starts the periodic check of the store in the background when it is due (cheap when it
    /// is not: one atomic read). Every request calls it, cached answers included, so a change
    /// shows within a second after it is stored (`snapshot::RECHECK`).
    pub fn check_for_changes(&self) {
        if self.shared.held().is_some() && self.shared.claim_check() {
            let shared = self.shared.clone();
            tokio::task::spawn_blocking(move || {
                if let Err(e) = shared.refresh() {
                    tracing::error!("refreshing the snapshot: {e:#}");
                }
            });
        }
    }

    /// A permit of `kind` (what-ifs or reports) within [`Limits::busy_wait`], or the localised
    /// `busy` refusal (503 with `Retry-After`). Held until the work ends, even when the request
    /// is gone.
    pub async fn permit(
        &self,
        kind: &Arc<tokio::sync::Semaphore>,
        lang: Lang,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, error::AppError> {
        match tokio::time::timeout(self.busy_wait, kind.clone().acquire_owned()).await {
            Ok(Ok(p)) => Ok(p),
            _ => Err(error::AppError::Refused {
                lang,
                status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
                key: "busy",
            }),
        }
    }

    /// Runs a store call off the async threads.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, error::Failure> + Send + 'static,
    ) -> Result<T, api::ApiError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(api::ApiError::internal)?
            .map_err(api::ApiError::internal)
    }
}

/// `/readyz`: `200 ready` once the process holds the site's data (every route answers at
/// once), `503 starting` with `Retry-After` before (only the list of services, `direct`, and
/// the answers about one part of the registry, `AppState::snapshot_of`, answer then). A proxy
/// that checks it sends a restarted process traffic once it is ready; a rolling restart waits
/// for it before restarting the next process (docs/deploy.md).
async fn ready(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if state.shared.held().is_some() {
        return "ready".into_response();
    }
    state.shared.warm();
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        [(axum::http::header::RETRY_AFTER, "1")],
        "starting",
    )
        .into_response()
}

/// The application's routes, with the default fallback order (en, az, ru).
pub fn router(store: Store) -> Router {
    router_with(store, i18n::DEFAULT_FALLBACK)
}

/// The application's routes with a fallback order for registry text.
pub fn router_with(store: Store, fallback: [Lang; 3]) -> Router {
    app(store, fallback, &Limits::default())
}

/// The application's routes within `limits`: the response cache's budget, what-ifs at once,
/// the time to answer, the longest request target and the largest request body; security
/// headers on every answer.
pub fn app(store: Store, fallback: [Lang; 3], limits: &Limits) -> Router {
    build(store, fallback, limits).0
}

/// [`app`], and the snapshot holder it answers from (to look at the response cache).
pub fn build(store: Store, fallback: [Lang; 3], limits: &Limits) -> (Router, Arc<Shared>) {
    let mut shared = Shared::new(store.clone());
    shared.cache_bytes = limits.cache_bytes;
    let shared = Arc::new(shared);
    let state = AppState(Arc::new(Reach {
        shared: shared.clone(),
        store,
        fallback,
        whatifs: Arc::new(tokio::sync::Semaphore::new(limits.max_whatifs.max(1))),
        reports: Arc::new(tokio::sync::Semaphore::new(limits.max_reports.max(1))),
        busy_wait: limits.busy_wait,
        max_buffer: limits.max_buffer_bytes,
    }));
    // The API's routes come from the list the OpenAPI document is made from.
    let api = routes::API.iter().fold(Router::new(), |router, r| {
        router.route(r.path, (r.handler)())
    });
    let router = api
        .route("/", get(pages::root))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/static/{*file}", get(assets::serve))
        .route("/{lang}", get(pages::home_redirect))
        .route("/{lang}/", get(pages::home))
        .route("/{lang}/services/{code}", get(record_pages::service))
        .route(
            "/{lang}/organisations/{code}",
            get(record_pages::organisation),
        )
        .route("/{lang}/life-events/{code}", get(pages::life_event))
        .route("/{lang}/systems/{code}", get(record_pages::system))
        .route("/{lang}/datasets/{code}", get(record_pages::dataset))
        .route("/{lang}/rounds", get(round_pages::rounds))
        .route("/{lang}/rounds/{code}", get(round_pages::round))
        .route("/{lang}/rounds/{code}/{file}", get(round_pages::report))
        .route("/{lang}/search", get(pages::search))
        .route("/{lang}/{kind}", get(browse::page))
        .route("/{lang}/gaps", get(gaps::page))
        .route("/api/openapi.json", get(openapi::serve))
        .route("/api/{*rest}", get(api_not_found))
        .fallback(pages::not_found)
        .with_state(state.clone());
    // The middleware wraps the router once, outermost first. (`Router::layer` would wrap every
    // route in each layer, and each request would then clone its route's stack of boxed
    // services: a tenth of the work of answering one service.)
    let wrapped = tower::ServiceBuilder::new()
        .map_response(security::headers)
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(security::TargetLimit::layer(limits.max_uri_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state,
            cache::conditional,
        ))
        // The router takes the limited body as it is (`from_fn` middleware takes `Body`).
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            limits.max_body_bytes,
        ))
        .layer(tables::Downloads::layer())
        .service(router);
    (Router::new().fallback_service(wrapped), shared)
}

/// An address the API has no route for: one of its routes written with a slash at the end is
/// sent to the route (308, query kept); anything else is a 404.
async fn api_not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = uri.path();
    let trimmed = path.trim_end_matches('/');
    if trimmed.len() < path.len() && routes::api_route(trimmed).is_some() {
        let to = match uri.query() {
            Some(q) => format!("{trimmed}?{q}"),
            None => trimmed.to_string(),
        };
        return axum::response::Redirect::permanent(&to).into_response();
    }
    api::ApiError::not_found("API route", path).into_response()
}

/// Serves within `limits` until Ctrl-C.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    fallback: [Lang; 3],
    limits: &Limits,
) -> std::io::Result<()> {
    let (app, shared) = build(store, fallback, limits);
    // The site's data are read from the start, not on the first request; what can be
    // answered from the store meanwhile is (`direct`).
    shared.warm();
    serve_with(listener, app, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
