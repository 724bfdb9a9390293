//! The ceiling for `bench/web.sh`: an axum handler that returns a fixed JSON body, on the same
//! runtime and HTTP stack as `egovwatch serve`, so the benchmark can say how close each real
//! route comes to what this machine can serve at all.
//!
//! `cargo run --release -p egovwatch-web --example bare -- 127.0.0.1:8099`

use axum::Router;
use axum::http::header;
use axum::routing::get;

const BODY: &str = r#"{"data":[{"code":"SRV-0001","name":{"az":"Uşaq bağçalarına elektron qeydiyyat","en":"E-registration with kindergartens","ru":"Электронная запись в детские сады"},"stage":2}],"meta":{"total":1}}"#;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".into());
    // Every address gets the body, so the ceiling can be asked the way a route is asked (a
    // random address per request costs the load generator too).
    let app = Router::new().fallback(get(|| async {
        ([(header::CONTENT_TYPE, "application/json")], BODY)
    }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("bare handler on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
