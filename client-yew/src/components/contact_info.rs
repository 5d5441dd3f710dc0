use api_types::{ContactDto, SOURCES, label};
use yew::prelude::*;

use crate::format;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct ContactInfoProps {
    pub contact: ContactDto,
}

/// The contact's fields (`#contact-detail-<field>`); masked phone and email carry the
/// hint that picking the contact reveals them (`.masked-hint`).
#[component]
pub fn ContactInfo(props: &ContactInfoProps) -> Html {
    let contact = &props.contact;
    let or_unset =
        |value: &Option<String>| value.clone().unwrap_or_else(|| text::NOT_SET.to_owned());
    let masked_hint = contact.masked.then(|| {
        html! { <span class="masked-hint">{ text::HIDDEN_UNTIL_PICKED }</span> }
    });
    let source = Some(label(SOURCES, &contact.source))
        .filter(|name| !name.is_empty())
        .unwrap_or(&contact.source)
        .to_owned();
    html! {
        <dl class="details">
            <dt>{ text::PHONE }</dt>
            <dd id="contact-detail-phone">
                <span class={classes!("phone", contact.masked.then_some("masked"))}>{ contact.phone.clone() }</span>
                { masked_hint.clone() }
            </dd>
            <dt>{ text::EMAIL }</dt>
            <dd id="contact-detail-email">
                { or_unset(&contact.email) }
                if contact.email.is_some() {
                    { masked_hint }
                }
            </dd>
            <dt>{ text::SERVICE_TYPE }</dt>
            <dd id="contact-detail-service-type">
                { format!("{} – {}", contact.service_type_code, contact.service_type_name) }
            </dd>
            <dt>{ text::SOURCE }</dt>
            <dd id="contact-detail-source">{ source }</dd>
            <dt>{ text::TEAM }</dt>
            <dd id="contact-detail-team">{ or_unset(&contact.team_name) }</dd>
            <dt>{ text::ASSIGNEE }</dt>
            <dd id="contact-detail-assignee">{ or_unset(&contact.assignee_name) }</dd>
            <dt>{ text::CREATED_BY }</dt>
            <dd id="contact-detail-created-by">{ or_unset(&contact.created_by_name) }</dd>
            <dt>{ text::CREATED_AT }</dt>
            <dd id="contact-detail-created-at">{ format::datetime(&contact.created_at) }</dd>
            <dt>{ text::PICKED_AT }</dt>
            <dd id="contact-detail-picked-at">
                { contact.picked_at.as_deref().map_or_else(|| text::DASH.to_owned(), format::datetime) }
            </dd>
            <dt>{ text::NOTE }</dt>
            <dd id="contact-detail-note" class="note-text">{ or_unset(&contact.note) }</dd>
        </dl>
    }
}
