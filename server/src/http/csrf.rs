//! CSRF defence for cookie-authenticated writes: SameSite=Strict cookies plus this
//! Origin check. Bearer-token clients are not exposed to CSRF and are let through.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::Response,
};

use crate::{auth::session, error::ApiError, state::AppState};

pub async fn check_origin(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    if is_safe(req.method()) || has_bearer(req.headers()) {
        return Ok(next.run(req).await);
    }
    let headers = req.headers();
    let origin = request_origin(headers);
    let carries_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains(session::COOKIE_NAME));
    let allowed = match origin {
        Some(origin) => origin_allowed(&origin, headers, &state.config.public_url),
        // Browsers always send Origin on cross-site writes; a cookie without one is
        // not trustworthy, while a cookieless script (curl login) is harmless.
        None => !carries_cookie,
    };
    if allowed {
        Ok(next.run(req).await)
    } else {
        Err(ApiError::CsrfRejected)
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn has_bearer(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "))
}

/// `Origin`, or the origin part of `Referer` when a browser left Origin out.
fn request_origin(headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return Some(origin.trim_end_matches('/').to_owned());
    }
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let url = url::Url::parse(referer).ok()?;
    Some(url.origin().ascii_serialization())
}

fn origin_allowed(origin: &str, headers: &HeaderMap, public_url: &str) -> bool {
    if origin.eq_ignore_ascii_case(public_url) {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    ["http://", "https://"]
        .iter()
        .any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}{host}")))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn same_host_origin_is_allowed_and_others_are_not() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(origin_allowed(
            "http://127.0.0.1:8080",
            &headers,
            "https://crm.example"
        ));
        assert!(origin_allowed(
            "https://crm.example",
            &headers,
            "https://crm.example"
        ));
        assert!(!origin_allowed(
            "http://evil.example",
            &headers,
            "https://crm.example"
        ));
    }
}
