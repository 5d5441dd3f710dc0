//! Products (SPEC.md PROD): the services deals are made of. Stopped products stay on
//! the deals that have them but cannot go on new ones; a product on any deal can be
//! stopped, not deleted.

use std::collections::HashMap;

use api_types::{ApiErrorBody, PRODUCT_STATUSES, ProductDto, ProductRequest};
use axum::{Json, extract::State, http::StatusCode};
use chrono::SecondsFormat;
use entities::{deal_line, product};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::current_user::AuthUser,
    db,
    domain::{catalogue_code, clean_text, money, optional_text},
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::{ApiPath, ApiQuery},
    state::AppState,
};

pub const SELLING: &str = "selling";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

pub fn dto(row: product::Model, deal_lines: u64) -> ProductDto {
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    ProductDto {
        id: row.id,
        code: row.code,
        name: row.name,
        description: row.description,
        base_price: row.base_price,
        min_price: row.min_price,
        workflow_type: row.workflow_type,
        status: row.status,
        deal_lines,
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
    }
}

/// How many deal lines use each product.
async fn usage(
    conn: &impl ConnectionTrait,
    ids: Option<Vec<i64>>,
) -> Result<HashMap<i64, u64>, ApiError> {
    #[derive(FromQueryResult)]
    struct Usage {
        product_id: i64,
        lines: i64,
    }
    let mut query = deal_line::Entity::find()
        .select_only()
        .column(deal_line::Column::ProductId)
        .column_as(deal_line::Column::Id.count(), "lines")
        .group_by(deal_line::Column::ProductId);
    if let Some(ids) = ids {
        query = query.filter(deal_line::Column::ProductId.is_in(ids));
    }
    Ok(query
        .into_model::<Usage>()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.product_id, u.lines.max(0) as u64))
        .collect())
}

struct Input {
    code: String,
    name: String,
    description: Option<String>,
    base_price: i64,
    min_price: Option<i64>,
    workflow_type: Option<String>,
    status: String,
}

async fn parse(
    conn: &impl ConnectionTrait,
    body: &ProductRequest,
    except: Option<i64>,
) -> Result<Input, ApiError> {
    let code = catalogue_code("code", &body.code, 32, "Mã sản phẩm")?;
    let mut same = product::Entity::find().filter(product::Column::Code.eq(&code));
    if let Some(id) = except {
        same = same.filter(product::Column::Id.ne(id));
    }
    if same.count(conn).await? > 0 {
        return Err(ApiError::Conflict {
            code: "product_code_taken",
            message: format!("Mã sản phẩm {code} đã tồn tại"),
            field: Some("code".into()),
        });
    }
    let name = clean_text("name", &body.name, 160, "Tên sản phẩm")?;
    if name.is_empty() {
        return Err(ApiError::validation("name", "Vui lòng nhập tên sản phẩm"));
    }
    let base_price = money("base_price", body.base_price, "Giá cơ bản")?;
    let min_price = match body.min_price {
        Some(floor) => {
            let floor = money("min_price", floor, "Giá sàn")?;
            if floor > base_price {
                return Err(ApiError::validation(
                    "min_price",
                    "Giá sàn không được cao hơn giá cơ bản",
                ));
            }
            Some(floor)
        }
        None => None,
    };
    let status = body.status.as_deref().unwrap_or(SELLING).trim().to_owned();
    if !PRODUCT_STATUSES.iter().any(|(c, _)| *c == status) {
        return Err(ApiError::validation(
            "status",
            "Trạng thái phải là Đang kinh doanh hoặc Ngừng kinh doanh",
        ));
    }
    Ok(Input {
        code,
        name,
        description: optional_text("description", body.description.as_deref(), 4000, "Mô tả")?,
        base_price,
        min_price,
        workflow_type: optional_text(
            "workflow_type",
            body.workflow_type.as_deref(),
            120,
            "Loại quy trình",
        )?,
        status,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// `selling` or `stopped`; all when absent.
    pub status: Option<String>,
}

/// The catalogue, by code. Every signed-in user may read it (the deal form needs it).
#[utoipa::path(
    get, path = "/api/products", tag = "deals",
    params(ProductQuery),
    responses((status = 200, body = Vec<ProductDto>))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Vec<ProductDto>>> {
    let mut find = product::Entity::find().order_by_asc(product::Column::Code);
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        find = find.filter(product::Column::Status.eq(status));
    }
    let rows = find.all(&state.db).await?;
    let used = usage(&state.db, None).await?;
    Ok(Json(
        rows.into_iter()
            .map(|p| {
                let lines = used.get(&p.id).copied().unwrap_or(0);
                dto(p, lines)
            })
            .collect(),
    ))
}

#[utoipa::path(
    get, path = "/api/products/{id}", tag = "deals",
    params(("id" = i64, Path)),
    responses((status = 200, body = ProductDto), (status = 404, body = ApiErrorBody))
)]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ProductDto>> {
    let row = product::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let lines = usage(&state.db, Some(vec![id])).await?;
    Ok(Json(dto(row, lines.get(&id).copied().unwrap_or(0))))
}

