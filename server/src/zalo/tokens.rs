//! The OA's tokens: sealed at rest, refreshed before they expire, rotated atomically.
//!
//! Several workers (in several processes) may find the access token about to expire at
//! once. Only the one whose conditional update sets `refreshing_until` (`WHERE version
//! = seen AND refreshing_until is free`) calls Zalo; the others wait until `version`
//! moves on and use the new pair. The new pair, the bumped version and the audit entry
//! are written in one transaction, still `WHERE version = seen`. A refresh Zalo refuses
//! (revoked, expired) marks the connection `needs_reconnect` and alerts the admins:
//! nothing is sent (or retried against Zalo) until an admin connects again.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use entities::zalo_connection as connection;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    Zalo, ZaloError,
    oauth::{OauthError, TokenPair},
};
use crate::{
    audit::{self, AuditEntry},
    crypto::{self, CryptoError},
    db,
    http::client_meta::ClientMeta,
    keys::Keys,
    notifications::channels::in_app,
};

const SEAL_PURPOSE: &str = "zalo-tokens/v1";
/// Refresh when less than this is left on the access token.
pub const REFRESH_MARGIN: Duration = Duration::minutes(5);
/// How long one worker holds the right to refresh (a refresh never takes this long).
const REFRESH_LEASE: Duration = Duration::seconds(30);
/// How long a worker waits for another's refresh before giving up this attempt.
const REFRESH_WAIT: StdDuration = StdDuration::from_secs(20);

/// The sealed pair.
#[derive(Serialize, Deserialize)]
struct Sealed {
    access_token: String,
    refresh_token: String,
}

pub struct TokenBox {
    key: [u8; 32],
}

impl TokenBox {
    pub fn new(keys: &Keys) -> Self {
        Self {
            key: *keys.derive(SEAL_PURPOSE).expose_secret(),
        }
    }

    fn seal(&self, pair: &TokenPair) -> String {
        let json = serde_json::to_vec(&Sealed {
            access_token: pair.access_token.expose_secret().to_owned(),
            refresh_token: pair.refresh_token.expose_secret().to_owned(),
        })
        .unwrap_or_default();
        crypto::seal(&self.key, &json, AAD)
    }

    fn open(&self, sealed: &str) -> Result<(SecretString, SecretString), CryptoError> {
        let raw = crypto::open(&self.key, sealed, AAD)?;
        let pair: Sealed = serde_json::from_slice(&raw).map_err(|_| CryptoError::Malformed)?;
        Ok((pair.access_token.into(), pair.refresh_token.into()))
    }
}

const AAD: &[u8] = b"zalo-connection/1";

/// An access token and the rotation it belongs to.
pub struct Access {
    pub token: SecretString,
    pub version: i32,
}

/// Audit entries of the background (no signed-in actor).
fn system_meta() -> ClientMeta {
    ClientMeta {
        ip: None,
        user_agent: Some("ankhang-zalo".into()),
    }
}

pub async fn load(conn: &impl ConnectionTrait) -> Result<Option<connection::Model>, DbErr> {
    connection::Entity::find_by_id(connection::ID)
        .one(conn)
        .await
}

