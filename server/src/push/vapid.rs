//! The server's VAPID key pair (RFC 8292): generated on first run, kept sealed in
//! `server_secrets` under a key derived from the master key, the same for every
//! server process sharing the database.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use entities::server_secret;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use secrecy::{ExposeSecret, SecretString};
use web_push::{PartialVapidSignatureBuilder, VapidSignatureBuilder, WebPushError};

use crate::{
    crypto::{self, CryptoError},
    keys::Keys,
};

const SECRET_NAME: &str = "vapid_private_key";
const KEY_PURPOSE: &str = "server-secrets/v1";

/// The private key (a P-256 scalar, base64url) and its public point.
pub struct Vapid {
    private: SecretString,
    /// Uncompressed P-256 point, base64url: what browsers take as `applicationServerKey`.
    pub public_key: String,
    /// The `sub` claim: who the push services may contact.
    pub subject: String,
}

#[derive(Debug, thiserror::Error)]
pub enum VapidError {
    #[error("cơ sở dữ liệu: {0}")]
    Database(#[from] DbErr),
    #[error("khoá VAPID đã lưu không mở được bằng khoá chính hiện tại: {0}")]
    Sealed(#[from] CryptoError),
    #[error("khoá VAPID đã lưu không hợp lệ")]
    Invalid,
}

impl Vapid {
    /// Reads the key pair, creating it if this is the first run. Two processes starting
    /// together both try to insert; the loser reads the winner's key.
    pub async fn load_or_create(
        conn: &impl ConnectionTrait,
        keys: &Keys,
        subject: String,
        now: DateTime<Utc>,
    ) -> Result<Self, VapidError> {
        let sealer = Sealer::new(keys);
        if server_secret::Entity::find_by_id(SECRET_NAME)
            .one(conn)
            .await?
            .is_none()
        {
            let fresh = generate();
            server_secret::Entity::insert(server_secret::ActiveModel {
                name: Set(SECRET_NAME.to_owned()),
                value_sealed: Set(sealer.seal(fresh.expose_secret())),
                created_at: Set(now),
            })
            .on_conflict_do_nothing()
            .exec_without_returning(conn)
            .await?;
            tracing::info!("generated the Web Push (VAPID) key pair");
        }
        let row = server_secret::Entity::find_by_id(SECRET_NAME)
            .one(conn)
            .await?
            .ok_or(VapidError::Invalid)?;
        let private = SecretString::from(sealer.open(&row.value_sealed)?);
        let public = VapidSignatureBuilder::from_base64_no_sub(private.expose_secret())
            .map_err(|_| VapidError::Invalid)?
            .get_public_key();
        Ok(Self {
            private,
            public_key: URL_SAFE_NO_PAD.encode(public),
            subject,
        })
    }

    /// A signer to add one subscription's audience to.
    pub fn signer(&self) -> Result<PartialVapidSignatureBuilder, WebPushError> {
        VapidSignatureBuilder::from_base64_no_sub(self.private.expose_secret())
    }
}

/// A fresh private key. Almost every 32-byte string is a valid P-256 scalar (the odds
/// of zero or one above the group order are about 2⁻³²); the loop refuses the rest.
/// web-push offers no generator of its own, and this spares a second EC crate.
fn generate() -> SecretString {
    loop {
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let encoded = URL_SAFE_NO_PAD.encode(raw);
        if VapidSignatureBuilder::from_base64_no_sub(&encoded).is_ok() {
            return SecretString::from(encoded);
        }
    }
}

/// Seals server secrets; the name is bound in, so a value moved to another row no
/// longer opens.
struct Sealer {
    key: [u8; 32],
}

impl Sealer {
    fn new(keys: &Keys) -> Self {
        Self {
            key: *keys.derive(KEY_PURPOSE).expose_secret(),
        }
    }

    fn seal(&self, value: &str) -> String {
        crypto::seal(&self.key, value.as_bytes(), aad().as_bytes())
    }

    fn open(&self, sealed: &str) -> Result<String, CryptoError> {
        let raw = crypto::open(&self.key, sealed, aad().as_bytes())?;
        String::from_utf8(raw).map_err(|_| CryptoError::Malformed)
    }
}

fn aad() -> String {
    format!("server-secret/{SECRET_NAME}")
}

/// Re-seals the key pair under a new master key (`ankhang rotate-key`): pushing keeps
/// working and browsers keep their subscriptions, which are bound to the public key.
pub async fn reseal(conn: &impl ConnectionTrait, old: &Keys, new: &Keys) -> anyhow::Result<usize> {
    let Some(row) = server_secret::Entity::find_by_id(SECRET_NAME)
        .one(conn)
        .await?
    else {
        return Ok(0);
    };
    let value = Sealer::new(old)
        .open(&row.value_sealed)
        .map_err(VapidError::from)?;
    server_secret::Entity::update(server_secret::ActiveModel {
        name: Set(row.name),
        value_sealed: Set(Sealer::new(new).seal(&value)),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_has_a_65_byte_uncompressed_public_point() {
        let private = generate();
        let public = VapidSignatureBuilder::from_base64_no_sub(private.expose_secret())
            .expect("valid scalar")
            .get_public_key();
        assert_eq!(public.len(), 65);
        assert_eq!(public[0], 0x04);
    }
}
