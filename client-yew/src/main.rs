//! AnKhangCRM web client (Yew, client-side rendered).

mod api;
mod app;
mod catalogue;
mod changes;
mod components;
mod contact_input;
mod form;
mod format;
mod hooks;
mod nav;
mod pages;
mod permissions;
mod state;
mod text;
mod ws;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
