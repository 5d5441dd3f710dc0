//! Password hashing (argon2id) and the password policy.

use std::cell::RefCell;
use std::sync::{Arc, LazyLock, Mutex, mpsc};

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Error, Params, PasswordHash, Version};

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

thread_local! {
    /// Argon2's working memory (~19 MiB), kept by each hashing thread and reused by every
    /// run. Allocating it afresh each time leaves glibc holding hundreds of MB after a
    /// burst of logins: freed 19 MiB blocks stay in its per-thread arenas.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs argon2 with this thread's reused working memory.
fn compute(argon: &Argon2, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), Error> {
    let blocks = argon.params().block_count();
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
    })
}

/// An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with the crate's
/// default cost and a fresh 16-byte salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let failed = |e: &dyn std::fmt::Display| anyhow::anyhow!("argon2 hash failed: {e}");
    let argon = Argon2::default();
    let mut salt = [0u8; 16];
    rand::fill(&mut salt);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(&argon, password.as_bytes(), &salt, &mut out).map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(argon.params()).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Checks `password` against a stored PHC string, with the cost and salt it names.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    compute(&argon, password.as_bytes(), salt.as_ref(), &mut out).is_ok()
        // `Output`'s equality is constant-time.
        && Output::new(&out).is_ok_and(|computed| &computed == expected)
}

/// A hash to verify against when the username does not exist, so a wrong username
/// costs the same time as a wrong password.
pub fn verify_dummy(password: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash("dummy-password-1").unwrap_or_default());
    let _ = verify(password, &DUMMY);
}

/// Argon2 runs on this many long-lived threads. Each run holds ~19 MiB: a login storm
/// queues for them instead of hashing hundreds at once, and because the same threads
/// always hash, the allocator reuses their memory. (On tokio's blocking pool every
/// new thread kept its own freed 19 MiB: hundreds of MB after a burst of logins.)
const HASHING_THREADS: usize = 4;

type Job = Box<dyn FnOnce() + Send>;

static HASHERS: LazyLock<Option<mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    let mut started = 0;
    for n in 0..HASHING_THREADS {
        let queue = Arc::clone(&queue);
        let spawned = std::thread::Builder::new()
            .name(format!("argon2-{n}"))
            .spawn(move || hash_worker(&queue));
        match spawned {
            Ok(_) => started += 1,
            Err(err) => tracing::error!(%err, "cannot start a hashing thread"),
        }
    }
    (started > 0).then_some(jobs)
});

fn hash_worker(queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // The lock is only held while waiting for the next job, not while running it.
        let next = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = next else { return };
        // A panicking job must not take a hashing thread with it.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
}

/// Runs `work` on a hashing thread, off the async workers.
async fn on_hasher<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    let jobs = HASHERS
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("no hashing thread could be started"))?;
    jobs.send(Box::new(move || {
        let _ = done.send(work());
    }))
    .map_err(|_| anyhow::anyhow!("the hashing threads have stopped"))?;
    Ok(result.await?)
}

pub async fn hash_blocking(password: String) -> anyhow::Result<String> {
    on_hasher(move || hash(&password)).await?
}

pub async fn verify_blocking(password: String, stored: Option<String>) -> bool {
    on_hasher(move || match stored {
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

    #[test]
    fn hashes_made_by_the_crate_itself_still_verify() {
        // Stored before hashing reused its memory: the same PHC format, the same answers.
        use argon2::PasswordHasher;
        let stored = Argon2::default()
            .hash_password(b"Secret123")
            .expect("hash")
            .to_string();
        assert!(verify("Secret123", &stored));
        assert!(!verify("Secret124", &stored));
        let ours = hash("Secret123").expect("hash");
        use argon2::PasswordVerifier;
        assert!(
            Argon2::default()
                .verify_password(b"Secret123", ours.as_str())
                .is_ok()
        );
    }

    #[tokio::test]
    async fn many_hashes_at_once_all_finish_on_the_hashing_threads() {
        let stored = hash("Secret123").expect("hash");
        let checks = (0..12).map(|i| {
            let stored = stored.clone();
            async move {
                let password = if i % 2 == 0 { "Secret123" } else { "Wrong1234" };
                verify_blocking(password.to_owned(), Some(stored)).await
            }
        });
        let results = futures_util::future::join_all(checks).await;
        let expected: Vec<bool> = (0..12).map(|i| i % 2 == 0).collect();
        assert_eq!(results, expected);
        assert!(!verify_blocking("Secret123".to_owned(), None).await);
    }
}
