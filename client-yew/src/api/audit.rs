//! The audit trail: search, who can appear in it, and chain verification.

use api_types::{AuditPage, AuditVerifyResponse, PersonRef};
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// Filters of the audit screen; empty strings and `None` leave a filter out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    pub q: String,
    pub actor: Option<i64>,
    pub module: String,
    pub action: String,
    /// `contact`, or `contact:12` when the screen was opened for one record.
    pub target: String,
    /// Vietnamese days (`2026-11-25`), both included.
    pub from: String,
    pub to: String,
    pub page: u64,
    pub per_page: u64,
}

impl AuditQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("page", self.page.max(1).to_string()),
            ("per_page", self.per_page.to_string()),
        ];
        let texts = [
            ("q", self.q.trim()),
            ("module", self.module.as_str()),
            ("action", self.action.as_str()),
            ("target", self.target.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ];
        params.extend(
            texts
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| (name, value.to_owned())),
        );
        if let Some(actor) = self.actor {
            params.push(("actor", actor.to_string()));
        }
        params
    }
}

pub async fn audit(query: &AuditQuery) -> Result<AuditPage, ApiError> {
    let params = query.params();
    let request = Request::get("/api/audit")
        .query(params.iter().map(|(k, v)| (*k, v.as_str())))
        .build();
    read(send(request).await?).await
}

pub async fn audit_actors() -> Result<Vec<PersonRef>, ApiError> {
    read(send(Request::get("/api/audit/actors").build()).await?).await
}

pub async fn audit_verify() -> Result<AuditVerifyResponse, ApiError> {
    read(send(Request::get("/api/audit/verify").build()).await?).await
}
