use std::rc::Rc;

use api_types::{PAYMENT_STATUSES, PersonRef, TeamRef};
use yew::prelude::*;

use crate::api::DealQuery;
use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::hooks::{SEARCH_DELAY, use_debounced};
use crate::text;

type Options = Vec<(AttrValue, AttrValue)>;

/// The deals list's query; every change but paging goes back to page 1.
#[derive(Debug, Clone, PartialEq)]
pub struct DealFilterState(pub DealQuery);

pub enum DealChange {
    Search(String),
    Payment(String),
    Closer(Option<i64>),
    Team(Option<i64>),
    From(String),
    To(String),
    Page(u64),
}

impl Reducible for DealFilterState {
    type Action = DealChange;

    // A reducer, like the contact list's, so the delayed search applies to the filters
    // of that moment.
    fn reduce(self: Rc<Self>, change: DealChange) -> Rc<Self> {
        let mut query = self.0.clone();
        match change {
            DealChange::Search(q) => query.q = q,
            DealChange::Payment(status) => query.payment_status = status,
            DealChange::Closer(id) => query.closer_id = id,
            DealChange::Team(id) => query.team_id = id,
            DealChange::From(day) => query.from = day,
            DealChange::To(day) => query.to = day,
            DealChange::Page(page) => query.page = page,
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
pub struct DealFiltersProps {
    pub query: DealQuery,
    pub on_change: Callback<DealChange>,
    /// Sales and teams the viewer may filter by; a Sale who sees only their own deals
    /// gets none, and those filters are left out.
    pub closers: Vec<PersonRef>,
    pub teams: Vec<TeamRef>,
}

/// The deals list's toolbar: search (`#deal-search`), payment status
/// (`#filter-payment`), Sale (`#filter-closer`), team (`#filter-team`) and signing days
/// (`#filter-from`, `#filter-to`).
#[component]
pub fn DealFilters(props: &DealFiltersProps) -> Html {
    let typed = use_state(|| props.query.q.clone());
    use_debounced(
        (*typed).clone(),
        SEARCH_DELAY,
        props.on_change.reform(DealChange::Search),
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
            on_change.emit(DealChange::Search((*typed).clone()));
        })
    };
    let change = |make: fn(String) -> DealChange| props.on_change.reform(make);
    let query = &props.query;
    let selected =
        |id: Option<i64>| AttrValue::from(id.map(|id| id.to_string()).unwrap_or_default());
    let closers = (!props.closers.is_empty()).then(|| {
        let list = props.closers.iter().map(|p| (p.id, p.full_name.clone()));
        choices(text::ALL_CLOSERS, list)
    });
    let teams = (!props.teams.is_empty()).then(|| {
        let list = props.teams.iter().map(|t| (t.id, t.name.clone()));
        choices(text::ALL_TEAMS, list)
    });

    html! {
        <form class="toolbar toolbar-deals" role="search" {onsubmit}>
            <div class="field toolbar-search">
                <label for="deal-search">{ text::SEARCH }</label>
                <input id="deal-search" type="search" class="input" value={(*typed).clone()}
                    placeholder={text::DEAL_SEARCH} oninput={on_search} autocomplete="off" />
            </div>
            <SelectField id="filter-payment" label={text::FILTER_PAYMENT} options={payment_options()}
                value={query.payment_status.clone()} onchange={change(DealChange::Payment)} />
            if let Some(options) = closers {
                <SelectField id="filter-closer" label={text::FILTER_CLOSER} {options}
                    value={selected(query.closer_id)} onchange={change(|v| DealChange::Closer(v.parse().ok()))} />
            }
            if let Some(options) = teams {
                <SelectField id="filter-team" label={text::TEAM} {options}
                    value={selected(query.team_id)} onchange={change(|v| DealChange::Team(v.parse().ok()))} />
            }
            <FormField id="filter-from" label={text::DATE_FROM} kind="date" value={query.from.clone()}
                oninput={change(DealChange::From)} />
            <FormField id="filter-to" label={text::DATE_TO} kind="date" value={query.to.clone()}
                oninput={change(DealChange::To)} />
        </form>
    }
}

fn payment_options() -> Options {
    let mut options = vec![(AttrValue::Static(""), AttrValue::Static(text::ALL_PAYMENTS))];
    options.extend(
        PAYMENT_STATUSES
            .iter()
            .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name))),
    );
    options
}

/// "All" first, then `(id, name)` pairs.
fn choices(all: &'static str, list: impl Iterator<Item = (i64, String)>) -> Options {
    let mut options = vec![(AttrValue::Static(""), AttrValue::Static(all))];
    options.extend(list.map(|(id, name)| (AttrValue::from(id.to_string()), AttrValue::from(name))));
    options
}
