//! Which push endpoints the server will POST to: only the configured push services
//! (`ANKHANG_PUSH_SERVICES`). A subscription is user input; without this check any
//! signed-in user could make the server call an internal address.

use url::Url;

/// The endpoint as a URL, if it belongs to one of `services` (`https://host[:port]`,
/// or `https://*.domain` for any subdomain of it).
pub fn allowed(endpoint: &str, services: &[String]) -> Option<Url> {
    let url = Url::parse(endpoint).ok()?;
    let host = url.host_str()?;
    if !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let origin = match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    };
    let ok = services
        .iter()
        .any(|service| match service.split_once("://*.") {
            Some((scheme, domain)) => {
                scheme == url.scheme()
                    && url.port().is_none()
                    && host
                        .strip_suffix(domain)
                        .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1)
            }
            None => *service == origin,
        });
    ok.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Vec<String> {
        vec![
            "https://fcm.googleapis.com".into(),
            "https://*.push.apple.com".into(),
            "http://127.0.0.1:9000".into(),
        ]
    }

    #[test]
    fn only_configured_push_services_are_accepted() {
        let ok = [
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://web.push.apple.com/QGx",
            "http://127.0.0.1:9000/push/1",
        ];
        for endpoint in ok {
            assert!(allowed(endpoint, &services()).is_some(), "{endpoint}");
        }
        let refused = [
            "https://fcm.googleapis.com.evil.test/x",
            "http://fcm.googleapis.com/x",
            "https://push.apple.com/x",
            "https://evil.test/.push.apple.com",
            "http://127.0.0.1:9001/push/1",
            "http://localhost:8080/api/users",
            "https://user:pw@fcm.googleapis.com/x",
            "not a url",
        ];
        for endpoint in refused {
            assert!(allowed(endpoint, &services()).is_none(), "{endpoint}");
        }
    }
}
