use sea_orm::entity::prelude::*;

/// One payment-status change of a deal (the first row is the status it opened with).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub deal_id: i64,
    pub from_status: Option<String>,
    pub to_status: String,
    /// Sealed under the contact's data key.
    #[sea_orm(column_type = "Text", nullable)]
    pub note_enc: Option<String>,
    pub changed_by: i64,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
