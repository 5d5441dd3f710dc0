//! The event log: its auto-increment id is the global `seq` of WebSocket frames, so the
//! database (not a server process) orders events.

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
                    .table(Events::Table)
                    .col(big_pk_auto(Events::Id))
                    .col(timestamp_with_time_zone(Events::At))
                    .col(string_len(Events::Kind, 40))
                    .col(big_integer_null(Events::ContactId))
                    .col(text(Events::Payload))
                    .col(text(Events::Audience))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_contact")
                    .table(Events::Table)
                    .col(Events::ContactId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Events::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    At,
    Kind,
    ContactId,
    Payload,
    Audience,
}
