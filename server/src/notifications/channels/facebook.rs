//! The Facebook Messenger channel: the rule's rendered text to the CONTACT, through the
//! Page's Send API (`POST {graph}/me/messages?access_token=…`), addressed to the PSID
//! the inbound webhook stored (sealed) when the customer wrote to the Page. Within 24
//! hours of the customer's last message it is a `RESPONSE`; later, Messenger only
//! accepts tagged messages, so it goes as `MESSAGE_TAG` / `ACCOUNT_UPDATE` (a change
//! to the customer's file with the firm).

use std::time::Duration;

use chrono::Duration as Span;
use entities::{inbound_identity, inbound_message};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use super::{Channel, ChannelError, Outgoing};
use crate::{
    clock::SharedClock,
    inbound::seal::{IDENTITY, InboundSeal},
    keys::Keys,
};

pub const NAME: &str = "facebook";
/// The inbound channel code the PSIDs are stored under.
const INBOUND_CHANNEL: &str = "facebook";
/// Graph API default version; `ANKHANG_FACEBOOK_GRAPH_URL` overrides it.
pub const DEFAULT_GRAPH_URL: &str = "https://graph.facebook.com/v19.0";
/// Messenger's standard messaging window after the customer's last message.
const RESPONSE_WINDOW: Span = Span::hours(24);
/// Messenger refuses longer texts.
pub const MAX_TEXT_CHARS: usize = 2000;
const TIMEOUT: Duration = Duration::from_secs(10);
/// Graph error codes worth retrying: temporary outage (2), app and page rate limits
/// (4, 613).
const RETRYABLE: &[i64] = &[2, 4, 613];

/// `ANKHANG_FACEBOOK_PAGE_TOKEN` and `ANKHANG_FACEBOOK_GRAPH_URL`.
#[derive(Debug, Clone)]
pub struct FacebookConfig {
    /// The Page access token; unset = the channel is off (rules cannot name it).
    pub page_token: Option<SecretString>,
    /// Without a trailing slash.
    pub graph_url: String,
}

impl Default for FacebookConfig {
    fn default() -> Self {
        Self {
            page_token: None,
            graph_url: DEFAULT_GRAPH_URL.into(),
        }
    }
}

impl FacebookConfig {
    pub fn from_env(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let raw = var("ANKHANG_FACEBOOK_GRAPH_URL").unwrap_or_else(|| DEFAULT_GRAPH_URL.into());
        let valid = url::Url::parse(raw.trim())
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !valid {
            anyhow::bail!(
                "ANKHANG_FACEBOOK_GRAPH_URL phải là một địa chỉ http(s), không phải \"{raw}\""
            );
        }
        Ok(Self {
            page_token: var("ANKHANG_FACEBOOK_PAGE_TOKEN")
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .map(SecretString::from),
            graph_url: raw.trim().trim_end_matches('/').to_owned(),
        })
    }

    pub fn configured(&self) -> bool {
        self.page_token.is_some()
    }
}

pub struct Messenger {
    db: DatabaseConnection,
    clock: SharedClock,
    seal: InboundSeal,
    config: FacebookConfig,
    http: reqwest::Client,
}

impl Messenger {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        keys: &Keys,
        config: FacebookConfig,
    ) -> Self {
        Self {
            db,
            clock,
            seal: InboundSeal::new(keys),
            config,
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .build()
                .unwrap_or_default(),
        }
    }

    /// The contact's newest Messenger identity: its PSID, and whether the customer
    /// wrote within the messaging window.
    async fn recipient(&self, contact_id: i64) -> Result<(String, bool), ChannelError> {
        let Some(identity) = inbound_identity::Entity::find()
            .filter(inbound_identity::Column::ContactId.eq(contact_id))
            .filter(inbound_identity::Column::Channel.eq(INBOUND_CHANNEL))
            .order_by_desc(inbound_identity::Column::Id)
            .one(&self.db)
            .await?
        else {
            return Err(ChannelError::Skipped(
                "Khách hàng chưa từng nhắn tin cho Fanpage qua Messenger: không có PSID để gửi"
                    .into(),
            ));
        };
        let psid = self
            .seal
            .open(IDENTITY, &identity.identity_sealed)
            .map_err(|_| {
                ChannelError::Rejected("Không mở được danh tính Facebook đã lưu".into())
            })?;
        let last = inbound_message::Entity::find()
            .filter(inbound_message::Column::IdentityId.eq(identity.id))
            .order_by_desc(inbound_message::Column::ReceivedAt)
            .one(&self.db)
            .await?;
        let recent = last.is_some_and(|m| self.clock.now() - m.received_at < RESPONSE_WINDOW);
        Ok((psid, recent))
    }
}

