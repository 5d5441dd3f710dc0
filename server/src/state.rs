use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    clock::SharedClock,
    config::Config,
    contacts::vault::Vault,
    import::Jobs,
    keys::Keys,
    lifecycle::Lifecycle,
    live::Live,
    mail::Mailer,
    monitoring::{Metrics, Monitor},
    push::Vapid,
};

/// Everything a handler may need, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub keys: Arc<Keys>,
    pub mailer: Arc<Mailer>,
    pub live: Live,
    pub vault: Arc<Vault>,
    pub metrics: Arc<Metrics>,
    pub monitor: Monitor,
    pub lifecycle: Lifecycle,
    pub imports: Jobs,
    /// The Web Push key pair (VAPID).
    pub vapid: Arc<Vapid>,
    /// The Zalo OA connection and its API.
    pub zalo: Arc<crate::zalo::Zalo>,
}
