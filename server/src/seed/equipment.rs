//! The regional center's lending shelf.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use app::domain::lending::{self, Condition, ItemKind, LoanStatus};
use app::domain::people::Role;
use app::domain::space::SpaceKind;
use app::model::{equipment_item, equipment_loan, space};

use super::people::{account_by_email, extra_person};

/// (kind, name, serial, label, condition, loan days, needs the sound-studio induction)
const EQUIPMENT: [(ItemKind, &str, &str, &str, Condition, i32, bool); 6] = [
    (
        ItemKind::Camera,
        "Sony Alpha a6400",
        "SN-A6400-3391027",
        "EQ-0001",
        Condition::Good,
        2,
        false,
    ),
    (
        ItemKind::LightKit,
        "Godox SL60W ×2",
        "GDX-SL60-18842",
        "EQ-0002",
        Condition::Good,
        2,
        false,
    ),
    (
        ItemKind::Microphone,
        "Rode VideoMic Pro+",
        "RODE-VMP-77120",
        "EQ-0003",
        Condition::Worn,
        3,
        false,
    ),
    (
        ItemKind::SoundKit,
        "Zoom H6 + Audio-Technica ATH-M50x",
        "ZOOM-H6-004519",
        "EQ-0004",
        Condition::Good,
        2,
        true,
    ),
    (
        ItemKind::Tripod,
        "Manfrotto 190X",
        "MF-190X-22017",
        "EQ-0005",
        Condition::Good,
        3,
        false,
    ),
    (
        ItemKind::Camera,
        "Canon EOS 250D",
        "CN-250D-55310",
        "EQ-0006",
        Condition::Good,
        2,
        false,
    ),
];

/// The regional center's lending shelf, and one loan two days overdue (the
/// Canon, borrowed by a member who is not a demo login).
pub(super) async fn seed_equipment<C: ConnectionTrait>(
    db: &C,
    regional: i32,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let sound = space::Entity::find()
        .filter(space::Column::CenterId.eq(regional))
        .filter(space::Column::Kind.eq(SpaceKind::SoundStudio.as_str()))
        .one(db)
        .await?
        .map(|s| s.id);
    let mut last = None;
    for (kind, name, serial, label, condition, days, induction) in EQUIPMENT {
        last = Some(
            equipment_item::ActiveModel {
                center_id: Set(regional),
                kind: Set(kind),
                name: Set(name.into()),
                serial: Set(serial.into()),
                label_code: Set(label.into()),
                condition: Set(condition),
                notes: Set(None),
                induction_space_id: Set(if induction { sound } else { None }),
                loan_days: Set(days),
                active: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?,
        );
    }
    let (borrower, _) = extra_person(
        db,
        "Ернар Бекболатов",
        "ernar@demo.ortalyq.kz",
        Role::Visitor,
        regional,
        password_hash,
        now,
    )
    .await?;
    let (_, desk) = account_by_email(db, "desk@demo.ortalyq.kz").await?;
    if let Some(canon) = last {
        let out = now - chrono::Duration::days(4);
        equipment_loan::ActiveModel {
            item_id: Set(canon.id),
            person_id: Set(borrower.id),
            status: Set(LoanStatus::Out),
            reserved_at: Set(out),
            pickup_on: Set(Some(
                out.with_timezone(&chrono_tz::Asia::Almaty).date_naive(),
            )),
            due_at: Set(Some(lending::due_at(out, chrono_tz::Asia::Almaty, 2))),
            checked_out_at: Set(Some(out)),
            checked_out_by: Set(Some(desk.id)),
            returned_at: Set(None),
            returned_by: Set(None),
            return_condition: Set(None),
            return_note: Set(None),
            cancelled_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
