//! Permission codes that clients test to show or hide screens. The catalogue itself
//! is data in the database; these are the codes the shell's navigation refers to.

pub const CONTACTS_VIEW: &str = "contacts.view";
pub const CONTACTS_CREATE: &str = "contacts.create";
pub const CONTACTS_PICK: &str = "contacts.pick";
pub const CONTACTS_VIEW_FAILED: &str = "contacts.view_failed";
pub const DEALS_VIEW: &str = "deals.view";
pub const PRODUCTS_MANAGE: &str = "products.manage";
pub const COUPONS_MANAGE: &str = "coupons.manage";
pub const TEAMS_MANAGE: &str = "teams.manage";
pub const USERS_MANAGE: &str = "users.manage";
pub const ROLES_MANAGE: &str = "roles.manage";
pub const REPORTS_VIEW: &str = "reports.view";
pub const LOGS_VIEW: &str = "logs.view";
pub const NOTIFICATIONS_MANAGE: &str = "notifications.manage";
