//! Typed configuration read from the environment (API.md's table).

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::{Context, bail};
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
    pub backup: BackupConfig,
    /// Slack-compatible incoming webhook for 5xx answers and background-job failures.
    pub monitor_webhook_url: Option<SecretString>,
    /// Bearer token for `GET /metrics`; unset means loopback peers only.
    pub metrics_token: Option<SecretString>,
    /// Built-in TLS 1.3 termination; `None` serves plain HTTP (behind a proxy).
    pub tls: Option<TlsFiles>,
    /// Largest attachment accepted, in bytes (`ANKHANG_ATTACHMENT_MAX_BYTES`).
    pub attachment_max_bytes: u64,
    /// Retention periods and how often the policy runs.
    pub retention: crate::retention::RetentionConfig,
    /// Slack incoming webhook the `slack` notification channel posts to; unset = off.
    pub slack_webhook_url: Option<SecretString>,
    pub push: PushConfig,
    /// Inbound Zalo OA / Facebook Messenger webhooks.
    pub inbound: crate::inbound::InboundConfig,
    /// Zalo OA: OAuth and API base URLs, app id and secret.
    pub zalo: crate::zalo::config::ZaloConfig,
    /// Facebook Messenger outbound (the `facebook` customer channel): Page token and
    /// Graph API base URL.
    pub facebook: crate::notifications::channels::facebook::FacebookConfig,
    /// Redis bridging the hubs of several server processes (`ANKHANG_BROKER_URL`);
    /// unset = one process, in-process hub only.
    pub broker_url: Option<SecretString>,
}

/// Web Push settings.
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// The VAPID `sub` claim push services contact about abuse (`mailto:` or `https:`).
    pub subject: String,
    /// Origins subscription endpoints may point to (`https://fcm.googleapis.com`, or
    /// `https://*.push.apple.com` for any subdomain). The server POSTs to these URLs, so
    /// an open list would let any user aim it at internal addresses.
    pub services: Vec<String>,
}

impl PushConfig {
    /// The push services of Chrome, Firefox, Safari and Edge.
    pub const DEFAULT_SERVICES: &[&str] = &[
        "https://fcm.googleapis.com",
        "https://updates.push.services.mozilla.com",
        "https://*.push.apple.com",
        "https://*.notify.windows.com",
    ];

    pub fn with_services(subject: String, services: &[&str]) -> Self {
        Self {
            subject,
            services: services.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

/// PEM files of the certificate chain and its private key.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Scheduled backups inside `ankhang serve` (SQLite only).
#[derive(Debug, Clone)]
pub struct BackupConfig {
    /// `None`: no scheduled backups (`ANKHANG_BACKUP_INTERVAL_MINUTES=0`).
    pub interval: Option<Duration>,
    /// How many backups to keep, here and off-site.
    pub keep: usize,
    /// A second folder (another disk, a mounted share) each backup is copied to.
    pub offsite_dir: Option<PathBuf>,
}

impl BackupConfig {
    pub const DEFAULT_INTERVAL_MINUTES: u64 = 15;
    /// One day of 15-minute backups.
    pub const DEFAULT_KEEP: usize = 96;

    /// No scheduled backups (tests, or a database backed up by its own tools).
    pub fn off() -> Self {
        Self {
            interval: None,
            keep: Self::DEFAULT_KEEP,
            offsite_dir: None,
        }
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the variables through `lookup`, so parsing is testable without touching
    /// the process environment. Blank values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
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
        let tls = match (var("ANKHANG_TLS_CERT"), var("ANKHANG_TLS_KEY")) {
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert: cert.into(),
                key: key.into(),
            }),
            (None, None) => None,
            (Some(_), None) => {
                anyhow::bail!("ANKHANG_TLS_KEY: thiếu khoá riêng đi kèm ANKHANG_TLS_CERT")
            }
            (None, Some(_)) => {
                anyhow::bail!("ANKHANG_TLS_CERT: thiếu chứng chỉ đi kèm ANKHANG_TLS_KEY")
            }
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let public_url = var("ANKHANG_PUBLIC_URL").unwrap_or_else(|| format!("{scheme}://{bind}"));
        let smtp_from = var("ANKHANG_SMTP_FROM")
            .unwrap_or_else(|| "AnKhangCRM <no-reply@ankhang.local>".into());
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
            push: push_config(&var, &smtp_from)?,
            smtp_from,
            trust_proxy: var("ANKHANG_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
            backup: backup_config(&var)?,
            monitor_webhook_url: var("ANKHANG_MONITOR_WEBHOOK_URL")
                .map(|url| webhook_url("ANKHANG_MONITOR_WEBHOOK_URL", &url))
                .transpose()?,
            slack_webhook_url: var("ANKHANG_SLACK_WEBHOOK_URL")
                .map(|url| webhook_url("ANKHANG_SLACK_WEBHOOK_URL", &url))
                .transpose()?,
            metrics_token: var("ANKHANG_METRICS_TOKEN").map(SecretString::from),
            broker_url: var("ANKHANG_BROKER_URL")
                .map(|url| broker_url(&url))
                .transpose()?,
            tls,
            attachment_max_bytes: match var("ANKHANG_ATTACHMENT_MAX_BYTES") {
                Some(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n >= 1 => n,
                    _ => bail!(
                        "ANKHANG_ATTACHMENT_MAX_BYTES phải là số byte tối đa của một tệp đính kèm (số nguyên ≥ 1), không phải \"{v}\""
                    ),
                },
                None => api_types::ATTACHMENT_DEFAULT_MAX_BYTES,
            },
            retention: crate::retention::RetentionConfig::from_env(&var)?,
            inbound: crate::inbound::InboundConfig::from_env(&var),
            zalo: crate::zalo::config::ZaloConfig::from_env(&var)?,
            facebook: crate::notifications::channels::facebook::FacebookConfig::from_env(&var)?,
        })
    }

    /// Cookies get `Secure` only when users reach us over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn backup_config(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<BackupConfig> {
    let minutes = match var("ANKHANG_BACKUP_INTERVAL_MINUTES") {
        Some(v) => v.trim().parse::<u64>().ok().with_context(|| {
            format!(
                "ANKHANG_BACKUP_INTERVAL_MINUTES phải là số phút (số nguyên ≥ 0, 0 = tắt sao lưu định kỳ), không phải \"{v}\""
            )
        })?,
        None => BackupConfig::DEFAULT_INTERVAL_MINUTES,
    };
    let keep = match var("ANKHANG_BACKUP_KEEP") {
        Some(v) => match v.trim().parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => bail!(
                "ANKHANG_BACKUP_KEEP phải là số bản sao lưu cần giữ (số nguyên ≥ 1), không phải \"{v}\""
            ),
        },
        None => BackupConfig::DEFAULT_KEEP,
    };
    Ok(BackupConfig {
        interval: (minutes > 0).then(|| Duration::from_secs(minutes * 60)),
        keep,
        offsite_dir: var("ANKHANG_BACKUP_OFFSITE_DIR").map(PathBuf::from),
    })
}