/// The Send API body.
pub fn request_body(psid: &str, text: &str, within_window: bool) -> Value {
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    if within_window {
        json!({
            "recipient": { "id": psid },
            "messaging_type": "RESPONSE",
            "message": { "text": text },
        })
    } else {
        json!({
            "recipient": { "id": psid },
            "messaging_type": "MESSAGE_TAG",
            "tag": "ACCOUNT_UPDATE",
            "message": { "text": text },
        })
    }
}

/// Sorts a refused send: outages and rate limits are retried, the rest fail at once.
pub fn classify(status: u16, body: &Value) -> ChannelError {
    let code = body["error"]["code"].as_i64();
    let message: String = body["error"]["message"]
        .as_str()
        .unwrap_or("không rõ lý do")
        .chars()
        .take(200)
        .collect();
    let what = match code {
        Some(code) => format!("HTTP {status}, mã {code}: {message}"),
        None => format!("HTTP {status}: {message}"),
    };
    let transient = status >= 500 || status == 429 || code.is_some_and(|c| RETRYABLE.contains(&c));
    if transient {
        ChannelError::Unavailable(format!("Facebook tạm thời từ chối ({what})"))
    } else {
        ChannelError::Rejected(format!("Facebook từ chối tin nhắn ({what})"))
    }
}

#[async_trait::async_trait]
impl Channel for Messenger {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError> {
        outgoing.customer()?;
        let Some(token) = &self.config.page_token else {
            return Err(ChannelError::Rejected(
                "Chưa cấu hình Facebook Messenger (biến môi trường ANKHANG_FACEBOOK_PAGE_TOKEN)"
                    .into(),
            ));
        };
        let contact_id = outgoing.delivery.contact_id.unwrap_or_default();
        let (psid, recent) = self.recipient(contact_id).await?;
        // The token rides in the query string as the Graph API wants; no error below
        // shows the URL.
        let mut url =
            url::Url::parse(&format!("{}/me/messages", self.config.graph_url)).map_err(|_| {
                ChannelError::Rejected("ANKHANG_FACEBOOK_GRAPH_URL không hợp lệ".into())
            })?;
        url.query_pairs_mut()
            .append_pair("access_token", token.expose_secret());
        let response = self
            .http
            .post(url)
            .json(&request_body(&psid, &outgoing.body, recent))
            .send()
            .await
            .map_err(|err| {
                let why = if err.is_timeout() {
                    "không trả lời kịp"
                } else {
                    "không kết nối được"
                };
                ChannelError::Unavailable(format!("Facebook {why}"))
            })?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let body: Value = response.json().await.unwrap_or(Value::Null);
        Err(classify(status.as_u16(), &body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retried(status: u16, body: Value) -> bool {
        matches!(classify(status, &body), ChannelError::Unavailable(_))
    }

    #[test]
    fn outages_and_rate_limits_are_retried_the_rest_fail() {
        let code = |c: i64| json!({ "error": { "code": c, "message": "x" } });
        assert!(retried(500, Value::Null));
        assert!(retried(429, Value::Null));
        assert!(retried(400, code(2)));
        assert!(retried(400, code(4)));
        assert!(retried(400, code(613)));
        assert!(!retried(400, code(100)));
        assert!(!retried(400, code(10)));
        assert!(!retried(403, code(200)));
        assert!(!retried(401, code(190)));
    }

    #[test]
    fn outside_the_window_the_message_is_tagged() {
        let late = request_body("123", "Xin chào", false);
        assert_eq!(late["messaging_type"], "MESSAGE_TAG");
        assert_eq!(late["tag"], "ACCOUNT_UPDATE");
        assert_eq!(late["recipient"]["id"], "123");
        let reply = request_body("123", &"a".repeat(3000), true);
        assert_eq!(reply["messaging_type"], "RESPONSE");
        assert!(reply.get("tag").is_none());
        assert_eq!(
            reply["message"]["text"].as_str().map(|t| t.chars().count()),
            Some(MAX_TEXT_CHARS)
        );
    }

    #[test]
    fn the_graph_url_defaults_and_the_token_is_optional() {
        let off = FacebookConfig::from_env(&|_: &str| None).expect("config");
        assert!(!off.configured());
        assert_eq!(off.graph_url, DEFAULT_GRAPH_URL);
        let on = FacebookConfig::from_env(&|name: &str| match name {
            "ANKHANG_FACEBOOK_PAGE_TOKEN" => Some("page-token".into()),
            "ANKHANG_FACEBOOK_GRAPH_URL" => Some("http://127.0.0.1:9/v19.0/".into()),
            _ => None,
        })
        .expect("config");
        assert!(on.configured());
        assert_eq!(on.graph_url, "http://127.0.0.1:9/v19.0");
        assert!(!format!("{on:?}").contains("page-token"));
        assert!(
            FacebookConfig::from_env(&|name: &str| {
                (name == "ANKHANG_FACEBOOK_GRAPH_URL").then(|| "graph".to_owned())
            })
            .is_err()
        );
    }
}
