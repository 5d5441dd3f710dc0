//! Appending to and verifying the hash chain.

use chrono::{DateTime, SubsecRound, Utc};
use entities::{audit_archive, audit_head, audit_log};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::http::client_meta::ClientMeta;

/// The chain's starting point, as seeded by the migration.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const VERIFY_BATCH: u64 = 1000;

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub name: String,
}

/// What happened; `action` is `module.verb`, e.g. `auth.login_failed`.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub actor: Option<Actor>,
    pub action: &'a str,
    pub target: Option<(&'a str, String)>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub meta: &'a ClientMeta,
}

/// The fields a hash covers, in a fixed order; values exactly as stored.
#[derive(Serialize)]
struct Canonical<'a> {
    at: String,
    actor_id: Option<i64>,
    actor_name: Option<&'a str>,
    action: &'a str,
    module: &'a str,
    target_type: Option<&'a str>,
    target_id: Option<&'a str>,
    before: Option<&'a str>,
    after: Option<&'a str>,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
}

pub(crate) fn entry_hash(prev_hash: &str, row: &audit_log::Model) -> String {
    let canonical = Canonical {
        at: canonical_time(row.at),
        actor_id: row.actor_id,
        actor_name: row.actor_name.as_deref(),
        action: &row.action,
        module: &row.module,
        target_type: row.target_type.as_deref(),
        target_id: row.target_id.as_deref(),
        before: row.before_data.as_deref(),
        after: row.after_data.as_deref(),
        ip: row.ip.as_deref(),
        user_agent: row.user_agent.as_deref(),
    };
    // Serialising a struct of strings and integers cannot fail.
    let json = serde_json::to_string(&canonical).unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(json.as_bytes());
    hex::encode(hasher.finalize())
}

