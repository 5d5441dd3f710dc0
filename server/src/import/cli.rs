//! `ankhang import contacts.csv [--dry-run]`: the same plan and import as the admin
//! screen, with a progress bar and every bad row printed.

use std::{collections::BTreeMap, path::Path};

use anyhow::{Context, bail};
use api_types::{ImportReport, ImportRequest};
use entities::user;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{Importer, plan};
use crate::{
    audit::Actor, clock::Clock, contacts::vault::Vault, error::ApiError,
    http::client_meta::ClientMeta, permissions,
};

pub struct Options<'a> {
    pub file: &'a Path,
    pub dry_run: bool,
    /// `field=Heading` pairs.
    pub map: &'a [String],
    pub default_service_type: Option<String>,
    pub default_source: Option<String>,
    /// Recorded as creator; default: the first active user allowed to import.
    pub as_user: Option<String>,
}

/// Runs the import; `Ok(false)` when some rows were bad (the caller exits 1).
pub async fn run(
    db: &DatabaseConnection,
    vault: &Vault,
    clock: &dyn Clock,
    options: Options<'_>,
) -> anyhow::Result<bool> {
    let bytes = std::fs::read(options.file)
        .with_context(|| format!("không đọc được tệp {}", options.file.display()))?;
    let csv = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!("tệp phải được lưu bằng mã UTF-8 (Google Sheets: Tệp → Tải xuống → CSV)")
    })?;
    let mut mapping = BTreeMap::new();
    for pair in options.map {
        let Some((field, heading)) = pair.split_once('=') else {
            bail!("--map cần dạng trường=Tên cột, ví dụ --map phone=\"SĐT\"");
        };
        mapping.insert(field.trim().to_owned(), heading.trim().to_owned());
    }
    let request = ImportRequest {
        csv,
        mapping,
        default_service_type: options.default_service_type,
        default_source: options.default_source,
    };
    let planned = plan(db, vault, &request, clock.now())
        .await
        .map_err(describe)?;
    print_report(&planned.report);
    let clean = planned.report.errors.is_empty();
    if options.dry_run {
        println!(
            "Chạy thử: {} dòng sẽ được nhập, {} bỏ qua, {} lỗi. Chưa ghi gì vào hệ thống.",
            planned.report.valid,
            planned.report.skipped.len(),
            planned.report.errors.len()
        );
        return Ok(clean);
    }
    let creator = importer(db, options.as_user.as_deref()).await?;
    let bar = ProgressBar::new(planned.report.rows);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} dòng ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let meta = ClientMeta {
        ip: None,
        user_agent: Some("ankhang import".into()),
    };
    let importer = Importer {
        db,
        vault,
        clock,
        creator,
        meta: &meta,
        feed: None,
    };
    let job = importer
        .apply(planned, |progress| bar.set_position(progress.processed))
        .await
        .map_err(describe)?;
    bar.finish_and_clear();
    println!(
        "Đã nhập {} khách hàng; bỏ qua {} (đã có); {} dòng lỗi.",
        job.imported, job.skipped, job.failed
    );
    Ok(clean && job.failed == 0)
}

fn print_report(report: &ImportReport) {
    let columns: Vec<String> = report
        .mapping
        .iter()
        .map(|(field, heading)| format!("{field} ← \"{heading}\""))
        .collect();
    println!("Cột: {}", columns.join(", "));
    println!("{} dòng dữ liệu.", report.rows);
    for skip in &report.skipped {
        println!("  Dòng {}: bỏ qua — {}", skip.line, skip.reason);
    }
    for error in &report.errors {
        println!("  Dòng {}: {} — {}", error.line, error.field, error.message);
    }
}

async fn importer(db: &DatabaseConnection, username: Option<&str>) -> anyhow::Result<Actor> {
    let allowed = permissions::holders(db, "contacts.import").await?;
    let mut query = user::Entity::find()
        .filter(user::Column::Status.eq(user::STATUS_ACTIVE))
        .filter(user::Column::Id.is_in(allowed))
        .order_by_asc(user::Column::Id);
    if let Some(name) = username {
        query = query.filter(user::Column::Username.eq(name.trim().to_lowercase()));
    }
    match query.one(db).await? {
        Some(u) => Ok(Actor {
            id: u.id,
            name: u.full_name,
        }),
        None => match username {
            Some(name) => {
                bail!("--as: \"{name}\" không phải nhân viên đang hoạt động có quyền nhập dữ liệu")
            }
            None => bail!(
                "chưa có nhân viên nào có quyền nhập dữ liệu: hãy chạy `ankhang bootstrap-admin`"
            ),
        },
    }
}

fn describe(err: ApiError) -> anyhow::Error {
    match err {
        ApiError::Validation { field, message } => anyhow::anyhow!("{field}: {message}"),
        other => anyhow::anyhow!("{other}"),
    }
}
