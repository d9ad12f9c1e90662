//! The staff accounts page: admins see every account and create new ones;
//! directors see their centers' accounts. Both disable and enable accounts,
//! change roles and centers and end sessions where they may (each row says
//! so). Plain forms: they work without JavaScript too.

use leptos::prelude::*;

use super::account_pages::field_message;
use super::api::{list_staff, CreateAccount, EndAccountSessions, SetAccountDisabled, UpdateStaff};
use super::dto::{CenterChoiceDto, StaffRowDto};
use crate::domain::people::Role;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ui::{t, ErrorBox};

fn role_label(r: Role) -> &'static str {
    t(match r {
        Role::Visitor => Msg::RoleVisitor,
        Role::Mentor => Msg::RoleMentor,
        Role::FrontDesk => Msg::RoleFrontDesk,
        Role::Director => Msg::RoleDirector,
        Role::Admin => Msg::RoleAdmin,
    })
}

/// The actions of one staff row.
#[derive(Clone, Copy)]
struct RowActions {
    disable: ServerAction<SetAccountDisabled>,
    update: ServerAction<UpdateStaff>,
    end: ServerAction<EndAccountSessions>,
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let create = crate::access::flash::form_action::<CreateAccount>();
    let acts = RowActions {
        disable: crate::access::flash::form_action::<SetAccountDisabled>(),
        update: crate::access::flash::form_action::<UpdateStaff>(),
        end: crate::access::flash::form_action::<EndAccountSessions>(),
    };
    let page = Resource::new(
        move || {
            (
                create.version().get(),
                acts.disable.version().get(),
                acts.update.version().get(),
                acts.end.version().get(),
            )
        },
        |_| list_staff(),
    );
    let failed = move || {
        [
            acts.disable.value().get().and_then(|r| r.err()),
            acts.update.value().get().and_then(|r| r.err()),
            acts.end.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <h1 id="page-title">{t(Msg::StaffTitle)}</h1>
        <p class="muted">{t(Msg::StaffManageHint)}</p>
        {move || failed().map(|e| view! { <ErrorBox error=e/> })}
        {move || matches!(acts.end.value().get(), Some(Ok(()))).then(|| view! {
            <div class="alert ok" role="status" data-testid="sessions-ended"><p>{t(Msg::SessionsEnded)}</p></div>
        })}
        {move || matches!(acts.update.value().get(), Some(Ok(()))).then(|| view! {
            <div class="alert ok" role="status" data-testid="staff-saved"><p>{t(Msg::StaffSaved)}</p></div>
        })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let table = if p.rows.is_empty() {
                            view! { <p class="muted">{t(Msg::NoStaff)}</p> }.into_any()
                        } else {
                            let (roles, centers) = (p.roles.clone(), p.centers.clone());
                            view! { <StaffTable rows=p.rows roles=roles centers=centers acts=acts/> }.into_any()
                        };
                        let form = p.can_create.then(|| view! { <CreateStaffCard create=create centers=p.centers/> });
                        view! { {table} {form} }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StaffTable(
    rows: Vec<StaffRowDto>,
    roles: Vec<Role>,
    centers: Vec<CenterChoiceDto>,
    acts: RowActions,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-title">
            <table class="report" data-testid="staff">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::FullName)}</th>
                        <th scope="col">{t(Msg::RoleField)}</th>
                        <th scope="col">{t(Msg::CentersField)}</th>
                        <th scope="col">{t(Msg::StaffStatus)}</th>
                        <th scope="col">{t(Msg::StaffActions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|s| {
                        let actions = s.manageable.then(|| view! {
                            <StaffRowActions row=s.clone() roles=roles.clone() centers=centers.clone() acts=acts/>
                        });
                        view! {
                            <tr data-testid=format!("staff-{}", s.account_id)>
                                <th scope="row">{s.full_name.clone()}<br/><small class="muted">{s.login.clone()}</small></th>
                                <td>{role_label(s.role)}</td>
                                <td>{s.centers.join(", ")}</td>
                                <td>
                                    {if s.disabled {
                                        view! { <span class="badge danger">{t(Msg::StaffDisabled)}</span> }.into_any()
                                    } else {
                                        t(Msg::StaffActive).into_any()
                                    }}
                                </td>
                                <td>{actions}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Disable or enable, end sessions, and the role and centers form.
#[component]
fn StaffRowActions(
    row: StaffRowDto,
    roles: Vec<Role>,
    centers: Vec<CenterChoiceDto>,
    acts: RowActions,
) -> impl IntoView {
    let id = row.account_id;
    let (flip, flip_label, flip_class) = if row.disabled {
        ("false", t(Msg::EnableAccount), "small")
    } else {
        ("true", t(Msg::DisableAccount), "danger small")
    };
    view! {
        <div class="button-row">
            <ActionForm action=acts.disable attr:class="inline">
                <input type="hidden" name="account_id" value=id/>
                <input type="hidden" name="disabled" value=flip/>
                <button type="submit" class=flip_class data-testid=format!("toggle-{id}")>{flip_label}</button>
            </ActionForm>
            <ActionForm action=acts.end attr:class="inline">
                <input type="hidden" name="account_id" value=id/>
                <button type="submit" class="small" data-testid=format!("end-sessions-{id}")>{t(Msg::EndSessions)}</button>
            </ActionForm>
        </div>
        <details>
            <summary>{t(Msg::EditStaff)}</summary>
            <ActionForm action=acts.update attr:class="form" attr:data-testid=format!("edit-{id}")>
                <input type="hidden" name="account_id" value=id/>
                <div class="field">
                    <label for=format!("e-role-{id}")>{t(Msg::RoleField)}</label>
                    <select id=format!("e-role-{id}") name="form[role]">
                        {roles.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == row.role>{role_label(r)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset>
                    <legend>{t(Msg::CentersField)}</legend>
                    {centers.into_iter().enumerate().map(|(i, c)| {
                        let box_id = format!("e-{id}-center-{}", c.id);
                        let for_id = box_id.clone();
                        view! {
                            <label class="check" for=for_id>
                                <input id=box_id type="checkbox" name=format!("form[centers][{i}]") value=c.id
                                    checked=row.center_ids.contains(&c.id)/>
                                {c.name}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="primary small">{t(Msg::Save)}</button>
            </ActionForm>
        </details>
    }
}

/// Admins: a new account with a role and centers.
#[component]
fn CreateStaffCard(
    create: ServerAction<CreateAccount>,
    centers: Vec<CenterChoiceDto>,
) -> impl IntoView {
    let err = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    view! {
        <section class="card wide-form" aria-labelledby="create-title">
            <h2 id="create-title">{t(Msg::CreateStaff)}</h2>
            <ActionForm action=create attr:class="form" attr:data-testid="create-account">
                <div class="field">
                    <label for="s-name">{t(Msg::FullName)}</label>
                    <input id="s-name" type="text" name="form[full_name]" required aria-describedby="err-s-full_name"/>
                    <p class="field-error" id="err-s-full_name" role="alert">{move || field_message(err.get(), "full_name")}</p>
                </div>
                <div class="field">
                    <label for="s-email">{t(Msg::Email)}</label>
                    <input id="s-email" type="email" name="form[email]" aria-describedby="err-s-email"/>
                    <p class="field-error" id="err-s-email" role="alert">{move || field_message(err.get(), "email")}</p>
                </div>
                <div class="field">
                    <label for="s-phone">{t(Msg::Phone)}</label>
                    <input id="s-phone" type="tel" name="form[phone]" aria-describedby="err-s-phone"/>
                    <p class="field-error" id="err-s-phone" role="alert">{move || field_message(err.get(), "phone")}</p>
                </div>
                <div class="field">
                    <label for="s-birth">{t(Msg::BirthDate)}</label>
                    <input id="s-birth" type="date" name="form[birth_date]" required aria-describedby="err-s-birth"/>
                    <p class="field-error" id="err-s-birth" role="alert">{move || field_message(err.get(), "birth_date")}</p>
                </div>
                <div class="field">
                    <label for="s-role">{t(Msg::RoleField)}</label>
                    <select id="s-role" name="form[role]">
                        {[Role::FrontDesk, Role::Director, Role::Mentor, Role::Visitor, Role::Admin].into_iter().map(|r| view! {
                            <option value=r.as_str()>{role_label(r)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="guardian">
                    <legend>{t(Msg::CentersField)}</legend>
                    {centers.into_iter().enumerate().map(|(i, c)| {
                        let id = format!("s-center-{}", c.id);
                        let for_id = id.clone();
                        view! {
                            <label class="check" for=for_id>
                                <input id=id type="checkbox" name=format!("form[centers][{i}]") value=c.id/>
                                {c.name}
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-error" role="alert">{move || field_message(err.get(), "centers")}</p>
                </fieldset>
                <div class="field">
                    <label for="s-override">{t(Msg::OverrideReason)}</label>
                    <input id="s-override" type="text" name="form[override_reason]" aria-describedby="err-s-override"/>
                    <small class="muted">{t(Msg::OverrideHint)}</small>
                    <p class="field-error" id="err-s-override" role="alert">{move || field_message(err.get(), "override_reason")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || create.pending().get()>{t(Msg::CreateStaff)}</button>
            </ActionForm>
            {move || match create.value().get() {
                Some(Ok(password)) => view! {
                    <div class="alert ok" role="status" data-testid="account-created">
                        <p>{t(Msg::AccountCreated)} " " {t(Msg::InitialPassword)} ": " <code data-testid="initial-password">{password}</code></p>
                    </div>
                }.into_any(),
                Some(Err(AppError::Invalid { .. })) | None => ().into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            }}
        </section>
    }
}
