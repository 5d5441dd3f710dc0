//! `/api/zalo/templates`: the ZNS templates registered with Zalo, as admins describe
//! them here (Zalo's id, a Vietnamese name, the parameters with sample values). Admins
//! (`channels.manage`) edit them, each change audited; CSKH (`zalo.send`) read them to
//! compose.

use std::collections::BTreeSet;

use api_types::{
    ApiErrorBody, ZaloTemplateDto, ZaloTemplateParam, ZaloTemplateRequest,
    permissions::{CHANNELS_MANAGE, ZALO_SEND},
};
use axum::{Json, extract::State, http::StatusCode};
use chrono::SecondsFormat;
use entities::zalo_template as template;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};
use serde_json::json;

use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::{json::ApiJson, params::ApiPath},
    state::AppState,
};

const TARGET: &str = "zalo_template";
const MAX_PARAMS: usize = 20;

pub fn params_of(row: &template::Model) -> Vec<ZaloTemplateParam> {
    serde_json::from_str(&row.params).unwrap_or_default()
}

pub fn dto(row: &template::Model) -> ZaloTemplateDto {
    ZaloTemplateDto {
        id: row.id,
        zalo_template_id: row.zalo_template_id.clone(),
        name: row.name.clone(),
        params: params_of(row),
        enabled: row.enabled,
        updated_at: row.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// The request, checked and trimmed.
fn checked(body: ZaloTemplateRequest) -> Result<ZaloTemplateRequest, ApiError> {
    let zalo_template_id = body.zalo_template_id.trim().to_owned();
    if zalo_template_id.is_empty()
        || zalo_template_id.len() > 64
        || !zalo_template_id.chars().all(|c| c.is_ascii_digit())
    {
        return Err(ApiError::validation(
            "zalo_template_id",
            "Mã mẫu Zalo là dãy số do Zalo cấp khi duyệt mẫu",
        ));
    }
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::validation(
            "name",
            "Vui lòng nhập tên mẫu (tối đa 200 ký tự)",
        ));
    }
    if body.params.len() > MAX_PARAMS {
        return Err(ApiError::validation(
            "params",
            format!("Một mẫu có tối đa {MAX_PARAMS} tham số"),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut params = Vec::with_capacity(body.params.len());
    for param in body.params {
        let name = param.name.trim().to_owned();
        let valid = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(ApiError::validation(
                "params",
                "Tên tham số chỉ gồm chữ không dấu, số và dấu gạch dưới, đúng như trong mẫu Zalo",
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(ApiError::validation(
                "params",
                format!("Tham số \"{name}\" bị lặp"),
            ));
        }
        params.push(ZaloTemplateParam {
            name,
            sample: param.sample.trim().to_owned(),
        });
    }
    Ok(ZaloTemplateRequest {
        zalo_template_id,
        name,
        params,
        enabled: body.enabled,
    })
}

/// Every template; admins of channels and CSKH who compose may read them.
#[utoipa::path(
    get, path = "/api/zalo/templates", tag = "zalo",
    responses((status = 200, body = Vec<ZaloTemplateDto>), (status = 403, body = ApiErrorBody))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Vec<ZaloTemplateDto>>> {
    if !(caller.grants.has(CHANNELS_MANAGE) || caller.grants.has(ZALO_SEND)) {
        return Err(ApiError::Forbidden);
    }
    let rows = template::Entity::find()
        .order_by_asc(template::Column::Name)
        .all(&state.db)
        .await?;
    Ok(Json(rows.iter().map(dto).collect()))
}

#[utoipa::path(
    post, path = "/api/zalo/templates", tag = "zalo",
    request_body = ZaloTemplateRequest,
    responses((status = 201, body = ZaloTemplateDto), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody))
)]
pub async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<ZaloTemplateRequest>,
) -> ApiResult<(StatusCode, Json<ZaloTemplateDto>)> {
    let body = checked(body)?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = template::ActiveModel {
        zalo_template_id: Set(body.zalo_template_id),
        name: Set(body.name),
        params: Set(serde_json::to_string(&body.params).unwrap_or_default()),
        enabled: Set(body.enabled),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let created = dto(&row);
    caller
        .audit(
            &tx,
            now,
            "zalo.template_created",
            Some((TARGET, row.id.to_string())),
            None,
            Some(json!(created)),
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(
    put, path = "/api/zalo/templates/{id}", tag = "zalo",
    params(("id" = i64, Path)),
    request_body = ZaloTemplateRequest,
    responses((status = 200, body = ZaloTemplateDto), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody))
)]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ZaloTemplateRequest>,
) -> ApiResult<Json<ZaloTemplateDto>> {
    let body = checked(body)?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let found = template::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let before = dto(&found);
    let mut row: template::ActiveModel = found.into();
    row.zalo_template_id = Set(body.zalo_template_id);
    row.name = Set(body.name);
    row.params = Set(serde_json::to_string(&body.params).unwrap_or_default());
    row.enabled = Set(body.enabled);
    row.updated_at = Set(now);
    let after = dto(&row.update(&tx).await?);
    caller
        .audit(
            &tx,
            now,
            "zalo.template_updated",
            Some((TARGET, id.to_string())),
            Some(json!(before)),
            Some(json!(after)),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(after))
}

#[utoipa::path(
    delete, path = "/api/zalo/templates/{id}", tag = "zalo",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody))
)]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let found = template::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    template::Entity::delete_by_id(id).exec(&tx).await?;
    caller
        .audit(
            &tx,
            now,
            "zalo.template_deleted",
            Some((TARGET, id.to_string())),
            Some(json!(dto(&found))),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
