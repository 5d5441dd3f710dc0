//! Brute-force brake: at most 5 failed logins per minute per username and per IP.
//! Failures live in the database so every server process sees the same count.

use chrono::{DateTime, Duration, Utc};
use entities::login_failure;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::ApiError;

const WINDOW: Duration = Duration::seconds(60);
const MAX_FAILURES: u64 = 5;
/// Rows older than this are only clutter.
const KEEP: Duration = Duration::hours(1);

pub async fn check(
    conn: &impl ConnectionTrait,
    username: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let by_user = blocked_until(conn, login_failure::Column::Username, username, now).await?;
    let by_ip = blocked_until(conn, login_failure::Column::Ip, ip, now).await?;
    match by_user.max(by_ip) {
        Some(until) if until > now => {
            let secs = ((until - now).num_milliseconds() + 999) / 1000;
            Err(ApiError::TooManyAttempts {
                retry_after_secs: u64::try_from(secs).unwrap_or(60).max(1),
            })
        }
        _ => Ok(()),
    }
}

/// When the window frees up: the moment the 5th most recent failure ages out.
async fn blocked_until(
    conn: &impl ConnectionTrait,
    column: login_failure::Column,
    value: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let recent = login_failure::Entity::find()
        .filter(column.eq(value))
        .filter(login_failure::Column::At.gt(now - WINDOW))
        .order_by_desc(login_failure::Column::At)
        .limit(MAX_FAILURES)
        .all(conn)
        .await?;
    if (recent.len() as u64) < MAX_FAILURES {
        return Ok(None);
    }
    Ok(recent.last().map(|f| f.at + WINDOW))
}

pub async fn record_failure(
    conn: &impl ConnectionTrait,
    username: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    login_failure::ActiveModel {
        username: Set(username.to_owned()),
        ip: Set(ip.to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(now - KEEP))
        .exec(conn)
        .await?;
    Ok(())
}
