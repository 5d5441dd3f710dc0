//! `/api/notifications`: the caller's own in-app inbox. The contact's name, kept out
//! of stored texts, is filled in here as the caller reads them.

use std::collections::HashMap;

use api_types::{ApiErrorBody, NotificationDto, NotificationPage, UnreadCount};
use axum::{Json, extract::State};
use chrono::{DateTime, SecondsFormat, Utc};
use entities::{contact, notification};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::template;
use crate::{
    auth::current_user::AuthUser,
    contacts::vault::{ERASED, Vault},
    error::{ApiError, ApiResult},
    http::params::{ApiPath, ApiQuery},
    state::AppState,
};

const PER_PAGE: u64 = 30;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// `true`: only unread ones.
    pub unread: Option<bool>,
    /// From 1; 30 a page, newest first.
    pub page: Option<u64>,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn unread_count(conn: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(conn)
        .await
}

/// The contacts' names for these entries, opened in memory.
async fn names(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    rows: &[notification::Model],
) -> Result<HashMap<i64, String>, DbErr> {
    let ids: Vec<i64> = rows.iter().filter_map(|n| n.contact_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let keys = vault.keys_for(conn, &ids).await?;
    Ok(contact::Entity::find()
        .filter(contact::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .iter()
        .map(|row| (row.id, vault.open(keys.get(&row.id), row).full_name))
        .collect())
}

/// The caller's notifications, newest first, with how many are unread.
#[utoipa::path(
    get, path = "/api/notifications", tag = "notifications",
    params(InboxQuery),
    responses((status = 200, body = NotificationPage))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(query): ApiQuery<InboxQuery>,
) -> ApiResult<Json<NotificationPage>> {
    let me = caller.user.id;
    let mut find = notification::Entity::find().filter(notification::Column::UserId.eq(me));
    if query.unread == Some(true) {
        find = find.filter(notification::Column::ReadAt.is_null());
    }
    let total = find.clone().count(&state.db).await?;
    let page = query.page.unwrap_or(1).max(1);
    let rows = find
        .order_by_desc(notification::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(&state.db)
        .await?;
    let names = names(&state.db, &state.vault, &rows).await?;
    let items = rows
        .into_iter()
        .map(|n| {
            let name = n
                .contact_id
                .and_then(|id| names.get(&id))
                .map_or(ERASED, String::as_str);
            NotificationDto {
                id: n.id,
                title: template::resolve_name(&n.title, name),
                body: template::resolve_name(&n.body, name),
                link: n.link,
                created_at: time(n.created_at),
                read_at: n.read_at.map(time),
            }
        })
        .collect();
    Ok(Json(NotificationPage {
        items,
        total,
        unread_count: unread_count(&state.db, me).await?,
    }))
}

/// Mark one of the caller's notifications read (again is harmless).
#[utoipa::path(
    post, path = "/api/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path)),
    responses((status = 200, body = UnreadCount), (status = 404, body = ApiErrorBody))
)]
pub async fn mark_read(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<UnreadCount>> {
    let me = caller.user.id;
    // Someone else's notification is as good as missing.
    notification::Entity::find_by_id(id)
        .filter(notification::Column::UserId.eq(me))
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            Expr::value(Some(state.clock.now())),
        )
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::UserId.eq(me))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(Json(UnreadCount {
        unread_count: unread_count(&state.db, me).await?,
    }))
}

/// Mark all of the caller's notifications read.
#[utoipa::path(
    post, path = "/api/notifications/read-all", tag = "notifications",
    responses((status = 200, body = UnreadCount))
)]
pub async fn mark_all_read(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<UnreadCount>> {
    let me = caller.user.id;
    notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            Expr::value(Some(state.clock.now())),
        )
        .filter(notification::Column::UserId.eq(me))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(Json(UnreadCount {
        unread_count: unread_count(&state.db, me).await?,
    }))
}
