//! Permission codes that clients and the server's row-level scope refer to by name.
//! The catalogue itself is data in the database; these are the codes code depends on.

pub const CONTACTS_VIEW: &str = "contacts.view";
pub const CONTACTS_VIEW_ALL: &str = "contacts.view_all";
pub const CONTACTS_VIEW_FAILED: &str = "contacts.view_failed";
pub const CONTACTS_CREATE: &str = "contacts.create";
pub const CONTACTS_EDIT: &str = "contacts.edit";
pub const CONTACTS_PICK: &str = "contacts.pick";
pub const CONTACTS_UPDATE_STATUS: &str = "contacts.update_status";
pub const CONTACTS_REASSIGN: &str = "contacts.reassign";
pub const CONTACTS_EXPORT: &str = "contacts.export";
pub const CONTACTS_ANONYMIZE: &str = "contacts.anonymize";
pub const SERVICE_TYPES_MANAGE: &str = "service_types.manage";
pub const TEAMS_MANAGE: &str = "teams.manage";
pub const USERS_MANAGE: &str = "users.manage";
pub const ROLES_MANAGE: &str = "roles.manage";
pub const DEALS_VIEW: &str = "deals.view";
pub const DEALS_VIEW_ALL: &str = "deals.view_all";
pub const DEALS_CREATE: &str = "deals.create";
pub const DEALS_EDIT: &str = "deals.edit";
pub const PRODUCTS_MANAGE: &str = "products.manage";
pub const COUPONS_MANAGE: &str = "coupons.manage";
pub const COUPONS_USE: &str = "coupons.use";
pub const REPORTS_VIEW: &str = "reports.view";
pub const LOGS_VIEW: &str = "logs.view";
pub const NOTIFICATIONS_MANAGE: &str = "notifications.manage";
pub const NOTIFICATIONS_RECEIVE: &str = "notifications.receive";
pub const CONTACTS_IMPORT: &str = "contacts.import";
pub const DATA_EXPORT_ALL: &str = "data.export_all";
pub const DATA_RETENTION: &str = "data.retention";
pub const CHANNELS_MANAGE: &str = "channels.manage";
pub const ZALO_SEND: &str = "zalo.send";
