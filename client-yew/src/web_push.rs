//! The browser side of Web Push: the service worker (`/sw.js`), the permission, and
//! the push subscription the server is told about.

use api_types::{PushSubscriptionRequest, PushUnsubscribeRequest};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    NotificationPermission, PushManager, PushSubscription, PushSubscriptionOptionsInit,
    ServiceWorkerRegistration,
};

use crate::api;
use crate::text;

/// What the profile card shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushState {
    /// No service workers or no Push API (an old browser, a private window in some).
    Unsupported,
    /// The user blocked notifications for this site: only the browser can undo it.
    Denied,
    On,
    Off,
}

/// Why turning notifications on or off did not work, in Vietnamese.
pub type PushError = String;

fn supported() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let has = |name: &str| js_sys::Reflect::has(&window, &JsValue::from_str(name)).unwrap_or(false);
    let navigator = window.navigator();
    has("PushManager")
        && has("Notification")
        && js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false)
}

fn permission() -> NotificationPermission {
    web_sys::Notification::permission()
}

async fn promise<T: JsCast>(promise: Result<js_sys::Promise, JsValue>) -> Result<T, PushError> {
    let value = JsFuture::from(promise.map_err(|_| text::PUSH_BROWSER_ERROR.to_owned())?)
        .await
        .map_err(|_| text::PUSH_BROWSER_ERROR.to_owned())?;
    value
        .dyn_into::<T>()
        .map_err(|_| text::PUSH_BROWSER_ERROR.to_owned())
}

/// The app's service worker registration, registering `/sw.js` if needed.
async fn registration() -> Result<ServiceWorkerRegistration, PushError> {
    let window = web_sys::window().ok_or_else(|| text::PUSH_BROWSER_ERROR.to_owned())?;
    let container = window.navigator().service_worker();
    promise::<JsValue>(Ok(container.register("/sw.js"))).await?;
    promise(container.ready()).await
}

async fn manager() -> Result<PushManager, PushError> {
    registration()
        .await?
        .push_manager()
        .map_err(|_| text::PUSH_BROWSER_ERROR.to_owned())
}

async fn current(manager: &PushManager) -> Result<Option<PushSubscription>, PushError> {
    let value = JsFuture::from(
        manager
            .get_subscription()
            .map_err(|_| text::PUSH_BROWSER_ERROR.to_owned())?,
    )
    .await
    .map_err(|_| text::PUSH_BROWSER_ERROR.to_owned())?;
    Ok(value.dyn_into::<PushSubscription>().ok())
}

/// The state of this browser, as far as it can tell without asking the user anything.
pub async fn state() -> PushState {
    if !supported() {
        return PushState::Unsupported;
    }
    if permission() == NotificationPermission::Denied {
        return PushState::Denied;
    }
    if permission() != NotificationPermission::Granted {
        return PushState::Off;
    }
    match manager().await {
        Ok(manager) => match current(&manager).await {
            Ok(Some(_)) => PushState::On,
            _ => PushState::Off,
        },
        Err(_) => PushState::Off,
    }
}

/// Asks for permission, subscribes with the server's VAPID key and tells the server.
pub async fn turn_on() -> Result<PushState, PushError> {
    let asked = promise::<JsValue>(web_sys::Notification::request_permission()).await?;
    if asked.as_string().as_deref() == Some("denied") {
        return Ok(PushState::Denied);
    }
    if permission() != NotificationPermission::Granted {
        return Ok(PushState::Off);
    }
    let key = api::vapid_public_key().await.map_err(|e| e.message())?;
    let mut key_bytes =
        base64url_decode(&key.public_key).ok_or_else(|| text::PUSH_BROWSER_ERROR.to_owned())?;
    let manager = manager().await?;
    let options = PushSubscriptionOptionsInit::new();
    // Chrome refuses silent pushes: every message shows a notification.
    options.set_user_visible_only(true);
    options.set_application_server_key_opt_u8_slice(Some(&mut key_bytes));
    let subscription: PushSubscription = promise(manager.subscribe_with_options(&options)).await?;
    let json = subscription
        .to_json()
        .ok()
        .and_then(|j| js_sys::JSON::stringify(&j).ok())
        .and_then(|s| s.as_string())
        .ok_or_else(|| text::PUSH_BROWSER_ERROR.to_owned())?;
    let body: PushSubscriptionRequest =
        serde_json::from_str(&json).map_err(|_| text::PUSH_BROWSER_ERROR.to_owned())?;
    if let Err(e) = api::push_subscribe(&body).await {
        // The server did not take it: leave the browser as it was.
        let _ = subscription.unsubscribe().map(JsFuture::from);
        return Err(e.message());
    }
    Ok(PushState::On)
}

/// Unsubscribes this browser and tells the server to forget it.
pub async fn turn_off() -> Result<PushState, PushError> {
    let manager = manager().await?;
    if let Some(subscription) = current(&manager).await? {
        let endpoint = subscription.endpoint();
        promise::<JsValue>(subscription.unsubscribe()).await?;
        api::push_unsubscribe(&PushUnsubscribeRequest { endpoint })
            .await
            .map_err(|e| e.message())?;
    }
    Ok(PushState::Off)
}

/// The server's key arrives base64url without padding; `atob` wants standard base64.
fn base64url_decode(encoded: &str) -> Option<Vec<u8>> {
    let mut standard: String = encoded
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    let binary = web_sys::window()?.atob(&standard).ok()?;
    binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}
