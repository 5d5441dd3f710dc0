//! `ankhang seed-demo --audit N`: a year of audit trail for the search benchmark. The
//! entries are chained exactly like real ones (so `ankhang audit verify` walks them),
//! spread over the last 365 days in order, by the demo staff, from a pool of office
//! IPs and browsers, with the mix of actions a working firm produces. Contents carry
//! no personal data: statuses and ids only.

use chrono::{Duration, Utc};
use entities::{contact, user};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, QuerySelect};

use crate::{
    audit::{self, Actor, StoredEntry},
    db,
    demo_bulk::Dice,
};

/// Entries per write transaction.
const BATCH: usize = 2_000;

/// `(action, target type, weight)`: roughly what a day at the firm looks like.
const MIX: [(&str, &str, u32); 12] = [
    ("auth.login", "user", 22),
    ("auth.logout", "user", 8),
    ("auth.login_failed", "", 2),
    ("contacts.created", "contact", 12),
    ("contacts.picked", "contact", 12),
    ("contacts.status_changed", "contact", 20),
    ("contacts.interaction_added", "contact", 10),
    ("contacts.updated", "contact", 5),
    ("contacts.reassigned", "contact", 2),
    ("deals.created", "deal", 4),
    ("deals.payment_changed", "deal", 2),
    ("users.updated", "user", 1),
];
const STATUSES: [&str; 6] = [
    "new",
    "consulting",
    "failed",
    "care_l1",
    "care_l2",
    "closed",
];
const BROWSERS: [&str; 4] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
];

/// Appends `entries` audit entries; returns how many were written.
pub async fn load(database: &DatabaseConnection, entries: usize) -> anyhow::Result<usize> {
    let staff: Vec<Actor> = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(database)
        .await?
        .into_iter()
        .map(|u| Actor {
            id: u.id,
            name: u.full_name,
        })
        .collect();
    if staff.is_empty() {
        anyhow::bail!("chưa có nhân viên nào: chạy `ankhang seed-demo` trước");
    }
    let last_contact: i64 = contact::Entity::find()
        .select_only()
        .column(contact::Column::Id)
        .order_by_desc(contact::Column::Id)
        .into_tuple()
        .one(database)
        .await?
        .unwrap_or(1_000);
    let total_weight: u32 = MIX.iter().map(|(_, _, w)| w).sum();
    let now = Utc::now();
    let start = now - Duration::days(365);
    let step_ms = Duration::days(365).num_milliseconds() / entries.max(1) as i64;
    let mut dice = Dice(0xA0D1_7000 ^ entries as u64);

    for first in (0..entries).step_by(BATCH) {
        let batch: Vec<StoredEntry> = (first..(first + BATCH).min(entries))
            .map(|i| {
                let at = start + Duration::milliseconds(step_ms * i as i64);
                let mut roll = u32::try_from(dice.below(total_weight as usize)).unwrap_or(0);
                let &(action, kind, _) = MIX
                    .iter()
                    .find(|(_, _, w)| {
                        if roll < *w {
                            true
                        } else {
                            roll -= w;
                            false
                        }
                    })
                    .unwrap_or(&MIX[0]);
                let actor = dice.pick(&staff).clone();
                let target_id = match kind {
                    "user" => actor.id.to_string(),
                    "contact" => {
                        (1 + dice.below(usize::try_from(last_contact).unwrap_or(1))).to_string()
                    }
                    _ => (1 + dice.below(20_000)).to_string(),
                };
                let (before, after) = contents(action, &mut dice);
                StoredEntry {
                    at,
                    actor: (action != "auth.login_failed").then_some(actor),
                    action: action.to_owned(),
                    target: (!kind.is_empty()).then(|| (kind.to_owned(), target_id)),
                    before,
                    after,
                    ip: Some(format!("10.8.{}.{}", dice.below(4), 10 + dice.below(90))),
                    user_agent: Some((*dice.pick(&BROWSERS)).to_owned()),
                }
            })
            .collect();
        let tx = db::begin_write(database).await?;
        audit::append_many(&tx, batch).await?;
        tx.commit().await?;
    }
    Ok(entries)
}

/// Before/after snapshots with the fields the screens diff, no personal data.
fn contents(action: &str, dice: &mut Dice) -> (Option<String>, Option<String>) {
    let status = |dice: &mut Dice| *dice.pick(&STATUSES);
    match action {
        "contacts.status_changed" => {
            let from = status(dice);
            let to = STATUSES
                .iter()
                .cycle()
                .skip_while(|s| **s != from)
                .nth(1 + dice.below(STATUSES.len() - 1))
                .copied()
                .unwrap_or("closed");
            (
                Some(format!(r#"{{"status":"{from}"}}"#)),
                Some(format!(r#"{{"status":"{to}"}}"#)),
            )
        }
        "contacts.picked" => (
            Some(r#"{"status":"new"}"#.to_owned()),
            Some(r#"{"status":"consulting"}"#.to_owned()),
        ),
        "deals.payment_changed" => (
            Some(r#"{"payment_status":"pending"}"#.to_owned()),
            Some(r#"{"payment_status":"paid"}"#.to_owned()),
        ),
        "auth.login_failed" => (None, Some(r#"{"username":"sale99"}"#.to_owned())),
        _ => (None, None),
    }
}
