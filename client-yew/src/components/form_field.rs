use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FormFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub disabled: bool,
    /// Called when the input loses focus (checks that need the whole value).
    #[prop_or_default]
    pub onblur: Option<Callback<()>>,
}

/// A labelled input; its error (if any) sits right below it as `#<id>-error`.
#[component]
pub fn FormField(props: &FormFieldProps) -> Html {
    let oninput = {
        let oninput = props.oninput.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            oninput.emit(input.value());
        })
    };
    let onblur = props
        .onblur
        .as_ref()
        .map(|onblur| onblur.reform(|_: FocusEvent| ()));
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
            <input
                id={props.id.clone()}
                name={props.id.clone()}
                class="input"
                type={props.kind.clone()}
                value={props.value.clone()}
                autocomplete={props.autocomplete.clone()}
                aria-invalid={props.error.is_some().to_string()}
                aria-describedby={described_by}
                disabled={props.disabled}
                {oninput}
                {onblur}
            />
            if let Some(error) = &props.error {
                <p id={error_id} class="field-error">{ error.clone() }</p>
            } else if let Some(hint) = &props.hint {
                <p id={hint_id} class="field-hint">{ hint.clone() }</p>
            }
        </div>
    }
}
