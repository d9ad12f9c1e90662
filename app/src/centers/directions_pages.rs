//! Regional admin: the region's directions (add, rename, retire, restore).

use leptos::prelude::*;

use super::api::{directions_admin, SaveDirection, SetDirectionRetired};
use super::dto::*;
use crate::i18n::Msg;
use crate::ui::{aria_invalid, t, ErrorBox};

/// Three name inputs (kk, ru, en) of a direction form.
fn name_inputs(
    prefix: &str,
    f: &DirectionForm,
    err: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    [
        ("name_kk", Msg::DirNameKk, f.name_kk.clone()),
        ("name_ru", Msg::DirNameRu, f.name_ru.clone()),
        ("name_en", Msg::DirNameEn, f.name_en.clone()),
    ]
    .into_iter()
    .map(|(field, label, value)| {
        let id = format!("{prefix}-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id type="text" name=format!("direction[{field}]") value=value required maxlength="120"
                    aria-invalid=aria_invalid(err, field) data-testid=format!("{prefix}-{field}")/>
            </div>
        }
    })
    .collect_view()
}

#[component]
fn DirectionRow(
    d: DirectionRowDto,
    save: ServerAction<SaveDirection>,
    retire: ServerAction<SetDirectionRetired>,
) -> impl IntoView {
    let err = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let prefix = format!("dir-{}", d.code);
    let code = d.code.clone();
    let code2 = d.code.clone();
    let inputs = name_inputs(&prefix, &d.form, err);
    let save_id = format!("{prefix}-save");
    let retire_id = format!("{prefix}-retire");
    let retire_label = match (d.retired, d.uses) {
        (true, _) => Msg::DirRestore,
        (false, 0) => Msg::DirDelete,
        (false, _) => Msg::DirRetire,
    };
    view! {
        <li class="card" data-testid=prefix data-retired=d.retired.to_string()>
            <h2 class="h3">{d.name.clone()}
                {d.retired.then(|| view! { " " <span class="badge muted">{t(Msg::DirRetiredBadge)}</span> })}
            </h2>
            <p class="muted small">{crate::i18n::direction_uses(crate::ui::use_locale(), d.uses)}</p>
            <details>
                <summary>{t(Msg::Edit)}</summary>
                <ActionForm action=save attr:class="form">
                    <input type="hidden" name="direction[code]" value=code/>
                    <input type="hidden" name="new" value="false"/>
                    {inputs}
                    <button type="submit" class="primary" data-testid=save_id>{t(Msg::Save)}</button>
                </ActionForm>
            </details>
            <ActionForm action=retire attr:class="inline-action">
                <input type="hidden" name="code" value=code2/>
                <input type="hidden" name="retired" value=(!d.retired).to_string()/>
                <button type="submit" class="small" data-testid=retire_id>{t(retire_label)}</button>
            </ActionForm>
        </li>
    }
}

/// Regional admin: the list of directions spaces, clubs, events and
/// programs are filed under, and the reach report counts by.
#[component]
pub fn DirectionsPage() -> impl IntoView {
    let add = crate::access::flash::form_action::<SaveDirection>();
    let save = crate::access::flash::form_action::<SaveDirection>();
    let retire = crate::access::flash::form_action::<SetDirectionRetired>();
    let data = Resource::new(
        move || {
            (
                add.version().get(),
                save.version().get(),
                retire.version().get(),
            )
        },
        |_| directions_admin(),
    );
    let add_err = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let empty = DirectionForm::default();
    view! {
        <h1 id="page-title">{t(Msg::DirectionsTitle)}</h1>
        <p class="muted">{t(Msg::DirectionsIntro)}</p>
        {move || {
            let saved = [add.value().get(), save.value().get()]
                .into_iter()
                .chain([retire.value().get()])
                .flatten()
                .find_map(|r| r.err());
            saved.map(|e| view! { <ErrorBox error=e/> })
        }}
        {move || matches!(add.value().get(), Some(Ok(()))).then(|| view! {
            <div class="alert ok" role="status" data-testid="direction-added"><p>{t(Msg::DirectionAdded)}</p></div>
        })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) => view! {
                        <ul class="cards" data-testid="directions">
                            {rows.into_iter().map(|d| view! { <DirectionRow d=d save=save retire=retire/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
        <section class="card wide-form">
            <h2>{t(Msg::AddDirection)}</h2>
            <ActionForm action=add attr:class="form" attr:data-testid="add-direction">
                <input type="hidden" name="new" value="true"/>
                <div class="field">
                    <label for="new-code">{t(Msg::DirCode)}</label>
                    <input id="new-code" type="text" name="direction[code]" required minlength="2" maxlength="40"
                        pattern="[a-z][a-z0-9_]+" autocapitalize="none" spellcheck="false"
                        aria-invalid=aria_invalid(add_err, "code") aria-describedby="new-code-hint" data-testid="new-code"/>
                    <p class="muted small" id="new-code-hint">{t(Msg::DirCodeHint)}</p>
                </div>
                {name_inputs("new", &empty, add_err)}
                <button type="submit" class="primary" data-testid="add-direction-submit" disabled=move || add.pending().get()>{t(Msg::AddDirection)}</button>
            </ActionForm>
        </section>
    }
}
