//! Programs against real databases (SQLite and PostgreSQL): eligibility
//! refusals with every reason, the cohort capacity under concurrent accepts,
//! rejection reasons the applicant sees, attendance, the completion
//! threshold and certificate verification, and refusals for the wrong role
//! or center.

#[macro_use]
mod common;

use app::access::session::CurrentUser;
use app::domain::eligibility::Ineligible;
use app::domain::people::Education;
use app::domain::people::Role;
use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::model::{person, program, program_application, program_session};
use app::programs::dto::{AppStatus, ApplyForm, ProgramForm, SessionsForm};
use app::programs::service as programs;
use app::programs::{certificates, review, staff};
use chrono::{Duration, NaiveDate};
use common::{center_id, local, make_user, now, Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};

/// A program created through the director's form.
async fn new_program(
    db: &DatabaseConnection,
    director: &CurrentUser,
    center: i32,
    edit: impl FnOnce(&mut ProgramForm),
) -> program::Model {
    let mut f = ProgramForm {
        center_id: center.to_string(),
        name_ru: "Школа аналитики".into(),
        name_kk: "Аналитика мектебі".into(),
        direction: "it".into(),
        min_age: "21".into(),
        max_age: "35".into(),
        min_education: "master".into(),
        capacity: "20".into(),
        completion_percent: "80".into(),
        ..Default::default()
    };
    edit(&mut f);
    staff::create_program(db, director, &f, now())
        .await
        .unwrap()
}

fn form(education: &str, settlement: &str) -> ApplyForm {
    ApplyForm {
        education: education.into(),
        occupation: "employed".into(),
        settlement: settlement.into(),
        motivation: "Хочу научиться анализу политики.".into(),
    }
}

