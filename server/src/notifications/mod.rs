//! Notifications (SPEC.md NOTI): admins' rules (`rules`, `rule_routes`), the durable
//! outbox filled from the event log by the `matcher` and emptied by the `dispatcher`
//! through its `channels`, both driven by one background `worker`, and the in-app
//! inbox (`inbox`). Personal data never rests in the outbox: the contact's name stays
//! a placeholder in stored texts (`template`).

pub mod channels;
mod context;
mod deliveries;
pub mod dispatcher;
mod inbox;
pub mod matcher;
mod outcome;
mod reach;
mod recipients;
mod rule_routes;
pub mod rules;
pub mod template;
pub mod worker;

use std::sync::Arc;

use tokio::task::JoinHandle;
use utoipa_axum::{router::OpenApiRouter, routes};

use self::{
    channels::{Channel, Channels, Email, InApp, Messenger, Slack, WebPush, ZaloZns},
    dispatcher::Dispatcher,
    matcher::Matcher,
    worker::Worker,
};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rule_routes::list, rule_routes::create))
        .routes(routes!(rule_routes::preview))
        .routes(routes!(rule_routes::options))
        .routes(routes!(
            rule_routes::get,
            rule_routes::update,
            rule_routes::delete
        ))
        .routes(routes!(deliveries::list))
        .routes(routes!(deliveries::retry))
        .routes(routes!(inbox::list))
        .routes(routes!(inbox::mark_all_read))
        .routes(routes!(inbox::mark_read))
}

/// The channels the server delivers through: in-app, email, Slack, Web Push, and to
/// customers Zalo ZNS and Facebook Messenger.
pub fn default_channels(state: &AppState) -> Vec<Arc<dyn Channel>> {
    let config = &state.config;
    vec![
        Arc::new(InApp::new(
            state.db.clone(),
            state.clock.clone(),
            state.live.feed.clone(),
        )),
        Arc::new(Email::new(
            state.db.clone(),
            state.mailer.clone(),
            config.public_url.clone(),
        )),
        Arc::new(Slack::new(
            config.slack_webhook_url.clone(),
            config.public_url.clone(),
        )),
        Arc::new(WebPush::new(
            state.db.clone(),
            state.clock.clone(),
            &state.keys,
            state.vapid.clone(),
            config.push.services.clone(),
        )),
        Arc::new(ZaloZns::new(state.zalo.clone())),
        Arc::new(Messenger::new(
            state.db.clone(),
            state.clock.clone(),
            &state.keys,
            config.facebook.clone(),
        )),
    ]
}

/// Starts the matcher and dispatcher in the background, woken by every commit that
/// records events.
pub fn start(state: &AppState, channels: Vec<Arc<dyn Channel>>) -> JoinHandle<()> {
    let worker = Worker {
        matcher: Matcher::new(state.db.clone(), state.live.grants.clone()),
        dispatcher: Dispatcher::new(
            state.db.clone(),
            state.clock.clone(),
            state.live.feed.clone(),
            state.vault.clone(),
            Channels::new(channels),
        ),
        clock: state.clock.clone(),
        wake: state.live.feed.commits(),
        monitor: state.monitor.clone(),
    };
    worker.spawn(state.lifecycle.clone())
}
