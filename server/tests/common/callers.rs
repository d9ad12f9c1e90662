//! Who calls: sessions for made or seeded users, and the role matrix — one
//! caller of every kind (and a director and a front desk of another
//! center) that each endpoint's authorization is checked against.

use app::access::session::{self as membership, CurrentUser};
use app::domain::people::Role;
use app::model::{account, person};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{make_user, now};

/// The role matrix's callers, in the order of every policy row.
pub const CALLERS: [&str; 8] = [
    "anonymous",
    "visitor",
    "mentor",
    "front_desk",
    "director_of_own_center",
    "director_of_other_center",
    "admin",
    "front_desk_of_other_center",
];

/// The signed-in callers of the role matrix: `users` holds the seven after
/// "anonymous" (visitor, mentor, front desk of `own`, director of `own`,
/// director of `other`, admin, front desk of `other`); `cookies` one
/// session cookie for each of the eight `CALLERS` (`None` for anonymous).
pub struct Callers {
    pub users: Vec<CurrentUser>,
    pub cookies: Vec<Option<String>>,
}

/// Make one user of every role (see `Callers`) with a session each.
pub async fn role_matrix(db: &DatabaseConnection, own: i32, other: i32) -> Callers {
    let mut cookies: Vec<Option<String>> = vec![None];
    let mut users = Vec::new();
    for (role, center) in [
        (Role::Visitor, Some(own)),
        (Role::Mentor, Some(own)),
        (Role::FrontDesk, Some(own)),
        (Role::Director, Some(own)),
        (Role::Director, Some(other)),
        (Role::Admin, None),
        (Role::FrontDesk, Some(other)),
    ] {
        let u = make_user(db, role, center, "Test User").await;
        cookies.push(Some(session_cookie(db, u.account_id).await));
        users.push(u);
    }
    Callers { users, cookies }
}

/// A new session for the account, as its cookie (`oq_session=…`).
pub async fn session_cookie(db: &DatabaseConnection, account_id: i32) -> String {
    let token = membership::create_session(db, account_id, now())
        .await
        .unwrap();
    format!("oq_session={token}")
}

/// A seeded person by email (`minor@demo.ortalyq.kz`, …).
pub async fn person_by_email(db: &DatabaseConnection, email: &str) -> person::Model {
    person::Entity::find()
        .filter(person::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// A seeded account by its person's email, as the services see it
/// (English, the account's role and home center).
pub async fn user_by_email(db: &DatabaseConnection, email: &str) -> CurrentUser {
    let p = person_by_email(db, email).await;
    let a = account::Entity::find()
        .filter(account::Column::PersonId.eq(p.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    CurrentUser {
        account_id: a.id,
        person_id: p.id,
        full_name: p.full_name,
        role: a.role,
        home_center_id: a.home_center_id,
        lang: app::i18n::Locale::En,
    }
}
