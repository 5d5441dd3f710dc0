//! The whole firm's data in one ZIP, for moving to another system (policy 000 §9):
//! every table as JSON Lines with personal fields decrypted, plus `khach-hang.csv` in
//! the import's own format so another AnKhangCRM can take the contacts straight in.
//! Secrets never leave: no password hashes, sessions, keys or two-factor data.

mod contacts;
pub mod routes;
mod tables;

use std::{
    collections::BTreeMap,
    io::{Seek, Write},
};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

use crate::{contacts::vault::Vault, error::ApiError};

/// What the archive holds, written last as `manifest.json`.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub format: &'static str,
    pub generated_at: String,
    pub app_version: &'static str,
    /// File name → rows.
    pub files: BTreeMap<String, u64>,
}

/// One entry being written into the archive.
pub(crate) struct Archive<W: Write + Seek> {
    zip: ZipWriter<W>,
    files: BTreeMap<String, u64>,
}

impl<W: Write + Seek> Archive<W> {
    fn start(&mut self, name: &str) -> Result<(), ApiError> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(true);
        self.zip.start_file(name, options).map_err(internal)?;
        self.files.insert(name.to_owned(), 0);
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), ApiError> {
        self.zip.write_all(bytes).map_err(internal)
    }

    /// One JSON Lines row of the current file.
    fn line(&mut self, name: &str, value: &impl Serialize) -> Result<(), ApiError> {
        let mut bytes = serde_json::to_vec(value).map_err(internal)?;
        bytes.push(b'\n');
        self.write(&bytes)?;
        *self.files.entry(name.to_owned()).or_default() += 1;
        Ok(())
    }

    fn count(&mut self, name: &str) {
        *self.files.entry(name.to_owned()).or_default() += 1;
    }
}

pub(crate) fn internal(err: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("tenant export: {err}"))
}

/// Writes the archive into `out` (a file: the ZIP needs to seek back).
pub async fn write<W: Write + Seek>(
    db: &DatabaseConnection,
    vault: &Vault,
    out: W,
    now: DateTime<Utc>,
) -> Result<Manifest, ApiError> {
    let mut archive = Archive {
        zip: ZipWriter::new(out),
        files: BTreeMap::new(),
    };
    let names = tables::Names::load(db).await?;
    contacts::write(db, vault, &names, &mut archive).await?;
    tables::write_all(db, vault, &names, &mut archive).await?;
    let manifest = Manifest {
        format: "ankhang-export/1",
        generated_at: now.to_rfc3339(),
        app_version: env!("CARGO_PKG_VERSION"),
        files: archive.files.clone(),
    };
    archive.start("manifest.json")?;
    let text = serde_json::to_vec_pretty(&manifest).map_err(internal)?;
    archive.write(&text)?;
    archive.zip.finish().map_err(internal)?;
    Ok(manifest)
}

/// Records the export in the audit trail (`actor` `None`: the command line).
pub async fn audit(
    db: &DatabaseConnection,
    actor: Option<crate::audit::Actor>,
    meta: &crate::http::client_meta::ClientMeta,
    manifest: &Manifest,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let tx = crate::db::begin_write(db).await?;
    crate::audit::record(
        &tx,
        now,
        crate::audit::AuditEntry {
            actor,
            action: "data.tenant_exported",
            target: None,
            before: None,
            after: Some(serde_json::json!({ "files": manifest.files })),
            meta,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub fn router() -> utoipa_axum::router::OpenApiRouter<crate::state::AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(routes::export_all))
}
