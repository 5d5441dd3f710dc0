use api_types::EmployeeDto;
use yew::prelude::*;

use crate::api;
use crate::components::select_field::SelectField;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct LeaderPickerProps {
    /// The chosen leader's id, `""` for none.
    pub value: AttrValue,
    /// The saved leader (id, label), a choice from the start.
    #[prop_or_default]
    pub current: Option<(i64, String)>,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A search box (`#team-leader-search`) narrowing the select of active employees
/// (`#team-leader`): the server returns at most 50, too few to list everyone.
#[component]
pub fn LeaderPicker(props: &LeaderPickerProps) -> Html {
    let search = use_state(String::new);
    let candidates = use_remote((*search).clone(), |q| async move {
        api::team_candidates(&q).await
    });
    // The chosen leader stays a choice even when a later search no longer finds them.
    let picked = use_state(|| props.current.clone());
    let on_search = {
        let search = search.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            search.set(input.value());
        })
    };
    let mut options = vec![(AttrValue::Static(""), AttrValue::Static(text::NO_LEADER))];
    let option = |(id, name): &(i64, String)| {
        (
            AttrValue::from(id.to_string()),
            AttrValue::from(name.clone()),
        )
    };
    options.extend(picked.iter().map(option));
    let found: Vec<(i64, String)> = match &*candidates {
        Remote::Ready(list) => list.iter().map(label).collect(),
        _ => Vec::new(),
    };
    let picked_id = picked.as_ref().map(|(id, _)| *id);
    options.extend(
        found
            .iter()
            .filter(|(id, _)| Some(*id) != picked_id)
            .map(option),
    );
    let onchange = {
        let (picked, onchange) = (picked.clone(), props.onchange.clone());
        Callback::from(move |value: String| {
            let id = value.parse::<i64>().ok();
            if let Some(choice) = found.iter().find(|(found, _)| Some(*found) == id) {
                picked.set(Some(choice.clone()));
            }
            onchange.emit(value);
        })
    };
    html! {
        <div class="picker">
            <div class="field">
                <label for="team-leader-search">{ text::LEADER_SEARCH }</label>
                <input id="team-leader-search" type="search" class="input" value={(*search).clone()}
                    oninput={on_search} autocomplete="off" aria-describedby="team-leader-search-hint" />
                <p id="team-leader-search-hint" class="field-hint">{ text::LEADER_SEARCH_HINT }</p>
            </div>
            <SelectField id="team-leader" label={text::LEADER} value={props.value.clone()} {options}
                {onchange} error={props.error.clone()} />
        </div>
    }
}

/// How an employee reads in the select: name and username, since names repeat.
pub fn label(employee: &EmployeeDto) -> (i64, String) {
    (
        employee.id,
        format!("{} ({})", employee.full_name, employee.username),
    )
}
