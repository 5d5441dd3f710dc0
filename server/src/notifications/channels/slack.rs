//! The Slack channel: one message per event to the incoming webhook in
//! `ANKHANG_SLACK_WEBHOOK_URL`. Slack is a place, not a person: the matcher writes one
//! delivery per event × channel (see `channels::per_event`), so a rule with fifty
//! recipients still posts once.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{Channel, ChannelError, Outgoing};

pub const NAME: &str = "slack";
/// Slack answers in well under a second; past this the post is retried later.
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Slack {
    http: reqwest::Client,
    webhook: Option<SecretString>,
    public_url: String,
}

impl Slack {
    pub fn new(webhook: Option<SecretString>, public_url: String) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .build()
                .unwrap_or_default(),
            webhook,
            public_url,
        }
    }
}

/// Slack reads `&`, `<` and `>` as markup: escaped, a contact's name cannot forge a link.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The message: the title in bold, the body, and a link into the app.
pub fn text(title: &str, body: &str, public_url: &str, link: Option<&str>) -> String {
    let mut text = format!("*{}*\n{}", escape(title), escape(body));
    if let Some(link) = link {
        text.push_str(&format!("\n<{public_url}{link}|Mở trong AnKhangCRM>"));
    }
    text
}

#[async_trait::async_trait]
impl Channel for Slack {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError> {
        let Some(webhook) = &self.webhook else {
            return Err(ChannelError::Rejected(
                "Chưa cấu hình Slack (biến môi trường ANKHANG_SLACK_WEBHOOK_URL)".into(),
            ));
        };
        let text = text(
            &outgoing.title,
            &outgoing.body,
            &self.public_url,
            outgoing.delivery.link.as_deref(),
        );
        // The error never shows the URL: it holds the webhook's secret.
        let response = self
            .http
            .post(webhook.expose_secret())
            .json(&json!({ "text": text }))
            .send()
            .await
            .map_err(|err| {
                let why = if err.is_timeout() {
                    "không trả lời kịp"
                } else {
                    "không kết nối được"
                };
                ChannelError::Unavailable(format!("Slack {why}"))
            })?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        // Slack explains a refusal in a short plain-text body (`no_service`, …).
        let reason: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        Err(ChannelError::Unavailable(format!(
            "Slack trả lời {}: {}",
            status.as_u16(),
            reason.trim()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_the_texts_is_escaped_but_the_link_is_kept() {
        assert_eq!(
            text(
                "Khách <KH2026-001>",
                "A & B",
                "https://crm.ankhang.vn",
                Some("/contacts/1")
            ),
            "*Khách &lt;KH2026-001&gt;*\nA &amp; B\n<https://crm.ankhang.vn/contacts/1|Mở trong AnKhangCRM>"
        );
    }
}
