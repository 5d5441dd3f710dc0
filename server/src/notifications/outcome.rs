//! What became of one attempt at a delivery, and its audit entry. Messages that leave
//! the system (email, Slack, Web Push) are audited attempt by attempt, so the firm can
//! show what went to outside services and when; in-app messages stay inside and their
//! delivery row is record enough. Entries carry no message text: it may hold a
//! contact's name.

use chrono::{DateTime, Utc};
use entities::notification_delivery as delivery;
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::json;

use super::channels::{self, ChannelError};
use crate::{
    audit::{self, AuditEntry},
    http::client_meta::ClientMeta,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Failed this time; tried again after the backoff.
    Retrying(String),
    /// Nothing to send to.
    Skipped(String),
    /// Given up: after the last attempt, or at once when it can never succeed.
    Failed(String),
    /// Given up because the channel is paused until an admin acts (Zalo OA needs
    /// reconnecting); the admins were alerted once for the channel, not per message.
    Halted(String),
}

impl Outcome {
    pub fn of(result: Result<(), ChannelError>, attempts: i32, max_attempts: i32) -> Self {
        match result {
            Ok(()) => Self::Sent,
            Err(ChannelError::Skipped(why)) => Self::Skipped(why),
            Err(err @ ChannelError::Rejected(_)) => Self::Failed(err.to_string()),
            Err(err @ ChannelError::Paused(_)) => Self::Halted(err.to_string()),
            Err(err) if attempts >= max_attempts => Self::Failed(err.to_string()),
            Err(err) => Self::Retrying(err.to_string()),
        }
    }

    fn action(&self) -> &'static str {
        match self {
            Self::Sent => "notifications.sent",
            Self::Retrying(_) => "notifications.send_retrying",
            Self::Skipped(_) => "notifications.skipped",
            Self::Failed(_) | Self::Halted(_) => "notifications.send_failed",
        }
    }

    pub fn error(&self) -> Option<&str> {
        match self {
            Self::Sent => None,
            Self::Retrying(why) | Self::Skipped(why) | Self::Failed(why) | Self::Halted(why) => {
                Some(why)
            }
        }
    }
}

/// Appends the attempt's audit entry on `conn` (the transaction recording it), for
/// channels whose messages leave the system.
pub async fn audit(
    conn: &impl ConnectionTrait,
    claimed: &delivery::Model,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if !channels::leaves_the_system(&claimed.channel) {
        return Ok(());
    }
    audit::record(
        conn,
        now,
        AuditEntry {
            actor: None,
            action: outcome.action(),
            target: Some(("notification_delivery", claimed.id.to_string())),
            before: None,
            after: Some(json!({
                "channel": claimed.channel,
                "rule_id": claimed.rule_id,
                "event_seq": claimed.event_seq,
                "recipient_id": claimed.recipient_id,
                "contact_id": claimed.contact_id,
                "attempt": claimed.attempts,
                "error": outcome.error(),
            })),
            meta: &ClientMeta {
                ip: None,
                user_agent: Some("ankhang-notifications".into()),
            },
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_fail_at_once_and_outages_only_on_the_last_attempt() {
        let down = || Err(ChannelError::Unavailable("SMTP tạm ngừng".into()));
        assert_eq!(Outcome::of(Ok(()), 1, 5), Outcome::Sent);
        assert_eq!(
            Outcome::of(down(), 4, 5),
            Outcome::Retrying("SMTP tạm ngừng".into())
        );
        assert_eq!(
            Outcome::of(down(), 5, 5),
            Outcome::Failed("SMTP tạm ngừng".into())
        );
        assert_eq!(
            Outcome::of(Err(ChannelError::Rejected("550".into())), 1, 5),
            Outcome::Failed("550".into())
        );
        assert_eq!(
            Outcome::of(Err(ChannelError::Skipped("không có email".into())), 1, 5),
            Outcome::Skipped("không có email".into())
        );
        assert_eq!(
            Outcome::of(Err(ChannelError::Paused("kết nối lại".into())), 1, 5),
            Outcome::Halted("kết nối lại".into())
        );
    }
}
