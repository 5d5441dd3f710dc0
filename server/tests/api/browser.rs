//! The real web client in headless Chromium, driven through chromedriver.

use std::{
    os::unix::process::CommandExt,
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, ADMIN_USER, Options, TestApp, spawn_app_with, web_bundle};

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Chromium runs in chromedriver's process group: kill the group, or a test that
        // panicked before closing its session leaves a browser behind eating the CPU.
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub async fn browser() -> Browser {
    let driver_path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = free_port();
    let driver = Command::new(&driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {driver_path} ({e}): run `cargo xtask test`"));
    let profile = tempfile::tempdir().expect("profile dir");
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1366,900",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let capabilities = capabilities.as_object().expect("object").clone();
    let mut last_error = None;
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .expect("rustls")
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => {
                return Browser {
                    client,
                    driver,
                    _profile: profile,
                };
            }
            Err(err) => {
                last_error = Some(err);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("chromedriver did not accept a session: {last_error:?}");
}

pub async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
        .text()
        .await
        .expect("text")
}

pub async fn fill(client: &Client, id: &str, value: &str) {
    let field = client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id} never appeared: {e}"));
    // Empty it the way a user does (an `input` event), not with WebDriver's clear, which
    // fires no `input` but a `blur`: a page tidying the field on blur would then put
    // its old value back before the keys arrive.
    client
        .execute(
            "const input = document.getElementById(arguments[0]);
             input.value = '';
             input.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(id)],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot empty #{id}: {e}"));
    field.send_keys(value).await.expect("type");
}

pub async fn wait_for_path(client: &Client, path: &str) {
    for _ in 0..150 {
        if client
            .current_url()
            .await
            .is_ok_and(|url| url.path() == path)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never reached {path}");
}

pub async fn app_with_bundle() -> TestApp {
    spawn_app_with(Options {
        web_dir: Some(web_bundle()),
        ..Options::default()
    })
    .await
}

pub async fn click(client: &Client, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

pub async fn select(client: &Client, id: &str, value: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id} never appeared: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("cannot select {value} in #{id}: {e}"));
}

/// Waits until `css` shows exactly `expected` (the live total follows each keystroke).
pub async fn wait_for_text(client: &Client, css: &str, expected: &str) {
    let mut shown = String::new();
    for _ in 0..100 {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            shown = element.text().await.unwrap_or_default();
            if shown == expected {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} shows {shown:?}, not {expected:?}");
}

/// Signs in through the login page and waits for the shell.
pub async fn sign_in(client: &Client, app: &TestApp, username: &str, password: &str) {
    client.goto(&app.url("/login")).await.expect("open login");
    fill(client, "username", username).await;
    fill(client, "password", password).await;
    click(client, "#login-submit").await;
    text_of(client, "#current-user").await;
}

#[tokio::test]
async fn a_user_logs_in_through_the_page_sees_errors_in_vietnamese_and_logs_out() {
    let app = app_with_bundle().await;
    let browser = browser().await;
    let client = &browser.client;

    client.goto(&app.url("/")).await.expect("open");
    wait_for_path(client, "/login").await;

    fill(client, "username", ADMIN_USER).await;
    fill(client, "password", "Wrong12345").await;
    client
        .find(Locator::Id("login-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    let error = text_of(client, "#login-error").await;
    assert!(
        error.contains("Tên đăng nhập hoặc mật khẩu không đúng"),
        "shown: {error}"
    );

    fill(client, "password", ADMIN_PASSWORD).await;
    client
        .find(Locator::Id("login-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    assert_eq!(text_of(client, "#current-user").await, "Quản Trị Viên");
    wait_for_path(client, "/").await;
    let docs_link = client.find(Locator::Css("[data-nav=\"api-docs\"]")).await;
    assert!(docs_link.is_ok(), "an admin sees the API docs entry");

    client
        .find(Locator::Id("logout"))
        .await
        .expect("logout")
        .click()
        .await
        .expect("click");
    wait_for_path(client, "/login").await;
    client
        .goto(&app.url("/profile"))
        .await
        .expect("open profile");
    wait_for_path(client, "/login").await;
    let _ = browser.client.clone().close().await;
}

#[tokio::test]
async fn a_sale_does_not_see_admin_entries_and_can_change_their_password() {
    let app = app_with_bundle().await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    let browser = browser().await;
    let client = &browser.client;

    client.goto(&app.url("/login")).await.expect("open");
    fill(client, "username", "sale01").await;
    fill(client, "password", "Sale12345").await;
    client
        .find(Locator::Id("login-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    assert_eq!(text_of(client, "#current-user").await, "Nhân viên sale01");
    assert!(
        client
            .find(Locator::Css("[data-nav=\"api-docs\"]"))
            .await
            .is_err(),
        "a Sale has no users.manage"
    );

    client.goto(&app.url("/profile")).await.expect("profile");
    fill(client, "current-password", "Sale12345").await;
    fill(client, "new-password", "Moi123456").await;
    fill(client, "confirm-password", "Moi123456").await;
    client
        .find(Locator::Id("change-password-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    let result = text_of(client, "#change-password-result").await;
    assert!(result.contains("Đã đổi mật khẩu"), "shown: {result}");
    assert_eq!(
        app.login("sale01", "Moi123456").await.status(),
        reqwest::StatusCode::OK
    );
    let _ = browser.client.clone().close().await;
}
