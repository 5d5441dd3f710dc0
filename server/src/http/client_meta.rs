//! Who is calling from where: the client IP and user agent, for audit and rate limits.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRef, FromRequestParts},
    http::{Extensions, HeaderMap, header, request::Parts},
};

use crate::{error::ApiError, state::AppState};

#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientMeta {
    pub fn from_request(headers: &HeaderMap, extensions: &Extensions, trust_proxy: bool) -> Self {
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        let forwarded = trust_proxy.then(|| forwarded_for(headers)).flatten();
        Self {
            ip: forwarded.or(peer),
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|ua| ua.chars().take(255).collect()),
        }
    }

    pub fn ip_or_unknown(&self) -> &str {
        self.ip.as_deref().unwrap_or("unknown")
    }
}

fn forwarded_for(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("x-forwarded-for")?.to_str().ok()?;
    let first = value.split(',').next()?.trim();
    (!first.is_empty()).then(|| first.chars().take(64).collect())
}

impl<S> FromRequestParts<S> for ClientMeta
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        Ok(Self::from_request(
            &parts.headers,
            &parts.extensions,
            state.config.trust_proxy,
        ))
    }
}
