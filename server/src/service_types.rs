//! Service types (SPEC.md 4.3.2): data managed by admins, each with the daily pick
//! limit per Sale.

use api_types::{ApiErrorBody, ServiceTypeDto, ServiceTypeRequest};
use axum::{Json, extract::State, http::StatusCode};
use entities::service_type;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::current_user::AuthUser,
    db,
    domain::{catalogue_code, clean_text, optional_text},
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::ApiPath,
    state::AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
}

fn dto(st: service_type::Model) -> ServiceTypeDto {
    ServiceTypeDto {
        id: st.id,
        code: st.code,
        name: st.name,
        description: st.description,
        active: st.active,
        daily_pick_limit: st.daily_pick_limit,
        sort_order: st.sort_order,
    }
}

struct Input {
    code: String,
    name: String,
    description: Option<String>,
    active: bool,
    daily_pick_limit: i32,
    sort_order: i32,
}

async fn parse(
    conn: &impl ConnectionTrait,
    body: &ServiceTypeRequest,
    except: Option<i64>,
) -> Result<Input, ApiError> {
    let code = catalogue_code("code", &body.code, 16, "Mã dịch vụ")?;
    let mut same = service_type::Entity::find().filter(service_type::Column::Code.eq(&code));
    if let Some(id) = except {
        same = same.filter(service_type::Column::Id.ne(id));
    }
    if same.count(conn).await? > 0 {
        return Err(ApiError::Conflict {
            code: "service_type_code_taken",
            message: "Mã dịch vụ đã tồn tại".into(),
            field: Some("code".into()),
        });
    }
    let name = clean_text("name", &body.name, 120, "Tên dịch vụ")?;
    if name.is_empty() {
        return Err(ApiError::validation("name", "Vui lòng nhập tên dịch vụ"));
    }
    if !(0..=1000).contains(&body.daily_pick_limit) {
        return Err(ApiError::validation(
            "daily_pick_limit",
            "Giới hạn nhận mỗi ngày phải từ 0 đến 1000",
        ));
    }
    Ok(Input {
        code,
        name,
        description: optional_text("description", body.description.as_deref(), 500, "Mô tả")?,
        active: body.active,
        daily_pick_limit: body.daily_pick_limit,
        sort_order: body.sort_order,
    })
}

/// Every service type in display order (hidden ones included, marked inactive).
#[utoipa::path(
    get, path = "/api/service-types", tag = "contacts",
    responses((status = 200, body = Vec<ServiceTypeDto>))
)]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<ServiceTypeDto>>> {
    let rows = service_type::Entity::find()
        .order_by_asc(service_type::Column::SortOrder)
        .order_by_asc(service_type::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(dto).collect()))
}

/// Add a service type.
#[utoipa::path(
    post, path = "/api/service-types", tag = "contacts",
    request_body = ServiceTypeRequest,
    responses(
        (status = 201, body = ServiceTypeDto),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<ServiceTypeRequest>,
) -> ApiResult<(StatusCode, Json<ServiceTypeDto>)> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let input = parse(&tx, &body, None).await?;
    let created = service_type::ActiveModel {
        code: Set(input.code),
        name: Set(input.name),
        description: Set(input.description),
        active: Set(input.active),
        daily_pick_limit: Set(input.daily_pick_limit),
        sort_order: Set(input.sort_order),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    caller
        .audit(
            &tx,
            now,
            "service_types.created",
            Some(("service_type", created.id.to_string())),
            None,
            Some(json!(dto(created.clone()))),
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(dto(created))))
}

/// Edit a service type: name, description, visibility, daily limit, order.
#[utoipa::path(
    put, path = "/api/service-types/{id}", tag = "contacts",
    params(("id" = i64, Path)),
    request_body = ServiceTypeRequest,
    responses(
        (status = 200, body = ServiceTypeDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ServiceTypeRequest>,
) -> ApiResult<Json<ServiceTypeDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = service_type::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let input = parse(&tx, &body, Some(id)).await?;
    let updated = service_type::Entity::update(service_type::ActiveModel {
        id: Set(id),
        code: Set(input.code),
        name: Set(input.name),
        description: Set(input.description),
        active: Set(input.active),
        daily_pick_limit: Set(input.daily_pick_limit),
        sort_order: Set(input.sort_order),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    caller
        .audit(
            &tx,
            now,
            "service_types.updated",
            Some(("service_type", id.to_string())),
            Some(json!(dto(existing))),
            Some(json!(dto(updated.clone()))),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(dto(updated)))
}
