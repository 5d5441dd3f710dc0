//! The Web Push channel: the title and body, encrypted for each of the recipient's
//! browsers (RFC 8291, aes128gcm) and signed with the server's VAPID key, POSTed to the
//! browser's push service with reqwest. A push service answering 404 or 410 says the
//! browser dropped the subscription: it is deleted. Anything else is retried.

use std::{sync::Arc, time::Duration};

use api_types::PushPayload;
use sea_orm::DatabaseConnection;
use web_push::{
    ContentEncoding, SubscriptionInfo, Urgency, WebPushMessage, WebPushMessageBuilder,
    request_builder,
};

use super::{Channel, ChannelError, Outgoing};
use crate::{
    clock::SharedClock,
    keys::Keys,
    push::{
        Vapid, endpoint,
        store::{self, Subscription, SubscriptionBox},
    },
};

pub const NAME: &str = "web_push";
const TIMEOUT: Duration = Duration::from_secs(10);
/// A push service keeps an undelivered message this long for a browser that is off.
const TTL_SECS: u32 = 24 * 60 * 60;

pub struct WebPush {
    db: DatabaseConnection,
    clock: SharedClock,
    http: reqwest::Client,
    sealer: SubscriptionBox,
    vapid: Arc<Vapid>,
    services: Vec<String>,
}

impl WebPush {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        keys: &Keys,
        vapid: Arc<Vapid>,
        services: Vec<String>,
    ) -> Self {
        Self {
            db,
            clock,
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .build()
                .unwrap_or_default(),
            sealer: SubscriptionBox::new(keys),
            vapid,
            services,
        }
    }
}

/// How one push to one browser went.
enum Pushed {
    Delivered,
    /// 404/410: the browser no longer has this subscription.
    Gone,
    Retry(String),
    Refused(String),
}

#[async_trait::async_trait]
impl Channel for WebPush {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError> {
        let d = &outgoing.delivery;
        let browsers = store::for_user(&self.db, &self.sealer, d.recipient_id).await?;
        if browsers.is_empty() {
            return Err(ChannelError::Skipped(
                "Nhân viên chưa bật thông báo trên trình duyệt".into(),
            ));
        }
        let payload = PushPayload {
            title: outgoing.title.clone(),
            body: outgoing.body.clone(),
            url: d.link.clone().unwrap_or_else(|| "/".into()),
            // A retry after a partial failure reaches the browsers that already
            // showed it again; the same tag makes it replace itself, not pile up.
            tag: format!("ankhang-delivery-{}", d.id),
        };
        // Serialising four strings cannot fail.
        let payload = serde_json::to_vec(&payload).unwrap_or_default();
        let (mut delivered, mut gone, mut retry, mut refused) = (0, 0, Vec::new(), Vec::new());
        for (id, browser) in browsers {
            match self.push(&browser, &payload, d.id).await {
                Pushed::Delivered => {
                    delivered += 1;
                    store::mark_success(&self.db, id, self.clock.now()).await?;
                }
                Pushed::Gone => {
                    gone += 1;
                    tracing::info!(subscription_id = id, "push subscription gone: deleted");
                    store::delete(&self.db, id).await?;
                }
                Pushed::Retry(why) => retry.push(why),
                Pushed::Refused(why) => refused.push(why),
            }
        }
        if !retry.is_empty() {
            return Err(ChannelError::Unavailable(retry.join("; ")));
        }
        if delivered > 0 {
            return Ok(());
        }
        if !refused.is_empty() {
            return Err(ChannelError::Rejected(refused.join("; ")));
        }
        debug_assert!(gone > 0);
        Err(ChannelError::Skipped(
            "Trình duyệt của nhân viên đã huỷ đăng ký nhận thông báo".into(),
        ))
    }
}

impl WebPush {
    async fn push(&self, browser: &Subscription, payload: &[u8], delivery_id: i64) -> Pushed {
        // Checked again at send time: the list may have shrunk since subscribing.
        if endpoint::allowed(&browser.endpoint, &self.services).is_none() {
            return Pushed::Refused(
                "Địa chỉ nhận thông báo không thuộc dịch vụ được phép (ANKHANG_PUSH_SERVICES)"
                    .into(),
            );
        }
        let message = match self.build(browser, payload, delivery_id) {
            Ok(message) => message,
            Err(err) => {
                return Pushed::Refused(format!("Không mã hoá được thông báo: {err}"));
            }
        };
        // web-push builds `http` 0.2 requests; reqwest sends them (rustls).
        let (parts, body) = request_builder::build_request::<Vec<u8>>(message).into_parts();
        let mut post = self.http.post(parts.uri.to_string()).body(body);
        for (name, value) in &parts.headers {
            post = post.header(name.as_str(), value.as_bytes());
        }
        let response = match post.send().await {
            Ok(response) => response,
            Err(err) if err.is_timeout() => {
                return Pushed::Retry("Dịch vụ thông báo không trả lời kịp".into());
            }
            Err(_) => return Pushed::Retry("Không kết nối được dịch vụ thông báo".into()),
        };
        match response.status().as_u16() {
            200..=299 => Pushed::Delivered,
            404 | 410 => Pushed::Gone,
            code => Pushed::Retry(format!("Dịch vụ thông báo trả lời {code}")),
        }
    }

    /// The encrypted, signed message.
    fn build(
        &self,
        browser: &Subscription,
        payload: &[u8],
        delivery_id: i64,
    ) -> Result<WebPushMessage, web_push::WebPushError> {
        let info = SubscriptionInfo::new(
            browser.endpoint.as_str(),
            browser.p256dh.as_str(),
            browser.auth.as_str(),
        );
        let mut signature = self.vapid.signer()?.add_sub_info(&info);
        signature.add_claim("sub", self.vapid.subject.as_str());
        let mut message = WebPushMessageBuilder::new(&info);
        message.set_ttl(TTL_SECS);
        message.set_urgency(Urgency::High);
        // One topic per delivery: a push service still holding an earlier copy of this
        // message replaces it instead of delivering both.
        message.set_topic(format!("d{delivery_id}"));
        message.set_payload(ContentEncoding::Aes128Gcm, payload);
        message.set_vapid_signature(signature.build()?);
        message.build()
    }
}
