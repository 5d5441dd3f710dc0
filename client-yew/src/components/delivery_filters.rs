use api_types::{CHANNELS, DELIVERY_STATUSES};
use yew::prelude::*;

use crate::components::select_field::SelectField;
use crate::text;

type Options = Vec<(AttrValue, AttrValue)>;

/// A change of the delivery log's filters.
pub enum DeliveryChange {
    Status(String),
    Channel(String),
    /// Leave the one delivery the page was opened for, keeping the other filters.
    ShowAll,
    Clear,
}

#[derive(Properties, PartialEq)]
pub struct DeliveryFiltersProps {
    pub status: AttrValue,
    pub channel: AttrValue,
    /// The delivery the page was opened for (`?id=`).
    pub focused: Option<i64>,
    pub on_change: Callback<DeliveryChange>,
}

/// The delivery log's toolbar: status (`#delivery-status`), channel
/// (`#delivery-channel`), `#delivery-clear`; when opened for one delivery, a notice
/// (`#delivery-focus`) with `#delivery-show-all`.
#[component]
pub fn DeliveryFilters(props: &DeliveryFiltersProps) -> Html {
    let on_change = &props.on_change;
    let on_clear = on_change.reform(|_: MouseEvent| DeliveryChange::Clear);
    html! {
        <>
            <form class="toolbar toolbar-deliveries" role="search"
                onsubmit={Callback::from(|event: SubmitEvent| event.prevent_default())}>
                <SelectField id="delivery-status" label={text::DELIVERY_STATUS} value={props.status.clone()}
                    options={choices(text::DELIVERY_ALL_STATUSES, DELIVERY_STATUSES)}
                    onchange={on_change.reform(DeliveryChange::Status)} />
                <SelectField id="delivery-channel" label={text::DELIVERY_CHANNEL} value={props.channel.clone()}
                    options={choices(text::DELIVERY_ALL_CHANNELS, CHANNELS)}
                    onchange={on_change.reform(DeliveryChange::Channel)} />
                <div class="field toolbar-action">
                    <button id="delivery-clear" type="button" class="btn btn-outline btn-small" onclick={on_clear}>
                        { text::DELIVERY_CLEAR }
                    </button>
                </div>
            </form>
            if let Some(id) = props.focused {
                <p id="delivery-focus" class="focus-notice">
                    { text::delivery_focused(id) }
                    <button id="delivery-show-all" type="button" class="btn-link"
                        onclick={on_change.reform(|_: MouseEvent| DeliveryChange::ShowAll)}>
                        { text::DELIVERY_SHOW_ALL }
                    </button>
                </p>
            }
        </>
    }
}

fn choices(all: &'static str, list: &'static [(&'static str, &'static str)]) -> Options {
    let mut options = vec![(AttrValue::Static(""), AttrValue::Static(all))];
    options.extend(
        list.iter()
            .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name))),
    );
    options
}
