//! Program pages: the public list and a program's page with its application
//! form, the member's applications, the staff review queue, the staff
//! program pages (sessions, attendance, certificates) and the public
//! certificate page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{
    certificate, list_programs, managed_programs, my_applications, program_detail, program_staff,
    review_queue, session_roster, AddProgramSessions, ApplyToProgram, CreateProgram,
    DecideApplication, IssueCertificates, MarkAttendance, WithdrawApplication,
};
use super::dto::*;
use crate::domain::people::{Education, Occupation, Settlement};
use crate::error::AppError;
use crate::i18n::{program_text, Msg, ProgramText};
use crate::ui::{t, use_locale, ErrorBox, PrintButton};

fn id_param() -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i32>().ok()))
}

fn loading() -> impl IntoView {
    view! { <p class="muted">{t(Msg::Loading)}</p> }
}

/// Places left and the deadline, under a program's name.
fn card_facts(c: ProgramCardDto) -> impl IntoView {
    let l = use_locale();
    view! {
        <p class="muted">
            {c.center_name.clone()} " · " {c.direction.clone()}
            {(!c.dates.is_empty()).then(|| view! { " · " {c.dates.clone()} })}
        </p>
        <p>
            <span data-testid="places">{program_text(l, ProgramText::Places { left: c.places_left, total: c.capacity })}</span>
            {c.closes.clone().map(|s| view! { " · " {s} })}
            {(!c.open).then(|| view! { " · " <span class="badge warn">{t(Msg::ProgApplicationsClosedBadge)}</span> })}
        </p>
    }
}

