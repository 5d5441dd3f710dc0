use sea_orm::entity::prelude::*;

/// An admin's notification rule: when `trigger` happens and the event passes the
/// filters in `conditions` (JSON), render the templates for each recipient and deliver
/// them on `channels` (JSON list).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub trigger: String,
    #[sea_orm(column_type = "Text")]
    pub conditions: String,
    #[sea_orm(column_type = "Text")]
    pub channels: String,
    #[sea_orm(column_type = "Text")]
    pub template_title: String,
    #[sea_orm(column_type = "Text")]
    pub template_body: String,
    pub enabled: bool,
    /// What the rule's customer channels (`zalo`, `facebook`) send to the contact,
    /// as JSON (`api_types::CustomerMessages`); NULL when it names none.
    #[sea_orm(column_type = "Text", nullable)]
    pub customer_messages: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
