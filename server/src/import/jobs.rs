//! Imports started from the web run in the background; the page polls their progress.
//! Progress lives in memory: after a restart the file can simply be imported again,
//! since rows already stored are skipped.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use api_types::ImportJobDto;
use dashmap::DashMap;
use tokio::sync::Mutex;

#[derive(Clone, Default)]
pub struct Jobs {
    /// Job id → (the user who started it, its progress).
    jobs: Arc<DashMap<u64, (i64, ImportJobDto)>>,
    next_id: Arc<AtomicU64>,
    /// One import at a time per server: a second waits instead of racing the first
    /// row by row for the same phones.
    pub running: Arc<Mutex<()>>,
}

impl Jobs {
    pub fn start(&self, owner: i64, rows: u64) -> ImportJobDto {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let job = ImportJobDto {
            id,
            rows,
            ..ImportJobDto::default()
        };
        self.jobs.insert(id, (owner, job.clone()));
        job
    }

    pub fn update(&self, mut job: ImportJobDto, id: u64) {
        job.id = id;
        if let Some(mut entry) = self.jobs.get_mut(&id) {
            entry.1 = job;
        }
    }

    /// The job, if `user` started it.
    pub fn get(&self, id: u64, user: i64) -> Option<ImportJobDto> {
        self.jobs
            .get(&id)
            .filter(|entry| entry.0 == user)
            .map(|entry| entry.1.clone())
    }
}
