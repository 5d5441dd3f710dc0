//! SeaORM entities. Never sent over the wire: the server maps them to `api-types`.

pub mod audit_head;
pub mod audit_log;
pub mod contact;
pub mod contact_counter;
pub mod contact_interaction;
pub mod contact_key;
pub mod contact_name_token;
pub mod daily_pick;
pub mod event;
pub mod login_failure;
pub mod password_reset;
pub mod permission;
pub mod role;
pub mod role_permission;
pub mod sale_pick_state;
pub mod service_type;
pub mod session;
pub mod team;
pub mod user;
pub mod user_permission;
pub mod user_role;
