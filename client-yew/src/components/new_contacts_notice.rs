use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct NewContactsNoticeProps {
    pub count: u64,
    pub on_reload: Callback<()>,
}

/// "Có N khách hàng mới — Tải lại" (`#new-contacts-notice`): new contacts the list's
/// current filter may not show, so only a reload can place them.
#[component]
pub fn NewContactsNotice(props: &NewContactsNoticeProps) -> Html {
    if props.count == 0 {
        return Html::default();
    }
    html! {
        <div id="new-contacts-notice" class="new-contacts-notice" role="status">
            <span>{ text::new_contacts(props.count) }</span>
            <button type="button" id="new-contacts-reload" class="btn btn-outline btn-small"
                onclick={props.on_reload.reform(|_: MouseEvent| ())}>
                { text::RELOAD }
            </button>
        </div>
    }
}
