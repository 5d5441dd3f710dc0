//! The dispatcher: sends due deliveries through their channels. A delivery is claimed
//! by one conditional update (`WHERE id = ? AND status = 'pending' AND next_attempt_at
//! <= now`) that also counts the attempt and pushes `next_attempt_at` a lease ahead, so
//! two workers never send the same row, and a worker that dies mid-send leaves it to be
//! retried once the lease ends. A failure waits 1 s, 2 s, 4 s, 8 s (app clock) before
//! the next attempt; the fifth failure (or a refusal that can never succeed) marks the
//! delivery failed and tells every holder of `notifications.manage` in-app (except when
//! the channel is paused and its admins were told once already: Zalo needing a
//! reconnect). Channels run side by side, each through its own rows, so one that is
//! down delays no other; in-app goes first and alone, its claim, inbox entries and
//! `sent` marks in one transaction (nothing leaves the server, so nothing to lease).
//! The batch's contacts are read and opened once, here, for every channel; a message
//! sent to a customer by a rule lands in the contact's timeline.
//! On PostgreSQL the claim also skips rows another worker holds (`FOR UPDATE SKIP
//! LOCKED`), so workers of several server processes pass each other instead of queueing.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::Arc,
};

use api_types::{CHANNELS, is_customer_channel, label, permissions::NOTIFICATIONS_MANAGE};
use chrono::{DateTime, Duration, Utc};
use entities::{
    contact, contact_interaction, notification_delivery as delivery, notification_rule, user,
};
use futures_util::{
    FutureExt as _, StreamExt as _,
    future::{BoxFuture, join_all},
    stream,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    sea_query::{Expr, ExprTrait, LockBehavior, LockType},
};

use super::{
    channels::{self, ChannelError, Channels, ContactCard, LocalChannel, Outgoing, in_app},
    outcome::{self, Outcome},
    template,
};
use crate::{
    clock::SharedClock,
    contacts::{
        interactions::CONTENT_AAD,
        vault::{ERASED, Vault},
    },
    db,
    events::Feed,
};

