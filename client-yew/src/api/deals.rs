//! Deals: the list with its totals, closing a contact, editing, payment status, history.

use api_types::{
    AuditEntryDto, CreateDealRequest, DealDto, DealFilterOptions, DealPage, PaymentStatusRequest,
    UpdateDealRequest,
};
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// Filters of the deals list; empty strings and `None` leave a filter out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealQuery {
    /// Deal code or contact code.
    pub q: String,
    pub payment_status: String,
    pub closer_id: Option<i64>,
    pub team_id: Option<i64>,
    /// Signing days (`2026-11-25`), both included.
    pub from: String,
    pub to: String,
    pub page: u64,
    pub per_page: u64,
}

impl DealQuery {
    /// The list's filters as a CSV or XLSX download of every matching deal.
    pub fn export_url(&self, format: &str) -> String {
        let mut params: Vec<(&str, String)> = self
            .params()
            .into_iter()
            .filter(|(name, _)| !matches!(*name, "page" | "per_page"))
            .collect();
        params.push(("format", format.to_owned()));
        super::export_url("/api/deals/export", &params)
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("page", self.page.max(1).to_string()),
            ("per_page", self.per_page.to_string()),
        ];
        let texts = [
            ("q", self.q.trim()),
            ("payment_status", self.payment_status.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ];
        params.extend(
            texts
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| (name, value.to_owned())),
        );
        let ids = [("closer_id", self.closer_id), ("team_id", self.team_id)];
        params.extend(
            ids.into_iter()
                .filter_map(|(name, id)| id.map(|id| (name, id.to_string()))),
        );
        params
    }
}

pub async fn deals(query: &DealQuery) -> Result<DealPage, ApiError> {
    let params = query.params();
    let request = Request::get("/api/deals")
        .query(params.iter().map(|(k, v)| (*k, v.as_str())))
        .build();
    read(send(request).await?).await
}

/// The Sales and teams the caller may filter by (both empty for own deals only).
pub async fn deal_filters() -> Result<DealFilterOptions, ApiError> {
    read(send(Request::get("/api/deals/filters").build()).await?).await
}

pub async fn deal(id: i64) -> Result<DealDto, ApiError> {
    read(send(Request::get(&format!("/api/deals/{id}")).build()).await?).await
}

/// Closes the contact: it becomes `won`.
pub async fn create_deal(body: &CreateDealRequest) -> Result<DealDto, ApiError> {
    read(send(Request::post("/api/deals").json(body)).await?).await
}

pub async fn update_deal(id: i64, body: &UpdateDealRequest) -> Result<DealDto, ApiError> {
    read(send(Request::put(&format!("/api/deals/{id}")).json(body)).await?).await
}

pub async fn change_payment(id: i64, body: &PaymentStatusRequest) -> Result<DealDto, ApiError> {
    read(send(Request::post(&format!("/api/deals/{id}/payment")).json(body)).await?).await
}

/// The deal's audit trail, newest first.
pub async fn deal_history(id: i64) -> Result<Vec<AuditEntryDto>, ApiError> {
    read(send(Request::get(&format!("/api/deals/{id}/history")).build()).await?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_set_filters_reach_the_server() {
        let query = DealQuery {
            q: "  HD2026 ".into(),
            closer_id: Some(4),
            from: "2026-11-01".into(),
            page: 0,
            per_page: 20,
            ..DealQuery::default()
        };
        let params = query.params();
        let names: Vec<&str> = params.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["page", "per_page", "q", "from", "closer_id"]);
        assert_eq!(params[0].1, "1", "page 0 is asked as the first");
        assert_eq!(params[2].1, "HD2026");
        assert_eq!(
            params[3].1, "2026-11-01",
            "days go as typed: the server reads them in UTC+7"
        );
    }
}
