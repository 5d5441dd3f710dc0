//! Backups taken by `ankhang serve` on a timer: written to `data/backups`, verified,
//! copied off-site when configured, pruned to the newest few, and audited. A failed
//! run is logged and reported through the monitor; the next run tries again.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use sea_orm::DatabaseConnection;
use tokio::{
    task::JoinHandle,
    time::{Instant, MissedTickBehavior},
};

use super::{BackupError, names, restore::copy_synced, snapshot, verify};
use crate::{
    audit::{self, AuditEntry},
    clock::SharedClock,
    db,
    http::client_meta::ClientMeta,
    lifecycle::Lifecycle,
    monitoring::Monitor,
};

/// The job's name in logs, metrics and alerts.
pub const JOB: &str = "backup";

#[derive(Debug, Clone)]
pub struct Plan {
    pub dir: PathBuf,
    /// Backups kept in `dir` and in `offsite` (at least one).
    pub keep: usize,
    pub offsite: Option<PathBuf>,
    /// Folders of files kept beside the database (attachments, audit archives), each
    /// mirrored into a sub-folder of the same name off-site.
    pub mirrored: Vec<PathBuf>,
}

/// What one run produced.
#[derive(Debug)]
pub struct Run {
    pub file: PathBuf,
    pub size: u64,
    pub offsite: Option<PathBuf>,
    pub pruned: usize,
}

pub struct Scheduler {
    db: DatabaseConnection,
    clock: SharedClock,
    plan: Plan,
    monitor: Monitor,
}

impl Scheduler {
    pub fn new(db: DatabaseConnection, clock: SharedClock, plan: Plan, monitor: Monitor) -> Self {
        Self {
            db,
            clock,
            plan,
            monitor,
        }
    }

    /// Runs every `every` (the first run one period after start) until a shutdown
    /// begins; a run in progress is finished, never cut short.
    pub fn spawn(self, every: Duration, lifecycle: Lifecycle) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval_at(Instant::now() + every, every);
            ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    biased;
                    () = lifecycle.stopping() => break,
                    _ = ticker.tick() => {}
                }
                match self.run_once().await {
                    Ok(run) => tracing::info!(
                        file = %run.file.display(),
                        size = run.size,
                        offsite = run.offsite.is_some(),
                        pruned = run.pruned,
                        "scheduled backup written"
                    ),
                    Err(err) => self.monitor.job_failed(JOB, &err),
                }
            }
        })
    }

    /// One backup. A copy SQLite finds damaged is deleted. A copy whose audit chain does
    /// not verify is kept (its data is sound, and it may be the best copy there is) but
    /// the run fails so the broken chain is reported, and nothing is pruned: the last
    /// copies with an intact chain must outlive the tampering.
    pub async fn run_once(&self) -> Result<Run, BackupError> {
        let at = self.clock.now();
        let file = names::fresh_path(&self.plan.dir, at);
        let size = snapshot::write(&self.db, &file).await?;
        let mut failure = None;
        match verify::inspect(&file).await {
            Ok(_) => {}
            Err(err @ BackupError::AuditBroken { .. }) => failure = Some(err),
            Err(err) => {
                let _ = std::fs::remove_file(&file);
                return Err(err);
            }
        }
        let keep = failure.is_none().then_some(self.plan.keep);
        let mut pruned = match keep {
            Some(keep) => prune(&self.plan.dir, keep)?,
            None => 0,
        };
        let offsite = match &self.plan.offsite {
            None => None,
            Some(dir) => {
                match copy_offsite(file.clone(), dir.clone(), keep, self.plan.mirrored.clone())
                    .await
                {
                    Ok((copy, removed)) => {
                        pruned += removed;
                        Some(copy)
                    }
                    Err(err) => {
                        failure.get_or_insert(err);
                        None
                    }
                }
            }
        };
        self.record(&file, size, offsite.is_some()).await?;
        match failure {
            Some(err) => Err(err),
            None => Ok(Run {
                file,
                size,
                offsite,
                pruned,
            }),
        }
    }

    async fn record(&self, file: &Path, size: u64, offsite: bool) -> Result<(), BackupError> {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tx = db::begin_write(&self.db)
            .await
            .map_err(BackupError::db("ghi nhật ký sao lưu"))?;
        audit::record(
            &tx,
            self.clock.now(),
            AuditEntry {
                actor: None,
                action: "system.backup_created",
                target: None,
                before: None,
                after: Some(serde_json::json!({
                    "file": name,
                    "size": size,
                    "offsite": offsite,
                })),
                meta: &ClientMeta {
                    ip: None,
                    user_agent: Some("ankhang-scheduler".into()),
                },
            },
        )
        .await
        .map_err(BackupError::db("ghi nhật ký sao lưu"))?;
        tx.commit()
            .await
            .map_err(BackupError::db("ghi nhật ký sao lưu"))
    }
}

