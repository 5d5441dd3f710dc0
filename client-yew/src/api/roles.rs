//! Roles and the permission catalogue (`roles.manage`).

use api_types::{CloneRoleRequest, PermissionDto, RoleDto, RoleRequest};
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// The permission catalogue, in display order.
pub async fn permissions() -> Result<Vec<PermissionDto>, ApiError> {
    read(send(Request::get("/api/permissions").build()).await?).await
}

pub async fn roles() -> Result<Vec<RoleDto>, ApiError> {
    read(send(Request::get("/api/roles").build()).await?).await
}

pub async fn create_role(body: &RoleRequest) -> Result<RoleDto, ApiError> {
    read(send(Request::post("/api/roles").json(body)).await?).await
}

pub async fn update_role(id: i64, body: &RoleRequest) -> Result<RoleDto, ApiError> {
    read(send(Request::put(&format!("/api/roles/{id}")).json(body)).await?).await
}

pub async fn delete_role(id: i64) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/roles/{id}")).build())
        .await
        .map(drop)
}

pub async fn clone_role(id: i64, body: &CloneRoleRequest) -> Result<RoleDto, ApiError> {
    read(send(Request::post(&format!("/api/roles/{id}/clone")).json(body)).await?).await
}
