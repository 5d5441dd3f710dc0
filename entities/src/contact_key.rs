use sea_orm::entity::prelude::*;

/// A contact's data key, wrapped by the key-encryption key `kek_id`. Deleting this row
/// destroys every copy of the contact's personal data (crypto-shredding).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contact_id: i64,
    #[sea_orm(column_type = "Text")]
    pub wrapped_key: String,
    pub kek_id: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
