//! Serves the built Yew bundle, with every unknown path answered by `index.html`
//! so client-side routes survive a reload.

use std::path::{Path, PathBuf};

use axum::{
    Router,
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use tower_http::services::ServeDir;

use crate::state::AppState;

const MISSING_BUNDLE: &str = include_str!("missing_bundle.html");

pub fn router(web_dir: &Path) -> Router<AppState> {
    let index = web_dir.join("index.html");
    let spa = get(move || index_page(index.clone()));
    Router::new().fallback_service(ServeDir::new(web_dir).fallback(spa))
}

async fn index_page(index: PathBuf) -> Response {
    match tokio::fs::read_to_string(&index).await {
        Ok(html) => {
            let mut response = Html(html).into_response();
            // The shell must be re-fetched so a new deployment is picked up.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Html(MISSING_BUNDLE)).into_response(),
    }
}
