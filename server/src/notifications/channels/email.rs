//! The email channel: the rule's rendered title as the subject and its body as the
//! text, sent over the password-reset mailer's SMTP settings (`ANKHANG_SMTP_URL`,
//! `ANKHANG_SMTP_FROM`) to the recipient's own address.

use std::sync::Arc;

use entities::user;
use sea_orm::{DatabaseConnection, EntityTrait};

use super::{Channel, ChannelError, Outgoing};
use crate::mail::{MailError, Mailer};

pub const NAME: &str = "email";

pub struct Email {
    db: DatabaseConnection,
    mailer: Arc<Mailer>,
    public_url: String,
}

impl Email {
    pub fn new(db: DatabaseConnection, mailer: Arc<Mailer>, public_url: String) -> Self {
        Self {
            db,
            mailer,
            public_url,
        }
    }
}

/// The text of the email: the body, then where to open it in the app.
pub fn text(body: &str, public_url: &str, link: Option<&str>) -> String {
    match link {
        Some(link) => format!("{body}\n\nXem chi tiết: {public_url}{link}\n\n— AnKhangCRM"),
        None => format!("{body}\n\n— AnKhangCRM"),
    }
}

#[async_trait::async_trait]
impl Channel for Email {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError> {
        let d = &outgoing.delivery;
        let address = user::Entity::find_by_id(d.recipient_id)
            .one(&self.db)
            .await?
            .and_then(|u| u.email)
            .filter(|e| !e.trim().is_empty());
        let Some(address) = address else {
            return Err(ChannelError::Skipped(
                "Nhân viên chưa có địa chỉ email".into(),
            ));
        };
        let body = text(&outgoing.body, &self.public_url, d.link.as_deref());
        self.mailer
            .deliver(&address, &outgoing.title, body)
            .await
            .map_err(|err| match err {
                MailError::Transient(why) => ChannelError::Unavailable(why),
                MailError::Permanent(why) => ChannelError::Rejected(why),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_ends_with_the_link_into_the_app() {
        assert_eq!(
            text(
                "Khách KH2026-001",
                "https://crm.ankhang.vn",
                Some("/contacts/1")
            ),
            "Khách KH2026-001\n\nXem chi tiết: https://crm.ankhang.vn/contacts/1\n\n— AnKhangCRM"
        );
    }
}
