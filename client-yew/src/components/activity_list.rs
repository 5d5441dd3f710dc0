use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::activity::{Link as Target, from_frame};
use crate::app::Route;
use crate::{format, nav, text};

#[derive(Properties, PartialEq)]
pub struct ActivityListProps {
    /// Event frames, newest first.
    pub frames: Vec<Value>,
}

/// The recent activity (`#activity-list li[data-kind]`), each line linking to its
/// contact or deal.
#[component]
pub fn ActivityList(props: &ActivityListProps) -> Html {
    let navigator = use_navigator();
    let lines: Vec<_> = props.frames.iter().filter_map(from_frame).collect();
    if lines.is_empty() {
        return html! { <p id="activity-empty" class="empty-state">{ text::NO_ACTIVITY }</p> };
    }
    html! {
        <ol id="activity-list" class="activity-list">
            for line in lines {
                <li key={line.seq} class="activity-item" data-kind={line.kind.clone()}>
                    <span class="activity-time">{ format::datetime(&line.at) }</span>
                    {
                        match line.link {
                            Some(target) => {
                                let route = match target {
                                    Target::Contact(id) => Route::ContactDetail { id },
                                    Target::Deal(id) => Route::DealDetail { id },
                                };
                                html! {
                                    <a href={route.to_path()} onclick={nav::follow(&navigator, route)}>
                                        { line.text.clone() }
                                    </a>
                                }
                            }
                            None => html! { <span>{ line.text.clone() }</span> },
                        }
                    }
                </li>
            }
        </ol>
    }
}