async fn set_birth(db: &DatabaseConnection, u: &CurrentUser, birth: NaiveDate) {
    let mut p = person::Entity::find_by_id(u.person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    p.birth_date = Set(birth);
    p.update(db).await.unwrap();
}

async fn person_of(db: &DatabaseConnection, u: &CurrentUser) -> person::Model {
    person::Entity::find_by_id(u.person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn applications_of(db: &DatabaseConnection, program_id: i32) -> u64 {
    program_application::Entity::find()
        .filter(program_application::Column::ProgramId.eq(program_id))
        .count(db)
        .await
        .unwrap()
}

async fn eligibility_refusal_lists_every_reason_and_writes_nothing(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let p = new_program(db, &director, regional, |_| {}).await;
    let member = make_user(db, Role::Visitor, Some(regional), "Aigerim Nurlanova").await;
    // 21 tomorrow (the tests' today is 1 December 2026): still 20 today.
    set_birth(db, &member, NaiveDate::from_ymd_opt(2005, 12, 2).unwrap()).await;

    // The program page tells a signed-in member beforehand.
    let detail = programs::program_detail(db, Some(&member), p.id, now(), Locale::En)
        .await
        .unwrap();
    let me = detail.me.unwrap();
    assert_eq!(
        me.reasons,
        vec![
            Ineligible::TooYoung {
                min_age: 21,
                age: 20
            },
            Ineligible::Education {
                required: Education::Master
            }
        ]
    );
    assert!(detail
        .rules
        .iter()
        .any(|r| r.contains("21") && r.contains("35")));

    // Submitting anyway (even with a bachelor's degree on the form): every
    // reason comes back, in the member's language, and nothing is written.
    let err = programs::apply(db, &member, p.id, &form("bachelor", "rural"), now())
        .await
        .unwrap_err();
    let AppError::Ineligible { reasons } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(reasons.len(), 2);
    let ru = err.message(Locale::Ru);
    assert!(
        ru.contains("21") && ru.contains("20") && ru.contains("Магистратура"),
        "{ru}"
    );
    assert_eq!(err.status(), 403);
    assert_eq!(applications_of(db, p.id).await, 0);
    let unchanged = person_of(db, &member).await;
    assert_eq!(
        (unchanged.education.as_str(), unchanged.settlement.as_str()),
        ("secondary", "city"),
        "a refused application changes no profile fact"
    );

    // On the birthday itself the age rule passes; the education the member
    // confirms on the form is stored with the application.
    set_birth(db, &member, NaiveDate::from_ymd_opt(2005, 12, 1).unwrap()).await;
    let a = programs::apply(db, &member, p.id, &form("master", "city"), now())
        .await
        .unwrap();
    assert_eq!(a.status.as_str(), "submitted");
    assert_eq!(person_of(db, &member).await.education.as_str(), "master");
    // One live application per program.
    assert_eq!(
        programs::apply(db, &member, p.id, &form("master", "city"), now())
            .await
            .unwrap_err(),
        AppError::AlreadyApplied
    );
    // An empty motivation is refused by field.
    let other = make_user(db, Role::Visitor, Some(regional), "Other").await;
    let mut f = form("master", "city");
    f.motivation = "  ".into();
    assert_eq!(
        programs::apply(db, &other, p.id, &f, now())
            .await
            .unwrap_err(),
        AppError::Invalid {
            field: "motivation".into(),
            problem: Problem::Required
        }
    );

    // The rural rule names the residence; after the deadline nobody applies.
    let rural = new_program(db, &director, regional, |f| {
        f.min_education.clear();
        f.min_age.clear();
        f.max_age.clear();
        f.rural_only = true;
        f.occ_neet = true;
        f.occ_student = true;
    })
    .await;
    let err = programs::apply(db, &other, rural.id, &form("secondary", "city"), now())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Ineligible { reasons } if reasons.len() == 2
            && reasons[0] == Ineligible::NotRural
            && matches!(reasons[1], Ineligible::Occupation { .. })),
        "{err:?}"
    );
    let closed = new_program(db, &director, regional, |f| {
        f.min_education.clear();
        f.applications_close_on = "2026-11-30".into();
    })
    .await;
    assert_eq!(
        programs::apply(db, &other, closed.id, &form("master", "city"), now())
            .await
            .unwrap_err(),
        AppError::ApplicationsClosed
    );
    // A minor without a guardian's consent cannot apply, even to a program
    // open to every age; nothing is written.
    let open = new_program(db, &director, regional, |f| {
        f.min_age.clear();
        f.max_age.clear();
        f.min_education.clear();
    })
    .await;
    let minor = make_user(db, Role::Visitor, Some(regional), "Minor Member").await;
    set_birth(db, &minor, NaiveDate::from_ymd_opt(2010, 3, 1).unwrap()).await;
    assert_eq!(
        programs::apply(db, &minor, open.id, &form("basic", "city"), now())
            .await
            .unwrap_err(),
        AppError::ConsentRequired
    );
    assert_eq!(applications_of(db, open.id).await, 0);
    t.close().await;
}

async fn two_staff_accepting_the_last_place_one_wins(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let p = new_program(db, &director, regional, |f| {
        f.capacity = "1".into();
        f.min_education.clear();
    })
    .await;
    let mut ids = Vec::new();
    let mut members = Vec::new();
    for name in ["First Applicant", "Second Applicant"] {
        let m = make_user(db, Role::Visitor, Some(regional), name).await;
        members.push(m.clone());
        ids.push(
            programs::apply(db, &m, p.id, &form("bachelor", "city"), now())
                .await
                .unwrap()
                .id,
        );
    }
    // The queue shows both, with the single place.
    let queue = review::review_queue(db, &desk, now(), Locale::En)
        .await
        .unwrap();
    let mine: Vec<_> = queue.iter().filter(|r| r.program_id == p.id).collect();
    assert_eq!(mine.len(), 2);
    assert!(mine[0].places.contains("1 of 1"), "{}", mine[0].places);

    for _ in 0..3 {
        let (a, b) = tokio::join!(
            review::decide(db, &desk, ids[0], true, "", now()),
            review::decide(db, &director, ids[1], true, "", now()),
        );
        let results = [a, b];
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "{results:?}");
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(AppError::CohortFull))),
            "{results:?}"
        );
        assert!(AppError::CohortFull.message(Locale::Kk).contains("орын"));
        let accepted = program_application::Entity::find()
            .filter(program_application::Column::ProgramId.eq(p.id))
            .filter(program_application::Column::Status.eq("accepted"))
            .count(db)
            .await
            .unwrap();
        assert_eq!(accepted, 1);
        // Reset for another round.
        for id in &ids {
            let mut a = program_application::Entity::find_by_id(*id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .into_active_model();
            a.status = Set(app::domain::codes::AppStatus::Submitted);
            a.update(db).await.unwrap();
        }
    }
    // Deciding twice: the second is told it is decided.
    review::decide(db, &desk, ids[0], true, "", now())
        .await
        .unwrap();
    assert_eq!(
        review::decide(db, &director, ids[0], false, "late", now())
            .await
            .unwrap_err(),
        AppError::AlreadyDecided
    );
    // A withdrawal frees the place.
    programs::withdraw(db, &members[0], ids[0], now())
        .await
        .unwrap();
    review::decide(db, &director, ids[1], true, "", now())
        .await
        .unwrap();
    t.close().await;
}