/// Copies `file` into `dir` and prunes there to `keep` (when given), on a blocking
/// thread (a large database takes a while to copy to a network share). Returns the
/// copy and how many old backups went.
async fn copy_offsite(
    file: PathBuf,
    dir: PathBuf,
    keep: Option<usize>,
    mirrored: Vec<PathBuf>,
) -> Result<(PathBuf, usize), BackupError> {
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir).map_err(BackupError::io(format!(
            "Không tạo được thư mục sao lưu ngoài {}",
            dir.display()
        )))?;
        let name = file.file_name().unwrap_or_default();
        let copy = dir.join(name);
        // Written under a temporary name first, so the off-site folder never shows a
        // half-copied backup under a real name.
        let mut temp = name.to_owned();
        temp.push(".tmp");
        let temp = dir.join(temp);
        let copied = copy_synced(&file, &temp).and_then(|()| {
            std::fs::rename(&temp, &copy).map_err(BackupError::io(format!(
                "Không đổi tên {} thành {}",
                temp.display(),
                copy.display()
            )))
        });
        if copied.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        copied?;
        let _ = snapshot::sync_dir(&copy);
        let pruned = match keep {
            Some(keep) => prune(&dir, keep)?,
            None => 0,
        };
        for source in &mirrored {
            let Some(name) = source.file_name() else {
                continue;
            };
            mirror(source, &dir.join(name)).map_err(BackupError::io(format!(
                "Không chép được thư mục {} ra ngoài",
                source.display()
            )))?;
        }
        Ok((copy, pruned))
    })
    .await
    .map_err(|err| BackupError::Io {
        action: "Chép bản sao lưu ra ngoài bị gián đoạn".into(),
        source: std::io::Error::other(err),
    })?
}

fn prune(dir: &Path, keep: usize) -> Result<usize, BackupError> {
    names::prune(dir, keep.max(1))
        .map(|removed| removed.len())
        .map_err(BackupError::io(format!(
            "Không dọn được bản sao lưu cũ trong {}",
            dir.display()
        )))
}

/// Makes `dst` hold exactly the files of `src`. Their names never change content
/// (attachments have random storage names, archives are written once), so a name
/// already there with the same size is left alone; a file gone from `src` (shredded,
/// anonymised) is deleted from the copy too, so erased data does not linger off-site.
fn mirror(src: &Path, dst: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dst)?;
    let mut present = std::collections::HashSet::new();
    if src.exists() {
        for entry in std::fs::read_dir(src)? {
            let entry = entry?;
            let name = entry.file_name();
            // A file still being written (`.part`) is copied by the next run.
            if !entry.file_type()?.is_file() || name.to_string_lossy().ends_with(".part") {
                continue;
            }
            let target = dst.join(&name);
            let size = entry.metadata()?.len();
            if target.metadata().map(|m| m.len()).ok() != Some(size) {
                let mut temp = name.clone();
                temp.push(".tmp");
                let temp = dst.join(temp);
                std::fs::copy(entry.path(), &temp)?;
                std::fs::File::open(&temp)?.sync_all()?;
                std::fs::rename(&temp, &target)?;
            }
            present.insert(name);
        }
    }
    for entry in std::fs::read_dir(dst)? {
        let entry = entry?;
        if entry.file_type()?.is_file() && !present.contains(&entry.file_name()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