/// Deliveries claimed per run: one event for a few hundred recipients fits in one.
pub const BATCH: u64 = 1000;
/// Sends one channel has in flight at once (email, Slack, push, Zalo, Facebook).
const LANE_PARALLEL: usize = 16;
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
        let contacts = self.contacts(&due).await?;
        // One lane per channel, run side by side: a slow or unreachable service holds
        // up only its own messages, never another channel's.
        let mut lanes: BTreeMap<String, Vec<delivery::Model>> = BTreeMap::new();
        for row in due {
            lanes.entry(row.channel.clone()).or_default().push(row);
        }
        // In-app first, on its own: a few milliseconds of database work that other
        // lanes' claims would otherwise hold up behind SQLite's single writer.
        let (local, remote): (Vec<_>, Vec<_>) = lanes
            .into_iter()
            .partition(|(name, _)| self.channels.get(name).is_some_and(|c| c.local().is_some()));
        let mut lanes = Vec::with_capacity(local.len() + remote.len());
        for (_, rows) in local {
            lanes.push(self.run_lane(rows, now, &contacts).await);
        }
        lanes.extend(
            join_all(
                remote
                    .into_iter()
                    .map(|(_, rows)| self.run_lane(rows, now, &contacts)),
            )
            .await,
        );
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

    /// Sends one channel's due rows: claimed in one transaction, sent side by side,
    /// and their outcomes recorded in one transaction, so 200 recipients cost a few
    /// commits, not 600. A channel that writes into our database does all three in one
    /// transaction; if that fails, its rows take the ordinary path as failed attempts.
    async fn run_lane(
        &self,
        rows: Vec<delivery::Model>,
        now: DateTime<Utc>,
        contacts: &HashMap<i64, Opened>,
    ) -> Result<Dispatched, DbErr> {
        let channel = rows.first().and_then(|row| self.channels.get(&row.channel));
        let mut failed_locally = None;
        if let Some(local) = channel.and_then(|c| c.local()) {
            match self.write_locally(local, &rows, now, contacts).await {
                Ok(done) => return Ok(done),
                Err(err) => {
                    tracing::warn!(%err, "in-app batch not written; its deliveries will be retried");
                    failed_locally = Some(err.to_string());
                }
            }
        }
        let claimed = self.claim_all(rows, now).await?;
        let results = match failed_locally {
            Some(err) => claimed
                .iter()
                .map(|_| Err(ChannelError::Unavailable(err.clone())))
                .collect(),
            None => self.send_all(&claimed, contacts).await,
        };
        // Outcomes are timed when they happen, not when the batch began.
        let now = self.clock.now();
        let mut done = Dispatched::default();
        let mut settled = Vec::with_capacity(claimed.len());
        let mut given_up = Vec::new();
        for (claimed, result) in claimed.into_iter().zip(results) {
            let outcome = Outcome::of(result, claimed.attempts, MAX_ATTEMPTS);
            log(&claimed, &outcome, &mut done);
            match outcome {
                Outcome::Failed(_) | Outcome::Halted(_) => given_up.push((claimed, outcome)),
                _ => settled.push((claimed, outcome)),
            }
        }
        self.record_all(&settled, contacts, now).await?;
        for (claimed, outcome) in &given_up {
            let error = outcome.error().unwrap_or_default();
            self.give_up(claimed, error, outcome, now).await?;
        }
        Ok(done)
    }

    /// Claims, writes and marks sent a local channel's rows in one transaction, and
    /// publishes their events once it commits.
    async fn write_locally(
        &self,
        local: &dyn LocalChannel,
        rows: &[delivery::Model],
        now: DateTime<Utc>,
        contacts: &HashMap<i64, Opened>,
    ) -> Result<Dispatched, DbErr> {
        let tx = db::begin_write(&self.db).await?;
        let claimed = claim_in(&tx, rows.to_vec(), now).await?;
        let events = local.write(&tx, &outgoing(&claimed, contacts)).await?;
        let sent_at = self.clock.now();
        for chunk in claimed.chunks(db::ROWS_PER_STATEMENT) {
            delivery::Entity::update_many()
                .col_expr(delivery::Column::Status, Expr::value(delivery::STATUS_SENT))
                .col_expr(delivery::Column::SentAt, Expr::value(Some(sent_at)))
                .col_expr(delivery::Column::LastError, Expr::value(None::<String>))
                .filter(delivery::Column::Id.is_in(chunk.iter().map(|row| row.id)))
                .exec(&tx)
                .await?;
        }
        self.feed.commit(tx, events).await?;
        Ok(Dispatched {
            sent: claimed.len(),
            ..Dispatched::default()
        })
    }

    /// The batch's contacts, read and opened in memory once for every channel.
    async fn contacts(&self, due: &[delivery::Model]) -> Result<HashMap<i64, Opened>, DbErr> {
        let ids: Vec<i64> = due.iter().filter_map(|d| d.contact_id).collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut keys = self.vault.keys_for(&self.db, &ids).await?;
        let rows = contact::Entity::find()
            .filter(contact::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        Ok(rows
            .iter()
            .map(|row| {
                let key = keys.remove(&row.id);
                let personal = self.vault.open(key.as_ref(), row);
                let opened = Opened {
                    // An anonymised contact reads as its code (its key is gone).
                    name: personal.full_name.clone(),
                    card: ContactCard {
                        code: row.code.clone(),
                        personal: key.is_some().then_some(personal),
                        key,
                    },
                };
                (row.id, opened)
            })
            .collect())
    }

    /// Takes the lane's rows for this worker in one transaction; rows another worker
    /// got first are left out.
    async fn claim_all(
        &self,
        rows: Vec<delivery::Model>,
        now: DateTime<Utc>,
    ) -> Result<Vec<delivery::Model>, DbErr> {
        if rows.is_empty() {
            return Ok(rows);
        }
        let tx = db::begin_write(&self.db).await?;
        let claimed = claim_in(&tx, rows, now).await?;
        tx.commit().await?;
        Ok(claimed)
    }

    /// The claimed rows through their channel, up to [`LANE_PARALLEL`] at a time;
    /// results in order.
    async fn send_all(
        &self,
        claimed: &[delivery::Model],
        contacts: &HashMap<i64, Opened>,
    ) -> Vec<Result<(), ChannelError>> {
        let Some(first) = claimed.first() else {
            return Vec::new();
        };
        let Some(channel) = self.channels.get(&first.channel) else {
            let unsupported = || {
                Err(ChannelError::Unavailable(format!(
                    "Kênh \"{}\" chưa được hỗ trợ",
                    first.channel
                )))
            };
            return claimed.iter().map(|_| unsupported()).collect();
        };
        let outgoing = outgoing(claimed, contacts);
        // Futures built up front and boxed: a `StreamExt::map` closure over borrowed
        // rows makes the worker's future fail the `Send` check.
        let sends: Vec<BoxFuture<'_, Result<(), ChannelError>>> = outgoing
            .iter()
            .map(|one| within_timeout(channel.send(one)).boxed())
            .collect();
        stream::iter(sends).buffered(LANE_PARALLEL).collect().await
    }

    /// Records the outcomes of this worker's attempts (each only while the row is
    /// still the one it claimed) in one transaction, with an audit entry (and a
    /// timeline entry for a customer) where the channel calls for one. Failures go
    /// through [`Self::give_up`].
    async fn record_all(
        &self,
        settled: &[(delivery::Model, Outcome)],
        contacts: &HashMap<i64, Opened>,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        if settled.is_empty() {
            return Ok(());
        }
        let tx = db::begin_write(&self.db).await?;
        for (claimed, outcome) in settled {
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
                // Given up in a transaction of its own, with the admins' alert.
                Outcome::Failed(_) | Outcome::Halted(_) => continue,
            };
            let mine = update.exec(&tx).await?.rows_affected == 1;
            if !mine || !channels::leaves_the_system(&claimed.channel) {
                continue;
            }
            outcome::audit(&tx, claimed, outcome, now).await?;
            let contact = claimed.contact_id.and_then(|id| contacts.get(&id));
            if let (Outcome::Sent, Some(contact)) = (outcome, contact) {
                timeline(&tx, claimed, contact, now).await?;
            }
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
        // A paused channel's admins were told once, with what to do: one alert per
        // queued message on top would bury it.
        let mut events = if matches!(outcome, Outcome::Halted(_)) {
            Vec::new()
        } else {
            in_app::alert_holders(&tx, NOTIFICATIONS_MANAGE, &title, &body, &link, now).await?
        };
        if channels::zalo::from_composer(claimed) {
            events.extend(tell_sender(&tx, claimed, now).await?);
        }
        self.feed.commit(tx, events).await
    }
}

