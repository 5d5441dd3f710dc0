//! Coupon administration and the Sale's own coupon list.

use api_types::{ApiErrorBody, CouponDto, CouponRequest, PersonRef, permissions::COUPONS_USE};
use axum::{Json, extract::State, http::StatusCode};
use entities::{coupon, coupon_assignee, deal, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, sea_query::Query as SqlQuery,
};
use serde_json::json;

use super::{rules, view};
use crate::{
    auth::current_user::AuthUser,
    db,
    domain::today_in_vietnam,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::ApiPath,
    permissions,
    state::AppState,
    users::refs,
};

/// Every coupon, newest first, with its assignees.
#[utoipa::path(
    get, path = "/api/coupons", tag = "deals",
    responses((status = 200, body = Vec<CouponDto>))
)]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<CouponDto>>> {
    let rows = coupon::Entity::find()
        .order_by_desc(coupon::Column::Id)
        .all(&state.db)
        .await?;
    let today = today_in_vietnam(state.clock.now());
    Ok(Json(view::dtos(&state.db, rows, today, None).await?))
}

/// The caller's coupons that can be applied today (the deal form's picker).
#[utoipa::path(
    get, path = "/api/coupons/mine", tag = "deals",
    responses((status = 200, body = Vec<CouponDto>))
)]
pub async fn mine(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Vec<CouponDto>>> {
    let today = today_in_vietnam(state.clock.now());
    let rows: Vec<coupon::Model> = coupon::Entity::find()
        .filter(
            coupon::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(coupon_assignee::Column::CouponId)
                    .from(coupon_assignee::Entity)
                    .and_where(coupon_assignee::Column::UserId.eq(caller.user.id))
                    .to_owned(),
            ),
        )
        .order_by_asc(coupon::Column::ExpiresOn)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|c| rules::usable(c, today))
        .collect();
    Ok(Json(
        view::dtos(&state.db, rows, today, Some(caller.user.id)).await?,
    ))
}

/// Active employees who may apply coupons (`coupons.use`): the assignee picker.
#[utoipa::path(
    get, path = "/api/coupons/assignable", tag = "deals",
    responses((status = 200, body = Vec<PersonRef>))
)]
pub async fn assignable(State(state): State<AppState>) -> ApiResult<Json<Vec<PersonRef>>> {
    let holders = permissions::holders(&state.db, COUPONS_USE).await?;
    Ok(Json(refs::active(&state.db, holders).await?))
}

#[utoipa::path(
    get, path = "/api/coupons/{id}", tag = "deals",
    params(("id" = i64, Path)),
    responses((status = 200, body = CouponDto), (status = 404, body = ApiErrorBody))
)]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CouponDto>> {
    let row = coupon::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let today = today_in_vietnam(state.clock.now());
    Ok(Json(view::dto(&state.db, row, today).await?))
}

/// Assignees must be active employees who may use coupons.
async fn check_assignees(conn: &impl ConnectionTrait, ids: &[i64]) -> Result<(), ApiError> {
    let holders = permissions::holders(conn, COUPONS_USE).await?;
    let active: Vec<i64> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .filter(user::Column::Status.eq(user::STATUS_ACTIVE))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    match ids
        .iter()
        .find(|id| !active.contains(id) || !holders.contains(id))
    {
        Some(id) => Err(ApiError::validation(
            "assignee_ids",
            format!(
                "Nhân viên #{id} không tồn tại, đã bị khoá hoặc không có quyền dùng mã giảm giá"
            ),
        )),
        None => Ok(()),
    }
}

async fn code_taken(
    conn: &impl ConnectionTrait,
    code: &str,
    except: Option<i64>,
) -> Result<(), ApiError> {
    let mut same = coupon::Entity::find().filter(coupon::Column::Code.eq(code));
    if let Some(id) = except {
        same = same.filter(coupon::Column::Id.ne(id));
    }
    if same.count(conn).await? > 0 {
        return Err(ApiError::Conflict {
            code: "coupon_code_taken",
            message: format!("Mã giảm giá {code} đã tồn tại"),
            field: Some("code".into()),
        });
    }
    Ok(())
}

