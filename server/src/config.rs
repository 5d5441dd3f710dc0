//! Typed configuration read from the environment (API.md's table).

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::Context;
use secrecy::SecretString;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// Base64 master key from `ANKHANG_MASTER_KEY`; `None` means `data/master.key`.
    pub master_key: Option<SecretString>,
    pub pick_cooldown: Duration,
    /// Where the built Yew bundle lives (index.html, app.js, app_bg.wasm).
    pub web_dir: PathBuf,
    /// The URL users reach the app at; used in emailed links and the CSRF origin check.
    pub public_url: String,
    pub smtp_url: Option<SecretString>,
    pub smtp_from: String,
    /// Take the client IP from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let bind: SocketAddr = var("ANKHANG_BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .context("ANKHANG_BIND phải có dạng host:port, ví dụ 127.0.0.1:8080")?;
        let pick_cooldown = match var("ANKHANG_PICK_COOLDOWN_SECS") {
            Some(v) => v
                .parse::<u64>()
                .context("ANKHANG_PICK_COOLDOWN_SECS phải là số giây")?,
            None => 300,
        };
        let public_url = var("ANKHANG_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        Ok(Self {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/ankhang.db?mode=rwc".into()),
            bind,
            data_dir: var("ANKHANG_DATA_DIR")
                .unwrap_or_else(|| "data".into())
                .into(),
            master_key: var("ANKHANG_MASTER_KEY").map(SecretString::from),
            pick_cooldown: Duration::from_secs(pick_cooldown),
            web_dir: var("ANKHANG_WEB_DIR")
                .unwrap_or_else(|| "client-yew/dist".into())
                .into(),
            public_url: public_url.trim_end_matches('/').to_owned(),
            smtp_url: var("ANKHANG_SMTP_URL").map(SecretString::from),
            smtp_from: var("ANKHANG_SMTP_FROM")
                .unwrap_or_else(|| "AnKhangCRM <no-reply@ankhang.local>".into()),
            trust_proxy: var("ANKHANG_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
        })
    }

    /// Cookies get `Secure` only when users reach us over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
