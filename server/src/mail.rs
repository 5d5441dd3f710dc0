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
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().context("địa chỉ người nhận không hợp lệ")?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Transport::Files(files, dir) => {
                let id = files.send(message).await?;
                tracing::warn!(
                    file = %dir.join(format!("{id}.eml")).display(),
                    "ANKHANG_SMTP_URL is not set: email written to a file instead of sent"
                );
            }
        }
        Ok(())
    }
}
