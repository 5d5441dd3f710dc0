//! The middleware around every route: counts and times each answer by its matched
//! route, and reports 5xx answers to the monitor.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};

use crate::{error::ErrorId, state::AppState};

/// The route label of requests no route matched (the web client's files).
const UNMATCHED: &str = "unmatched";
/// A probe's `503` is its answer to the orchestrator, not an incident to page about.
const READINESS: &str = "/readyz";

pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let response = next.run(req).await;
    let status = response.status();
    state
        .metrics
        .request(method_label(&method), &route, status, started.elapsed());
    if status.is_server_error() && route != READINESS {
        let error_id = response
            .extensions()
            .get::<ErrorId>()
            .map(|id| id.0.as_str());
        state
            .monitor
            .server_error(&method, &route, status, error_id);
    }
    response
}

/// Standard methods by name; anything a client invents shares one label, so callers
/// cannot grow the metrics without bound.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
