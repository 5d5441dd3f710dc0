//! Notifications (SPEC.md NOTI): admins' rules, the matcher's cursor over the event
//! log, the delivery outbox (one row per event × recipient × channel under a unique
//! key) and the in-app inbox.

use sea_orm_migration::{prelude::*, schema::*};

use crate::portable::PortableTables;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_portable_table(
                Table::create()
                    .table(NotificationRules::Table)
                    .col(big_pk_auto(NotificationRules::Id))
                    .col(string_len(NotificationRules::Name, 160))
                    .col(string_len(NotificationRules::Trigger, 40))
                    .col(text(NotificationRules::Conditions))
                    .col(text(NotificationRules::Channels))
                    .col(text(NotificationRules::TemplateTitle))
                    .col(text(NotificationRules::TemplateBody))
                    .col(boolean(NotificationRules::Enabled).default(true))
                    .col(big_integer(NotificationRules::CreatedBy))
                    .col(timestamp_with_time_zone(NotificationRules::CreatedAt))
                    .col(timestamp_with_time_zone(NotificationRules::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_rules_trigger")
                    .table(NotificationRules::Table)
                    .col(NotificationRules::Trigger)
                    .to_owned(),
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(NotificationCursor::Table)
                    .col(integer(NotificationCursor::Id).primary_key())
                    .col(big_integer(NotificationCursor::LastSeq))
                    .to_owned(),
            )
            .await?;
        // Start after the events already logged: rules written from now on apply to
        // what happens from now on, and an existing log is not scanned at start-up.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO notification_cursor (id, last_seq) \
                 SELECT 1, COALESCE(MAX(id), 0) FROM events",
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(NotificationDeliveries::Table)
                    .col(big_pk_auto(NotificationDeliveries::Id))
                    .col(big_integer(NotificationDeliveries::RuleId))
                    .col(big_integer(NotificationDeliveries::EventSeq))
                    .col(big_integer_null(NotificationDeliveries::ContactId))
                    .col(big_integer(NotificationDeliveries::RecipientId))
                    .col(string_len(NotificationDeliveries::Channel, 20))
                    .col(string_len_uniq(NotificationDeliveries::IdempotencyKey, 80))
                    .col(string_len(NotificationDeliveries::Status, 12))
                    .col(integer(NotificationDeliveries::Attempts).default(0))
                    .col(timestamp_with_time_zone(
                        NotificationDeliveries::NextAttemptAt,
                    ))
                    .col(text_null(NotificationDeliveries::LastError))
                    .col(text(NotificationDeliveries::Title))
                    .col(text(NotificationDeliveries::Body))
                    .col(string_len_null(NotificationDeliveries::Link, 200))
                    .col(timestamp_with_time_zone(NotificationDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        NotificationDeliveries::SentAt,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_notification_deliveries_due",
                [
                    NotificationDeliveries::Status,
                    NotificationDeliveries::NextAttemptAt,
                ],
            ),
            (
                "idx_notification_deliveries_rule",
                [NotificationDeliveries::RuleId, NotificationDeliveries::Id],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(NotificationDeliveries::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }

        manager
            .create_portable_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_pk_auto(Notifications::Id))
                    .col(big_integer(Notifications::UserId))
                    .col(big_integer_null(Notifications::DeliveryId))
                    .col(big_integer_null(Notifications::ContactId))
                    .col(text(Notifications::Title))
                    .col(text(Notifications::Body))
                    .col(string_len_null(Notifications::Link, 200))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .to_owned(),
            )
            .await?;
        // One inbox row per delivery, so delivering twice writes it once.
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_delivery")
                    .table(Notifications::Table)
                    .col(Notifications::DeliveryId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_user")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::ReadAt)
                    .col(Notifications::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notifications::Table.into_iden(),
            NotificationDeliveries::Table.into_iden(),
            NotificationCursor::Table.into_iden(),
            NotificationRules::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum NotificationRules {
    Table,
    Id,
    Name,
    Trigger,
    Conditions,
    Channels,
    TemplateTitle,
    TemplateBody,
    Enabled,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotificationCursor {
    Table,
    Id,
    LastSeq,
}

#[derive(DeriveIden, Clone, Copy)]
enum NotificationDeliveries {
    Table,
    Id,
    RuleId,
    EventSeq,
    ContactId,
    RecipientId,
    Channel,
    IdempotencyKey,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    Title,
    Body,
    Link,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    DeliveryId,
    ContactId,
    Title,
    Body,
    Link,
    CreatedAt,
    ReadAt,
}
