use std::time::Duration;

use api_types::{Dashboard as Report, format_permille, format_vnd};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::api::{self, ReportQuery};
use crate::components::activity_list::ActivityList;
use crate::components::alert::{Alert, AlertKind};
use crate::components::care_summary::CareSummary;
use crate::components::charts::columns::Columns;
use crate::components::charts::donut::Donut;
use crate::components::charts::hbars::{HBars, Measure};
use crate::components::export_links::ExportLinks;
use crate::components::kpi_card::KpiCard;
use crate::components::loading::Loading;
use crate::components::performer_table::PerformerTable;
use crate::components::report_filters::ReportFilters;
use crate::hooks::{Remote, use_remote};
use crate::live::{LiveNews, use_live_news};
use crate::{format, text};

/// Events arriving together cause one reload, this long after the first.
const SETTLE: Duration = Duration::from_millis(1500);

/// The business dashboard (`#dashboard`): KPI cards, four charts, the top performers,
/// the customer-care queue and the recent activity, for a period and a team. Every
/// contact or deal event refreshes it.
#[component]
pub fn Dashboard() -> Html {
    let query = use_state(ReportQuery::default);
    let reload = use_state(|| 0_u32);
    let report = use_remote(((*query).clone(), *reload), |(query, _)| async move {
        api::dashboard(&query).await
    });
    let teams = use_remote((), |()| api::teams());
    let teams = match &*teams {
        Remote::Ready(teams) => teams.clone(),
        _ => Vec::new(),
    };
    let pending = use_mut_ref(|| false);
    {
        let reload = reload.clone();
        use_live_news(Callback::from(move |news: LiveNews| {
            // An inbox entry changes no figure on the dashboard.
            if matches!(news, LiveNews::Notification(_)) || *pending.borrow() {
                return;
            }
            *pending.borrow_mut() = true;
            let (reload, pending) = (reload.clone(), pending.clone());
            spawn_local(async move {
                sleep(SETTLE).await;
                *pending.borrow_mut() = false;
                reload.set(*reload + 1);
            });
        }));
    }
    let on_change = {
        let query = query.clone();
        Callback::from(move |next: ReportQuery| {
            // Custom days wait until both are there and in order.
            if next.period != "custom" || (!next.from.is_empty() && !next.to.is_empty()) {
                query.set(next);
            }
        })
    };
    let body = match &*report {
        // A refresh keeps the figures on screen; only the first load shows a spinner.
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="dashboard-error">{ message.clone() }</Alert>
        },
        Remote::Ready(report) => view(report, &query),
    };
    html! {
        <div id="dashboard">
            <div class="page-header page-header-row">
                <h1>{ text::DASHBOARD_TITLE }</h1>
                if let Remote::Ready(report) = &*report {
                    <span id="report-range" class="muted">
                        { text::report_range(&format::date(&report.from), &format::date(&report.to)) }
                    </span>
                }
            </div>
            <section class="card">
                <ReportFilters query={(*query).clone()} {teams} {on_change} />
            </section>
            { body }
        </div>
    }
}

fn view(report: &Report, query: &ReportQuery) -> Html {
    let k = &report.kpis;
    let rate = k
        .close_rate_permille
        .map_or_else(|| text::NO_RATE.to_owned(), format_permille);
    let export = |table: &str, id: &str| {
        html! {
            <ExportLinks id={id.to_owned()} csv={query.export_url(table, "csv")}
                xlsx={query.export_url(table, "xlsx")} />
        }
    };
    html! {
        <>
            <div class="kpi-grid">
                <KpiCard id="kpi-contacts" label={text::KPI_CONTACTS} value={k.contacts.to_string()} />
                <KpiCard id="kpi-new-week" label={text::KPI_NEW_WEEK} value={k.new_this_week.to_string()} />
                <KpiCard id="kpi-deals" label={text::KPI_DEALS} value={k.deals_won.to_string()}
                    hint={text::picked_hint(k.picked)} />
                <KpiCard id="kpi-close-rate" label={text::KPI_CLOSE_RATE} value={rate}
                    hint={text::CLOSE_RATE_HINT} />
                <KpiCard id="kpi-revenue" label={text::KPI_REVENUE} value={format_vnd(k.revenue)} />
            </div>
            <div class="card-grid report-grid">
                <section class="card">
                    <div class="card-head">
                        <h2 class="card-title">{ text::CHART_STATUS }</h2>
                        { export("status", "export-status") }
                    </div>
                    <Donut id="chart-status" slices={report.status.clone()} />
                </section>
                <section class="card">
                    <div class="card-head">
                        <h2 class="card-title">{ text::trend_title(&report.granularity) }</h2>
                        { export("trend", "export-trend") }
                    </div>
                    <Columns id="chart-trend" points={report.trend.clone()}
                        granularity={report.granularity.clone()} />
                </section>
                <section class="card">
                    <div class="card-head">
                        <h2 class="card-title">{ text::CHART_PICKS }</h2>
                        { export("picks_per_sale", "export-picks") }
                    </div>
                    <HBars id="chart-picks" bars={report.picks_per_sale.clone()} measure={Measure::Picks} />
                </section>
                <section class="card">
                    <div class="card-head">
                        <h2 class="card-title">{ text::CHART_REVENUE }</h2>
                        { export("revenue_per_team", "export-revenue") }
                    </div>
                    <HBars id="chart-revenue" bars={report.revenue_per_team.clone()} measure={Measure::Revenue} />
                </section>
                <section class="card card-wide">
                    <div class="card-head">
                        <h2 class="card-title">{ text::TOP_PERFORMERS }</h2>
                        { export("top_performers", "export-performers") }
                    </div>
                    <PerformerTable rows={report.top_performers.clone()} />
                </section>
                <section class="card">
                    <div class="card-head">
                        <h2 class="card-title">{ text::CARE_QUEUE_TITLE }</h2>
                        { export("care", "export-care") }
                    </div>
                    <CareSummary care={report.care.clone()} />
                </section>
                <section class="card">
                    <h2 class="card-title">{ text::ACTIVITY_TITLE }</h2>
                    <ActivityList frames={report.activity.clone()} />
                </section>
            </div>
        </>
    }
}
