//! Teams and their members (`teams.manage`).

use api_types::{AddMemberRequest, EmployeeDto, TeamDetail, TeamDto, TeamRequest};
use gloo_net::http::Request;

use super::{ApiError, read, send};

pub async fn teams() -> Result<Vec<TeamDto>, ApiError> {
    read(send(Request::get("/api/teams").build()).await?).await
}

pub async fn team(id: i64) -> Result<TeamDetail, ApiError> {
    read(send(Request::get(&format!("/api/teams/{id}")).build()).await?).await
}

pub async fn create_team(body: &TeamRequest) -> Result<TeamDto, ApiError> {
    read(send(Request::post("/api/teams").json(body)).await?).await
}

pub async fn update_team(id: i64, body: &TeamRequest) -> Result<TeamDto, ApiError> {
    read(send(Request::put(&format!("/api/teams/{id}")).json(body)).await?).await
}

pub async fn delete_team(id: i64) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/teams/{id}")).build())
        .await
        .map(drop)
}

/// Active employees matching `q` (at most 50), for the leader and member pickers.
pub async fn team_candidates(q: &str) -> Result<Vec<EmployeeDto>, ApiError> {
    let request = Request::get("/api/teams/candidates")
        .query([("q", q.trim())])
        .build();
    read(send(request).await?).await
}

pub async fn add_team_member(id: i64, body: &AddMemberRequest) -> Result<TeamDto, ApiError> {
    read(send(Request::post(&format!("/api/teams/{id}/members")).json(body)).await?).await
}

pub async fn remove_team_member(id: i64, user_id: i64) -> Result<TeamDto, ApiError> {
    let url = format!("/api/teams/{id}/members/{user_id}");
    read(send(Request::delete(&url).build()).await?).await
}
