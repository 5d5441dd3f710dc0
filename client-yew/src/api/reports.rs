//! The dashboard and its table exports.

use api_types::Dashboard;
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// The dashboard's filters: a named period (or `custom` with both days) and a team.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportQuery {
    pub period: String,
    /// Vietnamese calendar days, `YYYY-MM-DD`, for `custom`.
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
}

impl Default for ReportQuery {
    fn default() -> Self {
        Self {
            period: "month".to_owned(),
            from: String::new(),
            to: String::new(),
            team_id: None,
        }
    }
}

impl ReportQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("period", self.period.clone())];
        if self.period == "custom" {
            params.push(("from", self.from.clone()));
            params.push(("to", self.to.clone()));
        }
        if let Some(team) = self.team_id {
            params.push(("team_id", team.to_string()));
        }
        params
    }

    /// One of the dashboard's tables as a CSV or XLSX download.
    pub fn export_url(&self, table: &str, format: &str) -> String {
        let mut params = self.params();
        params.push(("table", table.to_owned()));
        params.push(("format", format.to_owned()));
        super::export_url("/api/reports/export", &params)
    }
}

pub async fn dashboard(query: &ReportQuery) -> Result<Dashboard, ApiError> {
    let params = query.params();
    let request = Request::get("/api/reports/dashboard")
        .query(params.iter().map(|(k, v)| (*k, v.as_str())))
        .build();
    read(send(request).await?).await
}
