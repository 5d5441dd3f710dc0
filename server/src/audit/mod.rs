//! The audit trail: one append-only, hash-chained log every module writes to inside
//! the transaction of the change it records.

mod chain;
pub mod routes;
mod search;

pub use chain::{
    Actor, ArchivedEntry, AuditEntry, GENESIS_HASH, StoredEntry, Verification, anchor, append_many,
    links, record, verify,
};
