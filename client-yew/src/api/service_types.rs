//! Service types: read by every signed-in user (forms, filters), managed with
//! `service_types.manage`.

use api_types::{ServiceTypeDto, ServiceTypeRequest};
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// Every service type, hidden ones included, in display order.
pub async fn service_types() -> Result<Vec<ServiceTypeDto>, ApiError> {
    read(send(Request::get("/api/service-types").build()).await?).await
}

pub async fn create_service_type(body: &ServiceTypeRequest) -> Result<ServiceTypeDto, ApiError> {
    read(send(Request::post("/api/service-types").json(body)).await?).await
}

pub async fn update_service_type(
    id: i64,
    body: &ServiceTypeRequest,
) -> Result<ServiceTypeDto, ApiError> {
    read(send(Request::put(&format!("/api/service-types/{id}")).json(body)).await?).await
}
