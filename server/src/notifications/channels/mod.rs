//! Delivery channels. The dispatcher hands each claimed delivery to the channel it
//! names: in-app, email (SMTP), Slack (incoming webhook), Web Push, and the customer
//! channels Zalo ZNS and Facebook Messenger, which message the contact itself.

pub mod email;
pub mod facebook;
pub mod in_app;
pub mod slack;
pub mod web_push;
pub mod zalo;

use std::{collections::HashMap, sync::Arc};

use entities::notification_delivery as delivery;
use sea_orm::{DatabaseTransaction, DbErr};

use crate::{contacts::vault::Personal, crypto::envelope::DataKey, events::Event};

pub use email::Email;
pub use facebook::Messenger;
pub use in_app::InApp;
pub use slack::Slack;
pub use web_push::WebPush;
pub use zalo::ZaloZns;

/// Channels that post once per event to one place (a Slack channel), whoever the
/// rule's recipients are: their deliveries are keyed by event × channel.
pub fn per_event(channel: &str) -> bool {
    channel == slack::NAME
}

/// Channels whose messages leave the system: each attempt is audited, because the
/// firm must be able to say what was sent to outside services and when.
pub fn leaves_the_system(channel: &str) -> bool {
    channel != in_app::NAME
}

/// A delivery ready to go: the stored row plus its title and body with the contact's
/// name filled in (in memory only).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub delivery: delivery::Model,
    pub title: String,
    pub body: String,
    /// The delivery's contact as the dispatcher opened it for the whole batch;
    /// `None` when the delivery names no contact or it no longer exists.
    pub contact: Option<ContactCard>,
}

/// A contact opened in memory for sending: customer channels need its phone and name
/// without reading and decrypting the row once more per delivery.
#[derive(Debug, Clone)]
pub struct ContactCard {
    pub code: String,
    /// The opened personal fields; `None` once the contact is anonymised (its data
    /// key is gone): nothing may then be sent to it.
    pub personal: Option<Personal>,
    /// The contact's data key, to seal copies of its personal fields (the in-app
    /// event); `None` once anonymised.
    pub key: Option<DataKey>,
}

impl Outgoing {
    /// The contact's opened fields, or why nothing can be sent to it.
    pub fn customer(&self) -> Result<&Personal, ChannelError> {
        if self.delivery.contact_id.is_none() {
            return Err(ChannelError::Rejected(
                "Tin gửi khách hàng cần một khách hàng nhận".into(),
            ));
        }
        let Some(card) = &self.contact else {
            return Err(ChannelError::Skipped("Khách hàng đã bị xoá".into()));
        };
        card.personal.as_ref().ok_or_else(|| {
            ChannelError::Skipped(format!(
                "Khách hàng {} đã được ẩn danh hoá: không gửi tin",
                card.code
            ))
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// The channel's service refused or could not be reached; worth retrying.
    #[error("{0}")]
    Unavailable(String),
    /// The message can never go out as it is (a rejected address, the channel not
    /// configured): failed at once, without retries.
    #[error("{0}")]
    Rejected(String),
    /// Nothing to send to (no email address, no browser subscribed): recorded as
    /// skipped with this reason; not an error of the system.
    #[error("{0}")]
    Skipped(String),
    /// The channel is paused until an admin acts (Zalo OA needs reconnecting) and the
    /// admins were already alerted once: failed at once, without a failure alert per
    /// message.
    #[error("{0}")]
    Paused(String),
    #[error("cơ sở dữ liệu: {0}")]
    Database(#[from] DbErr),
}

#[async_trait::async_trait]
pub trait Channel: Send + Sync + 'static {
    /// The name rules use (`in_app`, …).
    fn name(&self) -> &'static str;
    /// Sends one message. Sending the same delivery twice (a retry after a crash)
    /// must not show it twice where the channel can prevent it.
    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError>;

    /// The channel as one that only writes into our own database (in-app), so the
    /// dispatcher can claim, send and record a batch in one transaction.
    fn local(&self) -> Option<&dyn LocalChannel> {
        None
    }
}

/// A channel whose sending is a write into our own database.
#[async_trait::async_trait]
pub trait LocalChannel: Send + Sync {
    /// Writes the batch in `tx`; answers the events to publish once it commits.
    /// Sending a delivery written before must add nothing.
    async fn write(
        &self,
        tx: &DatabaseTransaction,
        batch: &[Outgoing],
    ) -> Result<Vec<Event>, DbErr>;
}

/// The channels the dispatcher can use, by name.
#[derive(Clone, Default)]
pub struct Channels(HashMap<&'static str, Arc<dyn Channel>>);

impl Channels {
    pub fn new(channels: impl IntoIterator<Item = Arc<dyn Channel>>) -> Self {
        Self(channels.into_iter().map(|c| (c.name(), c)).collect())
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn Channel>> {
        self.0.get(name)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn outgoing(contact_id: Option<i64>, contact: Option<ContactCard>) -> Outgoing {
        let now = Utc::now();
        Outgoing {
            delivery: delivery::Model {
                id: 1,
                rule_id: 2,
                event_seq: 3,
                contact_id,
                recipient_id: 1,
                channel: zalo::NAME.into(),
                idempotency_key: "k".into(),
                status: delivery::STATUS_PENDING.into(),
                attempts: 1,
                next_attempt_at: now,
                last_error: None,
                title: String::new(),
                body: String::new(),
                link: None,
                created_at: now,
                sent_at: None,
            },
            title: String::new(),
            body: String::new(),
            contact,
        }
    }

    #[test]
    fn nothing_goes_to_an_anonymised_or_deleted_contact() {
        let anonymised = ContactCard {
            code: "KH2026-007".into(),
            personal: None,
            key: None,
        };
        match outgoing(Some(7), Some(anonymised)).customer() {
            Err(ChannelError::Skipped(why)) => assert!(why.contains("ẩn danh"), "{why}"),
            other => panic!("expected a skip, got {other:?}"),
        }
        assert!(matches!(
            outgoing(Some(7), None).customer(),
            Err(ChannelError::Skipped(_))
        ));
        assert!(matches!(
            outgoing(None, None).customer(),
            Err(ChannelError::Rejected(_))
        ));
        let known = ContactCard {
            code: "KH2026-007".into(),
            personal: Some(Personal {
                full_name: "Trần Thị Bình".into(),
                phone: "0912000111".into(),
                email: None,
                note: None,
            }),
            key: Some(DataKey::generate()),
        };
        let sending = outgoing(Some(7), Some(known));
        assert_eq!(
            sending.customer().map(|p| p.full_name.as_str()).ok(),
            Some("Trần Thị Bình")
        );
    }
}
