use api_types::ContactDto;
use api_types::permissions::{CONTACTS_PICK, CONTACTS_VIEW};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, AttachmentOwner};
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::anonymize_card::AnonymizeCard;
use crate::components::attachments_card::AttachmentsCard;
use crate::components::contact_info::ContactInfo;
use crate::components::contact_status_badge::ContactStatusBadge;
use crate::components::history::{History, HistoryOf};
use crate::components::interaction_form::InteractionForm;
use crate::components::interaction_list::InteractionList;
use crate::components::loading::Loading;
use crate::components::pick_result::PickResult;
use crate::components::reassign_card::ReassignCard;
use crate::components::status_actions::StatusActions;
use crate::hooks::{Remote, use_pick, use_remote};
use crate::live::use_offline;
use crate::nav;
use crate::pages::deal_new::DealNewQuery;
use crate::state::{AuthState, use_auth_state};
use crate::text;
use api_types::permissions::{
    CONTACTS_ANONYMIZE, CONTACTS_EDIT, CONTACTS_REASSIGN, CONTACTS_UPDATE_STATUS,
};

#[derive(Properties, PartialEq)]
pub struct ContactDetailPageProps {
    pub id: i64,
}

#[component]
pub fn ContactDetailPage(props: &ContactDetailPageProps) -> Html {
    // Bumped to ask the server for the contact again (after a refused action).
    let reload = use_state(|| 0_u32);
    let contact = use_remote((props.id, *reload), |(id, _)| api::contact(id));
    // Bumped after every change, so history and interactions show it.
    let activity = use_state(|| 0_u32);
    let navigator = use_navigator();
    let viewer = use_auth_state();
    let can =
        |permission: &str| matches!(&viewer, AuthState::SignedIn(user) if user.can(permission));
    let (may_list, may_pick, may_edit) =
        (can(CONTACTS_VIEW), can(CONTACTS_PICK), can(CONTACTS_EDIT));
    let (may_move, may_reassign) = (can(CONTACTS_UPDATE_STATUS), can(CONTACTS_REASSIGN));
    let may_anonymize = can(CONTACTS_ANONYMIZE);

    let on_updated = {
        let (contact, activity) = (contact.clone(), activity.clone());
        Callback::from(move |updated: ContactDto| {
            contact.set(Remote::Ready(updated));
            activity.set(*activity + 1);
        })
    };
    let on_stale = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let pick = use_pick(on_updated.clone(), on_stale.clone());
    let offline = use_offline();
    let on_added = {
        let activity = activity.clone();
        Callback::from(move |()| activity.set(*activity + 1))
    };

    // Customer care reaches contacts from its queue, not from the list.
    let back = if may_list {
        html! { <Link<Route> to={Route::Contacts} classes="link back-link">{ text::BACK_TO_CONTACTS }</Link<Route>> }
    } else {
        html! { <Link<Route> to={Route::Care} classes="link back-link">{ text::CARE_TITLE }</Link<Route>> }
    };
    let contact = match &*contact {
        Remote::Loading => return html! { <>{ back }<Loading /></> },
        Remote::Failed(message) => {
            return html! {
                <>{ back }<Alert kind={AlertKind::Error} id="contact-load-error">{ message.clone() }</Alert></>
            };
        }
        Remote::Ready(contact) => contact,
    };
    let id = contact.id;
    let edit = Route::ContactEdit { id };
    let pickable = may_pick && contact.status == "new";
    let close = DealNewQuery { contact: id };
    let deal = contact.deal_id.map(|id| Route::DealDetail { id });
    html! {
        <>
            <div class="page-header">
                { back }
                <p id="contact-code" class="page-kicker" data-contact-header-code={contact.code.clone()}>
                    { contact.code.clone() }
                </p>
                <div class="page-header-row">
                    <h1 id="contact-name">{ contact.full_name.clone() }</h1>
                    <ContactStatusBadge status={contact.status.clone()} />
                </div>
                <div class="page-actions">
                    if pickable {
                        <button type="button" id="detail-pick" class="btn btn-primary"
                            disabled={pick.busy.is_some() || offline} title={offline.then_some(text::OFFLINE_HINT)}
                            onclick={pick.run.reform(move |_: MouseEvent| id)}>
                            { if pick.busy.is_some() { text::PICKING } else { text::PICK_CONTACT } }
                        </button>
                    }
                    if contact.can_close {
                        <a id="contact-close-deal" class="btn btn-primary" href={close.href()}
                            onclick={nav::follow_with_query(&navigator, Route::DealNew, close.clone())}>
                            { text::CLOSE_DEAL }
                        </a>
                    }
                    if let Some(deal) = deal {
                        <a id="contact-deal-link" class="btn btn-outline" href={deal.to_path()}
                            onclick={nav::follow(&navigator, deal)}>{ text::VIEW_DEAL }</a>
                    }
                    if may_edit && !contact.masked {
                        <a id="contact-edit" class="btn btn-outline" href={edit.to_path()}
                            onclick={nav::follow(&navigator, edit)}>{ text::EDIT }</a>
                    }
                </div>
                if let Some(outcome) = pick.outcome.clone() {
                    <div class="action-error">
                        <PickResult {outcome} attempt={pick.attempts} />
                    </div>
                }
            </div>
            <div class="card-grid">
                // Alone on its row (no action cards), the info card takes the full width.
                <section id="contact-card"
                    class={classes!("card", (!may_move && !may_reassign).then_some("card-wide"))}>
                    <h2 class="card-title">{ text::CONTACT_INFO }</h2>
                    <ContactInfo contact={contact.clone()} />
                </section>
                if may_move {
                    <section class="card" id="status-card">
                        <h2 class="card-title">{ text::STATUS_TITLE }</h2>
                        <StatusActions contact={contact.clone()} on_updated={on_updated.clone()} {on_stale} />
                    </section>
                }
                if may_reassign {
                    <section class="card" id="reassign-card">
                        <h2 class="card-title">{ text::REASSIGN_TITLE }</h2>
                        <ReassignCard contact={contact.clone()} on_updated={on_updated.clone()} />
                    </section>
                }
                <section class="card card-wide" id="interactions-card">
                    <h2 class="card-title">{ text::INTERACTIONS_TITLE }</h2>
                    if contact.masked {
                        <p id="interactions-hidden" class="muted">{ text::INTERACTIONS_HIDDEN }</p>
                    } else {
                        if may_edit {
                            <InteractionForm contact_id={id} {on_added} />
                        }
                        <InteractionList contact_id={id} reload={*activity} />
                    }
                </section>
                <section class="card card-wide" id="attachments-card">
                    <h2 class="card-title">{ text::ATTACHMENTS_TITLE }</h2>
                    if contact.masked {
                        <p id="attachments-hidden" class="muted">{ text::ATTACHMENTS_HIDDEN }</p>
                    } else {
                        <AttachmentsCard owner={AttachmentOwner::Contact(id)} />
                    }
                </section>
                if may_anonymize {
                    <section class="card card-wide card-danger" id="anonymize-card">
                        <h2 class="card-title">{ text::ANONYMIZE_TITLE }</h2>
                        <AnonymizeCard contact={contact.clone()} on_updated={on_updated.clone()} />
                    </section>
                }
                <section class="card card-wide" id="history-card">
                    <h2 class="card-title">{ text::HISTORY_TITLE }</h2>
                    <History of={HistoryOf::Contact(id)} reload={*activity} />
                </section>
            </div>
        </>
    }
}
