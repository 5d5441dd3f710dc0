//! Row-level security for deals: the closer sees their own, `deals.view_all` sees all.

use api_types::permissions::{DEALS_EDIT, DEALS_VIEW_ALL};
use entities::deal;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{auth::current_user::AuthUser, error::ApiError};

pub fn condition(caller: &AuthUser) -> Condition {
    if caller.grants.has(DEALS_VIEW_ALL) {
        Condition::all()
    } else {
        Condition::all().add(deal::Column::CloserId.eq(caller.user.id))
    }
}

/// Outside the caller's scope a deal does not exist for them (`404`).
pub async fn find_visible(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    id: i64,
) -> Result<deal::Model, ApiError> {
    deal::Entity::find_by_id(id)
        .filter(condition(caller))
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A refunded deal is closed for good; otherwise its closer or an admin with
/// `deals.edit` may change it.
pub fn editable(caller: &AuthUser, row: &deal::Model) -> bool {
    caller.grants.has(DEALS_EDIT)
        && (caller.grants.has(DEALS_VIEW_ALL) || row.closer_id == caller.user.id)
        && row.payment_status != super::payment::REFUNDED
}

/// Like `find_visible`, then `403` when the caller may only look.
pub async fn find_editable(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    id: i64,
) -> Result<deal::Model, ApiError> {
    let row = find_visible(conn, caller, id).await?;
    if row.payment_status == super::payment::REFUNDED {
        return Err(ApiError::Conflict {
            code: "deal_refunded",
            message: format!("Hợp đồng {} đã hoàn tiền nên không sửa được", row.code),
            field: None,
        });
    }
    if editable(caller, &row) {
        Ok(row)
    } else {
        Err(ApiError::Forbidden)
    }
}
