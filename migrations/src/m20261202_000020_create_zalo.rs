//! Zalo OA (SPEC NOTI, CHAN): the firm's one OA connection with its tokens sealed under
//! a key derived from the master key, the short-lived OAuth attempts (state + PKCE
//! verifier), and the ZNS templates admins register. `version` guards token rotation:
//! a refresh writes the new pair only `WHERE version = ?`, and `refreshing_until`
//! lets exactly one worker (of any process) call Zalo's refresh endpoint at a time.

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
                    .table(ZaloConnections::Table)
                    .col(big_integer(ZaloConnections::Id).primary_key())
                    // `connected` or `needs_reconnect`.
                    .col(string_len(ZaloConnections::Status, 32))
                    .col(string_len_null(ZaloConnections::OaName, 200))
                    // JSON list of the scopes the admin consented to.
                    .col(text(ZaloConnections::Scopes))
                    // `{"access_token","refresh_token"}` sealed.
                    .col(text(ZaloConnections::TokensSealed))
                    .col(timestamp_with_time_zone(ZaloConnections::AccessExpiresAt))
                    .col(integer(ZaloConnections::Version))
                    .col(timestamp_with_time_zone_null(
                        ZaloConnections::RefreshingUntil,
                    ))
                    .col(big_integer_null(ZaloConnections::ConnectedBy))
                    .col(timestamp_with_time_zone(ZaloConnections::ConnectedAt))
                    .col(timestamp_with_time_zone(ZaloConnections::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ZaloConnections::Table, ZaloConnections::ConnectedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(ZaloOauthStates::Table)
                    // SHA-256 of the `state` parameter, hex.
                    .col(string_len(ZaloOauthStates::StateHash, 64).primary_key())
                    .col(text(ZaloOauthStates::CodeVerifierSealed))
                    .col(big_integer(ZaloOauthStates::UserId))
                    .col(timestamp_with_time_zone(ZaloOauthStates::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ZaloOauthStates::Table, ZaloOauthStates::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(ZaloTemplates::Table)
                    .col(big_pk_auto(ZaloTemplates::Id))
                    .col(string_len_uniq(ZaloTemplates::ZaloTemplateId, 64))
                    .col(string_len(ZaloTemplates::Name, 200))
                    // JSON list of `{"name","sample"}`.
                    .col(text(ZaloTemplates::Params))
                    .col(boolean(ZaloTemplates::Enabled))
                    .col(timestamp_with_time_zone(ZaloTemplates::CreatedAt))
                    .col(timestamp_with_time_zone(ZaloTemplates::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ZaloTemplates::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ZaloOauthStates::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ZaloConnections::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ZaloConnections {
    Table,
    Id,
    Status,
    OaName,
    Scopes,
    TokensSealed,
    AccessExpiresAt,
    Version,
    RefreshingUntil,
    ConnectedBy,
    ConnectedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ZaloOauthStates {
    Table,
    StateHash,
    CodeVerifierSealed,
    UserId,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ZaloTemplates {
    Table,
    Id,
    ZaloTemplateId,
    Name,
    Params,
    Enabled,
    CreatedAt,
    UpdatedAt,
}
