use api_types::{AddMemberRequest, ApiErrorBody, EmployeeDto, TeamDto};
use axum::{Json, extract::State};
use entities::{team, user};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use super::routes::{dto, find};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::{ApiPath, ApiQuery},
    state::AppState,
    users,
};

/// Move an employee into this team (out of any other: one team each).
#[utoipa::path(
    post, path = "/api/teams/{id}/members", tag = "teams",
    params(("id" = i64, Path)),
    request_body = AddMemberRequest,
    responses(
        (status = 200, body = TeamDto),
        (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn add_member(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AddMemberRequest>,
) -> ApiResult<Json<TeamDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let team = find(&tx, id).await?;
    let member = user::Entity::find_by_id(body.user_id)
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::validation("user_id", "Nhân viên không tồn tại"))?;
    if member.team_id != Some(id) {
        // Leaving a team you lead leaves it leaderless.
        if let Some(old) = member.team_id {
            team::Entity::update_many()
                .col_expr(
                    team::Column::LeaderId,
                    sea_orm::sea_query::Expr::value(None::<i64>),
                )
                .filter(team::Column::Id.eq(old))
                .filter(team::Column::LeaderId.eq(member.id))
                .exec(&tx)
                .await?;
        }
        user::Entity::update(user::ActiveModel {
            id: Set(member.id),
            team_id: Set(Some(id)),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&tx)
        .await?;
        caller
            .audit(
                &tx,
                now,
                "teams.member_added",
                Some(("team", id.to_string())),
                Some(json!({ "user_id": member.id, "team_id": member.team_id })),
                Some(json!({ "user_id": member.id, "team_id": id })),
            )
            .await?;
    }
    let dto = dto(&tx, team).await?;
    tx.commit().await?;
    state.live.users_changed();
    Ok(Json(dto))
}

/// Take an employee out of this team.
#[utoipa::path(
    delete, path = "/api/teams/{id}/members/{user_id}", tag = "teams",
    params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 200, body = TeamDto), (status = 404, body = ApiErrorBody))
)]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<TeamDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let mut team = find(&tx, id).await?;
    let member = users::service::find(&tx, user_id).await?;
    if member.team_id != Some(id) {
        return Err(ApiError::NotFound);
    }
    user::Entity::update(user::ActiveModel {
        id: Set(user_id),
        team_id: Set(None),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    if team.leader_id == Some(user_id) {
        team = team::Entity::update(team::ActiveModel {
            id: Set(id),
            leader_id: Set(None),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&tx)
        .await?;
    }
    caller
        .audit(
            &tx,
            now,
            "teams.member_removed",
            Some(("team", id.to_string())),
            Some(json!({ "user_id": user_id, "team_id": id })),
            Some(json!({ "user_id": user_id, "team_id": null })),
        )
        .await?;
    let dto = dto(&tx, team).await?;
    tx.commit().await?;
    state.live.users_changed();
    Ok(Json(dto))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CandidateQuery {
    /// Searches username and full name.
    q: Option<String>,
}

/// Active employees to pick as members or leader (at most 50).
#[utoipa::path(
    get, path = "/api/teams/candidates", tag = "teams",
    params(CandidateQuery),
    responses((status = 200, body = Vec<EmployeeDto>), (status = 403, body = ApiErrorBody))
)]
pub async fn candidates(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CandidateQuery>,
) -> ApiResult<Json<Vec<EmployeeDto>>> {
    let mut filter = Condition::all().add(user::Column::Status.eq(user::STATUS_ACTIVE));
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let q: String = q.chars().take(100).collect();
        filter = filter.add(
            Condition::any()
                .add(user::Column::Username.contains(&q))
                .add(user::Column::FullName.contains(&q)),
        );
    }
    let rows = user::Entity::find()
        .filter(filter)
        .order_by_asc(user::Column::FullName)
        .limit(50)
        .all(&state.db)
        .await?;
    Ok(Json(users::service::dtos(&state.db, rows).await?))
}
