//! Channel identities and pending messages are personal data: sealed under a key
//! derived from the master key, found again by a keyed hash.

use secrecy::ExposeSecret;

use crate::{
    crypto::{self as cipher, CryptoError, blind::BlindIndex},
    keys::Keys,
};

pub struct InboundSeal {
    seal_key: [u8; 32],
    index: BlindIndex,
}

impl InboundSeal {
    pub fn new(keys: &Keys) -> Self {
        Self {
            seal_key: *keys.derive("inbound/seal/v1").expose_secret(),
            index: BlindIndex::new(*keys.derive("inbound/index/v1").expose_secret()),
        }
    }

    /// The keyed hash of a sender on a channel.
    pub fn identity_index(&self, channel: &str, sender_id: &str) -> String {
        self.index.mac(channel, sender_id)
    }

    /// Seals `value` for `purpose` (e.g. `identity`, `pending/42`): a ciphertext
    /// cannot be moved to another purpose or row.
    pub fn seal(&self, purpose: &str, value: &str) -> String {
        cipher::seal(&self.seal_key, value.as_bytes(), purpose.as_bytes())
    }

    pub fn open(&self, purpose: &str, sealed: &str) -> Result<String, CryptoError> {
        let raw = cipher::open(&self.seal_key, sealed, purpose.as_bytes())?;
        String::from_utf8(raw).map_err(|_| CryptoError::Malformed)
    }
}

/// `ankhang rotate-key`: re-seals every sender identity, display name and pending
/// message under the new master key and recomputes the identity indexes.
pub async fn reseal_all(
    conn: &impl sea_orm::ConnectionTrait,
    old: &Keys,
    new: &Keys,
) -> anyhow::Result<usize> {
    use anyhow::Context;
    use entities::{inbound_identity, inbound_pending};
    use sea_orm::{ActiveValue::Set, EntityTrait};

    let (old, new) = (InboundSeal::new(old), InboundSeal::new(new));
    let mut resealed = 0;
    for row in inbound_identity::Entity::find().all(conn).await? {
        let sender = old
            .open(IDENTITY, &row.identity_sealed)
            .with_context(|| format!("không mở được danh tính tin nhắn đến {}", row.id))?;
        let name = match &row.display_name_sealed {
            Some(sealed) => Some(new.seal(DISPLAY_NAME, &old.open(DISPLAY_NAME, sealed)?)),
            None => None,
        };
        inbound_identity::Entity::update(inbound_identity::ActiveModel {
            id: Set(row.id),
            identity_index: Set(new.identity_index(&row.channel, &sender)),
            identity_sealed: Set(new.seal(IDENTITY, &sender)),
            display_name_sealed: Set(name),
            ..Default::default()
        })
        .exec(conn)
        .await?;
        resealed += 1;
    }
    for row in inbound_pending::Entity::find().all(conn).await? {
        let purpose = pending_purpose(row.identity_id);
        let text = old
            .open(&purpose, &row.content_sealed)
            .with_context(|| format!("không mở được tin nhắn chờ {}", row.id))?;
        inbound_pending::Entity::update(inbound_pending::ActiveModel {
            id: Set(row.id),
            content_sealed: Set(new.seal(&purpose, &text)),
            ..Default::default()
        })
        .exec(conn)
        .await?;
        resealed += 1;
    }
    Ok(resealed)
}

pub const IDENTITY: &str = "inbound.identity";
pub const DISPLAY_NAME: &str = "inbound.display_name";

/// A pending message is bound to its sender's row.
pub fn pending_purpose(identity_id: i64) -> String {
    format!("inbound.pending/{identity_id}")
}
