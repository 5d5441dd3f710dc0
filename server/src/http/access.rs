//! Who may call what, declared once for every route. The guard authenticates the
//! caller (cookie or bearer), checks the route's permission and hands `AuthUser` to
//! the handler. A route missing from the table is refused (fail closed), and a test
//! proves every documented route is listed.

use axum::{
    extract::{MatchedPath, Request, State},
    http::{Method, header},
    middleware::Next,
    response::Response,
};
use axum_extra::extract::CookieJar;

use crate::{
    auth::{current_user::AuthUser, session},
    error::ApiError,
    http::client_meta::ClientMeta,
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user (their own profile, their own sessions).
    SignedIn,
    /// A signed-in user holding this permission.
    Permission(&'static str),
}

/// (method, path template as registered, access)
pub const ROUTES: &[(&str, &str, Access)] = &[
    ("POST", "/api/auth/login", Access::Public),
    ("POST", "/api/auth/logout", Access::SignedIn),
    ("POST", "/api/auth/password/forgot", Access::Public),
    ("POST", "/api/auth/password/reset", Access::Public),
    ("GET", "/api/me", Access::SignedIn),
    ("POST", "/api/me/password", Access::SignedIn),
    ("GET", "/api/me/sessions", Access::SignedIn),
    ("DELETE", "/api/me/sessions/{id}", Access::SignedIn),
    (
        "GET",
        "/api/permissions",
        Access::Permission("roles.manage"),
    ),
    ("GET", "/api/roles", Access::Permission("roles.manage")),
    ("POST", "/api/roles", Access::Permission("roles.manage")),
    ("PUT", "/api/roles/{id}", Access::Permission("roles.manage")),
    (
        "DELETE",
        "/api/roles/{id}",
        Access::Permission("roles.manage"),
    ),
    (
        "POST",
        "/api/roles/{id}/clone",
        Access::Permission("roles.manage"),
    ),
    ("GET", "/api/users", Access::Permission("users.manage")),
    ("POST", "/api/users", Access::Permission("users.manage")),
    (
        "GET",
        "/api/users/form-options",
        Access::Permission("users.manage"),
    ),
    ("GET", "/api/users/{id}", Access::Permission("users.manage")),
    ("PUT", "/api/users/{id}", Access::Permission("users.manage")),
    (
        "POST",
        "/api/users/{id}/lock",
        Access::Permission("users.manage"),
    ),
    (
        "POST",
        "/api/users/{id}/unlock",
        Access::Permission("users.manage"),
    ),
    (
        "POST",
        "/api/users/{id}/password",
        Access::Permission("users.manage"),
    ),
    // Overrides hand out rights, so they need the permission administrator's right.
    (
        "PUT",
        "/api/users/{id}/overrides",
        Access::Permission("roles.manage"),
    ),
    ("GET", "/api/teams", Access::Permission("teams.manage")),
    ("POST", "/api/teams", Access::Permission("teams.manage")),
    (
        "GET",
        "/api/teams/candidates",
        Access::Permission("teams.manage"),
    ),
    ("GET", "/api/teams/{id}", Access::Permission("teams.manage")),
    ("PUT", "/api/teams/{id}", Access::Permission("teams.manage")),
    (
        "DELETE",
        "/api/teams/{id}",
        Access::Permission("teams.manage"),
    ),
    (
        "POST",
        "/api/teams/{id}/members",
        Access::Permission("teams.manage"),
    ),
    (
        "DELETE",
        "/api/teams/{id}/members/{user_id}",
        Access::Permission("teams.manage"),
    ),
    ("GET", "/api/audit", Access::Permission("logs.view")),
    (
        "GET",
        "/api/contacts/export",
        Access::Permission("contacts.export"),
    ),
    ("GET", "/api/deals/export", Access::Permission("deals.view")),
    (
        "GET",
        "/api/export/all",
        Access::Permission("data.export_all"),
    ),
    (
        "GET",
        "/api/retention",
        Access::Permission("data.retention"),
    ),
    (
        "POST",
        "/api/retention/run",
        Access::Permission("data.retention"),
    ),
    (
        "POST",
        "/api/imports/contacts/dry-run",
        Access::Permission("contacts.import"),
    ),
    (
        "POST",
        "/api/imports/contacts",
        Access::Permission("contacts.import"),
    ),
    (
        "GET",
        "/api/imports/{id}",
        Access::Permission("contacts.import"),
    ),
    (
        "GET",
        "/api/reports/dashboard",
        Access::Permission("reports.view"),
    ),
    (
        "GET",
        "/api/reports/export",
        Access::Permission("reports.view"),
    ),
    ("GET", "/api/audit/verify", Access::Permission("logs.view")),
    ("GET", "/api/audit/actors", Access::Permission("logs.view")),
    (
        "GET",
        "/api/contacts/{id}/data",
        Access::Permission("contacts.export"),
    ),
    (
        "POST",
        "/api/contacts/{id}/anonymize",
        Access::Permission("contacts.anonymize"),
    ),
    // Contacts: the list, detail and history answer within the caller's row-level
    // scope (`contacts::scope`), which itself refuses users who may see no contact.
    ("GET", "/api/contacts", Access::SignedIn),
    (
        "POST",
        "/api/contacts",
        Access::Permission("contacts.create"),
    ),
    (
        "GET",
        "/api/contacts/check-phone",
        Access::Permission("contacts.create"),
    ),
    ("GET", "/api/contacts/{id}", Access::SignedIn),
    (
        "PUT",
        "/api/contacts/{id}",
        Access::Permission("contacts.edit"),
    ),
    (
        "POST",
        "/api/contacts/{id}/pick",
        Access::Permission("contacts.pick"),
    ),
    (
        "POST",
        "/api/contacts/{id}/status",
        Access::Permission("contacts.update_status"),
    ),
    (
        "POST",
        "/api/contacts/{id}/reassign",
        Access::Permission("contacts.reassign"),
    ),
    ("GET", "/api/contacts/{id}/interactions", Access::SignedIn),
    ("GET", "/api/contacts/{id}/history", Access::SignedIn),
    (
        "POST",
        "/api/contacts/{id}/interactions",
        Access::Permission("contacts.edit"),
    ),
    ("GET", "/api/picks/me", Access::Permission("contacts.pick")),
    (
        "POST",
        "/api/users/{id}/pick-cooldown/reset",
        Access::Permission("contacts.reassign"),
    ),
    ("GET", "/api/service-types", Access::SignedIn),
    (
        "POST",
        "/api/service-types",
        Access::Permission("service_types.manage"),
    ),
    (
        "PUT",
        "/api/service-types/{id}",
        Access::Permission("service_types.manage"),
    ),
    // Products: the catalogue is readable by everyone signed in (the deal form).
    ("GET", "/api/products", Access::SignedIn),
    ("GET", "/api/products/{id}", Access::SignedIn),
    (
        "POST",
        "/api/products",
        Access::Permission("products.manage"),
    ),
    (
        "PUT",
        "/api/products/{id}",
        Access::Permission("products.manage"),
    ),
    (
        "DELETE",
        "/api/products/{id}",
        Access::Permission("products.manage"),
    ),
    ("GET", "/api/coupons", Access::Permission("coupons.manage")),
    ("POST", "/api/coupons", Access::Permission("coupons.manage")),
    (
        "GET",
        "/api/coupons/mine",
        Access::Permission("coupons.use"),
    ),
    (
        "GET",
        "/api/coupons/assignable",
        Access::Permission("coupons.manage"),
    ),
    (
        "GET",
        "/api/coupons/{id}",
        Access::Permission("coupons.manage"),
    ),
    (
        "PUT",
        "/api/coupons/{id}",
        Access::Permission("coupons.manage"),
    ),
    (
        "DELETE",
        "/api/coupons/{id}",
        Access::Permission("coupons.manage"),
    ),
    // Deals answer within the caller's deal scope (`deals::scope`).
    ("GET", "/api/deals", Access::Permission("deals.view")),
    ("POST", "/api/deals", Access::Permission("deals.create")),
    (
        "GET",
        "/api/deals/filters",
        Access::Permission("deals.view"),
    ),
    ("GET", "/api/deals/{id}", Access::Permission("deals.view")),
    ("PUT", "/api/deals/{id}", Access::Permission("deals.edit")),
    (
        "POST",
        "/api/deals/{id}/payment",
        Access::Permission("deals.edit"),
    ),
    (
        "GET",
        "/api/deals/{id}/history",
        Access::Permission("deals.view"),
    ),
    (
        "GET",
        "/api/notification-rules",
        Access::Permission("notifications.manage"),
    ),
    (
        "POST",
        "/api/notification-rules",
        Access::Permission("notifications.manage"),
    ),
    (
        "POST",
        "/api/notification-rules/preview",
        Access::Permission("notifications.manage"),
    ),
    (
        "GET",
        "/api/notification-rules/options",
        Access::Permission("notifications.manage"),
    ),
    (
        "GET",
        "/api/notification-rules/{id}",
        Access::Permission("notifications.manage"),
    ),
    (
        "PUT",
        "/api/notification-rules/{id}",
        Access::Permission("notifications.manage"),
    ),
    (
        "DELETE",
        "/api/notification-rules/{id}",
        Access::Permission("notifications.manage"),
    ),
    (
        "GET",
        "/api/notification-deliveries",
        Access::Permission("notifications.manage"),
    ),
    (
        "POST",
        "/api/notification-deliveries/{id}/retry",
        Access::Permission("notifications.manage"),
    ),
    // The caller's own inbox (admins' failure alerts land there too).
    ("GET", "/api/notifications", Access::SignedIn),
    ("POST", "/api/notifications/read-all", Access::SignedIn),
    ("POST", "/api/notifications/{id}/read", Access::SignedIn),
    ("GET", "/api/openapi.json", Access::Public),
    ("GET", "/api/docs", Access::Public),
    ("GET", "/api/docs/docs.js", Access::Public),
    ("GET", "/api/docs/docs.css", Access::Public),
    ("GET", "/api/events/latest", Access::SignedIn),
    ("GET", "/healthz", Access::Public),
    ("GET", "/readyz", Access::Public),
    // Public to the session guard: the handler admits loopback peers or the bearer
    // `ANKHANG_METRICS_TOKEN` itself (scrapers hold no user session).
    ("GET", "/metrics", Access::Public),
    ("GET", "/ws", Access::SignedIn),
    // Attachments: reading follows the record's row-level scope (a file of a record
    // the caller cannot see is a 404); adding needs the record's edit right; the
    // delete handler checks the record's edit right and uploader-or-`users.manage`
    // itself (`attachments::access`), as a file may belong to a contact or a deal.
    ("GET", "/api/contacts/{id}/attachments", Access::SignedIn),
    (
        "POST",
        "/api/contacts/{id}/attachments",
        Access::Permission("contacts.edit"),
    ),
    (
        "GET",
        "/api/deals/{id}/attachments",
        Access::Permission("deals.view"),
    ),
    (
        "POST",
        "/api/deals/{id}/attachments",
        Access::Permission("deals.edit"),
    ),
    ("GET", "/api/attachments/{id}/download", Access::SignedIn),
    ("DELETE", "/api/attachments/{id}", Access::SignedIn),
    // Two-factor authentication (AUTH-007): one's own settings, and the admin's reset.
    ("POST", "/api/me/two-factor/setup", Access::SignedIn),
    ("POST", "/api/me/two-factor/enable", Access::SignedIn),
    ("POST", "/api/me/two-factor/disable", Access::SignedIn),
    (
        "POST",
        "/api/me/two-factor/recovery-codes",
        Access::SignedIn,
    ),
    (
        "DELETE",
        "/api/users/{id}/two-factor",
        Access::Permission("users.manage"),
    ),
    // Web Push opt-in: one's own browsers only.
    ("GET", "/api/push/vapid-public-key", Access::SignedIn),
    ("POST", "/api/push/subscriptions", Access::SignedIn),
    ("DELETE", "/api/push/subscriptions", Access::SignedIn),
    // Inbound webhooks: the platforms sign each delivery (Facebook: HMAC of the body
    // with the app secret; Zalo: SHA-256 MAC with the OA secret), checked by the
    // handlers themselves; the handshake checks the verify token.
    ("GET", "/api/webhooks/facebook", Access::Public),
    ("POST", "/api/webhooks/facebook", Access::Public),
    ("POST", "/api/webhooks/zalo", Access::Public),
    // Zalo OA connection (SPEC CHAN): admins of channels only.
    (
        "GET",
        "/api/zalo/connection",
        Access::Permission("channels.manage"),
    ),
    (
        "DELETE",
        "/api/zalo/connection",
        Access::Permission("channels.manage"),
    ),
    (
        "POST",
        "/api/zalo/connect",
        Access::Permission("channels.manage"),
    ),
    (
        "GET",
        "/api/zalo/callback",
        Access::Permission("channels.manage"),
    ),
    // Listing checks channels.manage or zalo.send itself (admins and CSKH read them).
    ("GET", "/api/zalo/templates", Access::SignedIn),
    (
        "POST",
        "/api/zalo/templates",
        Access::Permission("channels.manage"),
    ),
    (
        "PUT",
        "/api/zalo/templates/{id}",
        Access::Permission("channels.manage"),
    ),
    (
        "DELETE",
        "/api/zalo/templates/{id}",
        Access::Permission("channels.manage"),
    ),
    (
        "POST",
        "/api/zalo/messages",
        Access::Permission("zalo.send"),
    ),
];

/// What a user who must enrol in two-factor authentication but has not yet may reach:
/// their own profile (`/api/me…`, which holds the enrolment routes) and logout.
pub fn open_before_two_factor_enrollment(path: &str) -> bool {
    path == "/api/me" || path.starts_with("/api/me/") || path == "/api/auth/logout"
}

pub fn access_for(method: &Method, path: &str) -> Option<Access> {
    ROUTES
        .iter()
        .find(|(m, p, _)| *m == method.as_str() && *p == path)
        .map(|(_, _, access)| *access)
}

/// The presented session token: a bearer header wins over the cookie.
pub fn presented_token(req: &Request) -> Option<String> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    bearer.or_else(|| {
        CookieJar::from_headers(req.headers())
            .get(session::COOKIE_NAME)
            .map(|c| c.value().to_owned())
    })
}

pub async fn guard(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let Some(path) = matched.as_ref().map(MatchedPath::as_str) else {
        return Err(ApiError::NotFound);
    };
    let Some(access) = access_for(req.method(), path) else {
        tracing::error!(method = %req.method(), path, "route has no access rule; refusing");
        return Err(ApiError::Forbidden);
    };
    if access == Access::Public {
        return Ok(next.run(req).await);
    }
    let token = presented_token(&req).ok_or_else(ApiError::unauthenticated)?;
    let meta = ClientMeta::from_request(req.headers(), req.extensions(), state.config.trust_proxy);

    let now = state.clock.now();
    let (found, user) = session::resolve(&state.db, &state.live.sessions, &token, now).await?;
    let grants = state.live.grants.get(&state.db, user.id).await?;
    if grants.two_factor_required
        && !grants.two_factor_enabled
        && !open_before_two_factor_enrollment(path)
    {
        return Err(ApiError::TwoFactorEnrollmentRequired);
    }
    if let Access::Permission(code) = access
        && !grants.has(code)
    {
        return Err(ApiError::Forbidden);
    }
    req.extensions_mut().insert(AuthUser {
        user,
        session_id: found.id,
        grants,
        meta,
    });
    Ok(next.run(req).await)
}