/// One batch contact, opened in memory.
struct Opened {
    /// The full name, or the code once anonymised.
    name: String,
    card: ContactCard,
}

/// A rule's message sent to the customer is appended to the contact's timeline (sealed
/// like every interaction), authored by the rule's author, in the transaction that
/// records the send. The composer records its messages when it queues them.
async fn timeline(
    conn: &impl ConnectionTrait,
    claimed: &delivery::Model,
    contact: &Opened,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if !is_customer_channel(&claimed.channel) || channels::zalo::from_composer(claimed) {
        return Ok(());
    }
    let (Some(contact_id), Some(key)) = (claimed.contact_id, contact.card.key.as_ref()) else {
        return Ok(());
    };
    let content = match claimed.channel.as_str() {
        channels::zalo::NAME => {
            let params: Vec<(String, String)> =
                serde_json::from_str::<channels::zalo::ZnsPayload>(&claimed.body)
                    .map(|payload| {
                        payload
                            .resolved(&contact.name)
                            .into_iter()
                            .map(|(k, v)| {
                                (k, v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
            format!(
                "Tự động: {}",
                crate::zalo::compose::interaction_text(&claimed.title, &params)
            )
        }
        _ => format!(
            "Tự động: tin nhắn Facebook Messenger — {}",
            template::resolve_name(&claimed.body, &contact.name)
        ),
    };
    contact_interaction::ActiveModel {
        contact_id: Set(contact_id),
        kind: Set(claimed.channel.clone()),
        content_enc: Set(key.seal(CONTENT_AAD, &content)),
        author_id: Set(claimed.recipient_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
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

/// The claimed rows as messages, the contact's name filled in.
fn outgoing(claimed: &[delivery::Model], contacts: &HashMap<i64, Opened>) -> Vec<Outgoing> {
    claimed
        .iter()
        .map(|row| {
            let contact = row.contact_id.and_then(|id| contacts.get(&id));
            let name = contact.map_or(ERASED, |c| c.name.as_str());
            Outgoing {
                title: template::resolve_name(&row.title, name),
                body: template::resolve_name(&row.body, name),
                delivery: row.clone(),
                contact: contact.map(|c| c.card.clone()),
            }
        })
        .collect()
}

/// Claims `rows` in `tx`: a statement per hundred where the database says which rows
/// it updated, otherwise one per row.
async fn claim_in(
    tx: &DatabaseTransaction,
    rows: Vec<delivery::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<delivery::Model>, DbErr> {
    if tx.support_returning() {
        return claim_many(tx, rows, now).await;
    }
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        claimed.extend(claim(tx, row, now).await?);
    }
    Ok(claimed)
}

/// Takes the delivery for this worker, counting the attempt; `None` if another
/// worker got it first.
async fn claim(
    conn: &impl ConnectionTrait,
    row: delivery::Model,
    now: DateTime<Utc>,
) -> Result<Option<delivery::Model>, DbErr> {
    let taken = claim_update(
        conn,
        Condition::all().add(delivery::Column::Id.eq(row.id)),
        row.attempts,
        now,
    )
    .exec(conn)
    .await?
    .rows_affected;
    Ok((taken == 1).then(|| delivery::Model {
        attempts: row.attempts + 1,
        ..row
    }))
}

/// [`claim`] for many rows, a statement per hundred rows of one attempt count, where
/// the database says which rows it updated (SQLite, PostgreSQL). Keeps the order.
async fn claim_many(
    conn: &impl ConnectionTrait,
    rows: Vec<delivery::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<delivery::Model>, DbErr> {
    let mut by_attempts: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
    for row in &rows {
        by_attempts.entry(row.attempts).or_default().push(row.id);
    }
    let mut taken = HashSet::with_capacity(rows.len());
    for (attempts, ids) in by_attempts {
        for chunk in ids.chunks(db::ROWS_PER_STATEMENT) {
            let which = Condition::all().add(delivery::Column::Id.is_in(chunk.to_vec()));
            let updated = claim_update(conn, which, attempts, now)
                .exec_with_returning(conn)
                .await?;
            taken.extend(updated.into_iter().map(|row| row.id));
        }
    }
    Ok(rows
        .into_iter()
        .filter(|row| taken.contains(&row.id))
        .map(|row| delivery::Model {
            attempts: row.attempts + 1,
            ..row
        })
        .collect())
}

/// Counts an attempt and pushes the rows `which` (at `attempts` so far) a lease ahead,
/// if still due.
fn claim_update(
    conn: &impl ConnectionTrait,
    which: Condition,
    attempts: i32,
    now: DateTime<Utc>,
) -> sea_orm::UpdateMany<delivery::Entity> {
    let still_due = which
        .add(delivery::Column::Status.eq(delivery::STATUS_PENDING))
        .add(delivery::Column::Attempts.eq(attempts))
        .add(delivery::Column::NextAttemptAt.lte(now));
    let claim = delivery::Entity::update_many()
        .col_expr(
            delivery::Column::Attempts,
            Expr::col(delivery::Column::Attempts).add(1),
        )
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(now + LEASE))
        .filter(still_due.clone());
    if conn.get_database_backend() != DbBackend::Postgres {
        return claim;
    }
    // A row another worker is claiming right now is skipped, not waited for (SQLite's
    // single writer needs no such care; MySQL refuses a subquery on the table being
    // updated, and the condition above already decides there).
    let free = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::Id)
        .filter(still_due)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_query();
    claim.filter(delivery::Column::Id.in_subquery(free))
}

/// The send's result, or a timeout when it takes too long.
async fn within_timeout(
    sending: impl Future<Output = Result<(), ChannelError>>,
) -> Result<(), ChannelError> {
    tokio::time::timeout(SEND_TIMEOUT, sending)
        .await
        .unwrap_or_else(|_| {
            Err(ChannelError::Unavailable(
                "Kênh gửi không trả lời trong 30 giây".into(),
            ))
        })
}

/// Logs the outcome and counts it in `done`.
fn log(claimed: &delivery::Model, outcome: &Outcome, done: &mut Dispatched) {
    match outcome {
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
        Outcome::Halted(err) => {
            tracing::info!(delivery_id = claimed.id, channel = %claimed.channel, err, "notification delivery failed: channel paused");
            done.failed += 1;
        }
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
