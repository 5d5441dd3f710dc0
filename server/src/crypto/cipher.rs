//! Sealing bytes with AES-256-GCM: `nonce (12 bytes) ‖ ciphertext ‖ tag`, base64.

use aes_gcm::{
    Aes256Gcm, Nonce,
    aead::{Aead, Generate, KeyInit, Payload},
};
use base64::{Engine, engine::general_purpose::STANDARD};

const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("ciphertext is not valid base64 or too short")]
    Malformed,
    #[error("decryption failed: wrong key or altered data")]
    Unauthentic,
}

/// Encrypts `plaintext` under `key`, binding it to `aad` (a field's purpose), so a
/// ciphertext moved to another field no longer opens.
pub fn seal(key: &[u8; 32], plaintext: &[u8], aad: &[u8]) -> String {
    let cipher = Aes256Gcm::new(&(*key).into());
    let nonce = Nonce::generate();
    // Encryption only fails for inputs beyond GCM's 64 GiB limit.
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .unwrap_or_default();
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(nonce.as_slice());
    out.extend_from_slice(&sealed);
    STANDARD.encode(out)
}

pub fn open(key: &[u8; 32], sealed: &str, aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let raw = STANDARD
        .decode(sealed)
        .map_err(|_| CryptoError::Malformed)?;
    if raw.len() < NONCE_LEN + 16 {
        return Err(CryptoError::Malformed);
    }
    let (nonce, body) = raw.split_at(NONCE_LEN);
    let nonce = Nonce::try_from(nonce).map_err(|_| CryptoError::Malformed)?;
    Aes256Gcm::new(&(*key).into())
        .decrypt(&nonce, Payload { msg: body, aad })
        .map_err(|_| CryptoError::Unauthentic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_only_with_its_key_and_purpose() {
        let key = [7u8; 32];
        let sealed = seal(&key, "Nguyễn Văn An".as_bytes(), b"name");
        assert!(!sealed.contains("Nguy"));
        assert_eq!(
            open(&key, &sealed, b"name").expect("open"),
            "Nguyễn Văn An".as_bytes()
        );
        assert_eq!(open(&key, &sealed, b"phone"), Err(CryptoError::Unauthentic));
        assert_eq!(
            open(&[8u8; 32], &sealed, b"name"),
            Err(CryptoError::Unauthentic)
        );
        assert_ne!(
            seal(&key, b"x", b"a"),
            seal(&key, b"x", b"a"),
            "fresh nonce"
        );
        assert_eq!(open(&key, "AAAA", b"name"), Err(CryptoError::Malformed));
    }
}
