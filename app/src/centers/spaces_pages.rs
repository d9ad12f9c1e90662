//! Directors' space pages: a new space (starting from the usual rules of its
//! kind) and one space's editor — details, booking rules, and deactivation
//! that first lists exactly which bookings it cancels.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::SaveSpaceRules;
use super::dto::*;
use super::spaces_api::*;
use super::spaces_dto::*;
use crate::booking::api::DeactivateSpace;
use crate::domain::space::SpaceKind;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{t, use_locale, ErrorBox};

/// Directors: create a space in one of their centers.
#[component]
pub fn NewSpacePage() -> impl IntoView {
    let query = use_query_map();
    let kind = Memo::new(move |_| query.read().get("kind"));
    let create = crate::access::flash::form_action::<CreateSpace>();
    let data = Resource::new(move || kind.get(), new_space_form);
    let err = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let l = use_locale();
    view! {
        <p class="crumbs"><A href="/director/spaces">{t(Msg::SpacesTitle)}</A></p>
        <h1 id="page-title">{t(Msg::NewSpace)}</h1>
        {move || match create.value().get() {
            Some(Ok(id)) => view! {
                <div class="alert ok" role="status" data-testid="space-created">
                    <p>{t(Msg::SpaceCreated)} " "
                        <A href=format!("/director/spaces/{id}")>{t(Msg::OpenSpaceEditor)}</A></p>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <p class="muted">{t(Msg::KindDefaultsHint)}</p>
        <p class="chips" data-testid="kind-choices">
            {SpaceKind::ALL.into_iter().map(|k| view! {
                <A href=format!("/director/spaces/new?kind={}", k.as_str())>{k.label(l)}</A> " "
            }).collect_view()}
        </p>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let pool = SpaceKind::parse(&d.details.kind).is_some_and(|k| k.is_pool());
                        view! {
                            <section class="card wide-form">
                                <ActionForm action=create attr:class="form" attr:data-testid="new-space-form">
                                    <DetailFields d=d.details.clone() centers=d.centers.clone() err=err/>
                                    <h2>{t(Msg::SpaceRulesHeading)}</h2>
                                    <RuleFields f=d.rules.clone() dirs=d.directions.clone() pool=pool err=err/>
                                    <button type="submit" class="primary" data-testid="create-space" disabled=move || create.pending().get()>{t(Msg::Save)}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Directors: one space's details, booking rules and deactivation.
#[component]
pub fn SpaceEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i32>().ok()));
    let details = crate::access::flash::form_action::<SaveSpaceDetails>();
    let rules = crate::access::flash::form_action::<SaveSpaceRules>();
    let off = crate::access::flash::form_action::<DeactivateSpace>();
    let reopen = crate::access::flash::form_action::<ReactivateSpace>();
    let data = Resource::new(
        move || {
            (
                id.get(),
                details.version().get(),
                rules.version().get(),
                off.version().get(),
                reopen.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => space_editor(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let l = use_locale();
    view! {
        <p class="crumbs"><A href="/director/spaces">{t(Msg::SpacesTitle)}</A></p>
        {move || match details.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status" data-testid="details-saved"><p>{t(Msg::DetailsSaved)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match rules.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status" data-testid="rules-saved"><p>{t(Msg::RulesSaved)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match off.value().get() {
            Some(Ok(n)) => view! { <div class="alert ok" role="status" data-testid="space-deactivated"><p>{crate::i18n::space_deactivated(l, n)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match reopen.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status" data-testid="space-reactivated"><p>{t(Msg::SpaceReactivated)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Editor d=d details=details rules=rules off=off reopen=reopen/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Editor(
    d: SpaceEditorDto,
    details: ServerAction<SaveSpaceDetails>,
    rules: ServerAction<SaveSpaceRules>,
    off: ServerAction<DeactivateSpace>,
    reopen: ServerAction<ReactivateSpace>,
) -> impl IntoView {
    let Some(s) = d.space.clone() else {
        return view! { <ErrorBox error=AppError::NotFound/> }.into_any();
    };
    let details_err = Signal::derive(move || details.value().get().and_then(|r| r.err()));
    let rules_err = Signal::derive(move || rules.value().get().and_then(|r| r.err()));
    let off_err = Signal::derive(move || off.value().get().and_then(|r| r.err()));
    let center = d
        .centers
        .iter()
        .find(|c| c.id == d.details.center_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let id = s.id;
    view! {
        <h1 id="page-title">{s.name.clone()}</h1>
        <p class="muted">{center} " · "
            {if s.active {
                view! { <span class="badge" data-testid="space-status">{t(Msg::SpaceActiveBadge)}</span> }.into_any()
            } else {
                view! { <span class="badge warn" data-testid="space-status">{t(Msg::SpaceInactiveBadge)}</span> }.into_any()
            }}
        </p>
        <section class="card wide-form">
            <h2>{t(Msg::SpaceDetails)}</h2>
            <ActionForm action=details attr:class="form" attr:data-testid="details-form">
                <input type="hidden" name="space_id" value=id/>
                <DetailFields d=d.details.clone() centers=d.centers.clone() err=details_err/>
                <button type="submit" class="primary" data-testid="save-details" disabled=move || details.pending().get()>{t(Msg::Save)}</button>
            </ActionForm>
        </section>
        <section class="card wide-form">
            <h2>{t(Msg::SpaceRulesHeading)}</h2>
            <p class="muted">{t(Msg::RulesExistingHint)}</p>
            <ActionForm action=rules attr:class="form" attr:data-testid="rules-form">
                <input type="hidden" name="space_id" value=id/>
                <RuleFields f=d.rules.clone() dirs=d.directions.clone() pool=s.kind.is_pool() err=rules_err/>
                <button type="submit" class="primary" data-testid="save-rules" disabled=move || rules.pending().get()>{t(Msg::Save)}</button>
            </ActionForm>
        </section>
        {if s.active {
            view! { <DeactivateSection id=id affected=d.affected.clone() off=off err=off_err/> }.into_any()
        } else {
            view! {
                <section class="card wide-form" data-testid="reactivate-section">
                    <p>{t(Msg::SpaceInactiveNote)}</p>
                    <ActionForm action=reopen attr:class="form">
                        <input type="hidden" name="space_id" value=id/>
                        <button type="submit" class="primary" data-testid="reactivate-space" disabled=move || reopen.pending().get()>{t(Msg::ReactivateButton)}</button>
                    </ActionForm>
                </section>
            }.into_any()
        }}
    }
    .into_any()
}

/// The bookings a deactivation cancels, then the confirmed request.
#[component]
fn DeactivateSection(
    id: i32,
    affected: Vec<AffectedBookingDto>,
    off: ServerAction<DeactivateSpace>,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let any = !affected.is_empty();
    view! {
        <section class="card wide-form" data-testid="deactivate-section">
            <h2>{t(Msg::DeactivateHeading)}</h2>
            <p class="muted">{t(Msg::DeactivateIntro)}</p>
            {if any {
                view! {
                    <p>{t(Msg::AffectedBookingsIntro)}</p>
                    <table data-testid="affected-bookings">
                        <thead><tr>
                            <th scope="col">{t(Msg::AffectedWhen)}</th>
                            <th scope="col">{t(Msg::AffectedMember)}</th>
                            <th scope="col">{t(Msg::AffectedStatus)}</th>
                        </tr></thead>
                        <tbody>
                            {affected.into_iter().map(|b| view! {
                                <tr data-booking=b.id>
                                    <td>{b.when.clone()}</td>
                                    <td>{b.member.clone()}</td>
                                    <td>{if b.pending { t(Msg::StatusPending) } else { t(Msg::StatusConfirmed) }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            } else {
                view! { <p class="muted" data-testid="no-affected">{t(Msg::NoAffectedBookings)}</p> }.into_any()
            }}
            <ActionForm action=off attr:class="form" attr:data-testid="deactivate-form">
                <input type="hidden" name="space_id" value=id/>
                <div class="field">
                    <label for="deactivate-reason">{t(Msg::DeactivateReason)}</label>
                    <textarea id="deactivate-reason" name="reason" rows="2" maxlength="300" required=any
                        aria-invalid=crate::ui::aria_invalid(err, "reason")></textarea>
                </div>
                <div class="field check">
                    <input id="deactivate-confirm" type="checkbox" name="confirm" value="true" required
                        aria-invalid=crate::ui::aria_invalid(err, "confirm")/>
                    <label for="deactivate-confirm">{t(Msg::ConfirmDeactivate)}</label>
                </div>
                <button type="submit" class="danger" data-testid="deactivate-space" disabled=move || off.pending().get()>{t(Msg::DeactivateButton)}</button>
            </ActionForm>
        </section>
    }
}

/// Center, kind, names and descriptions (`details[…]`).
#[component]
fn DetailFields(
    d: SpaceDetailsForm,
    centers: Vec<CenterDto>,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let l = use_locale();
    let invalid = move |field: &'static str| crate::ui::aria_invalid(err, field);
    let text = move |field: &'static str, label: Msg, value: String| {
        let id = format!("space-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id.clone() type="text" name=format!("details[{field}]") value=value required
                    maxlength="100" aria-invalid=invalid(field) data-testid=id/>
            </div>
        }
    };
    let area = move |field: &'static str, label: Msg, value: String| {
        let id = format!("space-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <textarea id=id name=format!("details[{field}]") rows="2" maxlength="1000"
                    aria-invalid=invalid(field)>{value}</textarea>
            </div>
        }
    };
    let kind = d.kind.clone();
    view! {
        <div class="field">
            <label for="space-center">{t(Msg::SpaceCenterField)}</label>
            <select id="space-center" name="details[center_id]" aria-invalid=invalid("center_id") data-testid="space-center">
                {centers.into_iter().map(|c| {
                    let selected = c.id == d.center_id;
                    view! { <option value=c.id selected=selected>{c.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="space-kind">{t(Msg::KindLabel)}</label>
            <select id="space-kind" name="details[kind]" aria-invalid=invalid("kind") data-testid="space-kind">
                {SpaceKind::ALL.into_iter().map(|k| view! {
                    <option value=k.as_str() selected=k.as_str() == kind>{k.label(l)}</option>
                }).collect_view()}
            </select>
        </div>
        {text("name_kk", Msg::DirNameKk, d.name_kk.clone())}
        {text("name_ru", Msg::DirNameRu, d.name_ru.clone())}
        {text("name_en", Msg::DirNameEn, d.name_en.clone())}
        {area("description_kk", Msg::ProgDescriptionKk, d.description_kk.clone())}
        {area("description_ru", Msg::ProgDescriptionRu, d.description_ru.clone())}
        {area("description_en", Msg::ProgDescriptionEn, d.description_en.clone())}
    }
}

/// Every booking rule of a space (`rules[…]`).
#[component]
fn RuleFields(
    f: SpaceRulesForm,
    dirs: Vec<DirectionOption>,
    pool: bool,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let invalid = move |field: &'static str| crate::ui::aria_invalid(err, field);
    let number = move |field: &'static str, label: Msg, value: i32, min: i32, max: i32| {
        let id = format!("rule-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id type="number" name=format!("rules[{field}]") value=value min=min max=max
                    required inputmode="numeric" aria-invalid=invalid(field)/>
            </div>
        }
    };
    view! {
        {number("capacity", Msg::Capacity, f.capacity, 1, 500)}
        <p class="muted small">{if pool { t(Msg::CapacityPoolHint) } else { t(Msg::CapacityRoomHint) }}</p>
        {number("max_party", Msg::MaxPartyField, f.max_party, 1, 500)}
        <div class="field">
            <label for="rule-slot_minutes">{t(Msg::SlotLength)} ", " {t(Msg::Minutes)}</label>
            <select id="rule-slot_minutes" name="rules[slot_minutes]" aria-invalid=invalid("slot_minutes")>
                {SLOT_CHOICES.iter().map(|m| view! { <option value=*m selected=*m == f.slot_minutes>{*m}</option> }).collect_view()}
            </select>
        </div>
        {number("min_minutes", Msg::MinMinutesField, f.min_minutes, 15, 720)}
        {number("max_minutes", Msg::MaxMinutesField, f.max_minutes, 15, 720)}
        {number("buffer_minutes", Msg::BufferField, f.buffer_minutes, 0, 240)}
        {number("min_notice_minutes", Msg::MinNoticeField, f.min_notice_minutes, 0, 20160)}
        {number("max_advance_days", Msg::MaxAdvanceField, f.max_advance_days, 1, 365)}
        {number("cancel_notice_minutes", Msg::CancelNoticeField, f.cancel_notice_minutes, 0, 20160)}
        {number("min_age", Msg::MinAgeField, f.min_age, 0, 35)}
        {number("checkin_open_minutes", Msg::CheckinOpenField, f.checkin_open_minutes, 0, 120)}
        {number("no_show_minutes", Msg::NoShowField, f.no_show_minutes, 5, 240)}
        <div class="field check">
            <input id="rule-approval" type="checkbox" name="rules[requires_approval]" value="true" checked=f.requires_approval/>
            <label for="rule-approval">{t(Msg::RequiresApprovalField)}</label>
        </div>
        <div class="field check">
            <input id="rule-induction" type="checkbox" name="rules[requires_induction]" value="true" checked=f.requires_induction/>
            <label for="rule-induction">{t(Msg::RequiresInductionField)}</label>
        </div>
        <div class="field">
            <label for="rule-direction">{t(Msg::DirectionField)}</label>
            <select id="rule-direction" name="rules[direction]" aria-invalid=invalid("direction") data-testid="rule-direction">
                <option value="" selected=f.direction.is_empty()>{t(Msg::EveryDirection)}</option>
                {dirs.into_iter().map(|d| {
                    let selected = f.direction == d.code;
                    view! { <option value=d.code selected=selected>{d.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
