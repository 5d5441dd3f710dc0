use sea_orm::entity::prelude::*;

/// A ZNS template registered with Zalo, as admins describe it here.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "zalo_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub zalo_template_id: String,
    pub name: String,
    /// JSON list of `{"name","sample"}`.
    #[sea_orm(column_type = "Text")]
    pub params: String,
    pub enabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
