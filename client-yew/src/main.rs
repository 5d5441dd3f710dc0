//! AnKhangCRM web client (Yew, client-side rendered).

mod api;
mod app;
mod catalogue;
mod components;
mod form;
mod format;
mod hooks;
mod nav;
mod pages;
mod state;
mod text;
mod ws;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
