//! `GET /api/reports/dashboard`: KPI cards, four charts and three tables for a period.

use std::collections::{BTreeMap, HashMap};

use api_types::{ApiErrorBody, Bar, Dashboard, Kpis, Performer, Point, Slice};
use axum::{Json, extract::State};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    care,
    period::{Granularity, Period},
    queries,
};
use crate::{
    auth::current_user::AuthUser,
    domain,
    error::{ApiError, ApiResult},
    http::params::ApiQuery,
    state::AppState,
};

/// Bars in "picks per Sale" and rows in "top performers".
const TOP: usize = 15;
const TOP_PERFORMERS: usize = 10;
/// Events in the activity list.
const ACTIVITY: usize = 20;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `today`, `week`, `month` (default), `quarter`, `year` or `custom`.
    pub period: Option<String>,
    /// First day of a custom period (`YYYY-MM-DD`, Vietnamese calendar).
    pub from: Option<String>,
    /// Last day of a custom period, included.
    pub to: Option<String>,
    /// Only this team's contacts, picks and deals.
    pub team_id: Option<i64>,
}

impl ReportQuery {
    pub fn period(&self, state: &AppState) -> Result<Period, ApiError> {
        Period::parse(
            self.period.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
            domain::today_in_vietnam(state.clock.now()),
        )
    }
}

