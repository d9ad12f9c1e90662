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
    crate::access::public(|cx| async move {
        use crate::domain::consultation::Field;
        use crate::i18n::Locale;
        let field = field
            .as_deref()
            .filter(|f| !f.is_empty())
            .and_then(Field::parse);
        let lang = lang
            .as_deref()
            .filter(|f| !f.is_empty())
            .and_then(Locale::parse);
        super::service::list_mentors(&cx.db, center_id, field, lang, cx.now(), cx.l).await
    })
    .await
}

/// Book a free consultation time for the signed-in member.
#[server(endpoint = "book_consultation")]
pub async fn book_consultation(slot_id: i32, topic: Option<String>) -> Result<(), AppError> {
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::service::book(&cx.db, &user, slot_id, topic, cx.now()).await?;
            Ok(())
        },
    )
    .await
}

/// Cancel the signed-in member's own consultation booking.
#[server(endpoint = "cancel_consultation")]
pub async fn cancel_consultation(slot_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(|_| true, |cx, user| async move {
        super::service::cancel_booking(&cx.db, &user, slot_id, cx.now()).await
    })
    .await
}

/// The signed-in member's consultations.
#[server(endpoint = "my_consultations")]
pub async fn my_consultations() -> Result<Vec<MyConsultationDto>, AppError> {
    crate::access::signed_in(|_| true, |cx, user| async move {
        super::service::my_consultations(&cx.db, &user, cx.now(), cx.l).await
    })
    .await
}

/// A mentor's own slots and who booked them (mentors only); `None` until
/// the mentor has a profile.
#[server(endpoint = "mentor_schedule")]
pub async fn mentor_schedule() -> Result<Option<MentorScheduleDto>, AppError> {
    crate::access::signed_in(|_| true, |cx, user| async move {
        super::service::mentor_schedule(&cx.db, &user, cx.now(), cx.l).await
    })
    .await
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
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            super::service::publish_slots(
                &cx.db,
                &user,
                &date,
                &time,
                minutes,
                weeks.unwrap_or(1),
                cx.now(),
            )
            .await
        },
    )
    .await
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
    crate::access::signed_in(
        |_| true,
        |cx, user| async move {
            let languages = super::dto::ticked_languages([lang_kk, lang_ru, lang_en]);
            super::service::save_profile(
                &cx.db,
                &user,
                &field,
                &languages,
                [bio_kk, bio_ru, bio_en],
                cx.now(),
            )
            .await
        },
    )
    .await
}

/// A mentor withdraws one of their own slots.
#[server(endpoint = "withdraw_slot")]
pub async fn withdraw_slot(slot_id: i32) -> Result<(), AppError> {
    crate::access::signed_in(|_| true, |cx, user| async move {
        super::service::withdraw_slot(&cx.db, &user, slot_id, cx.now()).await
    })
    .await
}

/// Consultations per mentor of a center (front desk, directors, admin):
/// counts, and names only outside psychology for directors.
#[server(endpoint = "consultation_report")]
pub async fn consultation_report(
    center_id: Option<i32>,
) -> Result<ConsultationReportDto, AppError> {
    crate::access::signed_in(|_| true, |cx, user| async move {
        super::service::report(&cx.db, &user, center_id, cx.now(), cx.l).await
    })
    .await
}
