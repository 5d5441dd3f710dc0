//! Delivery channels. The dispatcher hands each claimed delivery to the channel it
//! names; only the in-app channel exists today (the rules API refuses the others).

pub mod in_app;

use std::{collections::HashMap, sync::Arc};

use entities::notification_delivery as delivery;
use sea_orm::DbErr;

pub use in_app::InApp;

/// A delivery ready to go: the stored row plus its title and body with the contact's
/// name filled in (in memory only).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub delivery: delivery::Model,
    pub title: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// The channel's service refused or could not be reached; worth retrying.
    #[error("{0}")]
    Unavailable(String),
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
