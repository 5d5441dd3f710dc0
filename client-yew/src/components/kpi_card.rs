use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct KpiCardProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

/// One figure of the dashboard's top row; the value is `#<id> .kpi-value`.
#[component]
pub fn KpiCard(props: &KpiCardProps) -> Html {
    html! {
        <div id={props.id.clone()} class="kpi-card">
            <span class="kpi-label">{ props.label.clone() }</span>
            <strong class="kpi-value">{ props.value.clone() }</strong>
            if let Some(hint) = &props.hint {
                <span class="kpi-hint">{ hint.clone() }</span>
            }
        </div>
    }
}