/// Add a product.
#[utoipa::path(
    post, path = "/api/products", tag = "deals",
    request_body = ProductRequest,
    responses(
        (status = 201, body = ProductDto),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<ProductRequest>,
) -> ApiResult<(StatusCode, Json<ProductDto>)> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let input = parse(&tx, &body, None).await?;
    let created = product::ActiveModel {
        code: Set(input.code),
        name: Set(input.name),
        description: Set(input.description),
        base_price: Set(input.base_price),
        min_price: Set(input.min_price),
        workflow_type: Set(input.workflow_type),
        status: Set(input.status),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let out = dto(created, 0);
    caller
        .audit(
            &tx,
            now,
            "products.created",
            Some(("product", out.id.to_string())),
            None,
            Some(json!(out)),
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Edit a product. Prices already on deals do not change.
#[utoipa::path(
    put, path = "/api/products/{id}", tag = "deals",
    params(("id" = i64, Path)),
    request_body = ProductRequest,
    responses(
        (status = 200, body = ProductDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProductRequest>,
) -> ApiResult<Json<ProductDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = product::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let input = parse(&tx, &body, Some(id)).await?;
    let updated = product::Entity::update(product::ActiveModel {
        id: Set(id),
        code: Set(input.code),
        name: Set(input.name),
        description: Set(input.description),
        base_price: Set(input.base_price),
        min_price: Set(input.min_price),
        workflow_type: Set(input.workflow_type),
        status: Set(input.status),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    let lines = usage(&tx, Some(vec![id])).await?.get(&id).copied();
    let (before, after) = (
        dto(existing, lines.unwrap_or(0)),
        dto(updated, lines.unwrap_or(0)),
    );
    caller
        .audit(
            &tx,
            now,
            "products.updated",
            Some(("product", id.to_string())),
            Some(json!(before)),
            Some(json!(after)),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(after))
}

/// Delete a product no deal uses; a used one answers `409 product_in_use`.
#[utoipa::path(
    delete, path = "/api/products/{id}", tag = "deals",
    params(("id" = i64, Path)),
    responses(
        (status = 204),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "product_in_use", body = ApiErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = product::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let lines = usage(&tx, Some(vec![id])).await?.get(&id).copied();
    if let Some(lines) = lines.filter(|n| *n > 0) {
        return Err(ApiError::Conflict {
            code: "product_in_use",
            message: format!(
                "Sản phẩm {} đã có trong {lines} dòng hợp đồng nên không xoá được; hãy chuyển sang Ngừng kinh doanh",
                existing.code
            ),
            field: None,
        });
    }
    product::Entity::delete_by_id(id).exec(&tx).await?;
    caller
        .audit(
            &tx,
            now,
            "products.deleted",
            Some(("product", id.to_string())),
            Some(json!(dto(existing, 0))),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
