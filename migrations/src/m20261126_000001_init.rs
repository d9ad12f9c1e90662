//! Data model v1: centers, opening hours, spaces, people, accounts, sessions,
//! bookings, passes and check-ins. Times are stored in UTC.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
    ParentId,
    Slug,
    NameKk,
    NameRu,
    NameEn,
    City,
    Timezone,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OpeningHours {
    Table,
    Id,
    CenterId,
    Weekday,
    OpensMin,
    ClosesMin,
}

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
    CenterId,
    Kind,
    NameKk,
    NameRu,
    NameEn,
    Capacity,
    SlotMinutes,
    Active,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    FullName,
    BirthDate,
    Phone,
    Email,
    PreferredLang,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    PersonId,
    PasswordHash,
    Role,
    HomeCenterId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    AccountId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Id,
    PersonId,
    SpaceId,
    StartsAt,
    EndsAt,
    PartySize,
    Status,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Passes {
    Table,
    Id,
    PersonId,
    BookingId,
    Kind,
    CenterId,
    ValidFrom,
    ValidUntil,
    KeyId,
    Code,
    RevokedAt,
    IssuedAt,
}

#[derive(DeriveIden)]
enum CheckIns {
    Table,
    Id,
    PassId,
    PersonId,
    CenterId,
    SpaceId,
    ScannedAt,
    ScannedBy,
}

