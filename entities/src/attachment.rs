use sea_orm::entity::prelude::*;

/// A file attached to a contact (`deal_id` empty) or to one of its deals. The name and
/// the per-file key are sealed with the contact's data key; the bytes live encrypted
/// in `attachments/<storage_name>` under the data directory.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub file_name_enc: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the plaintext, checked on every download.
    pub sha256: String,
    #[sea_orm(unique)]
    pub storage_name: String,
    #[sea_orm(column_type = "Text")]
    pub file_key_enc: String,
    pub uploaded_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
