use yew::prelude::*;

use crate::text;

#[component]
pub fn Loading() -> Html {
    html! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{ text::LOADING }</span>
        </div>
    }
}