fn fk<T: IntoIden, C: IntoIden, R: IntoIden, RC: IntoIden>(
    name: &str,
    table: T,
    col: C,
    ref_table: R,
    ref_col: RC,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(ref_table, ref_col)
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Centers::Table)
                .col(pk_auto(Centers::Id))
                .col(integer_null(Centers::ParentId))
                .col(string_uniq(Centers::Slug))
                .col(string(Centers::NameKk))
                .col(string(Centers::NameRu))
                .col(string(Centers::NameEn))
                .col(string(Centers::City))
                .col(string(Centers::Timezone))
                .col(timestamp_with_time_zone(Centers::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_centers_parent",
                    Centers::Table,
                    Centers::ParentId,
                    Centers::Table,
                    Centers::Id,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OpeningHours::Table)
                .col(pk_auto(OpeningHours::Id))
                .col(integer(OpeningHours::CenterId))
                .col(small_integer(OpeningHours::Weekday))
                .col(integer(OpeningHours::OpensMin))
                .col(integer(OpeningHours::ClosesMin))
                .foreign_key(&mut fk(
                    "fk_opening_hours_center",
                    OpeningHours::Table,
                    OpeningHours::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_opening_hours_center_weekday")
                .table(OpeningHours::Table)
                .col(OpeningHours::CenterId)
                .col(OpeningHours::Weekday)
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Spaces::Table)
                .col(pk_auto(Spaces::Id))
                .col(integer(Spaces::CenterId))
                .col(string(Spaces::Kind))
                .col(string(Spaces::NameKk))
                .col(string(Spaces::NameRu))
                .col(string(Spaces::NameEn))
                .col(integer(Spaces::Capacity).check(Expr::col(Spaces::Capacity).gt(0)))
                .col(integer(Spaces::SlotMinutes).check(Expr::col(Spaces::SlotMinutes).gt(0)))
                .col(boolean(Spaces::Active).default(true))
                .foreign_key(&mut fk(
                    "fk_spaces_center",
                    Spaces::Table,
                    Spaces::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_spaces_center")
                .table(Spaces::Table)
                .col(Spaces::CenterId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(People::Table)
                .col(pk_auto(People::Id))
                .col(string(People::FullName))
                .col(date(People::BirthDate))
                .col(string_null(People::Phone).unique_key())
                .col(string_null(People::Email).unique_key())
                .col(string_len(People::PreferredLang, 2))
                .col(timestamp_with_time_zone(People::CreatedAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(pk_auto(Accounts::Id))
                .col(integer_uniq(Accounts::PersonId))
                .col(string(Accounts::PasswordHash))
                .col(string(Accounts::Role))
                .col(integer_null(Accounts::HomeCenterId))
                .col(timestamp_with_time_zone(Accounts::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_accounts_person",
                    Accounts::Table,
                    Accounts::PersonId,
                    People::Table,
                    People::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_accounts_center",
                    Accounts::Table,
                    Accounts::HomeCenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(pk_auto(Sessions::Id))
                .col(string_uniq(Sessions::TokenHash))
                .col(integer(Sessions::AccountId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .foreign_key(
                    &mut fk(
                        "fk_sessions_account",
                        Sessions::Table,
                        Sessions::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    )
                    .on_delete(ForeignKeyAction::Cascade)
                    .take(),
                )
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Bookings::Table)
                .col(pk_auto(Bookings::Id))
                .col(integer(Bookings::PersonId))
                .col(integer(Bookings::SpaceId))
                .col(timestamp_with_time_zone(Bookings::StartsAt))
                .col(timestamp_with_time_zone(Bookings::EndsAt))
                .col(integer(Bookings::PartySize).check(Expr::col(Bookings::PartySize).gt(0)))
                .col(string(Bookings::Status))
                .col(integer(Bookings::CreatedBy))
                .col(timestamp_with_time_zone(Bookings::CreatedAt))
                .check(Expr::col(Bookings::StartsAt).lt(Expr::col(Bookings::EndsAt)))
                .foreign_key(&mut fk(
                    "fk_bookings_person",
                    Bookings::Table,
                    Bookings::PersonId,
                    People::Table,
                    People::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_bookings_space",
                    Bookings::Table,
                    Bookings::SpaceId,
                    Spaces::Table,
                    Spaces::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_bookings_created_by",
                    Bookings::Table,
                    Bookings::CreatedBy,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_bookings_space_starts")
                .table(Bookings::Table)
                .col(Bookings::SpaceId)
                .col(Bookings::StartsAt)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_bookings_person_starts")
                .table(Bookings::Table)
                .col(Bookings::PersonId)
                .col(Bookings::StartsAt)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Passes::Table)
                .col(pk_auto(Passes::Id))
                .col(integer(Passes::PersonId))
                .col(integer_null(Passes::BookingId))
                .col(string(Passes::Kind))
                .col(integer(Passes::CenterId))
                .col(timestamp_with_time_zone(Passes::ValidFrom))
                .col(timestamp_with_time_zone(Passes::ValidUntil))
                .col(small_integer(Passes::KeyId))
                .col(text(Passes::Code))
                .col(timestamp_with_time_zone_null(Passes::RevokedAt))
                .col(timestamp_with_time_zone(Passes::IssuedAt))
                .foreign_key(&mut fk(
                    "fk_passes_person",
                    Passes::Table,
                    Passes::PersonId,
                    People::Table,
                    People::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_passes_booking",
                    Passes::Table,
                    Passes::BookingId,
                    Bookings::Table,
                    Bookings::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_passes_center",
                    Passes::Table,
                    Passes::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_passes_booking")
                .table(Passes::Table)
                .col(Passes::BookingId)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_passes_person")
                .table(Passes::Table)
                .col(Passes::PersonId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CheckIns::Table)
                .col(pk_auto(CheckIns::Id))
                .col(integer(CheckIns::PassId))
                .col(integer(CheckIns::PersonId))
                .col(integer(CheckIns::CenterId))
                .col(integer_null(CheckIns::SpaceId))
                .col(timestamp_with_time_zone(CheckIns::ScannedAt))
                .col(integer(CheckIns::ScannedBy))
                .foreign_key(&mut fk(
                    "fk_check_ins_pass",
                    CheckIns::Table,
                    CheckIns::PassId,
                    Passes::Table,
                    Passes::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_check_ins_person",
                    CheckIns::Table,
                    CheckIns::PersonId,
                    People::Table,
                    People::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_check_ins_center",
                    CheckIns::Table,
                    CheckIns::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_check_ins_space",
                    CheckIns::Table,
                    CheckIns::SpaceId,
                    Spaces::Table,
                    Spaces::Id,
                ))
                .foreign_key(&mut fk(
                    "fk_check_ins_scanned_by",
                    CheckIns::Table,
                    CheckIns::ScannedBy,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .take(),
        )
        .await?;
        // v1 admits a booking pass once; the database enforces it so two desks
        // scanning the same pass at the same moment cannot both admit.
        m.create_index(
            Index::create()
                .name("ux_check_ins_pass")
                .table(CheckIns::Table)
                .col(CheckIns::PassId)
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_check_ins_center_scanned")
                .table(CheckIns::Table)
                .col(CheckIns::CenterId)
                .col(CheckIns::ScannedAt)
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CheckIns::Table.into_iden(),
            Passes::Table.into_iden(),
            Bookings::Table.into_iden(),
            Sessions::Table.into_iden(),
            Accounts::Table.into_iden(),
            People::Table.into_iden(),
            Spaces::Table.into_iden(),
            OpeningHours::Table.into_iden(),
            Centers::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
