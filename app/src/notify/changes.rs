//! Changes a member must know about — a moved session, a club's new time or
//! room, a changed or cancelled club, event or program: the in-app notice,
//! an email and a text message, each in the member's own language, all
//! written in the caller's transaction.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::domain::codes::NoticeKind;
use crate::error::AppError;
use crate::i18n::{day_label, hhmm, pick, td_string, Locale};
use crate::model::{center, club, club_session, event, notice, program, program_session, space};

/// One member to tell about one change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub person_id: i32,
    pub kind: NoticeKind,
    /// The club session, club, event, program session or program.
    pub subject_id: i32,
    /// The old start (RFC 3339) of a moved or cancelled session, or the
    /// reason of a cancellation.
    pub detail: Option<String>,
}

/// The same change for each of `people`.
pub fn tell(
    people: &[i32],
    kind: NoticeKind,
    subject_id: i32,
    detail: Option<String>,
) -> Vec<Change> {
    people
        .iter()
        .map(|p| Change {
            person_id: *p,
            kind,
            subject_id,
            detail: detail.clone(),
        })
        .collect()
}

/// A change rendered in one language.
pub struct Rendered {
    /// The activity's name (for an email subject).
    pub name: String,
    pub text: String,
    /// The page it leads to.
    pub href: String,
}

/// The old start of a moved session, as stored in a notice's detail.
pub fn old_start(at: DateTime<Utc>) -> String {
    at.to_rfc3339()
}

/// `Wed 02.12, 18:00–19:30`.
fn when(l: Locale, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    format!(
        "{}, {}–{}",
        day_label(l, from.with_timezone(&tz).date_naive()),
        hhmm(from, tz),
        hhmm(to, tz)
    )
}

/// `Wed 02.12, 18:00` of a stored start.
fn when_stored(l: Locale, tz: Tz, detail: Option<&str>) -> String {
    detail
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map(|t| {
            let t = t.with_timezone(&Utc);
            format!(
                "{}, {}",
                day_label(l, t.with_timezone(&tz).date_naive()),
                hhmm(t, tz)
            )
        })
        .unwrap_or_default()
}

async fn center_tz<C: ConnectionTrait>(db: &C, id: i32) -> Result<Tz, AppError> {
    Ok(center::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|c| crate::centers::service::center_tz(&c))
        .unwrap_or(chrono_tz::Asia::Almaty))
}

async fn room<C: ConnectionTrait>(db: &C, id: Option<i32>, l: Locale) -> Result<String, AppError> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    Ok(space::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|s| pick(l, &s.name_kk, &s.name_ru, &s.name_en).to_string())
        .unwrap_or_default())
}

fn done(s: String) -> String {
    s.trim_end().to_string()
}

/// The text of a change notice in one language; `None` for other notices
/// or a subject no longer on record.
pub async fn render<C: ConnectionTrait>(
    db: &C,
    kind: NoticeKind,
    subject_id: i32,
    detail: Option<&str>,
    l: Locale,
) -> Result<Option<Rendered>, AppError> {
    let g = l.catalog();
    let reason = detail.unwrap_or("");
    Ok(match kind {
        NoticeKind::SessionMoved => {
            let Some(s) = club_session::Entity::find_by_id(subject_id).one(db).await? else {
                return Ok(None);
            };
            let Some(c) = club::Entity::find_by_id(s.club_id).one(db).await? else {
                return Ok(None);
            };
            let tz = center_tz(db, c.center_id).await?;
            let name = pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string();
            Some(Rendered {
                text: done(td_string!(
                    g,
                    notice_session_moved,
                    club = &name,
                    old = when_stored(l, tz, detail),
                    when = when(l, tz, s.starts_at, s.ends_at),
                    room = room(db, Some(s.space_id), l).await?
                )),
                href: format!("/clubs/{}", c.id),
                name,
            })
        }
        NoticeKind::ClubChanged | NoticeKind::ClubCancelled => {
            club_change(db, kind, subject_id, reason, l).await?
        }
        NoticeKind::EventChanged | NoticeKind::EventCancelled => {
            event_change(db, kind, subject_id, reason, l).await?
        }
        NoticeKind::ProgramSessionMoved => {
            let Some(s) = program_session::Entity::find_by_id(subject_id)
                .one(db)
                .await?
            else {
                return Ok(None);
            };
            let Some(p) = program::Entity::find_by_id(s.program_id).one(db).await? else {
                return Ok(None);
            };
            let tz = center_tz(db, p.center_id).await?;
            let name = pick(l, &p.name_kk, &p.name_ru, &p.name_en).to_string();
            Some(Rendered {
                text: done(td_string!(
                    g,
                    notice_program_session_moved,
                    program = &name,
                    old = when_stored(l, tz, detail),
                    when = when(l, tz, s.starts_at, s.ends_at)
                )),
                href: format!("/programs/{}", p.id),
                name,
            })
        }
        NoticeKind::ProgramSessionCancelled | NoticeKind::ProgramCancelled => {
            let Some(p) = program::Entity::find_by_id(subject_id).one(db).await? else {
                return Ok(None);
            };
            let name = pick(l, &p.name_kk, &p.name_ru, &p.name_en).to_string();
            let text = if kind == NoticeKind::ProgramCancelled {
                td_string!(
                    g,
                    notice_program_cancelled,
                    program = &name,
                    reason = reason
                )
            } else {
                let tz = center_tz(db, p.center_id).await?;
                td_string!(
                    g,
                    notice_program_session_cancelled,
                    program = &name,
                    old = when_stored(l, tz, detail)
                )
            };
            Some(Rendered {
                text: done(text),
                href: if p.active {
                    format!("/programs/{}", p.id)
                } else {
                    "/programs".into()
                },
                name,
            })
        }
        NoticeKind::ClubPromoted
        | NoticeKind::EventPromoted
        | NoticeKind::SessionCancelled
        | NoticeKind::BookingCancelled => None,
    })
}

