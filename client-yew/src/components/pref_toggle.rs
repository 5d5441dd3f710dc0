use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::prefs::Pref;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct PrefToggleProps {
    pub pref: Pref,
}

/// A checkbox for one of the board's per-browser choices: "Báo khi có khách mới"
/// (`#notify-new`) or "Phát âm báo khách mới" (`#sound-new`).
#[component]
pub fn PrefToggle(props: &PrefToggleProps) -> Html {
    let pref = props.pref;
    let on = use_state(|| pref.enabled());
    let onchange = {
        let on = on.clone();
        Callback::from(move |event: Event| {
            let checked = event.target_unchecked_into::<HtmlInputElement>().checked();
            pref.set(checked);
            on.set(checked);
        })
    };
    let (id, label) = match pref {
        Pref::DesktopNotice => ("notify-new", text::NOTIFY_NEW),
        Pref::Sound => ("sound-new", text::SOUND_NEW),
    };
    html! {
        <label class="checkbox notify-toggle" for={id}>
            <input type="checkbox" {id} checked={*on} {onchange} />
            { label }
        </label>
    }
}
