//! One migration per file, named `mYYYYMMDD_NNNNNN_verb_noun`, each with `up` and `down`.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_create_users_and_roles;
mod m20261125_000002_create_sessions;
mod m20261125_000003_create_audit_log;
mod m20261125_000004_seed_permissions_and_roles;
mod m20261125_000005_create_teams;
mod m20261125_000006_create_contacts;
mod m20261125_000007_create_events;
mod m20261125_000008_create_deals;
mod m20261202_000010_index_contacts_for_reports;
mod m20261202_000011_index_audit_search;
mod m20261202_000012_create_notifications;
mod m20261202_000013_index_reports_care_and_picks;
mod m20261202_000014_add_two_factor;
mod m20261202_000015_create_attachments;
mod m20261202_000016_seed_data_permissions;
mod m20261202_000017_create_web_push;
mod m20261202_000019_create_audit_archives;
mod m20261202_000020_create_zalo;
mod m20261202_000022_create_inbound;
mod m20261202_000023_add_rule_customer_messages;
mod portable;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_users_and_roles::Migration),
            Box::new(m20261125_000002_create_sessions::Migration),
            Box::new(m20261125_000003_create_audit_log::Migration),
            Box::new(m20261125_000004_seed_permissions_and_roles::Migration),
            Box::new(m20261125_000005_create_teams::Migration),
            Box::new(m20261125_000006_create_contacts::Migration),
            Box::new(m20261125_000007_create_events::Migration),
            Box::new(m20261125_000008_create_deals::Migration),
            Box::new(m20261202_000010_index_contacts_for_reports::Migration),
            Box::new(m20261202_000011_index_audit_search::Migration),
            Box::new(m20261202_000012_create_notifications::Migration),
            Box::new(m20261202_000013_index_reports_care_and_picks::Migration),
            Box::new(m20261202_000014_add_two_factor::Migration),
            Box::new(m20261202_000015_create_attachments::Migration),
            Box::new(m20261202_000016_seed_data_permissions::Migration),
            Box::new(m20261202_000017_create_web_push::Migration),
            Box::new(m20261202_000019_create_audit_archives::Migration),
            Box::new(m20261202_000022_create_inbound::Migration),
            Box::new(m20261202_000020_create_zalo::Migration),
            Box::new(m20261202_000023_add_rule_customer_messages::Migration),
        ]
    }
}