/// Saves a freshly granted pair as the connection (replacing any earlier one).
pub async fn save_connected(
    conn: &impl ConnectionTrait,
    sealer: &TokenBox,
    pair: &TokenPair,
    oa_name: Option<String>,
    scopes: &[&str],
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let version = load(conn).await?.map_or(1, |row| row.version + 1);
    let row = connection::ActiveModel {
        id: Set(connection::ID),
        status: Set(connection::STATUS_CONNECTED.into()),
        oa_name: Set(oa_name),
        scopes: Set(serde_json::to_string(scopes).unwrap_or_default()),
        tokens_sealed: Set(sealer.seal(pair)),
        access_expires_at: Set(now + Duration::seconds(pair.expires_in_secs)),
        version: Set(version),
        refreshing_until: Set(None),
        connected_by: Set(Some(by)),
        connected_at: Set(now),
        updated_at: Set(now),
    };
    connection::Entity::insert(row)
        .on_conflict(
            OnConflict::column(connection::Column::Id)
                .update_columns([
                    connection::Column::Status,
                    connection::Column::OaName,
                    connection::Column::Scopes,
                    connection::Column::TokensSealed,
                    connection::Column::AccessExpiresAt,
                    connection::Column::Version,
                    connection::Column::RefreshingUntil,
                    connection::Column::ConnectedBy,
                    connection::Column::ConnectedAt,
                    connection::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(conn)
        .await?;
    Ok(())
}

impl Zalo {
    /// A usable access token, refreshed first when it is about to expire.
    pub async fn access_token(&self) -> Result<Access, ZaloError> {
        let row = self.connected().await?;
        if row.access_expires_at - self.clock.now() > REFRESH_MARGIN {
            return self.access_of(&row);
        }
        self.refresh(row.version).await
    }

    /// The token after the pair of rotation `seen` (Zalo refused it, or it expires):
    /// refreshed by this worker, or by another one meanwhile.
    pub async fn refresh(&self, seen: i32) -> Result<Access, ZaloError> {
        let deadline = Instant::now() + REFRESH_WAIT;
        loop {
            let row = self.connected().await?;
            if row.version != seen {
                return self.access_of(&row);
            }
            let now = self.clock.now();
            let claimed = connection::Entity::update_many()
                .col_expr(
                    connection::Column::RefreshingUntil,
                    Expr::value(Some(now + REFRESH_LEASE)),
                )
                .filter(connection::Column::Id.eq(connection::ID))
                .filter(connection::Column::Version.eq(seen))
                .filter(connection::Column::Status.eq(connection::STATUS_CONNECTED))
                .filter(
                    Condition::any()
                        .add(connection::Column::RefreshingUntil.is_null())
                        .add(connection::Column::RefreshingUntil.lte(now)),
                )
                .exec(&self.db)
                .await?
                .rows_affected;
            if claimed == 1 {
                return self.rotate(&row).await;
            }
            if Instant::now() >= deadline {
                return Err(ZaloError::Unavailable(
                    "Đang chờ làm mới token Zalo quá lâu".into(),
                ));
            }
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
    }

    /// Calls Zalo's refresh endpoint (this worker holds the claim) and stores the result.
    async fn rotate(&self, row: &connection::Model) -> Result<Access, ZaloError> {
        let (_, refresh_token) = self.sealer.open(&row.tokens_sealed)?;
        let result = self.oauth.refresh(&refresh_token).await;
        let now = self.clock.now();
        let mine = Condition::all()
            .add(connection::Column::Id.eq(connection::ID))
            .add(connection::Column::Version.eq(row.version));
        match result {
            Ok(pair) => {
                let tx = db::begin_write(&self.db).await?;
                let stored = connection::Entity::update_many()
                    .col_expr(
                        connection::Column::TokensSealed,
                        Expr::value(self.sealer.seal(&pair)),
                    )
                    .col_expr(
                        connection::Column::AccessExpiresAt,
                        Expr::value(now + Duration::seconds(pair.expires_in_secs)),
                    )
                    .col_expr(connection::Column::Version, Expr::value(row.version + 1))
                    .col_expr(
                        connection::Column::RefreshingUntil,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .col_expr(connection::Column::UpdatedAt, Expr::value(now))
                    .filter(mine)
                    .exec(&tx)
                    .await?
                    .rows_affected;
                if stored == 0 {
                    // Disconnected or replaced meanwhile: this pair belongs to nobody.
                    return Err(ZaloError::NotConnected);
                }
                self.audit(&tx, "zalo.token_refreshed", row.version + 1, None, now)
                    .await?;
                tx.commit().await?;
                Ok(Access {
                    token: pair.access_token,
                    version: row.version + 1,
                })
            }
            Err(OauthError::Refused(why)) => {
                self.needs_reconnect(row.version, &why, now).await?;
                Err(ZaloError::NeedsReconnect)
            }
            Err(err) => {
                connection::Entity::update_many()
                    .col_expr(
                        connection::Column::RefreshingUntil,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .filter(mine)
                    .exec(&self.db)
                    .await?;
                Err(ZaloError::Unavailable(err.to_string()))
            }
        }
    }

    /// Zalo refused the refresh token: stop using it and tell the admins how to
    /// reconnect, in one transaction.
    async fn needs_reconnect(
        &self,
        version: i32,
        why: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let tx = db::begin_write(&self.db).await?;
        let marked = connection::Entity::update_many()
            .col_expr(
                connection::Column::Status,
                Expr::value(connection::STATUS_NEEDS_RECONNECT),
            )
            .col_expr(
                connection::Column::RefreshingUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(connection::Column::UpdatedAt, Expr::value(now))
            .filter(connection::Column::Id.eq(connection::ID))
            .filter(connection::Column::Version.eq(version))
            .exec(&tx)
            .await?
            .rows_affected;
        if marked == 0 {
            return Ok(());
        }
        self.audit(&tx, "zalo.refresh_failed", version, Some(why), now)
            .await?;
        let title = "Zalo OA cần kết nối lại";
        let body = format!(
            "Zalo từ chối làm mới quyền truy cập ({why}). Tin nhắn Zalo đã tạm dừng. \
             Để khôi phục: vào trang Zalo OA, đọc lại nội dung xin quyền và bấm \
             \"Kết nối lại Zalo OA\", rồi đăng nhập bằng tài khoản quản trị OA."
        );
        let events = in_app::alert_holders(
            &tx,
            api_types::permissions::CHANNELS_MANAGE,
            title,
            &body,
            "/zalo",
            now,
        )
        .await?;
        self.feed.commit(tx, events).await
    }

    async fn audit(
        &self,
        conn: &impl ConnectionTrait,
        action: &str,
        version: i32,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        audit::record(
            conn,
            now,
            AuditEntry {
                actor: None,
                action,
                target: Some(("zalo_connection", connection::ID.to_string())),
                before: None,
                after: Some(json!({ "version": version, "error": error })),
                meta: &system_meta(),
            },
        )
        .await
    }

    async fn connected(&self) -> Result<connection::Model, ZaloError> {
        match load(&self.db).await? {
            Some(row) if row.status == connection::STATUS_CONNECTED => Ok(row),
            Some(_) => Err(ZaloError::NeedsReconnect),
            None => Err(ZaloError::NotConnected),
        }
    }

    fn access_of(&self, row: &connection::Model) -> Result<Access, ZaloError> {
        let (token, _) = self.sealer.open(&row.tokens_sealed)?;
        Ok(Access {
            token,
            version: row.version,
        })
    }
}

/// `ankhang rotate-key`: the stored pair sealed anew under the new master key, in the
/// rotation's transaction. OAuth attempts in progress are dropped (their verifier was
/// sealed under the old key): the admin presses connect again.
pub async fn reseal(
    conn: &impl ConnectionTrait,
    old: &Keys,
    new: &Keys,
) -> Result<usize, ZaloError> {
    entities::zalo_oauth_state::Entity::delete_many()
        .exec(conn)
        .await?;
    let Some(row) = load(conn).await? else {
        return Ok(0);
    };
    let (access_token, refresh_token) = TokenBox::new(old).open(&row.tokens_sealed)?;
    let pair = TokenPair {
        access_token,
        refresh_token,
        expires_in_secs: 0,
    };
    connection::Entity::update_many()
        .col_expr(
            connection::Column::TokensSealed,
            Expr::value(TokenBox::new(new).seal(&pair)),
        )
        .filter(connection::Column::Id.eq(connection::ID))
        .exec(conn)
        .await?;
    Ok(1)
}
