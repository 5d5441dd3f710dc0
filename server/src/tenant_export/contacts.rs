//! Contacts and their interactions, decrypted page by page (keyset on id), so a firm
//! of any size exports in bounded memory.

use std::{
    collections::HashMap,
    io::{Seek, Write},
};

use api_types::{SOURCES, STATUSES, label};
use entities::{contact, contact_interaction};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::{Archive, internal, tables::Names};
use crate::{
    contacts::{export::COLUMNS, interactions::CONTENT_AAD, vault::Vault},
    crypto::envelope::DataKey,
    error::ApiError,
    export::vietnam_time,
};

const PAGE: u64 = 500;

pub async fn write<W: Write + Seek>(
    db: &DatabaseConnection,
    vault: &Vault,
    names: &Names,
    archive: &mut Archive<W>,
) -> Result<(), ApiError> {
    // A ZIP is written one entry at a time: one pass per file.
    json_lines(db, vault, names, archive).await?;
    importable_csv(db, vault, names, archive).await?;
    interactions(db, vault, names, archive).await
}

/// The next page of contacts after `after`, with the data keys they still have.
async fn page(
    db: &DatabaseConnection,
    vault: &Vault,
    after: i64,
) -> Result<(Vec<contact::Model>, HashMap<i64, DataKey>), ApiError> {
    let rows = contact::Entity::find()
        .filter(contact::Column::Id.gt(after))
        .order_by_asc(contact::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let keys = vault.keys_for(db, &ids).await?;
    Ok((rows, keys))
}

async fn json_lines<W: Write + Seek>(
    db: &DatabaseConnection,
    vault: &Vault,
    names: &Names,
    archive: &mut Archive<W>,
) -> Result<(), ApiError> {
    const NAME: &str = "contacts.jsonl";
    archive.start(NAME)?;
    let mut after = 0;
    loop {
        let (rows, keys) = page(db, vault, after).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in &rows {
            let key = keys.get(&row.id);
            let personal = vault.open(key, row);
            let service_type = names.service_types.get(&row.service_type_id);
            archive.line(
                NAME,
                &json!({
                    "id": row.id,
                    "code": row.code,
                    "anonymized": key.is_none(),
                    "full_name": personal.full_name,
                    "phone": key.map(|_| personal.phone),
                    "email": key.and(personal.email),
                    "note": key.and(personal.note),
                    "service_type": service_type.map(|s| s.code.clone()),
                    "source": row.source,
                    "status": row.status,
                    "team": row.team_id.and_then(|t| names.teams.get(&t)),
                    "assignee": names.username(row.assignee_id),
                    "created_by": names.username(Some(row.created_by)),
                    "created_at": row.created_at.to_rfc3339(),
                    "updated_at": row.updated_at.to_rfc3339(),
                    "picked_at": row.picked_at.map(|t| t.to_rfc3339()),
                }),
            )?;
        }
    }
    Ok(())
}

/// The contacts list's own CSV columns, which `ankhang import` reads back. Anonymized
/// contacts have no phone left to import and stay in `contacts.jsonl` only.
async fn importable_csv<W: Write + Seek>(
    db: &DatabaseConnection,
    vault: &Vault,
    names: &Names,
    archive: &mut Archive<W>,
) -> Result<(), ApiError> {
    const NAME: &str = "khach-hang.csv";
    archive.start(NAME)?;
    archive.write("\u{feff}".as_bytes())?;
    let mut head = csv::Writer::from_writer(Vec::new());
    head.write_record(COLUMNS.iter().map(|c| c.title))
        .map_err(internal)?;
    archive.write(&head.into_inner().map_err(internal)?)?;
    let mut after = 0;
    loop {
        let (rows, keys) = page(db, vault, after).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let mut out = csv::Writer::from_writer(Vec::new());
        for row in &rows {
            let Some(key) = keys.get(&row.id) else {
                continue;
            };
            let p = vault.open(Some(key), row);
            out.write_record([
                row.code.clone(),
                p.full_name,
                p.phone,
                p.email.unwrap_or_default(),
                names
                    .service_types
                    .get(&row.service_type_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                label(SOURCES, &row.source).to_owned(),
                label(STATUSES, &row.status).to_owned(),
                row.team_id
                    .and_then(|t| names.teams.get(&t).cloned())
                    .unwrap_or_default(),
                names.full_name(row.assignee_id).unwrap_or_default(),
                names.full_name(Some(row.created_by)).unwrap_or_default(),
                vietnam_time(row.created_at),
                row.picked_at.map(vietnam_time).unwrap_or_default(),
                p.note.unwrap_or_default(),
            ])
            .map_err(internal)?;
            archive.count(NAME);
        }
        archive.write(&out.into_inner().map_err(internal)?)?;
    }
    Ok(())
}

async fn interactions<W: Write + Seek>(
    db: &DatabaseConnection,
    vault: &Vault,
    names: &Names,
    archive: &mut Archive<W>,
) -> Result<(), ApiError> {
    const NAME: &str = "interactions.jsonl";
    archive.start(NAME)?;
    let mut after = 0;
    loop {
        let rows = contact_interaction::Entity::find()
            .filter(contact_interaction::Column::Id.gt(after))
            .order_by_asc(contact_interaction::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let mut contact_ids: Vec<i64> = rows.iter().map(|r| r.contact_id).collect();
        contact_ids.sort_unstable();
        contact_ids.dedup();
        let keys = vault.keys_for(db, &contact_ids).await?;
        for row in &rows {
            let content = keys
                .get(&row.contact_id)
                .and_then(|k| k.open(CONTENT_AAD, &row.content_enc).ok());
            archive.line(
                NAME,
                &json!({
                    "id": row.id,
                    "contact_id": row.contact_id,
                    "kind": row.kind,
                    "content": content,
                    "author": names.username(Some(row.author_id)),
                    "created_at": row.created_at.to_rfc3339(),
                }),
            )?;
        }
    }
    Ok(())
}
