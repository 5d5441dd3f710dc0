//! Built-in TLS: HTTPS with TLS 1.3 only, HSTS and `Secure` cookies, and a refusal of
//! plain HTTP and older TLS on the same port.

use reqwest::{StatusCode, header};
use serde_json::json;
use server::config::TlsFiles;

use crate::helpers::{ADMIN_PASSWORD, ADMIN_USER, Options, spawn_app_with};

/// A self-signed certificate for `localhost`, written as PEM files in `dir`.
fn certificate(dir: &std::path::Path) -> (TlsFiles, reqwest::Certificate) {
    let (files, trusted, _) = certificate_der(dir);
    (files, trusted)
}

fn certificate_der(
    dir: &std::path::Path,
) -> (
    TlsFiles,
    reqwest::Certificate,
    rustls::pki_types::CertificateDer<'static>,
) {
    let issued = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, issued.cert.pem()).expect("write cert");
    std::fs::write(&key, issued.key_pair.serialize_pem()).expect("write key");
    let trusted = reqwest::Certificate::from_pem(issued.cert.pem().as_bytes()).expect("pem");
    (TlsFiles { cert, key }, trusted, issued.cert.der().clone())
}

fn port(base: &str) -> u16 {
    base.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port")
}

#[tokio::test]
async fn https_serves_tls13_with_hsts_and_secure_cookies_and_refuses_plain_http() {
    let dir = tempfile::tempdir().expect("dir");
    let (files, trusted) = certificate(dir.path());
    let app = spawn_app_with(Options {
        tls: Some(files),
        ..Options::default()
    })
    .await;
    let https = format!("https://localhost:{}", port(&app.base));
    let client = reqwest::Client::builder()
        .add_root_certificate(trusted.clone())
        .build()
        .expect("client");

    let health = client
        .get(format!("{https}/healthz"))
        .send()
        .await
        .expect("https");
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.version(), reqwest::Version::HTTP_11);
    let login = client
        .post(format!("{https}/api/auth/login"))
        .json(&json!({ "username": ADMIN_USER, "password": ADMIN_PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), StatusCode::OK);
    assert!(
        login
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
    let cookie = login
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("cookie")
        .to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");

    // Plain HTTP on the TLS port gets no HTTP answer.
    let plain = reqwest::Client::new()
        .get(format!("http://localhost:{}/healthz", port(&app.base)))
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await;
    assert!(plain.is_err(), "{plain:?}");
    // TLS 1.2 clients are refused: 1.3 only.
    let old = reqwest::Client::builder()
        .add_root_certificate(trusted)
        .max_tls_version(reqwest::tls::Version::TLS_1_2)
        .build()
        .expect("client");
    assert!(old.get(format!("{https}/healthz")).send().await.is_err());
}

#[test]
fn half_a_tls_configuration_names_the_missing_variable() {
    let only_cert = server::config::Config::from_lookup(|name| {
        (name == "ANKHANG_TLS_CERT").then(|| "/etc/ankhang/cert.pem".to_owned())
    })
    .expect_err("refused");
    assert!(
        only_cert.to_string().contains("ANKHANG_TLS_KEY"),
        "{only_cert}"
    );
    let both = server::config::Config::from_lookup(|name| match name {
        "ANKHANG_TLS_CERT" => Some("/etc/ankhang/cert.pem".to_owned()),
        "ANKHANG_TLS_KEY" => Some("/etc/ankhang/key.pem".to_owned()),
        _ => None,
    })
    .expect("both");
    assert!(both.public_url.starts_with("https://"));
    assert!(both.secure_cookies());
}

#[tokio::test]
async fn a_key_that_does_not_match_the_certificate_stops_the_start() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut files, _) = certificate(dir.path());
    let other = dir.path().join("other");
    std::fs::create_dir(&other).expect("dir");
    let (stranger, _) = certificate(&other);
    files.key = stranger.key;
    let err = server::http::tls::server_config(&files.cert, &files.key).expect_err("refused");
    assert!(err.to_string().contains("ANKHANG_TLS_KEY"), "{err}");
    let missing = server::http::tls::server_config(&dir.path().join("nope.pem"), &files.key)
        .expect_err("refused");
    assert!(
        missing.to_string().contains("ANKHANG_TLS_CERT"),
        "{missing}"
    );
}

#[tokio::test]
async fn the_live_socket_works_over_tls() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::header};

    let dir = tempfile::tempdir().expect("dir");
    let (files, _, der) = certificate_der(dir.path());
    let app = spawn_app_with(Options {
        tls: Some(files),
        ..Options::default()
    })
    .await;
    let token = {
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_der(&der).expect("der"))
            .build()
            .expect("client");
        let login: serde_json::Value = client
            .post(format!(
                "https://localhost:{}/api/auth/login",
                port(&app.base)
            ))
            .json(&json!({ "username": ADMIN_USER, "password": ADMIN_PASSWORD }))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("json");
        login["token"].as_str().expect("token").to_owned()
    };
    let mut roots = rustls::RootCertStore::empty();
    roots.add(der).expect("root");
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port(&app.base)))
        .await
        .expect("tcp");
    let tls = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect(
            rustls::pki_types::ServerName::try_from("localhost").expect("name"),
            tcp,
        )
        .await
        .expect("handshake");
    let mut request = format!("wss://localhost:{}/ws", port(&app.base))
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::client_async(request, tls)
        .await
        .expect("upgrade over TLS");
    socket
        .send(Message::text(r#"{"type":"ping"}"#))
        .await
        .expect("send");
    loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
            .await
            .expect("in time")
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = frame {
            assert!(text.contains("pong"), "{text}");
            break;
        }
    }
}
