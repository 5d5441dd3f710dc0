use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::notify;
use crate::text;

/// "Báo khi có khách mới" (`#notify-new`): desktop notifications of new contacts while
/// the page is hidden.
#[component]
pub fn NotifyToggle() -> Html {
    let on = use_state(notify::enabled);
    let onchange = {
        let on = on.clone();
        Callback::from(move |event: Event| {
            let checked = event.target_unchecked_into::<HtmlInputElement>().checked();
            notify::set_enabled(checked);
            on.set(checked);
        })
    };
    html! {
        <label class="checkbox notify-toggle" for="notify-new">
            <input type="checkbox" id="notify-new" checked={*on} {onchange} />
            { text::NOTIFY_NEW }
        </label>
    }
}
