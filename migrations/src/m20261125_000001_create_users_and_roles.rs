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
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Username, 64))
                    .col(string_len(Users::FullName, 120))
                    .col(string_len_null(Users::Email, 254))
                    .col(string_len_null(Users::Phone, 20))
                    .col(big_integer_null(Users::TeamId))
                    .col(string_len_null(Users::Position, 120))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(string_len(Users::Status, 16).default("active"))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .col(timestamp_with_time_zone(Users::PasswordChangedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_email")
                    .table(Users::Table)
                    .col(Users::Email)
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(Roles::Table)
                    .col(big_pk_auto(Roles::Id))
                    .col(string_len_uniq(Roles::Name, 80))
                    .col(string_len_null(Roles::Description, 255))
                    .col(boolean(Roles::IsSystem).default(false))
                    .col(timestamp_with_time_zone(Roles::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(Permissions::Table)
                    .col(string_len(Permissions::Code, 64).primary_key())
                    .col(string_len(Permissions::Module, 32))
                    .col(string_len(Permissions::Label, 120))
                    .col(integer(Permissions::SortOrder))
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(RolePermissions::Table)
                    .col(big_integer(RolePermissions::RoleId))
                    .col(string_len(RolePermissions::PermissionCode, 64))
                    .primary_key(
                        Index::create()
                            .col(RolePermissions::RoleId)
                            .col(RolePermissions::PermissionCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RolePermissions::Table, RolePermissions::RoleId)
                            .to(Roles::Table, Roles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RolePermissions::Table, RolePermissions::PermissionCode)
                            .to(Permissions::Table, Permissions::Code)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(UserRoles::Table)
                    .col(big_integer(UserRoles::UserId))
                    .col(big_integer(UserRoles::RoleId))
                    .primary_key(
                        Index::create()
                            .col(UserRoles::UserId)
                            .col(UserRoles::RoleId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRoles::Table, UserRoles::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRoles::Table, UserRoles::RoleId)
                            .to(Roles::Table, Roles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(UserPermissions::Table)
                    .col(big_integer(UserPermissions::UserId))
                    .col(string_len(UserPermissions::PermissionCode, 64))
                    .col(boolean(UserPermissions::Granted))
                    .primary_key(
                        Index::create()
                            .col(UserPermissions::UserId)
                            .col(UserPermissions::PermissionCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserPermissions::Table, UserPermissions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserPermissions::Table, UserPermissions::PermissionCode)
                            .to(Permissions::Table, Permissions::Code)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UserPermissions::Table.into_iden(),
            UserRoles::Table.into_iden(),
            RolePermissions::Table.into_iden(),
            Permissions::Table.into_iden(),
            Roles::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Username,
    FullName,
    Email,
    Phone,
    TeamId,
    Position,
    PasswordHash,
    Status,
    CreatedAt,
    UpdatedAt,
    PasswordChangedAt,
}

#[derive(DeriveIden)]
pub enum Roles {
    Table,
    Id,
    Name,
    Description,
    IsSystem,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Permissions {
    Table,
    Code,
    Module,
    Label,
    SortOrder,
}

#[derive(DeriveIden)]
pub enum RolePermissions {
    Table,
    RoleId,
    PermissionCode,
}

#[derive(DeriveIden)]
pub enum UserRoles {
    Table,
    UserId,
    RoleId,
}

#[derive(DeriveIden)]
pub enum UserPermissions {
    Table,
    UserId,
    PermissionCode,
    Granted,
}
