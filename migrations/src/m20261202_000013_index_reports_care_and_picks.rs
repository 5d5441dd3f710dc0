//! Two dashboard queries read far more than they return: the customer-care queue's
//! oldest contacts (by status, oldest update first) and picks per Sale over a period
//! (the pick counters' key starts with the user, not the day). An index each lets
//! them read only what they need.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CARE: &str = "idx_contacts_status_updated";
const PICKS: &str = "idx_daily_picks_day_user";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(CARE)
                    .table(Contacts::Table)
                    .col(Contacts::Status)
                    .col(Contacts::UpdatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(PICKS)
                    .table(DailyPicks::Table)
                    .col(DailyPicks::Day)
                    .col(DailyPicks::UserId)
                    .col(DailyPicks::Count)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(PICKS)
                    .table(DailyPicks::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name(CARE).table(Contacts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Status,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DailyPicks {
    Table,
    Day,
    UserId,
    Count,
}
