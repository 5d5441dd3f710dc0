//! Server-side sessions: created at login, slid forward on use, deleted at logout.

use chrono::{DateTime, Duration, Utc};
use entities::{session, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

use super::{session_cache::SessionCache, token};
use crate::{error::ApiError, http::client_meta::ClientMeta};

pub const COOKIE_NAME: &str = "ankhang_session";
/// AUTH-006: a session dies after 3 days without activity.
pub const IDLE_WINDOW: Duration = Duration::days(3);
/// AUTH-002: "remember me" keeps the session for 30 days.
pub const REMEMBER_WINDOW: Duration = Duration::days(30);
/// Writing `last_seen_at` on every request would turn reads into writes.
pub const SLIDE_GRANULARITY: Duration = Duration::seconds(60);

pub fn window(remember: bool) -> Duration {
    if remember {
        REMEMBER_WINDOW
    } else {
        IDLE_WINDOW
    }
}

pub struct NewSession {
    /// The only copy of the secret: handed to the client, never stored.
    pub token: String,
    pub session: session::Model,
}

pub async fn create(
    conn: &impl ConnectionTrait,
    user_id: i64,
    remember: bool,
    now: DateTime<Utc>,
    meta: &ClientMeta,
) -> Result<NewSession, DbErr> {
    let token = token::generate();
    let session = session::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token::digest(&token)),
        remember: Set(remember),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + window(remember)),
        ip: Set(meta.ip.clone()),
        user_agent: Set(meta.user_agent.clone()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(NewSession { token, session })
}

/// Finds the live session and its active user for a presented token (from `cache` when
/// it knows them), sliding the idle window forward.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    cache: &SessionCache,
    presented: &str,
    now: DateTime<Utc>,
) -> Result<(session::Model, user::Model), ApiError> {
    let digest = token::digest(presented);
    if let Some(known) = cache.get(&digest, now) {
        return Ok(known);
    }
    let generation = cache.generation();
    // One query for both: this runs before every authenticated request.
    let found = session::Entity::find()
        .filter(session::Column::TokenHash.eq(digest.as_str()))
        .find_also_related(user::Entity)
        .one(conn)
        .await?;
    let Some((mut found, owner)) = found else {
        return Err(ApiError::unauthenticated());
    };
    if found.expires_at <= now {
        session::Entity::delete_by_id(found.id).exec(conn).await?;
        return Err(ApiError::Unauthorized {
            code: "session_expired",
            message: "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại".into(),
        });
    }
    let Some(owner) = owner.filter(user::Model::is_active) else {
        revoke_all(conn, found.user_id, None).await?;
        return Err(ApiError::Unauthorized {
            code: "account_locked",
            message: "Tài khoản đã bị khoá. Vui lòng liên hệ quản trị viên".into(),
        });
    };
    if now - found.last_seen_at >= SLIDE_GRANULARITY {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, now.into())
            .col_expr(
                session::Column::ExpiresAt,
                (now + window(found.remember)).into(),
            )
            .filter(session::Column::Id.eq(found.id))
            .exec(conn)
            .await?;
        found.last_seen_at = now;
        found.expires_at = now + window(found.remember);
    }
    cache.put(digest, found.clone(), owner.clone(), generation);
    Ok((found, owner))
}

/// Deletes every session of a user, optionally keeping one (the caller's own), and
/// returns the ids it ended so their sockets can be closed after commit.
pub async fn revoke_all(
    conn: &impl ConnectionTrait,
    user_id: i64,
    except: Option<i64>,
) -> Result<Vec<i64>, DbErr> {
    let ended: Vec<i64> = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .filter(|id| Some(*id) != except)
        .collect();
    session::Entity::delete_many()
        .filter(session::Column::Id.is_in(ended.clone()))
        .exec(conn)
        .await?;
    Ok(ended)
}
