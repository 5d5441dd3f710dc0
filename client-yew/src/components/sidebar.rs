use std::rc::Rc;

use api_types::UserDto;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::nav::{self, NavEntry, NavTarget};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct SidebarProps {
    pub user: Rc<UserDto>,
    /// Shown as a drawer on small screens.
    pub open: bool,
    /// Called after an in-app link is followed (closes the drawer).
    pub on_navigate: Callback<()>,
}

#[component]
pub fn Sidebar(props: &SidebarProps) -> Html {
    let current = use_route::<Route>();
    let navigator = use_navigator();
    html! {
        <nav id="sidebar" class={classes!("sidebar", props.open.then_some("open"))}
            aria-label={text::MAIN_NAV}>
            <ul class="nav-list">
                for entry in nav::visible_to(&props.user) {
                    <li>{ nav_link(entry, current.as_ref(), navigator.clone(), &props.on_navigate) }</li>
                }
            </ul>
        </nav>
    }
}

fn nav_link(
    entry: &NavEntry,
    current: Option<&Route>,
    navigator: Option<Navigator>,
    on_navigate: &Callback<()>,
) -> Html {
    match &entry.target {
        NavTarget::Route(route) => {
            // A screen's sub-pages (`/employees/7`) keep its entry highlighted.
            let active = current.is_some_and(|current| {
                current == route
                    || (*route != Route::Home
                        && current
                            .to_path()
                            .starts_with(&format!("{}/", route.to_path())))
            });
            let onclick = {
                let route = route.clone();
                let on_navigate = on_navigate.clone();
                Callback::from(move |event: MouseEvent| {
                    // Let the browser open new tabs/windows as usual.
                    if event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key()
                    {
                        return;
                    }
                    event.prevent_default();
                    if let Some(navigator) = &navigator {
                        navigator.push(&route);
                    }
                    on_navigate.emit(());
                })
            };
            html! {
                <a href={route.to_path()} data-nav={entry.key} {onclick}
                    class={classes!("nav-link", active.then_some("active"))}
                    aria-current={active.then_some("page")}>
                    { entry.label }
                </a>
            }
        }
        NavTarget::Href(href) => html! {
            <a href={*href} data-nav={entry.key} class="nav-link">{ entry.label }</a>
        },
    }
}
