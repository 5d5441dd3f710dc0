use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct ReplaceRedirectProps {
    pub to: Route,
}

/// Like yew-router's `Redirect`, but replaces the history entry so the back button
/// does not bounce the user into the same redirect again.
#[component]
pub fn ReplaceRedirect(props: &ReplaceRedirectProps) -> Html {
    let navigator = use_navigator();
    use_effect_with(props.to.clone(), move |to| {
        if let Some(navigator) = navigator {
            navigator.replace(to);
        }
    });
    Html::default()
}
