use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// The selected option's value.
    pub value: AttrValue,
    /// `(value, label)` pairs, in display order.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A labelled `<select>`, laid out like `FormField`; its error is `#<id>-error`.
#[component]
pub fn SelectField(props: &SelectFieldProps) -> Html {
    let onchange = {
        let onchange = props.onchange.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            onchange.emit(select.value());
        })
    };
    let error_id = format!("{}-error", props.id);
    let hint_id = format!("{}-hint", props.id);
    let described_by = if props.error.is_some() {
        Some(error_id.clone())
    } else {
        props.hint.as_ref().map(|_| hint_id.clone())
    };
    html! {
        <div class={classes!("field", props.error.is_some().then_some("field-invalid"))}>
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <select id={props.id.clone()} name={props.id.clone()} class="input" {onchange}
                aria-invalid={props.error.is_some().to_string()} aria-describedby={described_by}>
                for (value, label) in props.options.iter().cloned() {
                    <option selected={value == props.value} value={value.clone()}>{ label }</option>
                }
            </select>
            if let Some(error) = &props.error {
                <p id={error_id} class="field-error">{ error.clone() }</p>
            } else if let Some(hint) = &props.hint {
                <p id={hint_id} class="field-hint">{ hint.clone() }</p>
            }
        </div>
    }
}
