//! The audit trail: one append-only, hash-chained log every module writes to inside
//! the transaction of the change it records.

mod chain;
pub mod routes;

pub use chain::{Actor, AuditEntry, record, verify};
