//! Contacts, the pick engine, status moves, re-assignment, interactions and history.

use api_types::{
    AnonymizeRequest, AuditEntryDto, ContactDto, ContactPage, CreateContactRequest, InteractionDto,
    InteractionRequest, PhoneCheck, PickAllowance, ReassignRequest, StatusChangeRequest,
    UpdateContactRequest,
};
use gloo_net::http::Request;

use super::{ApiError, read, send};
use crate::format;

/// Filters of the contact list; empty strings and `None` leave a filter out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactQuery {
    pub q: String,
    /// One status or several separated by commas (the care queue's default).
    pub status: String,
    pub source: String,
    pub service_type_id: Option<i64>,
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
    /// Calendar days (`2026-11-25`, what `<input type="date">` holds), in UTC+7.
    pub from: String,
    pub to: String,
    /// `newest`, `oldest`, `code` or `status`; empty is the server's default (newest).
    pub sort: String,
    pub page: u64,
    pub per_page: u64,
}

impl ContactQuery {
    /// The list's filters as a CSV or XLSX download of every matching contact.
    pub fn export_url(&self, format: &str) -> String {
        let mut params: Vec<(&str, String)> = self
            .params()
            .into_iter()
            .filter(|(name, _)| !matches!(*name, "page" | "per_page" | "sort"))
            .collect();
        params.push(("format", format.to_owned()));
        super::export_url("/api/contacts/export", &params)
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("page", self.page.max(1).to_string()),
            ("per_page", self.per_page.to_string()),
        ];
        let texts = [
            ("q", self.q.trim()),
            ("status", self.status.as_str()),
            ("source", self.source.as_str()),
            ("sort", self.sort.as_str()),
        ];
        params.extend(
            texts
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| (name, value.to_owned())),
        );
        let ids = [
            ("service_type_id", self.service_type_id),
            ("team_id", self.team_id),
            ("assignee_id", self.assignee_id),
        ];
        params.extend(
            ids.into_iter()
                .filter_map(|(name, id)| id.map(|id| (name, id.to_string()))),
        );
        // The server's `to` is exclusive: the day after the chosen one keeps that day in.
        if let Some(from) = format::day_start_utc(&self.from, 0) {
            params.push(("from", from));
        }
        if let Some(to) = format::day_start_utc(&self.to, 1) {
            params.push(("to", to));
        }
        params
    }
}

pub async fn contacts(query: &ContactQuery) -> Result<ContactPage, ApiError> {
    let params = query.params();
    let request = Request::get("/api/contacts")
        .query(params.iter().map(|(k, v)| (*k, v.as_str())))
        .build();
    read(send(request).await?).await
}

pub async fn contact(id: i64) -> Result<ContactDto, ApiError> {
    read(send(Request::get(&format!("/api/contacts/{id}")).build()).await?).await
}

pub async fn create_contact(body: &CreateContactRequest) -> Result<ContactDto, ApiError> {
    read(send(Request::post("/api/contacts").json(body)).await?).await
}

pub async fn update_contact(id: i64, body: &UpdateContactRequest) -> Result<ContactDto, ApiError> {
    read(send(Request::put(&format!("/api/contacts/{id}")).json(body)).await?).await
}

/// Contacts that already have this phone (the create form's early warning).
pub async fn check_phone(phone: &str) -> Result<PhoneCheck, ApiError> {
    let request = Request::get("/api/contacts/check-phone")
        .query([("phone", phone.trim())])
        .build();
    read(send(request).await?).await
}

pub async fn pick_contact(id: i64) -> Result<ContactDto, ApiError> {
    read(send(Request::post(&format!("/api/contacts/{id}/pick")).build()).await?).await
}

/// The caller's cooldown and today's picks per service type.
pub async fn pick_allowance() -> Result<PickAllowance, ApiError> {
    read(send(Request::get("/api/picks/me").build()).await?).await
}

/// Lets an employee pick again at once (`contacts.reassign`).
pub async fn reset_pick_cooldown(user_id: i64) -> Result<(), ApiError> {
    let url = format!("/api/users/{user_id}/pick-cooldown/reset");
    send(Request::post(&url).build()).await.map(drop)
}

pub async fn change_status(id: i64, body: &StatusChangeRequest) -> Result<ContactDto, ApiError> {
    read(send(Request::post(&format!("/api/contacts/{id}/status")).json(body)).await?).await
}

pub async fn reassign_contact(id: i64, body: &ReassignRequest) -> Result<ContactDto, ApiError> {
    read(send(Request::post(&format!("/api/contacts/{id}/reassign")).json(body)).await?).await
}

/// Erases the contact's personal data for good (`contacts.anonymize`).
pub async fn anonymize_contact(id: i64, body: &AnonymizeRequest) -> Result<ContactDto, ApiError> {
    read(send(Request::post(&format!("/api/contacts/{id}/anonymize")).json(body)).await?).await
}

/// Newest first; empty while the contact is masked for the caller.
pub async fn interactions(id: i64) -> Result<Vec<InteractionDto>, ApiError> {
    read(send(Request::get(&format!("/api/contacts/{id}/interactions")).build()).await?).await
}

pub async fn add_interaction(
    id: i64,
    body: &InteractionRequest,
) -> Result<InteractionDto, ApiError> {
    let url = format!("/api/contacts/{id}/interactions");
    read(send(Request::post(&url).json(body)).await?).await
}

/// The contact's audit trail, newest first.
pub async fn contact_history(id: i64) -> Result<Vec<AuditEntryDto>, ApiError> {
    read(send(Request::get(&format!("/api/contacts/{id}/history")).build()).await?).await
}
