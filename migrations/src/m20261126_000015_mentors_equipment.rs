//! Mentors with bookable consultation slots, and the equipment the desk lends
//! (items with serial numbers, condition and an optional induction; loans
//! from reservation to return).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Mentors {
    Table,
    Id,
    AccountId,
    CenterId,
    Field,
    Languages,
    BioKk,
    BioRu,
    BioEn,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ConsultationSlots {
    Table,
    Id,
    MentorId,
    StartsAt,
    EndsAt,
    BookedBy,
    BookedAt,
    Topic,
    CancelledAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EquipmentItems {
    Table,
    Id,
    CenterId,
    Kind,
    Name,
    Serial,
    LabelCode,
    Condition,
    Notes,
    InductionSpaceId,
    LoanDays,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EquipmentLoans {
    Table,
    Id,
    ItemId,
    PersonId,
    Status,
    ReservedAt,
    PickupOn,
    DueAt,
    CheckedOutAt,
    CheckedOutBy,
    ReturnedAt,
    ReturnedBy,
    ReturnCondition,
    ReturnNote,
    CancelledAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Mentors::Table)
                .col(pk_auto(Mentors::Id))
                .col(integer(Mentors::AccountId))
                .col(integer(Mentors::CenterId))
                .col(string(Mentors::Field))
                .col(string(Mentors::Languages))
                .col(text(Mentors::BioKk))
                .col(text(Mentors::BioRu))
                .col(text(Mentors::BioEn))
                .col(boolean(Mentors::Active).default(true))
                .col(timestamp_with_time_zone(Mentors::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_mentors_account")
                        .from(Mentors::Table, Mentors::AccountId)
                        .to(Accounts::Table, Accounts::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_mentors_center")
                        .from(Mentors::Table, Mentors::CenterId)
                        .to(Centers::Table, Centers::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_mentors_account")
                .table(Mentors::Table)
                .col(Mentors::AccountId)
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ConsultationSlots::Table)
                .col(pk_auto(ConsultationSlots::Id))
                .col(integer(ConsultationSlots::MentorId))
                .col(timestamp_with_time_zone(ConsultationSlots::StartsAt))
                .col(timestamp_with_time_zone(ConsultationSlots::EndsAt))
                .col(integer_null(ConsultationSlots::BookedBy))
                .col(timestamp_with_time_zone_null(ConsultationSlots::BookedAt))
                .col(string_null(ConsultationSlots::Topic))
                .col(timestamp_with_time_zone_null(
                    ConsultationSlots::CancelledAt,
                ))
                .col(timestamp_with_time_zone(ConsultationSlots::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_slots_mentor")
                        .from(ConsultationSlots::Table, ConsultationSlots::MentorId)
                        .to(Mentors::Table, Mentors::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_slots_person")
                        .from(ConsultationSlots::Table, ConsultationSlots::BookedBy)
                        .to(People::Table, People::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_slots_mentor_start")
                .table(ConsultationSlots::Table)
                .col(ConsultationSlots::MentorId)
                .col(ConsultationSlots::StartsAt)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EquipmentItems::Table)
                .col(pk_auto(EquipmentItems::Id))
                .col(integer(EquipmentItems::CenterId))
                .col(string(EquipmentItems::Kind))
                .col(string(EquipmentItems::Name))
                .col(string(EquipmentItems::Serial))
                .col(string(EquipmentItems::LabelCode))
                .col(string(EquipmentItems::Condition))
                .col(string_null(EquipmentItems::Notes))
                .col(integer_null(EquipmentItems::InductionSpaceId))
                .col(integer(EquipmentItems::LoanDays).default(2))
                .col(boolean(EquipmentItems::Active).default(true))
                .col(timestamp_with_time_zone(EquipmentItems::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_items_center")
                        .from(EquipmentItems::Table, EquipmentItems::CenterId)
                        .to(Centers::Table, Centers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_items_induction_space")
                        .from(EquipmentItems::Table, EquipmentItems::InductionSpaceId)
                        .to(Spaces::Table, Spaces::Id),
                )
                .take(),
        )
        .await?;
        for (name, col) in [
            ("ux_items_serial", EquipmentItems::Serial),
            ("ux_items_label", EquipmentItems::LabelCode),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(EquipmentItems::Table)
                    .col(col)
                    .unique()
                    .take(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(EquipmentLoans::Table)
                .col(pk_auto(EquipmentLoans::Id))
                .col(integer(EquipmentLoans::ItemId))
                .col(integer(EquipmentLoans::PersonId))
                .col(string(EquipmentLoans::Status))
                .col(timestamp_with_time_zone(EquipmentLoans::ReservedAt))
                .col(date_null(EquipmentLoans::PickupOn))
                .col(timestamp_with_time_zone_null(EquipmentLoans::DueAt))
                .col(timestamp_with_time_zone_null(EquipmentLoans::CheckedOutAt))
                .col(integer_null(EquipmentLoans::CheckedOutBy))
                .col(timestamp_with_time_zone_null(EquipmentLoans::ReturnedAt))
                .col(integer_null(EquipmentLoans::ReturnedBy))
                .col(string_null(EquipmentLoans::ReturnCondition))
                .col(string_null(EquipmentLoans::ReturnNote))
                .col(timestamp_with_time_zone_null(EquipmentLoans::CancelledAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_loans_item")
                        .from(EquipmentLoans::Table, EquipmentLoans::ItemId)
                        .to(EquipmentItems::Table, EquipmentItems::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_loans_person")
                        .from(EquipmentLoans::Table, EquipmentLoans::PersonId)
                        .to(People::Table, People::Id),
                )
                .take(),
        )
        .await?;
        for (name, col) in [
            ("ix_loans_item_status", EquipmentLoans::ItemId),
            ("ix_loans_person_status", EquipmentLoans::PersonId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(EquipmentLoans::Table)
                    .col(col)
                    .col(EquipmentLoans::Status)
                    .take(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EquipmentLoans::Table).take())
            .await?;
        m.drop_table(Table::drop().table(EquipmentItems::Table).take())
            .await?;
        m.drop_table(Table::drop().table(ConsultationSlots::Table).take())
            .await?;
        m.drop_table(Table::drop().table(Mentors::Table).take())
            .await
    }
}
