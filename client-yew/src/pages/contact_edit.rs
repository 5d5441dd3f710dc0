use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::contact_form::ContactForm;
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct ContactEditProps {
    pub id: i64,
}

#[component]
pub fn ContactEdit(props: &ContactEditProps) -> Html {
    let service_types = use_remote((), |()| api::service_types());
    let contact = use_remote(props.id, api::contact);
    let body = match (&*service_types, &*contact) {
        (Remote::Failed(message), _) | (_, Remote::Failed(message)) => html! {
            <Alert kind={AlertKind::Error} id="contact-error">{ message.clone() }</Alert>
        },
        // Editing would send the masked phone back; the server refuses it anyway.
        (_, Remote::Ready(contact)) if contact.masked => html! {
            <Alert kind={AlertKind::Error} id="contact-error">{ text::FORBIDDEN_BODY }</Alert>
        },
        (Remote::Ready(list), Remote::Ready(contact)) => html! {
            // Keyed so another contact's page starts from that contact's values.
            <ContactForm key={contact.id} existing={contact.clone()} service_types={list.clone()} />
        },
        _ => html! { <Loading /> },
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::ContactDetail { id: props.id }} classes="link back-link">
                    { text::BACK }
                </Link<Route>>
                <h1>{ text::CONTACT_EDIT_TITLE }</h1>
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