async fn rejection_reason_reaches_the_applicant(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let p = new_program(db, &director, regional, |f| f.min_education.clear()).await;
    let m = make_user(db, Role::Visitor, Some(regional), "Aliya Bekova").await;
    let a = programs::apply(db, &m, p.id, &form("bachelor", "city"), now())
        .await
        .unwrap();
    // A rejection needs a reason.
    assert_eq!(
        review::decide(db, &desk, a.id, false, "  ", now())
            .await
            .unwrap_err(),
        AppError::Invalid {
            field: "reason".into(),
            problem: Problem::Required
        }
    );
    review::decide(
        db,
        &desk,
        a.id,
        false,
        "The cohort is for analysts already working in the public sector",
        now(),
    )
    .await
    .unwrap();
    let mine = programs::my_applications(db, &m, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, AppStatus::Rejected);
    assert_eq!(
        mine[0].decision_reason.as_deref(),
        Some("The cohort is for analysts already working in the public sector")
    );
    // The program page shows it too, and the form is offered again.
    let detail = programs::program_detail(db, Some(&m), p.id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(
        detail.me.unwrap().application.unwrap().status,
        AppStatus::Rejected
    );
    // The rejected application has left the queue; the member may apply again.
    assert!(!review::review_queue(db, &desk, now(), Locale::En)
        .await
        .unwrap()
        .iter()
        .any(|r| r.id == a.id));
    programs::apply(db, &m, p.id, &form("bachelor", "city"), now())
        .await
        .unwrap();
    t.close().await;
}

async fn completion_threshold_and_certificate_verification(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let p = new_program(db, &director, regional, |f| f.min_education.clear()).await;
    let good = make_user(db, Role::Visitor, Some(regional), "Madina Serikova").await;
    let weak = make_user(db, Role::Visitor, Some(regional), "Nurlan Akhmetov").await;
    for m in [&good, &weak] {
        let a = programs::apply(db, m, p.id, &form("bachelor", "city"), now())
            .await
            .unwrap();
        review::decide(db, &desk, a.id, true, "", now())
            .await
            .unwrap();
    }
    // Five weekly sessions, four held and one tomorrow.
    let mut sessions = Vec::new();
    for w in 0..5 {
        let starts = local(2, 18, 0) - Duration::weeks(4 - w);
        sessions.push(
            program_session::ActiveModel {
                program_id: Set(p.id),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::hours(2)),
                title: Set(format!("Week {}", w + 1)),
                space_id: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap(),
        );
    }
    // A session that has not started cannot be ticked; nor can a stranger.
    assert_eq!(
        staff::mark_attendance(db, &desk, sessions[4].id, good.person_id, true, now())
            .await
            .unwrap_err(),
        AppError::SessionNotHeld
    );
    let stranger = make_user(db, Role::Visitor, Some(regional), "Stranger").await;
    assert_eq!(
        staff::mark_attendance(db, &desk, sessions[0].id, stranger.person_id, true, now())
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    // Good attends the four held sessions (ticked twice: one row); weak
    // three, with one mistaken tick undone.
    for s in &sessions[..4] {
        for _ in 0..2 {
            staff::mark_attendance(db, &desk, s.id, good.person_id, true, now())
                .await
                .unwrap();
        }
    }
    for s in &sessions[..4] {
        staff::mark_attendance(db, &desk, s.id, weak.person_id, true, now())
            .await
            .unwrap();
    }
    staff::mark_attendance(db, &desk, sessions[3].id, weak.person_id, false, now())
        .await
        .unwrap();
    let roster = staff::roster(db, &desk, sessions[3].id, now(), Locale::En)
        .await
        .unwrap();
    let present: Vec<_> = roster.rows.iter().filter(|r| r.present).collect();
    assert_eq!(present.len(), 1);
    assert_eq!(present[0].person_id, good.person_id);

    // Before the last session no certificate is issued.
    assert_eq!(
        certificates::issue_certificates(db, &desk, p.id, now())
            .await
            .unwrap_err(),
        AppError::ProgramNotOver
    );
    // After it (nobody ticked there): good 4/5 = 80% completes, weak 3/5 does not.
    let later = sessions[4].starts_at + Duration::hours(3);
    let staff = staff::program_staff(db, &desk, p.id, later, Locale::En)
        .await
        .unwrap();
    assert!(staff.over);
    let progress: Vec<(String, u32, bool)> = staff
        .participants
        .iter()
        .map(|x| (x.name.clone(), x.percent, x.reached))
        .collect();
    assert_eq!(
        progress,
        vec![
            ("Madina Serikova".to_string(), 80, true),
            ("Nurlan Akhmetov".to_string(), 60, false)
        ]
    );
    assert_eq!(
        certificates::issue_certificates(db, &desk, p.id, later)
            .await
            .unwrap(),
        1
    );
    // Issuing again adds nothing and keeps the code.
    assert_eq!(
        certificates::issue_certificates(db, &director, p.id, later)
            .await
            .unwrap(),
        0
    );
    let mine = programs::my_applications(db, &good, later, Locale::En)
        .await
        .unwrap();
    let code = mine[0].certificate_code.clone().expect("certificate");
    assert_eq!(code.len(), 20);
    assert!(programs::my_applications(db, &weak, later, Locale::En)
        .await
        .unwrap()[0]
        .certificate_code
        .is_none());

    // Anyone verifies it by code: holder, program, attendance and a QR to
    // the verification page.
    let cert = certificates::certificate(db, &code, "https://ortalyq.example", Locale::Ru)
        .await
        .unwrap();
    assert_eq!(cert.holder, "Madina Serikova");
    assert_eq!(cert.program_name, "Школа аналитики");
    assert_eq!(
        cert.verify_url,
        format!("https://ortalyq.example/certificates/{code}")
    );
    assert!(cert.qr_svg.contains("<svg"));
    assert!(cert.attended.contains('4') && cert.attended.contains('5'));
    // The code may be typed in lower case; an altered or unknown code is not found.
    assert!(
        certificates::certificate(db, &code.to_lowercase(), "http://x", Locale::En)
            .await
            .is_ok()
    );
    let mut altered = code.clone().into_bytes();
    altered[0] = if altered[0] == b'A' { b'B' } else { b'A' };
    for bad in [
        String::from_utf8(altered).unwrap(),
        "NOSUCHCERTIFICATE000".into(),
        "../../etc".into(),
        String::new(),
    ] {
        assert_eq!(
            certificates::certificate(db, &bad, "http://x", Locale::En)
                .await
                .unwrap_err(),
            AppError::NotFound,
            "{bad}"
        );
    }

    // The member's data export lists the application and its certificate;
    // after the account is deleted the certificate (which names the member)
    // no longer verifies and the motivation is gone.
    let export = app::privacy::service::export_my_data(db, &good)
        .await
        .unwrap();
    assert!(
        export.contains("program_applications") && export.contains(&code),
        "{export}"
    );
    app::privacy::service::delete_my_account(db, &crate::common::keys(), &good, later)
        .await
        .unwrap();
    assert_eq!(
        certificates::certificate(db, &code, "http://x", Locale::En)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    let erased = program_application::Entity::find()
        .filter(program_application::Column::PersonId.eq(good.person_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(erased.motivation, "");
    t.close().await;
}

async fn wrong_role_or_center_is_refused(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let temirtau = center_id(db, "temirtau").await;
    let director = make_user(db, Role::Director, Some(regional), "Director").await;
    let other_director = make_user(db, Role::Director, Some(temirtau), "Director T").await;
    let other_desk = make_user(db, Role::FrontDesk, Some(temirtau), "Desk T").await;
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    let mentor = make_user(db, Role::Mentor, Some(regional), "Mentor").await;
    let member = make_user(db, Role::Visitor, Some(regional), "Member").await;
    let p = new_program(db, &director, regional, |f| f.min_education.clear()).await;
    let a = programs::apply(db, &member, p.id, &form("bachelor", "city"), now())
        .await
        .unwrap();

    // Members and mentors do not review; staff of another center do not see
    // or decide this center's applications.
    for u in [&member, &mentor] {
        assert_eq!(
            review::review_queue(db, u, now(), Locale::En)
                .await
                .unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(
            review::decide(db, u, a.id, true, "", now())
                .await
                .unwrap_err(),
            AppError::Forbidden
        );
    }
    assert!(!review::review_queue(db, &other_desk, now(), Locale::En)
        .await
        .unwrap()
        .iter()
        .any(|r| r.id == a.id));
    for u in [&other_desk, &other_director] {
        assert_eq!(
            review::decide(db, u, a.id, true, "", now())
                .await
                .unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            staff::program_staff(db, u, p.id, now(), Locale::En)
                .await
                .unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            certificates::issue_certificates(db, u, p.id, now())
                .await
                .unwrap_err(),
            AppError::NotFound
        );
    }
    // Only directors (of the center) and admins create programs and sessions.
    let series = SessionsForm {
        first_date: "2026-12-07".into(),
        start_time: "18:00".into(),
        minutes: "120".into(),
        weeks: "5".into(),
        title: "Лекция".into(),
        space_id: String::new(),
    };
    assert_eq!(
        staff::add_sessions(db, &desk, p.id, &series, now())
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        staff::add_sessions(db, &other_director, p.id, &series, now())
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    let mut f = ProgramForm {
        center_id: regional.to_string(),
        name_ru: "Чужая программа".into(),
        direction: "media".into(),
        capacity: "10".into(),
        completion_percent: "80".into(),
        ..Default::default()
    };
    assert_eq!(
        staff::create_program(db, &desk, &f, now())
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        staff::create_program(db, &other_director, &f, now())
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    f.center_id = temirtau.to_string();
    staff::create_program(db, &other_director, &f, now())
        .await
        .unwrap();

    // The director's weekly series: five sessions a week apart, 18:00 local.
    assert_eq!(
        staff::add_sessions(db, &director, p.id, &series, now())
            .await
            .unwrap(),
        5
    );
    let detail = programs::program_detail(db, None, p.id, now(), Locale::En)
        .await
        .unwrap();
    assert_eq!(detail.sessions.len(), 5);
    assert!(detail.sessions[0].when.contains("07.12") && detail.sessions[0].when.contains("18:00"));
    assert!(detail.sessions[4].when.contains("04.01"));
    assert_eq!(detail.card.dates, "07.12.2026 – 04.01.2027");
    assert!(detail.me.is_none());

    // A member withdraws only their own application.
    let someone = make_user(db, Role::Visitor, Some(regional), "Someone").await;
    assert_eq!(
        programs::withdraw(db, &someone, a.id, now())
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        staff::mark_attendance(db, &member, 1, member.person_id, true, now())
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    t.close().await;
}

async fn demo_programs_are_seeded_with_a_waiting_application(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let regional = center_id(db, "karaganda-regional").await;
    let list = programs::list_programs(db, now(), Locale::Ru)
        .await
        .unwrap();
    assert!(list
        .iter()
        .any(|c| c.name == "Школа аналитики" && c.sessions == 5));
    let desk = make_user(db, Role::FrontDesk, Some(regional), "Desk").await;
    assert!(!review::review_queue(db, &desk, now(), Locale::Ru)
        .await
        .unwrap()
        .is_empty());
    let cert =
        certificates::certificate(db, server::seed::DEMO_CERTIFICATE, "http://x", Locale::Kk)
            .await
            .unwrap();
    assert_eq!(cert.holder, "Аружан Сейтқали");
    t.close().await;
}

on_both_databases!(
    eligibility_refusal_lists_every_reason_and_writes_nothing,
    two_staff_accepting_the_last_place_one_wins,
    rejection_reason_reaches_the_applicant,
    completion_threshold_and_certificate_verification,
    wrong_role_or_center_is_refused,
    demo_programs_are_seeded_with_a_waiting_application,
);
