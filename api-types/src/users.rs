use serde::{Deserialize, Serialize};

/// `POST /api/users`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUserRequest {
    pub username: String,
    pub password: String,
    pub full_name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub team_id: Option<i64>,
    #[serde(default)]
    pub position: Option<String>,
    pub role_ids: Vec<i64>,
}

/// `PUT /api/users/{id}`: everything but the username (immutable) and the password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUserRequest {
    pub full_name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub team_id: Option<i64>,
    #[serde(default)]
    pub position: Option<String>,
    pub role_ids: Vec<i64>,
    /// Sent back unchanged by clients; a different value is refused (immutable).
    #[serde(default)]
    pub username: Option<String>,
}

/// An employee as admins see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmployeeDto {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// `active` or `locked`.
    pub status: String,
    pub roles: Vec<RoleRef>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmployeePage {
    pub items: Vec<EmployeeDto>,
    pub total: u64,
}

/// One employee with their permission overrides and what they add up to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmployeeDetail {
    pub employee: EmployeeDto,
    pub overrides: Vec<PermissionOverride>,
    /// Effective permission codes (roles, then overrides; deny wins).
    pub permissions: Vec<String>,
}

/// An explicit per-user grant (`granted: true`) or deny (`granted: false`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionOverride {
    pub code: String,
    pub granted: bool,
}

/// `PUT /api/users/{id}/overrides`: replaces the user's overrides.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetOverridesRequest {
    pub overrides: Vec<PermissionOverride>,
}

/// `POST /api/users/{id}/password`: an admin sets a new password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminResetPasswordRequest {
    pub new_password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamRef {
    pub id: i64,
    pub name: String,
}

/// What the employee form offers: every role and team.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmployeeFormOptions {
    pub roles: Vec<RoleRef>,
    pub teams: Vec<TeamRef>,
}
