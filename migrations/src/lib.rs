//! Schema migrations. They describe tables with sea-query only and import no
//! entities, so a migration never changes when a model does.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_init;
mod m20261126_000002_members;
mod m20261126_000003_accounts;
mod m20261126_000004_guardian_codes;
mod m20261126_000005_cancellation;
mod m20261126_000006_idempotency;
mod m20261126_000007_closures;
mod m20261126_000008_calendar_feed;
mod m20261126_000009_quotas;
mod m20261126_000010_space_rules;
mod m20261126_000011_door;
mod m20261126_000012_offline_scans;
mod m20261126_000013_clubs_events;
mod m20261126_000014_programs;
mod m20261126_000015_mentors_equipment;
mod m20261126_000016_space_direction;
mod m20261126_000017_audit_log;
mod m20261126_000018_report_indexes;
mod m20261126_000019_api_tokens;
mod m20261126_000020_outbox;
mod m20261126_000021_guardian_email;
mod m20261126_000022_offboarding_sessions;
mod m20261205_000001_slot_field;
mod m20261205_000031_pending_accounts;
mod m20261205_000040_region_rollout;
mod m20261205_000041_glossary_names;
mod m20261205_000050_telegram;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_init::Migration),
            Box::new(m20261126_000002_members::Migration),
            Box::new(m20261126_000003_accounts::Migration),
            Box::new(m20261126_000004_guardian_codes::Migration),
            Box::new(m20261126_000005_cancellation::Migration),
            Box::new(m20261126_000006_idempotency::Migration),
            Box::new(m20261126_000007_closures::Migration),
            Box::new(m20261126_000008_calendar_feed::Migration),
            Box::new(m20261126_000009_quotas::Migration),
            Box::new(m20261126_000010_space_rules::Migration),
            Box::new(m20261126_000011_door::Migration),
            Box::new(m20261126_000012_offline_scans::Migration),
            Box::new(m20261126_000013_clubs_events::Migration),
            Box::new(m20261126_000014_programs::Migration),
            Box::new(m20261126_000015_mentors_equipment::Migration),
            Box::new(m20261126_000016_space_direction::Migration),
            Box::new(m20261126_000017_audit_log::Migration),
            Box::new(m20261126_000018_report_indexes::Migration),
            Box::new(m20261126_000019_api_tokens::Migration),
            Box::new(m20261126_000020_outbox::Migration),
            Box::new(m20261126_000021_guardian_email::Migration),
            Box::new(m20261126_000022_offboarding_sessions::Migration),
            Box::new(m20261205_000001_slot_field::Migration),
            Box::new(m20261205_000031_pending_accounts::Migration),
            Box::new(m20261205_000040_region_rollout::Migration),
            Box::new(m20261205_000041_glossary_names::Migration),
            Box::new(m20261205_000050_telegram::Migration),
        ]
    }
}
