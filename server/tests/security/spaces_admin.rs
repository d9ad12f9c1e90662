//! Space administration under attack: another center's director, the desk,
//! members and mentors, moving a space to a center that is not the user's
//! or not operating, oversized input — refused, and nothing written.

use app::access::session::CurrentUser;
use app::booking::space_close::deactivate_space;
use app::centers::dto::SpaceRulesForm;
use app::centers::manage::update_space_rules;
use app::centers::spaces::{create_space, reactivate_space, save_space_details, space_editor};
use app::centers::spaces_dto::{default_rules, SpaceDetailsForm, MAX_NAME};
use app::domain::codes::BookingStatus;
use app::domain::people::Role;
use app::domain::space::SpaceKind;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::model::{audit_log, booking, center, space};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait, Set,
};

use crate::common::{center_id, keys, local, make_user, now, Backend, TestDb};

fn details(center_id: i32, name: &str) -> SpaceDetailsForm {
    SpaceDetailsForm {
        center_id,
        kind: SpaceKind::MeetingRoom.as_str().into(),
        name_kk: format!("{name} бөлмесі"),
        name_ru: format!("Комната {name}"),
        name_en: format!("{name} room"),
        ..Default::default()
    }
}

fn rules() -> SpaceRulesForm {
    default_rules(SpaceKind::MeetingRoom)
}

/// Everything an attack could change: spaces, bookings and the audit log.
async fn snapshot(db: &DatabaseConnection) -> (Vec<space::Model>, Vec<booking::Model>, u64) {
    (
        space::Entity::find().all(db).await.unwrap(),
        booking::Entity::find().all(db).await.unwrap(),
        audit_log::Entity::find().count(db).await.unwrap(),
    )
}

/// Every space action by `who` on the regional center's room.
async fn every_action(
    db: &DatabaseConnection,
    who: &CurrentUser,
    room: i32,
    regional: i32,
) -> Vec<Result<(), AppError>> {
    vec![
        space_editor(db, who, room, Locale::En, now())
            .await
            .map(|_| ()),
        save_space_details(db, who, room, details(regional, "Hacked"), now()).await,
        update_space_rules(
            db,
            who,
            room,
            SpaceRulesForm {
                capacity: 1,
                max_party: 1,
                ..rules()
            },
            now(),
        )
        .await,
        deactivate_space(db, who, room, "mine now", true, now())
            .await
            .map(|_| ()),
        reactivate_space(db, who, room, now()).await,
        create_space(db, who, details(regional, "Intruder"), rules(), now())
            .await
            .map(|_| ()),
    ]
}

async fn outsiders_change_nothing(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let boss = make_user(db, Role::Director, Some(regional), "Own Director").await;
    let room = create_space(db, &boss, details(regional, "Target"), rules(), now())
        .await
        .unwrap();
    let member = make_user(db, Role::Visitor, Some(regional), "Member M").await;
    let b = app::booking::service::book(db, &keys(), &member, room, local(3, 14, 0), 2, now())
        .await
        .unwrap();
    let before = snapshot(db).await;
    let callers = [
        make_user(db, Role::Director, Some(temirtau), "Other Director").await,
        make_user(db, Role::FrontDesk, Some(regional), "Desk D").await,
        make_user(db, Role::Visitor, Some(regional), "Visitor V").await,
        make_user(db, Role::Mentor, Some(regional), "Mentor M").await,
    ];
    for who in &callers {
        for (i, r) in every_action(db, who, room, regional)
            .await
            .into_iter()
            .enumerate()
        {
            assert!(
                matches!(r, Err(AppError::NotFound) | Err(AppError::Forbidden)),
                "{:?} action {i}: {r:?}",
                who.role
            );
        }
    }
    assert_eq!(snapshot(db).await, before);
    let b = booking::Entity::find_by_id(b.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.status, BookingStatus::Confirmed);
    t.close().await;
}

