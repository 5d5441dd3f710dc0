use sea_orm::entity::prelude::*;

/// A won contact's contract: amounts in integer VND, computed by the server.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    #[sea_orm(unique)]
    pub contact_id: i64,
    pub closer_id: i64,
    pub team_id: Option<i64>,
    pub coupon_id: Option<i64>,
    /// The coupon's kind and value when it was applied.
    pub coupon_kind: Option<String>,
    pub coupon_value: Option<i64>,
    pub subtotal: i64,
    pub discount: i64,
    pub total: i64,
    /// `pending` | `partial` | `paid` | `refunded`.
    pub payment_status: String,
    pub closed_on: Date,
    /// Sealed under the contact's data key.
    #[sea_orm(column_type = "Text", nullable)]
    pub note_enc: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
