//! Storing a judged file: batches of rows, each batch one transaction, each row the
//! same insert the create form uses (data key, blind indexes, audit entry). A phone
//! that appeared meanwhile is skipped, so running the same file twice, or twice at
//! once, never creates a duplicate.

use api_types::{ImportJobDto, ImportRowError};
use sea_orm::DatabaseConnection;
use serde_json::json;

use super::{plan::Plan, row::label};
use crate::{
    audit::{self, Actor, AuditEntry},
    clock::Clock,
    contacts::{
        routes::{self, NewContact},
        status::Status,
        vault::Vault,
    },
    db,
    error::ApiError,
    events::Feed,
    http::client_meta::ClientMeta,
};

/// Rows per transaction: short enough not to hold the write lock for long.
const BATCH: usize = 200;

/// Who imports, for `created_by` and the audit trail.
pub struct Importer<'a> {
    pub db: &'a DatabaseConnection,
    pub vault: &'a Vault,
    pub clock: &'a dyn Clock,
    pub creator: Actor,
    pub meta: &'a ClientMeta,
    /// Publishes `contact.created` for leads still new (the web import); the CLI,
    /// usually run at cut-over, leaves them for the boards' next load.
    pub feed: Option<&'a Feed>,
}

impl Importer<'_> {
    /// Stores the plan's rows, telling `progress` after every batch.
    pub async fn apply(
        &self,
        plan: Plan,
        mut progress: impl FnMut(&ImportJobDto),
    ) -> Result<ImportJobDto, ApiError> {
        let Plan {
            report,
            candidates,
            sha256,
        } = plan;
        let mut job = ImportJobDto {
            rows: report.rows,
            processed: report.rows - candidates.len() as u64,
            skipped: report.skipped.len() as u64,
            failed: report.errors.len() as u64,
            errors: report.errors,
            ..ImportJobDto::default()
        };
        progress(&job);
        for batch in candidates.chunks(BATCH) {
            let now = self.clock.now();
            let tx = db::begin_write(self.db).await?;
            let mut events = Vec::new();
            for candidate in batch {
                let new = NewContact {
                    personal: candidate.personal.clone(),
                    service_type_id: candidate.service_type_id,
                    source: candidate.source.clone(),
                    allow_duplicate: false,
                };
                let entry = AuditEntry {
                    actor: Some(self.creator.clone()),
                    action: "contacts.imported",
                    target: None,
                    before: None,
                    after: None,
                    meta: self.meta,
                };
                let history = Some(candidate.history.clone());
                match routes::insert_row(&tx, self.vault, new, history, self.creator.id, now, entry)
                    .await
                {
                    Ok(inserted) => {
                        job.imported += 1;
                        if self.feed.is_some() && candidate.history.status == Status::New {
                            let name = &candidate.personal.full_name;
                            events.push(routes::created_event(&tx, &inserted, name, now).await?);
                        }
                    }
                    Err(ApiError::DuplicatePhone { .. }) => job.skipped += 1,
                    Err(ApiError::Validation { field, message }) => {
                        job.failed += 1;
                        job.errors.push(ImportRowError {
                            line: candidate.line,
                            field: label(field.trim_end_matches("_id")).to_owned(),
                            message,
                        });
                    }
                    Err(other) => return Err(other),
                }
                job.processed += 1;
            }
            match self.feed {
                Some(feed) => feed.commit(tx, events).await?,
                None => tx.commit().await?,
            }
            progress(&job);
        }
        job.errors.sort_by_key(|e| e.line);
        let tx = db::begin_write(self.db).await?;
        audit::record(
            &tx,
            self.clock.now(),
            AuditEntry {
                actor: Some(self.creator.clone()),
                action: "contacts.import_finished",
                target: None,
                before: None,
                after: Some(json!({
                    "rows": job.rows,
                    "imported": job.imported,
                    "skipped": job.skipped,
                    "failed": job.failed,
                    "file_sha256": sha256,
                })),
                meta: self.meta,
            },
        )
        .await?;
        tx.commit().await?;
        job.done = true;
        progress(&job);
        Ok(job)
    }
}
