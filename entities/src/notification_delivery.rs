use sea_orm::entity::prelude::*;

pub const STATUS_PENDING: &str = "pending";
pub const STATUS_SENT: &str = "sent";
pub const STATUS_FAILED: &str = "failed";
/// Nothing to send to (no email address, no browser subscribed); `last_error` says why.
pub const STATUS_SKIPPED: &str = "skipped";

/// One message to send: an event × recipient × channel, unique by `idempotency_key`
/// (`{event_seq}:{recipient_id}:{channel}`). `title` and `body` are rendered without
/// the contact's name, which stays a `{{contact.name}}` placeholder until delivery.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rule_id: i64,
    pub event_seq: i64,
    pub contact_id: Option<i64>,
    pub recipient_id: i64,
    pub channel: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub link: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
