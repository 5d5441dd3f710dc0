//! System logs past their period (12 months by default): the event log behind the live
//! boards, notification deliveries and inbox entries, sign-in failures, sessions and
//! password-reset links that ended before the cut-off, the inbound message-id log, and
//! inbound messages from senders who never became a contact. None of them is evidence;
//! the audit trail is.

use chrono::{DateTime, Utc};
use entities::{
    event, inbound_message, inbound_pending, login_failure, notification, notification_delivery,
    password_reset, session,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::RetentionError;
use crate::db;

pub async fn purge_before(
    db: &DatabaseConnection,
    cutoff: DateTime<Utc>,
) -> Result<u64, RetentionError> {
    let tx = db::begin_write(db).await?;
    let mut deleted = 0;
    deleted += event::Entity::delete_many()
        .filter(event::Column::At.lt(cutoff))
        .exec(&tx)
        .await?
        .rows_affected;
    // Only finished deliveries: one still pending or failed is work an admin can see.
    deleted += notification_delivery::Entity::delete_many()
        .filter(notification_delivery::Column::CreatedAt.lt(cutoff))
        .filter(notification_delivery::Column::Status.is_in([
            notification_delivery::STATUS_SENT,
            notification_delivery::STATUS_FAILED,
            notification_delivery::STATUS_SKIPPED,
        ]))
        .exec(&tx)
        .await?
        .rows_affected;
    deleted += notification::Entity::delete_many()
        .filter(notification::Column::CreatedAt.lt(cutoff))
        .exec(&tx)
        .await?
        .rows_affected;
    deleted += login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(cutoff))
        .exec(&tx)
        .await?
        .rows_affected;
    deleted += session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(cutoff))
        .exec(&tx)
        .await?
        .rows_affected;
    deleted += password_reset::Entity::delete_many()
        .filter(password_reset::Column::ExpiresAt.lt(cutoff))
        .exec(&tx)
        .await?
        .rows_affected;
    // Pending messages first: they point at the message-id log.
    deleted += inbound_pending::Entity::delete_many()
        .filter(inbound_pending::Column::ReceivedAt.lt(cutoff))
        .exec(&tx)
        .await?
        .rows_affected;
    deleted += inbound_message::Entity::delete_many()
        .filter(inbound_message::Column::ReceivedAt.lt(cutoff))
        .exec(&tx)
        .await?
        .rows_affected;
    tx.commit().await?;
    Ok(deleted)
}
