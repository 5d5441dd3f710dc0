//! Zalo OA settings (README's configuration table). The base URLs are configuration so
//! tests (and staging) run against a local fake Zalo server.

use secrecy::SecretString;

/// Zalo's OAuth server (authorization page, token endpoint).
pub const DEFAULT_OAUTH_BASE: &str = "https://oauth.zaloapp.com";
/// Zalo's OA / ZNS API.
pub const DEFAULT_API_BASE: &str = "https://business.openapi.zalo.me";

#[derive(Debug, Clone)]
pub struct ZaloConfig {
    /// `ANKHANG_ZALO_OAUTH_BASE`, without a trailing slash.
    pub oauth_base: String,
    /// `ANKHANG_ZALO_API_BASE`, without a trailing slash.
    pub api_base: String,
    /// `ANKHANG_ZALO_APP_ID`; unset means Zalo cannot be connected.
    pub app_id: Option<String>,
    /// `ANKHANG_ZALO_APP_SECRET`, sent as the `secret_key` header to the token endpoint.
    pub app_secret: Option<SecretString>,
}

impl Default for ZaloConfig {
    fn default() -> Self {
        Self {
            oauth_base: DEFAULT_OAUTH_BASE.into(),
            api_base: DEFAULT_API_BASE.into(),
            app_id: None,
            app_secret: None,
        }
    }
}

impl ZaloConfig {
    pub fn from_env(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let base = |name: &str, default: &str| -> anyhow::Result<String> {
            let value = var(name).unwrap_or_else(|| default.to_owned());
            let parsed = url::Url::parse(value.trim()).map_err(|_| {
                anyhow::anyhow!("{name} phải là một địa chỉ http(s), không phải \"{value}\"")
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                anyhow::bail!("{name} phải là một địa chỉ http(s), không phải \"{value}\"");
            }
            Ok(value.trim().trim_end_matches('/').to_owned())
        };
        // The app id alone also serves the inbound webhook's signature check; connecting
        // the OA needs the secret as well (see `app`).
        let app_id = var("ANKHANG_ZALO_APP_ID").map(|v| v.trim().to_owned());
        let app_secret = var("ANKHANG_ZALO_APP_SECRET").map(SecretString::from);
        Ok(Self {
            oauth_base: base("ANKHANG_ZALO_OAUTH_BASE", DEFAULT_OAUTH_BASE)?,
            api_base: base("ANKHANG_ZALO_API_BASE", DEFAULT_API_BASE)?,
            app_id,
            app_secret,
        })
    }

    /// The app id and secret, when Zalo is configured at all.
    pub fn app(&self) -> Option<(&str, &SecretString)> {
        Some((self.app_id.as_deref()?, self.app_secret.as_ref()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_zalo_and_trims_slashes() {
        let config = ZaloConfig::from_env(&|name: &str| {
            (name == "ANKHANG_ZALO_API_BASE").then(|| "http://127.0.0.1:9/".to_owned())
        })
        .expect("config");
        assert_eq!(config.oauth_base, DEFAULT_OAUTH_BASE);
        assert_eq!(config.api_base, "http://127.0.0.1:9");
        assert!(config.app().is_none());
    }

    #[test]
    fn an_app_id_without_its_secret_cannot_connect() {
        let config = ZaloConfig::from_env(&|name: &str| {
            (name == "ANKHANG_ZALO_APP_ID").then(|| "123".to_owned())
        })
        .expect("config");
        assert!(config.app().is_none());
    }
}
