//! Bookings and passes made through the services, as a member would.

use app::access::session::CurrentUser;
use app::booking::service::{self as booking, BookingRequest};
use app::model::{booking as booking_row, pass};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{keys, local, now};

/// A request for one person, one week, the space's default length.
pub fn booking_request(space_id: i32, start: DateTime<Utc>) -> BookingRequest {
    BookingRequest {
        space_id,
        starts_at: start,
        party: 1,
        weeks: 1,
        ..Default::default()
    }
}

/// Book a slot for one (the demo's keys, at the tests' now).
pub async fn book_one(
    db: &DatabaseConnection,
    user: &CurrentUser,
    space_id: i32,
    start: DateTime<Utc>,
) -> booking_row::Model {
    booking::book(db, &keys(), user, space_id, start, 1, now())
        .await
        .unwrap()
}

/// A member's pending request for the lecture hall (30 people on
/// 4 December, 15:00): staff decide it. Its booking id.
pub async fn pending_hall_request(db: &DatabaseConnection, member: &CurrentUser, hall: i32) -> i32 {
    booking::book_request(
        db,
        &keys(),
        member,
        None,
        BookingRequest {
            space_id: hall,
            starts_at: local(4, 15, 0),
            party: 30,
            purpose: Some("Debate club final".into()),
            weeks: 1,
            ..Default::default()
        },
        now(),
    )
    .await
    .unwrap()
    .bookings[0]
        .id
}

/// The pass issued for a booking.
pub async fn pass_of(db: &DatabaseConnection, booking_id: i32) -> pass::Model {
    pass::Entity::find()
        .filter(pass::Column::BookingId.eq(booking_id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// A 14-year-old's sign-up form (phone only) with a guardian, at `center`;
/// the guardian gets the consent code by SMS, and by email too when given.
pub fn minor_registration(
    center: i32,
    guardian_email: Option<&str>,
) -> app::membership::registration::RegisterForm {
    app::membership::registration::RegisterForm {
        full_name: "Dias Serikuly".into(),
        birth_date: "2012-01-20".into(),
        phone: Some("+7 701 444 55 66".into()),
        email: None,
        password: "kuy-dombra-2026".into(),
        lang: "kk".into(),
        home_center_id: center.to_string(),
        settlement: "rural".into(),
        occupation: "pupil".into(),
        education: "basic".into(),
        iin: None,
        guardian_name: Some("Гүлмира Ахметова".into()),
        guardian_phone: Some("+7 777 000 11 22".into()),
        guardian_email: guardian_email.map(Into::into),
    }
}
