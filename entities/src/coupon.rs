use sea_orm::entity::prelude::*;

/// A discount code that only its assigned employees may apply, until it expires.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coupons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub description: Option<String>,
    /// `percent` | `fixed`.
    pub kind: String,
    pub value: i64,
    /// Last valid day (Vietnamese calendar).
    pub expires_on: Date,
    pub max_uses: Option<i32>,
    pub used_count: i32,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
