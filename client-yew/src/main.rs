//! AnKhangCRM web client (Yew, client-side rendered).

mod api;
mod app;
mod components;
mod form;
mod format;
mod hooks;
mod nav;
mod pages;
mod state;
mod text;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
