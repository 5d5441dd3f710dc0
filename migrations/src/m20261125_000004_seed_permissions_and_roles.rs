//! Seeds the permission catalogue and the four default roles of SPEC.md §1.

use sea_orm_migration::prelude::*;

use crate::m20261125_000001_create_users_and_roles::{Permissions, RolePermissions, Roles};

/// (code, module, Vietnamese label)
const CATALOGUE: &[(&str, &str, &str)] = &[
    ("contacts.view", "contacts", "Xem khách hàng"),
    ("contacts.create", "contacts", "Tạo khách hàng"),
    ("contacts.edit", "contacts", "Sửa thông tin khách hàng"),
    ("contacts.pick", "contacts", "Nhận khách hàng (pick)"),
    (
        "contacts.update_status",
        "contacts",
        "Cập nhật trạng thái khách hàng",
    ),
    (
        "contacts.classify_source",
        "contacts",
        "Phân loại nguồn khách hàng",
    ),
    (
        "contacts.view_failed",
        "contacts",
        "Xem khách hàng chăm sóc (CSKH)",
    ),
    (
        "contacts.reassign",
        "contacts",
        "Chuyển khách hàng cho Sale khác",
    ),
    ("contacts.export", "contacts", "Xuất dữ liệu khách hàng"),
    ("contacts.import", "contacts", "Nhập dữ liệu khách hàng"),
    ("contacts.anonymize", "contacts", "Ẩn danh hoá khách hàng"),
    ("deals.view", "deals", "Xem hợp đồng"),
    ("deals.create", "deals", "Tạo hợp đồng"),
    ("deals.edit", "deals", "Sửa hợp đồng"),
    ("products.manage", "products", "Quản lý sản phẩm"),
    ("coupons.manage", "coupons", "Quản lý mã giảm giá"),
    ("coupons.use", "coupons", "Sử dụng mã giảm giá"),
    ("teams.manage", "teams", "Quản lý nhóm"),
    ("users.manage", "users", "Quản lý nhân viên"),
    ("roles.manage", "roles", "Quản lý vai trò và phân quyền"),
    ("reports.view", "reports", "Xem báo cáo"),
    ("logs.view", "logs", "Xem nhật ký hoạt động"),
    (
        "notifications.manage",
        "notifications",
        "Quản lý quy tắc thông báo",
    ),
    ("notifications.receive", "notifications", "Nhận thông báo"),
    ("zalo.send", "zalo", "Gửi tin nhắn Zalo"),
    (
        "service_types.manage",
        "service_types",
        "Quản lý loại dịch vụ",
    ),
    ("channels.manage", "channels", "Quản lý kênh kết nối"),
];

/// (name, description, permissions); `None` means every permission (Super Admin).
const ROLES: &[(&str, &str, Option<&[&str]>)] = &[
    ("Super Admin", "Toàn quyền hệ thống", None),
    (
        "Tổng Đài",
        "Nhập và phân loại khách hàng mới",
        Some(&[
            "contacts.create",
            "contacts.view",
            "contacts.classify_source",
            "notifications.receive",
        ]),
    ),
    (
        "Sale",
        "Nhận khách hàng, tư vấn và chốt hợp đồng",
        Some(&[
            "contacts.view",
            "contacts.pick",
            "contacts.edit",
            "contacts.update_status",
            "deals.view",
            "deals.create",
            "deals.edit",
            "coupons.use",
            "notifications.receive",
        ]),
    ),
    (
        "CSKH",
        "Chăm sóc khách hàng thất bại, nhắn tin Zalo",
        Some(&[
            "contacts.view_failed",
            "contacts.edit",
            "contacts.update_status",
            "zalo.send",
            "notifications.receive",
        ]),
    ),
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
        for (order, (code, module, label)) in CATALOGUE.iter().enumerate() {
            let order = <i32 as TryFrom<usize>>::try_from(order).unwrap_or(i32::MAX);
            insert.values_panic([
                (*code).into(),
                (*module).into(),
                (*label).into(),
                order.into(),
            ]);
        }
        manager.exec_stmt(insert.to_owned()).await?;

        let now = chrono::Utc::now();
        for (name, description, permissions) in ROLES {
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(Roles::Table)
                        .columns([
                            Roles::Name,
                            Roles::Description,
                            Roles::IsSystem,
                            Roles::CreatedAt,
                        ])
                        .values_panic([
                            (*name).into(),
                            (*description).into(),
                            true.into(),
                            now.into(),
                        ])
                        .to_owned(),
                )
                .await?;
            // Ids come from the database so PostgreSQL's sequence stays in step.
            let role_id: i64 = manager
                .get_connection()
                .query_one(
                    &Query::select()
                        .column(Roles::Id)
                        .from(Roles::Table)
                        .and_where(Expr::col(Roles::Name).eq(*name))
                        .to_owned(),
                )
                .await?
                .ok_or_else(|| DbErr::RecordNotFound((*name).to_owned()))?
                .try_get("", "id")?;
            let codes: Vec<&str> = match permissions {
                Some(codes) => codes.to_vec(),
                None => CATALOGUE.iter().map(|(code, _, _)| *code).collect(),
            };
            let mut grants = Query::insert();
            grants
                .into_table(RolePermissions::Table)
                .columns([RolePermissions::RoleId, RolePermissions::PermissionCode]);
            for code in codes {
                grants.values_panic([role_id.into(), code.into()]);
            }
            manager.exec_stmt(grants.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(RolePermissions::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(Query::delete().from_table(Roles::Table).to_owned())
            .await?;
        manager
            .exec_stmt(Query::delete().from_table(Permissions::Table).to_owned())
            .await
    }
}
