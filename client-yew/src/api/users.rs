//! Employees (`users.manage`) and per-user permission overrides (`roles.manage`).

use api_types::{
    AdminResetPasswordRequest, CreateUserRequest, EmployeeDetail, EmployeeDto, EmployeeFormOptions,
    EmployeePage, MessageResponse, SetOverridesRequest, UpdateUserRequest,
};
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// Filters of the employee list; `None` or empty leaves a filter out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmployeeQuery {
    pub q: String,
    pub team_id: Option<i64>,
    pub role_id: Option<i64>,
    /// `active` or `locked`.
    pub status: Option<String>,
    pub page: u64,
    pub per_page: u64,
}

impl EmployeeQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("page", self.page.max(1).to_string()),
            ("per_page", self.per_page.to_string()),
        ];
        let q = self.q.trim();
        if !q.is_empty() {
            params.push(("q", q.to_owned()));
        }
        if let Some(id) = self.team_id {
            params.push(("team_id", id.to_string()));
        }
        if let Some(id) = self.role_id {
            params.push(("role_id", id.to_string()));
        }
        if let Some(status) = &self.status {
            params.push(("status", status.clone()));
        }
        params
    }
}

pub async fn employees(query: &EmployeeQuery) -> Result<EmployeePage, ApiError> {
    let params = query.params();
    let request = Request::get("/api/users")
        .query(params.iter().map(|(k, v)| (*k, v.as_str())))
        .build();
    read(send(request).await?).await
}

pub async fn employee_form_options() -> Result<EmployeeFormOptions, ApiError> {
    read(send(Request::get("/api/users/form-options").build()).await?).await
}

pub async fn employee(id: i64) -> Result<EmployeeDetail, ApiError> {
    read(send(Request::get(&format!("/api/users/{id}")).build()).await?).await
}

pub async fn create_employee(body: &CreateUserRequest) -> Result<EmployeeDto, ApiError> {
    read(send(Request::post("/api/users").json(body)).await?).await
}

pub async fn update_employee(id: i64, body: &UpdateUserRequest) -> Result<EmployeeDto, ApiError> {
    read(send(Request::put(&format!("/api/users/{id}")).json(body)).await?).await
}

/// Locks (`true`) or unlocks (`false`) the account.
pub async fn set_employee_locked(id: i64, locked: bool) -> Result<EmployeeDto, ApiError> {
    let action = if locked { "lock" } else { "unlock" };
    read(send(Request::post(&format!("/api/users/{id}/{action}")).build()).await?).await
}

pub async fn reset_employee_password(
    id: i64,
    body: &AdminResetPasswordRequest,
) -> Result<MessageResponse, ApiError> {
    read(send(Request::post(&format!("/api/users/{id}/password")).json(body)).await?).await
}

pub async fn set_overrides(
    id: i64,
    body: &SetOverridesRequest,
) -> Result<SetOverridesRequest, ApiError> {
    read(send(Request::put(&format!("/api/users/{id}/overrides")).json(body)).await?).await
}
