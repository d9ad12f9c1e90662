//! Seeded names after the language review (issue 22): the volunteering
//! direction takes the Kazakh word «Еріктілік» (where the admin has not
//! renamed it), and 7 January, Orthodox Christmas, a public day off in
//! Kazakhstan, joins the fixed holidays.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Directions {
    Table,
    Code,
    NameKk,
}

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Year,
    Month,
    Day,
    NameKk,
    NameRu,
    NameEn,
}

const OLD_VOLUNTEERING: &str = "Волонтерлік";
const NEW_VOLUNTEERING: &str = "Еріктілік";

fn rename(from: &str, to: &str) -> UpdateStatement {
    Query::update()
        .table(Directions::Table)
        .value(Directions::NameKk, to)
        .and_where(Expr::col(Directions::Code).eq("volunteering"))
        .and_where(Expr::col(Directions::NameKk).eq(from))
        .to_owned()
}

fn christmas() -> Condition {
    Condition::all()
        .add(Expr::col(Holidays::Year).is_null())
        .add(Expr::col(Holidays::Month).eq(1))
        .add(Expr::col(Holidays::Day).eq(7))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(rename(OLD_VOLUNTEERING, NEW_VOLUNTEERING))
            .await?;
        let exists = m
            .get_connection()
            .query_one(
                &Query::select()
                    .expr(Expr::val(1))
                    .from(Holidays::Table)
                    .cond_where(christmas())
                    .to_owned(),
            )
            .await?
            .is_some();
        if !exists {
            m.exec_stmt(
                Query::insert()
                    .into_table(Holidays::Table)
                    .columns([
                        Holidays::Month,
                        Holidays::Day,
                        Holidays::NameKk,
                        Holidays::NameRu,
                        Holidays::NameEn,
                    ])
                    .values_panic([
                        1.into(),
                        7.into(),
                        "Православиелік Рождество".into(),
                        "Православное Рождество".into(),
                        "Orthodox Christmas".into(),
                    ])
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(
            Query::delete()
                .from_table(Holidays::Table)
                .cond_where(christmas())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(rename(NEW_VOLUNTEERING, OLD_VOLUNTEERING))
            .await
    }
}
