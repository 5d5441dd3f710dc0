use sea_orm::entity::prelude::*;

/// A lead. Personal fields (`*_enc`) are AES-256-GCM ciphertexts under the contact's
/// own data key (`contact_keys`); `phone_index` is a keyed blind index of the phone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub full_name_enc: String,
    #[sea_orm(column_type = "Text")]
    pub phone_enc: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub email_enc: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note_enc: Option<String>,
    pub phone_index: String,
    pub service_type_id: i64,
    pub source: String,
    pub team_id: Option<i64>,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub picked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
