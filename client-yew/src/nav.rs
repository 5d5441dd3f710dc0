//! The sidebar's entries, in one list. A new screen only needs a line here with the
//! permission that unlocks it.

use api_types::UserDto;
use api_types::permissions::{
    CONTACTS_VIEW, CONTACTS_VIEW_FAILED, COUPONS_MANAGE, DEALS_VIEW, LOGS_VIEW, PRODUCTS_MANAGE,
    ROLES_MANAGE, TEAMS_MANAGE, USERS_MANAGE,
};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::text;
use api_types::permissions::NOTIFICATIONS_MANAGE;
use api_types::permissions::{CHANNELS_MANAGE, ZALO_SEND};
use api_types::permissions::{CONTACTS_IMPORT, SERVICE_TYPES_MANAGE};

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
        key: "contacts",
        label: text::NAV_CONTACTS,
        target: NavTarget::Route(Route::Contacts),
        permission: Some(CONTACTS_VIEW),
    },
    NavEntry {
        key: "care",
        label: text::NAV_CARE,
        target: NavTarget::Route(Route::Care),
        permission: Some(CONTACTS_VIEW_FAILED),
    },
    NavEntry {
        key: "deals",
        label: text::NAV_DEALS,
        target: NavTarget::Route(Route::Deals),
        permission: Some(DEALS_VIEW),
    },
    NavEntry {
        key: "products",
        label: text::NAV_PRODUCTS,
        target: NavTarget::Route(Route::Products),
        permission: Some(PRODUCTS_MANAGE),
    },
    NavEntry {
        key: "coupons",
        label: text::NAV_COUPONS,
        target: NavTarget::Route(Route::Coupons),
        permission: Some(COUPONS_MANAGE),
    },
    NavEntry {
        key: "employees",
        label: text::NAV_EMPLOYEES,
        target: NavTarget::Route(Route::Employees),
        permission: Some(USERS_MANAGE),
    },
    NavEntry {
        key: "teams",
        label: text::NAV_TEAMS,
        target: NavTarget::Route(Route::Teams),
        permission: Some(TEAMS_MANAGE),
    },
    NavEntry {
        key: "roles",
        label: text::NAV_ROLES,
        target: NavTarget::Route(Route::Roles),
        permission: Some(ROLES_MANAGE),
    },
    NavEntry {
        key: "service-types",
        label: text::NAV_SERVICE_TYPES,
        target: NavTarget::Route(Route::ServiceTypes),
        permission: Some(SERVICE_TYPES_MANAGE),
    },
    NavEntry {
        key: "audit",
        label: text::NAV_AUDIT,
        target: NavTarget::Route(Route::Audit),
        permission: Some(LOGS_VIEW),
    },
    NavEntry {
        key: "data",
        label: text::NAV_DATA,
        target: NavTarget::Route(Route::Data),
        permission: Some(CONTACTS_IMPORT),
    },
    NavEntry {
        key: "notification-rules",
        label: text::NAV_NOTIFICATION_RULES,
        target: NavTarget::Route(Route::NotificationRules),
        permission: Some(NOTIFICATIONS_MANAGE),
    },
    NavEntry {
        key: "notification-deliveries",
        label: text::NAV_NOTIFICATION_DELIVERIES,
        target: NavTarget::Route(Route::NotificationDeliveries),
        permission: Some(NOTIFICATIONS_MANAGE),
    },
    NavEntry {
        key: "zalo",
        label: text::NAV_ZALO,
        target: NavTarget::Route(Route::Zalo),
        permission: Some(CHANNELS_MANAGE),
    },
    NavEntry {
        key: "zalo-compose",
        label: text::NAV_ZALO_COMPOSE,
        target: NavTarget::Route(Route::ZaloCompose),
        permission: Some(ZALO_SEND),
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

/// `onclick` for a plain `<a href>` to an in-app route (where yew-router's `Link` cannot
/// carry the `data-*` attributes the screens need): navigates without reloading, but
/// leaves modified clicks to the browser so "open in new tab" still works.
pub fn follow(navigator: &Option<Navigator>, route: Route) -> Callback<MouseEvent> {
    follow_by(navigator, move |navigator| navigator.push(&route))
}

/// Like `follow`, for a route that takes a query (`/deals/new?contact=7`).
pub fn follow_with_query<Q>(
    navigator: &Option<Navigator>,
    route: Route,
    query: Q,
) -> Callback<MouseEvent>
where
    Q: serde::Serialize + 'static,
{
    follow_by(navigator, move |navigator| {
        // The queries here are plain numbers, which always serialise.
        let _ = navigator.push_with_query(&route, &query);
    })
}

fn follow_by(
    navigator: &Option<Navigator>,
    go: impl Fn(&Navigator) + 'static,
) -> Callback<MouseEvent> {
    let navigator = navigator.clone();
    Callback::from(move |event: MouseEvent| {
        if event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key() {
            return;
        }
        event.prevent_default();
        if let Some(navigator) = &navigator {
            go(navigator);
        }
    })
}

/// Opens a link the server wrote (a notification's `/contacts/12`,
/// `/notification-deliveries?status=failed&id=5`) without reloading the app; a path
/// this client has no screen for is ignored.
pub fn open_link(navigator: &Navigator, link: &str) {
    let (path, query) = link.split_once('?').unwrap_or((link, ""));
    let Some(route) = Route::recognize(path).filter(|r| *r != Route::NotFound) else {
        return;
    };
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), decoded(value)))
        .collect();
    if pairs.is_empty() {
        navigator.push(&route);
    } else {
        // Plain names and numbers always serialise.
        let _ = navigator.push_with_query(&route, &pairs);
    }
}

fn decoded(value: &str) -> String {
    js_sys::decode_uri_component(value)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| value.to_owned())
}
