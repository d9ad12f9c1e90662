//! Each consultation slot keeps the field it was published under (issue 20):
//! who may see the booker and topic follows the slot, so a psychologist who
//! later re-saves the profile as `it` does not expose earlier consultations.
//! Existing slots take their mentor's field; the default is the private one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ConsultationSlots {
    Table,
    Field,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ConsultationSlots::Table)
                .add_column(string(ConsultationSlots::Field).default("psychology"))
                .take(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE consultation_slots SET field = \
                 (SELECT mentors.field FROM mentors WHERE mentors.id = consultation_slots.mentor_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ConsultationSlots::Table)
                .drop_column(ConsultationSlots::Field)
                .take(),
        )
        .await
    }
}