/// Everyone: the programs of all centers.
#[component]
pub fn ProgramsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_programs());
    view! {
        <h1 id="page-title">{t(Msg::ProgProgramsTitle)}</h1>
        <p class="muted">{t(Msg::ProgProgramsIntro)}</p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Msg::ProgNoPrograms)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-testid="programs">
                            {list.into_iter().map(|c| {
                                let (id, name) = (c.id, c.name.clone());
                                view! {
                                    <li class="card" data-program=id>
                                        <h2><A href=format!("/programs/{id}")>{name}</A></h2>
                                        {card_facts(c)}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An application refusal: every eligibility reason as a list.
#[component]
fn ApplyError(error: AppError) -> impl IntoView {
    let l = use_locale();
    match error {
        AppError::Ineligible { reasons } => view! {
            <div class="alert error" role="alert" data-code="ineligible">
                <p>{t(Msg::ErrIneligible)}</p>
                <ul data-testid="ineligible-reasons">
                    {reasons.iter().map(|r| view! { <li>{r.text(l)}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any(),
        e => view! { <ErrorBox error=e/> }.into_any(),
    }
}

/// A program: description, rules, sessions; for a signed-in member whether
/// they may apply (with every reason if not) and the application form.
#[component]
pub fn ProgramPage() -> impl IntoView {
    let id = id_param();
    let apply = crate::access::flash::form_action::<ApplyToProgram>();
    let detail = Resource::new(
        move || (id.get(), apply.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => program_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let l = use_locale();
    view! {
        <p class="crumbs"><A href="/programs">{t(Msg::ProgProgramsTitle)}</A></p>
        {move || match apply.value().get() {
            Some(Ok(_)) => view! {
                <div class="alert ok" role="status" data-testid="applied"><p>{t(Msg::ProgApplicationSent)}</p></div>
            }.into_any(),
            Some(Err(e)) => view! { <ApplyError error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => {
                        let open = d.card.open;
                        let program_id = d.card.id;
                        view! {
                            <h1 id="page-title">{d.card.name.clone()}</h1>
                            {card_facts(d.card.clone())}
                            <section class="card">
                                <p class="prewrap">{d.description.clone()}</p>
                                <h2>{t(Msg::ProgWhoMayApply)}</h2>
                                {if d.rules.is_empty() {
                                    view! { <p>{t(Msg::ProgOpenToAllMembers)}</p> }.into_any()
                                } else {
                                    view! { <ul data-testid="program-rules">{d.rules.clone().into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul> }.into_any()
                                }}
                                <p class="muted">{d.completion.clone()}</p>
                            </section>
                            <section class="card">
                                <h2>{t(Msg::ProgSessionsTitle)}</h2>
                                {if d.sessions.is_empty() {
                                    view! { <p class="muted">{t(Msg::ProgNoSessionsYet)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="sessions" data-testid="sessions">
                                            {d.sessions.clone().into_iter().map(|s| view! {
                                                <li>
                                                    <strong>{s.when.clone()}</strong> " · " {s.title.clone()}
                                                    {s.place.clone().map(|p| view! { " · " <span class="muted">{p}</span> })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            {match d.me {
                                None => view! {
                                    <section class="card">
                                        <p><A href="/login">{t(Msg::ProgLoginToApply)}</A></p>
                                    </section>
                                }.into_any(),
                                Some(me) => {
                                    let live = me.application.as_ref().is_some_and(|a| matches!(a.status, AppStatus::Submitted | AppStatus::Accepted));
                                    view! {
                                        {me.application.clone().map(|a| {
                                            let status = a.status.as_str();
                                            view! {
                                            <section class="card" data-testid="my-application" data-status=status>
                                                <h2>{t(Msg::ProgYourApplication)}</h2>
                                                <ApplicationFacts a=a/>
                                                <p><A href="/my/applications">{t(Msg::NavMyApplications)}</A></p>
                                            </section>
                                        }})}
                                        {(!me.reasons.is_empty()).then(|| view! {
                                            <div class="alert warn" role="status" data-testid="eligibility-reasons">
                                                <p>{t(Msg::ProgNotEligibleYet)}</p>
                                                <ul>{me.reasons.iter().map(|r| view! { <li>{r.text(l)}</li> }).collect_view()}</ul>
                                                <p class="small">{t(Msg::ProgEligibilityProfileHint)}</p>
                                            </div>
                                        })}
                                        {(open && !live).then(|| view! { <ApplyForm program_id=program_id profile=me.profile.clone() apply=apply/> })}
                                    }.into_any()
                                }
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ApplyForm(
    program_id: i32,
    profile: ProfileFacts,
    apply: ServerAction<ApplyToProgram>,
) -> impl IntoView {
    let l = use_locale();
    let err = Signal::derive(move || apply.value().get().and_then(|r| r.err()));
    let invalid_plain = move |field: &'static str| crate::ui::aria_invalid(err, field);
    view! {
        <section class="card wide-form">
            <h2>{t(Msg::ProgApplyTitle)}</h2>
            <p class="muted">{t(Msg::ProgApplyHint)}</p>
            <ActionForm action=apply attr:class="form" attr:data-testid="apply-form">
                <input type="hidden" name="program_id" value=program_id/>
                <div class="field">
                    <label for="apply-education">{t(Msg::EducationField)}</label>
                    <select id="apply-education" name="form[education]" aria-invalid=invalid_plain("education")>
                        {Education::ALL.iter().map(|x| view! { <option value=x.as_str() selected=x.as_str() == profile.education>{x.label(l)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="apply-occupation">{t(Msg::OccupationField)}</label>
                    <select id="apply-occupation" name="form[occupation]" aria-invalid=invalid_plain("occupation")>
                        {Occupation::ALL.iter().map(|x| view! { <option value=x.as_str() selected=x.as_str() == profile.occupation>{x.label(l)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="apply-settlement">{t(Msg::SettlementField)}</label>
                    <select id="apply-settlement" name="form[settlement]" aria-invalid=invalid_plain("settlement")>
                        {Settlement::ALL.iter().map(|x| view! { <option value=x.as_str() selected=x.as_str() == profile.settlement>{x.label(l)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="apply-motivation">{t(Msg::ProgMotivationField)}</label>
                    <textarea id="apply-motivation" name="form[motivation]" rows="5" required maxlength=MAX_MOTIVATION
                        aria-invalid=invalid_plain("motivation") data-testid="motivation"></textarea>
                    <small class="muted">{t(Msg::ProgMotivationHint)}</small>
                </div>
                <button type="submit" class="primary" data-testid="apply" disabled=move || apply.pending().get()>{t(Msg::ProgApplyButton)}</button>
            </ActionForm>
        </section>
    }
}

/// Status, reason, attendance and certificate of an application.
#[component]
fn ApplicationFacts(a: MyApplicationDto) -> impl IntoView {
    let badge = match a.status {
        AppStatus::Accepted => "badge accepted",
        AppStatus::Rejected => "badge danger",
        AppStatus::Submitted => "badge warn",
        AppStatus::Withdrawn => "badge",
    };
    view! {
        <p><span class=badge data-testid="application-status">{t(a.status.msg())}</span>
            " " <span class="muted small">{t(Msg::ProgSubmittedAt)} " " {a.submitted.clone()}</span></p>
        {a.decision_reason.clone().map(|r| view! { <p data-testid="decision-reason">{t(Msg::DecisionReason)} ": " {r}</p> })}
        {a.attendance.clone().map(|s| view! { <p>{s}</p> })}
        {a.certificate_code.clone().map(|c| view! {
            <p><A href=format!("/certificates/{c}") attr:data-testid="certificate-link">{t(Msg::ProgOpenCertificate)}</A></p>
        })}
    }
}

/// A member's applications with what staff decided.
#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let withdraw = crate::access::flash::form_action::<WithdrawApplication>();
    let list = Resource::new(move || withdraw.version().get(), |_| my_applications());
    view! {
        <h1 id="page-title">{t(Msg::ProgMyApplicationsTitle)}</h1>
        {move || match withdraw.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status"><p>{t(Msg::ProgApplicationWithdrawn)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted">{t(Msg::ProgNoApplications)} " " <A href="/programs">{t(Msg::NavPrograms)}</A></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-testid="applications">
                            {list.into_iter().map(|a| {
                                let live = matches!(a.status, AppStatus::Submitted | AppStatus::Accepted) && a.certificate_code.is_none();
                                let id = a.id;
                                let status = a.status.as_str();
                                let href = format!("/programs/{}", a.program_id);
                                let name = a.program_name.clone();
                                let center = a.center_name.clone();
                                view! {
                                    <li class="card" data-testid="application" data-status=status>
                                        <h2><A href=href>{name}</A></h2>
                                        <p class="muted">{center}</p>
                                        <ApplicationFacts a=a/>
                                        {live.then(|| view! {
                                            <ActionForm action=withdraw attr:class="inline-form">
                                                <input type="hidden" name="application_id" value=id/>
                                                <button type="submit" class="danger small" disabled=move || withdraw.pending().get()>{t(Msg::Withdraw)}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Staff: applications waiting for a decision.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let decide = crate::access::flash::form_action::<DecideApplication>();
    let list = Resource::new(move || decide.version().get(), |_| review_queue());
    view! {
        <p class="crumbs"><A href="/desk/programs">{t(Msg::NavManagePrograms)}</A></p>
        <h1 id="page-title">{t(Msg::ProgReviewTitle)}</h1>
        <p class="muted">{t(Msg::ProgReviewIntro)}</p>
        {move || match decide.value().get() {
            Some(Ok(true)) => view! { <div class="alert ok" role="status" data-testid="decided"><p>{t(Msg::ProgApplicationAccepted)}</p></div> }.into_any(),
            Some(Ok(false)) => view! { <div class="alert ok" role="status" data-testid="decided"><p>{t(Msg::ProgApplicationRejected)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) if rows.is_empty() => view! { <p class="muted" data-testid="no-applications">{t(Msg::ProgNoApplicationsToReview)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="cards" data-testid="review-queue">
                            {rows.into_iter().map(|r| view! {
                                <li class="card" data-application=r.id>
                                    <h2>{r.applicant.clone()}</h2>
                                    <p><strong>{r.program_name.clone()}</strong> " · " <span class="muted">{r.center_name.clone()}</span></p>
                                    <p class="muted">{t(Msg::ProgAgeLabel)} ": " {r.age} " · " {r.education.clone()} " · " {r.occupation.clone()} " · " {r.settlement.clone()}</p>
                                    <blockquote class="prewrap">{r.motivation.clone()}</blockquote>
                                    <p class="muted small">{t(Msg::ProgSubmittedAt)} " " {r.submitted.clone()} " · " {r.places.clone()}</p>
                                    <div class="button-row">
                                        <ActionForm action=decide attr:class="inline-action">
                                            <input type="hidden" name="application_id" value=r.id/>
                                            <input type="hidden" name="accept" value="true"/>
                                            <button type="submit" class="primary" data-testid="accept"
                                                disabled=move || decide.pending().get() || r.full>{t(Msg::ProgAccept)}</button>
                                        </ActionForm>
                                    </div>
                                    <ActionForm action=decide attr:class="form deny-form">
                                        <input type="hidden" name="application_id" value=r.id/>
                                        <input type="hidden" name="accept" value="false"/>
                                        <label for=format!("reject-{}", r.id)>{t(Msg::ProgRejectReason)}</label>
                                        <input id=format!("reject-{}", r.id) type="text" name="reason" required maxlength="300" data-testid="reject-reason"/>
                                        <button type="submit" class="danger small" data-testid="reject"
                                            disabled=move || decide.pending().get()>{t(Msg::ProgReject)}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Staff: the programs of their centers; directors create new ones.
#[component]
pub fn ManageProgramsPage() -> impl IntoView {
    let create = crate::access::flash::form_action::<CreateProgram>();
    let data = Resource::new(move || create.version().get(), |_| managed_programs());
    view! {
        <h1 id="page-title">{t(Msg::NavManagePrograms)}</h1>
        <p><A href="/desk/programs/review" attr:data-testid="review-link">{t(Msg::ProgReviewTitle)}</A></p>
        {move || match create.value().get() {
            Some(Ok(id)) => view! {
                <div class="alert ok" role="status" data-testid="program-created">
                    <p>{t(Msg::ProgProgramCreated)} " " <A href=format!("/desk/programs/{id}")>{t(Msg::ProgAddSessionsNext)}</A></p>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        {if d.programs.is_empty() {
                            view! { <p class="muted">{t(Msg::ProgNoPrograms)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards" data-testid="managed-programs">
                                    {d.programs.clone().into_iter().map(|p| view! {
                                        <li class="card">
                                            <h2><A href=format!("/desk/programs/{}", p.id)>{p.name.clone()}</A></h2>
                                            <p class="muted">{p.center_name.clone()} {(!p.dates.is_empty()).then(|| format!(" · {}", p.dates))}</p>
                                            <p>{t(Msg::ProgAcceptedCount)} ": " {p.accepted} " / " {p.capacity}
                                                " · " {t(Msg::ProgWaitingCount)} ": " {p.submitted}
                                                " · " {t(Msg::ProgSessionsTitle)} ": " {p.sessions}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {(!d.centers.is_empty()).then(|| view! { <NewProgramForm centers=d.centers.clone() directions=d.directions.clone() create=create/> })}
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NewProgramForm(
    centers: Vec<Choice>,
    directions: Vec<crate::centers::dto::DirectionOption>,
    create: ServerAction<CreateProgram>,
) -> impl IntoView {
    let l = use_locale();
    let err = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let invalid = move |field: &'static str| crate::ui::aria_invalid(err, field);
    let text = move |field: &'static str, label: Msg, required: bool| {
        let id = format!("program-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id type="text" name=format!("form[{field}]") maxlength="200" required=required aria-invalid=invalid(field)/>
            </div>
        }
    };
    let area = move |field: &'static str, label: Msg| {
        let id = format!("program-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <textarea id=id name=format!("form[{field}]") rows="3" maxlength="4000" aria-invalid=invalid(field)></textarea>
            </div>
        }
    };
    let number = move |field: &'static str,
                       label: Msg,
                       value: &'static str,
                       min: i32,
                       max: i32,
                       required: bool| {
        let id = format!("program-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id type="number" name=format!("form[{field}]") value=value min=min max=max required=required
                    inputmode="numeric" aria-invalid=invalid(field)/>
            </div>
        }
    };
    view! {
        <section class="card wide-form" aria-labelledby="new-program-title">
            <h2 id="new-program-title">{t(Msg::ProgNewProgramTitle)}</h2>
            <ActionForm action=create attr:class="form" attr:data-testid="program-form">
                <div class="field">
                    <label for="program-center">{t(Msg::NavCenters)}</label>
                    <select id="program-center" name="form[center_id]">
                        {centers.iter().map(|c| view! { <option value=c.id>{c.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                {text("name_kk", Msg::ProgNameKk, false)}
                {text("name_ru", Msg::ProgNameRu, false)}
                {text("name_en", Msg::ProgNameEn, false)}
                {area("description_kk", Msg::ProgDescriptionKk)}
                {area("description_ru", Msg::ProgDescriptionRu)}
                {area("description_en", Msg::ProgDescriptionEn)}
                <div class="field">
                    <label for="program-direction">{t(Msg::DirectionField)}</label>
                    <select id="program-direction" name="form[direction]">
                        {directions.into_iter().map(|d| view! { <option value=d.code>{d.name}</option> }).collect_view()}
                    </select>
                </div>
                {number("capacity", Msg::ProgCohortCapacity, "20", 1, 1000, true)}
                {number("completion_percent", Msg::ProgCompletionPercentField, "80", 1, 100, true)}
                <div class="field">
                    <label for="program-close">{t(Msg::ProgApplicationsCloseField)}</label>
                    <input id="program-close" type="date" name="form[applications_close_on]" aria-invalid=invalid("applications_close_on")/>
                </div>
                <fieldset class="guardian">
                    <legend>{t(Msg::ProgWhoMayApply)}</legend>
                    <p class="muted small">{t(Msg::ProgRulesOptionalHint)}</p>
                    {number("min_age", Msg::MinAgeField, "", 0, 100, false)}
                    {number("max_age", Msg::ProgMaxAgeField, "", 0, 100, false)}
                    <div class="field">
                        <label for="program-education">{t(Msg::ProgMinEducationField)}</label>
                        <select id="program-education" name="form[min_education]">
                            <option value="">{t(Msg::ProgAnyLevel)}</option>
                            {Education::ALL.iter().map(|x| view! { <option value=x.as_str()>{x.label(l)}</option> }).collect_view()}
                        </select>
                    </div>
                    <label class="check"><input type="checkbox" name="form[rural_only]" value="true"/>{t(Msg::ProgRuralOnlyField)}</label>
                    <p class="muted small">{t(Msg::ProgOccupationsField)}</p>
                    {[("occ_pupil", Occupation::Pupil), ("occ_student", Occupation::Student), ("occ_employed", Occupation::Employed), ("occ_neet", Occupation::Neet)]
                        .into_iter()
                        .map(|(field, o)| view! {
                            <label class="check"><input type="checkbox" name=format!("form[{field}]") value="true"/>{o.label(l)}</label>
                        })
                        .collect_view()}
                </fieldset>
                <button type="submit" class="primary" data-testid="create-program" disabled=move || create.pending().get()>{t(Msg::ProgCreateProgram)}</button>
            </ActionForm>
        </section>
    }
}

/// Staff: one program's sessions (with rosters), participants' progress and
/// certificates; directors add sessions here.
#[component]
pub fn ProgramStaffPage() -> impl IntoView {
    let id = id_param();
    let add = crate::access::flash::form_action::<AddProgramSessions>();
    let issue = crate::access::flash::form_action::<IssueCertificates>();
    let data = Resource::new(
        move || (id.get(), add.version().get(), issue.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => program_staff(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let l = use_locale();
    view! {
        <p class="crumbs"><A href="/desk/programs">{t(Msg::NavManagePrograms)}</A></p>
        {move || match add.value().get() {
            Some(Ok(n)) => view! { <div class="alert ok" role="status" data-testid="sessions-added"><p>{program_text(l, ProgramText::SessionsAdded(n))}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match issue.value().get() {
            Some(Ok(n)) => view! { <div class="alert ok" role="status" data-testid="certificates-issued"><p>{program_text(l, ProgramText::CertificatesIssued(n))}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let program_id = d.card.id;
                        view! {
                            <h1 id="page-title">{d.card.name.clone()}</h1>
                            {card_facts(d.card.clone())}
                            <section class="card">
                                <h2>{t(Msg::ProgSessionsTitle)}</h2>
                                {if d.sessions.is_empty() {
                                    view! { <p class="muted">{t(Msg::ProgNoSessionsYet)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="sessions" data-testid="staff-sessions">
                                            {d.sessions.clone().into_iter().map(|s| view! {
                                                <li>
                                                    <strong>{s.when.clone()}</strong> " · " {s.title.clone()}
                                                    {if s.held {
                                                        view! { " · " <A href=format!("/desk/program-sessions/{}", s.id) attr:data-testid="roster-link">{t(Msg::ProgAttendance)} " (" {s.present} ")"</A> }.into_any()
                                                    } else {
                                                        view! { " · " <span class="muted">{t(Msg::ProgUpcoming)}</span> }.into_any()
                                                    }}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            {d.can_edit.then(|| view! { <SessionsForm program_id=program_id spaces=d.spaces.clone() add=add/> })}
                            {d.can_edit.then(|| view! { <super::edit_pages::ProgramEditor program_id=program_id/> })}
                            <section class="card">
                                <h2>{t(Msg::ProgParticipantsTitle)}</h2>
                                <p class="muted">{program_text(l, ProgramText::CompletionRule(d.completion_percent))}</p>
                                {if d.participants.is_empty() {
                                    view! { <p class="muted">{t(Msg::ProgNoParticipants)}</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table class="report" data-testid="participants">
                                                <thead><tr>
                                                    <th scope="col">{t(Msg::FullName)}</th>
                                                    <th scope="col" class="num">{t(Msg::ProgAttendance)}</th>
                                                    <th scope="col">{t(Msg::ProgCertificateTitle)}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {d.participants.clone().into_iter().map(|p| view! {
                                                        <tr>
                                                            <td>{p.name.clone()}</td>
                                                            <td class="num">{p.attended} " / " {p.held} " (" {p.percent} "%)"</td>
                                                            <td>{match p.certificate_code.clone() {
                                                                Some(c) => view! { <A href=format!("/certificates/{c}")>{t(Msg::ProgOpenCertificate)}</A> }.into_any(),
                                                                None if p.reached => view! { <span class="badge accepted">{t(Msg::ProgReached)}</span> }.into_any(),
                                                                None => view! { <span class="muted">"—"</span> }.into_any(),
                                                            }}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                                {if d.over {
                                    view! {
                                        <ActionForm action=issue attr:class="inline-form">
                                            <input type="hidden" name="program_id" value=program_id/>
                                            <button type="submit" class="primary" data-testid="issue-certificates"
                                                disabled=move || issue.pending().get()>{t(Msg::ProgIssueCertificates)}</button>
                                        </ActionForm>
                                    }.into_any()
                                } else {
                                    view! { <p class="muted small">{t(Msg::ProgCertificatesAfterLast)}</p> }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SessionsForm(
    program_id: i32,
    spaces: Vec<Choice>,
    add: ServerAction<AddProgramSessions>,
) -> impl IntoView {
    let err = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let invalid = move |field: &'static str| crate::ui::aria_invalid(err, field);
    view! {
        <section class="card wide-form" aria-labelledby="add-sessions-title">
            <h2 id="add-sessions-title">{t(Msg::ProgAddSessionsTitle)}</h2>
            <ActionForm action=add attr:class="form" attr:data-testid="sessions-form">
                <input type="hidden" name="program_id" value=program_id/>
                <div class="field">
                    <label for="series-title">{t(Msg::ProgSessionTitleField)}</label>
                    <input id="series-title" type="text" name="series[title]" required maxlength="200" aria-invalid=invalid("title")/>
                </div>
                <div class="field">
                    <label for="series-date">{t(Msg::ProgFirstDateField)}</label>
                    <input id="series-date" type="date" name="series[first_date]" required aria-invalid=invalid("first_date")/>
                </div>
                <div class="field">
                    <label for="series-time">{t(Msg::ProgStartTimeField)}</label>
                    <input id="series-time" type="time" name="series[start_time]" value="18:00" required aria-invalid=invalid("start_time")/>
                </div>
                <div class="field">
                    <label for="series-minutes">{t(Msg::Length)} ", " {t(Msg::Minutes)}</label>
                    <input id="series-minutes" type="number" name="series[minutes]" value="120" min="15" max="720" required inputmode="numeric" aria-invalid=invalid("minutes")/>
                </div>
                <div class="field">
                    <label for="series-weeks">{t(Msg::WeeksInRow)}</label>
                    <input id="series-weeks" type="number" name="series[weeks]" value="1" min="1" max=MAX_SERIES required inputmode="numeric" aria-invalid=invalid("weeks")/>
                </div>
                <div class="field">
                    <label for="series-space">{t(Msg::Space)}</label>
                    <select id="series-space" name="series[space_id]">
                        <option value="">"—"</option>
                        {spaces.iter().map(|s| view! { <option value=s.id>{s.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary" data-testid="add-sessions" disabled=move || add.pending().get()>{t(Msg::ProgAddSessionsButton)}</button>
            </ActionForm>
        </section>
    }
}

/// Staff: tick who came to a session.
#[component]
pub fn RosterPage() -> impl IntoView {
    let id = id_param();
    let mark = crate::access::flash::form_action::<MarkAttendance>();
    let data = Resource::new(
        move || (id.get(), mark.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => session_roster(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        {move || match mark.value().get() {
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            _ => ().into_any(),
        }}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => {
                        let session_id = r.session_id;
                        view! {
                            <p class="crumbs"><A href=format!("/desk/programs/{}", r.program_id)>{r.program_name.clone()}</A></p>
                            <h1 id="page-title">{t(Msg::ProgAttendance)}</h1>
                            <p><strong>{r.when.clone()}</strong> " · " {r.title.clone()}</p>
                            {if r.rows.is_empty() {
                                view! { <p class="muted">{t(Msg::ProgNoParticipants)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="cards roster" data-testid="roster">
                                        {r.rows.clone().into_iter().map(|row| {
                                            let present = row.present;
                                            view! {
                                                <li class="card" data-person=row.person_id data-present=present.to_string()>
                                                    <ActionForm action=mark attr:class="roster-row">
                                                        <input type="hidden" name="session_id" value=session_id/>
                                                        <input type="hidden" name="person_id" value=row.person_id/>
                                                        <input type="hidden" name="present" value=(!present).to_string()/>
                                                        <span>{row.name.clone()}</span>
                                                        <button type="submit" class=if present { "primary small" } else { "small" }
                                                            aria-pressed=present.to_string() data-testid="toggle-present"
                                                            disabled=move || mark.pending().get()>
                                                            {if present { t(Msg::ProgPresentMark) } else { t(Msg::ProgMarkPresent) }}
                                                        </button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Public: a certificate, printable, with a QR to this very page; anyone
/// who opens it by code or QR sees that it is genuine.
#[component]
pub fn CertificatePage() -> impl IntoView {
    // Its print or full-screen button is an island rendered once the data
    // is in: say so before the page is written.
    crate::ui::uses_islands();
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let data = Resource::new(move || code.get(), certificate);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        <div class="alert ok no-print" role="status" data-testid="certificate-genuine">
                            <p>{t(Msg::ProgCertificateGenuine)}</p>
                        </div>
                        <article class="certificate" data-testid="certificate">
                            <p class="cert-kicker">{t(Msg::ProgCertificateTitle)}</p>
                            <p class="cert-lead">{t(Msg::ProgCertifiesThat)}</p>
                            <h1 class="cert-name" data-testid="certificate-holder">{c.holder.clone()}</h1>
                            <p class="cert-lead">{t(Msg::ProgCompletedProgram)}</p>
                            <h2 class="cert-program">{c.program_name.clone()}</h2>
                            <p>{c.center_name.clone()}</p>
                            <p>{c.dates.clone()}</p>
                            <p class="muted">{c.attended.clone()}</p>
                            <div class="cert-foot">
                                <div>
                                    <p>{t(Msg::ProgIssuedOn)} ": " {c.issued.clone()}</p>
                                    <p class="small">{t(Msg::ProgCertificateCode)} ": " <code class="code" data-testid="certificate-code">{c.code.clone()}</code></p>
                                    <p class="small">{t(Msg::ProgVerifyAt)} " " <span class="verify-url">{c.verify_url.clone()}</span></p>
                                </div>
                                <figure class="qr">
                                    <div class="qr-img" inner_html=c.qr_svg.clone()></div>
                                </figure>
                            </div>
                        </article>
                        <p class="no-print"><PrintButton label=t(Msg::ProgPrintCertificate).to_string() class="primary".to_string()/></p>
                    }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <section class="card" data-testid="certificate-not-found">
                            <h1>{t(Msg::ProgCertificateNotFoundTitle)}</h1>
                            <p>{t(Msg::ProgCertificateNotFound)}</p>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
