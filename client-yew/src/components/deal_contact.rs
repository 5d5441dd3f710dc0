use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct DealContactProps {
    pub code: AttrValue,
    pub name: AttrValue,
}

/// The contact a deal form is for, under its title (`#deal-contact`).
#[component]
pub fn DealContact(props: &DealContactProps) -> Html {
    html! {
        <p id="deal-contact" class="deal-contact">
            <span class="muted-small">{ text::CUSTOMER }{ ": " }</span>
            <span class="contact-code" data-deal-contact-code={props.code.clone()}>{ props.code.clone() }</span>
            { " — " }
            <strong>{ props.name.clone() }</strong>
        </p>
    }
}
