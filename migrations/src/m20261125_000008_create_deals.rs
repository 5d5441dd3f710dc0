//! Products, coupons (assigned to employees), deals with their lines and payment
//! history, the yearly deal-code counter, and the `deals.view_all` permission.

use sea_orm_migration::{prelude::*, schema::*};

use crate::portable::PortableTables;

use crate::{
    m20261125_000001_create_users_and_roles::{Permissions, Users},
    m20261125_000005_create_teams::Teams,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_portable_table(
                Table::create()
                    .table(Products::Table)
                    .col(big_pk_auto(Products::Id))
                    .col(string_len_uniq(Products::Code, 32))
                    .col(string_len(Products::Name, 160))
                    .col(text_null(Products::Description))
                    .col(big_integer(Products::BasePrice))
                    .col(big_integer_null(Products::MinPrice))
                    .col(string_len_null(Products::WorkflowType, 120))
                    .col(string_len(Products::Status, 16))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .col(timestamp_with_time_zone(Products::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(Coupons::Table)
                    .col(big_pk_auto(Coupons::Id))
                    .col(string_len_uniq(Coupons::Code, 32))
                    .col(string_len_null(Coupons::Description, 500))
                    .col(string_len(Coupons::Kind, 16))
                    .col(big_integer(Coupons::Value))
                    .col(date(Coupons::ExpiresOn))
                    .col(integer_null(Coupons::MaxUses))
                    .col(integer(Coupons::UsedCount).default(0))
                    .col(boolean(Coupons::Active).default(true))
                    .col(timestamp_with_time_zone(Coupons::CreatedAt))
                    .col(timestamp_with_time_zone(Coupons::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(CouponAssignees::Table)
                    .col(big_integer(CouponAssignees::CouponId))
                    .col(big_integer(CouponAssignees::UserId))
                    .primary_key(
                        Index::create()
                            .col(CouponAssignees::CouponId)
                            .col(CouponAssignees::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CouponAssignees::Table, CouponAssignees::CouponId)
                            .to(Coupons::Table, Coupons::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CouponAssignees::Table, CouponAssignees::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_coupon_assignees_user")
                    .table(CouponAssignees::Table)
                    .col(CouponAssignees::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(DealCounters::Table)
                    .col(integer(DealCounters::Year).primary_key())
                    .col(big_integer(DealCounters::LastSeq))
                    .to_owned(),
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(Deals::Table)
                    .col(big_pk_auto(Deals::Id))
                    .col(string_len_uniq(Deals::Code, 32))
                    // One deal closes one contact.
                    .col(big_integer_uniq(Deals::ContactId))
                    .col(big_integer(Deals::CloserId))
                    .col(big_integer_null(Deals::TeamId))
                    .col(big_integer_null(Deals::CouponId))
                    // The coupon's terms when applied: later edits to the coupon do
                    // not reprice deals that used it.
                    .col(string_len_null(Deals::CouponKind, 16))
                    .col(big_integer_null(Deals::CouponValue))
                    .col(big_integer(Deals::Subtotal))
                    .col(big_integer(Deals::Discount))
                    .col(big_integer(Deals::Total))
                    .col(string_len(Deals::PaymentStatus, 16))
                    .col(date(Deals::ClosedOn))
                    // Sealed under the contact's data key, like its other free text.
                    .col(text_null(Deals::NoteEnc))
                    .col(timestamp_with_time_zone(Deals::CreatedAt))
                    .col(timestamp_with_time_zone(Deals::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Deals::Table, Deals::ContactId)
                            .to(Contacts::Table, Contacts::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Deals::Table, Deals::CloserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Deals::Table, Deals::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Deals::Table, Deals::CouponId)
                            .to(Coupons::Table, Coupons::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_deals_closer_closed_on",
                vec![Deals::CloserId, Deals::ClosedOn],
            ),
            (
                "idx_deals_team_closed_on",
                vec![Deals::TeamId, Deals::ClosedOn],
            ),
            ("idx_deals_closed_on", vec![Deals::ClosedOn]),
            (
                "idx_deals_payment_status",
                vec![Deals::PaymentStatus, Deals::ClosedOn],
            ),
            ("idx_deals_coupon", vec![Deals::CouponId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Deals::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_portable_table(
                Table::create()
                    .table(DealLines::Table)
                    .col(big_pk_auto(DealLines::Id))
                    .col(big_integer(DealLines::DealId))
                    .col(integer(DealLines::Position))
                    .col(big_integer(DealLines::ProductId))
                    .col(integer(DealLines::Quantity))
                    .col(big_integer(DealLines::UnitPrice))
                    .col(big_integer(DealLines::LineTotal))
                    .col(timestamp_with_time_zone(DealLines::ClosedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DealLines::Table, DealLines::DealId)
                            .to(Deals::Table, Deals::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DealLines::Table, DealLines::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_deal_lines_deal", DealLines::DealId),
            ("idx_deal_lines_product", DealLines::ProductId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(DealLines::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_portable_table(
                Table::create()
                    .table(DealPayments::Table)
                    .col(big_pk_auto(DealPayments::Id))
                    .col(big_integer(DealPayments::DealId))
                    .col(string_len_null(DealPayments::FromStatus, 16))
                    .col(string_len(DealPayments::ToStatus, 16))
                    .col(text_null(DealPayments::NoteEnc))
                    .col(big_integer(DealPayments::ChangedBy))
                    .col(timestamp_with_time_zone(DealPayments::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DealPayments::Table, DealPayments::DealId)
                            .to(Deals::Table, Deals::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DealPayments::Table, DealPayments::ChangedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deal_payments_deal")
                    .table(DealPayments::Table)
                    .col(DealPayments::DealId)
                    .to_owned(),
            )
            .await?;

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
                        "deals.view_all".into(),
                        "deals".into(),
                        "Xem tất cả hợp đồng".into(),
                        101.into(),
                    ])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Permissions::Table)
                    .and_where(Expr::col(Permissions::Code).eq("deals.view_all"))
                    .to_owned(),
            )
            .await?;
        for table in [
            DealPayments::Table.into_iden(),
            DealLines::Table.into_iden(),
            Deals::Table.into_iden(),
            DealCounters::Table.into_iden(),
            CouponAssignees::Table.into_iden(),
            Coupons::Table.into_iden(),
            Products::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Code,
    Name,
    Description,
    BasePrice,
    MinPrice,
    WorkflowType,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Coupons {
    Table,
    Id,
    Code,
    Description,
    Kind,
    Value,
    ExpiresOn,
    MaxUses,
    UsedCount,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CouponAssignees {
    Table,
    CouponId,
    UserId,
}

#[derive(DeriveIden)]
enum DealCounters {
    Table,
    Year,
    LastSeq,
}

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
    Code,
    ContactId,
    CloserId,
    TeamId,
    CouponId,
    CouponKind,
    CouponValue,
    Subtotal,
    Discount,
    Total,
    PaymentStatus,
    ClosedOn,
    NoteEnc,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DealLines {
    Table,
    Id,
    DealId,
    Position,
    ProductId,
    Quantity,
    UnitPrice,
    LineTotal,
    ClosedAt,
}

#[derive(DeriveIden)]
enum DealPayments {
    Table,
    Id,
    DealId,
    FromStatus,
    ToStatus,
    NoteEnc,
    ChangedBy,
    ChangedAt,
}
