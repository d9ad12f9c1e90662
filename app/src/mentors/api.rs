//! Mentor and consultation server fns: thin — authorize, call the service.

use leptos::prelude::*;

use super::dto::*;
use crate::error::AppError;

/// Active mentors with their free times (public: names, fields and bios,
/// never who booked). `field` and `lang` filter (`it`, `kk`…; empty = all).
#[server(endpoint = "mentors")]
pub async fn list_mentors(
    center_id: Option<i32>,
    field: Option<String>,
    lang: Option<String>,
) -> Result<Vec<MentorDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::request_locale;
            use crate::domain::consultation::Field;
            use crate::i18n::Locale;
            let state = crate::state::app_state()?;
            let field = field
                .as_deref()
                .filter(|f| !f.is_empty())
                .and_then(Field::parse);
            let lang = lang
                .as_deref()
                .filter(|f| !f.is_empty())
                .and_then(Locale::parse);
            super::service::list_mentors(
                &state.db,
                center_id,
                field,
                lang,
                state.now(),
                request_locale(),
            )
            .await
        }
        .await,
    )
}

/// Book a free consultation time for the signed-in member.
#[server(endpoint = "book_consultation")]
pub async fn book_consultation(slot_id: i32, topic: Option<String>) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            let state = crate::state::app_state()?;
            super::service::book(&state.db, &user, slot_id, topic, state.now()).await?;
            Ok(())
        }
        .await,
    )
}

/// Cancel the signed-in member's own consultation booking.
#[server(endpoint = "cancel_consultation")]
pub async fn cancel_consultation(slot_id: i32) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            let state = crate::state::app_state()?;
            super::service::cancel_booking(&state.db, &user, slot_id, state.now()).await
        }
        .await,
    )
}

/// The signed-in member's consultations.
#[server(endpoint = "my_consultations")]
pub async fn my_consultations() -> Result<Vec<MyConsultationDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::my_consultations(&state.db, &user, state.now(), request_locale()).await
        }
        .await,
    )
}

/// A mentor's own slots and who booked them (mentors only); `None` until
/// the mentor has a profile.
#[server(endpoint = "mentor_schedule")]
pub async fn mentor_schedule() -> Result<Option<MentorScheduleDto>, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::mentor_schedule(&state.db, &user, state.now(), request_locale()).await
        }
        .await,
    )
}

/// A mentor publishes a slot (`weeks` > 1: the same time weekly). Returns
/// how many were published (overlapping times are skipped).
#[server(endpoint = "publish_slots")]
pub async fn publish_slots(
    date: String,
    time: String,
    minutes: i32,
    weeks: Option<u32>,
) -> Result<u32, AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            let state = crate::state::app_state()?;
            super::service::publish_slots(
                &state.db,
                &user,
                &date,
                &time,
                minutes,
                weeks.unwrap_or(1),
                state.now(),
            )
            .await
        }
        .await,
    )
}

/// A mentor saves their own profile: field, languages (checkboxes), bio.
#[server(endpoint = "save_mentor_profile")]
pub async fn save_mentor_profile(
    field: String,
    lang_kk: Option<String>,
    lang_ru: Option<String>,
    lang_en: Option<String>,
    bio_kk: String,
    bio_ru: String,
    bio_en: String,
) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::i18n::Locale;
            let user = crate::access::require_user().await?;
            let state = crate::state::app_state()?;
            let languages: Vec<Locale> = [
                (lang_kk, Locale::Kk),
                (lang_ru, Locale::Ru),
                (lang_en, Locale::En),
            ]
            .into_iter()
            .filter(|(on, _)| on.is_some())
            .map(|(_, l)| l)
            .collect();
            super::service::save_profile(
                &state.db,
                &user,
                &field,
                &languages,
                [bio_kk, bio_ru, bio_en],
                state.now(),
            )
            .await
        }
        .await,
    )
}

/// A mentor withdraws one of their own slots.
#[server(endpoint = "withdraw_slot")]
pub async fn withdraw_slot(slot_id: i32) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::access::require_user().await?;
            let state = crate::state::app_state()?;
            super::service::withdraw_slot(&state.db, &user, slot_id, state.now()).await
        }
        .await,
    )
}

/// Consultations per mentor of a center (front desk, directors, admin):
/// counts, and names only outside psychology for directors.
#[server(endpoint = "consultation_report")]
pub async fn consultation_report(
    center_id: Option<i32>,
) -> Result<ConsultationReportDto, AppError> {
    crate::error::respond(
        async move {
            use crate::access::{request_locale, require_user};
            let user = require_user().await?;
            let state = crate::state::app_state()?;
            super::service::report(&state.db, &user, center_id, state.now(), request_locale()).await
        }
        .await,
    )
}