/// A club's new schedule or its cancellation.
async fn club_change<C: ConnectionTrait>(
    db: &C,
    kind: NoticeKind,
    subject_id: i32,
    reason: &str,
    l: Locale,
) -> Result<Option<Rendered>, AppError> {
    let g = l.catalog();
    let Some(c) = club::Entity::find_by_id(subject_id).one(db).await? else {
        return Ok(None);
    };
    let name = pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string();
    let text = if kind == NoticeKind::ClubCancelled {
        td_string!(g, notice_club_cancelled, club = &name, reason = reason)
    } else {
        let tz = center_tz(db, c.center_id).await?;
        let start = crate::domain::slots::local_to_utc(tz, c.term_start, c.starts_min);
        let end = start + Duration::minutes(i64::from(c.duration_minutes));
        let wd = chrono::Weekday::try_from(c.weekday as u8).unwrap_or(chrono::Weekday::Mon);
        let schedule = format!("{} {}–{}", l.weekday(wd), hhmm(start, tz), hhmm(end, tz));
        td_string!(
            g,
            notice_club_changed,
            club = &name,
            when = schedule,
            room = room(db, Some(c.space_id), l).await?
        )
    };
    Ok(Some(Rendered {
        text: done(text),
        href: if c.active {
            format!("/clubs/{}", c.id)
        } else {
            "/clubs".into()
        },
        name,
    }))
}

/// An event's new time or place, or its cancellation.
async fn event_change<C: ConnectionTrait>(
    db: &C,
    kind: NoticeKind,
    subject_id: i32,
    reason: &str,
    l: Locale,
) -> Result<Option<Rendered>, AppError> {
    let g = l.catalog();
    let Some(e) = event::Entity::find_by_id(subject_id).one(db).await? else {
        return Ok(None);
    };
    let name = pick(l, &e.name_kk, &e.name_ru, &e.name_en).to_string();
    let text = if kind == NoticeKind::EventCancelled {
        td_string!(g, notice_event_cancelled, event = &name, reason = reason)
    } else {
        let tz = center_tz(db, e.center_id).await?;
        let place = match e.space_id {
            Some(_) => room(db, e.space_id, l).await?,
            None => e.place.clone(),
        };
        td_string!(
            g,
            notice_event_changed,
            event = &name,
            when = when(l, tz, e.starts_at, e.ends_at),
            place = place
        )
    };
    Ok(Some(Rendered {
        text: done(text),
        href: if e.active {
            format!("/events/{}", e.id)
        } else {
            "/events".into()
        },
        name,
    }))
}

/// One distinct change: kind, subject and detail.
type ChangeKey = (NoticeKind, i32, Option<String>);

/// Store the notices and queue an email and a text message to each member
/// (as they have an address and a phone), rendered in their language
/// (inside the caller's transaction, after the change is written).
pub async fn store<C: ConnectionTrait>(
    db: &C,
    changes: &[Change],
    center_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if changes.is_empty() {
        return Ok(());
    }
    notice::Entity::insert_many(changes.iter().map(|c| notice::ActiveModel {
        person_id: Set(c.person_id),
        kind: Set(c.kind),
        subject_id: Set(c.subject_id),
        detail: Set(c.detail.clone()),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    // Each distinct change rendered once per language.
    let mut texts: HashMap<ChangeKey, Vec<(Locale, Rendered)>> = HashMap::new();
    for c in changes {
        let key = (c.kind, c.subject_id, c.detail.clone());
        if texts.contains_key(&key) {
            continue;
        }
        let mut all = Vec::new();
        for l in [Locale::Kk, Locale::Ru, Locale::En] {
            if let Some(r) = render(db, c.kind, c.subject_id, c.detail.as_deref(), l).await? {
                all.push((l, r));
            }
        }
        texts.insert(key, all);
    }
    for c in changes {
        let Some(all) = texts.get(&(c.kind, c.subject_id, c.detail.clone())) else {
            continue;
        };
        if all.is_empty() {
            continue;
        }
        let pick = |l: Locale| {
            all.iter()
                .find(|(x, _)| *x == l)
                .map(|(_, r)| r)
                .unwrap_or(&all[0].1)
        };
        crate::notify::outbox::to_person(
            db,
            c.person_id,
            Some(center_id),
            "email.change",
            None,
            now,
            |who, l| {
                let r = pick(l);
                let first = who.full_name.split_whitespace().next().unwrap_or_default();
                let body = format!("{}\n{}", r.text, r.href);
                let g = l.catalog();
                crate::notify::outbox::Rendered {
                    subject: td_string!(g, mail_change_subject, name = &r.name),
                    text: crate::notify::templates::mail_text(l, first, &body),
                    attachment: None,
                    // Texted below, to members with an email too.
                    short: None,
                }
            },
        )
        .await?;
        crate::notify::outbox::text_person(
            db,
            c.person_id,
            Some(center_id),
            "sms.change",
            now,
            |_, l| Some(format!("Ortalyq: {}", pick(l).text)),
        )
        .await?;
    }
    Ok(())
}
