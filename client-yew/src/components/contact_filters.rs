use std::rc::Rc;

use api_types::{SOURCES, ServiceTypeDto, TeamDto};
use yew::prelude::*;

use crate::api::{self, ContactQuery};
use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::hooks::{Remote, SEARCH_DELAY, use_debounced, use_remote};
use crate::text;

type Options = Vec<(AttrValue, AttrValue)>;

/// The list's query; every change but paging goes back to page 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Filters(pub ContactQuery);

pub enum Change {
    Search(String),
    Status(String),
    Source(String),
    ServiceType(Option<i64>),
    Team(Option<i64>),
    Assignee(Option<i64>),
    From(String),
    To(String),
    Sort(String),
    Page(u64),
}

impl Reducible for Filters {
    type Action = Change;

    // A reducer rather than a state so the delayed search applies to the filters of
    // that moment, not to the ones captured when the user started typing.
    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut query = self.0.clone();
        match change {
            Change::Search(q) => query.q = q,
            Change::Status(status) => query.status = status,
            Change::Source(source) => query.source = source,
            Change::ServiceType(id) => query.service_type_id = id,
            Change::Team(id) => query.team_id = id,
            Change::Assignee(id) => query.assignee_id = id,
            Change::From(day) => query.from = day,
            Change::To(day) => query.to = day,
            Change::Sort(sort) => query.sort = sort,
            Change::Page(page) => query.page = page,
        }
        if query.page == self.0.page && query != self.0 {
            query.page = 1;
        }
        if query == self.0 {
            self
        } else {
            Rc::new(Self(query))
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ContactFiltersProps {
    pub query: ContactQuery,
    pub on_change: Callback<Change>,
    /// The status select's choices, the first being the default.
    pub statuses: Options,
    /// The viewer's id: offers "Của tôi" in `#filter-assignee`; `None` hides that filter.
    #[prop_or_default]
    pub my_id: Option<i64>,
    /// The viewer may list teams (`teams.manage`): shows `#filter-team`.
    #[prop_or_default]
    pub with_teams: bool,
}

/// The list's toolbar: search (`#contact-search`), filters and sort (`#contact-sort`).
#[component]
pub fn ContactFilters(props: &ContactFiltersProps) -> Html {
    let typed = use_state(|| props.query.q.clone());
    let service_types = use_remote((), |()| api::service_types());
    let teams = use_remote(props.with_teams, |with_teams| async move {
        if with_teams {
            api::teams().await
        } else {
            Ok(Vec::new())
        }
    });
    use_debounced(
        (*typed).clone(),
        SEARCH_DELAY,
        props.on_change.reform(Change::Search),
    );
    let on_search = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            typed.set(input.value());
        })
    };
    // Enter searches at once instead of waiting for the pause.
    let onsubmit = {
        let (typed, on_change) = (typed.clone(), props.on_change.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_change.emit(Change::Search((*typed).clone()));
        })
    };
    let change = |make: fn(String) -> Change| props.on_change.reform(make);
    let query = &props.query;
    let selected =
        |id: Option<i64>| AttrValue::from(id.map(|id| id.to_string()).unwrap_or_default());

    html! {
        <form class="toolbar toolbar-contacts" role="search" {onsubmit}>
            <div class="field toolbar-search">
                <label for="contact-search">{ text::SEARCH }</label>
                <input id="contact-search" type="search" class="input" value={(*typed).clone()}
                    placeholder={text::CONTACT_SEARCH} oninput={on_search} autocomplete="off" />
            </div>
            <SelectField id="filter-status" label={text::STATUS} options={props.statuses.clone()}
                value={query.status.clone()} onchange={change(Change::Status)} />
            <SelectField id="filter-source" label={text::FILTER_SOURCE} options={source_options()}
                value={query.source.clone()} onchange={change(Change::Source)} />
            <SelectField id="filter-service-type" label={text::FILTER_SERVICE_TYPE}
                options={service_type_options(&service_types)} value={selected(query.service_type_id)}
                onchange={change(|v| Change::ServiceType(id_of(v)))} />
            if props.with_teams {
                <SelectField id="filter-team" label={text::TEAM} options={team_options(&teams)}
                    value={selected(query.team_id)} onchange={change(|v| Change::Team(id_of(v)))} />
            }
            if let Some(me) = props.my_id {
                <SelectField id="filter-assignee" label={text::FILTER_ASSIGNEE}
                    options={vec![
                        (AttrValue::Static(""), AttrValue::Static(text::ALL)),
                        (AttrValue::from(me.to_string()), AttrValue::Static(text::MINE)),
                    ]}
                    value={selected(query.assignee_id)} onchange={change(|v| Change::Assignee(id_of(v)))} />
            }
            <FormField id="filter-from" label={text::DATE_FROM} kind="date" value={query.from.clone()}
                oninput={change(Change::From)} />
            <FormField id="filter-to" label={text::DATE_TO} kind="date" value={query.to.clone()}
                oninput={change(Change::To)} />
            <SelectField id="contact-sort" label={text::SORT} options={sort_options()}
                value={query.sort.clone()} onchange={change(Change::Sort)} />
        </form>
    }
}

/// A select's value as an id; `""` ("all") is none.
fn id_of(value: String) -> Option<i64> {
    value.parse().ok()
}

fn source_options() -> Options {
    let mut options = vec![(AttrValue::Static(""), AttrValue::Static(text::ALL_SOURCES))];
    options.extend(
        SOURCES
            .iter()
            .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name))),
    );
    options
}

fn service_type_options(list: &Remote<Vec<ServiceTypeDto>>) -> Options {
    let mut options = vec![(
        AttrValue::Static(""),
        AttrValue::Static(text::ALL_SERVICE_TYPES),
    )];
    if let Remote::Ready(list) = list {
        options.extend(list.iter().map(|st| {
            (
                AttrValue::from(st.id.to_string()),
                AttrValue::from(st.name.clone()),
            )
        }));
    }
    options
}

fn team_options(list: &Remote<Vec<TeamDto>>) -> Options {
    let mut options = vec![(AttrValue::Static(""), AttrValue::Static(text::ALL_TEAMS))];
    if let Remote::Ready(list) = list {
        options.extend(list.iter().map(|team| {
            (
                AttrValue::from(team.id.to_string()),
                AttrValue::from(team.name.clone()),
            )
        }));
    }
    options
}

fn sort_options() -> Options {
    [
        ("", text::SORT_NEWEST),
        ("oldest", text::SORT_OLDEST),
        ("code", text::SORT_CODE),
        ("status", text::SORT_STATUS),
    ]
    .into_iter()
    .map(|(value, name)| (AttrValue::Static(value), AttrValue::Static(name)))
    .collect()
}
