use api_types::CareQueue;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::contact_status_badge::ContactStatusBadge;
use crate::{format, nav, text};

#[derive(Properties, PartialEq)]
pub struct CareSummaryProps {
    pub care: CareQueue,
}

/// How many contacts wait with customer care, by status (`#care-counts`), and the
/// ones waiting longest (`#care-table`).
#[component]
pub fn CareSummary(props: &CareSummaryProps) -> Html {
    let navigator = use_navigator();
    let care = &props.care;
    let counts = [
        ("failed", care.failed),
        ("care_l1", care.care_l1),
        ("care_l2", care.care_l2),
    ];
    html! {
        <>
            <ul id="care-counts" class="care-counts">
                for (status, count) in counts {
                    <li data-status={status}>
                        <ContactStatusBadge status={status} />
                        <strong>{ count }</strong>
                    </li>
                }
            </ul>
            if care.oldest.is_empty() {
                <p id="care-empty" class="empty-state">{ text::NO_CARE }</p>
            } else {
                <p class="muted-small">{ text::CARE_WAITING }</p>
                <div class="table-wrap">
                    <table id="care-table" class="table">
                        <tbody>
                            for item in &care.oldest {
                                <tr key={item.id}>
                                    <td>
                                        <a href={Route::ContactDetail { id: item.id }.to_path()}
                                            onclick={nav::follow(&navigator, Route::ContactDetail { id: item.id })}>
                                            { item.code.clone() }
                                        </a>
                                    </td>
                                    <td>{ item.full_name.clone() }</td>
                                    <td><ContactStatusBadge status={item.status.clone()} /></td>
                                    <td class="muted-small">{ format::datetime(&item.since) }</td>
                                </tr>
                            }
                        </tbody>
                    </table>
                </div>
            }
        </>
    }
}