async fn set_assignees(
    conn: &impl ConnectionTrait,
    coupon_id: i64,
    ids: &[i64],
) -> Result<(), ApiError> {
    coupon_assignee::Entity::delete_many()
        .filter(coupon_assignee::Column::CouponId.eq(coupon_id))
        .exec(conn)
        .await?;
    coupon_assignee::Entity::insert_many(ids.iter().map(|user_id| coupon_assignee::ActiveModel {
        coupon_id: Set(coupon_id),
        user_id: Set(*user_id),
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Create a coupon and assign it.
#[utoipa::path(
    post, path = "/api/coupons", tag = "deals",
    request_body = CouponRequest,
    responses(
        (status = 201, body = CouponDto),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<CouponRequest>,
) -> ApiResult<(StatusCode, Json<CouponDto>)> {
    let now = state.clock.now();
    let today = today_in_vietnam(now);
    let input = rules::parse(&body, today, None)?;
    let tx = db::begin_write(&state.db).await?;
    code_taken(&tx, &input.code, None).await?;
    check_assignees(&tx, &input.assignee_ids).await?;
    let created = coupon::ActiveModel {
        code: Set(input.code),
        description: Set(input.description),
        kind: Set(input.kind),
        value: Set(input.value),
        expires_on: Set(input.expires_on),
        max_uses: Set(input.max_uses),
        used_count: Set(0),
        active: Set(input.active),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    set_assignees(&tx, created.id, &input.assignee_ids).await?;
    let out = view::dto(&tx, created, today).await?;
    caller
        .audit(
            &tx,
            now,
            "coupons.created",
            Some(("coupon", out.id.to_string())),
            None,
            Some(json!(out)),
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Edit a coupon (deals that already used it keep their discount).
#[utoipa::path(
    put, path = "/api/coupons/{id}", tag = "deals",
    params(("id" = i64, Path)),
    request_body = CouponRequest,
    responses(
        (status = 200, body = CouponDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CouponRequest>,
) -> ApiResult<Json<CouponDto>> {
    let now = state.clock.now();
    let today = today_in_vietnam(now);
    let tx = db::begin_write(&state.db).await?;
    let existing = coupon::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let input = rules::parse(&body, today, Some(&existing))?;
    code_taken(&tx, &input.code, Some(id)).await?;
    check_assignees(&tx, &input.assignee_ids).await?;
    let before = view::dto(&tx, existing, today).await?;
    let updated = coupon::Entity::update(coupon::ActiveModel {
        id: Set(id),
        code: Set(input.code),
        description: Set(input.description),
        kind: Set(input.kind),
        value: Set(input.value),
        expires_on: Set(input.expires_on),
        max_uses: Set(input.max_uses),
        active: Set(input.active),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    set_assignees(&tx, id, &input.assignee_ids).await?;
    let after = view::dto(&tx, updated, today).await?;
    caller
        .audit(
            &tx,
            now,
            "coupons.updated",
            Some(("coupon", id.to_string())),
            Some(json!(before)),
            Some(json!(after)),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(after))
}

/// Delete a coupon no deal used; a used one answers `409 coupon_in_use` (switch it
/// off instead).
#[utoipa::path(
    delete, path = "/api/coupons/{id}", tag = "deals",
    params(("id" = i64, Path)),
    responses(
        (status = 204),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "coupon_in_use", body = ApiErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let today = today_in_vietnam(now);
    let tx = db::begin_write(&state.db).await?;
    let existing = coupon::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let deals = deal::Entity::find()
        .filter(deal::Column::CouponId.eq(id))
        .count(&tx)
        .await?;
    if deals > 0 {
        return Err(ApiError::Conflict {
            code: "coupon_in_use",
            message: format!(
                "Mã giảm giá {} đã được dùng cho {deals} hợp đồng nên không xoá được; hãy tắt mã",
                existing.code
            ),
            field: None,
        });
    }
    let before = view::dto(&tx, existing, today).await?;
    coupon::Entity::delete_by_id(id).exec(&tx).await?;
    caller
        .audit(
            &tx,
            now,
            "coupons.deleted",
            Some(("coupon", id.to_string())),
            Some(json!(before)),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
