//! A member's clubs, events and notices in their data export, and what
//! deleting the account leaves of them (composed by `privacy`).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::notices::Pending;
use crate::domain::codes::{ClubPlace, EventPlace};
use crate::error::AppError;
use crate::model::{club_attendance, club_member, event_registration as reg, notice};
use crate::state::PassKeyRing;

/// Export sections: `club_memberships`, `club_attendance`,
/// `event_registrations` and `notices`.
pub async fn export_for<C: ConnectionTrait>(
    db: &C,
    person_id: i32,
) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
    use serde_json::{json, Value};
    let members: Vec<Value> = club_member::Entity::find()
        .filter(club_member::Column::PersonId.eq(person_id))
        .order_by_asc(club_member::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            json!({
                "club_id": m.club_id,
                "status": m.status.as_str(),
                "queued_at": m.queued_at,
                "joined_at": m.joined_at,
                "left_at": m.left_at,
            })
        })
        .collect();
    let attendance: Vec<Value> = club_attendance::Entity::find()
        .filter(club_attendance::Column::PersonId.eq(person_id))
        .order_by_asc(club_attendance::Column::MarkedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| json!({ "session_id": a.session_id, "marked_at": a.marked_at, "via": a.via.as_str() }))
        .collect();
    let registrations: Vec<Value> = reg::Entity::find()
        .filter(reg::Column::PersonId.eq(person_id))
        .order_by_asc(reg::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            json!({
                "event_id": r.event_id,
                "status": r.status.as_str(),
                "queued_at": r.queued_at,
                "registered_at": r.registered_at,
                "cancelled_at": r.cancelled_at,
                "checked_in_at": r.checked_in_at,
            })
        })
        .collect();
    let notices: Vec<Value> = notice::Entity::find()
        .filter(notice::Column::PersonId.eq(person_id))
        .order_by_asc(notice::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|n| {
            json!({
                "kind": n.kind.as_str(),
                "subject_id": n.subject_id,
                "detail": n.detail,
                "created_at": n.created_at,
                "read_at": n.read_at,
            })
        })
        .collect();
    let mut out = serde_json::Map::new();
    out.insert("club_memberships".into(), Value::Array(members));
    out.insert("club_attendance".into(), Value::Array(attendance));
    out.insert("event_registrations".into(), Value::Array(registrations));
    out.insert("notices".into(), Value::Array(notices));
    Ok(out)
}

/// On account deletion: the member leaves every club and waitlist and
/// cancels every registration for an event still ahead; their passes are
/// revoked and each freed place goes to the first in line, as when they
/// leave themselves. Their notices are deleted. Attendance stays, as
/// anonymous figures. Returns the promotions to text once committed.
pub async fn erase_for<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<Pending>, AppError> {
    let mut pending = Vec::new();
    let places = club_member::Entity::find()
        .filter(club_member::Column::PersonId.eq(person_id))
        .filter(club_member::Column::Status.is_in([ClubPlace::Member, ClubPlace::Waiting]))
        .all(db)
        .await?;
    for m in places {
        // An inactive club has nobody to promote.
        let club = match super::service::lock_club(db, m.club_id).await {
            Ok(c) => Some(c),
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        };
        let mut a = m.clone().into_active_model();
        a.status = Set(ClubPlace::Left);
        a.left_at = Set(Some(now));
        a.update(db).await?;
        super::service::revoke_club_pass(db, m.club_id, person_id, now).await?;
        if let Some(c) = club {
            pending.extend(super::service::promote(db, keys, &c, now).await?);
        }
    }
    let regs = reg::Entity::find()
        .filter(reg::Column::PersonId.eq(person_id))
        .filter(reg::Column::Status.is_in([EventPlace::Registered, EventPlace::Waiting]))
        .all(db)
        .await?;
    for r in regs {
        let e = match super::events::lock_event(db, r.event_id).await {
            Ok(e) if e.starts_at > now => e,
            // Past or withdrawn events keep the registration as history.
            Ok(_) | Err(AppError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        let mut a = r.into_active_model();
        a.status = Set(EventPlace::Cancelled);
        a.cancelled_at = Set(Some(now));
        a.update(db).await?;
        pending.extend(super::events::release_place(db, keys, &e, person_id, now).await?);
    }
    notice::Entity::delete_many()
        .filter(notice::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    Ok(pending)
}
