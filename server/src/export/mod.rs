//! Downloads of any table as CSV or XLSX. Rows come from a [`Source`] page by page:
//! CSV goes out as each page is read, so a long export never sits in memory; XLSX, a
//! zip that needs its whole content, is built with rust_xlsxwriter's constant-memory
//! worksheets and sent once complete.

mod csv_body;
mod xlsx;

use std::future::Future;

use axum::{
    body::Body,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::error::ApiError;

/// Rows per page read from the database.
pub const PAGE: u64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// `csv` (the default) or `xlsx`.
    pub fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        match raw.unwrap_or("csv") {
            "csv" => Ok(Self::Csv),
            "xlsx" => Ok(Self::Xlsx),
            _ => Err(ApiError::validation(
                "format",
                "Định dạng xuất phải là csv hoặc xlsx",
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// One value of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(i64),
    /// Integer VND.
    Money(i64),
    /// An instant, written as Vietnamese local time.
    Time(DateTime<Utc>),
    Day(NaiveDate),
    Empty,
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<Option<String>> for Cell {
    fn from(text: Option<String>) -> Self {
        text.map_or(Self::Empty, Self::Text)
    }
}

pub type Row = Vec<Cell>;

/// A column: its Vietnamese heading and its width in an XLSX sheet (characters).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub width: u16,
}

pub const fn column(title: &'static str, width: u16) -> Column {
    Column { title, width }
}

/// Where an export's rows come from: `next` gives the following page, empty at the end.
pub trait Source: Send + 'static {
    fn next(&mut self) -> impl Future<Output = Result<Vec<Row>, ApiError>> + Send;
}

/// A table already in memory (the report tables): one page.
pub struct Rows(pub Option<Vec<Row>>);

impl Source for Rows {
    async fn next(&mut self) -> Result<Vec<Row>, ApiError> {
        Ok(self.0.take().unwrap_or_default())
    }
}

/// The download: `file_stem` (ASCII, e.g. `khach-hang-2026-12-02`) plus the extension.
pub async fn download(
    format: Format,
    file_stem: &str,
    columns: &'static [Column],
    source: impl Source,
) -> Result<Response, ApiError> {
    let (content_type, body) = match format {
        Format::Csv => (
            "text/csv; charset=utf-8",
            Body::from_stream(csv_body::stream(columns, source)),
        ),
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Body::from(xlsx::build(columns, source).await?),
        ),
    };
    let disposition = format!("attachment; filename=\"{file_stem}.{}\"", format.code());
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `2026-12-02 14:05` on the Vietnamese clock (CSV cells).
pub fn vietnam_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}
