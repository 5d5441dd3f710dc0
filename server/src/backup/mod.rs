//! Backups of the SQLite database: `ankhang backup` (online, consistent), `ankhang
//! restore` (verified, never clobbering silently) and the scheduled backups of
//! `ankhang serve`. PostgreSQL and MySQL are backed up with their own tools (README).

pub mod commands;
mod error;
pub mod location;
pub mod names;
pub mod restore;
pub mod schedule;
pub mod snapshot;
pub mod verify;

pub use error::BackupError;
