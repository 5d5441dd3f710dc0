//! The dispatcher: sends due deliveries through their channels. A delivery is claimed
//! by one conditional update (`WHERE id = ? AND status = 'pending' AND next_attempt_at
//! <= now`) that also counts the attempt and pushes `next_attempt_at` a lease ahead, so
//! two workers never send the same row, and a worker that dies mid-send leaves it to be
//! retried once the lease ends. A failure waits 1 s, 2 s, 4 s, 8 s (app clock) before
//! the next attempt; the fifth failure marks the delivery failed and tells every holder
//! of `notifications.manage` in-app.

use std::{collections::HashMap, sync::Arc};

use api_types::{CHANNELS, label, permissions::NOTIFICATIONS_MANAGE};
use chrono::{DateTime, Duration, Utc};
use entities::{contact, notification_delivery as delivery, notification_rule, user};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::{
    channels::{ChannelError, Channels, Outgoing, in_app},
    template,
};
use crate::{clock::SharedClock, contacts::vault::Vault, db, events::Feed, permissions};

/// Deliveries claimed per run.
pub const BATCH: u64 = 100;
/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i32 = 5;
/// How long a claim holds a delivery; a send never takes this long (see `SEND_TIMEOUT`).
const LEASE: Duration = Duration::seconds(60);
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The wait after the `attempt`-th failure: 1 s, 2 s, 4 s, 8 s.
pub fn backoff(attempt: i32) -> Duration {
    let exponent = u32::try_from(attempt.clamp(1, 16) - 1).unwrap_or(0);
    Duration::seconds(1_i64 << exponent)
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Dispatched {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
    /// The earliest time a pending delivery is due after this run.
    pub next_due: Option<DateTime<Utc>>,
    /// A full batch was claimed: more may be due now.
    pub full: bool,
}

pub struct Dispatcher {
    db: DatabaseConnection,
    clock: SharedClock,
    feed: Arc<Feed>,
    vault: Arc<Vault>,
    channels: Channels,
}

impl Dispatcher {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        feed: Arc<Feed>,
        vault: Arc<Vault>,
        channels: Channels,
    ) -> Self {
        Self {
            db,
            clock,
            feed,
            vault,
            channels,
        }
    }

    pub async fn run_once(&self) -> Result<Dispatched, DbErr> {
        let now = self.clock.now();
        let due = delivery::Entity::find()
            .filter(delivery::Column::Status.eq(delivery::STATUS_PENDING))
            .filter(delivery::Column::NextAttemptAt.lte(now))
            .order_by_asc(delivery::Column::NextAttemptAt)
            .order_by_asc(delivery::Column::Id)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let mut done = Dispatched {
            full: due.len() as u64 == BATCH,
            ..Dispatched::default()
        };
        let names = self.names(&due).await?;
        for row in due {
            let Some(claimed) = self.claim(row, now).await? else {
                continue;
            };
            let name = claimed.contact_id.and_then(|id| names.get(&id).cloned());
            let result = self.send(&claimed, name).await;
            // Outcomes are timed when they happen, not when the batch began.
            let now = self.clock.now();
            match result {
                Ok(()) => {
                    self.finish(&claimed, delivery::STATUS_SENT, now, None)
                        .await?;
                    done.sent += 1;
                }
                Err(err) if claimed.attempts >= MAX_ATTEMPTS => {
                    tracing::warn!(delivery_id = claimed.id, %err, "notification delivery failed for good");
                    self.give_up(&claimed, &err.to_string(), now).await?;
                    done.failed += 1;
                }
                Err(err) => {
                    tracing::info!(delivery_id = claimed.id, attempt = claimed.attempts, %err, "notification delivery will be retried");
                    let at = now + backoff(claimed.attempts);
                    self.finish(
                        &claimed,
                        delivery::STATUS_PENDING,
                        at,
                        Some(err.to_string()),
                    )
                    .await?;
                    done.retrying += 1;
                }
            }
        }
        done.next_due = delivery::Entity::find()
            .filter(delivery::Column::Status.eq(delivery::STATUS_PENDING))
            .order_by_asc(delivery::Column::NextAttemptAt)
            .one(&self.db)
            .await?
            .map(|d| d.next_attempt_at);
        Ok(done)
    }

    /// The contacts' names for this batch, opened in memory.
    async fn names(&self, due: &[delivery::Model]) -> Result<HashMap<i64, String>, DbErr> {
        let ids: Vec<i64> = due.iter().filter_map(|d| d.contact_id).collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let keys = self.vault.keys_for(&self.db, &ids).await?;
        let rows = contact::Entity::find()
            .filter(contact::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        Ok(rows
            .iter()
            .map(|row| (row.id, self.vault.open(keys.get(&row.id), row).full_name))
            .collect())
    }

    /// Takes the delivery for this worker, counting the attempt; `None` if another
    /// worker got it first.
    async fn claim(
        &self,
        row: delivery::Model,
        now: DateTime<Utc>,
    ) -> Result<Option<delivery::Model>, DbErr> {
        let taken = delivery::Entity::update_many()
            .col_expr(
                delivery::Column::Attempts,
                Expr::col(delivery::Column::Attempts).add(1),
            )
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(now + LEASE))
            .filter(delivery::Column::Id.eq(row.id))
            .filter(delivery::Column::Status.eq(delivery::STATUS_PENDING))
            .filter(delivery::Column::Attempts.eq(row.attempts))
            .filter(delivery::Column::NextAttemptAt.lte(now))
            .exec(&self.db)
            .await?
            .rows_affected;
        Ok((taken == 1).then(|| delivery::Model {
            attempts: row.attempts + 1,
            ..row
        }))
    }

    async fn send(
        &self,
        claimed: &delivery::Model,
        name: Option<String>,
    ) -> Result<(), ChannelError> {
        let Some(channel) = self.channels.get(&claimed.channel) else {
            return Err(ChannelError::Unavailable(format!(
                "Kênh \"{}\" chưa được hỗ trợ",
                claimed.channel
            )));
        };
        let name = name.unwrap_or_else(|| crate::contacts::vault::ERASED.to_owned());
        let outgoing = Outgoing {
            title: template::resolve_name(&claimed.title, &name),
            body: template::resolve_name(&claimed.body, &name),
            delivery: claimed.clone(),
        };
        match tokio::time::timeout(SEND_TIMEOUT, channel.send(&outgoing)).await {
            Ok(result) => result,
            Err(_) => Err(ChannelError::Unavailable(
                "Kênh gửi không trả lời trong 30 giây".into(),
            )),
        }
    }

    /// Records the outcome of this worker's attempt (only while the row is still the
    /// one it claimed).
    async fn finish(
        &self,
        claimed: &delivery::Model,
        status: &str,
        at: DateTime<Utc>,
        error: Option<String>,
    ) -> Result<(), DbErr> {
        let mut update = delivery::Entity::update_many()
            .col_expr(delivery::Column::Status, Expr::value(status))
            .col_expr(delivery::Column::LastError, Expr::value(error))
            .filter(mine(claimed));
        update = if status == delivery::STATUS_SENT {
            update.col_expr(delivery::Column::SentAt, Expr::value(Some(at)))
        } else {
            update.col_expr(delivery::Column::NextAttemptAt, Expr::value(at))
        };
        update.exec(&self.db).await?;
        Ok(())
    }

    /// Marks the delivery failed and tells the notification admins, in one transaction.
    async fn give_up(
        &self,
        claimed: &delivery::Model,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let tx = db::begin_write(&self.db).await?;
        let marked = delivery::Entity::update_many()
            .col_expr(
                delivery::Column::Status,
                Expr::value(delivery::STATUS_FAILED),
            )
            .col_expr(delivery::Column::LastError, Expr::value(error))
            .filter(mine(claimed))
            .exec(&tx)
            .await?
            .rows_affected;
        if marked == 0 {
            return Ok(());
        }
        let rule = notification_rule::Entity::find_by_id(claimed.rule_id)
            .one(&tx)
            .await?;
        let recipient = user::Entity::find_by_id(claimed.recipient_id)
            .one(&tx)
            .await?;
        let title = "Gửi thông báo thất bại".to_owned();
        let body = format!(
            "Thông báo #{} (quy tắc \"{}\") gửi tới {} qua kênh {} đã thất bại {} lần: {error}",
            claimed.id,
            rule.map_or_else(|| "đã xoá".to_owned(), |r| r.name),
            recipient.map_or_else(|| "nhân viên đã xoá".to_owned(), |u| u.full_name),
            label(CHANNELS, &claimed.channel),
            claimed.attempts,
        );
        let link = format!("/notification-deliveries?status=failed&id={}", claimed.id);
        let admins = permissions::holders(&tx, NOTIFICATIONS_MANAGE).await?;
        let active: Vec<i64> = user::Entity::find()
            .filter(user::Column::Id.is_in(admins))
            .filter(user::Column::Status.eq(user::STATUS_ACTIVE))
            .all(&tx)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        let mut events = Vec::with_capacity(active.len());
        for admin in active {
            let entry = in_app::Entry {
                user_id: admin,
                delivery_id: None,
                contact_id: None,
                stored_title: &title,
                stored_body: &body,
                title: &title,
                body: &body,
                link: Some(&link),
            };
            events.extend(in_app::write(&tx, entry, None, now).await?);
        }
        self.feed.commit(tx, events).await
    }
}

/// The row as this worker claimed it: a retry or a stale worker cannot overwrite it.
fn mine(claimed: &delivery::Model) -> Condition {
    Condition::all()
        .add(delivery::Column::Id.eq(claimed.id))
        .add(delivery::Column::Status.eq(delivery::STATUS_PENDING))
        .add(delivery::Column::Attempts.eq(claimed.attempts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_from_one_second() {
        let waits: Vec<i64> = (1..MAX_ATTEMPTS)
            .map(|a| backoff(a).num_seconds())
            .collect();
        assert_eq!(waits, vec![1, 2, 4, 8]);
    }
}
