use std::collections::BTreeSet;

use api_types::PersonRef;
use yew::prelude::*;

use crate::coupon_input::assignee_matches;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct AssigneePickerProps {
    /// Everyone who may be chosen.
    pub people: Vec<PersonRef>,
    pub selected: BTreeSet<i64>,
    /// `(employee id, checked)`.
    pub on_toggle: Callback<(i64, bool)>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// The coupon's assignees: a search box (`#assignee-search`, accents optional) over one
/// checkbox per employee (`input[data-assignee="<username>"]`); the error is
/// `#coupon-assignees-error`.
#[component]
pub fn AssigneePicker(props: &AssigneePickerProps) -> Html {
    let search = use_state(String::new);
    let on_search = {
        let search = search.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            search.set(input.value());
        })
    };
    let shown: Vec<&PersonRef> = props
        .people
        .iter()
        .filter(|person| assignee_matches(person, &search))
        .collect();
    let note_id = if props.error.is_some() {
        "coupon-assignees-error"
    } else {
        "coupon-assignees-count"
    };
    html! {
        <fieldset id="coupon-assignees" aria-describedby={note_id}
            class={classes!("field", "fieldset", props.error.is_some().then_some("field-invalid"))}>
            <legend>{ text::COUPON_ASSIGNEES }</legend>
            <div class="picker">
                <div class="field">
                    <label for="assignee-search">{ text::ASSIGNEE_SEARCH }</label>
                    <input id="assignee-search" type="search" class="input" value={(*search).clone()}
                        oninput={on_search} autocomplete="off" aria-describedby="assignee-search-hint" />
                    <p id="assignee-search-hint" class="field-hint">{ text::ASSIGNEE_SEARCH_HINT }</p>
                </div>
                if shown.is_empty() {
                    <p class="empty-state">{ text::NO_ASSIGNABLE }</p>
                } else {
                    <div class="checkbox-grid assignee-grid">
                        for person in shown {
                            { checkbox(person, props.selected.contains(&person.id), &props.on_toggle) }
                        }
                    </div>
                }
            </div>
            if let Some(error) = &props.error {
                <p id={note_id} class="field-error">{ error.clone() }</p>
            } else {
                <p id={note_id} class="field-hint">{ text::assignees_chosen(props.selected.len()) }</p>
            }
        </fieldset>
    }
}

fn checkbox(person: &PersonRef, checked: bool, on_toggle: &Callback<(i64, bool)>) -> Html {
    let id = person.id;
    let onchange = on_toggle.reform(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        (id, input.checked())
    });
    html! {
        <label class="checkbox" key={id}>
            <input type="checkbox" data-assignee={person.username.clone()} value={id.to_string()}
                {checked} {onchange} />
            <span class="assignee">
                <span>{ person.full_name.clone() }</span>
                <span class="muted-small">
                    { person.username.clone() }
                    if let Some(team) = &person.team_name {
                        { " · " }{ team.clone() }
                    }
                </span>
            </span>
        </label>
    }
}
