//! Permission codes the contact screens test that `api_types::permissions` does not
//! name yet; the server checks the same strings.

pub const CONTACTS_EDIT: &str = "contacts.edit";
pub const CONTACTS_UPDATE_STATUS: &str = "contacts.update_status";
pub const CONTACTS_REASSIGN: &str = "contacts.reassign";
pub const SERVICE_TYPES_MANAGE: &str = "service_types.manage";
