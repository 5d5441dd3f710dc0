//! Adds the data-lifecycle permissions: exporting the whole firm's data (porting to
//! another system) and running the retention policy on demand. Super Admin holds them
//! through its "every permission" rule; no other role gets them.

use sea_orm_migration::prelude::*;

use crate::m20261125_000001_create_users_and_roles::{Permissions, RolePermissions};

/// (code, Vietnamese label, display order)
const ADDED: &[(&str, &str, i32)] = &[
    (
        "data.export_all",
        "Xuất toàn bộ dữ liệu (chuyển hệ thống)",
        100,
    ),
    ("data.retention", "Chạy chính sách lưu trữ dữ liệu", 101),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut insert = Query::insert();
        insert.into_table(Permissions::Table).columns([
            Permissions::Code,
            Permissions::Module,
            Permissions::Label,
            Permissions::SortOrder,
        ]);
        for (code, label, order) in ADDED {
            insert.values_panic([
                (*code).into(),
                "data".into(),
                (*label).into(),
                (*order).into(),
            ]);
        }
        manager.exec_stmt(insert.to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(RolePermissions::Table)
                    .and_where(
                        Expr::col(RolePermissions::PermissionCode)
                            .is_in(ADDED.iter().map(|(code, _, _)| *code)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Permissions::Table)
                    .and_where(
                        Expr::col(Permissions::Code).is_in(ADDED.iter().map(|(code, _, _)| *code)),
                    )
                    .to_owned(),
            )
            .await
    }
}
