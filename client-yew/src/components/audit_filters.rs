use std::rc::Rc;

use api_types::{AUDIT_ACTIONS, AUDIT_MODULES, PersonRef};
use yew::prelude::*;

use crate::api::AuditQuery;
use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::hooks::{SEARCH_DELAY, use_debounced};
use crate::text;

type Options = Vec<(AttrValue, AttrValue)>;

/// The audit screen's query; every change but paging goes back to page 1.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFilterState(pub AuditQuery);

pub enum AuditChange {
    Search(String),
    Actor(Option<i64>),
    /// A new module also clears an action of another module.
    Module(String),
    Action(String),
    Target(String),
    From(String),
    To(String),
    Clear,
    Page(u64),
}

impl Reducible for AuditFilterState {
    type Action = AuditChange;

    fn reduce(self: Rc<Self>, change: AuditChange) -> Rc<Self> {
        let mut query = self.0.clone();
        match change {
            AuditChange::Search(q) => query.q = q,
            AuditChange::Actor(id) => query.actor = id,
            AuditChange::Module(module) => {
                if !query.action.starts_with(&format!("{module}.")) {
                    query.action.clear();
                }
                query.module = module;
            }
            AuditChange::Action(action) => query.action = action,
            AuditChange::Target(target) => query.target = target,
            AuditChange::From(day) => query.from = day,
            AuditChange::To(day) => query.to = day,
            AuditChange::Clear => {
                query = AuditQuery {
                    page: 1,
                    per_page: query.per_page,
                    ..AuditQuery::default()
                };
            }
            AuditChange::Page(page) => query.page = page,
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
pub struct AuditFiltersProps {
    pub query: AuditQuery,
    pub on_change: Callback<AuditChange>,
    pub actors: Vec<PersonRef>,
}

/// The audit screen's toolbar: free text (`#audit-search`), actor (`#audit-actor`),
/// module (`#audit-module`), action (`#audit-action`), target type (`#audit-target`),
/// days (`#audit-from`, `#audit-to`) and `#audit-clear`.
#[component]
pub fn AuditFilters(props: &AuditFiltersProps) -> Html {
    let typed = use_state(|| props.query.q.clone());
    use_debounced(
        (*typed).clone(),
        SEARCH_DELAY,
        props.on_change.reform(AuditChange::Search),
    );
    {
        // "Xoá bộ lọc" empties the box too.
        let typed = typed.clone();
        use_effect_with(props.query.q.clone(), move |q| {
            if q.is_empty() {
                typed.set(String::new());
            }
        });
    }
    let on_search = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            typed.set(input.value());
        })
    };
    let onsubmit = {
        let (typed, on_change) = (typed.clone(), props.on_change.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_change.emit(AuditChange::Search((*typed).clone()));
        })
    };
    let change = |make: fn(String) -> AuditChange| props.on_change.reform(make);
    let query = &props.query;
    let mut actors: Options = vec![("".into(), text::AUDIT_ALL_ACTORS.into())];
    actors.extend(props.actors.iter().map(|p| {
        let name = match &p.team_name {
            Some(team) => format!("{} ({team})", p.full_name),
            None => p.full_name.clone(),
        };
        (AttrValue::from(p.id.to_string()), AttrValue::from(name))
    }));
    let actor = AttrValue::from(query.actor.map(|id| id.to_string()).unwrap_or_default());
    let actions = AUDIT_ACTIONS
        .iter()
        .filter(|(code, _)| {
            query.module.is_empty() || code.split('.').next() == Some(query.module.as_str())
        })
        .copied();
    let on_clear = props.on_change.reform(|_: MouseEvent| AuditChange::Clear);

    html! {
        <form class="toolbar toolbar-audit" role="search" {onsubmit}>
            <div class="field toolbar-search">
                <label for="audit-search">{ text::AUDIT_SEARCH }</label>
                <input id="audit-search" type="search" class="input" value={(*typed).clone()}
                    placeholder={text::AUDIT_SEARCH_HINT} oninput={on_search} autocomplete="off" />
            </div>
            <SelectField id="audit-actor" label={text::AUDIT_ACTOR} options={actors} value={actor}
                onchange={change(|v| AuditChange::Actor(v.parse().ok()))} />
            <SelectField id="audit-module" label={text::AUDIT_MODULE}
                options={choices(text::AUDIT_ALL_MODULES, AUDIT_MODULES.iter().copied())}
                value={query.module.clone()} onchange={change(AuditChange::Module)} />
            <SelectField id="audit-action" label={text::AUDIT_ACTION}
                options={choices(text::AUDIT_ALL_ACTIONS, actions)}
                value={query.action.clone()} onchange={change(AuditChange::Action)} />
            <SelectField id="audit-target" label={text::AUDIT_TARGET}
                options={target_choices(&query.target)}
                value={query.target.clone()} onchange={change(AuditChange::Target)} />
            <FormField id="audit-from" label={text::AUDIT_FROM} kind="date" value={query.from.clone()}
                oninput={change(AuditChange::From)} />
            <FormField id="audit-to" label={text::AUDIT_TO} kind="date" value={query.to.clone()}
                oninput={change(AuditChange::To)} />
            <div class="field toolbar-action">
                <button id="audit-clear" type="button" class="btn btn-outline btn-small" onclick={on_clear}>
                    { text::AUDIT_CLEAR }
                </button>
            </div>
        </form>
    }
}

fn choices(all: &'static str, list: impl Iterator<Item = (&'static str, &'static str)>) -> Options {
    let mut options = vec![(AttrValue::Static(""), AttrValue::Static(all))];
    options.extend(list.map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name))));
    options
}

/// Target types, plus the one record the screen was opened for (`contact:12`).
fn target_choices(current: &str) -> Options {
    let mut options = choices(text::AUDIT_ALL_TARGETS, text::AUDIT_TARGETS.iter().copied());
    if let Some((kind, id)) = current.split_once(':') {
        let name = api_types::label(text::AUDIT_TARGETS, kind);
        options.push((
            AttrValue::from(current.to_owned()),
            AttrValue::from(format!("{name} #{id}")),
        ));
    }
    options
}
