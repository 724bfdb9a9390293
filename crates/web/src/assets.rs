//! Static files, embedded in the binary so it runs from anywhere.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::RustEmbed)]
#[folder = "static/"]
struct Assets;

pub async fn serve(Path(file): Path<String>) -> Response {
    match Assets::get(&file) {
        Some(f) => {
            let mime = f.metadata.mimetype().to_string();
            let etag = format!("\"{}\"", hex(&f.metadata.sha256_hash()[..8]));
            (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::ETAG, etag),
                    (header::CACHE_CONTROL, "public, max-age=3600".to_string()),
                ],
                f.data,
            )
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
