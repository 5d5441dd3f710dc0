//! Request, response and WebSocket types shared by every side of the wire, so the
//! JSON format has exactly one definition.

pub mod attachments;
pub mod audit;
pub mod auth;
pub mod contacts;
pub mod deals;
pub mod error;
pub mod imports;
pub mod notifications;
pub mod permissions;
pub mod push;
pub mod reports;
pub mod roles;
pub mod teams;
pub mod two_factor;
pub mod users;
pub mod zalo;

pub use attachments::*;
pub use audit::*;
pub use auth::*;
pub use contacts::*;
pub use deals::*;
pub use error::ApiErrorBody;
pub use imports::*;
pub use notifications::*;
pub use push::*;
pub use reports::*;
pub use roles::*;
pub use teams::*;
pub use two_factor::*;
pub use users::*;
pub use zalo::*;
