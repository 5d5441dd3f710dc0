//! Customer channels on notification rules (issue #7): a rule that names `zalo` or
//! `facebook` also messages the event's contact. What it sends — the ZNS template and
//! its parameter mapping, the Messenger text — is one JSON value in
//! `notification_rules.customer_messages`; rules without customer channels keep NULL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NotificationRules {
    Table,
    CustomerMessages,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NotificationRules::Table)
                    .add_column(text_null(NotificationRules::CustomerMessages))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NotificationRules::Table)
                    .drop_column(NotificationRules::CustomerMessages)
                    .to_owned(),
            )
            .await
    }
}
