//! Outgoing email through `lettre`: SMTP when `ANKHANG_SMTP_URL` is set, otherwise
//! `.eml` files under `data/mail/` so a fresh install can still complete a reset.

use std::path::PathBuf;

use anyhow::Context;
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use secrecy::ExposeSecret;

use crate::config::Config;

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Worth trying again later (server unreachable, busy, 4xx).
    #[error("{0}")]
    Transient(String),
    /// Will fail the same way every time (5xx, bad address).
    #[error("{0}")]
    Permanent(String),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .smtp_from
            .parse()
            .context("ANKHANG_SMTP_FROM không phải địa chỉ email hợp lệ")?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .context("ANKHANG_SMTP_URL không hợp lệ")?
                    .build(),
            ),
            None => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir)?;
                Transport::Files(AsyncFileTransport::new(&dir), dir)
            }
        };
        Ok(Self { transport, from })
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        Ok(self.deliver(to, subject, body).await?)
    }

    /// Sends one plain-text message, telling apart what is worth retrying (the server
    /// could not be reached, a 4xx answer) from what never will succeed (a 5xx answer,
    /// a malformed address).
    pub async fn deliver(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let to: Mailbox = to.parse().map_err(|_| {
            MailError::Permanent(format!("địa chỉ người nhận \"{to}\" không hợp lệ"))
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|err| MailError::Permanent(format!("không tạo được email: {err}")))?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map_err(|err| {
                    if err.is_permanent() {
                        MailError::Permanent(format!("máy chủ SMTP từ chối: {err}"))
                    } else {
                        MailError::Transient(format!("máy chủ SMTP chưa nhận thư: {err}"))
                    }
                })?;
            }
            Transport::Files(files, dir) => {
                let id = files.send(message).await.map_err(|err| {
                    MailError::Transient(format!("không ghi được tệp email: {err}"))
                })?;
                tracing::warn!(
                    file = %dir.join(format!("{id}.eml")).display(),
                    "ANKHANG_SMTP_URL is not set: email written to a file instead of sent"
                );
            }
        }
        Ok(())
    }
}
