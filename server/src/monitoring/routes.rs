//! `GET /readyz` and `GET /metrics`.

use std::net::SocketAddr;

use axum::{
    Json,
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::readiness::{self, Readiness};
use crate::{error::ApiError, state::AppState};

const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(readyz))
        .routes(routes!(metrics))
}

/// Readiness for load balancers and orchestrators: `200` only when the database
/// answers, migrations are up to date and the server is not shutting down.
#[utoipa::path(
    get, path = "/readyz", tag = "system",
    responses(
        (status = 200, description = "ready", body = Readiness),
        (status = 503, description = "not ready: what is failing", body = Readiness),
    )
)]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let broker = state.live.relay().map(|relay| relay.status.as_ref());
    let readiness = readiness::check(&state.db, &state.lifecycle, broker).await;
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(readiness))
}

/// Prometheus metrics (OpenMetrics text). With `ANKHANG_METRICS_TOKEN` set, callers
/// present it as `Authorization: Bearer <token>`; without it only direct loopback
/// peers may read them.
#[utoipa::path(
    get, path = "/metrics", tag = "system",
    responses(
        (status = 200, description = "metrics", content_type = "application/openmetrics-text"),
        (status = 401, description = "token missing or wrong", body = api_types::ApiErrorBody),
        (status = 403, description = "no token configured and the caller is not on loopback", body = api_types::ApiErrorBody),
    )
)]
pub async fn metrics(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    admit_scraper(&state, &req)?;
    let body = state.metrics.render(state.live.hub.connection_count());
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(OPENMETRICS));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn admit_scraper(state: &AppState, req: &Request) -> Result<(), ApiError> {
    match &state.config.metrics_token {
        Some(token) => {
            let presented = bearer(req.headers()).unwrap_or_default();
            if same_secret(presented, token.expose_secret()) {
                Ok(())
            } else {
                Err(ApiError::Unauthorized {
                    code: "metrics_token_required",
                    message:
                        "Cần gửi Authorization: Bearer <ANKHANG_METRICS_TOKEN> để đọc /metrics"
                            .into(),
                })
            }
        }
        None => {
            let peer = req
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_canonical());
            // Behind a reverse proxy on the same host every peer is loopback: a
            // forwarded request came from elsewhere.
            let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
                .iter()
                .any(|name| req.headers().contains_key(*name));
            if peer.is_some_and(|ip| ip.is_loopback()) && !forwarded {
                Ok(())
            } else {
                Err(ApiError::Forbidden)
            }
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Compares digests, so the time taken says nothing about how much of the token matched.
fn same_secret(presented: &str, expected: &str) -> bool {
    let (a, b) = (
        Sha256::digest(presented.as_bytes()),
        Sha256::digest(expected.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(same_secret("s3cret-token", "s3cret-token"));
        assert!(!same_secret("s3cret-toke", "s3cret-token"));
        assert!(!same_secret("", "s3cret-token"));
    }
}
