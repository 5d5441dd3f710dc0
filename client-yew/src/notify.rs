//! Desktop notifications of new contacts for a Sales who is on another tab. The choice
//! is kept in localStorage, so it survives reloads and is per browser.

use web_sys::{Notification, NotificationOptions, NotificationPermission};

use crate::text;
use crate::ws::NewContact;

const KEY: &str = "ankhang.notify_new";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn enabled() -> bool {
    storage().and_then(|s| s.get_item(KEY).ok()?).as_deref() == Some("1")
}

/// Remembers the choice; turning it on asks for the browser's permission (once).
pub fn set_enabled(on: bool) {
    if let Some(storage) = storage() {
        // Private windows may refuse storage: the box then only lasts this page.
        let _ = if on {
            storage.set_item(KEY, "1")
        } else {
            storage.remove_item(KEY)
        };
    }
    if on && Notification::permission() == NotificationPermission::Default {
        // The answer is read when a contact arrives; nothing to wait for here.
        let _ = Notification::request_permission();
    }
}

/// Shows a notification when asked for, allowed, and the page is not in view (in view,
/// the highlighted row says it already).
pub fn new_contact(contact: &NewContact) {
    let hidden = web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.hidden());
    if !hidden || !enabled() || Notification::permission() != NotificationPermission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(&text::new_contact_body(&contact.code, &contact.full_name));
    options.set_tag("ankhang-new-contact");
    let _ = Notification::new_with_options(text::NEW_CONTACT_TITLE, &options);
}
