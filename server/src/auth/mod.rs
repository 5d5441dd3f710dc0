//! Authentication: login/logout, sessions, passwords (AUTH-001…006).

pub mod current_user;
mod login;
mod me;
pub mod password;
mod password_reset;
mod rate_limit;
pub mod session;
pub mod session_cache;
mod token;
pub mod two_factor;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login::login))
        .routes(routes!(login::logout))
        .routes(routes!(me::me))
        .routes(routes!(me::change_password))
        .routes(routes!(me::list_sessions))
        .routes(routes!(me::revoke_session))
        .routes(routes!(password_reset::forgot))
        .routes(routes!(password_reset::reset))
        .merge(two_factor::router())
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, persistent only with
/// "remember me".
fn session_cookie(token: &str, remember: bool, secure: bool) -> String {
    let max_age = if remember {
        format!("; Max-Age={}", session::REMEMBER_WINDOW.num_seconds())
    } else {
        String::new()
    };
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{max_age}{secure}",
        session::COOKIE_NAME
    )
}

fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
        session::COOKIE_NAME
    )
}