fn canonical_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Appends one entry. Call it on the transaction that makes the change, so the change
/// and its entry commit or roll back together.
pub async fn record(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    entry: AuditEntry<'_>,
) -> Result<(), DbErr> {
    // Taking the head row's write lock first serialises appends on every database.
    audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Entries,
            // i64 like `append_many`'s count: PostgreSQL connections cache the
            // prepared statement by its text, with the parameter types of first use.
            Expr::col(audit_head::Column::Entries).add(1i64),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(conn)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;

    let module = entry.action.split('.').next().unwrap_or(entry.action);
    let (target_type, target_id) = entry
        .target
        .map(|(kind, id)| (Some(kind.to_owned()), Some(id)))
        .unwrap_or_default();
    let mut row = audit_log::Model {
        id: 0,
        // Stored precision is milliseconds so every database round-trips it exactly.
        at: now.trunc_subsecs(3),
        actor_id: entry.actor.as_ref().map(|a| a.id),
        actor_name: entry.actor.map(|a| a.name),
        action: entry.action.to_owned(),
        module: module.to_owned(),
        target_type,
        target_id,
        before_data: entry.before.map(|v| v.to_string()),
        after_data: entry.after.map(|v| v.to_string()),
        ip: entry.meta.ip.clone(),
        user_agent: entry.meta.user_agent.clone(),
        prev_hash: head.last_hash.clone(),
        hash: String::new(),
    };
    row.hash = entry_hash(&head.last_hash, &row);
    let new_hash = row.hash.clone();
    audit_log::Entity::insert(active(row)).exec(conn).await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastHash, Expr::value(new_hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(conn)
        .await?;
    Ok(())
}

/// One entry of a bulk append, already in stored form.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub at: DateTime<Utc>,
    pub actor: Option<Actor>,
    pub action: String,
    pub target: Option<(String, String)>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Appends many entries in one go (bulk loads): the head is locked once, hashes are
/// chained in order, and the rows are inserted together. Call it on a transaction.
pub async fn append_many(
    conn: &impl ConnectionTrait,
    entries: Vec<StoredEntry>,
) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(entries.len()).unwrap_or(i64::MAX);
    audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Entries,
            Expr::col(audit_head::Column::Entries).add(count),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(conn)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let mut prev_hash = head.last_hash;
    let mut rows = Vec::with_capacity(entries.len());
    for entry in entries {
        let module = entry
            .action
            .split('.')
            .next()
            .unwrap_or_default()
            .to_owned();
        let (target_type, target_id) = entry
            .target
            .map(|(k, i)| (Some(k), Some(i)))
            .unwrap_or_default();
        let mut row = audit_log::Model {
            id: 0,
            at: entry.at.trunc_subsecs(3),
            actor_id: entry.actor.as_ref().map(|a| a.id),
            actor_name: entry.actor.map(|a| a.name),
            action: entry.action,
            module,
            target_type,
            target_id,
            before_data: entry.before,
            after_data: entry.after,
            ip: entry.ip,
            user_agent: entry.user_agent,
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        row.hash = entry_hash(&prev_hash, &row);
        prev_hash.clone_from(&row.hash);
        rows.push(active(row));
    }
    audit_log::Entity::insert_many(rows).exec(conn).await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastHash, Expr::value(prev_hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(conn)
        .await?;
    Ok(())
}

fn active(row: audit_log::Model) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        at: Set(row.at),
        actor_id: Set(row.actor_id),
        actor_name: Set(row.actor_name),
        action: Set(row.action),
        module: Set(row.module),
        target_type: Set(row.target_type),
        target_id: Set(row.target_id),
        before_data: Set(row.before_data),
        after_data: Set(row.after_data),
        ip: Set(row.ip),
        user_agent: Set(row.user_agent),
        prev_hash: Set(row.prev_hash),
        hash: Set(row.hash),
        ..Default::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Entries checked in the database.
    pub entries: u64,
    /// Entries moved to archive files before them (their files: `verify_archives`).
    pub archived: u64,
    pub first_bad_id: Option<i64>,
}

/// An audit entry as an archive file stores it: every column, so the file alone
/// recomputes the chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchivedEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub module: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub before_data: Option<String>,
    pub after_data: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl From<audit_log::Model> for ArchivedEntry {
    fn from(m: audit_log::Model) -> Self {
        Self {
            id: m.id,
            at: m.at,
            actor_id: m.actor_id,
            actor_name: m.actor_name,
            action: m.action,
            module: m.module,
            target_type: m.target_type,
            target_id: m.target_id,
            before_data: m.before_data,
            after_data: m.after_data,
            ip: m.ip,
            user_agent: m.user_agent,
            prev_hash: m.prev_hash,
            hash: m.hash,
        }
    }
}

impl From<ArchivedEntry> for audit_log::Model {
    fn from(e: ArchivedEntry) -> Self {
        Self {
            id: e.id,
            at: e.at,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            action: e.action,
            module: e.module,
            target_type: e.target_type,
            target_id: e.target_id,
            before_data: e.before_data,
            after_data: e.after_data,
            ip: e.ip,
            user_agent: e.user_agent,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// Whether `row` continues the chain from `prev_hash` and its content matches its hash.
pub fn links(prev_hash: &str, row: &audit_log::Model) -> bool {
    row.prev_hash == prev_hash && entry_hash(prev_hash, row) == row.hash
}

/// Where the database's part of the chain starts: after the newest archive, if any.
pub async fn anchor(conn: &impl ConnectionTrait) -> Result<(String, u64), DbErr> {
    let archives = audit_archive::Entity::find()
        .order_by_asc(audit_archive::Column::FirstEntryId)
        .all(conn)
        .await?;
    let archived = archives
        .iter()
        .map(|a| u64::try_from(a.entries).unwrap_or(0))
        .sum();
    let start = archives
        .last()
        .map_or_else(|| GENESIS_HASH.to_owned(), |a| a.last_hash.clone());
    Ok((start, archived))
}

/// Walks the whole chain. Reports the first entry whose content, link or position
/// does not match; a removed tail shows up as a head that no longer matches.
pub async fn verify(conn: &impl ConnectionTrait) -> Result<Verification, DbErr> {
    let (mut prev_hash, archived) = anchor(conn).await?;
    let mut last_id = 0i64;
    let mut entries = 0u64;
    loop {
        let batch = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gt(last_id))
            .order_by_asc(audit_log::Column::Id)
            .limit(VERIFY_BATCH)
            .all(conn)
            .await?;
        let Some(last) = batch.last() else { break };
        last_id = last.id;
        for row in &batch {
            entries += 1;
            if !links(&prev_hash, row) {
                return Ok(Verification {
                    entries,
                    archived,
                    first_bad_id: Some(row.id),
                });
            }
            prev_hash.clone_from(&row.hash);
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(conn).await?;
    let head_matches = head.is_some_and(|h| {
        h.last_hash == prev_hash && u64::try_from(h.entries).is_ok_and(|n| n == entries + archived)
    });
    let first_bad_id = (!head_matches).then_some(last_id);
    Ok(Verification {
        entries,
        archived,
        first_bad_id,
    })
}
