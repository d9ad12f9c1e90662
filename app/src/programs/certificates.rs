//! Certificates of completion: issuing them when attendance reaches the
//! program's threshold, and the public page that verifies one.

use super::dto::*;
use super::service::{
    center_name, date_str, dates_of, load_program, name_of, percent, reached, sessions_of,
};
use super::staff::{attendance_pairs, ensure_staff, participants};
use crate::access::session::CurrentUser;
use crate::centers::service::center_tz;
use crate::domain::codes::AppStatus;
use crate::error::AppError;
use crate::i18n::{program_text, Locale, ProgramText};
use crate::model::{self, person, program, program_application as application};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

/// A fresh unguessable certificate code: 20 characters of base32 (100 bits).
pub(super) fn certificate_code() -> String {
    use rand::RngCore;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[(*b & 31) as usize] as char)
        .collect()
}

/// Once every session has started, issue certificates to the participants
/// who attended at least the program's completion share of them (staff of
/// the center). Certificates already issued stay; returns how many are new.
pub async fn issue_certificates(
    db: &DatabaseConnection,
    user: &CurrentUser,
    program_id: i32,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let (p, _) = load_program(db, program_id).await?;
    ensure_staff(db, user, p.center_id).await?;
    let txn = model::begin_write(db).await?;
    let backend = txn.get_database_backend();
    // Serialize with other issuers of this program.
    model::for_update(program::Entity::find_by_id(p.id), backend)
        .one(&txn)
        .await?;
    let sessions = sessions_of(&txn, vec![p.id])
        .await?
        .remove(&p.id)
        .unwrap_or_default();
    if sessions.is_empty() || sessions.iter().any(|s| s.starts_at > now) {
        return Err(AppError::ProgramNotOver);
    }
    let pairs = attendance_pairs(&txn, sessions.iter().map(|s| s.id).collect()).await?;
    let held = sessions.len() as u32;
    let mut issued = 0;
    for (a, person) in participants(&txn, p.id).await? {
        if a.certificate_code.is_some() {
            continue;
        }
        let attended = pairs.iter().filter(|(_, pid)| *pid == person.id).count() as u32;
        if !reached(attended, held, p.completion_percent) {
            continue;
        }
        let mut am = a.into_active_model();
        am.completed_at = Set(Some(now));
        am.certificate_code = Set(Some(certificate_code()));
        am.update(&txn).await?;
        issued += 1;
    }
    txn.commit().await?;
    Ok(issued)
}

/// A certificate by its code (public): who completed which program, when,
/// with a QR pointing back to this verification page. Unknown codes are not
/// found.
pub async fn certificate(
    db: &DatabaseConnection,
    code: &str,
    base_url: &str,
    l: Locale,
) -> Result<CertificateDto, AppError> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() != 20 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound);
    }
    let a = application::Entity::find()
        .filter(application::Column::CertificateCode.eq(code.clone()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (Some(completed), AppStatus::Accepted) = (a.completed_at, a.status) else {
        return Err(AppError::NotFound);
    };
    let (p, c) = load_program(db, a.program_id).await?;
    let person = person::Entity::find_by_id(a.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = center_tz(&c);
    let sessions = sessions_of(db, vec![p.id])
        .await?
        .remove(&p.id)
        .unwrap_or_default();
    let pairs = attendance_pairs(db, sessions.iter().map(|s| s.id).collect()).await?;
    let attended = pairs.iter().filter(|(_, pid)| *pid == person.id).count() as u32;
    let held = sessions.len() as u32;
    let verify_url = format!("{}/certificates/{}", base_url.trim_end_matches('/'), code);
    Ok(CertificateDto {
        qr_svg: crate::passes::service::qr_svg(&verify_url),
        verify_url,
        code,
        holder: person.full_name,
        program_name: name_of(&p, l),
        center_name: center_name(&c, l),
        dates: dates_of(&sessions, tz),
        issued: date_str(completed.with_timezone(&tz).date_naive()),
        attended: program_text(
            l,
            ProgramText::Attended {
                n: attended,
                held,
                percent: percent(attended, held),
            },
        ),
    })
}
