use reqwest::{StatusCode, header};

use crate::helpers::{Options, error_of, spawn_app, spawn_app_with};

#[tokio::test]
async fn without_a_bundle_the_root_explains_how_to_build_it() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = response.text().await.expect("html");
    assert!(html.contains("cargo xtask run"));
}

#[tokio::test]
async fn client_routes_fall_back_to_index_and_assets_are_served() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("index.html"), "<html>shell</html>").expect("write");
    std::fs::write(dir.path().join("app.js"), "export default 1;").expect("write");
    let app = spawn_app_with(Options {
        web_dir: Some(dir.path().to_owned()),
        ..Options::default()
    })
    .await;
    for path in ["/", "/login", "/reset-password?token=abc", "/profile"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.text().await.expect("text"), "<html>shell</html>");
    }
    let js = app.get("/app.js").await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(
        js.headers()[header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|v| v.contains("javascript"))
    );
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = spawn_app().await;
    let (status, body) = error_of(app.get("/api/nope").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/api/me", "/healthz"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    }
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.expect("text"), "ok");
}

#[tokio::test]
async fn the_api_docs_page_and_document_are_served() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    assert!(doc["components"]["schemas"]["ApiErrorBody"].is_object());
    let page = app.get("/api/docs").await.text().await.expect("html");
    assert!(page.contains("/api/docs/docs.js"));
    assert_eq!(app.get("/api/docs/docs.js").await.status(), StatusCode::OK);
}
