use std::collections::BTreeSet;

use yew::prelude::*;

use crate::text;

/// One checkbox of a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: AttrValue,
    pub label: AttrValue,
    /// Shown after the label, muted (a team name, "sắp có").
    pub note: Option<AttrValue>,
    /// Offered but not available yet: shown greyed out, never ticked.
    pub disabled: bool,
}

impl Choice {
    pub fn new(value: impl Into<AttrValue>, label: impl Into<AttrValue>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            note: None,
            disabled: false,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ChoiceGroupProps {
    /// The fieldset's id; its error is `#<id>-error`.
    pub id: AttrValue,
    pub legend: AttrValue,
    pub choices: Vec<Choice>,
    pub selected: BTreeSet<String>,
    /// `(value, checked)`.
    pub on_toggle: Callback<(String, bool)>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Long lists (employees) get a search box that narrows what is shown; ticked
    /// choices always stay visible.
    #[prop_or_default]
    pub filter_label: Option<AttrValue>,
}

/// A labelled group of checkboxes (`#<id> input[value=…][data-label=…]`), with "Không
/// giới hạn" shown while none is ticked, for a rule's lists where empty means any.
#[component]
pub fn ChoiceGroup(props: &ChoiceGroupProps) -> Html {
    let filter = use_state(String::new);
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            filter.set(input.value());
        })
    };
    let wanted = filter.trim().to_lowercase();
    let shown = props.choices.iter().filter(|choice| {
        wanted.is_empty()
            || props.selected.contains(choice.value.as_str())
            || choice.label.to_lowercase().contains(&wanted)
            || choice
                .note
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(&wanted))
    });
    let error_id = format!("{}-error", props.id);
    let hint_id = format!("{}-hint", props.id);
    let described_by = if props.error.is_some() {
        error_id.clone()
    } else {
        hint_id.clone()
    };
    let filter_id = format!("{}-filter", props.id);
    html! {
        <fieldset id={props.id.clone()} aria-describedby={described_by}
            class={classes!("field", "fieldset", "choice-group", props.error.is_some().then_some("field-invalid"))}>
            <legend>
                { props.legend.clone() }
                if props.selected.is_empty() {
                    <span class="choice-any">{ text::RULE_NONE_SELECTED }</span>
                } else {
                    <span class="choice-count">{ props.selected.len() }</span>
                }
            </legend>
            if let Some(label) = &props.filter_label {
                <label class="visually-hidden" for={filter_id.clone()}>{ label.clone() }</label>
                <input id={filter_id} type="search" class="input choice-filter" placeholder={label.clone()}
                    value={(*filter).clone()} oninput={on_filter} autocomplete="off" />
            }
            <div class={classes!("checkbox-grid", props.filter_label.is_some().then_some("choice-scroll"))}>
                for choice in shown {
                    { checkbox(choice, props.selected.contains(choice.value.as_str()), &props.on_toggle) }
                }
            </div>
            if let Some(error) = &props.error {
                <p id={error_id} class="field-error">{ error.clone() }</p>
            } else if let Some(hint) = &props.hint {
                <p id={hint_id} class="field-hint">{ hint.clone() }</p>
            }
        </fieldset>
    }
}

fn checkbox(choice: &Choice, checked: bool, on_toggle: &Callback<(String, bool)>) -> Html {
    let value = choice.value.to_string();
    let onchange = on_toggle.reform(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        (value.clone(), input.checked())
    });
    html! {
        <label class={classes!("checkbox", choice.disabled.then_some("checkbox-disabled"))}>
            <input type="checkbox" value={choice.value.clone()} data-label={choice.label.clone()}
                checked={checked && !choice.disabled} disabled={choice.disabled} {onchange} />
            <span>{ choice.label.clone() }</span>
            if let Some(note) = &choice.note {
                <span class="choice-note">{ note.clone() }</span>
            }
        </label>
    }
}
