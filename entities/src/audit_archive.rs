use sea_orm::entity::prelude::*;

/// One compressed file of archived audit entries (`data/archive/…jsonl.gz`): the
/// range it holds, the chain links at its ends and the file's SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_archives")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub file_name: String,
    pub first_entry_id: i64,
    pub last_entry_id: i64,
    pub entries: i64,
    pub first_at: DateTimeUtc,
    pub last_at: DateTimeUtc,
    /// The link the first archived entry continues from.
    pub prev_hash: String,
    /// The last archived entry's hash: where the database's chain now starts.
    pub last_hash: String,
    pub file_sha256: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
