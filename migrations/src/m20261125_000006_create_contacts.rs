//! Contacts (personal fields encrypted, blind-indexed), service types, interactions,
//! the yearly code counter and the pick guards' tables.

use sea_orm_migration::{prelude::*, schema::*};

use crate::portable::PortableTables;

use crate::{
    m20261125_000001_create_users_and_roles::{Permissions, Users},
    m20261125_000005_create_teams::Teams,
};

/// (code, name, description, daily pick limit per Sale)
const SERVICE_TYPES: &[(&str, &str, &str, i32)] = &[
    (
        "TLDN",
        "Thành lập doanh nghiệp",
        "Đăng ký thành lập công ty, hộ kinh doanh",
        5,
    ),
    (
        "KTDN",
        "Kế toán doanh nghiệp",
        "Dịch vụ kế toán, báo cáo thuế trọn gói",
        5,
    ),
    (
        "GPKD",
        "Giấy phép kinh doanh",
        "Giấy phép con, thay đổi đăng ký kinh doanh",
        5,
    ),
    ("SHTT", "Sở hữu trí tuệ", "Đăng ký nhãn hiệu, bản quyền", 5),
    (
        "TVPL",
        "Tư vấn pháp luật",
        "Tư vấn pháp lý doanh nghiệp và cá nhân",
        10,
    ),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_portable_table(
                Table::create()
                    .table(ServiceTypes::Table)
                    .col(big_pk_auto(ServiceTypes::Id))
                    .col(string_len_uniq(ServiceTypes::Code, 16))
                    .col(string_len(ServiceTypes::Name, 120))
                    .col(string_len_null(ServiceTypes::Description, 500))
                    .col(boolean(ServiceTypes::Active).default(true))
                    .col(integer(ServiceTypes::DailyPickLimit))
                    .col(integer(ServiceTypes::SortOrder))
                    .col(timestamp_with_time_zone(ServiceTypes::CreatedAt))
                    .col(timestamp_with_time_zone(ServiceTypes::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let now = chrono::Utc::now();
        let mut seed = Query::insert();
        seed.into_table(ServiceTypes::Table).columns([
            ServiceTypes::Code,
            ServiceTypes::Name,
            ServiceTypes::Description,
            ServiceTypes::Active,
            ServiceTypes::DailyPickLimit,
            ServiceTypes::SortOrder,
            ServiceTypes::CreatedAt,
            ServiceTypes::UpdatedAt,
        ]);
        for (order, (code, name, description, limit)) in (1i32..).zip(SERVICE_TYPES) {
            seed.values_panic([
                (*code).into(),
                (*name).into(),
                (*description).into(),
                true.into(),
                (*limit).into(),
                order.into(),
                now.into(),
                now.into(),
            ]);
        }
        manager.exec_stmt(seed.to_owned()).await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(ContactCounters::Table)
                    .col(integer(ContactCounters::Year).primary_key())
                    .col(big_integer(ContactCounters::LastSeq))
                    .to_owned(),
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(Contacts::Table)
                    .col(big_pk_auto(Contacts::Id))
                    .col(string_len_uniq(Contacts::Code, 32))
                    .col(text(Contacts::FullNameEnc))
                    .col(text(Contacts::PhoneEnc))
                    .col(text_null(Contacts::EmailEnc))
                    .col(text_null(Contacts::NoteEnc))
                    .col(string_len(Contacts::PhoneIndex, 64))
                    .col(big_integer(Contacts::ServiceTypeId))
                    .col(string_len(Contacts::Source, 32))
                    .col(big_integer_null(Contacts::TeamId))
                    .col(string_len(Contacts::Status, 16))
                    .col(big_integer_null(Contacts::AssigneeId))
                    .col(big_integer(Contacts::CreatedBy))
                    .col(timestamp_with_time_zone(Contacts::CreatedAt))
                    .col(timestamp_with_time_zone(Contacts::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Contacts::PickedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::ServiceTypeId)
                            .to(ServiceTypes::Table, ServiceTypes::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::AssigneeId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_contacts_status_created",
                vec![Contacts::Status, Contacts::CreatedAt],
            ),
            (
                "idx_contacts_assignee",
                vec![Contacts::AssigneeId, Contacts::Status],
            ),
            ("idx_contacts_created_by", vec![Contacts::CreatedBy]),
            ("idx_contacts_phone_index", vec![Contacts::PhoneIndex]),
            ("idx_contacts_created_at", vec![Contacts::CreatedAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Contacts::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_portable_table(
                Table::create()
                    .table(ContactKeys::Table)
                    .col(big_integer(ContactKeys::ContactId).primary_key())
                    .col(text(ContactKeys::WrappedKey))
                    .col(string_len(ContactKeys::KekId, 32))
                    .col(timestamp_with_time_zone(ContactKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(ContactNameTokens::Table)
                    .col(big_integer(ContactNameTokens::ContactId))
                    .col(string_len(ContactNameTokens::Token, 64))
                    .primary_key(
                        Index::create()
                            .col(ContactNameTokens::ContactId)
                            .col(ContactNameTokens::Token),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactNameTokens::Table, ContactNameTokens::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contact_name_tokens_token")
                    .table(ContactNameTokens::Table)
                    .col(ContactNameTokens::Token)
                    .to_owned(),
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(ContactInteractions::Table)
                    .col(big_pk_auto(ContactInteractions::Id))
                    .col(big_integer(ContactInteractions::ContactId))
                    .col(string_len(ContactInteractions::Kind, 16))
                    .col(text(ContactInteractions::ContentEnc))
                    .col(big_integer(ContactInteractions::AuthorId))
                    .col(timestamp_with_time_zone(ContactInteractions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactInteractions::Table, ContactInteractions::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_interactions_contact")
                    .table(ContactInteractions::Table)
                    .col(ContactInteractions::ContactId)
                    .col(ContactInteractions::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_portable_table(
                Table::create()
                    .table(SalePickState::Table)
                    .col(big_integer(SalePickState::UserId).primary_key())
                    .col(timestamp_with_time_zone_null(SalePickState::LastPickAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_portable_table(
                Table::create()
                    .table(DailyPicks::Table)
                    .col(big_integer(DailyPicks::UserId))
                    .col(string_len(DailyPicks::Day, 10))
                    .col(big_integer(DailyPicks::ServiceTypeId))
                    .col(integer(DailyPicks::Count))
                    .primary_key(
                        Index::create()
                            .col(DailyPicks::UserId)
                            .col(DailyPicks::Day)
                            .col(DailyPicks::ServiceTypeId),
                    )
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
                        "contacts.view_all".into(),
                        "contacts".into(),
                        "Xem tất cả khách hàng".into(),
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
                    .from_table(Permissions::Table)
                    .and_where(Expr::col(Permissions::Code).eq("contacts.view_all"))
                    .to_owned(),
            )
            .await?;
        for table in [
            DailyPicks::Table.into_iden(),
            SalePickState::Table.into_iden(),
            ContactInteractions::Table.into_iden(),
            ContactNameTokens::Table.into_iden(),
            ContactKeys::Table.into_iden(),
            Contacts::Table.into_iden(),
            ContactCounters::Table.into_iden(),
            ServiceTypes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ServiceTypes {
    Table,
    Id,
    Code,
    Name,
    Description,
    Active,
    DailyPickLimit,
    SortOrder,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContactCounters {
    Table,
    Year,
    LastSeq,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
    Code,
    FullNameEnc,
    PhoneEnc,
    EmailEnc,
    NoteEnc,
    PhoneIndex,
    ServiceTypeId,
    Source,
    TeamId,
    Status,
    AssigneeId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PickedAt,
}

#[derive(DeriveIden)]
enum ContactKeys {
    Table,
    ContactId,
    WrappedKey,
    KekId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ContactNameTokens {
    Table,
    ContactId,
    Token,
}

#[derive(DeriveIden)]
enum ContactInteractions {
    Table,
    Id,
    ContactId,
    Kind,
    ContentEnc,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SalePickState {
    Table,
    UserId,
    LastPickAt,
}

#[derive(DeriveIden)]
enum DailyPicks {
    Table,
    UserId,
    Day,
    ServiceTypeId,
    Count,
}
