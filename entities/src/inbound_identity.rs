use sea_orm::entity::prelude::*;

/// A Facebook PSID or Zalo user id that wrote to us, sealed, with the contact it is
/// tied to once known. `identity_index` is a keyed hash of channel and id.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_identities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: String,
    #[sea_orm(unique)]
    pub identity_index: String,
    #[sea_orm(column_type = "Text")]
    pub identity_sealed: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub display_name_sealed: Option<String>,
    pub contact_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
