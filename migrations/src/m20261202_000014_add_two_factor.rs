//! TOTP two-factor authentication (SPEC AUTH-007): one row per enrolled (or enrolling)
//! user with the secret sealed under a key derived from the master key, the user's
//! single-use recovery codes (digests only), and the per-role switch that makes 2FA
//! mandatory for its holders.

use sea_orm_migration::{prelude::*, schema::*};

use crate::portable::PortableTables;

use crate::m20261125_000001_create_users_and_roles::{Roles, Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_portable_table(
                Table::create()
                    .table(UserTwoFactor::Table)
                    .col(big_integer(UserTwoFactor::UserId).primary_key())
                    // AES-256-GCM, base64: never the plain base32 secret.
                    .col(text(UserTwoFactor::SecretSealed))
                    // NULL while the secret awaits its first code (set-up not confirmed).
                    .col(timestamp_with_time_zone_null(UserTwoFactor::EnabledAt))
                    // The newest accepted 30-second step: a code is never taken twice.
                    .col(big_integer_null(UserTwoFactor::LastUsedStep))
                    .col(timestamp_with_time_zone(UserTwoFactor::CreatedAt))
                    .col(timestamp_with_time_zone(UserTwoFactor::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserTwoFactor::Table, UserTwoFactor::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(TwoFactorRecoveryCodes::Table)
                    .col(big_pk_auto(TwoFactorRecoveryCodes::Id))
                    .col(big_integer(TwoFactorRecoveryCodes::UserId))
                    .col(string_len(TwoFactorRecoveryCodes::CodeHash, 64))
                    .col(timestamp_with_time_zone(TwoFactorRecoveryCodes::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        TwoFactorRecoveryCodes::UsedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TwoFactorRecoveryCodes::Table,
                                TwoFactorRecoveryCodes::UserId,
                            )
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_two_factor_recovery_codes_user_hash")
                    .table(TwoFactorRecoveryCodes::Table)
                    .col(TwoFactorRecoveryCodes::UserId)
                    .col(TwoFactorRecoveryCodes::CodeHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Roles::Table)
                    .add_column(boolean(RolesTwoFactor::RequireTwoFactor).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Roles::Table)
                    .drop_column(RolesTwoFactor::RequireTwoFactor)
                    .to_owned(),
            )
            .await?;
        for table in [
            TwoFactorRecoveryCodes::Table.into_iden(),
            UserTwoFactor::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum UserTwoFactor {
    Table,
    UserId,
    SecretSealed,
    EnabledAt,
    LastUsedStep,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TwoFactorRecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

/// The column this migration adds to `roles`.
#[derive(DeriveIden)]
enum RolesTwoFactor {
    RequireTwoFactor,
}
