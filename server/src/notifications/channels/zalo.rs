//! The Zalo OA channel: a ZNS template message to the CONTACT's phone (ZNS goes to
//! customers, not staff). A `zalo` delivery's stored body is the message as JSON,
//! `{"template_id", "template_data"}`, with the contact's name kept as the
//! `{{contact.name}}` placeholder like every stored text; the phone and name are
//! opened from the contact at send time and never rest in the outbox.

use std::sync::Arc;

use entities::contact;
use sea_orm::{DatabaseConnection, EntityTrait};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Channel, ChannelError, Outgoing};
use crate::{
    contacts::vault::Vault,
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

/// What a `zalo` delivery's body holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZnsPayload {
    pub template_id: String,
    pub template_data: Map<String, Value>,
}

pub struct ZaloZns {
    db: DatabaseConnection,
    vault: Arc<Vault>,
    zalo: Arc<Zalo>,
}

impl ZaloZns {
    pub fn new(db: DatabaseConnection, vault: Arc<Vault>, zalo: Arc<Zalo>) -> Self {
        Self { db, vault, zalo }
    }
}

impl From<ZaloError> for ChannelError {
    fn from(err: ZaloError) -> Self {
        match err {
            ZaloError::Unavailable(why) => Self::Unavailable(why),
            ZaloError::Database(err) => Self::Database(err),
            // Not connected, needs reconnecting, refused, unreadable tokens: retrying
            // cannot help until an admin acts, so Zalo is not hammered.
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
        let Some(contact_id) = delivery.contact_id else {
            return Err(ChannelError::Rejected(
                "Tin Zalo ZNS cần một khách hàng nhận".into(),
            ));
        };
        let Some(row) = contact::Entity::find_by_id(contact_id)
            .one(&self.db)
            .await?
        else {
            return Err(ChannelError::Skipped("Khách hàng đã bị xoá".into()));
        };
        let key = self.vault.key_for(&self.db, contact_id).await?;
        let personal = self.vault.open(key.as_ref(), &row);
        let Some(phone) = zns_phone(&personal.phone) else {
            return Err(ChannelError::Skipped(
                "Khách hàng không có số điện thoại Việt Nam hợp lệ để nhận ZNS".into(),
            ));
        };
        let payload: ZnsPayload = serde_json::from_str(&delivery.body)
            .map_err(|_| ChannelError::Rejected("Nội dung tin ZNS không hợp lệ".into()))?;
        let template_data = payload
            .template_data
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => {
                        Value::String(template::resolve_name(&s, &personal.full_name))
                    }
                    other => other,
                };
                (k, v)
            })
            .collect();
        let message = ZnsMessage {
            phone,
            template_id: payload.template_id,
            template_data,
            tracking_id: delivery.id.to_string(),
        };
        self.zalo.send_zns(&message).await.map_err(Into::into)
    }
}
