//! The retention policy (SPEC DATA; SRS 4.13), run in-process every day and on an
//! admin's request: audit entries past 5 years archived to compressed files (chain
//! kept), failed/closed contacts inactive 2 years anonymised, system logs past 12
//! months deleted, uploaded files past 5 years securely deleted, won deals' contacts
//! anonymised after 10 years (amounts stay). Every run is audited with what it did.

mod audit_archive;
mod contacts;
mod policy;
pub mod routes;
mod system_logs;

use std::time::Duration;

use api_types::RetentionReport;
use sea_orm::DbErr;
use serde_json::json;
use tokio::{
    task::JoinHandle,
    time::{Instant, MissedTickBehavior},
};

pub use audit_archive::{ArchiveCheck, archive_dir, verify_archives};
pub use policy::{Cutoffs, RetentionConfig};

use crate::{
    audit::{self, AuditEntry},
    db,
    error::ApiError,
    http::client_meta::ClientMeta,
    state::AppState,
};

/// The job's name in logs, metrics and alerts.
pub const JOB: &str = "retention";

#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("cơ sở dữ liệu: {0}")]
    Database(#[from] DbErr),
    #[error("tệp lưu trữ: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "chuỗi nhật ký bị phá vỡ tại mục #{0}: không lưu trữ các mục chưa kiểm chứng (chạy `ankhang audit verify`)"
    )]
    BrokenChain(i64),
    #[error("{0}")]
    Other(String),
}

impl RetentionError {
    pub fn from_api(err: ApiError) -> Self {
        Self::Other(err.to_string())
    }
}

impl From<RetentionError> for ApiError {
    fn from(err: RetentionError) -> Self {
        match err {
            RetentionError::Database(e) => e.into(),
            other => ApiError::Internal(anyhow::anyhow!(other.to_string())),
        }
    }
}

/// One run of every rule, in an order where each step sees the previous ones' result:
/// contacts are anonymised (and their files go) before the age-based file purge.
pub async fn run_once(state: &AppState) -> Result<RetentionReport, RetentionError> {
    let now = state.clock.now();
    let cut = state.config.retention.cutoffs(now);
    let inactive_contacts_anonymized =
        contacts::anonymize_inactive(state, cut.inactive_contacts, now).await?;
    let won_contacts_anonymized = contacts::anonymize_old_won(state, cut.won_deals, now).await?;
    let attachments_deleted = crate::attachments::purge_uploaded_before(
        &state.db,
        &state.config.data_dir,
        cut.attachments,
    )
    .await?;
    let system_rows_deleted = system_logs::purge_before(&state.db, cut.system_logs).await?;
    let (audit_archived, audit_files) =
        audit_archive::archive_before(&state.db, &state.config.data_dir, cut.audit, now).await?;
    let report = RetentionReport {
        ran_at: now.to_rfc3339(),
        audit_archived,
        audit_files,
        inactive_contacts_anonymized,
        won_contacts_anonymized,
        system_rows_deleted,
        attachments_deleted,
    };
    record(state, &report, &cut).await?;
    Ok(report)
}

async fn record(
    state: &AppState,
    report: &RetentionReport,
    cut: &Cutoffs,
) -> Result<(), RetentionError> {
    let tx = db::begin_write(&state.db).await?;
    let meta = ClientMeta {
        ip: None,
        user_agent: Some("retention".into()),
    };
    let mut after = serde_json::to_value(report).unwrap_or_default();
    after["cutoffs"] = json!({
        "audit": cut.audit.to_rfc3339(),
        "inactive_contacts": cut.inactive_contacts.to_rfc3339(),
        "system_logs": cut.system_logs.to_rfc3339(),
        "attachments": cut.attachments.to_rfc3339(),
        "won_deals": cut.won_deals.to_rfc3339(),
    });
    audit::record(
        &tx,
        state.clock.now(),
        AuditEntry {
            actor: None,
            action: "data.retention_run",
            target: None,
            before: None,
            after: Some(after),
            meta: &meta,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Runs every `every` (the first run a minute after start, off the start-up path)
/// until a shutdown begins. A failed run is reported; the next one tries again.
pub fn spawn(state: AppState, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval_at(Instant::now() + Duration::from_secs(60), every);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                () = state.lifecycle.stopping() => break,
                _ = ticker.tick() => {}
            }
            match run_once(&state).await {
                Ok(report) => tracing::info!(?report, "retention policy applied"),
                Err(err) => state.monitor.job_failed(JOB, &err),
            }
        }
    })
}

pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(routes::policy))
        .routes(utoipa_axum::routes!(routes::run))
}
