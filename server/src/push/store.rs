//! Users' push subscriptions, sealed at rest. The endpoint URL and its keys name one
//! browser of one person, so they are personal data: sealed with AES-256-GCM under a
//! key derived from the master key and bound to the owner's id; rows are found by a
//! keyed hash of the endpoint.

use chrono::{DateTime, Utc};
use entities::push_subscription as row;
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::{
    crypto::{self, CryptoError},
    keys::Keys,
};

const SEAL_PURPOSE: &str = "web-push/v1";
const INDEX_PURPOSE: &str = "web-push-index/v1";

/// What the server needs to push to one browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

pub struct SubscriptionBox {
    seal_key: [u8; 32],
    index_key: [u8; 32],
}

impl SubscriptionBox {
    pub fn new(keys: &Keys) -> Self {
        Self {
            seal_key: *keys.derive(SEAL_PURPOSE).expose_secret(),
            index_key: *keys.derive(INDEX_PURPOSE).expose_secret(),
        }
    }

    pub fn index(&self, endpoint: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.index_key) else {
            unreachable!("HMAC takes any key length");
        };
        mac.update(endpoint.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn seal(&self, user_id: i64, subscription: &Subscription) -> String {
        // Serialising three strings cannot fail.
        let json = serde_json::to_vec(subscription).unwrap_or_default();
        crypto::seal(&self.seal_key, &json, &aad(user_id))
    }

    pub fn open(&self, user_id: i64, sealed: &str) -> Result<Subscription, CryptoError> {
        let raw = crypto::open(&self.seal_key, sealed, &aad(user_id))?;
        serde_json::from_slice(&raw).map_err(|_| CryptoError::Malformed)
    }
}

/// Bound to the owner: a sealed subscription copied onto another user's row no longer
/// opens.
fn aad(user_id: i64) -> Vec<u8> {
    format!("push-subscription/user/{user_id}").into_bytes()
}

/// Stores the browser's subscription for `user_id`. The same browser subscribing again
/// (or another person signing in on it) replaces its row: one browser, one owner.
pub async fn save(
    conn: &impl ConnectionTrait,
    sealer: &SubscriptionBox,
    user_id: i64,
    subscription: &Subscription,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let new = row::ActiveModel {
        user_id: Set(user_id),
        endpoint_index: Set(sealer.index(&subscription.endpoint)),
        subscription_sealed: Set(sealer.seal(user_id, subscription)),
        created_at: Set(now),
        last_success_at: Set(None),
        ..Default::default()
    };
    row::Entity::insert(new)
        .on_conflict(
            OnConflict::column(row::Column::EndpointIndex)
                .update_columns([
                    row::Column::UserId,
                    row::Column::SubscriptionSealed,
                    row::Column::CreatedAt,
                    row::Column::LastSuccessAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Forgets `user_id`'s subscription of this endpoint; the id of the row removed.
pub async fn remove(
    conn: &impl ConnectionTrait,
    sealer: &SubscriptionBox,
    user_id: i64,
    endpoint: &str,
) -> Result<Option<i64>, DbErr> {
    let found = row::Entity::find()
        .filter(row::Column::EndpointIndex.eq(sealer.index(endpoint)))
        .filter(row::Column::UserId.eq(user_id))
        .one(conn)
        .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    row::Entity::delete_by_id(found.id).exec(conn).await?;
    Ok(Some(found.id))
}

/// Every subscription of `user_id`, opened; rows that no longer open are skipped and
/// logged (they cannot be pushed to anyway).
pub async fn for_user(
    conn: &impl ConnectionTrait,
    sealer: &SubscriptionBox,
    user_id: i64,
) -> Result<Vec<(i64, Subscription)>, DbErr> {
    let rows = row::Entity::find()
        .filter(row::Column::UserId.eq(user_id))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| match sealer.open(user_id, &r.subscription_sealed) {
            Ok(sub) => Some((r.id, sub)),
            Err(err) => {
                tracing::warn!(subscription_id = r.id, %err, "unreadable push subscription");
                None
            }
        })
        .collect())
}

pub async fn delete(conn: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    row::Entity::delete_by_id(id).exec(conn).await?;
    Ok(())
}

pub async fn mark_success(
    conn: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    row::Entity::update_many()
        .col_expr(
            row::Column::LastSuccessAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(row::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Re-seals and re-indexes every subscription under a new master key
/// (`ankhang rotate-key`), so no browser has to subscribe again.
pub async fn reseal_all(
    conn: &impl ConnectionTrait,
    old: &Keys,
    new: &Keys,
) -> anyhow::Result<usize> {
    let (old, new) = (SubscriptionBox::new(old), SubscriptionBox::new(new));
    let rows = row::Entity::find().all(conn).await?;
    for r in &rows {
        let sub = old.open(r.user_id, &r.subscription_sealed).map_err(|err| {
            anyhow::anyhow!(
                "đăng ký thông báo trình duyệt #{} không mở được bằng khoá chính hiện tại: {err}",
                r.id
            )
        })?;
        row::Entity::update(row::ActiveModel {
            id: Set(r.id),
            endpoint_index: Set(new.index(&sub.endpoint)),
            subscription_sealed: Set(new.seal(r.user_id, &sub)),
            ..Default::default()
        })
        .exec(conn)
        .await?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_subscription_hides_the_endpoint_and_opens_only_for_its_owner() {
        let (keys, _) = Keys::generate();
        let sealer = SubscriptionBox::new(&keys);
        let sub = Subscription {
            endpoint: "https://fcm.googleapis.com/fcm/send/abc".into(),
            p256dh: "BKey".into(),
            auth: "secret".into(),
        };
        let sealed = sealer.seal(7, &sub);
        assert!(!sealed.contains("fcm"));
        assert_eq!(sealer.open(7, &sealed).expect("open"), sub);
        assert!(sealer.open(8, &sealed).is_err());
        assert_eq!(sealer.index(&sub.endpoint), sealer.index(&sub.endpoint));
        assert!(!sealer.index(&sub.endpoint).contains("fcm"));
    }
}
