use std::collections::HashMap;

use api_types::{ApiErrorBody, TeamDetail, TeamDto, TeamRequest};
use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use entities::{team, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::{
    auth::current_user::AuthUser,
    db,
    domain::{clean_text, optional_text},
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::ApiPath,
    state::AppState,
    users,
};

pub(super) async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<team::Model, ApiError> {
    team::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

pub(super) fn snapshot(t: &team::Model) -> serde_json::Value {
    json!({
        "name": t.name, "description": t.description,
        "region": t.region, "leader_id": t.leader_id,
    })
}

async fn dtos(
    conn: &impl ConnectionTrait,
    teams: Vec<team::Model>,
) -> Result<Vec<TeamDto>, ApiError> {
    let leader_ids: Vec<i64> = teams.iter().filter_map(|t| t.leader_id).collect();
    let leaders: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(leader_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    let team_ids: Vec<i64> = teams.iter().map(|t| t.id).collect();
    let mut head_counts: HashMap<i64, u64> = HashMap::new();
    for member in user::Entity::find()
        .filter(user::Column::TeamId.is_in(team_ids))
        .all(conn)
        .await?
    {
        if let Some(team_id) = member.team_id {
            *head_counts.entry(team_id).or_default() += 1;
        }
    }
    let mut out = Vec::with_capacity(teams.len());
    for t in teams {
        let member_count = head_counts.get(&t.id).copied().unwrap_or(0);
        out.push(TeamDto {
            leader_name: t.leader_id.and_then(|id| leaders.get(&id).cloned()),
            id: t.id,
            name: t.name,
            description: t.description,
            region: t.region,
            leader_id: t.leader_id,
            member_count,
        });
    }
    Ok(out)
}

pub(super) async fn dto(conn: &impl ConnectionTrait, t: team::Model) -> Result<TeamDto, ApiError> {
    dtos(conn, vec![t]).await?.pop().ok_or(ApiError::NotFound)
}

struct TeamInput {
    name: String,
    description: Option<String>,
    region: Option<String>,
    leader_id: Option<i64>,
}

async fn parse(
    conn: &impl ConnectionTrait,
    body: &TeamRequest,
    except: Option<i64>,
) -> Result<TeamInput, ApiError> {
    let name = clean_text("name", &body.name, 120, "Tên nhóm")?;
    if name.is_empty() {
        return Err(ApiError::validation("name", "Vui lòng nhập tên nhóm"));
    }
    let mut same_name = team::Entity::find().filter(team::Column::Name.eq(&name));
    if let Some(id) = except {
        same_name = same_name.filter(team::Column::Id.ne(id));
    }
    if same_name.count(conn).await? > 0 {
        return Err(ApiError::Conflict {
            code: "team_name_taken",
            message: "Tên nhóm đã tồn tại".into(),
            field: Some("name".into()),
        });
    }
    if let Some(leader) = body.leader_id
        && user::Entity::find_by_id(leader).one(conn).await?.is_none()
    {
        return Err(ApiError::validation(
            "leader_id",
            "Trưởng nhóm không tồn tại",
        ));
    }
    Ok(TeamInput {
        name,
        description: optional_text("description", body.description.as_deref(), 500, "Mô tả")?,
        region: optional_text("region", body.region.as_deref(), 120, "Khu vực")?,
        leader_id: body.leader_id,
    })
}

/// A leader belongs to the team they lead.
async fn enrol_leader(
    conn: &impl ConnectionTrait,
    team_id: i64,
    leader: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if let Some(leader) = leader {
        user::Entity::update(user::ActiveModel {
            id: Set(leader),
            team_id: Set(Some(team_id)),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(conn)
        .await?;
    }
    Ok(())
}

/// Every team with its leader and head count.
#[utoipa::path(
    get, path = "/api/teams", tag = "teams",
    responses((status = 200, body = Vec<TeamDto>), (status = 403, body = ApiErrorBody))
)]
pub async fn list_teams(State(state): State<AppState>) -> ApiResult<Json<Vec<TeamDto>>> {
    let teams = team::Entity::find()
        .order_by_asc(team::Column::Name)
        .all(&state.db)
        .await?;
    Ok(Json(dtos(&state.db, teams).await?))
}

/// Create a team.
#[utoipa::path(
    post, path = "/api/teams", tag = "teams",
    request_body = TeamRequest,
    responses(
        (status = 201, body = TeamDto),
        (status = 409, description = "team_name_taken", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn create_team(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<TeamRequest>,
) -> ApiResult<(StatusCode, Json<TeamDto>)> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let input = parse(&tx, &body, None).await?;
    let created = team::ActiveModel {
        name: Set(input.name),
        description: Set(input.description),
        region: Set(input.region),
        leader_id: Set(input.leader_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    enrol_leader(&tx, created.id, created.leader_id, now).await?;
    caller
        .audit(
            &tx,
            now,
            "teams.created",
            Some(("team", created.id.to_string())),
            None,
            Some(snapshot(&created)),
        )
        .await?;
    let dto = dto(&tx, created).await?;
    tx.commit().await?;
    // A leader joins the team they lead.
    state.live.users_changed();
    Ok((StatusCode::CREATED, Json(dto)))
}

/// A team with its members.
#[utoipa::path(
    get, path = "/api/teams/{id}", tag = "teams",
    params(("id" = i64, Path)),
    responses((status = 200, body = TeamDetail), (status = 404, body = ApiErrorBody))
)]
pub async fn get_team(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TeamDetail>> {
    let found = find(&state.db, id).await?;
    let members = user::Entity::find()
        .filter(user::Column::TeamId.eq(id))
        .order_by_asc(user::Column::FullName)
        .all(&state.db)
        .await?;
    Ok(Json(TeamDetail {
        team: dto(&state.db, found).await?,
        members: users::service::dtos(&state.db, members).await?,
    }))
}

/// Edit a team's name, description, region or leader.
#[utoipa::path(
    put, path = "/api/teams/{id}", tag = "teams",
    params(("id" = i64, Path)),
    request_body = TeamRequest,
    responses(
        (status = 200, body = TeamDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn update_team(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TeamRequest>,
) -> ApiResult<Json<TeamDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = find(&tx, id).await?;
    let input = parse(&tx, &body, Some(id)).await?;
    let updated = team::Entity::update(team::ActiveModel {
        id: Set(id),
        name: Set(input.name),
        description: Set(input.description),
        region: Set(input.region),
        leader_id: Set(input.leader_id),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    enrol_leader(&tx, id, updated.leader_id, now).await?;
    caller
        .audit(
            &tx,
            now,
            "teams.updated",
            Some(("team", id.to_string())),
            Some(snapshot(&existing)),
            Some(snapshot(&updated)),
        )
        .await?;
    let dto = dto(&tx, updated).await?;
    tx.commit().await?;
    state.live.users_changed();
    Ok(Json(dto))
}

/// Delete an empty team.
#[utoipa::path(
    delete, path = "/api/teams/{id}", tag = "teams",
    params(("id" = i64, Path)),
    responses(
        (status = 204),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "team_not_empty", body = ApiErrorBody),
    )
)]
pub async fn delete_team(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = find(&tx, id).await?;
    let members = user::Entity::find()
        .filter(user::Column::TeamId.eq(id))
        .count(&tx)
        .await?;
    if members > 0 {
        return Err(ApiError::Conflict {
            code: "team_not_empty",
            message: format!("Nhóm còn {members} thành viên: hãy chuyển họ sang nhóm khác trước"),
            field: None,
        });
    }
    team::Entity::delete_by_id(id).exec(&tx).await?;
    caller
        .audit(
            &tx,
            now,
            "teams.deleted",
            Some(("team", id.to_string())),
            Some(snapshot(&existing)),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
