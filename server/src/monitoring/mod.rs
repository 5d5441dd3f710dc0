//! Watching the running server: readiness, Prometheus metrics, and the monitor
//! webhook that reports 5xx answers and background-job failures.

pub mod alerts;
pub mod metrics;
pub mod readiness;
pub mod routes;
mod track;

pub use alerts::Monitor;
pub use metrics::{Metrics, PickOutcome};
pub use track::track;
