//! Export and erasure of a member's data.

use crate::access::CurrentUser;
use crate::error::AppError;
use crate::model::{account, booking, check_in, consent, pass, person, session};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;

#[derive(Serialize)]
struct ExportBooking {
    space_id: i32,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    party_size: i32,
    status: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct ExportCheckIn {
    center_id: i32,
    space_id: Option<i32>,
    scanned_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct ExportConsent {
    version: i32,
    guardian_name: String,
    guardian_phone: String,
    method: String,
    recorded_at: DateTime<Utc>,
}

/// Everything Ortalyq keeps about the member, as pretty JSON.
pub async fn export_my_data(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> Result<String, AppError> {
    let p = person::Entity::find_by_id(user.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let acc = account::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let bookings: Vec<ExportBooking> = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(p.id))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|b| ExportBooking {
            space_id: b.space_id,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            party_size: b.party_size,
            status: b.status.as_str().to_string(),
            created_at: b.created_at,
        })
        .collect();
    let check_ins: Vec<ExportCheckIn> = check_in::Entity::find()
        .filter(check_in::Column::PersonId.eq(p.id))
        .order_by_asc(check_in::Column::ScannedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| ExportCheckIn {
            center_id: c.center_id,
            space_id: c.space_id,
            scanned_at: c.scanned_at,
        })
        .collect();
    let consents: Vec<ExportConsent> = consent::Entity::find()
        .filter(consent::Column::PersonId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| ExportConsent {
            version: c.version,
            guardian_name: c.guardian_name,
            guardian_phone: c.guardian_phone,
            method: c.method.as_str().to_string(),
            recorded_at: c.recorded_at,
        })
        .collect();
    let doc = serde_json::json!({
        "format": "ortalyq-member-export-v1",
        "person": {
            "member_number": crate::domain::membership::member_number(p.id),
            "full_name": p.full_name,
            "birth_date": p.birth_date,
            "phone": p.phone,
            "email": p.email,
            "iin": p.iin,
            "preferred_lang": p.preferred_lang.code(),
            "settlement": p.settlement.as_str(),
            "occupation": p.occupation.as_str(),
            "education": p.education.as_str(),
            "guardian_name": p.guardian_name,
            "guardian_phone": p.guardian_phone,
            "guardian_email": p.guardian_email,
            "created_at": p.created_at,
        },
        "account": { "role": acc.role.as_str(), "home_center_id": acc.home_center_id, "created_at": acc.created_at },
        "bookings": bookings,
        "check_ins": check_ins,
        "guardian_consents": consents,
        "program_applications": crate::programs::service::export_for(db, p.id).await?,
    });
    serde_json::to_string_pretty(&doc).map_err(|_| AppError::Internal)
}

/// Delete on request: identifying data is erased, the account can no longer
/// sign in, future bookings are cancelled and passes revoked; the history of
/// visits stays as anonymous aggregates (birth date kept to the year for age
/// bands; settlement and occupation kept for reach figures).
pub async fn delete_my_account(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use chrono::Datelike;
    let txn = crate::model::begin_write(db).await?;
    let p = person::Entity::find_by_id(user.person_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let year_only =
        chrono::NaiveDate::from_ymd_opt(p.birth_date.year(), 7, 1).unwrap_or(p.birth_date);
    let mut ap = p.into_active_model();
    ap.full_name = Set(format!("Deleted member {}", user.person_id));
    ap.phone = Set(None);
    ap.email = Set(None);
    ap.iin = Set(None);
    ap.guardian_name = Set(None);
    ap.guardian_phone = Set(None);
    ap.guardian_email = Set(None);
    ap.birth_date = Set(year_only);
    ap.update(&txn).await?;
    consent::Entity::delete_many()
        .filter(consent::Column::PersonId.eq(user.person_id))
        .exec(&txn)
        .await?;
    crate::programs::service::erase_for(&txn, user.person_id, now).await?;
    // Future bookings are cancelled, except those the member already came to.
    let used_passes: Vec<i32> = check_in::Entity::find()
        .filter(check_in::Column::PersonId.eq(user.person_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| c.pass_id)
        .collect();
    let attended: Vec<i32> = pass::Entity::find()
        .filter(pass::Column::Id.is_in(used_passes))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|p| p.booking_id)
        .collect();
    booking::Entity::update_many()
        .col_expr(
            booking::Column::Status,
            sea_orm::sea_query::Expr::value("cancelled"),
        )
        .filter(booking::Column::PersonId.eq(user.person_id))
        .filter(booking::Column::StartsAt.gt(now))
        .filter(booking::Column::Id.is_not_in(attended))
        .exec(&txn)
        .await?;
    pass::Entity::update_many()
        .col_expr(
            pass::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(pass::Column::PersonId.eq(user.person_id))
        .filter(pass::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    let acc = account::Entity::find_by_id(user.account_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut aa = acc.into_active_model();
    aa.password_hash = Set("!deleted".into());
    aa.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(user.account_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
