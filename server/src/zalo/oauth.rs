//! Zalo OA OAuth v4 with PKCE: the authorization URL, and the token endpoint for both
//! the authorization code and the refresh token (`POST {oauth_base}/v4/oa/access_token`,
//! form body, the app secret in the `secret_key` header).

use std::time::Duration;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::config::ZaloConfig;

const TIMEOUT: Duration = Duration::from_secs(15);

/// A fresh access + refresh token pair.
#[derive(Debug)]
pub struct TokenPair {
    pub access_token: SecretString,
    pub refresh_token: SecretString,
    pub expires_in_secs: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum OauthError {
    /// Zalo answered and refused (invalid code, revoked or expired refresh token).
    #[error("Zalo từ chối: {0}")]
    Refused(String),
    /// Zalo could not be reached or answered something unreadable; worth retrying.
    #[error("Không kết nối được máy chủ xác thực Zalo: {0}")]
    Unreachable(String),
    #[error("Chưa cấu hình ứng dụng Zalo (ANKHANG_ZALO_APP_ID, ANKHANG_ZALO_APP_SECRET)")]
    NotConfigured,
}

/// A random URL-safe string of 32 bytes (state, PKCE verifier).
pub fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// PKCE S256: `BASE64URL(SHA256(verifier))`.
pub fn code_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Where the admin's browser goes to grant the OA's permissions.
pub fn authorization_url(
    config: &ZaloConfig,
    redirect_uri: &str,
    state: &str,
    verifier: &str,
) -> Result<String, OauthError> {
    let (app_id, _) = config.app().ok_or(OauthError::NotConfigured)?;
    let mut url = url::Url::parse(&format!("{}/v4/oa/permission", config.oauth_base))
        .map_err(|err| OauthError::Unreachable(err.to_string()))?;
    url.query_pairs_mut()
        .append_pair("app_id", app_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("code_challenge", &code_challenge(verifier))
        .append_pair("state", state);
    Ok(url.into())
}

pub struct OauthClient {
    http: reqwest::Client,
    config: ZaloConfig,
}

impl OauthClient {
    pub fn new(config: ZaloConfig) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .build()
                .unwrap_or_default(),
            config,
        }
    }

    /// Trades the callback's code (with the PKCE verifier) for a token pair.
    pub async fn exchange_code(&self, code: &str, verifier: &str) -> Result<TokenPair, OauthError> {
        self.token_request(&[
            ("code", code),
            ("grant_type", "authorization_code"),
            ("code_verifier", verifier),
        ])
        .await
    }

    /// Trades the refresh token for a new pair; Zalo rotates both.
    pub async fn refresh(&self, refresh_token: &SecretString) -> Result<TokenPair, OauthError> {
        self.token_request(&[
            ("refresh_token", refresh_token.expose_secret()),
            ("grant_type", "refresh_token"),
        ])
        .await
    }

    async fn token_request(&self, fields: &[(&str, &str)]) -> Result<TokenPair, OauthError> {
        let (app_id, secret) = self.config.app().ok_or(OauthError::NotConfigured)?;
        let mut form = vec![("app_id", app_id)];
        form.extend_from_slice(fields);
        let response = self
            .http
            .post(format!("{}/v4/oa/access_token", self.config.oauth_base))
            .header("secret_key", secret.expose_secret())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(serde_urlencoded::to_string(&form).unwrap_or_default())
            .send()
            .await
            .map_err(|err| OauthError::Unreachable(without_url(&err)))?;
        let status = response.status();
        if status.is_server_error() {
            return Err(OauthError::Unreachable(format!("HTTP {}", status.as_u16())));
        }
        let body: Value = response
            .json()
            .await
            .map_err(|_| OauthError::Unreachable("câu trả lời không đọc được".into()))?;
        parse_pair(&body)
    }
}

/// Zalo answers `{access_token, refresh_token, expires_in}` (`expires_in` a string of
/// seconds), or `{error, error_name, error_description}`.
fn parse_pair(body: &Value) -> Result<TokenPair, OauthError> {
    let text = |key: &str| body[key].as_str().filter(|s| !s.is_empty());
    match (text("access_token"), text("refresh_token")) {
        (Some(access), Some(refresh)) => {
            let expires_in_secs = body["expires_in"]
                .as_i64()
                .or_else(|| body["expires_in"].as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(3600);
            Ok(TokenPair {
                access_token: SecretString::from(access),
                refresh_token: SecretString::from(refresh),
                expires_in_secs,
            })
        }
        _ => {
            let reason = text("error_description")
                .or_else(|| text("error_name"))
                .unwrap_or("không có token trong câu trả lời");
            Err(OauthError::Refused(format!(
                "{reason} (mã {})",
                body["error"].as_i64().unwrap_or_default()
            )))
        }
    }
}

/// reqwest's errors may print the URL; ours never carry one.
fn without_url(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "không trả lời kịp".into()
    } else {
        "không kết nối được".into()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_challenge_is_the_rfc_7636_example() {
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn zalo_answers_are_read_with_string_expiries_and_refusals() {
        let pair = parse_pair(&json!({
            "access_token": "a", "refresh_token": "r", "expires_in": "90000"
        }))
        .expect("pair");
        assert_eq!(pair.expires_in_secs, 90000);
        let refused = parse_pair(&json!({
            "error": -14014, "error_name": "Invalid refresh token"
        }));
        assert!(
            matches!(refused, Err(OauthError::Refused(why)) if why == "Invalid refresh token (mã -14014)")
        );
    }
}
