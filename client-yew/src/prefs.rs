//! Per-browser on/off choices of the live board (desktop notices, sound), kept in
//! localStorage so they survive reloads.

/// A choice the user can switch on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pref {
    /// Desktop notification of a new contact while the page is hidden.
    DesktopNotice,
    /// A short chime when a new contact arrives.
    Sound,
}

impl Pref {
    fn key(self) -> &'static str {
        match self {
            Self::DesktopNotice => "ankhang.notify_new",
            Self::Sound => "ankhang.sound_new",
        }
    }

    pub fn enabled(self) -> bool {
        storage()
            .and_then(|s| s.get_item(self.key()).ok()?)
            .as_deref()
            == Some("1")
    }

    /// Remembers the choice and does what switching it on needs (asking the browser's
    /// permission, unlocking audio while the click still counts as a user gesture).
    pub fn set(self, on: bool) {
        if let Some(storage) = storage() {
            // Private windows may refuse storage: the box then only lasts this page.
            let _ = if on {
                storage.set_item(self.key(), "1")
            } else {
                storage.remove_item(self.key())
            };
        }
        if on {
            match self {
                Self::DesktopNotice => crate::notify::ask_permission(),
                Self::Sound => crate::sound::chime(),
            }
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
