//! Export and erasure of a member's data. Each workflow exports and erases
//! its own tables (`export_for` / `erase_for`); this module composes them
//! with the member's own rows (person, account, bookings, passes, consent).

use crate::access::CurrentUser;
use crate::error::AppError;
use crate::model::{
    account, booking, check_in, consent, guardian_code, induction, pass, person, reset_code,
    session,
};
use crate::state::PassKeyRing;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::{json, Map, Value};

/// Every table that links rows to a person (a `person_id` column, or
/// `booked_by` for consultations), with the export section listing its rows.
/// [`export_my_data`] writes each section and [`delete_my_account`] erases
/// or anonymises each table; a test compares this list with the schema, so
/// a new table holding people fails until it is handled here.
pub const HANDLED_TABLES: &[(&str, &str)] = &[
    ("accounts", "account"),
    ("bookings", "bookings"),
    ("check_ins", "check_ins"),
    ("passes", "passes"),
    ("consents", "guardian_consents"),
    ("guardian_codes", "guardian_codes"),
    ("inductions", "inductions"),
    ("outbox", "messages"),
    ("program_applications", "program_applications"),
    ("program_attendance", "program_attendance"),
    ("club_members", "club_memberships"),
    ("club_attendance", "club_attendance"),
    ("event_registrations", "event_registrations"),
    ("notices", "notices"),
    ("equipment_loans", "equipment_loans"),
    ("consultation_slots", "consultations"),
    ("telegram_chats", "telegram_chats"),
];

fn array(rows: Vec<Value>) -> Value {
    Value::Array(rows)
}

/// The sections of the rows the member's account holds directly.
async fn own_sections<C: ConnectionTrait>(
    db: &C,
    pid: i32,
) -> Result<Map<String, Value>, AppError> {
    let mut out = Map::new();
    let bookings = booking::Entity::find()
        .filter(booking::Column::PersonId.eq(pid))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await?;
    out.insert(
        "bookings".into(),
        array(
            bookings
                .into_iter()
                .map(|b| {
                    json!({
                        "space_id": b.space_id,
                        "starts_at": b.starts_at,
                        "ends_at": b.ends_at,
                        "party_size": b.party_size,
                        "status": b.status.as_str(),
                        "purpose": b.purpose,
                        "decision_reason": b.decision_reason,
                        "created_at": b.created_at,
                    })
                })
                .collect(),
        ),
    );
    let check_ins = check_in::Entity::find()
        .filter(check_in::Column::PersonId.eq(pid))
        .order_by_asc(check_in::Column::ScannedAt)
        .all(db)
        .await?;
    out.insert(
        "check_ins".into(),
        array(
            check_ins
                .into_iter()
                .map(|c| {
                    json!({
                        "center_id": c.center_id,
                        "space_id": c.space_id,
                        "scanned_at": c.scanned_at,
                        "checked_out_at": c.checked_out_at,
                    })
                })
                .collect(),
        ),
    );
    let passes = pass::Entity::find()
        .filter(pass::Column::PersonId.eq(pid))
        .order_by_asc(pass::Column::Id)
        .all(db)
        .await?;
    out.insert(
        "passes".into(),
        array(
            passes
                .into_iter()
                .map(|p| {
                    json!({
                        "kind": p.kind.as_str(),
                        "center_id": p.center_id,
                        "booking_id": p.booking_id,
                        "club_id": p.club_id,
                        "event_id": p.event_id,
                        "valid_from": p.valid_from,
                        "valid_until": p.valid_until,
                        "issued_at": p.issued_at,
                        "revoked_at": p.revoked_at,
                    })
                })
                .collect(),
        ),
    );
    Ok(out)
}

/// The sections of a minor's consent: the records, the codes sent to the
/// guardian, and the member's safety inductions.
async fn consent_sections<C: ConnectionTrait>(
    db: &C,
    pid: i32,
) -> Result<Map<String, Value>, AppError> {
    let mut out = Map::new();
    let consents = consent::Entity::find()
        .filter(consent::Column::PersonId.eq(pid))
        .all(db)
        .await?;
    out.insert(
        "guardian_consents".into(),
        array(
            consents
                .into_iter()
                .map(|c| {
                    json!({
                        "version": c.version,
                        "guardian_name": c.guardian_name,
                        "guardian_phone": c.guardian_phone,
                        "method": c.method.as_str(),
                        "recorded_at": c.recorded_at,
                    })
                })
                .collect(),
        ),
    );
    let codes = guardian_code::Entity::find()
        .filter(guardian_code::Column::PersonId.eq(pid))
        .order_by_asc(guardian_code::Column::Id)
        .all(db)
        .await?;
    out.insert(
        "guardian_codes".into(),
        array(
            codes
                .into_iter()
                .map(|g| {
                    json!({
                        "sent_to": g.sent_to,
                        "expires_at": g.expires_at,
                        "used_at": g.used_at,
                    })
                })
                .collect(),
        ),
    );
    let inductions = induction::Entity::find()
        .filter(induction::Column::PersonId.eq(pid))
        .order_by_asc(induction::Column::Id)
        .all(db)
        .await?;
    out.insert(
        "inductions".into(),
        array(
            inductions
                .into_iter()
                .map(|i| {
                    json!({
                        "space_id": i.space_id,
                        "recorded_at": i.recorded_at,
                    })
                })
                .collect(),
        ),
    );
    Ok(out)
}

