//! Desktop notifications of new contacts for a Sale who is on another tab.

use web_sys::{Notification, NotificationOptions, NotificationPermission};

use crate::prefs::Pref;
use crate::text;
use crate::ws::NewContact;

/// Asks for the browser's permission (once; later answers are remembered by it).
pub fn ask_permission() {
    if Notification::permission() == NotificationPermission::Default {
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
    if !hidden
        || !Pref::DesktopNotice.enabled()
        || Notification::permission() != NotificationPermission::Granted
    {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(&text::new_contact_body(&contact.code, &contact.full_name));
    options.set_tag("ankhang-new-contact");
    let _ = Notification::new_with_options(text::NEW_CONTACT_TITLE, &options);
}