/// The dashboard for one period (UTC+7 days), optionally for one team.
#[utoipa::path(
    get, path = "/api/reports/dashboard", tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, body = Dashboard),
        (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn dashboard(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> ApiResult<Json<Dashboard>> {
    Ok(Json(build(&state, &caller, &query).await?))
}

/// Every figure of the dashboard (the exports take their tables from it).
pub async fn build(
    state: &AppState,
    caller: &AuthUser,
    query: &ReportQuery,
) -> Result<Dashboard, ApiError> {
    let period = query.period(state)?;
    let team = query.team_id;
    let db = &state.db;
    let today = domain::today_in_vietnam(state.clock.now());

    // Independent aggregates, run side by side: SQLite's readers (WAL) and the other
    // databases' connections answer them in parallel, so the slowest sets the pace.
    let week = Period::week_of(today);
    let (status_counts, new_this_week, picks, closers, per_team, per_day, teams, care) = tokio::try_join!(
        queries::status_counts(db, &period, team),
        queries::contacts_created(db, &week, team),
        queries::picks_per_sale(db, &period, team),
        queries::deals_per_closer(db, &period, team),
        queries::revenue_per_team(db, &period, team),
        queries::contacts_per_day(db, &period, team),
        queries::team_names(db),
        async { Ok(care::queue(state, caller, team).await) },
    )?;
    let care = care?;
    // Every contact created in the period has exactly one status now.
    let contacts: i64 = status_counts.iter().map(|(_, n)| n).sum();
    let picked: i64 = picks.iter().map(|(_, n)| n).sum();
    let deals_won: i64 = closers.iter().map(|(_, n, _)| n).sum();
    let revenue: i64 = closers.iter().map(|(_, _, r)| r).sum();

    let people = queries::user_names(
        db,
        picks
            .iter()
            .map(|(id, _)| *id)
            .chain(closers.iter().map(|(id, _, _)| *id)),
    )
    .await?;
    let name = |id: i64| {
        people
            .get(&id)
            .map_or_else(|| format!("#{id}"), |(name, _)| name.clone())
    };

    let mut picks_per_sale: Vec<Bar> = picks
        .iter()
        .map(|(id, n)| Bar {
            id: Some(*id),
            label: name(*id),
            value: *n,
        })
        .collect();
    sort_bars(&mut picks_per_sale);
    picks_per_sale.truncate(TOP);

    let mut revenue_per_team: Vec<Bar> = per_team
        .into_iter()
        .map(|(id, value)| Bar {
            id,
            label: id
                .and_then(|t| teams.get(&t).cloned())
                .unwrap_or_else(|| crate::reports::NO_TEAM.to_owned()),
            value,
        })
        .collect();
    sort_bars(&mut revenue_per_team);

    let top_performers = performers(&picks, &closers, &people, &teams);
    let status = status_counts
        .into_iter()
        .map(|(status, count)| Slice { status, count })
        .collect();
    let trend = trend(&period, per_day);
    let activity = state
        .live
        .feed
        .recent(caller.user.id, &caller.grants, ACTIVITY)
        .iter()
        .filter_map(|frame| serde_json::from_slice(frame).ok())
        .collect();

    Ok(Dashboard {
        from: period.first.format("%Y-%m-%d").to_string(),
        to: period.last.format("%Y-%m-%d").to_string(),
        granularity: period.granularity().code().to_owned(),
        kpis: Kpis {
            contacts,
            new_this_week,
            picked,
            deals_won,
            close_rate_permille: close_rate(deals_won, picked),
            revenue,
        },
        status,
        trend,
        picks_per_sale,
        revenue_per_team,
        top_performers,
        care,
        activity,
    })
}

/// Deals won per contact picked, in per mille, rounded half up.
fn close_rate(deals: i64, picked: i64) -> Option<i64> {
    (picked > 0).then(|| (deals * 2000 + picked) / (2 * picked))
}

/// Largest first; equal values by label, so the order is stable.
fn sort_bars(bars: &mut [Bar]) {
    bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
}

/// Daily counts folded into the period's buckets; empty buckets show as zero.
fn trend(period: &Period, per_day: Vec<(NaiveDate, i64)>) -> Vec<Point> {
    let granularity: Granularity = period.granularity();
    let mut buckets: BTreeMap<NaiveDate, i64> =
        period.buckets().into_iter().map(|b| (b, 0)).collect();
    for (day, count) in per_day {
        *buckets.entry(granularity.bucket(day)).or_default() += count;
    }
    buckets
        .into_iter()
        .map(|(start, count)| Point {
            start: start.format("%Y-%m-%d").to_string(),
            count,
        })
        .collect()
}

/// Sales by revenue, then deals, then contacts picked.
fn performers(
    picks: &[(i64, i64)],
    closers: &[(i64, i64, i64)],
    people: &HashMap<i64, (String, Option<i64>)>,
    teams: &HashMap<i64, String>,
) -> Vec<Performer> {
    let mut by_user: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for (id, n) in picks {
        by_user.entry(*id).or_default().0 += n;
    }
    for (id, deals, revenue) in closers {
        let entry = by_user.entry(*id).or_default();
        entry.1 += deals;
        entry.2 += revenue;
    }
    let mut out: Vec<Performer> = by_user
        .into_iter()
        .map(|(user_id, (contacts, deals, revenue))| {
            let (full_name, team) = people
                .get(&user_id)
                .cloned()
                .unwrap_or_else(|| (format!("#{user_id}"), None));
            Performer {
                user_id,
                full_name,
                team: team.and_then(|t| teams.get(&t).cloned()),
                contacts,
                deals,
                revenue,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (b.revenue, b.deals, b.contacts)
            .cmp(&(a.revenue, a.deals, a.contacts))
            .then_with(|| a.full_name.cmp(&b.full_name))
    });
    out.truncate(TOP_PERFORMERS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn close_rate_rounds_half_up_in_per_mille() {
        assert_eq!(close_rate(1, 8), Some(125));
        assert_eq!(close_rate(2, 3), Some(667));
        assert_eq!(close_rate(0, 5), Some(0));
        assert_eq!(close_rate(3, 0), None);
    }

    #[test]
    fn the_trend_fills_empty_days_and_folds_weeks() {
        let week = Period {
            first: day("2026-11-30"),
            last: day("2026-12-06"),
        };
        let points = trend(&week, vec![(day("2026-12-02"), 3)]);
        assert_eq!(points.len(), 7);
        assert_eq!(points[2].count, 3);
        let quarter = Period {
            first: day("2026-10-01"),
            last: day("2026-12-31"),
        };
        let points = trend(
            &quarter,
            vec![(day("2026-12-01"), 2), (day("2026-12-06"), 5)],
        );
        let week_of_dec_1 = points
            .iter()
            .find(|p| p.start == "2026-11-30")
            .expect("bucket");
        assert_eq!(week_of_dec_1.count, 7);
    }

    #[test]
    fn performers_rank_by_revenue_then_deals_then_picks() {
        let people: HashMap<i64, (String, Option<i64>)> = [
            (1, ("An".to_owned(), Some(9))),
            (2, ("Bình".to_owned(), None)),
            (3, ("Chi".to_owned(), None)),
        ]
        .into();
        let teams: HashMap<i64, String> = [(9, "Hà Nội".to_owned())].into();
        let ranked = performers(
            &[(1, 5), (2, 9), (3, 1)],
            &[(1, 1, 3_000_000), (3, 1, 3_000_000)],
            &people,
            &teams,
        );
        let order: Vec<&str> = ranked.iter().map(|p| p.full_name.as_str()).collect();
        assert_eq!(order, ["An", "Chi", "Bình"]);
        assert_eq!(ranked[0].team.as_deref(), Some("Hà Nội"));
        assert_eq!((ranked[2].contacts, ranked[2].deals), (9, 0));
    }
}
