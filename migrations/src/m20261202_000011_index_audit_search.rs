//! Audit search lists newest first within a filter: each filterable column gets an
//! index that ends in `at`, so a page is read in order instead of sorted. The target
//! index is rebuilt with `at`; module and IP (free text resolves to them) are new.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NEW: [(&str, &[AuditLog]); 3] = [
    ("idx_audit_module_at", &[AuditLog::Module, AuditLog::At]),
    (
        "idx_audit_target_at",
        &[AuditLog::TargetType, AuditLog::TargetId, AuditLog::At],
    ),
    ("idx_audit_ip_at", &[AuditLog::Ip, AuditLog::At]),
];
const OLD_TARGET: &str = "idx_audit_target";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, cols) in NEW {
            let mut index = Index::create();
            index.name(name).table(AuditLog::Table);
            for col in cols {
                index.col(*col);
            }
            manager.create_index(index).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name(OLD_TARGET)
                    .table(AuditLog::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(OLD_TARGET)
                    .table(AuditLog::Table)
                    .col(AuditLog::TargetType)
                    .col(AuditLog::TargetId)
                    .to_owned(),
            )
            .await?;
        for (name, _) in NEW {
            manager
                .drop_index(Index::drop().name(name).table(AuditLog::Table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Module,
    TargetType,
    TargetId,
    Ip,
    At,
}
