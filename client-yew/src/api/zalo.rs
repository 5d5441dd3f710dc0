//! Zalo OA: the connection and the ZNS templates.

use api_types::{ZaloAuthorization, ZaloConnectionDto, ZaloTemplateDto, ZaloTemplateRequest};
use gloo_net::http::Request;

use super::{ApiError, read, send};

pub async fn zalo_connection() -> Result<ZaloConnectionDto, ApiError> {
    read(send(Request::get("/api/zalo/connection").build()).await?).await
}

pub async fn zalo_connect() -> Result<ZaloAuthorization, ApiError> {
    read(send(Request::post("/api/zalo/connect").build()).await?).await
}

pub async fn zalo_disconnect() -> Result<(), ApiError> {
    send(Request::delete("/api/zalo/connection").build())
        .await
        .map(drop)
}

pub async fn zalo_templates() -> Result<Vec<ZaloTemplateDto>, ApiError> {
    read(send(Request::get("/api/zalo/templates").build()).await?).await
}

pub async fn zalo_template_create(body: &ZaloTemplateRequest) -> Result<ZaloTemplateDto, ApiError> {
    read(send(Request::post("/api/zalo/templates").json(body)).await?).await
}

pub async fn zalo_send(
    body: &api_types::ZaloComposeRequest,
) -> Result<api_types::ZaloComposeResult, ApiError> {
    read(send(Request::post("/api/zalo/messages").json(body)).await?).await
}

pub async fn zalo_template_update(
    id: i64,
    body: &ZaloTemplateRequest,
) -> Result<ZaloTemplateDto, ApiError> {
    read(send(Request::put(&format!("/api/zalo/templates/{id}")).json(body)).await?).await
}
