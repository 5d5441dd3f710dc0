//! Row-level security (SRS 5.2.2): the one place that decides which contacts a user
//! may see and whose personal data is shown unmasked. Every read path filters with
//! `condition`; nothing else decides visibility.

use entities::contact;
use sea_orm::{ColumnTrait, Condition};

use super::status::{CARE_CODES, Status};
use crate::{auth::current_user::AuthUser, error::ApiError, permissions::Grants};

pub use api_types::permissions::{
    CONTACTS_VIEW as VIEW, CONTACTS_VIEW_ALL as VIEW_ALL, CONTACTS_VIEW_FAILED as VIEW_FAILED,
};

/// Admins: everything. `contacts.view` (Sales, operators): the pool, what is assigned
/// to them and what they created. `contacts.view_failed` (CSKH): failed and care
/// contacts. Anyone else may see no contact at all.
pub fn condition(caller: &AuthUser) -> Result<Condition, ApiError> {
    let grants = &caller.grants;
    if grants.has(VIEW_ALL) {
        return Ok(Condition::all());
    }
    let me = caller.user.id;
    let mut any = Condition::any();
    let mut granted = false;
    if grants.has(VIEW) {
        granted = true;
        any = any
            .add(contact::Column::Status.eq(Status::New.code()))
            .add(contact::Column::AssigneeId.eq(me))
            .add(contact::Column::CreatedBy.eq(me));
    }
    if grants.has(VIEW_FAILED) {
        granted = true;
        any = any.add(contact::Column::Status.is_in(CARE_CODES));
    }
    if granted {
        Ok(any)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// A contact's fields that decide who sees it, kept with events so a socket's audience
/// is decided like a query would.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContactState {
    pub status: String,
    pub assignee_id: Option<i64>,
    pub created_by: i64,
}

impl From<&contact::Model> for ContactState {
    fn from(row: &contact::Model) -> Self {
        Self {
            status: row.status.clone(),
            assignee_id: row.assignee_id,
            created_by: row.created_by,
        }
    }
}

/// The in-memory twin of [`condition`], for fan-out: same rules, same order.
pub fn sees(grants: &Grants, user_id: i64, state: &ContactState) -> bool {
    if grants.has(VIEW_ALL) {
        return true;
    }
    let by_view = grants.has(VIEW)
        && (state.status == Status::New.code()
            || state.assignee_id == Some(user_id)
            || state.created_by == user_id);
    let by_care = grants.has(VIEW_FAILED) && CARE_CODES.contains(&state.status.as_str());
    by_view || by_care
}

/// X-MASK: a lead's phone and email stay hidden until the viewer holds it, created it,
/// cares for it, or sees everything.
pub fn reveals(caller: &AuthUser, row: &contact::Model) -> bool {
    let me = caller.user.id;
    caller.grants.has(VIEW_ALL)
        || row.assignee_id == Some(me)
        || row.created_by == me
        || (caller.grants.has(VIEW_FAILED)
            && Status::parse(&row.status).is_some_and(Status::in_care))
}

/// `0912345678` → `09******78`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 4))
}

/// `an.nguyen@gmail.com` → `a***@gmail.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask_phone("0912345678"), "09******78");
        assert_eq!(mask_phone("02838234567"), "02*******67");
        assert_eq!(mask_email("an.nguyen@gmail.com"), "a***@gmail.com");
    }
}
