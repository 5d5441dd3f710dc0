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
    /// Holders must sign in with two-factor authentication.
    #[serde(default)]
    pub require_two_factor: bool,
}

/// `POST /api/roles` and `PUT /api/roles/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRequest {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub permissions: Vec<String>,
    /// Holders must use two-factor authentication; absent keeps the role's setting
    /// (false for a new role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_two_factor: Option<bool>,
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
