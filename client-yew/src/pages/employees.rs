use std::rc::Rc;
use std::time::Duration;

use api_types::{EmployeeFormOptions, EmployeePage};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, EmployeeQuery};
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::employee_table::EmployeeTable;
use crate::components::loading::Loading;
use crate::components::pagination::Pagination;
use crate::components::select_field::SelectField;
use crate::hooks::{Remote, use_remote};
use crate::nav;
use crate::text;

const PER_PAGE: u64 = 20;
/// Typing pauses this long before the list is asked for, not at every key.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// The list's query; every change but paging goes back to page 1.
#[derive(Debug, Clone, PartialEq)]
struct Filters(EmployeeQuery);

enum Change {
    Search(String),
    Team(Option<i64>),
    Role(Option<i64>),
    Status(Option<String>),
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
            Change::Team(id) => query.team_id = id,
            Change::Role(id) => query.role_id = id,
            Change::Status(status) => query.status = status,
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

#[component]
pub fn Employees() -> Html {
    let navigator = use_navigator();
    let typed = use_state(String::new);
    let filters = use_reducer(|| {
        Filters(EmployeeQuery {
            page: 1,
            per_page: PER_PAGE,
            ..EmployeeQuery::default()
        })
    });
    let options = use_remote((), |()| api::employee_form_options());
    let list = use_remote(filters.0.clone(), |query| async move {
        api::employees(&query).await
    });
    let keystrokes = use_mut_ref(|| 0_u64);
    {
        let dispatcher = filters.dispatcher();
        use_effect_with((*typed).clone(), move |typed| {
            let stroke = {
                let mut count = keystrokes.borrow_mut();
                *count += 1;
                *count
            };
            let typed = typed.clone();
            spawn_local(async move {
                sleep(SEARCH_DELAY).await;
                if *keystrokes.borrow() == stroke {
                    dispatcher.dispatch(Change::Search(typed));
                }
            });
        });
    }

    let on_search = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            typed.set(input.value());
        })
    };
    let change = |make: fn(String) -> Change| {
        let dispatcher = filters.dispatcher();
        Callback::from(move |value: String| dispatcher.dispatch(make(value)))
    };
    let on_team = change(|value| Change::Team(value.parse().ok()));
    let on_role = change(|value| Change::Role(value.parse().ok()));
    let on_status = change(|value| Change::Status(Some(value).filter(|v| !v.is_empty())));
    let on_page = {
        let dispatcher = filters.dispatcher();
        Callback::from(move |page| dispatcher.dispatch(Change::Page(page)))
    };
    let (team_options, role_options) = filter_options(&options);
    let query = &filters.0;
    let selected =
        |id: Option<i64>| AttrValue::from(id.map(|id| id.to_string()).unwrap_or_default());
    let status_options = vec![
        (AttrValue::Static(""), AttrValue::Static(text::ALL)),
        (
            AttrValue::Static("active"),
            AttrValue::Static(text::STATUS_ACTIVE),
        ),
        (
            AttrValue::Static("locked"),
            AttrValue::Static(text::STATUS_LOCKED),
        ),
    ];

    html! {
        <>
            <div class="page-header page-header-row">
                <h1>{ text::EMPLOYEES_TITLE }</h1>
                <a id="employee-new" class="btn btn-primary" href={Route::EmployeeNew.to_path()}
                    onclick={nav::follow(&navigator, Route::EmployeeNew)}>
                    { text::EMPLOYEE_NEW }
                </a>
            </div>
            <section class="card">
                <form class="toolbar" role="search" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                    <div class="field toolbar-search">
                        <label for="employee-search">{ text::SEARCH }</label>
                        <input id="employee-search" type="search" class="input" value={(*typed).clone()}
                            placeholder={text::EMPLOYEE_SEARCH} oninput={on_search} autocomplete="off" />
                    </div>
                    <SelectField id="filter-team" label={text::FILTER_TEAM} options={team_options}
                        value={selected(query.team_id)} onchange={on_team} />
                    <SelectField id="filter-role" label={text::FILTER_ROLE} options={role_options}
                        value={selected(query.role_id)} onchange={on_role} />
                    <SelectField id="filter-status" label={text::STATUS} options={status_options}
                        value={AttrValue::from(query.status.clone().unwrap_or_default())}
                        onchange={on_status} />
                </form>
                { results(&list, query.page, on_page) }
            </section>
        </>
    }
}

fn results(list: &Remote<EmployeePage>, page: u64, on_page: Callback<u64>) -> Html {
    match list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="employees-error">{ message.clone() }</Alert>
        },
        Remote::Ready(found) if found.items.is_empty() => html! {
            <p id="employees-empty" class="empty-state">{ text::NO_EMPLOYEES }</p>
        },
        Remote::Ready(found) => html! {
            <>
                <p id="employees-total" class="muted">{ text::employee_total(found.total) }</p>
                <EmployeeTable items={found.items.clone()} />
                <Pagination {page} pages={found.total.div_ceil(PER_PAGE)} on_change={on_page} />
            </>
        },
    }
}

type Options = Vec<(AttrValue, AttrValue)>;

/// The team and role filters' choices, each led by "all".
fn filter_options(options: &Remote<EmployeeFormOptions>) -> (Options, Options) {
    let mut teams = vec![(AttrValue::Static(""), AttrValue::Static(text::ALL_TEAMS))];
    let mut roles = vec![(AttrValue::Static(""), AttrValue::Static(text::ALL_ROLES))];
    if let Remote::Ready(options) = options {
        let pair = |id: i64, name: &str| {
            (
                AttrValue::from(id.to_string()),
                AttrValue::from(name.to_owned()),
            )
        };
        teams.extend(options.teams.iter().map(|t| pair(t.id, &t.name)));
        roles.extend(options.roles.iter().map(|r| pair(r.id, &r.name)));
    }
    (teams, roles)
}