async fn no_move_to_foreign_or_closed_center(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let boss = make_user(db, Role::Director, Some(regional), "Own Director").await;
    let room = create_space(db, &boss, details(regional, "Mover"), rules(), now())
        .await
        .unwrap();
    let before = snapshot(db).await;
    // Not the director's center: refused, for a move and for a new space.
    assert_eq!(
        save_space_details(db, &boss, room, details(temirtau, "Mover"), now()).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        create_space(db, &boss, details(temirtau, "Elsewhere"), rules(), now()).await,
        Err(AppError::Forbidden)
    );
    // A deactivated center: refused on the center field, even for an admin.
    let mut c = center::Entity::find_by_id(temirtau)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    c.active = Set(false);
    c.update(db).await.unwrap();
    let admin = make_user(db, Role::Admin, None, "Admin A").await;
    let inactive = Err(AppError::Invalid {
        field: "center_id".into(),
        problem: Problem::Inactive,
    });
    assert_eq!(
        save_space_details(db, &admin, room, details(temirtau, "Mover"), now()).await,
        inactive
    );
    assert_eq!(
        create_space(db, &admin, details(temirtau, "Closed"), rules(), now())
            .await
            .map(|_| ()),
        inactive
    );
    // An unknown center is no better.
    assert!(
        create_space(db, &admin, details(999_999, "Nowhere"), rules(), now())
            .await
            .is_err()
    );
    assert_eq!(snapshot(db).await, before);
    t.close().await;
}

async fn oversized_input_writes_nothing(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let boss = make_user(db, Role::Director, Some(regional), "Own Director").await;
    let room = create_space(db, &boss, details(regional, "Big"), rules(), now())
        .await
        .unwrap();
    let member = make_user(db, Role::Visitor, Some(regional), "Member M").await;
    app::booking::service::book(db, &keys(), &member, room, local(3, 14, 0), 2, now())
        .await
        .unwrap();
    let before = snapshot(db).await;
    let long_name = SpaceDetailsForm {
        name_kk: "ә".repeat(MAX_NAME + 1),
        ..details(regional, "Big")
    };
    let huge_text = SpaceDetailsForm {
        description_en: "x".repeat(1_000_000),
        ..details(regional, "Big")
    };
    let bad_kind = SpaceDetailsForm {
        kind: "<script>".into(),
        ..details(regional, "Big")
    };
    for (form, field) in [
        (long_name, "name_kk"),
        (huge_text, "description_en"),
        (bad_kind, "kind"),
    ] {
        assert!(matches!(
            save_space_details(db, &boss, room, form.clone(), now()).await,
            Err(AppError::Invalid { field: f, .. }) if f == field
        ));
        assert!(matches!(
            create_space(db, &boss, form, rules(), now()).await,
            Err(AppError::Invalid { field: f, .. }) if f == field
        ));
    }
    for bad in [
        SpaceRulesForm {
            capacity: 100_000,
            ..rules()
        },
        SpaceRulesForm {
            capacity: -5,
            ..rules()
        },
        SpaceRulesForm {
            slot_minutes: 7,
            ..rules()
        },
        SpaceRulesForm {
            direction: "no-such-direction".into(),
            ..rules()
        },
    ] {
        assert!(matches!(
            create_space(db, &boss, details(regional, "Other"), bad.clone(), now()).await,
            Err(AppError::Invalid { .. })
        ));
        assert!(matches!(
            update_space_rules(db, &boss, room, bad, now()).await,
            Err(AppError::Invalid { .. })
        ));
    }
    assert_eq!(
        deactivate_space(db, &boss, room, &"r".repeat(10_000), true, now()).await,
        Err(AppError::Invalid {
            field: "reason".into(),
            problem: Problem::TooLong
        })
    );
    assert_eq!(snapshot(db).await, before);
    t.close().await;
}

on_both_databases!(
    outsiders_change_nothing,
    no_move_to_foreign_or_closed_center,
    oversized_input_writes_nothing,
);
