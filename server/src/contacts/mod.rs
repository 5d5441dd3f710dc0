//! Contacts (CONT), the status flow, the pick engine (PICK), interactions, row-level
//! security (`scope`) and encryption of personal data (`vault`).

pub mod anonymize;
pub(crate) mod export;
mod flow;
mod history;
pub mod input;
pub(crate) mod interactions;
pub mod pick;
pub mod recent_picks;
pub mod routes;
pub mod scope;
pub mod status;
mod subject_export;
pub mod vault;
mod view;

pub use pick::business_day;
use utoipa_axum::{router::OpenApiRouter, routes};
pub use view::find_visible;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_contacts, routes::create_contact))
        .routes(routes!(routes::check_phone))
        .routes(routes!(export::export))
        .routes(routes!(routes::get_contact, routes::update_contact))
        .routes(routes!(history::history))
        .routes(routes!(pick::pick))
        .routes(routes!(pick::my_allowance))
        .routes(routes!(pick::reset_cooldown))
        .routes(routes!(flow::change_status))
        .routes(routes!(flow::reassign))
        .routes(routes!(anonymize::anonymize))
        .routes(routes!(subject_export::subject_export))
        .routes(routes!(
            interactions::list_interactions,
            interactions::add_interaction
        ))
}
