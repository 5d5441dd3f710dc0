//! The audit trail: one append-only, hash-chained log every module writes to inside
//! the transaction of the change it records.

mod chain;
pub mod routes;
mod search;

pub use chain::{Actor, AuditEntry, StoredEntry, append_many, record, verify};
