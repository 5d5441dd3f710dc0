//! The pick engine under real concurrency against the running server.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    contacts::{new_contact, operator, service_type_id},
    helpers::{Options, TestApp, error_of, spawn_app, spawn_app_with},
};

async fn pick(app: &TestApp, token: &str, id: i64) -> reqwest::Response {
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        token,
        None,
    )
    .await
}

async fn contacts(app: &TestApp, n: usize) -> Vec<i64> {
    let op = operator(app, "tongdai01").await;
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let c = new_contact(
            app,
            &op,
            &format!("Khách {i}"),
            &format!("09{:08}", 20_000_000 + i),
        )
        .await;
        ids.push(c["id"].as_i64().expect("id"));
    }
    ids
}

#[tokio::test]
async fn two_hundred_sales_racing_for_one_contact_leave_exactly_one_winner() {
    let app = spawn_app().await;
    let id = contacts(&app, 1).await[0];
    let sales = app.seed_sales(200).await;
    let attempts = sales.iter().map(|(_, token)| {
        let app = &app;
        async move {
            let response = pick(app, token, id).await;
            let status = response.status();
            (status, response.json::<Value>().await.expect("json"))
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    let winners: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one winner");
    let winner_id = winners[0]["assignee_id"].as_i64().expect("assignee");
    let losers: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(losers.len(), 199, "everyone else is told it is taken");
    for body in losers {
        assert_eq!(body["error"], "already_picked");
        assert_eq!(body["picked_by"]["id"], winner_id);
        assert!(
            body["message"]
                .as_str()
                .expect("message")
                .starts_with("Khách hàng này đã được nhận bởi Sale Đua")
        );
    }
    let admin = app.admin_token().await;
    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=contacts.picked",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(audit["total"], 1, "one pick, one audit entry");
}

#[tokio::test]
async fn one_sale_firing_twenty_picks_at_once_gets_exactly_one() {
    let app = spawn_app().await;
    let ids = contacts(&app, 20).await;
    let (_, token) = app.seed_sales(1).await.remove(0);
    let attempts = ids.iter().map(|id| {
        let (app, token) = (&app, &token);
        async move { pick(app, token, *id).await.status() }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1);
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count(),
        19,
        "the rest are cooling down: {statuses:?}"
    );
    assert_eq!(
        app.count("contacts WHERE status = 'consulting'").await,
        1,
        "no contact was claimed by a failed attempt"
    );
}

#[tokio::test]
async fn the_cooldown_reports_seconds_left_and_an_admin_can_lift_it() {
    let app = spawn_app().await;
    let ids = contacts(&app, 3).await;
    let (sale_id, token) = app.seed_sales(1).await.remove(0);
    assert_eq!(pick(&app, &token, ids[0]).await.status(), StatusCode::OK);

    let response = pick(&app, &token, ids[1]).await;
    assert_eq!(
        response.headers()["retry-after"].to_str().expect("header"),
        "300"
    );
    let (status, body) = error_of(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"], "cooldown");
    assert_eq!(body["retry_after_secs"], 300);
    assert!(body["message"].as_str().expect("m").contains("5 phút"));

    app.clock.advance(Duration::seconds(100));
    let (_, body) = error_of(pick(&app, &token, ids[1]).await).await;
    assert_eq!(body["retry_after_secs"], 200);
    let allowance: Value = app
        .bearer(Method::GET, "/api/picks/me", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(allowance["cooldown_remaining_secs"], 200);

    let admin = app.admin_token().await;
    let reset = app
        .bearer(
            Method::POST,
            &format!("/api/users/{sale_id}/pick-cooldown/reset"),
            &admin,
            None,
        )
        .await;
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert_eq!(pick(&app, &token, ids[1]).await.status(), StatusCode::OK);

    app.clock.advance(Duration::seconds(300));
    assert_eq!(pick(&app, &token, ids[2]).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_daily_limit_holds_under_concurrent_picks_and_resets_at_vietnam_midnight() {
    let app = spawn_app_with(Options {
        pick_cooldown_secs: Some(0),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let tldn = service_type_id(&app, "TLDN").await;
    let response = app
        .bearer(
            Method::PUT,
            &format!("/api/service-types/{tldn}"),
            &admin,
            Some(&json!({"code": "TLDN", "name": "Thành lập doanh nghiệp", "daily_pick_limit": 3, "sort_order": 1})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let ids = contacts(&app, 12).await;
    let (_, token) = app.seed_sales(1).await.remove(0);
    let attempts = ids[..10].iter().map(|id| {
        let (app, token) = (&app, &token);
        async move {
            let response = pick(app, token, *id).await;
            (
                response.status(),
                response.json::<Value>().await.expect("json"),
            )
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    assert_eq!(
        results.iter().filter(|(s, _)| *s == StatusCode::OK).count(),
        3
    );
    let refused: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(refused.len(), 7);
    assert_eq!(refused[0]["error"], "daily_limit");
    assert_eq!(
        refused[0]["message"],
        "Bạn đã nhận đủ 3 khách hàng loại \"Thành lập doanh nghiệp\" hôm nay (giới hạn 3/ngày)"
    );
    let allowance: Value = app
        .bearer(Method::GET, "/api/picks/me", &token, None)
        .await
        .json()
        .await
        .expect("json");
    let usage = allowance["usage"]
        .as_array()
        .expect("usage")
        .iter()
        .find(|u| u["code"] == "TLDN")
        .expect("tldn")
        .clone();
    assert_eq!(usage["used"], 3);
    assert_eq!(usage["limit"], 3);

    // The test clock starts at 08:00Z = 15:00 in Vietnam; 9 hours later is the next day.
    app.clock.advance(Duration::hours(9));
    assert_eq!(pick(&app, &token, ids[10]).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn picking_a_missing_contact_is_404() {
    let app = spawn_app().await;
    let (_, token) = app.seed_sales(1).await.remove(0);
    let (status, _) = error_of(pick(&app, &token, 424242).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_sale_moved_to_another_team_picks_for_the_new_team_at_once() {
    let app = spawn_app_with(Options {
        pick_cooldown_secs: Some(0),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let (sale_id, sale) = crate::contacts::sale(&app, "sale01").await;
    let mut teams = Vec::new();
    for name in ["Nhóm Hà Nội", "Nhóm HCM"] {
        let team: Value = app
            .bearer(
                Method::POST,
                "/api/teams",
                &admin,
                Some(&json!({ "name": name })),
            )
            .await
            .json()
            .await
            .expect("team");
        teams.push(team["id"].as_i64().expect("id"));
    }
    let ids = contacts(&app, 2).await;
    for (team, contact) in teams.iter().zip(&ids) {
        let moved = app
            .bearer(
                Method::POST,
                &format!("/api/teams/{team}/members"),
                &admin,
                Some(&json!({ "user_id": sale_id })),
            )
            .await;
        assert_eq!(moved.status(), StatusCode::OK);
        // The Sale's session is known to the server from the request before: the move
        // must still apply to the very next pick.
        let picked: Value = pick(&app, &sale, *contact)
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(picked["team_id"], json!(team), "picked {picked}");
    }
}
