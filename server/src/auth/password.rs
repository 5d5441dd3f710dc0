//! Password hashing (argon2id) and the password policy.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::error::ApiError;

pub const MIN_LEN: usize = 8;
/// Argon2 cost grows with input; an upper bound keeps a huge password from being a DoS.
pub const MAX_LEN: usize = 128;

/// Checks SPEC.md's policy: ≥ 8 characters with at least one letter and one digit.
pub fn check_policy(field: &str, password: &str) -> Result<(), ApiError> {
    let chars = password.chars().count();
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if chars > MAX_LEN {
        return Err(ApiError::validation(
            field,
            format!("Mật khẩu không được dài quá {MAX_LEN} ký tự"),
        ));
    }
    if chars < MIN_LEN || !has_letter || !has_digit {
        return Err(ApiError::validation(
            field,
            "Mật khẩu phải có ít nhất 8 ký tự, gồm chữ và số",
        ));
    }
    Ok(())
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let hash: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 hash failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the username does not exist, so a wrong username
/// costs the same time as a wrong password.
pub fn verify_dummy(password: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash("dummy-password-1").unwrap_or_default());
    let _ = verify(password, &DUMMY);
}

/// Each argon2 run holds ~19 MiB and a core for tens of milliseconds; a login storm
/// queues here instead of exhausting memory with hundreds of parallel hashes.
static HASHING_SLOTS: Semaphore = Semaphore::const_new(4);

/// Hashing is deliberately slow: keep it off the async workers.
pub async fn hash_blocking(password: String) -> anyhow::Result<String> {
    let _slot = HASHING_SLOTS.acquire().await?;
    tokio::task::spawn_blocking(move || hash(&password)).await?
}

pub async fn verify_blocking(password: String, stored: Option<String>) -> bool {
    let Ok(_slot) = HASHING_SLOTS.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || match stored {
        Some(stored) => verify(&password, &stored),
        None => {
            verify_dummy(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_needs_length_letters_and_digits() {
        assert!(check_policy("p", "abc12345").is_ok());
        assert!(check_policy("p", "Mậtkhẩu9").is_ok());
        for bad in ["abc1234", "abcdefgh", "12345678", ""] {
            assert!(check_policy("p", bad).is_err(), "{bad} should fail");
        }
        assert!(check_policy("p", &format!("a1{}", "x".repeat(MAX_LEN))).is_err());
    }

    #[test]
    fn hash_verifies_only_the_right_password() {
        let stored = hash("Secret123").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("Secret123", &stored));
        assert!(!verify("Secret124", &stored));
        assert!(!verify("Secret123", "not-a-hash"));
    }
}
