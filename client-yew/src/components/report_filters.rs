use api_types::{PERIODS, TeamDto};
use yew::prelude::*;

use crate::api::ReportQuery;
use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::{format, text};

#[derive(Properties, PartialEq)]
pub struct ReportFiltersProps {
    pub query: ReportQuery,
    pub teams: Vec<TeamDto>,
    pub on_change: Callback<ReportQuery>,
}

/// Period (`#report-period`), custom days (`#report-from`, `#report-to`) and team
/// (`#report-team`). A named period applies at once; custom days once both are set.
#[component]
pub fn ReportFilters(props: &ReportFiltersProps) -> Html {
    let query = props.query.clone();
    let on_period = {
        let (query, on_change) = (query.clone(), props.on_change.clone());
        Callback::from(move |period: String| {
            let mut next = query.clone();
            if period == "custom" && next.from.is_empty() {
                // A sensible start: the month so far.
                next.to = format::today();
                next.from = format!("{}-01", next.to.get(..7).unwrap_or_default());
            }
            next.period = period;
            on_change.emit(next);
        })
    };
    let on_day = |set: fn(&mut ReportQuery, String)| {
        let (query, on_change) = (query.clone(), props.on_change.clone());
        Callback::from(move |day: String| {
            let mut next = query.clone();
            set(&mut next, day);
            on_change.emit(next);
        })
    };
    let on_team = {
        let (query, on_change) = (query.clone(), props.on_change.clone());
        Callback::from(move |team: String| {
            let mut next = query.clone();
            next.team_id = team.parse().ok();
            on_change.emit(next);
        })
    };
    let periods = PERIODS
        .iter()
        .map(|(code, name)| (AttrValue::from(*code), AttrValue::from(*name)))
        .collect::<Vec<_>>();
    let teams = std::iter::once((AttrValue::from(""), AttrValue::from(text::ALL_TEAMS_REPORT)))
        .chain(props.teams.iter().map(|t| {
            (
                AttrValue::from(t.id.to_string()),
                AttrValue::from(t.name.clone()),
            )
        }))
        .collect::<Vec<_>>();
    let team = query.team_id.map(|t| t.to_string()).unwrap_or_default();
    html! {
        <div class="report-filters">
            <SelectField id="report-period" label={text::REPORT_PERIOD} value={query.period.clone()}
                options={periods} onchange={on_period} />
            if query.period == "custom" {
                <FormField id="report-from" label={text::REPORT_FROM} kind="date" value={query.from.clone()}
                    oninput={on_day(|q, d| q.from = d)} />
                <FormField id="report-to" label={text::REPORT_TO} kind="date" value={query.to.clone()}
                    oninput={on_day(|q, d| q.to = d)} />
            }
            <SelectField id="report-team" label={text::REPORT_TEAM} value={team} options={teams} onchange={on_team} />
        </div>
    }
}
