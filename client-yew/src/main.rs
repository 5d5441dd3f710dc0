//! AnKhangCRM web client (Yew, client-side rendered).

mod activity;
mod api;
mod app;
mod catalogue;
mod changes;
mod components;
mod contact_input;
mod coupon_input;
mod deal_draft;
mod feed;
mod form;
mod format;
mod hooks;
mod inbox;
mod live;
mod money;
mod nav;
mod notify;
mod pages;
mod prefs;
mod product_input;
mod rule_draft;
mod snapshot_diff;
mod sound;
mod state;
mod text;
mod web_push;
mod ws;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
