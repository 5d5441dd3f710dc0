//! The Zalo OA channel: a ZNS template message to the CONTACT's phone (ZNS goes to
//! customers, not staff). A `zalo` delivery's stored body is the message as JSON,
//! `{"template_id", "template_data"}`, with the contact's name kept as the
//! `{{contact.name}}` placeholder like every stored text; the phone and name come from
//! the contact the dispatcher opened for the batch and never rest in the outbox.
//! Deliveries are queued by the CSKH composer and by rules naming `zalo`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Channel, ChannelError, Outgoing};
use crate::{
    notifications::template,
    zalo::{
        Zalo, ZaloError,
        api::{ZnsMessage, zns_phone},
    },
};

pub const NAME: &str = "zalo";
/// The `rule_id` of deliveries queued by the CSKH composer rather than by a rule.
pub const COMPOSER_RULE_ID: i64 = 0;

/// Queued by a person in the composer (who is then the delivery's recipient).
pub fn from_composer(delivery: &entities::notification_delivery::Model) -> bool {
    delivery.channel == NAME && delivery.rule_id == COMPOSER_RULE_ID
}

/// What a `zalo` delivery's body holds. A rule whose template was deleted or turned
/// off after it was saved queues an empty `template_id`: refused at send time, so the
/// outbox shows why instead of the event passing silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZnsPayload {
    pub template_id: String,
    pub template_data: Map<String, Value>,
}

impl ZnsPayload {
    /// The parameters with the contact's name filled in (in memory only).
    pub fn resolved(self, name: &str) -> Map<String, Value> {
        self.template_data
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => Value::String(template::resolve_name(&s, name)),
                    other => other,
                };
                (k, v)
            })
            .collect()
    }
}

pub struct ZaloZns {
    zalo: Arc<Zalo>,
}

impl ZaloZns {
    pub fn new(zalo: Arc<Zalo>) -> Self {
        Self { zalo }
    }
}

impl From<ZaloError> for ChannelError {
    fn from(err: ZaloError) -> Self {
        match err {
            ZaloError::Unavailable(why) => Self::Unavailable(why),
            ZaloError::Database(err) => Self::Database(err),
            // The admins were told once, when Zalo refused the refresh token.
            err @ ZaloError::NeedsReconnect => Self::Paused(err.to_string()),
            // Not connected, refused, unreadable tokens: retrying cannot help until an
            // admin acts, so Zalo is not hammered.
            err => Self::Rejected(err.to_string()),
        }
    }
}

#[async_trait::async_trait]
impl Channel for ZaloZns {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError> {
        let delivery = &outgoing.delivery;
        let personal = outgoing.customer()?;
        let Some(phone) = zns_phone(&personal.phone) else {
            return Err(ChannelError::Skipped(
                "Khách hàng không có số điện thoại Việt Nam hợp lệ để nhận ZNS".into(),
            ));
        };
        let payload: ZnsPayload = serde_json::from_str(&delivery.body)
            .map_err(|_| ChannelError::Rejected("Nội dung tin ZNS không hợp lệ".into()))?;
        if payload.template_id.is_empty() {
            return Err(ChannelError::Rejected(
                "Mẫu ZNS của quy tắc đã bị xoá hoặc đang tắt".into(),
            ));
        }
        let message = ZnsMessage {
            phone,
            template_id: payload.template_id.clone(),
            template_data: payload.resolved(&personal.full_name),
            tracking_id: delivery.id.to_string(),
        };
        self.zalo.send_zns(&message).await.map_err(Into::into)
    }
}
