//! Programs: multi-week courses members apply to (an analytics school, a
//! rural-youth program), with eligibility rules per program, a staff review
//! of applications, cohort capacity, sessions, attendance and certificates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Programs {
    Table,
    Id,
    CenterId,
    NameKk,
    NameRu,
    NameEn,
    DescriptionKk,
    DescriptionRu,
    DescriptionEn,
    Direction,
    MinAge,
    MaxAge,
    MinEducation,
    RuralOnly,
    Occupations,
    Capacity,
    CompletionPercent,
    ApplicationsCloseOn,
    Active,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProgramSessions {
    Table,
    Id,
    ProgramId,
    StartsAt,
    EndsAt,
    Title,
    SpaceId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProgramApplications {
    Table,
    Id,
    ProgramId,
    PersonId,
    Status,
    Motivation,
    DecisionReason,
    DecidedBy,
    DecidedAt,
    CreatedAt,
    CompletedAt,
    CertificateCode,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProgramAttendance {
    Table,
    Id,
    SessionId,
    PersonId,
    MarkedBy,
    MarkedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Programs::Table)
                .col(pk_auto(Programs::Id))
                .col(integer(Programs::CenterId))
                .col(string(Programs::NameKk))
                .col(string(Programs::NameRu))
                .col(string(Programs::NameEn))
                .col(text(Programs::DescriptionKk))
                .col(text(Programs::DescriptionRu))
                .col(text(Programs::DescriptionEn))
                .col(string(Programs::Direction))
                .col(integer_null(Programs::MinAge))
                .col(integer_null(Programs::MaxAge))
                .col(string_null(Programs::MinEducation))
                .col(boolean(Programs::RuralOnly).default(false))
                // Comma-separated occupation codes; empty: any occupation.
                .col(string(Programs::Occupations).default(""))
                .col(integer(Programs::Capacity))
                .col(integer(Programs::CompletionPercent))
                .col(date_null(Programs::ApplicationsCloseOn))
                .col(boolean(Programs::Active).default(true))
                .col(integer(Programs::CreatedBy))
                .col(timestamp_with_time_zone(Programs::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Programs::Table, Programs::CenterId)
                        .to(Centers::Table, Centers::Id),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProgramSessions::Table)
                .col(pk_auto(ProgramSessions::Id))
                .col(integer(ProgramSessions::ProgramId))
                .col(timestamp_with_time_zone(ProgramSessions::StartsAt))
                .col(timestamp_with_time_zone(ProgramSessions::EndsAt))
                .col(string(ProgramSessions::Title))
                .col(integer_null(ProgramSessions::SpaceId))
                .foreign_key(
                    ForeignKey::create()
                        .from(ProgramSessions::Table, ProgramSessions::ProgramId)
                        .to(Programs::Table, Programs::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_program_sessions_program")
                .table(ProgramSessions::Table)
                .col(ProgramSessions::ProgramId)
                .col(ProgramSessions::StartsAt)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProgramApplications::Table)
                .col(pk_auto(ProgramApplications::Id))
                .col(integer(ProgramApplications::ProgramId))
                .col(integer(ProgramApplications::PersonId))
                .col(string(ProgramApplications::Status))
                .col(text(ProgramApplications::Motivation))
                .col(string_null(ProgramApplications::DecisionReason))
                .col(integer_null(ProgramApplications::DecidedBy))
                .col(timestamp_with_time_zone_null(
                    ProgramApplications::DecidedAt,
                ))
                .col(timestamp_with_time_zone(ProgramApplications::CreatedAt))
                .col(timestamp_with_time_zone_null(
                    ProgramApplications::CompletedAt,
                ))
                .col(string_null(ProgramApplications::CertificateCode))
                .foreign_key(
                    ForeignKey::create()
                        .from(ProgramApplications::Table, ProgramApplications::ProgramId)
                        .to(Programs::Table, Programs::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ProgramApplications::Table, ProgramApplications::PersonId)
                        .to(People::Table, People::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_program_applications_program")
                .table(ProgramApplications::Table)
                .col(ProgramApplications::ProgramId)
                .col(ProgramApplications::Status)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_program_applications_person")
                .table(ProgramApplications::Table)
                .col(ProgramApplications::PersonId)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_program_applications_certificate")
                .table(ProgramApplications::Table)
                .col(ProgramApplications::CertificateCode)
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProgramAttendance::Table)
                .col(pk_auto(ProgramAttendance::Id))
                .col(integer(ProgramAttendance::SessionId))
                .col(integer(ProgramAttendance::PersonId))
                .col(integer(ProgramAttendance::MarkedBy))
                .col(timestamp_with_time_zone(ProgramAttendance::MarkedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ProgramAttendance::Table, ProgramAttendance::SessionId)
                        .to(ProgramSessions::Table, ProgramSessions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ProgramAttendance::Table, ProgramAttendance::PersonId)
                        .to(People::Table, People::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_program_attendance_session_person")
                .table(ProgramAttendance::Table)
                .col(ProgramAttendance::SessionId)
                .col(ProgramAttendance::PersonId)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ProgramAttendance::Table.into_iden(),
            ProgramApplications::Table.into_iden(),
            ProgramSessions::Table.into_iden(),
            Programs::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
