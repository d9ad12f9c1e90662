//! Members v1: profile fields for eligibility and reach, guardian consent
//! records, and login attempts for rate limiting.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    Iin,
    Settlement,
    Occupation,
    Education,
    GuardianName,
    GuardianPhone,
    EligibilityOverride,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Consents {
    Table,
    Id,
    PersonId,
    Version,
    GuardianName,
    GuardianPhone,
    Method,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    Subject,
    AttemptedAt,
    Succeeded,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            string_null(People::Iin),
            string(People::Settlement).default("city").take(),
            string(People::Occupation).default("employed").take(),
            string(People::Education).default("secondary").take(),
            string_null(People::GuardianName),
            string_null(People::GuardianPhone),
            text_null(People::EligibilityOverride),
        ];
        for mut c in columns {
            m.alter_table(
                Table::alter()
                    .table(People::Table)
                    .add_column(&mut c)
                    .take(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("ux_people_iin")
                .table(People::Table)
                .col(People::Iin)
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Consents::Table)
                .col(pk_auto(Consents::Id))
                .col(integer(Consents::PersonId))
                .col(integer(Consents::Version))
                .col(string(Consents::GuardianName))
                .col(string(Consents::GuardianPhone))
                .col(string(Consents::Method))
                .col(integer_null(Consents::RecordedBy))
                .col(timestamp_with_time_zone(Consents::RecordedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_consents_person")
                        .from(Consents::Table, Consents::PersonId)
                        .to(People::Table, People::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_consents_recorded_by")
                        .from(Consents::Table, Consents::RecordedBy)
                        .to(Accounts::Table, Accounts::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_consents_person")
                .table(Consents::Table)
                .col(Consents::PersonId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginAttempts::Table)
                .col(pk_auto(LoginAttempts::Id))
                .col(string(LoginAttempts::Subject))
                .col(timestamp_with_time_zone(LoginAttempts::AttemptedAt))
                .col(boolean(LoginAttempts::Succeeded))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_login_attempts_subject_at")
                .table(LoginAttempts::Table)
                .col(LoginAttempts::Subject)
                .col(LoginAttempts::AttemptedAt)
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LoginAttempts::Table).take())
            .await?;
        m.drop_table(Table::drop().table(Consents::Table).take())
            .await?;
        m.drop_index(
            Index::drop()
                .name("ux_people_iin")
                .table(People::Table)
                .to_owned(),
        )
        .await?;
        for col in [
            People::EligibilityOverride,
            People::GuardianPhone,
            People::GuardianName,
            People::Education,
            People::Occupation,
            People::Settlement,
            People::Iin,
        ] {
            m.alter_table(Table::alter().table(People::Table).drop_column(col).take())
                .await?;
        }
        Ok(())
    }
}
