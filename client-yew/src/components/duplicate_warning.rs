use api_types::ContactRef;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::contact_status_badge::ContactStatusBadge;
use crate::nav;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct DuplicateWarningProps {
    pub duplicates: Vec<ContactRef>,
    /// Set once the server refused the phone: offers `#contact-create-anyway`.
    #[prop_or_default]
    pub on_create_anyway: Option<Callback<()>>,
    #[prop_or_default]
    pub busy: bool,
}

/// "Số điện thoại đã có ở khách hàng KH…" (`#duplicate-warning`), each existing contact
/// a link (`a[data-duplicate="<code>"]`) to its page.
#[component]
pub fn DuplicateWarning(props: &DuplicateWarningProps) -> Html {
    let navigator = use_navigator();
    let count = props.duplicates.len();
    html! {
        <div id="duplicate-warning" class="alert alert-warning" role="alert">
            <p class="warning-text">
                { text::DUPLICATE_LEAD }{ " " }
                for (index, duplicate) in props.duplicates.iter().enumerate() {
                    { link(duplicate, &navigator) }
                    { if index + 1 < count { ", " } else { "" } }
                }
            </p>
            <p class="warning-hint">{ text::DUPLICATE_HINT }</p>
            if let Some(on_create_anyway) = &props.on_create_anyway {
                <button type="button" id="contact-create-anyway" class="btn btn-outline btn-small"
                    disabled={props.busy} onclick={on_create_anyway.reform(|_: MouseEvent| ())}>
                    { text::CREATE_ANYWAY }
                </button>
            }
        </div>
    }
}

fn link(duplicate: &ContactRef, navigator: &Option<Navigator>) -> Html {
    let route = Route::ContactDetail { id: duplicate.id };
    html! {
        <>
            <a href={route.to_path()} class="link" data-duplicate={duplicate.code.clone()}
                onclick={nav::follow(navigator, route)}>
                { duplicate.code.clone() }
            </a>
            { " " }
            <ContactStatusBadge status={duplicate.status.clone()} />
        </>
    }
}
