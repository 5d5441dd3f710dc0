use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use server::http::access::{Access, ROUTES};

use crate::helpers::{error_of, spawn_app};

/// Every documented route must have an access rule, so a new route cannot ship
/// without declaring who may call it.
#[tokio::test]
async fn every_documented_route_declares_its_access() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    let declared: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let mut documented = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("ops").keys() {
            documented += 1;
            let key = (method.to_uppercase(), path.clone());
            assert!(declared.contains(&key), "{key:?} has no access rule");
        }
    }
    assert!(documented >= 13);
}

/// And every API route in the table is documented (docs pages aside).
#[tokio::test]
async fn every_declared_api_route_is_documented() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    for (method, path, _) in ROUTES {
        if path.starts_with("/api/docs") || *path == "/api/openapi.json" {
            continue;
        }
        let op = &doc["paths"][path][method.to_lowercase()];
        assert!(
            op.is_object(),
            "{method} {path} is missing from openapi.json"
        );
        assert!(
            op["responses"].is_object(),
            "{method} {path} documents no responses"
        );
    }
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "1").replace("{user_id}", "1")
}

#[tokio::test]
async fn protected_routes_refuse_anonymous_callers_with_401() {
    let app = spawn_app().await;
    for (method, path, access) in ROUTES {
        if *access == Access::Public {
            continue;
        }
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let response = reqwest::Client::new()
            .request(method.clone(), app.url(&concrete(path)))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("request");
        let (status, _) = error_of(response).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
}

#[tokio::test]
async fn a_user_lacking_the_permission_gets_403_on_every_permission_route() {
    let app = spawn_app().await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    let token = app.token_for("sale01", "Sale12345").await;
    let me: Value = app
        .bearer(Method::GET, "/api/me", &token, None)
        .await
        .json()
        .await
        .expect("me");
    let held: Vec<&str> = me["permissions"]
        .as_array()
        .expect("perms")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut checked = 0;
    for (method, path, access) in ROUTES {
        let Access::Permission(code) = access else {
            continue;
        };
        if held.contains(code) {
            continue;
        }
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let response = app
            .bearer(
                method.clone(),
                &concrete(path),
                &token,
                Some(&serde_json::json!({})),
            )
            .await;
        let (status, body) = error_of(response).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(body["message"], "Bạn không có quyền thực hiện thao tác này");
        checked += 1;
    }
    assert!(checked >= 4);
}

#[tokio::test]
async fn the_four_default_roles_exist_with_their_permissions() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let roles: Vec<Value> = app
        .bearer(Method::GET, "/api/roles", &token, None)
        .await
        .json()
        .await
        .expect("roles");
    let names: Vec<&str> = roles.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["Super Admin", "Tổng Đài", "Sale", "CSKH"]);
    assert!(roles.iter().all(|r| r["system"] == true));
    let sale = &roles[2]["permissions"];
    for code in ["contacts.pick", "deals.create", "coupons.use"] {
        assert!(sale.as_array().expect("perms").contains(&Value::from(code)));
    }
    assert!(
        !sale
            .as_array()
            .expect("perms")
            .contains(&Value::from("users.manage"))
    );
}
