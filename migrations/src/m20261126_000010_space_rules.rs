//! Space rules directors edit (durations, buffer, notice, advance window,
//! approval, induction, minimum age, people per booking), booking requests
//! that wait for approval, recurring series, and recorded inductions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
    MinMinutes,
    MaxMinutes,
    BufferMinutes,
    MinNoticeMinutes,
    MaxAdvanceDays,
    RequiresApproval,
    RequiresInduction,
    MinAge,
    MaxParty,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Purpose,
    DecisionReason,
    DecidedBy,
    DecidedAt,
    SeriesKey,
}

#[derive(DeriveIden)]
enum Inductions {
    Table,
    Id,
    PersonId,
    SpaceId,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let space_cols = [
            integer(Spaces::MinMinutes).default(60).take(),
            integer(Spaces::MaxMinutes).default(60).take(),
            integer(Spaces::BufferMinutes).default(0).take(),
            integer(Spaces::MinNoticeMinutes).default(0).take(),
            integer(Spaces::MaxAdvanceDays).default(7).take(),
            boolean(Spaces::RequiresApproval).default(false).take(),
            boolean(Spaces::RequiresInduction).default(false).take(),
            integer(Spaces::MinAge).default(0).take(),
            integer(Spaces::MaxParty).default(1).take(),
        ];
        for mut col in space_cols {
            m.alter_table(
                Table::alter()
                    .table(Spaces::Table)
                    .add_column(&mut col)
                    .take(),
            )
            .await?;
        }
        // Existing spaces keep behaving as before: one slot per booking, and
        // as many people as the space holds.
        m.get_connection()
            .execute_unprepared(
                "UPDATE spaces SET min_minutes = slot_minutes, max_minutes = slot_minutes, \
                 max_party = capacity",
            )
            .await?;
        let booking_cols = [
            string_null(Bookings::Purpose).take(),
            string_null(Bookings::DecisionReason).take(),
            integer_null(Bookings::DecidedBy).take(),
            timestamp_with_time_zone_null(Bookings::DecidedAt).take(),
            string_null(Bookings::SeriesKey).take(),
        ];
        for mut col in booking_cols {
            m.alter_table(
                Table::alter()
                    .table(Bookings::Table)
                    .add_column(&mut col)
                    .take(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(Inductions::Table)
                .col(pk_auto(Inductions::Id))
                .col(integer(Inductions::PersonId))
                .col(integer(Inductions::SpaceId))
                .col(integer(Inductions::RecordedBy))
                .col(timestamp_with_time_zone(Inductions::RecordedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_inductions_person")
                        .from(Inductions::Table, Inductions::PersonId)
                        .to(People::Table, People::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_inductions_space")
                        .from(Inductions::Table, Inductions::SpaceId)
                        .to(Spaces::Table, Spaces::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_inductions_person_space")
                .table(Inductions::Table)
                .col(Inductions::PersonId)
                .col(Inductions::SpaceId)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Inductions::Table).take())
            .await?;
        for col in [
            Bookings::Purpose,
            Bookings::DecisionReason,
            Bookings::DecidedBy,
            Bookings::DecidedAt,
            Bookings::SeriesKey,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Bookings::Table)
                    .drop_column(col)
                    .take(),
            )
            .await?;
        }
        for col in [
            Spaces::MinMinutes,
            Spaces::MaxMinutes,
            Spaces::BufferMinutes,
            Spaces::MinNoticeMinutes,
            Spaces::MaxAdvanceDays,
            Spaces::RequiresApproval,
            Spaces::RequiresInduction,
            Spaces::MinAge,
            Spaces::MaxParty,
        ] {
            m.alter_table(Table::alter().table(Spaces::Table).drop_column(col).take())
                .await?;
        }
        Ok(())
    }
}
