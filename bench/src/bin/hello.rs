//! The baseline for the page benchmarks: the smallest axum server, on the
//! same runtime and machine as Ortalyq, answering a fixed HTML page.

use axum::response::Html;
use axum::routing::get;
use axum::Router;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3590".into());
    let app = Router::new().route(
        "/",
        get(|| async { Html("<!doctype html><title>hello</title><p>Hello, world!</p>") }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
