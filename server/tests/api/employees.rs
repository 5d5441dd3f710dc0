use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app};

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    app.bearer(method, path, token, body.as_ref()).await
}

async fn detail(app: &TestApp, token: &str, id: i64) -> Value {
    call(app, Method::GET, &format!("/api/users/{id}"), token, None)
        .await
        .json()
        .await
        .expect("json")
}

fn edit_body(employee: &Value, role_ids: Value) -> Value {
    json!({
        "full_name": employee["full_name"], "email": employee["email"],
        "phone": employee["phone"], "team_id": employee["team_id"],
        "position": employee["position"], "role_ids": role_ids,
        "username": employee["username"],
    })
}

#[tokio::test]
async fn employees_are_listed_with_search_filters_and_pages() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    for i in 0..5 {
        app.create_user(&format!("sale{i:02}"), "Sale12345", "Sale")
            .await;
    }
    app.create_user("cskh01", "Cskh12345", "CSKH").await;
    let page: Value = call(
        &app,
        Method::GET,
        "/api/users?per_page=4&page=2",
        &token,
        None,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(page["total"], 7);
    assert_eq!(page["items"].as_array().expect("items").len(), 3);

    let cskh = app.role_id("CSKH").await;
    let filtered: Value = call(
        &app,
        Method::GET,
        &format!("/api/users?role_id={cskh}"),
        &token,
        None,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(filtered["total"], 1);
    assert_eq!(filtered["items"][0]["username"], "cskh01");
    assert_eq!(filtered["items"][0]["roles"][0]["name"], "CSKH");

    let searched: Value = call(&app, Method::GET, "/api/users?q=sale03", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(searched["total"], 1);

    let (status, body) =
        error_of(call(&app, Method::GET, "/api/users?status=gone", &token, None).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "status");
}

#[tokio::test]
async fn the_username_is_immutable_but_other_fields_change_and_are_audited() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app.create_user("sale01", "Sale12345", "Sale").await;
    let employee = detail(&app, &token, id).await["employee"].clone();
    let sale = app.role_id("Sale").await;

    let mut renamed = edit_body(&employee, json!([sale]));
    renamed["username"] = json!("someone.else");
    let (status, body) = error_of(
        call(
            &app,
            Method::PUT,
            &format!("/api/users/{id}"),
            &token,
            Some(renamed),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "username");

    let mut edit = edit_body(&employee, json!([sale]));
    edit["full_name"] = json!("Nguyễn Văn An");
    edit["phone"] = json!("+84 912 345 678");
    edit["position"] = json!("Chuyên viên tư vấn");
    let updated: Value = call(
        &app,
        Method::PUT,
        &format!("/api/users/{id}"),
        &token,
        Some(edit),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(updated["full_name"], "Nguyễn Văn An");
    assert_eq!(updated["phone"], "0912345678");
    assert_eq!(updated["username"], "sale01");

    let mut bad_phone = edit_body(&updated, json!([sale]));
    bad_phone["phone"] = json!("12345");
    let (_, body) = error_of(
        call(
            &app,
            Method::PUT,
            &format!("/api/users/{id}"),
            &token,
            Some(bad_phone),
        )
        .await,
    )
    .await;
    assert_eq!(body["field"], "phone");
    assert_eq!(body["message"], "Số điện thoại không đúng định dạng");

    let audit: Value = call(
        &app,
        Method::GET,
        &format!("/api/audit?action=users.updated&target=user:{id}"),
        &token,
        None,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["items"][0]["before"]["full_name"], "Nhân viên sale01");
    assert_eq!(audit["items"][0]["after"]["full_name"], "Nguyễn Văn An");
}

#[tokio::test]
async fn nobody_locks_or_demotes_themselves() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let me: Value = call(&app, Method::GET, "/api/me", &token, None)
        .await
        .json()
        .await
        .expect("me");
    let id = me["id"].as_i64().expect("id");
    let (status, body) = error_of(
        call(
            &app,
            Method::POST,
            &format!("/api/users/{id}/lock"),
            &token,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["message"], "Bạn không thể tự khoá tài khoản của mình");

    let employee = detail(&app, &token, id).await["employee"].clone();
    let sale = app.role_id("Sale").await;
    let (status, body) = error_of(
        call(
            &app,
            Method::PUT,
            &format!("/api/users/{id}"),
            &token,
            Some(edit_body(&employee, json!([sale]))),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "self_change");
}

#[tokio::test]
async fn the_last_active_super_admin_cannot_be_locked_or_demoted() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // An HR clerk who manages employees but is not a Super Admin.
    let hr_role: Value = call(
        &app,
        Method::POST,
        "/api/roles",
        &admin,
        Some(json!({"name": "Nhân sự", "permissions": ["users.manage"]})),
    )
    .await
    .json()
    .await
    .expect("role");
    let hr_role = hr_role["id"].as_i64().expect("id");
    call(
        &app,
        Method::POST,
        "/api/users",
        &admin,
        Some(json!({"username": "nhansu", "password": "Hr123456", "full_name": "HR", "role_ids": [hr_role]})),
    )
    .await;
    let hr = app.token_for("nhansu", "Hr123456").await;
    let admin_id = call(&app, Method::GET, "/api/me", &admin, None)
        .await
        .json::<Value>()
        .await
        .expect("me")["id"]
        .as_i64()
        .expect("id");

    let (status, body) = error_of(
        call(
            &app,
            Method::POST,
            &format!("/api/users/{admin_id}/lock"),
            &hr,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "last_super_admin");

    // A non-Super-Admin may not hand out the Super Admin role either.
    let super_admin = app.role_id("Super Admin").await;
    let (status, body) = error_of(
        call(
            &app,
            Method::POST,
            "/api/users",
            &hr,
            Some(json!({"username": "sneaky", "password": "Pass12345", "full_name": "S", "role_ids": [super_admin]})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "role_ids");

    // With a second Super Admin, the first can be locked.
    call(
        &app,
        Method::POST,
        "/api/users",
        &admin,
        Some(json!({"username": "admin2", "password": "Admin2345", "full_name": "Admin 2", "role_ids": [super_admin]})),
    )
    .await;
    let response = call(
        &app,
        Method::POST,
        &format!("/api/users/{admin_id}/lock"),
        &hr,
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let admin2 = app.token_for("admin2", "Admin2345").await;
    let admin2_id = call(&app, Method::GET, "/api/me", &admin2, None)
        .await
        .json::<Value>()
        .await
        .expect("me")["id"]
        .as_i64()
        .expect("id");
    let (status, _) = error_of(
        call(
            &app,
            Method::POST,
            &format!("/api/users/{admin2_id}/lock"),
            &hr,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn locking_kills_sessions_at_once_and_unlocking_lets_them_back() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_user("sale01", "Sale12345", "Sale").await;
    let sale = app.token_for("sale01", "Sale12345").await;
    let locked: Value = call(
        &app,
        Method::POST,
        &format!("/api/users/{id}/lock"),
        &admin,
        None,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(locked["status"], "locked");
    assert_eq!(
        call(&app, Method::GET, "/api/me", &sale, None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let (_, body) = error_of(app.login("sale01", "Sale12345").await).await;
    assert_eq!(body["error"], "account_locked");
    call(
        &app,
        Method::POST,
        &format!("/api/users/{id}/unlock"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        app.login("sale01", "Sale12345").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_admin_can_set_a_new_password_which_ends_the_sessions() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_user("sale01", "Sale12345", "Sale").await;
    let sale = app.token_for("sale01", "Sale12345").await;
    let (_, body) = error_of(
        call(
            &app,
            Method::POST,
            &format!("/api/users/{id}/password"),
            &admin,
            Some(json!({"new_password": "weak"})),
        )
        .await,
    )
    .await;
    assert_eq!(body["field"], "new_password");
    let response = call(
        &app,
        Method::POST,
        &format!("/api/users/{id}/password"),
        &admin,
        Some(json!({"new_password": "Moi123456"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        call(&app, Method::GET, "/api/me", &sale, None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("sale01", "Moi123456").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_grant_adds_to_roles_and_a_deny_beats_them() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_user("sale01", "Sale12345", "Sale").await;
    let sale = app.token_for("sale01", "Sale12345").await;
    assert_eq!(
        call(&app, Method::GET, "/api/audit", &sale, None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let response = call(
        &app,
        Method::PUT,
        &format!("/api/users/{id}/overrides"),
        &admin,
        Some(json!({"overrides": [
            {"code": "logs.view", "granted": true},
            {"code": "contacts.pick", "granted": false}
        ]})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        call(&app, Method::GET, "/api/audit", &sale, None)
            .await
            .status(),
        StatusCode::OK
    );
    let me: Value = call(&app, Method::GET, "/api/me", &sale, None)
        .await
        .json()
        .await
        .expect("me");
    let perms = me["permissions"].as_array().expect("perms");
    assert!(perms.contains(&json!("logs.view")));
    assert!(
        !perms.contains(&json!("contacts.pick")),
        "deny beats the Sale role"
    );
    assert!(perms.contains(&json!("contacts.view")));

    let shown = detail(&app, &admin, id).await;
    assert_eq!(shown["overrides"].as_array().expect("o").len(), 2);

    let (status, body) = error_of(
        call(
            &app,
            Method::PUT,
            &format!("/api/users/{id}/overrides"),
            &admin,
            Some(json!({"overrides": [{"code": "nope.nope", "granted": true}]})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "overrides");
}
