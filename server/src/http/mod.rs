//! The HTTP surface: API routes merged from each domain module, guarded, documented,
//! and the web client served beside them.

pub mod access;
pub mod client_meta;
mod csrf;
mod docs;
mod health;
pub mod json;
pub mod params;
mod security_headers;
pub mod tls;
mod web;
mod ws;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    middleware::{from_fn, from_fn_with_state},
    routing::any,
};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::{
    attachments, audit, auth, contacts, coupons, deals, error::ApiError, events, import,
    monitoring, notifications, products, push, reports, retention, roles, service_types,
    state::AppState, teams, tenant_export, users,
};

const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Every documented API route, with the OpenAPI document describing them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .merge(auth::router())
        .merge(users::router())
        .merge(roles::router())
        .merge(teams::router())
        .merge(contacts::router())
        .merge(service_types::router())
        .merge(products::router())
        .merge(coupons::router())
        .merge(deals::router())
        .merge(events::routes::router())
        .merge(audit::routes::router())
        .merge(reports::router())
        .merge(notifications::router())
        .merge(import::router())
        .merge(tenant_export::router())
        .merge(retention::router())
        .merge(health::router())
        .merge(monitoring::routes::router())
        .merge(attachments::router())
        .merge(push::router())
        .merge(crate::inbound::router())
        .merge(crate::zalo::router())
        .routes(utoipa_axum::routes!(ws::upgrade))
        .split_for_parts()
}

pub fn router(state: AppState) -> Router {
    let (api, openapi) = api();
    let api = api
        .merge(docs::router(openapi))
        .route_layer(from_fn_with_state(state.clone(), access::guard))
        // Unknown API paths answer in the API's error shape, not with the web client.
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found));
    Router::new()
        .merge(api)
        .merge(web::router(&state.config.web_dir))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn_with_state(state.clone(), csrf::check_origin))
        .layer(from_fn_with_state(state.clone(), security_headers::apply))
        .layer(from_fn(no_store_api))
        // Outside the others, so it times and counts the answer the client gets.
        .layer(from_fn_with_state(state.clone(), monitoring::track))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// API answers are personal: never let a shared cache keep them.
async fn no_store_api(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_api = req.uri().path().starts_with("/api/");
    let mut response = next.run(req).await;
    if is_api
        && !response
            .headers()
            .contains_key(axum::http::header::CACHE_CONTROL)
    {
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    response
}
