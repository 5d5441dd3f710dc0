//! The sidebar's entries, in one list. A new screen only needs a line here with the
//! permission that unlocks it.

use api_types::UserDto;
use api_types::permissions::USERS_MANAGE;

use crate::app::Route;
use crate::text;

pub enum NavTarget {
    /// A screen of this app, reached without reloading.
    Route(Route),
    /// A page served by the server itself.
    Href(&'static str),
}

pub struct NavEntry {
    /// Stable name for the `data-nav` attribute (tests and styling).
    pub key: &'static str,
    pub label: &'static str,
    pub target: NavTarget,
    /// `None`: every signed-in user sees the entry.
    pub permission: Option<&'static str>,
}

pub const ENTRIES: &[NavEntry] = &[
    NavEntry {
        key: "home",
        label: text::NAV_HOME,
        target: NavTarget::Route(Route::Home),
        permission: None,
    },
    NavEntry {
        key: "profile",
        label: text::NAV_PROFILE,
        target: NavTarget::Route(Route::Profile),
        permission: None,
    },
    NavEntry {
        key: "api-docs",
        label: text::NAV_API_DOCS,
        target: NavTarget::Href("/api/docs"),
        permission: Some(USERS_MANAGE),
    },
];

pub fn visible_to(user: &UserDto) -> impl Iterator<Item = &'static NavEntry> + '_ {
    ENTRIES
        .iter()
        .filter(|entry| entry.permission.is_none_or(|code| user.can(code)))
}
