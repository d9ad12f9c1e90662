//! The edit part of a program's staff page (directors, admins): names,
//! descriptions, the last day to apply, the cohort size, moving or
//! cancelling one upcoming session, cancelling the program. Every form
//! works without JavaScript; cancelling needs the confirmation ticked.

use leptos::prelude::*;
use leptos_router::components::A;

use super::edit_api::*;
use super::edit_dto::*;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{aria_invalid, t, ErrorBox};

fn outcome(value: Option<Result<(), AppError>>, msg: Msg, testid: &'static str) -> Option<AnyView> {
    value.map(|r| match r {
        Ok(()) => {
            view! { <div class="alert ok" role="status" data-testid=testid><p>{t(msg)}</p></div> }
                .into_any()
        }
        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
    })
}

/// Directors: change the program, its upcoming sessions, or cancel it.
#[component]
pub fn ProgramEditor(program_id: i32) -> impl IntoView {
    let save = crate::access::flash::form_action::<UpdateProgram>();
    let moved = crate::access::flash::form_action::<MoveProgramSession>();
    let dropped = crate::access::flash::form_action::<CancelProgramSession>();
    let cancel = crate::access::flash::form_action::<CancelProgram>();
    let data = Resource::new(
        move || {
            (
                save.version().get(),
                moved.version().get(),
                dropped.version().get(),
            )
        },
        move |_| program_edit_data(program_id),
    );
    let cancelled = move || matches!(cancel.value().get(), Some(Ok(())));
    view! {
        <section class="card wide-form" aria-labelledby="edit-program-title" data-testid="program-editor">
            <h2 id="edit-program-title">{t(Msg::EditProgram)}</h2>
            {move || outcome(save.value().get(), Msg::ChangesSaved, "program-saved")}
            {move || outcome(moved.value().get(), Msg::ProgSessionMovedDone, "program-session-moved")}
            {move || outcome(dropped.value().get(), Msg::ProgSessionCancelledDone, "program-session-cancelled")}
            {move || outcome(cancel.value().get(), Msg::ProgramCancelledDone, "program-cancelled")}
            <Show when=move || !cancelled() fallback=|| view! { <p><A href="/desk/programs">{t(Msg::NavManagePrograms)}</A></p> }>
                <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(d) => view! { <Forms d=d save=save moved=moved dropped=dropped cancel=cancel/> }.into_any(),
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </Show>
        </section>
    }
}

#[component]
fn Forms(
    d: ProgramEditDto,
    save: ServerAction<UpdateProgram>,
    moved: ServerAction<MoveProgramSession>,
    dropped: ServerAction<CancelProgramSession>,
    cancel: ServerAction<CancelProgram>,
) -> impl IntoView {
    let err = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let move_err = Signal::derive(move || moved.value().get().and_then(|r| r.err()));
    let drop_err = Signal::derive(move || dropped.value().get().and_then(|r| r.err()));
    let cancel_err = Signal::derive(move || cancel.value().get().and_then(|r| r.err()));
    let program_id = d.id;
    let f = d.form.clone();
    let text = move |field: &'static str, label: Msg, value: String| {
        let id = format!("edit-program-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id type="text" name=format!("form[{field}]") maxlength="200" value=value aria-invalid=aria_invalid(err, field)/>
            </div>
        }
    };
    let area = move |field: &'static str, label: Msg, value: String| {
        let id = format!("edit-program-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <textarea id=id name=format!("form[{field}]") rows="3" maxlength="4000" aria-invalid=aria_invalid(err, field)>{value}</textarea>
            </div>
        }
    };
    view! {
        <ActionForm action=save attr:class="form" attr:data-testid="program-edit-form">
            <input type="hidden" name="program_id" value=program_id/>
            {text("name_kk", Msg::ProgNameKk, f.name_kk.clone())}
            {text("name_ru", Msg::ProgNameRu, f.name_ru.clone())}
            {text("name_en", Msg::ProgNameEn, f.name_en.clone())}
            {area("description_kk", Msg::ProgDescriptionKk, f.description_kk.clone())}
            {area("description_ru", Msg::ProgDescriptionRu, f.description_ru.clone())}
            {area("description_en", Msg::ProgDescriptionEn, f.description_en.clone())}
            <div class="field">
                <label for="edit-program-capacity">{t(Msg::ProgCohortCapacity)}</label>
                <input id="edit-program-capacity" type="number" name="form[capacity]" min="1" max="1000" required
                    inputmode="numeric" value=f.capacity.clone() aria-invalid=aria_invalid(err, "capacity") data-testid="capacity"/>
            </div>
            <div class="field">
                <label for="edit-program-close">{t(Msg::ProgApplicationsCloseField)}</label>
                <input id="edit-program-close" type="date" name="form[applications_close_on]" value=f.applications_close_on.clone()
                    aria-invalid=aria_invalid(err, "applications_close_on")/>
            </div>
            <button type="submit" class="primary" data-testid="save-program" disabled=move || save.pending().get()>{t(Msg::Save)}</button>
        </ActionForm>
        <ul class="cards" data-testid="program-movable-sessions">
            {d.sessions.clone().into_iter().map(|s| view! {
                <li class="card" data-testid="program-movable-session">
                    <p><strong>{s.when.clone()}</strong> " · " {s.title.clone()}</p>
                    <ActionForm action=moved attr:class="form inline-form">
                        <input type="hidden" name="session_id" value=s.id/>
                        <label for=format!("prog-move-date-{}", s.id)>{t(Msg::NewDate)}</label>
                        <input id=format!("prog-move-date-{}", s.id) type="date" name="date" required value=s.date.clone()
                            aria-invalid=aria_invalid(move_err, "date")/>
                        <label for=format!("prog-move-time-{}", s.id)>{t(Msg::ProgStartTimeField)}</label>
                        <input id=format!("prog-move-time-{}", s.id) type="time" name="start_time" required value=s.start_time.clone()
                            aria-invalid=aria_invalid(move_err, "start_time")/>
                        <button type="submit" class="small" data-testid="move-program-session" disabled=move || moved.pending().get()>{t(Msg::MoveButton)}</button>
                    </ActionForm>
                    <ActionForm action=dropped attr:class="form inline-form">
                        <input type="hidden" name="session_id" value=s.id/>
                        <label class="check">
                            <input type="checkbox" name="confirm" value="true" required aria-invalid=aria_invalid(drop_err, "confirm")/>
                            " " {t(Msg::ConfirmCancel)}
                        </label>
                        <button type="submit" class="danger small" data-testid="cancel-program-session" disabled=move || dropped.pending().get()>{t(Msg::ProgCancelSession)}</button>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
        <details class="card">
            <summary>{t(Msg::CancelProgram)}</summary>
            <ActionForm action=cancel attr:class="form" attr:data-testid="cancel-program-form">
                <input type="hidden" name="program_id" value=program_id/>
                <label for="program-cancel-reason">{t(Msg::CancelReason)}</label>
                <input id="program-cancel-reason" type="text" name="reason" required maxlength="200"
                    aria-invalid=aria_invalid(cancel_err, "reason")/>
                <p class="muted small">{t(Msg::CancelProgramHint)}</p>
                <label class="check">
                    <input type="checkbox" name="confirm" value="true" required aria-invalid=aria_invalid(cancel_err, "confirm")/>
                    " " {t(Msg::ConfirmCancel)}
                </label>
                <button type="submit" class="danger" data-testid="cancel-program" disabled=move || cancel.pending().get()>{t(Msg::CancelProgram)}</button>
            </ActionForm>
        </details>
    }
}
