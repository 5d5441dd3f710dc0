//! Channel identities and pending messages are personal data: sealed under a key
//! derived from the master key, found again by a keyed hash.

use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;

use crate::{
    crypto::{self as cipher, CryptoError},
    keys::Keys,
};

pub struct InboundSeal {
    seal_key: [u8; 32],
    index_key: [u8; 32],
}

impl InboundSeal {
    pub fn new(keys: &Keys) -> Self {
        Self {
            seal_key: *keys.derive("inbound/seal/v1").expose_secret(),
            index_key: *keys.derive("inbound/index/v1").expose_secret(),
        }
    }

    /// The keyed hash of a sender on a channel.
    pub fn identity_index(&self, channel: &str, sender_id: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.index_key) else {
            unreachable!("HMAC takes any key length");
        };
        mac.update(channel.as_bytes());
        mac.update(b"\0");
        mac.update(sender_id.as_bytes());
        hex::encode(mac.finalize().into_bytes())
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
