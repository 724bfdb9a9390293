//! The egovwatch web server: server-rendered pages in az, en and ru that work without
//! JavaScript.
//!
//! Routes carry the language (`/{lang}/...`), so every page has a permanent link per language;
//! `/` answers in the language remembered in a cookie, else the browser's, else Azerbaijani.

mod assets;
mod error;
mod gaps;
pub use egovwatch_i18n as i18n;
mod i18n_check;
mod lang;
mod pages;
mod views;

use axum::Router;
use axum::routing::get;
use egovwatch_domain::Lang;
use egovwatch_store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Languages tried, in order, when registry text lacks the page's language.
    pub fallback: [Lang; 3],
}

impl AppState {
    pub fn tr(&self, lang: Lang) -> i18n::Tr {
        i18n::Tr::with_fallback(lang, self.fallback)
    }
}

/// The application's routes, with the default fallback order (en, az, ru).
pub fn router(store: Store) -> Router {
    router_with(store, i18n::DEFAULT_FALLBACK)
}

/// The application's routes with a fallback order for registry text.
pub fn router_with(store: Store, fallback: [Lang; 3]) -> Router {
    Router::new()
        .route("/", get(pages::root))
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/{*file}", get(assets::serve))
        .route("/{lang}", get(pages::home_redirect))
        .route("/{lang}/", get(pages::home))
        .route("/{lang}/services/{code}", get(pages::service))
        .route("/{lang}/organisations/{code}", get(pages::organisation))
        .route("/{lang}/gaps", get(gaps::page))
        .route("/api/v1/gaps", get(gaps::api))
        .fallback(pages::not_found)
        .with_state(AppState { store, fallback })
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Serves until Ctrl-C.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    fallback: [Lang; 3],
) -> std::io::Result<()> {
    axum::serve(listener, router_with(store, fallback))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
