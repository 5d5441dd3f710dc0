//! The matcher: turns logged events into deliveries, durably. It reads the events after
//! its cursor in seq order, matches the enabled rules, and in ONE transaction inserts
//! the deliveries (`ON CONFLICT (idempotency_key) DO NOTHING`) and moves the cursor
//! with a conditional update from the value it read. A crash before the commit leaves
//! both untouched (the batch is matched again); a second matcher that lost the race
//! finds the cursor moved and rolls back. So every event is matched, and no event ×
//! recipient × channel is ever written twice — even when two rules match it. Customer
//! channels (Zalo ZNS, Messenger) message the event's contact: one delivery per rule ×
//! event × contact × channel, whoever the staff recipients are.

use std::collections::{HashMap, HashSet};

use api_types::is_customer_channel;
use chrono::{DateTime, Utc};
use entities::{
    contact, event, notification_cursor, notification_delivery as delivery, service_type, user,
    zalo_template,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TryInsertResult, sea_query::Expr,
};

use super::{
    channels,
    context::{self, Directory, Facts},
    recipients::{self, Memberships},
    rules::{self, CustomerMessages},
    template,
};
use crate::{db, permissions::GrantsCache, zalo::templates};

/// Events matched per transaction.
pub const BATCH: u64 = 200;
const CURSOR_ID: i32 = 1;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Matched {
    /// Events the cursor moved over.
    pub events: usize,
    /// Deliveries written (duplicates not counted).
    pub deliveries: u64,
}

pub struct Matcher {
    db: DatabaseConnection,
    grants: std::sync::Arc<GrantsCache>,
}

impl Matcher {
    pub fn new(db: DatabaseConnection, grants: std::sync::Arc<GrantsCache>) -> Self {
        Self { db, grants }
    }

