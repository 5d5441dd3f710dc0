//! `ankhang backup` and `ankhang restore`: the operator's side, with what they print.

use std::{fmt, path::PathBuf};

use chrono::{DateTime, Utc};

use super::{
    BackupError,
    location::{backup_dir, database_file},
    names, restore, snapshot,
    verify::{self, Inspection},
};
use crate::{config::Config, db};

/// Backs the running (or stopped) database up to `out`, or to a fresh name in
/// `data/backups`, then checks the copy.
pub async fn backup(
    config: &Config,
    out: Option<PathBuf>,
    now: DateTime<Utc>,
) -> Result<BackedUp, BackupError> {
    let source = database_file(&config.database_url)?;
    if !source.is_file() {
        return Err(BackupError::DatabaseMissing(source));
    }
    let out = out.unwrap_or_else(|| names::fresh_path(&backup_dir(&config.data_dir), now));
    let live = db::connect(&config.database_url)
        .await
        .map_err(BackupError::Connect)?;
    let written = snapshot::write(&live, &out).await;
    let _ = live.close().await;
    written?;
    match verify::inspect(&out).await {
        Ok(inspection) => Ok(BackedUp(inspection)),
        // The copy holds exactly what the database holds: keep it, but say so loudly.
        Err(err @ BackupError::AuditBroken { .. }) => Err(err),
        Err(err) => {
            let _ = std::fs::remove_file(&out);
            Err(err)
        }
    }
}

/// Restores `file` into the configured database (the server must be stopped).
pub async fn restore(
    config: &Config,
    file: PathBuf,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Restored, BackupError> {
    let restored = restore::restore(&config.database_url, &file, force, now).await?;
    Ok(Restored {
        from: file,
        set_aside: restored.set_aside,
        inspection: restored.inspection,
    })
}

pub struct BackedUp(pub Inspection);

impl fmt::Display for BackedUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.0;
        writeln!(
            f,
            "Đã sao lưu vào {} ({}).",
            i.path.display(),
            human_size(i.size)
        )?;
        write!(f, "{}", Checked(i))
    }
}

pub struct Restored {
    pub from: PathBuf,
    pub set_aside: Option<PathBuf>,
    pub inspection: Inspection,
}

impl fmt::Display for Restored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inspection;
        writeln!(
            f,
            "Đã khôi phục {} từ {} ({}).",
            i.path.display(),
            self.from.display(),
            human_size(i.size)
        )?;
        if let Some(old) = &self.set_aside {
            writeln!(f, "Cơ sở dữ liệu cũ được giữ lại ở {}.", old.display())?;
        }
        write!(f, "{}", Checked(i))?;
        write!(f, "\nHãy khởi động lại máy chủ (ankhang serve).")
    }
}

struct Checked<'a>(&'a Inspection);

impl fmt::Display for Checked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.0;
        writeln!(
            f,
            "Kiểm tra: integrity_check ok, chuỗi nhật ký kiểm toán nguyên vẹn."
        )?;
        write!(
            f,
            "Gồm {} nhân viên, {} khách hàng, {} hợp đồng, {} bản ghi nhật ký kiểm toán.",
            i.users, i.contacts, i.deals, i.audit_entries
        )
    }
}

/// `1,5 MB (1 572 864 byte)`: readable and exact.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = "byte";
    for next in UNITS {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    let exact = group_thousands(bytes);
    if unit == "byte" {
        format!("{exact} byte")
    } else {
        let short = format!("{value:.1}").replace('.', ",");
        format!("{short} {unit} — {exact} byte")
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_the_vietnamese_way() {
        assert_eq!(human_size(512), "512 byte");
        assert_eq!(human_size(1_572_864), "1,5 MB — 1.572.864 byte");
    }
}
