//! The `user_two_factor` row: pending secret, activation, the replay guard.

use chrono::{DateTime, Utc};
use entities::user_two_factor as row;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter,
};

use super::{recovery, secret::SecretBox};
use crate::keys::Keys;

pub async fn find(conn: &impl ConnectionTrait, user_id: i64) -> Result<Option<row::Model>, DbErr> {
    row::Entity::find_by_id(user_id).one(conn).await
}

/// Whether the user signs in with a second factor.
pub async fn is_enabled(conn: &impl ConnectionTrait, user_id: i64) -> Result<bool, DbErr> {
    Ok(find(conn, user_id).await?.is_some_and(|r| r.is_enabled()))
}

/// Stores a fresh, not yet confirmed secret in place of any earlier pending one.
pub async fn save_pending(
    conn: &impl ConnectionTrait,
    user_id: i64,
    sealed: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    row::Entity::delete_many()
        .filter(row::Column::UserId.eq(user_id))
        .filter(row::Column::EnabledAt.is_null())
        .exec(conn)
        .await?;
    row::ActiveModel {
        user_id: Set(user_id),
        secret_sealed: Set(sealed),
        enabled_at: Set(None),
        last_used_step: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Activates the pending secret, recording the confirming code's step as used.
/// False when it was no longer pending (a concurrent confirmation won).
pub async fn activate(
    conn: &impl ConnectionTrait,
    user_id: i64,
    step: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = row::Entity::update_many()
        .col_expr(row::Column::EnabledAt, Some(now).into())
        .col_expr(row::Column::LastUsedStep, Some(step).into())
        .col_expr(row::Column::UpdatedAt, now.into())
        .filter(row::Column::UserId.eq(user_id))
        .filter(row::Column::EnabledAt.is_null())
        .exec(conn)
        .await?
        .rows_affected;
    Ok(updated == 1)
}

/// Takes `step` as used if it is newer than every step used before. The condition sits
/// in the UPDATE, so two servers checking the same code at once cannot both accept it.
pub async fn claim_step(
    conn: &impl ConnectionTrait,
    user_id: i64,
    step: i64,
) -> Result<bool, DbErr> {
    let updated = row::Entity::update_many()
        .col_expr(row::Column::LastUsedStep, Some(step).into())
        .filter(row::Column::UserId.eq(user_id))
        .filter(
            Condition::any()
                .add(row::Column::LastUsedStep.is_null())
                .add(row::Column::LastUsedStep.lt(step)),
        )
        .exec(conn)
        .await?
        .rows_affected;
    Ok(updated == 1)
}

/// Forgets the secret and the recovery codes; returns whether 2FA was on.
pub async fn remove(conn: &impl ConnectionTrait, user_id: i64) -> Result<bool, DbErr> {
    let was_enabled = is_enabled(conn, user_id).await?;
    row::Entity::delete_by_id(user_id).exec(conn).await?;
    recovery::remove_all(conn, user_id).await?;
    Ok(was_enabled)
}

/// Re-seals every secret under a new master key (`ankhang rotate-key`): secrets are
/// sealed straight under a key derived from the master key, so without this every
/// enrolled user would be locked out by a rotation.
pub async fn reseal_all(
    conn: &impl ConnectionTrait,
    old: &Keys,
    new: &Keys,
) -> anyhow::Result<usize> {
    let (old, new) = (SecretBox::new(old), SecretBox::new(new));
    let rows = row::Entity::find().all(conn).await?;
    for r in &rows {
        let raw = old.open(r.user_id, &r.secret_sealed).map_err(|err| {
            anyhow::anyhow!(
                "mã bí mật xác thực hai lớp của người dùng {} không mở được bằng khoá chính hiện tại: {err}",
                r.user_id
            )
        })?;
        row::Entity::update(row::ActiveModel {
            user_id: Set(r.user_id),
            secret_sealed: Set(new.seal(r.user_id, &raw)),
            ..Default::default()
        })
        .exec(conn)
        .await?;
    }
    Ok(rows.len())
}
