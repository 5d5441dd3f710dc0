//! Adds the permission to export the whole firm's data (porting to another system).
//! Super Admin holds it through its "every permission" rule; no other role gets it.

use sea_orm_migration::prelude::*;

use crate::m20261125_000001_create_users_and_roles::{Permissions, RolePermissions};

const CODE: &str = "data.export_all";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Permissions::Table)
                    .columns([
                        Permissions::Code,
                        Permissions::Module,
                        Permissions::Label,
                        Permissions::SortOrder,
                    ])
                    .values_panic([
                        CODE.into(),
                        "data".into(),
                        "Xuất toàn bộ dữ liệu (chuyển hệ thống)".into(),
                        100.into(),
                    ])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(RolePermissions::Table)
                    .and_where(Expr::col(RolePermissions::PermissionCode).eq(CODE))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Permissions::Table)
                    .and_where(Expr::col(Permissions::Code).eq(CODE))
                    .to_owned(),
            )
            .await
    }
}
