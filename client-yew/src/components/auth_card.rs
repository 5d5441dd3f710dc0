use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct AuthCardProps {
    pub title: AttrValue,
    #[prop_or_default]
    pub intro: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

/// The centred card used by the signed-out screens.
#[component]
pub fn AuthCard(props: &AuthCardProps) -> Html {
    html! {
        <main class="auth-page">
            <section class="auth-card">
                <div class="auth-brand">
                    <img src="/favicon.svg" alt="" class="brand-logo" width="40" height="40" />
                    <span class="brand-name">{ text::APP_NAME }</span>
                </div>
                <h1 class="auth-title">{ props.title.clone() }</h1>
                if let Some(intro) = &props.intro {
                    <p class="auth-intro">{ intro.clone() }</p>
                }
                { props.children.clone() }
            </section>
        </main>
    }
}
