//! Per-contact data keys, wrapped by the key-encryption key (KEK) derived from the
//! master key. Destroying a contact's wrapped key makes every copy of its personal data
//! unreadable (crypto-shredding); rotating the master key only re-wraps data keys.

use rand::RngCore;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use super::{CryptoError, open, seal};
use crate::keys::Keys;

const WRAP_AAD: &[u8] = b"ankhang/data-key/v1";

/// The key-encryption key and its id (a fingerprint stored beside each wrapped key).
pub struct Kek {
    key: [u8; 32],
    pub id: String,
}

impl Kek {
    pub fn from_keys(keys: &Keys) -> Self {
        let key = *keys.derive("kek/v1").expose_secret();
        let id = hex::encode(&Sha256::digest(key)[..8]);
        Self { key, id }
    }

    pub fn wrap(&self, data_key: &DataKey) -> String {
        seal(&self.key, &data_key.0, WRAP_AAD)
    }

    pub fn unwrap(&self, wrapped: &str) -> Result<DataKey, CryptoError> {
        let raw = open(&self.key, wrapped, WRAP_AAD)?;
        let key = <[u8; 32]>::try_from(raw.as_slice()).map_err(|_| CryptoError::Malformed)?;
        Ok(DataKey(key))
    }
}

/// One contact's key for its personal fields and every copy of them.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

/// Never prints the key itself, so structures holding one can still be logged.
impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl DataKey {
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// Encrypts one field; `field` names its purpose so ciphertexts cannot be swapped.
    pub fn seal(&self, field: &str, plaintext: &str) -> String {
        seal(&self.0, plaintext.as_bytes(), field.as_bytes())
    }

    pub fn open(&self, field: &str, sealed: &str) -> Result<String, CryptoError> {
        let raw = open(&self.0, sealed, field.as_bytes())?;
        String::from_utf8(raw).map_err(|_| CryptoError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_data_key_unwraps_only_under_the_same_master_key() {
        let dir = tempfile::tempdir().expect("dir");
        let keys = Keys::load(None, dir.path()).expect("keys");
        let kek = Kek::from_keys(&keys);
        let dk = DataKey::generate();
        let sealed = dk.seal("phone", "0912345678");
        let wrapped = kek.wrap(&dk);
        let back = kek.unwrap(&wrapped).expect("unwrap");
        assert_eq!(back.open("phone", &sealed).expect("open"), "0912345678");
        let other = Keys::load(None, tempfile::tempdir().expect("dir").path()).expect("keys");
        assert!(Kek::from_keys(&other).unwrap(&wrapped).is_err());
        assert_eq!(kek.id.len(), 16);
    }
}
