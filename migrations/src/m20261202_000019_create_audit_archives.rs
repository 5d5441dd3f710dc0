//! Audit entries past the retention period move to compressed files; each file is
//! listed here with the chain links at its two ends and its digest, so the chain still
//! verifies from the first archived entry to the newest one in the database.

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
                    .table(AuditArchives::Table)
                    .col(big_pk_auto(AuditArchives::Id))
                    .col(string_len_uniq(AuditArchives::FileName, 120))
                    .col(big_integer(AuditArchives::FirstEntryId))
                    .col(big_integer(AuditArchives::LastEntryId))
                    .col(big_integer(AuditArchives::Entries))
                    .col(timestamp_with_time_zone(AuditArchives::FirstAt))
                    .col(timestamp_with_time_zone(AuditArchives::LastAt))
                    .col(string_len(AuditArchives::PrevHash, 64))
                    .col(string_len(AuditArchives::LastHash, 64))
                    .col(string_len(AuditArchives::FileSha256, 64))
                    .col(timestamp_with_time_zone(AuditArchives::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditArchives::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditArchives {
    Table,
    Id,
    FileName,
    FirstEntryId,
    LastEntryId,
    Entries,
    FirstAt,
    LastAt,
    PrevHash,
    LastHash,
    FileSha256,
    CreatedAt,
}
