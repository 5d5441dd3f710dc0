use sea_orm::entity::prelude::*;

/// A message from a sender not yet tied to a contact, sealed until a later message
/// names a phone and it moves into that contact's timeline.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_pending")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub identity_id: i64,
    pub message_id: i64,
    #[sea_orm(column_type = "Text")]
    pub content_sealed: String,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
