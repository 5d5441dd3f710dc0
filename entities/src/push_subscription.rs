use sea_orm::entity::prelude::*;

/// One browser's Web Push subscription. The endpoint and its keys are personal data:
/// they rest sealed in `subscription_sealed`; `endpoint_index` is a keyed hash that
/// finds the row again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "push_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[sea_orm(unique)]
    pub endpoint_index: String,
    #[sea_orm(column_type = "Text")]
    pub subscription_sealed: String,
    pub created_at: DateTimeUtc,
    pub last_success_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
