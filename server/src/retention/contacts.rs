//! Contacts past their period are anonymised exactly as an admin's request would do
//! it (data key destroyed, personal fields and files erased, deals' amounts kept):
//! failed or closed contacts untouched for 2 years, and contacts whose won deals are
//! older than the 10 years accounting law keeps them for.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use entities::{contact, contact_interaction, contact_key, deal};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::RetentionError;
use crate::{
    attachments,
    contacts::{anonymize::erase, status::Status},
    db,
    http::client_meta::ClientMeta,
    state::AppState,
};

/// Contacts anonymised per transaction (each rebuilds the live replay ring once).
const BATCH: u64 = 100;

/// Failed/closed contacts with no change and no interaction since `cutoff`.
pub async fn anonymize_inactive(
    state: &AppState,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, RetentionError> {
    let statuses = [Status::Failed.code(), Status::Closed.code()];
    sweep(
        state,
        &statuses,
        cutoff,
        now,
        "retention: inactive_contact",
        |ids| async move {
            contact_interaction::Entity::find()
                .select_only()
                .column(contact_interaction::Column::ContactId)
                .filter(contact_interaction::Column::ContactId.is_in(ids))
                .filter(contact_interaction::Column::CreatedAt.gte(cutoff))
                .into_tuple()
                .all(&state.db)
                .await
        },
    )
    .await
}

/// Won contacts whose newest deal closed before `cutoff`.
pub async fn anonymize_old_won(
    state: &AppState,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, RetentionError> {
    let cutoff_day: NaiveDate = crate::domain::today_in_vietnam(cutoff);
    let statuses = [Status::Won.code()];
    sweep(
        state,
        &statuses,
        cutoff,
        now,
        "retention: won_deal_period",
        |ids| async move {
            deal::Entity::find()
                .select_only()
                .column(deal::Column::ContactId)
                .filter(deal::Column::ContactId.is_in(ids))
                .filter(deal::Column::ClosedOn.gte(cutoff_day))
                .into_tuple()
                .all(&state.db)
                .await
        },
    )
    .await
}

/// Contacts in `statuses` unchanged since `cutoff`, page by page, less those `recent`
/// names (still active by another measure), anonymised with `reason`.
async fn sweep<F, Fut>(
    state: &AppState,
    statuses: &[&str],
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
    reason: &str,
    recent: F,
) -> Result<u64, RetentionError>
where
    F: Fn(Vec<i64>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<i64>, sea_orm::DbErr>>,
{
    let mut done = 0;
    let mut after = 0;
    loop {
        let candidates: Vec<i64> = contact::Entity::find()
            .select_only()
            .column(contact::Column::Id)
            .filter(contact::Column::Id.gt(after))
            .filter(contact::Column::Status.is_in(statuses.iter().copied()))
            .filter(contact::Column::UpdatedAt.lt(cutoff))
            .order_by_asc(contact::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(&state.db)
            .await?;
        let Some(&last) = candidates.last() else {
            break;
        };
        after = last;
        let active: HashSet<i64> = recent(candidates.clone()).await?.into_iter().collect();
        let ids: Vec<i64> = candidates
            .into_iter()
            .filter(|id| !active.contains(id))
            .collect();
        done += anonymize(state, ids, now, reason).await?;
    }
    Ok(done)
}

/// Anonymises those of `ids` that still have a data key, in one transaction.
async fn anonymize(
    state: &AppState,
    ids: Vec<i64>,
    now: DateTime<Utc>,
    reason: &str,
) -> Result<u64, RetentionError> {
    let keyed: Vec<i64> = contact_key::Entity::find()
        .select_only()
        .column(contact_key::Column::ContactId)
        .filter(contact_key::Column::ContactId.is_in(ids))
        .into_tuple()
        .all(&state.db)
        .await?;
    if keyed.is_empty() {
        return Ok(0);
    }
    let meta = ClientMeta {
        ip: None,
        user_agent: Some("retention".into()),
    };
    let tx = db::begin_write(&state.db).await?;
    let mut files = Vec::new();
    for &id in &keyed {
        files.extend(
            erase(&tx, id, now, None, &meta, Some(reason))
                .await
                .map_err(RetentionError::from_api)?,
        );
    }
    state
        .live
        .feed
        .commit_and_reload(tx, &state.db, &state.vault)
        .await?;
    attachments::store::shred_all(&state.config.data_dir, &files).await;
    Ok(keyed.len() as u64)
}
