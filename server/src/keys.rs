//! The master key and the purpose keys derived from it (HKDF-SHA256, one `info` each).

use std::{io::Write, path::Path};

use anyhow::{Context, bail};
use base64::{Engine, engine::general_purpose::STANDARD};
use hkdf::Hkdf;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;

type KeyBytes = SecretBox<[u8; 32]>;

pub struct Keys {
    master: KeyBytes,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// Loads `ANKHANG_MASTER_KEY` if given, else `data_dir/master.key`, creating it
    /// (mode 0600) on first run.
    pub fn load(from_env: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(encoded) = from_env {
            return Self::from_base64(encoded).context("ANKHANG_MASTER_KEY");
        }
        let path = data_dir.join("master.key");
        if path.exists() {
            let encoded = std::fs::read_to_string(&path)
                .with_context(|| format!("không đọc được {}", path.display()))?;
            return Self::from_base64(encoded.trim())
                .with_context(|| format!("khoá trong {} không hợp lệ", path.display()));
        }
        std::fs::create_dir_all(data_dir)?;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        write_private(&path, STANDARD.encode(key).as_bytes())?;
        tracing::warn!(
            path = %path.display(),
            "ANKHANG_MASTER_KEY is not set: generated a new master key. Back it up outside the \
             server — without it encrypted data cannot be read."
        );
        Ok(Self {
            master: SecretBox::new(Box::new(key)),
        })
    }

    /// A fresh random master key and its base64 form (for `rotate-key`).
    pub fn generate() -> (Self, String) {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        let encoded = STANDARD.encode(key);
        (
            Self {
                master: SecretBox::new(Box::new(key)),
            },
            encoded,
        )
    }

    /// Replaces `data_dir/master.key` atomically (write aside, then rename).
    pub fn replace_file(data_dir: &Path, encoded: &str) -> anyhow::Result<()> {
        let path = data_dir.join("master.key");
        let next = data_dir.join("master.key.next");
        let _ = std::fs::remove_file(&next);
        write_private(&next, encoded.as_bytes())?;
        std::fs::rename(&next, &path).with_context(|| format!("không thay được {}", path.display()))
    }

    pub fn from_base64(encoded: &str) -> anyhow::Result<Self> {
        let raw = STANDARD
            .decode(encoded.trim())
            .context("khoá chính phải là base64")?;
        let Ok(key) = <[u8; 32]>::try_from(raw.as_slice()) else {
            bail!("khoá chính phải dài đúng 32 byte (AES-256)");
        };
        Ok(Self {
            master: SecretBox::new(Box::new(key)),
        })
    }

    /// A key for one purpose; distinct purposes never share key material.
    pub fn derive(&self, purpose: &str) -> KeyBytes {
        let hk = Hkdf::<Sha256>::new(Some(b"ankhang-crm/v1"), self.master.expose_secret());
        let mut out = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand cannot fail.
        if hk.expand(purpose.as_bytes(), &mut out).is_err() {
            unreachable!("HKDF output length is fixed and valid");
        }
        SecretBox::new(Box::new(out))
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("không tạo được {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_key_file_is_private_and_reloads_to_the_same_keys() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = Keys::load(None, dir.path()).expect("generate");
        let second = Keys::load(None, dir.path()).expect("reload");
        assert_eq!(
            first.derive("x").expose_secret(),
            second.derive("x").expose_secret()
        );
        assert_ne!(
            first.derive("x").expose_secret(),
            first.derive("y").expose_secret()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("master.key"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn short_key_is_refused() {
        assert!(Keys::from_base64(&STANDARD.encode([1u8; 16])).is_err());
    }
}
