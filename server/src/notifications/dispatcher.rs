//! The dispatcher: sends due deliveries through their channels. A delivery is claimed
//! by one conditional update (`WHERE id = ? AND status = 'pending' AND next_attempt_at
//! <= now`) that also counts the attempt and pushes `next_attempt_at` a lease ahead, so
//! two workers never send the same row, and a worker that dies mid-send leaves it to be
//! retried once the lease ends. A failure waits 1 s, 2 s, 4 s, 8 s (app clock) before
//! the next attempt; the fifth failure (or a refusal that can never succeed) marks the
//! delivery failed and tells every holder of `notifications.manage` in-app. Channels
//! run side by side, each through its own rows, so one that is down delays no other.
//! On PostgreSQL the claim also skips rows another worker holds (`FOR UPDATE SKIP
//! LOCKED`), so workers of several server processes pass each other instead of queueing.

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use api_types::{CHANNELS, label, permissions::NOTIFICATIONS_MANAGE};
use chrono::{DateTime, Duration, Utc};
use entities::{contact, notification_delivery as delivery, notification_rule, user};
use futures_util::future::join_all;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
    sea_query::{Expr, ExprTrait, LockBehavior, LockType},
};

use super::{
    channels::{self, ChannelError, Channels, Outgoing, in_app},
    outcome::{self, Outcome},
    template,
};
use crate::{clock::SharedClock, contacts::vault::Vault, db, events::Feed};

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
    pub skipped: usize,
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
        // One lane per channel, run side by side: a slow or unreachable service holds
        // up only its own messages, never another channel's.
        let mut lanes: BTreeMap<String, Vec<delivery::Model>> = BTreeMap::new();
        for row in due {
            lanes.entry(row.channel.clone()).or_default().push(row);
        }
        let lanes = join_all(
            lanes
                .into_values()
                .map(|rows| self.run_lane(rows, now, &names)),
        )
        .await;
        for lane in lanes {
            let lane = lane?;
            done.sent += lane.sent;
            done.retrying += lane.retrying;
            done.failed += lane.failed;
            done.skipped += lane.skipped;
        }
        done.next_due = delivery::Entity::find()
            .filter(delivery::Column::Status.eq(delivery::STATUS_PENDING))
            .order_by_asc(delivery::Column::NextAttemptAt)
            .one(&self.db)
            .await?
            .map(|d| d.next_attempt_at);
        Ok(done)
    }

    /// Sends one channel's due rows in order.
    async fn run_lane(
        &self,
        rows: Vec<delivery::Model>,
        now: DateTime<Utc>,
        names: &HashMap<i64, String>,
    ) -> Result<Dispatched, DbErr> {
        let mut done = Dispatched::default();
        for row in rows {
            let Some(claimed) = self.claim(row, now).await? else {
                continue;
            };
            let name = claimed.contact_id.and_then(|id| names.get(&id).cloned());
            let result = self.send(&claimed, name).await;
            // Outcomes are timed when they happen, not when the batch began.
            let now = self.clock.now();
            let outcome = Outcome::of(result, claimed.attempts, MAX_ATTEMPTS);
            match &outcome {
                Outcome::Sent => done.sent += 1,
                Outcome::Skipped(why) => {
                    tracing::info!(delivery_id = claimed.id, channel = %claimed.channel, why, "notification delivery skipped");
                    done.skipped += 1;
                }
                Outcome::Retrying(err) => {
                    tracing::info!(delivery_id = claimed.id, channel = %claimed.channel, attempt = claimed.attempts, err, "notification delivery will be retried");
                    done.retrying += 1;
                }
                Outcome::Failed(err) => {
                    tracing::warn!(delivery_id = claimed.id, channel = %claimed.channel, err, "notification delivery failed for good");
                    done.failed += 1;
                }
            }
            self.record(&claimed, &outcome, now).await?;
        }
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
        let still_due = Condition::all()
            .add(delivery::Column::Id.eq(row.id))
            .add(delivery::Column::Status.eq(delivery::STATUS_PENDING))
            .add(delivery::Column::Attempts.eq(row.attempts))
            .add(delivery::Column::NextAttemptAt.lte(now));
        let mut claim = delivery::Entity::update_many()
            .col_expr(
                delivery::Column::Attempts,
                Expr::col(delivery::Column::Attempts).add(1),
            )
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(now + LEASE))
            .filter(still_due.clone());
        if self.db.get_database_backend() == DbBackend::Postgres {
            // A row another worker is claiming right now is skipped, not waited for
            // (SQLite's single writer needs no such care; MySQL refuses a subquery on
            // the table being updated, and the condition above already decides there).
            let free = delivery::Entity::find()
                .select_only()
                .column(delivery::Column::Id)
                .filter(still_due)
                .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
                .into_query();
            claim = claim.filter(delivery::Column::Id.in_subquery(free));
        }
        let taken = claim.exec(&self.db).await?.rows_affected;
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
    /// one it claimed), with its audit entry where the channel calls for one.
    async fn record(
        &self,
        claimed: &delivery::Model,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let mut update = delivery::Entity::update_many()
            .col_expr(
                delivery::Column::LastError,
                Expr::value(outcome.error().map(str::to_owned)),
            )
            .filter(mine(claimed));
        update = match outcome {
            Outcome::Sent => update
                .col_expr(delivery::Column::Status, Expr::value(delivery::STATUS_SENT))
                .col_expr(delivery::Column::SentAt, Expr::value(Some(now))),
            Outcome::Skipped(_) => update.col_expr(
                delivery::Column::Status,
                Expr::value(delivery::STATUS_SKIPPED),
            ),
            Outcome::Retrying(_) => update.col_expr(
                delivery::Column::NextAttemptAt,
                Expr::value(now + backoff(claimed.attempts)),
            ),
            Outcome::Failed(error) => return self.give_up(claimed, error, outcome, now).await,
        };
        if !channels::leaves_the_system(&claimed.channel) {
            update.exec(&self.db).await?;
            return Ok(());
        }
        let tx = db::begin_write(&self.db).await?;
        if update.exec(&tx).await?.rows_affected == 1 {
            outcome::audit(&tx, claimed, outcome, now).await?;
        }
        tx.commit().await
    }

    /// Marks the delivery failed and tells the notification admins, in one transaction.
    async fn give_up(
        &self,
        claimed: &delivery::Model,
        error: &str,
        outcome: &Outcome,
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
        outcome::audit(&tx, claimed, outcome, now).await?;
        let rule = notification_rule::Entity::find_by_id(claimed.rule_id)
            .one(&tx)
            .await?;
        let recipient = if channels::per_event(&claimed.channel) {
            // Posted to a place, not a person: the recipient is only the rule's author.
            Some(format!("kênh {}", label(CHANNELS, &claimed.channel)))
        } else {
            user::Entity::find_by_id(claimed.recipient_id)
                .one(&tx)
                .await?
                .map(|u| u.full_name)
        };
        let title = "Gửi thông báo thất bại".to_owned();
        let body = format!(
            "Thông báo #{} (quy tắc \"{}\") gửi tới {} qua kênh {} đã thất bại {} lần: {error}",
            claimed.id,
            match rule {
                Some(rule) => rule.name,
                None if channels::zalo::from_composer(claimed) => "soạn tin Zalo".to_owned(),
                None => "đã xoá".to_owned(),
            },
            recipient.unwrap_or_else(|| "nhân viên đã xoá".to_owned()),
            label(CHANNELS, &claimed.channel),
            claimed.attempts,
        );
        let link = format!("/notification-deliveries?status=failed&id={}", claimed.id);
        let mut events =
            in_app::alert_holders(&tx, NOTIFICATIONS_MANAGE, &title, &body, &link, now).await?;
        if channels::zalo::from_composer(claimed) {
            events.extend(tell_sender(&tx, claimed, now).await?);
        }
        self.feed.commit(tx, events).await
    }
}

/// A composer's Zalo message given up: its sender is told in-app to try again later.
async fn tell_sender(
    conn: &impl sea_orm::ConnectionTrait,
    claimed: &delivery::Model,
    now: DateTime<Utc>,
) -> Result<Option<crate::events::Event>, DbErr> {
    let code = match claimed.contact_id {
        Some(id) => contact::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|c| c.code),
        None => None,
    };
    let title = "Gửi tin Zalo thất bại";
    let body = format!(
        "Tin Zalo «{}» gửi khách hàng {} chưa gửi được. Hệ thống đang bận, vui lòng thử lại sau",
        claimed.title,
        code.unwrap_or_default(),
    );
    let entry = in_app::Entry {
        user_id: claimed.recipient_id,
        delivery_id: None,
        contact_id: None,
        stored_title: title,
        stored_body: &body,
        title,
        body: &body,
        link: claimed.link.as_deref(),
    };
    in_app::write(conn, entry, None, now).await
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
