//! Every table other than contacts, as JSON Lines. Most rows go out as stored; deal
//! notes are decrypted with their contact's key, and staff rows are an allow-list so a
//! column added later (a secret) never leaks by default.

use std::{
    collections::HashMap,
    io::{Seek, Write},
};

use entities::{
    coupon, coupon_assignee, deal, deal_line, deal_payment, notification_rule, product, role,
    role_permission, service_type, team, user, user_permission, user_role,
};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde_json::{Value, json};

use super::Archive;
use crate::{
    contacts::vault::Vault,
    deals::{NOTE_FIELD, PAYMENT_NOTE_FIELD, open_note},
    error::ApiError,
};

/// Names that rows refer to by id, so the files read without joins.
pub struct Names {
    pub users: HashMap<i64, user::Model>,
    pub teams: HashMap<i64, String>,
    pub service_types: HashMap<i64, service_type::Model>,
}

impl Names {
    pub async fn load(db: &DatabaseConnection) -> Result<Self, ApiError> {
        Ok(Self {
            users: user::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.id, u))
                .collect(),
            teams: team::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|t| (t.id, t.name))
                .collect(),
            service_types: service_type::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
        })
    }

    pub fn username(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.users.get(&id))
            .map(|u| u.username.clone())
    }

    pub fn full_name(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.users.get(&id))
            .map(|u| u.full_name.clone())
    }
}

pub async fn write_all<W: Write + Seek>(
    db: &DatabaseConnection,
    vault: &Vault,
    names: &Names,
    archive: &mut Archive<W>,
) -> Result<(), ApiError> {
    staff(db, names, archive).await?;
    plain::<team::Entity, _>(db, "teams.jsonl", archive).await?;
    plain::<role::Entity, _>(db, "roles.jsonl", archive).await?;
    plain::<role_permission::Entity, _>(db, "role_permissions.jsonl", archive).await?;
    plain::<user_role::Entity, _>(db, "user_roles.jsonl", archive).await?;
    plain::<user_permission::Entity, _>(db, "user_permissions.jsonl", archive).await?;
    plain::<service_type::Entity, _>(db, "service_types.jsonl", archive).await?;
    plain::<product::Entity, _>(db, "products.jsonl", archive).await?;
    plain::<coupon::Entity, _>(db, "coupons.jsonl", archive).await?;
    plain::<coupon_assignee::Entity, _>(db, "coupon_assignees.jsonl", archive).await?;
    plain::<notification_rule::Entity, _>(db, "notification_rules.jsonl", archive).await?;
    deals(db, vault, archive).await?;
    plain::<deal_line::Entity, _>(db, "deal_lines.jsonl", archive).await?;
    Ok(())
}

/// A table exactly as stored (it holds nothing personal or secret).
async fn plain<E: EntityTrait, W: Write + Seek>(
    db: &DatabaseConnection,
    name: &str,
    archive: &mut Archive<W>,
) -> Result<(), ApiError> {
    archive.start(name)?;
    for row in E::find().into_json().all(db).await? {
        archive.line(name, &row)?;
    }
    Ok(())
}

async fn staff<W: Write + Seek>(
    db: &DatabaseConnection,
    names: &Names,
    archive: &mut Archive<W>,
) -> Result<(), ApiError> {
    const NAME: &str = "users.jsonl";
    archive.start(NAME)?;
    let roles: HashMap<i64, String> = role::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let mut held: HashMap<i64, Vec<String>> = HashMap::new();
    for link in user_role::Entity::find().all(db).await? {
        if let Some(role) = roles.get(&link.role_id) {
            held.entry(link.user_id).or_default().push(role.clone());
        }
    }
    let mut users: Vec<&user::Model> = names.users.values().collect();
    users.sort_by_key(|u| u.id);
    for u in users {
        archive.line(
            NAME,
            &json!({
                "id": u.id,
                "username": u.username,
                "full_name": u.full_name,
                "email": u.email,
                "phone": u.phone,
                "team": u.team_id.and_then(|t| names.teams.get(&t)),
                "team_id": u.team_id,
                "position": u.position,
                "status": u.status,
                "roles": held.remove(&u.id).unwrap_or_default(),
                "created_at": u.created_at.to_rfc3339(),
            }),
        )?;
    }
    Ok(())
}

/// Deals and their payment history, notes decrypted (erased for anonymized contacts).
async fn deals<W: Write + Seek>(
    db: &DatabaseConnection,
    vault: &Vault,
    archive: &mut Archive<W>,
) -> Result<(), ApiError> {
    // One read of each table: ids and ciphertexts come from the JSON rows themselves.
    let deals = deal::Entity::find()
        .order_by_asc(deal::Column::Id)
        .into_json()
        .all(db)
        .await?;
    let payments = deal_payment::Entity::find()
        .order_by_asc(deal_payment::Column::Id)
        .into_json()
        .all(db)
        .await?;
    let contact_of: HashMap<i64, i64> = deals
        .iter()
        .filter_map(|d| Some((d["id"].as_i64()?, d["contact_id"].as_i64()?)))
        .collect();
    let mut contact_ids: Vec<i64> = contact_of.values().copied().collect();
    contact_ids.sort_unstable();
    contact_ids.dedup();
    let mut keys = HashMap::new();
    for chunk in contact_ids.chunks(500) {
        keys.extend(vault.keys_for(db, chunk).await?);
    }
    const DEALS: &str = "deals.jsonl";
    archive.start(DEALS)?;
    for mut value in deals {
        let key = value["contact_id"].as_i64().and_then(|c| keys.get(&c));
        open_sealed(&mut value, key, NOTE_FIELD);
        archive.line(DEALS, &value)?;
    }
    const PAYMENTS: &str = "deal_payments.jsonl";
    archive.start(PAYMENTS)?;
    for mut value in payments {
        let key = value["deal_id"]
            .as_i64()
            .and_then(|d| contact_of.get(&d))
            .and_then(|c| keys.get(c));
        open_sealed(&mut value, key, PAYMENT_NOTE_FIELD);
        archive.line(PAYMENTS, &value)?;
    }
    Ok(())
}

/// Replaces the row's `note_enc` with the decrypted `note` (erased without a key).
fn open_sealed(value: &mut Value, key: Option<&crate::crypto::envelope::DataKey>, field: &str) {
    let sealed = value["note_enc"].as_str().map(ToOwned::to_owned);
    let note = open_note(key, field, sealed.as_ref());
    if let Some(object) = value.as_object_mut() {
        object.remove("note_enc");
        object.insert("note".to_owned(), json!(note));
    }
}
