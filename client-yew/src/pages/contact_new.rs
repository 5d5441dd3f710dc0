use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::contact_form::ContactForm;
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[component]
pub fn ContactNew() -> Html {
    let service_types = use_remote((), |()| api::service_types());
    let body = match &*service_types {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="contact-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) => html! { <ContactForm service_types={list.clone()} /> },
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::Contacts} classes="link back-link">
                    { text::BACK_TO_CONTACTS }
                </Link<Route>>
                <h1>{ text::CONTACT_NEW_TITLE }</h1>
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
