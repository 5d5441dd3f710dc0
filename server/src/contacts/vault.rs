//! A contact's personal fields under its own data key, and the blind indexes that
//! keep them searchable.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entities::{contact, contact_key, contact_name_token};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::{
    crypto::{
        blind::{self, BlindIndex},
        envelope::{DataKey, Kek},
    },
    keys::Keys,
};

/// Shown where a contact's data key was destroyed (anonymised contact).
pub const ERASED: &str = "[đã xoá]";

pub struct Vault {
    pub kek: Kek,
    blind: BlindIndex,
}

/// The personal fields in clear, only ever in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Personal {
    pub full_name: String,
    pub phone: String,
    pub email: Option<String>,
    pub note: Option<String>,
}

/// The same fields sealed for the `contacts` row.
pub struct Sealed {
    pub full_name: String,
    pub phone: String,
    pub email: Option<String>,
    pub note: Option<String>,
}

impl Vault {
    pub fn new(keys: &Keys) -> Self {
        Self {
            kek: Kek::from_keys(keys),
            blind: BlindIndex::new(*keys.derive("blind-index/v1").expose_secret()),
        }
    }

    pub fn phone_index(&self, phone: &str) -> String {
        self.blind.phone(phone)
    }

    pub fn name_tokens(&self, name: &str) -> Vec<String> {
        self.blind.name_tokens(name)
    }

    /// Blind indexes of the words of a search box, to match all of them.
    pub fn query_tokens(&self, query: &str) -> Vec<String> {
        blind::words(query)
            .iter()
            .flat_map(|w| self.blind.name_tokens(w))
            .collect()
    }

    pub fn seal(&self, key: &DataKey, personal: &Personal) -> Sealed {
        Sealed {
            full_name: key.seal("contact.full_name", &personal.full_name),
            phone: key.seal("contact.phone", &personal.phone),
            email: personal
                .email
                .as_ref()
                .map(|e| key.seal("contact.email", e)),
            note: personal.note.as_ref().map(|n| key.seal("contact.note", n)),
        }
    }

    /// Opens a row's personal fields; `None` key (erased) shows the erased marker, and
    /// the contact's code in place of its name.
    pub fn open(&self, key: Option<&DataKey>, row: &contact::Model) -> Personal {
        let open = |field: &str, sealed: &str| {
            key.and_then(|k| k.open(field, sealed).ok())
                .unwrap_or_else(|| ERASED.to_owned())
        };
        Personal {
            full_name: match key {
                Some(_) => open("contact.full_name", &row.full_name_enc),
                None => row.code.clone(),
            },
            phone: open("contact.phone", &row.phone_enc),
            email: row.email_enc.as_ref().map(|e| open("contact.email", e)),
            note: row.note_enc.as_ref().map(|n| open("contact.note", n)),
        }
    }

    /// Stores a new contact's wrapped data key.
    pub async fn store_key(
        &self,
        conn: &impl ConnectionTrait,
        contact_id: i64,
        key: &DataKey,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        contact_key::Entity::insert(self.key_row(contact_id, key, now))
            .exec_without_returning(conn)
            .await?;
        Ok(())
    }

    /// A contact's data key wrapped for storage (bulk loads insert many at once).
    pub fn key_row(
        &self,
        contact_id: i64,
        key: &DataKey,
        now: DateTime<Utc>,
    ) -> contact_key::ActiveModel {
        contact_key::ActiveModel {
            contact_id: Set(contact_id),
            wrapped_key: Set(self.kek.wrap(key)),
            kek_id: Set(self.kek.id.clone()),
            created_at: Set(now),
        }
    }

    pub async fn key_for(
        &self,
        conn: &impl ConnectionTrait,
        contact_id: i64,
    ) -> Result<Option<DataKey>, DbErr> {
        Ok(self
            .keys_for(conn, &[contact_id])
            .await?
            .remove(&contact_id))
    }

    pub async fn keys_for(
        &self,
        conn: &impl ConnectionTrait,
        contact_ids: &[i64],
    ) -> Result<HashMap<i64, DataKey>, DbErr> {
        let rows = contact_key::Entity::find()
            .filter(contact_key::Column::ContactId.is_in(contact_ids.to_vec()))
            .all(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| match self.kek.unwrap(&row.wrapped_key) {
                Ok(key) => Some((row.contact_id, key)),
                Err(err) => {
                    tracing::error!(contact_id = row.contact_id, %err, "cannot unwrap data key");
                    None
                }
            })
            .collect())
    }

    /// Replaces the name's blind-index tokens.
    pub async fn index_name(
        &self,
        conn: &impl ConnectionTrait,
        contact_id: i64,
        name: &str,
    ) -> Result<(), DbErr> {
        contact_name_token::Entity::delete_many()
            .filter(contact_name_token::Column::ContactId.eq(contact_id))
            .exec(conn)
            .await?;
        let tokens = self.name_tokens(name);
        if tokens.is_empty() {
            return Ok(());
        }
        contact_name_token::Entity::insert_many(tokens.into_iter().map(|token| {
            contact_name_token::ActiveModel {
                contact_id: Set(contact_id),
                token: Set(token),
            }
        }))
        .exec_without_returning(conn)
        .await?;
        Ok(())
    }
}

/// Personal data copied into an audit entry: sealed under the contact's key, so
/// destroying the key later makes the copy unreadable while the hash chain, which
/// covers the ciphertext, still verifies.
pub fn audit_personal(key: &DataKey, personal: &Personal) -> Value {
    let seal =
        |field: &str, value: &str| json!({ "sealed": key.seal(&format!("audit.{field}"), value) });
    json!({
        "full_name": seal("full_name", &personal.full_name),
        "phone": seal("phone", &personal.phone),
        "email": personal.email.as_deref().map(|e| seal("email", e)),
        "note": personal.note.as_deref().map(|n| seal("note", n)),
    })
}

/// Shown instead of personal values the viewer may not see.
pub const HIDDEN: &str = "***";

/// Replaces `{"sealed": …}` values of an audit entry with their plaintext, or with
/// `unreadable` (`ERASED` when the key is gone, `HIDDEN` for a masked viewer).
pub fn reveal_audit(value: &mut Value, key: Option<&DataKey>, unreadable: &str) {
    match value {
        Value::Object(map) => {
            for (field, inner) in map.iter_mut() {
                let sealed = inner
                    .get("sealed")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                match sealed {
                    Some(sealed) => {
                        let clear = key
                            .and_then(|k| k.open(&format!("audit.{field}"), &sealed).ok())
                            .unwrap_or_else(|| unreadable.to_owned());
                        *inner = Value::String(clear);
                    }
                    None => reveal_audit(inner, key, unreadable),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| reveal_audit(v, key, unreadable)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_copies_open_with_the_key_and_read_as_erased_without_it() {
        let key = DataKey::generate();
        let personal = Personal {
            full_name: "Trần Thị Bích".into(),
            phone: "0912345678".into(),
            email: None,
            note: Some("Cần gọi lại".into()),
        };
        let mut stored = json!({ "status": "new", "personal": audit_personal(&key, &personal) });
        assert!(!stored.to_string().contains("0912345678"));
        let mut erased = stored.clone();
        reveal_audit(&mut stored, Some(&key), ERASED);
        assert_eq!(stored["personal"]["phone"], "0912345678");
        assert_eq!(stored["status"], "new");
        reveal_audit(&mut erased, None, ERASED);
        assert_eq!(erased["personal"]["full_name"], ERASED);
    }
}
