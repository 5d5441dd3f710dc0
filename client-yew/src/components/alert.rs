use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AlertKind {
    Error,
    Success,
}

#[derive(Properties, PartialEq)]
pub struct AlertProps {
    pub kind: AlertKind,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

/// A message box; errors use `role="alert"` so screen readers announce them at once.
#[component]
pub fn Alert(props: &AlertProps) -> Html {
    let (class, role) = match props.kind {
        AlertKind::Error => ("alert-error", "alert"),
        AlertKind::Success => ("alert-success", "status"),
    };
    html! {
        <div id={props.id.clone()} class={classes!("alert", class)} {role}>
            { props.children.clone() }
        </div>
    }
}
