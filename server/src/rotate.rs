//! `ankhang rotate-key`: move every contact's data key under a new master key.
//! Personal data stays as it is (it is encrypted under the data keys); only the wrapped
//! keys and the blind indexes, whose key also derives from the master key, change —
//! and the two-factor secrets, the VAPID key, push subscriptions, inbound message
//! senders and pending messages, and the Zalo OA tokens, sealed under keys derived from
//! it too.

use anyhow::Context;
use chrono::{DateTime, Utc};
use entities::{contact, contact_key};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

use crate::{
    audit::{self, AuditEntry},
    auth::two_factor,
    contacts::vault::Vault,
    db,
    http::client_meta::ClientMeta,
    inbound,
    keys::Keys,
    push,
};

#[derive(Debug, PartialEq, Eq)]
pub struct Rotation {
    pub keys_rewrapped: usize,
    pub contacts_reindexed: usize,
    pub new_kek_id: String,
    /// Two-factor secrets sealed anew under the new key.
    pub totp_secrets_resealed: usize,
    /// The VAPID key pair and the browsers' push subscriptions sealed anew.
    pub push_secrets_resealed: usize,
    /// Inbound message senders and pending messages sealed anew.
    pub inbound_resealed: usize,
    /// The Zalo OA token pair sealed anew (0 or 1).
    pub zalo_tokens_resealed: usize,
}

/// Re-wraps every data key and rebuilds every blind index in one transaction: either
/// all of it moves to the new key or nothing does.
pub async fn rotate(
    database: &DatabaseConnection,
    old: &Keys,
    new: &Keys,
    now: DateTime<Utc>,
) -> anyhow::Result<Rotation> {
    let (old_vault, new_vault) = (Vault::new(old), Vault::new(new));
    let tx = db::begin_write(database).await?;
    let wrapped = contact_key::Entity::find().all(&tx).await?;
    let mut keys_rewrapped = 0;
    for row in &wrapped {
        let key = old_vault.kek.unwrap(&row.wrapped_key).with_context(|| {
            format!(
                "khoá dữ liệu của khách hàng {} không mở được bằng khoá chính hiện tại",
                row.contact_id
            )
        })?;
        contact_key::Entity::update(contact_key::ActiveModel {
            contact_id: Set(row.contact_id),
            wrapped_key: Set(new_vault.kek.wrap(&key)),
            kek_id: Set(new_vault.kek.id.clone()),
            ..Default::default()
        })
        .exec(&tx)
        .await?;
        keys_rewrapped += 1;
    }
    let contacts = contact::Entity::find().all(&tx).await?;
    let ids: Vec<i64> = contacts.iter().map(|c| c.id).collect();
    let data_keys = new_vault.keys_for(&tx, &ids).await?;
    let mut contacts_reindexed = 0;
    for row in &contacts {
        // An erased contact has no key and no index left to rebuild.
        let Some(key) = data_keys.get(&row.id) else {
            continue;
        };
        let personal = new_vault.open(Some(key), row);
        contact::Entity::update(contact::ActiveModel {
            id: Set(row.id),
            phone_index: Set(new_vault.phone_index(&personal.phone)),
            ..Default::default()
        })
        .exec(&tx)
        .await?;
        new_vault
            .index_name(&tx, row.id, &personal.full_name)
            .await?;
        contacts_reindexed += 1;
    }
    let totp_secrets_resealed = two_factor::store::reseal_all(&tx, old, new).await?;
    let push_secrets_resealed =
        push::vapid::reseal(&tx, old, new).await? + push::store::reseal_all(&tx, old, new).await?;
    let inbound_resealed = inbound::seal::reseal_all(&tx, old, new).await?;
    let zalo_tokens_resealed = crate::zalo::tokens::reseal(&tx, old, new)
        .await
        .context("token Zalo OA không mở được bằng khoá chính hiện tại")?;
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: None,
            action: "system.master_key_rotated",
            target: None,
            before: Some(serde_json::json!({ "kek_id": old_vault.kek.id })),
            after: Some(serde_json::json!({
                "kek_id": new_vault.kek.id,
                "keys_rewrapped": keys_rewrapped,
                "contacts_reindexed": contacts_reindexed,
                "totp_secrets_resealed": totp_secrets_resealed,
                "push_secrets_resealed": push_secrets_resealed,
                "inbound_resealed": inbound_resealed,
                "zalo_tokens_resealed": zalo_tokens_resealed,
            })),
            meta: &ClientMeta {
                ip: None,
                user_agent: Some("ankhang-cli".into()),
            },
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Rotation {
        keys_rewrapped,
        contacts_reindexed,
        new_kek_id: new_vault.kek.id,
        totp_secrets_resealed,
        push_secrets_resealed,
        inbound_resealed,
        zalo_tokens_resealed,
    })
}
