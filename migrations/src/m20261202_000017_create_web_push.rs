//! Web Push (SPEC NOTI): the server's own secrets (the VAPID key pair, generated on
//! first run) and each user's browser subscriptions. Both are sealed with AES-256-GCM
//! under keys derived from the master key: a push endpoint identifies one browser of
//! one person, so it is personal data. `endpoint_index` is a keyed hash of the endpoint
//! so the same browser subscribing again (or unsubscribing) finds its row without the
//! database ever holding the endpoint in the clear.

use sea_orm_migration::{prelude::*, schema::*};

use crate::portable::PortableTables;

use crate::m20261125_000001_create_users_and_roles::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_portable_table(
                Table::create()
                    .table(ServerSecrets::Table)
                    .col(string_len(ServerSecrets::Name, 64).primary_key())
                    .col(text(ServerSecrets::ValueSealed))
                    .col(timestamp_with_time_zone(ServerSecrets::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(PushSubscriptions::Table)
                    .col(big_pk_auto(PushSubscriptions::Id))
                    .col(big_integer(PushSubscriptions::UserId))
                    .col(string_len_uniq(PushSubscriptions::EndpointIndex, 64))
                    // `{"endpoint","p256dh","auth"}` sealed, bound to the user id.
                    .col(text(PushSubscriptions::SubscriptionSealed))
                    .col(timestamp_with_time_zone(PushSubscriptions::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        PushSubscriptions::LastSuccessAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PushSubscriptions::Table, PushSubscriptions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_push_subscriptions_user")
                    .table(PushSubscriptions::Table)
                    .col(PushSubscriptions::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PushSubscriptions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ServerSecrets::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ServerSecrets {
    Table,
    Name,
    ValueSealed,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PushSubscriptions {
    Table,
    Id,
    UserId,
    EndpointIndex,
    SubscriptionSealed,
    CreatedAt,
    LastSuccessAt,
}
