//! AnKhangCRM web client (Yew, client-side rendered).

mod api;
mod app;
mod catalogue;
mod changes;
mod components;
mod contact_input;
mod feed;
mod form;
mod format;
mod hooks;
mod live;
mod nav;
mod notify;
mod pages;
mod state;
mod text;
mod ws;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
