//! The egovwatch web server: server-rendered pages in az, en and ru that work without
//! JavaScript.
//!
//! Routes carry the language (`/{lang}/...`), so every page has a permanent link per language;
//! `/` answers in the language remembered in a cookie, else the browser's, else Azerbaijani.

mod assets;
mod error;
pub mod i18n;
mod lang;
mod pages;
mod views;

use axum::Router;
use axum::routing::get;
use egovwatch_store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// The application's routes.
pub fn router(store: Store) -> Router {
    Router::new()
        .route("/", get(pages::root))
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/{*file}", get(assets::serve))
        .route("/{lang}", get(pages::home_redirect))
        .route("/{lang}/", get(pages::home))
        .route("/{lang}/services/{code}", get(pages::service))
        .route("/{lang}/organisations/{code}", get(pages::organisation))
        .fallback(pages::not_found)
        .with_state(AppState { store })
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Serves until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, store: Store) -> std::io::Result<()> {
    axum::serve(listener, router(store))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
