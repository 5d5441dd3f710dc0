use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleDto {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Vec<String>,
    /// Built-in role: cannot be deleted or renamed.
    pub system: bool,
    /// Its permissions cannot change (Super Admin holds all of them).
    pub locked_permissions: bool,
    /// How many employees hold it.
    pub user_count: u64,
}

/// `POST /api/roles` and `PUT /api/roles/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRequest {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub permissions: Vec<String>,
}

/// `POST /api/roles/{id}/clone`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloneRoleRequest {
    pub name: String,
}

/// One entry of the permission catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionDto {
    pub code: String,
    pub module: String,
    /// Vietnamese label.
    pub label: String,
}
