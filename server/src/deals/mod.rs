//! Deals (SPEC.md DEAL): a contact is won by creating its deal, in one transaction;
//! lines of products, an optional coupon, a server-computed total, and a payment
//! status with its own history. Sales see their own deals; `deals.view_all` sees all.

mod create;
mod edit;
mod export;
mod history;
mod lines;
mod list;
mod payment;
pub mod scope;
mod view;

pub use view::{NOTE_FIELD, PAYMENT_NOTE_FIELD, open_note};

pub use view::deal_ids_for_contacts;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list, create::create))
        .routes(routes!(list::filters))
        .routes(routes!(export::export))
        .routes(routes!(view::get, edit::update))
        .routes(routes!(payment::change_payment))
        .routes(routes!(history::history))
}