    /// Matches the next batch of events; `events == 0` means it is caught up.
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<Matched, DbErr> {
        let from = self.cursor().await?;
        let batch = event::Entity::find()
            .filter(event::Column::Id.gt(from))
            .order_by_asc(event::Column::Id)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let Some(through) = batch.last().map(|e| e.id) else {
            return Ok(Matched::default());
        };
        let planned = self.plan(&batch, now).await?;
        let advance = notification_cursor::Entity::update_many()
            .col_expr(notification_cursor::Column::LastSeq, Expr::value(through))
            .filter(notification_cursor::Column::Id.eq(CURSOR_ID))
            .filter(notification_cursor::Column::LastSeq.eq(from));
        if planned.is_empty() {
            // Nothing to write but the cursor: one statement, no transaction.
            advance.exec(&self.db).await?;
            return Ok(Matched {
                events: batch.len(),
                deliveries: 0,
            });
        }

        let tx = db::begin_write(&self.db).await?;
        if advance.exec(&tx).await?.rows_affected == 0 {
            // Another matcher took this batch first.
            return Ok(Matched::default());
        }
        let mut written = 0;
        let mut rows = planned.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<delivery::ActiveModel> =
                rows.by_ref().take(db::ROWS_PER_STATEMENT).collect();
            let result = delivery::Entity::insert_many(chunk)
                .on_conflict_do_nothing_on([delivery::Column::IdempotencyKey])
                .exec_without_returning(&tx)
                .await?;
            if let TryInsertResult::Inserted(n) = result {
                written += n;
            }
        }
        tx.commit().await?;
        Ok(Matched {
            events: batch.len(),
            deliveries: written,
        })
    }

    /// The last matched seq; the row is created by the migration, and again here if
    /// someone removed it.
    async fn cursor(&self) -> Result<i64, DbErr> {
        if let Some(row) = notification_cursor::Entity::find_by_id(CURSOR_ID)
            .one(&self.db)
            .await?
        {
            return Ok(row.last_seq);
        }
        notification_cursor::Entity::insert(notification_cursor::ActiveModel {
            id: Set(CURSOR_ID),
            last_seq: Set(0),
        })
        .on_conflict_do_nothing()
        .exec_without_returning(&self.db)
        .await?;
        Ok(notification_cursor::Entity::find_by_id(CURSOR_ID)
            .one(&self.db)
            .await?
            .map_or(0, |row| row.last_seq))
    }

    /// The deliveries a batch of events calls for, one per event × recipient × channel
    /// (the first matching rule, by id, writes it).
    async fn plan(
        &self,
        batch: &[event::Model],
        now: DateTime<Utc>,
    ) -> Result<Vec<delivery::ActiveModel>, DbErr> {
        let mut rules = rules::enabled(&self.db).await?;
        rules.sort_by_key(|r| r.id);
        let triggers: HashSet<&str> = rules.iter().map(|r| r.trigger.as_str()).collect();
        let relevant: Vec<&event::Model> = batch
            .iter()
            .filter(|e| triggers.contains(e.kind.as_str()) && e.contact_id.is_some())
            .collect();
        if relevant.is_empty() {
            return Ok(Vec::new());
        }
        let dir = Directory {
            users: by_id(user::Entity::find().all(&self.db).await?, |u| u.id),
            service_types: by_id(service_type::Entity::find().all(&self.db).await?, |t| t.id),
        };
        let roles = Memberships::load(&self.db).await?;
        let contact_ids: Vec<i64> = relevant.iter().filter_map(|e| e.contact_id).collect();
        let contacts = by_id(
            contact::Entity::find()
                .filter(contact::Column::Id.is_in(contact_ids))
                .all(&self.db)
                .await?,
            |c| c.id,
        );

        // Each rule's JSON is read once per batch, not once per event.
        let parsed: Vec<_> = rules
            .iter()
            .map(|r| {
                (
                    r,
                    rules::conditions_of(r),
                    rules::channels_of(r),
                    rules::customer_of(r),
                )
            })
            .collect();
        let zns_templates = if parsed.iter().any(|(.., c)| c.zalo.is_some()) {
            by_id(zalo_template::Entity::find().all(&self.db).await?, |t| t.id)
        } else {
            HashMap::new()
        };
        let mut keys = HashSet::new();
        let mut out = Vec::new();
        for event in relevant {
            let contact = event.contact_id.and_then(|id| contacts.get(&id));
            let Some(facts) = context::facts(event, contact, &dir) else {
                continue;
            };
            for (rule, conditions, rule_channels, customer) in
                parsed.iter().filter(|(r, ..)| r.trigger == event.kind)
            {
                if !recipients::event_passes(conditions, &facts) {
                    continue;
                }
                // The contact hears once per rule and channel, on behalf of the rule's
                // author, independent of the staff recipients.
                for channel in rule_channels.iter().filter(|c| is_customer_channel(c)) {
                    let key = customer_key(rule.id, facts.seq, facts.contact.id, channel);
                    if !keys.insert(key.clone()) {
                        continue;
                    }
                    let (title, body) =
                        customer_message(channel, &rule.name, customer, &zns_templates, &facts);
                    out.push(row(
                        &facts,
                        rule.id,
                        rule.created_by,
                        channel.clone(),
                        key,
                        &title,
                        &body,
                        now,
                    ));
                }
                if rule_channels.iter().all(|c| is_customer_channel(c)) {
                    continue;
                }
                let title = template::render(&rule.template_title, &facts.values);
                let body = template::render(&rule.template_body, &facts.values);
                let to =
                    recipients::resolve(&self.db, &self.grants, conditions, &facts, &dir, &roles)
                        .await?;
                let (shared, personal): (Vec<String>, Vec<String>) = rule_channels
                    .iter()
                    .filter(|c| !is_customer_channel(c))
                    .cloned()
                    .partition(|c| channels::per_event(c));
                // A place like a Slack channel gets the event once, on behalf of the
                // rule's author, whoever and however many the recipients are.
                for channel in shared {
                    let key = per_event_key(facts.seq, &channel);
                    if keys.insert(key.clone()) {
                        out.push(row(
                            &facts,
                            rule.id,
                            rule.created_by,
                            channel,
                            key,
                            &title,
                            &body,
                            now,
                        ));
                    }
                }
                for recipient in to {
                    for channel in &personal {
                        let key = idempotency_key(facts.seq, recipient, channel);
                        if keys.insert(key.clone()) {
                            out.push(row(
                                &facts,
                                rule.id,
                                recipient,
                                channel.clone(),
                                key,
                                &title,
                                &body,
                                now,
                            ));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A customer channel's stored title and body for one event: for Zalo the template's
/// name and the ZNS payload (parameters rendered, the name kept as its placeholder),
/// for Messenger the rendered text.
fn customer_message(
    channel: &str,
    rule_name: &str,
    customer: &CustomerMessages,
    zns_templates: &HashMap<i64, zalo_template::Model>,
    facts: &Facts,
) -> (String, String) {
    if channel == channels::zalo::NAME {
        let message = customer.zalo.as_ref();
        // Turned off or deleted since the rule was saved: queued with no template id,
        // so the outbox shows the refusal (see `ZnsPayload`).
        let template = message
            .and_then(|m| zns_templates.get(&m.template_id))
            .filter(|t| t.enabled);
        let template_data = match (message, template) {
            (Some(message), Some(template)) => templates::params_of(template)
                .into_iter()
                .map(|p| {
                    let value = message.params.get(&p.name).map_or("", String::as_str);
                    let rendered = template::render(value, &facts.values);
                    (p.name, serde_json::Value::String(rendered))
                })
                .collect(),
            _ => serde_json::Map::new(),
        };
        let payload = channels::zalo::ZnsPayload {
            template_id: template
                .map(|t| t.zalo_template_id.clone())
                .unwrap_or_default(),
            template_data,
        };
        let title =
            template.map_or_else(|| "Mẫu ZNS đã xoá hoặc tắt".to_owned(), |t| t.name.clone());
        return (title, serde_json::to_string(&payload).unwrap_or_default());
    }
    let text = customer.facebook_text.as_deref().unwrap_or_default();
    (
        format!("Tin Messenger: {rule_name}"),
        template::render(text, &facts.values),
    )
}

/// One delivery per rule × event × contact × customer channel.
pub fn customer_key(rule_id: i64, seq: i64, contact_id: i64, channel: &str) -> String {
    format!("rule:{rule_id}:{seq}:contact:{contact_id}:{channel}")
}

/// One delivery per event × recipient × channel, whichever rules match.
pub fn idempotency_key(seq: i64, recipient_id: i64, channel: &str) -> String {
    format!("{seq}:{recipient_id}:{channel}")
}

/// One delivery per event × channel for channels that post to one place (Slack),
/// whichever rules and recipients match.
pub fn per_event_key(seq: i64, channel: &str) -> String {
    format!("{seq}:{channel}")
}

#[allow(clippy::too_many_arguments)]
fn row(
    facts: &Facts,
    rule_id: i64,
    recipient_id: i64,
    channel: String,
    key: String,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> delivery::ActiveModel {
    delivery::ActiveModel {
        rule_id: Set(rule_id),
        event_seq: Set(facts.seq),
        contact_id: Set(Some(facts.contact.id)),
        recipient_id: Set(recipient_id),
        channel: Set(channel),
        idempotency_key: Set(key),
        status: Set(delivery::STATUS_PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        title: Set(title.to_owned()),
        body: Set(body.to_owned()),
        link: Set(Some(facts.link.clone())),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
}

fn by_id<T>(rows: Vec<T>, id: impl Fn(&T) -> i64) -> HashMap<i64, T> {
    rows.into_iter().map(|row| (id(&row), row)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_names_event_recipient_and_channel() {
        assert_eq!(idempotency_key(1042, 12, "in_app"), "1042:12:in_app");
        assert_eq!(per_event_key(1042, "slack"), "1042:slack");
        assert_eq!(
            customer_key(3, 1042, 7, "zalo"),
            "rule:3:1042:contact:7:zalo"
        );
    }
}
