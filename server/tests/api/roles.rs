use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app};

async fn roles(app: &TestApp, token: &str) -> Vec<Value> {
    app.bearer(Method::GET, "/api/roles", token, None)
        .await
        .json()
        .await
        .expect("roles")
}

async fn create_role(app: &TestApp, token: &str, name: &str, perms: &[&str]) -> i64 {
    let response = app
        .bearer(
            Method::POST,
            "/api/roles",
            token,
            Some(&json!({"name": name, "permissions": perms})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

async fn assign_role(app: &TestApp, token: &str, username: &str, role_id: i64) -> i64 {
    let response = app
        .bearer(
            Method::POST,
            "/api/users",
            token,
            Some(&json!({
                "username": username, "password": "Pass12345",
                "full_name": format!("NV {username}"), "role_ids": [role_id]
            })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

#[tokio::test]
async fn the_permission_catalogue_is_data_grouped_by_module() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let catalogue: Vec<Value> = app
        .bearer(Method::GET, "/api/permissions", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert!(catalogue.len() >= 25);
    let pick = catalogue
        .iter()
        .find(|p| p["code"] == "contacts.pick")
        .expect("pick");
    assert_eq!(pick["module"], "contacts");
    assert_eq!(pick["label"], "Nhận khách hàng (pick)");
}

#[tokio::test]
async fn rights_change_on_the_next_request_without_logging_in_again() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let role = create_role(&app, &admin, "Kế toán", &["reports.view"]).await;
    assign_role(&app, &admin, "ketoan", role).await;
    let token = app.token_for("ketoan", "Pass12345").await;
    assert_eq!(
        app.bearer(Method::GET, "/api/users", &token, None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let response = app
        .bearer(
            Method::PUT,
            &format!("/api/roles/{role}"),
            &admin,
            Some(&json!({"name": "Kế toán", "permissions": ["reports.view", "users.manage"]})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.bearer(Method::GET, "/api/users", &token, None)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn clone_copies_permissions_into_a_new_custom_role() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let sale = app.role_id("Sale").await;
    let response = app
        .bearer(
            Method::POST,
            &format!("/api/roles/{sale}/clone"),
            &token,
            Some(&json!({"name": "Sale cấp cao"})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let clone: Value = response.json().await.expect("json");
    let all = roles(&app, &token).await;
    let original = all.iter().find(|r| r["name"] == "Sale").expect("sale");
    assert_eq!(clone["permissions"], original["permissions"]);
    assert_eq!(clone["system"], false);

    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            &format!("/api/roles/{sale}/clone"),
            &token,
            Some(&json!({"name": "Sale cấp cao"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["field"], "name");
}

#[tokio::test]
async fn system_roles_are_protected() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let super_admin = app.role_id("Super Admin").await;
    let sale = app.role_id("Sale").await;

    let (status, body) = error_of(
        app.bearer(
            Method::DELETE,
            &format!("/api/roles/{super_admin}"),
            &token,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "system_role");

    let (status, body) = error_of(
        app.bearer(
            Method::PUT,
            &format!("/api/roles/{super_admin}"),
            &token,
            Some(&json!({"name": "Super Admin", "permissions": ["logs.view"]})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "permissions");

    let (status, body) = error_of(
        app.bearer(
            Method::PUT,
            &format!("/api/roles/{sale}"),
            &token,
            Some(&json!({"name": "Kinh doanh", "permissions": []})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "name");

    // A built-in role other than Super Admin may change its permissions.
    let response = app
        .bearer(
            Method::PUT,
            &format!("/api/roles/{sale}"),
            &token,
            Some(&json!({"name": "Sale", "permissions": ["contacts.view", "contacts.pick"]})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_permissions_are_refused() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/roles",
            &token,
            Some(&json!({"name": "X", "permissions": ["contacts.fly"]})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "permissions");
}

#[tokio::test]
async fn a_role_that_is_someones_only_role_cannot_be_deleted() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let role = create_role(&app, &token, "Thực tập", &["contacts.view"]).await;
    assign_role(&app, &token, "intern", role).await;
    let (status, body) = error_of(
        app.bearer(Method::DELETE, &format!("/api/roles/{role}"), &token, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "role_in_use");

    let unused = create_role(&app, &token, "Tạm", &[]).await;
    assert_eq!(
        app.bearer(
            Method::DELETE,
            &format!("/api/roles/{unused}"),
            &token,
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let audit: Value = app
        .bearer(Method::GET, "/api/audit?action=roles.deleted", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(audit["items"][0]["before"]["name"], "Tạm");
}

#[tokio::test]
async fn role_changes_are_audited_with_before_and_after() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let role = create_role(&app, &token, "Marketing", &["reports.view"]).await;
    app.bearer(
        Method::PUT,
        &format!("/api/roles/{role}"),
        &token,
        Some(&json!({"name": "Marketing", "permissions": ["logs.view", "reports.view"]})),
    )
    .await;
    let audit: Value = app
        .bearer(
            Method::GET,
            &format!("/api/audit?target=role:{role}&action=roles.updated"),
            &token,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    let entry = &audit["items"][0];
    assert_eq!(entry["before"]["permissions"], json!(["reports.view"]));
    assert_eq!(
        entry["after"]["permissions"],
        json!(["logs.view", "reports.view"])
    );
}

#[tokio::test]
async fn rights_of_many_users_at_once_match_each_users_own() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let denied = app.create_user("sale01", "Sale12345", "Sale").await;
    let plain = app.create_user("sale02", "Sale12345", "Sale").await;
    let extra = app.create_user("cskh01", "Cskh12345", "CSKH").await;
    for (id, code, granted) in [(denied, "contacts.view", false), (extra, "logs.view", true)] {
        let answer = app
            .bearer(
                Method::PUT,
                &format!("/api/users/{id}/overrides"),
                &admin,
                Some(&json!({"overrides": [{"code": code, "granted": granted}]})),
            )
            .await;
        assert!(answer.status().is_success(), "override {code}");
    }
    let ids = [1, denied, plain, extra, 9999];
    let many = server::permissions::effective_many(&app.db, &ids)
        .await
        .expect("many");
    assert_eq!(many.len(), ids.len(), "an entry for every id");
    for id in ids {
        let one = server::permissions::effective(&app.db, id)
            .await
            .expect("one");
        let batch = &many[&id];
        assert_eq!(batch.permissions, one.permissions, "user {id}");
        assert_eq!(batch.roles, one.roles, "user {id}");
    }
    assert!(!many[&denied].has("contacts.view"), "a deny beats the role");
    assert!(many[&plain].has("contacts.view"));
    assert!(many[&extra].has("logs.view"), "a personal grant");
    assert!(!many[&plain].has("logs.view"));
    assert!(many[&1].has("roles.manage"), "Super Admin holds everything");
    assert!(
        many[&9999].permissions.is_empty(),
        "no such user, no rights"
    );
}
