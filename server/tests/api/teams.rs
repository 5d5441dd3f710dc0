use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app};

async fn create_team(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app
        .bearer(Method::POST, "/api/teams", token, Some(&body))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("json")
}

async fn team_of(app: &TestApp, token: &str, user: i64) -> Value {
    app.bearer(Method::GET, &format!("/api/users/{user}"), token, None)
        .await
        .json::<Value>()
        .await
        .expect("json")["employee"]["team_id"]
        .clone()
}

#[tokio::test]
async fn a_team_has_a_leader_region_and_members_each_in_one_team() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let leader = app.create_user("lead01", "Lead12345", "Sale").await;
    let member = app.create_user("sale01", "Sale12345", "Sale").await;
    let north = create_team(
        &app,
        &token,
        json!({"name": "Nhóm Hà Nội", "region": "Miền Bắc", "leader_id": leader}),
    )
    .await;
    let north_id = north["id"].as_i64().expect("id");
    assert_eq!(north["leader_name"], "Nhân viên lead01");
    assert_eq!(north["member_count"], 1, "the leader is a member");
    let south = create_team(
        &app,
        &token,
        json!({"name": "Nhóm HCM", "region": "Miền Nam"}),
    )
    .await;
    let south_id = south["id"].as_i64().expect("id");

    let added: Value = app
        .bearer(
            Method::POST,
            &format!("/api/teams/{north_id}/members"),
            &token,
            Some(&json!({"user_id": member})),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(added["member_count"], 2);

    app.bearer(
        Method::POST,
        &format!("/api/teams/{south_id}/members"),
        &token,
        Some(&json!({"user_id": member})),
    )
    .await;
    assert_eq!(team_of(&app, &token, member).await, json!(south_id));
    let detail: Value = app
        .bearer(Method::GET, &format!("/api/teams/{north_id}"), &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["members"].as_array().expect("m").len(), 1);

    let response = app
        .bearer(
            Method::DELETE,
            &format!("/api/teams/{north_id}/members/{leader}"),
            &token,
            None,
        )
        .await;
    let after: Value = response.json().await.expect("json");
    assert!(
        after["leader_id"].is_null(),
        "a removed leader no longer leads"
    );
    assert_eq!(team_of(&app, &token, leader).await, Value::Null);

    let by_team: Value = app
        .bearer(
            Method::GET,
            &format!("/api/users?team_id={south_id}"),
            &token,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(by_team["total"], 1);
    assert_eq!(by_team["items"][0]["team_name"], "Nhóm HCM");
}

#[tokio::test]
async fn team_names_are_unique_and_non_empty_teams_are_not_deleted() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let team = create_team(&app, &token, json!({"name": "Nhóm 1"})).await;
    let id = team["id"].as_i64().expect("id");
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/teams",
            &token,
            Some(&json!({"name": "Nhóm 1"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["field"], "name");
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/teams",
            &token,
            Some(&json!({"name": " "})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "name");

    let member = app.create_user("sale01", "Sale12345", "Sale").await;
    app.bearer(
        Method::POST,
        &format!("/api/teams/{id}/members"),
        &token,
        Some(&json!({"user_id": member})),
    )
    .await;
    let (status, body) = error_of(
        app.bearer(Method::DELETE, &format!("/api/teams/{id}"), &token, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "team_not_empty");
    app.bearer(
        Method::DELETE,
        &format!("/api/teams/{id}/members/{member}"),
        &token,
        None,
    )
    .await;
    assert_eq!(
        app.bearer(Method::DELETE, &format!("/api/teams/{id}"), &token, None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn an_employee_can_be_created_straight_into_a_team() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let team = create_team(&app, &token, json!({"name": "Nhóm Đà Nẵng"})).await;
    let sale = app.role_id("Sale").await;
    let created: Value = app
        .bearer(
            Method::POST,
            "/api/users",
            &token,
            Some(&json!({
                "username": "sale09", "password": "Sale12345", "full_name": "Lê Thị C",
                "team_id": team["id"], "role_ids": [sale]
            })),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(created["team_name"], "Nhóm Đà Nẵng");
    let (_, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/users",
            &token,
            Some(&json!({
                "username": "sale10", "password": "Sale12345", "full_name": "X",
                "team_id": 999, "role_ids": [sale]
            })),
        )
        .await,
    )
    .await;
    assert_eq!(body["field"], "team_id");
}
