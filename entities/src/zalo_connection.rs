use sea_orm::entity::prelude::*;

/// The single row's id: the firm has one Zalo OA.
pub const ID: i64 = 1;
pub const STATUS_CONNECTED: &str = "connected";
/// Zalo refused the refresh token (revoked, expired): an admin must connect again.
pub const STATUS_NEEDS_RECONNECT: &str = "needs_reconnect";

/// The firm's Zalo OA connection. Tokens are sealed; `version` counts rotations and
/// guards every write of a new pair.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "zalo_connections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub status: String,
    pub oa_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub scopes: String,
    #[sea_orm(column_type = "Text")]
    pub tokens_sealed: String,
    pub access_expires_at: DateTimeUtc,
    pub version: i32,
    pub refreshing_until: Option<DateTimeUtc>,
    pub connected_by: Option<i64>,
    pub connected_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
