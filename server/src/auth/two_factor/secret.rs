//! The TOTP secret (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps): generated here,
//! sealed at rest with AES-256-GCM under a key derived from the master key, and turned
//! into what an authenticator app scans.

use anyhow::Context;
use qrcode::{QrCode, render::svg};
use rand::RngCore;
use secrecy::ExposeSecret;
use totp_rs::{Algorithm, Builder, Totp};

use crate::{
    crypto::{self, CryptoError},
    keys::Keys,
};

pub const ISSUER: &str = "AnKhangCRM";
const STEP_SECS: u64 = 30;
const DIGITS: u8 = 6;
/// The step before and after the current one count too: phone clocks drift.
const SKEW_STEPS: u16 = 1;
/// 160 bits, the HMAC-SHA1 key length RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
const KEY_PURPOSE: &str = "totp/v1";

/// Seals and opens users' TOTP secrets.
pub struct SecretBox {
    key: [u8; 32],
}

impl SecretBox {
    pub fn new(keys: &Keys) -> Self {
        Self {
            key: *keys.derive(KEY_PURPOSE).expose_secret(),
        }
    }

    pub fn seal(&self, user_id: i64, secret: &[u8]) -> String {
        crypto::seal(&self.key, secret, &aad(user_id))
    }

    pub fn open(&self, user_id: i64, sealed: &str) -> Result<Vec<u8>, CryptoError> {
        crypto::open(&self.key, sealed, &aad(user_id))
    }
}

/// Binds a sealed secret to its owner: copied onto another user's row it no longer opens.
fn aad(user_id: i64) -> Vec<u8> {
    format!("totp-secret/user/{user_id}").into_bytes()
}

pub fn generate() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    secret
}

/// The generator for one user: SHA-1, 6 digits, 30-second steps, ±1 step.
pub fn totp(secret: Vec<u8>, username: &str) -> anyhow::Result<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_step_duration(STEP_SECS)
        .with_skew(SKEW_STEPS)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(username)
        .build()
        .map_err(|err| anyhow::anyhow!("TOTP parameters refused: {err}"))
}

/// The 30-second step whose code `code` is, within ±1 step of `unix_secs`. The crate
/// compares in constant time and hands back the step, which the replay guard needs.
pub fn matching_step(totp: &Totp, code: &str, unix_secs: i64) -> Option<i64> {
    let now = u64::try_from(unix_secs).ok()?;
    totp.check(code, now)
        .and_then(|step| i64::try_from(step).ok())
}

/// `otpauth://totp/AnKhangCRM:<username>?secret=…&issuer=AnKhangCRM`
pub fn otpauth_uri(totp: &Totp) -> anyhow::Result<String> {
    totp.to_url()
        .map_err(|err| anyhow::anyhow!("no otpauth URI: {err}"))
}

/// The key in base32, for typing into the app by hand.
pub fn base32(totp: &Totp) -> String {
    totp.secret().to_base32()
}

pub fn qr_svg(uri: &str) -> anyhow::Result<String> {
    let code = QrCode::new(uri.as_bytes()).context("otpauth URI too long for a QR code")?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_and_its_neighbours_only() {
        let t = totp(vec![7u8; SECRET_BYTES], "sale01").expect("totp");
        let now = 1_769_155_200; // 2026-01-23T08:00:00Z, a step boundary
        let step = now / 30;
        let code = t.generate(now as u64).to_string();
        assert_eq!(matching_step(&t, &code, now), Some(step));
        assert_eq!(matching_step(&t, &code, now + 30), Some(step));
        assert_eq!(matching_step(&t, &code, now - 30), Some(step));
        assert_eq!(matching_step(&t, &code, now + 90), None);
    }

    #[test]
    fn the_uri_names_issuer_and_account_and_the_qr_is_svg() {
        let t = totp(vec![1u8; SECRET_BYTES], "sale01").expect("totp");
        let uri = otpauth_uri(&t).expect("uri");
        assert!(
            uri.starts_with("otpauth://totp/AnKhangCRM:sale01?"),
            "{uri}"
        );
        assert!(uri.contains("issuer=AnKhangCRM"));
        assert!(qr_svg(&uri).expect("qr").contains("<svg"));
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_user() {
        let dir = tempfile::tempdir().expect("dir");
        let keys = Keys::load(None, dir.path()).expect("keys");
        let sealed_box = SecretBox::new(&keys);
        let secret = generate();
        let sealed = sealed_box.seal(3, &secret);
        assert_eq!(sealed_box.open(3, &sealed).expect("open"), secret);
        assert!(sealed_box.open(4, &sealed).is_err());
    }
}
