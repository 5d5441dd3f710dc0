//! Web Push opt-in (SPEC NOTI, profile page): the server's VAPID key pair and each
//! user's browser subscriptions. Sending lives in `notifications::channels::web_push`.

pub mod endpoint;
mod routes;
pub mod store;
pub mod vapid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub use vapid::Vapid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::vapid_public_key))
        .routes(routes!(routes::subscribe, routes::unsubscribe))
}
