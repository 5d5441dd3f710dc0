//! TOTP two-factor authentication (AUTH-007): optional per user, mandatory for holders
//! of a role with `require_two_factor`. Login asks for the code after the password;
//! the access guard keeps a user who must enrol on their profile until they have.

mod admin;
pub mod recovery;
mod routes;
pub mod secret;
pub mod store;
pub mod verify;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::setup))
        .routes(routes!(routes::enable))
        .routes(routes!(routes::disable))
        .routes(routes!(routes::regenerate_recovery_codes))
        .routes(routes!(admin::reset))
}