fn push_config(
    var: &impl Fn(&str) -> Option<String>,
    smtp_from: &str,
) -> anyhow::Result<PushConfig> {
    let subject = match var("ANKHANG_VAPID_SUBJECT") {
        Some(s) if s.starts_with("mailto:") || s.starts_with("https://") => s,
        Some(s) => bail!(
            "ANKHANG_VAPID_SUBJECT phải bắt đầu bằng mailto: hoặc https:// (ví dụ mailto:it@ankhang.vn), không phải \"{s}\""
        ),
        // The sender address is the mailbox someone at the firm already reads.
        None => {
            let address = smtp_from
                .rsplit_once('<')
                .map_or(smtp_from, |(_, rest)| rest.trim_end_matches('>'));
            format!("mailto:{}", address.trim())
        }
    };
    let services = match var("ANKHANG_PUSH_SERVICES") {
        Some(list) => {
            let services: Vec<String> = list
                .split(',')
                .map(|s| s.trim().trim_end_matches('/').to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            if let Some(bad) = services
                .iter()
                .find(|s| !(s.starts_with("https://") || s.starts_with("http://")))
            {
                bail!(
                    "ANKHANG_PUSH_SERVICES là danh sách địa chỉ gốc cách nhau bởi dấu phẩy (ví dụ https://fcm.googleapis.com,https://*.push.apple.com), \"{bad}\" không hợp lệ"
                );
            }
            services
        }
        None => PushConfig::DEFAULT_SERVICES
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
    };
    Ok(PushConfig { subject, services })
}

fn webhook_url(name: &str, raw: &str) -> anyhow::Result<SecretString> {
    secret_url(
        name,
        raw,
        ["http", "https"],
        "https://hooks.slack.com/services/…",
    )
}

fn broker_url(raw: &str) -> anyhow::Result<SecretString> {
    secret_url(
        "ANKHANG_BROKER_URL",
        raw,
        ["redis", "rediss"],
        "redis://127.0.0.1:6379",
    )
}

/// A URL with a host and one of two `schemes`, kept secret: it may hold a password or
/// a webhook's token, so the error never echoes it back.
fn secret_url(
    name: &str,
    raw: &str,
    [plain, secure]: [&str; 2],
    example: &str,
) -> anyhow::Result<SecretString> {
    match url::Url::parse(raw.trim()) {
        Ok(url) if [plain, secure].contains(&url.scheme()) && url.host().is_some() => {
            Ok(SecretString::from(raw.trim().to_owned()))
        }
        _ => {
            bail!("{name} phải là một địa chỉ {plain}:// hoặc {secure}:// đầy đủ (ví dụ {example})")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use secrecy::ExposeSecret;

    use super::*;

    fn parse(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn backups_default_to_every_fifteen_minutes_keeping_a_day() {
        let config = parse(&[]).expect("defaults");
        assert_eq!(config.backup.interval, Some(Duration::from_secs(15 * 60)));
        assert_eq!(config.backup.keep, 96);
        assert!(config.backup.offsite_dir.is_none());
        assert!(config.monitor_webhook_url.is_none());
        assert!(config.metrics_token.is_none());
        assert_eq!(config.attachment_max_bytes, 10 * 1024 * 1024);
    }

    #[test]
    fn backup_variables_are_read_and_zero_turns_the_schedule_off() {
        let config = parse(&[
            ("ANKHANG_BACKUP_INTERVAL_MINUTES", "0"),
            ("ANKHANG_BACKUP_KEEP", "7"),
            ("ANKHANG_BACKUP_OFFSITE_DIR", "/mnt/nas/ankhang"),
        ])
        .expect("config");
        assert_eq!(config.backup.interval, None);
        assert_eq!(config.backup.keep, 7);
        assert_eq!(
            config.backup.offsite_dir,
            Some(PathBuf::from("/mnt/nas/ankhang"))
        );
    }

    #[test]
    fn bad_values_are_refused_in_vietnamese_naming_the_variable() {
        for (name, value) in [
            ("ANKHANG_BACKUP_INTERVAL_MINUTES", "mười lăm"),
            ("ANKHANG_BACKUP_INTERVAL_MINUTES", "-5"),
            ("ANKHANG_BACKUP_KEEP", "0"),
            ("ANKHANG_ATTACHMENT_MAX_BYTES", "10MB"),
            ("ANKHANG_MONITOR_WEBHOOK_URL", "hooks.slack.com/services/x"),
            ("ANKHANG_MONITOR_WEBHOOK_URL", "ftp://example.com/hook"),
            ("ANKHANG_BROKER_URL", "127.0.0.1:6379"),
            ("ANKHANG_BROKER_URL", "http://127.0.0.1:6379"),
        ] {
            let err = parse(&[(name, value)]).expect_err("refused");
            let text = format!("{err:#}");
            assert!(text.contains(name), "{text}");
            assert!(text.contains("phải"), "{text}");
        }
    }

    #[test]
    fn the_webhook_secret_is_kept_but_never_printed() {
        let url = "https://hooks.slack.com/services/T000/B000/secret";
        let config = parse(&[
            ("ANKHANG_MONITOR_WEBHOOK_URL", url),
            ("ANKHANG_METRICS_TOKEN", "scrape-me"),
        ])
        .expect("config");
        let kept = config.monitor_webhook_url.as_ref().expect("url");
        assert_eq!(kept.expose_secret(), url);
        assert!(!format!("{config:?}").contains("B000/secret"));
        assert!(!format!("{config:?}").contains("scrape-me"));
    }

    #[test]
    fn push_and_slack_settings_default_sensibly_and_refuse_bad_values() {
        let config =
            parse(&[("ANKHANG_SMTP_FROM", "Luật An Khang <it@ankhang.vn>")]).expect("defaults");
        assert_eq!(config.push.subject, "mailto:it@ankhang.vn");
        assert!(
            config
                .push
                .services
                .contains(&"https://fcm.googleapis.com".to_owned())
        );
        assert!(config.slack_webhook_url.is_none());

        let config = parse(&[
            (
                "ANKHANG_PUSH_SERVICES",
                "http://127.0.0.1:9000/, https://*.push.apple.com",
            ),
            (
                "ANKHANG_SLACK_WEBHOOK_URL",
                "https://hooks.slack.com/services/T/B/secret",
            ),
        ])
        .expect("custom");
        assert_eq!(
            config.push.services,
            vec!["http://127.0.0.1:9000", "https://*.push.apple.com"]
        );
        assert!(!format!("{config:?}").contains("B/secret"));

        for (name, value) in [
            ("ANKHANG_VAPID_SUBJECT", "it@ankhang.vn"),
            ("ANKHANG_PUSH_SERVICES", "fcm.googleapis.com"),
            ("ANKHANG_SLACK_WEBHOOK_URL", "hooks.slack.com"),
        ] {
            let err = parse(&[(name, value)]).expect_err(name).to_string();
            assert!(err.starts_with(name), "{err}");
        }
    }
}
