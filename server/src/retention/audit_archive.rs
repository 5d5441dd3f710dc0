//! Audit entries past the retention period move, oldest first, into gzip-compressed
//! JSON Lines files under `data/archive/`. The chain stays whole: each file is listed
//! in `audit_archives` with the links at its ends and its SHA-256, the database's
//! chain continues from the newest file, and `verify_archives` recomputes every file.

use std::{
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
};

use chrono::{DateTime, Utc};
use entities::{audit_archive, audit_log};
use flate2::{Compression, read::GzDecoder, write::GzEncoder};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use sha2::{Digest, Sha256};

use super::RetentionError;
use crate::{
    audit::{ArchivedEntry, GENESIS_HASH, anchor, links},
    db,
};

/// Entries per archive file.
const FILE_ENTRIES: u64 = 50_000;

pub fn archive_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("archive")
}

/// Moves every entry older than `cutoff` — as long as all entries before it are older
/// too, since the chain can only be cut at its start — into archive files. Refuses
/// to archive entries that do not verify: an altered entry must not be buried.
pub async fn archive_before(
    db: &DatabaseConnection,
    data_dir: &Path,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(u64, Vec<String>), RetentionError> {
    let dir = archive_dir(data_dir);
    let mut moved = 0;
    let mut files = Vec::new();
    loop {
        let first_kept = audit_log::Entity::find()
            .filter(audit_log::Column::At.gte(cutoff))
            .order_by_asc(audit_log::Column::Id)
            .one(db)
            .await?
            .map(|row| row.id);
        let mut query = audit_log::Entity::find();
        if let Some(id) = first_kept {
            query = query.filter(audit_log::Column::Id.lt(id));
        }
        let batch = query
            .order_by_asc(audit_log::Column::Id)
            .limit(FILE_ENTRIES)
            .all(db)
            .await?;
        let (Some(first), Some(last)) = (batch.first().cloned(), batch.last().cloned()) else {
            break;
        };
        let (mut prev, _) = anchor(db).await?;
        let start = prev.clone();
        for row in &batch {
            if !links(&prev, row) {
                return Err(RetentionError::BrokenChain(row.id));
            }
            prev.clone_from(&row.hash);
        }
        let name = format!("audit-{:010}-{:010}.jsonl.gz", first.id, last.id);
        let rows: Vec<ArchivedEntry> = batch.into_iter().map(ArchivedEntry::from).collect();
        let count = rows.len() as u64;
        let digest = write_file(&dir, &name, rows).await?;

        let tx = db::begin_write(db).await?;
        audit_archive::Entity::insert(audit_archive::ActiveModel {
            file_name: Set(name.clone()),
            first_entry_id: Set(first.id),
            last_entry_id: Set(last.id),
            entries: Set(i64::try_from(count).unwrap_or(i64::MAX)),
            first_at: Set(first.at),
            last_at: Set(last.at),
            prev_hash: Set(start),
            last_hash: Set(last.hash.clone()),
            file_sha256: Set(digest),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(&tx)
        .await?;
        audit_log::Entity::delete_many()
            .filter(audit_log::Column::Id.between(first.id, last.id))
            .exec(&tx)
            .await?;
        tx.commit().await?;
        moved += count;
        files.push(name);
    }
    Ok((moved, files))
}

/// Writes the file next to its final name, syncs it, then renames it into place, so
/// a crash leaves either nothing or a whole file (which the next run overwrites).
async fn write_file(
    dir: &Path,
    name: &str,
    rows: Vec<ArchivedEntry>,
) -> Result<String, RetentionError> {
    let (dir, name) = (dir.to_owned(), name.to_owned());
    tokio::task::spawn_blocking(move || -> Result<String, RetentionError> {
        std::fs::create_dir_all(&dir)?;
        let partial = dir.join(format!("{name}.part"));
        let file = std::fs::File::create(&partial)?;
        let mut gz = GzEncoder::new(std::io::BufWriter::new(file), Compression::default());
        for row in &rows {
            serde_json::to_writer(&mut gz, row).map_err(std::io::Error::other)?;
            gz.write_all(b"\n")?;
        }
        let file = gz.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial, dir.join(&name))?;
        let bytes = std::fs::read(dir.join(&name))?;
        Ok(hex::encode(Sha256::digest(&bytes)))
    })
    .await
    .map_err(|e| RetentionError::Io(std::io::Error::other(e)))?
}

/// What reading the archive files back found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveCheck {
    pub files: u64,
    pub entries: u64,
    /// The first file that is missing, altered, or does not continue the chain.
    pub first_bad_file: Option<String>,
}

/// Recomputes the chain through every archive file, oldest first, from the genesis
/// link to the newest file's last hash (where `audit::verify` takes over).
pub async fn verify_archives(
    db: &DatabaseConnection,
    data_dir: &Path,
) -> Result<ArchiveCheck, RetentionError> {
    let archives = audit_archive::Entity::find()
        .order_by_asc(audit_archive::Column::FirstEntryId)
        .all(db)
        .await?;
    let dir = archive_dir(data_dir);
    tokio::task::spawn_blocking(move || {
        let mut prev = GENESIS_HASH.to_owned();
        let mut check = ArchiveCheck {
            files: 0,
            entries: 0,
            first_bad_file: None,
        };
        for archive in archives {
            check.files += 1;
            match check_file(&dir, &archive, &prev) {
                Some(entries) => {
                    check.entries += entries;
                    prev.clone_from(&archive.last_hash);
                }
                None => {
                    check.first_bad_file = Some(archive.file_name);
                    break;
                }
            }
        }
        check
    })
    .await
    .map_err(|e| RetentionError::Io(std::io::Error::other(e)))
}

/// The file's entry count if it is intact and continues from `prev`.
fn check_file(dir: &Path, archive: &audit_archive::Model, prev: &str) -> Option<u64> {
    if archive.prev_hash != prev {
        return None;
    }
    let bytes = std::fs::read(dir.join(&archive.file_name)).ok()?;
    if hex::encode(Sha256::digest(&bytes)) != archive.file_sha256 {
        return None;
    }
    let mut link = prev.to_owned();
    let mut count = 0;
    for line in BufReader::new(GzDecoder::new(bytes.as_slice())).lines() {
        let entry: ArchivedEntry = serde_json::from_str(&line.ok()?).ok()?;
        let row = audit_log::Model::from(entry);
        if !links(&link, &row) {
            return None;
        }
        link = row.hash;
        count += 1;
    }
    (link == archive.last_hash && i64::try_from(count).ok()? == archive.entries).then_some(count)
}
