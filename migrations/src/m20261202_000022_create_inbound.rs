//! Inbound Zalo OA / Facebook Messenger messages (SPEC CHAN). A channel identity (a
//! Facebook PSID, a Zalo user id) is personal data: it rests sealed under a key
//! derived from the master key, and `identity_index` (a keyed hash of channel and id)
//! finds it again. `inbound_messages` logs every processed message id once, so the
//! platforms' retried deliveries are ignored; `inbound_pending` holds, sealed, the
//! messages of senders not yet tied to a contact.

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
                    .table(InboundIdentities::Table)
                    .col(big_pk_auto(InboundIdentities::Id))
                    .col(string_len(InboundIdentities::Channel, 16))
                    .col(string_len_uniq(InboundIdentities::IdentityIndex, 64))
                    .col(text(InboundIdentities::IdentitySealed))
                    .col(text_null(InboundIdentities::DisplayNameSealed))
                    .col(big_integer_null(InboundIdentities::ContactId))
                    .col(timestamp_with_time_zone(InboundIdentities::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboundIdentities::Table, InboundIdentities::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(InboundMessages::Table)
                    .col(big_pk_auto(InboundMessages::Id))
                    .col(string_len(InboundMessages::Channel, 16))
                    .col(string_len(InboundMessages::ExternalId, 191))
                    .col(big_integer(InboundMessages::IdentityId))
                    .col(big_integer_null(InboundMessages::ContactId))
                    .col(timestamp_with_time_zone(InboundMessages::ReceivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboundMessages::Table, InboundMessages::IdentityId)
                            .to(InboundIdentities::Table, InboundIdentities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_inbound_messages_channel_external")
                    .table(InboundMessages::Table)
                    .col(InboundMessages::Channel)
                    .col(InboundMessages::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(InboundPending::Table)
                    .col(big_pk_auto(InboundPending::Id))
                    .col(big_integer(InboundPending::IdentityId))
                    .col(big_integer(InboundPending::MessageId))
                    .col(text(InboundPending::ContentSealed))
                    .col(timestamp_with_time_zone(InboundPending::ReceivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboundPending::Table, InboundPending::IdentityId)
                            .to(InboundIdentities::Table, InboundIdentities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboundPending::Table, InboundPending::MessageId)
                            .to(InboundMessages::Table, InboundMessages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_inbound_pending_identity")
                    .table(InboundPending::Table)
                    .col(InboundPending::IdentityId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InboundPending::Table.into_iden(),
            InboundMessages::Table.into_iden(),
            InboundIdentities::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum InboundIdentities {
    Table,
    Id,
    Channel,
    IdentityIndex,
    IdentitySealed,
    DisplayNameSealed,
    ContactId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InboundMessages {
    Table,
    Id,
    Channel,
    ExternalId,
    IdentityId,
    ContactId,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum InboundPending {
    Table,
    Id,
    IdentityId,
    MessageId,
    ContentSealed,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
}