/// Everything Ortalyq keeps about the member, as pretty JSON: the person,
/// the account and one section per entry of [`HANDLED_TABLES`].
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
    let mut doc = Map::new();
    doc.insert("format".into(), json!("ortalyq-member-export-v1"));
    doc.insert(
        "person".into(),
        json!({
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
            "notify_channel": p.notify_channel.map(|c| c.as_str()),
            "created_at": p.created_at,
        }),
    );
    doc.insert(
        "account".into(),
        json!({
            "role": acc.role.as_str(),
            "home_center_id": acc.home_center_id,
            "created_at": acc.created_at,
            "calendar_feed_active": acc.calendar_token_hash.is_some(),
        }),
    );
    doc.extend(own_sections(db, p.id).await?);
    doc.extend(consent_sections(db, p.id).await?);
    doc.extend(crate::programs::service::export_for(db, p.id).await?);
    doc.extend(crate::clubs::personal::export_for(db, p.id).await?);
    doc.insert(
        "equipment_loans".into(),
        crate::equipment::service::export_for(db, p.id).await?,
    );
    doc.insert(
        "consultations".into(),
        crate::mentors::personal::export_for(db, p.id).await?,
    );
    doc.insert(
        "messages".into(),
        crate::notify::outbox::export_for(db, p.id).await?,
    );
    doc.insert(
        "telegram_chats".into(),
        crate::telegram::service::export_for(db, p.id).await?,
    );
    serde_json::to_string_pretty(&Value::Object(doc)).map_err(|_| AppError::Internal)
}

/// The person's identifying fields are erased; the birth date is kept to
/// the year (age bands), settlement and occupation for reach figures.
async fn anonymise_person<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<(), AppError> {
    use chrono::Datelike;
    let p = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let year_only =
        chrono::NaiveDate::from_ymd_opt(p.birth_date.year(), 7, 1).unwrap_or(p.birth_date);
    let mut ap = p.into_active_model();
    ap.full_name = Set(format!("Deleted member {person_id}"));
    ap.phone = Set(None);
    ap.email = Set(None);
    ap.iin = Set(None);
    ap.guardian_name = Set(None);
    ap.guardian_phone = Set(None);
    ap.guardian_email = Set(None);
    ap.eligibility_override = Set(None);
    ap.birth_date = Set(year_only);
    ap.update(db).await?;
    Ok(())
}

/// Future bookings are cancelled (except those the member already came to),
/// the member's notes on requests erased and every pass revoked.
async fn erase_bookings<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let used_passes: Vec<i32> = check_in::Entity::find()
        .filter(check_in::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.pass_id)
        .collect();
    let attended: Vec<i32> = pass::Entity::find()
        .filter(pass::Column::Id.is_in(used_passes))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.booking_id)
        .collect();
    booking::Entity::update_many()
        .col_expr(booking::Column::Status, Expr::value("cancelled"))
        .filter(booking::Column::PersonId.eq(person_id))
        .filter(booking::Column::StartsAt.gt(now))
        .filter(booking::Column::Id.is_not_in(attended))
        .exec(db)
        .await?;
    booking::Entity::update_many()
        .col_expr(
            booking::Column::Purpose,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            booking::Column::DecisionReason,
            Expr::value(Option::<String>::None),
        )
        .filter(booking::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    pass::Entity::update_many()
        .col_expr(pass::Column::RevokedAt, Expr::value(Some(now)))
        .filter(pass::Column::PersonId.eq(person_id))
        .filter(pass::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The account can no longer sign in or serve a calendar feed; its sessions
/// and reset codes are gone.
async fn close_account<C: ConnectionTrait>(db: &C, account_id: i32) -> Result<(), AppError> {
    let acc = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut aa = acc.into_active_model();
    aa.password_hash = Set("!deleted".into());
    aa.calendar_token_hash = Set(None);
    aa.update(db).await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    reset_code::Entity::delete_many()
        .filter(reset_code::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Delete on request, in one transaction over every table of
/// [`HANDLED_TABLES`]: identifying data is erased, the account closed,
/// future bookings, places, registrations, reservations and consultations
/// given up (waitlists move up) and passes revoked; the history of visits
/// stays as anonymous aggregates.
pub async fn delete_my_account(
    db: &DatabaseConnection,
    keys: &PassKeyRing,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let pid = user.person_id;
    let txn = crate::model::begin_write(db).await?;
    anonymise_person(&txn, pid).await?;
    consent::Entity::delete_many()
        .filter(consent::Column::PersonId.eq(pid))
        .exec(&txn)
        .await?;
    guardian_code::Entity::delete_many()
        .filter(guardian_code::Column::PersonId.eq(pid))
        .exec(&txn)
        .await?;
    induction::Entity::delete_many()
        .filter(induction::Column::PersonId.eq(pid))
        .exec(&txn)
        .await?;
    erase_bookings(&txn, pid, now).await?;
    crate::programs::service::erase_for(&txn, pid, now).await?;
    crate::clubs::personal::erase_for(&txn, keys, pid, now).await?;
    crate::equipment::service::erase_for(&txn, pid, now).await?;
    crate::mentors::personal::erase_for(&txn, pid, now).await?;
    crate::notify::outbox::erase_for(&txn, pid).await?;
    crate::telegram::service::erase_for(&txn, pid, user.account_id).await?;
    close_account(&txn, user.account_id).await?;
    txn.commit().await?;
    Ok(())
}
