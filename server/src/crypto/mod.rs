//! Encryption at rest: AES-256-GCM envelope encryption of personal data (one data key
//! per contact, wrapped by a key derived from the master key) and keyed blind indexes
//! so encrypted fields stay searchable.

pub mod blind;
mod cipher;
pub mod envelope;

pub use cipher::{CryptoError, open, seal};
