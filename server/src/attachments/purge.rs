//! Attachments removed in bulk: all of a contact's when it is anonymised, and those
//! past their retention period.

use std::path::Path;

use chrono::{DateTime, Utc};
use entities::attachment;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::store;
use crate::db;

/// Deletes the rows of every file of a contact, its deals' included, inside the
/// caller's transaction. Returns the storage names to [`store::shred_all`] once it
/// has committed (a rolled-back transaction must still find its files).
pub async fn delete_for_contact(
    tx: &impl ConnectionTrait,
    contact_id: i64,
) -> Result<Vec<String>, DbErr> {
    let names: Vec<String> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::StorageName)
        .filter(attachment::Column::ContactId.eq(contact_id))
        .into_tuple()
        .all(tx)
        .await?;
    attachment::Entity::delete_many()
        .filter(attachment::Column::ContactId.eq(contact_id))
        .exec(tx)
        .await?;
    Ok(names)
}

/// Rows deleted per transaction, so a large purge never holds the writer for long.
const BATCH: u64 = 500;

/// Securely deletes every attachment uploaded before `cutoff` (retention: uploaded
/// files are kept 5 years by default) and returns how many went. The caller — the
/// retention job — audits the run with its own clock and the returned count.
pub async fn purge_uploaded_before(
    db: &DatabaseConnection,
    data_dir: &Path,
    cutoff: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut purged = 0;
    loop {
        let tx = db::begin_write(db).await?;
        let batch: Vec<(i64, String)> = attachment::Entity::find()
            .select_only()
            .column(attachment::Column::Id)
            .column(attachment::Column::StorageName)
            .filter(attachment::Column::CreatedAt.lt(cutoff))
            .order_by_asc(attachment::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(&tx)
            .await?;
        if batch.is_empty() {
            return Ok(purged);
        }
        let (ids, names): (Vec<i64>, Vec<String>) = batch.into_iter().unzip();
        let deleted = attachment::Entity::delete_many()
            .filter(attachment::Column::Id.is_in(ids))
            .exec(&tx)
            .await?;
        tx.commit().await?;
        store::shred_all(data_dir, &names).await;
        purged += deleted.rows_affected;
    }
}
