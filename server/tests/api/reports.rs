//! The dashboard's numbers against a hand-built firm, across a Vietnamese midnight.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{Options, TestApp, spawn_app_with},
};

async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let response = app.bearer(Method::GET, path, token, None).await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn dashboard(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = get(app, token, &format!("/api/reports/dashboard?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

fn count_of(list: &Value, key: &str, value: &str, field: &str) -> i64 {
    list.as_array()
        .expect("list")
        .iter()
        .find(|item| item[key] == value)
        .and_then(|item| item[field].as_i64())
        .unwrap_or(0)
}

/// Contact A at 23:30 on Friday 23 January (Vietnam), contact B at 00:30 on Saturday
/// the 24th, picked by sale01 of team Hà Nội and closed for 3 000 000 ₫.
struct Firm {
    app: TestApp,
    admin: String,
    team: i64,
}

async fn firm() -> Firm {
    let app = spawn_app_with(Options {
        pick_cooldown_secs: Some(0),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, sale) = sale(&app, "sale01").await;
    let team: Value = app
        .bearer(
            Method::POST,
            "/api/teams",
            &admin,
            Some(&json!({ "name": "Hà Nội" })),
        )
        .await
        .json()
        .await
        .expect("team");
    let team = team["id"].as_i64().expect("id");
    let joined = app
        .bearer(
            Method::POST,
            &format!("/api/teams/{team}/members"),
            &admin,
            Some(&json!({ "user_id": sale_id })),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
    let product: Value = app
        .bearer(
            Method::POST,
            "/api/products",
            &admin,
            Some(&json!({ "code": "TLDN-7", "name": "Thành lập DN", "base_price": 3_000_000 })),
        )
        .await
        .json()
        .await
        .expect("product");

    // The test clock starts at 15:00 on 23 January in Vietnam.
    app.clock.advance(Duration::minutes(8 * 60 + 30));
    new_contact(&app, &op, "Khách Trước Nửa Đêm", "0917000001").await;
    app.clock.advance(Duration::hours(1));
    let late = new_contact(&app, &op, "Khách Sau Nửa Đêm", "0917000002").await;
    let id = late["id"].as_i64().expect("id");
    let picked = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/pick"),
            &sale,
            None,
        )
        .await;
    assert_eq!(picked.status(), StatusCode::OK);
    let deal = app
        .bearer(
            Method::POST,
            "/api/deals",
            &sale,
            Some(&json!({
                "contact_id": id,
                "lines": [{ "product_id": product["id"], "quantity": 1 }],
                "payment_status": "paid",
                "closed_on": "2026-01-24",
            })),
        )
        .await;
    assert_eq!(deal.status(), StatusCode::CREATED);
    Firm { app, admin, team }
}

#[tokio::test]
async fn the_dashboard_counts_on_vietnamese_days() {
    let Firm { app, admin, team } = firm().await;

    // "Today" is Saturday 24 January in Vietnam: only the contact after midnight.
    let today = dashboard(&app, &admin, "period=today").await;
    assert_eq!(
        (today["from"].as_str(), today["to"].as_str()),
        (Some("2026-01-24"), Some("2026-01-24"))
    );
    let kpis = &today["kpis"];
    assert_eq!(kpis["contacts"], 1);
    assert_eq!(kpis["picked"], 1);
    assert_eq!(kpis["deals_won"], 1);
    assert_eq!(kpis["revenue"], 3_000_000);
    assert_eq!(kpis["close_rate_permille"], 1000);
    assert_eq!(kpis["new_this_week"], 2, "Monday 19 to Sunday 25 January");
    assert_eq!(count_of(&today["status"], "status", "won", "count"), 1);
    assert_eq!(today["picks_per_sale"][0]["label"], "Nhân viên sale01");
    assert_eq!(today["picks_per_sale"][0]["value"], 1);
    assert_eq!(today["revenue_per_team"][0]["label"], "Hà Nội");
    assert_eq!(today["revenue_per_team"][0]["value"], 3_000_000);
    let top = &today["top_performers"][0];
    assert_eq!(
        (
            top["contacts"].as_i64(),
            top["deals"].as_i64(),
            top["revenue"].as_i64()
        ),
        (Some(1), Some(1), Some(3_000_000))
    );
    assert_eq!(top["team"], "Hà Nội");

    // Friday the 23rd alone: the contact before midnight, still new, nothing sold.
    let friday = dashboard(&app, &admin, "period=custom&from=2026-01-23&to=2026-01-23").await;
    assert_eq!(friday["kpis"]["contacts"], 1);
    assert_eq!(friday["kpis"]["deals_won"], 0);
    assert_eq!(friday["kpis"]["close_rate_permille"], Value::Null);
    assert_eq!(count_of(&friday["status"], "status", "new", "count"), 1);

    // The week's trend puts each contact on its own Vietnamese day.
    let week = dashboard(&app, &admin, "period=week").await;
    assert_eq!(week["granularity"], "day");
    assert_eq!(week["trend"].as_array().expect("trend").len(), 7);
    assert_eq!(count_of(&week["trend"], "start", "2026-01-23", "count"), 1);
    assert_eq!(count_of(&week["trend"], "start", "2026-01-24", "count"), 1);
    assert_eq!(count_of(&week["trend"], "start", "2026-01-22", "count"), 0);

    // A team sees its own contacts (team set by the pick) and deals.
    let hanoi = dashboard(&app, &admin, &format!("period=week&team_id={team}")).await;
    assert_eq!(hanoi["kpis"]["contacts"], 1);
    assert_eq!(hanoi["kpis"]["revenue"], 3_000_000);
    let nobody = dashboard(&app, &admin, &format!("period=week&team_id={}", team + 100)).await;
    assert_eq!(nobody["kpis"]["contacts"], 0);
    assert_eq!(nobody["kpis"]["picked"], 0);

    // The year buckets by month; the activity list carries the newest events.
    let year = dashboard(&app, &admin, "period=year").await;
    assert_eq!(year["granularity"], "month");
    assert_eq!(count_of(&year["trend"], "start", "2026-01-01", "count"), 2);
    let activity = year["activity"].as_array().expect("activity");
    assert_eq!(activity[0]["type"], "deal.created", "newest first");
}

#[tokio::test]
async fn only_report_viewers_get_it_and_bad_periods_name_their_field() {
    let Firm { app, admin, .. } = firm().await;
    let sale = app.token_for("sale01", "Sale12345").await;
    let (status, _) = get(&app, &sale, "/api/reports/dashboard").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for (query, field) in [
        ("period=custom&to=2026-01-01", "from"),
        ("period=custom&from=2026-02-01&to=2026-01-01", "to"),
        ("period=decade", "period"),
        ("period=month&team_id=abc", "team_id"),
    ] {
        let (status, body) = get(&app, &admin, &format!("/api/reports/dashboard?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(body["field"], field, "{query}: {body}");
    }
}

#[tokio::test]
async fn a_bulk_demo_year_adds_up_on_the_dashboard_and_reads_back() {
    let app = crate::helpers::spawn_app().await;
    let admin = app.admin_token().await;
    let keys = server::keys::Keys::load(None, &app.dir.path().join("data")).expect("keys");
    server::demo::seed(&app.db, &keys, 4).await.expect("seed");
    let loaded = server::demo_bulk::load(&app.db, &keys, 300, 60)
        .await
        .expect("bulk");
    assert_eq!((loaded.contacts, loaded.deals), (300, 60));

    // The bulk load spreads over the last year of real time; the demo's own 12
    // contacts are new as of now.
    let today = chrono::Utc::now().date_naive();
    let from = today - Duration::days(400);
    let to = today + Duration::days(1);
    let year = dashboard(&app, &admin, &format!("period=custom&from={from}&to={to}")).await;
    assert_eq!(year["kpis"]["contacts"], 312);
    assert_eq!(year["kpis"]["deals_won"], 60);
    assert_eq!(count_of(&year["status"], "status", "won", "count"), 60);
    let picked = year["kpis"]["picked"].as_i64().expect("picked");
    let held: i64 = year["status"]
        .as_array()
        .expect("status")
        .iter()
        .filter(|s| s["status"] != "new")
        .map(|s| s["count"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(picked, held, "every non-new contact was picked once");

    let (status, page) = get(&app, &admin, "/api/contacts?status=won&per_page=5").await;
    assert_eq!(status, StatusCode::OK);
    let name = page["items"][0]["full_name"].as_str().unwrap_or_default();
    assert!(
        name.split(' ').count() == 3,
        "sealed names open again: {name}"
    );
    assert!(page["items"][0]["deal_id"].is_i64());
}
