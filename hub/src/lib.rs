//! WebSocket hub: a per-user registry of live sockets, fan-out of frames serialised once
//! and shared as `Bytes`, and the per-socket driver (heartbeats, idle timeout, closes).
//!
//! A slow socket is never awaited: its bounded queue overflowing closes it with
//! [`CLOSE_SLOW_CONSUMER`], and the client reconnects and resumes.
#![forbid(unsafe_code)]

mod conn;
mod driver;
mod frames;
mod registry;

pub use conn::Registration;
pub use driver::drive;
pub use frames::{
    CLOSE_ACCOUNT_LOCKED, CLOSE_GOING_AWAY, CLOSE_IDLE, CLOSE_SESSION_REVOKED, CLOSE_SLOW_CONSUMER,
    Inbound, Outbound, REASON_GOING_AWAY, REASON_IDLE, REASON_SLOW_CONSUMER, Replay, Reply,
    WireOut,
};
pub use registry::{Hub, HubConfig};
