//! Attachments (SRS 4.13: ID cards, contracts) on a contact or on one of its deals.
//! The file itself lives encrypted under `ANKHANG_DATA_DIR/attachments/`; the row holds
//! its per-file key wrapped by the contact's data key, so destroying that data key
//! (anonymisation) leaves every file of the contact unreadable.

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
                    .table(Attachments::Table)
                    .col(big_pk_auto(Attachments::Id))
                    // Always the owning contact, also for a deal's files: its data key
                    // wraps the file key.
                    .col(big_integer(Attachments::ContactId))
                    .col(big_integer_null(Attachments::DealId))
                    .col(text(Attachments::FileNameEnc))
                    .col(string_len(Attachments::ContentType, 100))
                    .col(big_integer(Attachments::SizeBytes))
                    .col(string_len(Attachments::Sha256, 64))
                    .col(string_len_uniq(Attachments::StorageName, 64))
                    .col(text(Attachments::FileKeyEnc))
                    .col(big_integer(Attachments::UploadedBy))
                    .col(timestamp_with_time_zone(Attachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::ContactId)
                            .to(Contacts::Table, Contacts::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::DealId)
                            .to(Deals::Table, Deals::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::UploadedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_attachments_contact",
                vec![Attachments::ContactId, Attachments::DealId],
            ),
            ("idx_attachments_deal", vec![Attachments::DealId]),
            // The retention job deletes files uploaded before a cutoff.
            ("idx_attachments_created_at", vec![Attachments::CreatedAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Attachments::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    ContactId,
    DealId,
    FileNameEnc,
    ContentType,
    SizeBytes,
    Sha256,
    StorageName,
    FileKeyEnc,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
