//! `/admin/api-tokens`: regional admins create, list and revoke the tokens
//! integrations use for the REST API (`/api/v1`, documented at
//! `/api/v1/docs`).

use leptos::prelude::*;

use super::api::{api_tokens, CreateApiToken, RevokeApiToken};
use super::dto::{ApiScope, ApiTokenRowDto};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::membership::account_pages::field_message;
use crate::ui::{t, ErrorBox};

fn scope_label(s: ApiScope) -> &'static str {
    t(match s {
        ApiScope::Read => Msg::ScopeRead,
        ApiScope::Book => Msg::ScopeBook,
        ApiScope::CheckIn => Msg::ScopeCheckIn,
    })
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let create = crate::access::flash::form_action::<CreateApiToken>();
    let revoke = crate::access::flash::form_action::<RevokeApiToken>();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| api_tokens(),
    );
    view! {
        <h1 id="page-title">{t(Msg::ApiTokensTitle)}</h1>
        <p class="muted">{t(Msg::ApiTokensIntro)} " "
            <a href="/api/v1/docs" rel="external" data-testid="api-docs">{t(Msg::ApiDocsLink)}</a>
        </p>
        {move || revoke.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(r) => {
                        let centers = r.centers.clone();
                        let empty = r.tokens.is_empty();
                        view! {
                            <Show when=move || empty>
                                <p class="muted">{t(Msg::NoApiTokens)}</p>
                            </Show>
                            <TokensTable tokens=r.tokens revoke=revoke/>
                            <NewTokenForm create=create centers=centers/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
        {move || match create.value().get() {
            Some(Ok(token)) => view! {
                <div class="alert ok" role="status" data-testid="api-token-created">
                    <p>{t(Msg::ApiTokenCreatedNote)}</p>
                    <p><code data-testid="api-token-value">{token}</code></p>
                </div>
            }.into_any(),
            Some(Err(AppError::Invalid { .. })) | None => ().into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
        }}
    }
}

/// The tokens made so far; a live one can be revoked.
#[component]
fn TokensTable(tokens: Vec<ApiTokenRowDto>, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-title">
            <table class="report" data-testid="api-tokens">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::ApiTokenName)}</th>
                        <th scope="col">{t(Msg::CenterCol)}</th>
                        <th scope="col">{t(Msg::ApiScopesField)}</th>
                        <th scope="col">{t(Msg::ApiRateField)}</th>
                        <th scope="col">{t(Msg::ApiCreatedCol)}</th>
                        <th scope="col">{t(Msg::ApiLastUsedCol)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Msg::ApiRevoke)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {tokens.into_iter().map(|row| {
                        let revoked = row.revoked_at.clone();
                        let is_revoked = revoked.is_some().to_string();
                        let id = row.id;
                        view! {
                            <tr data-testid="api-token-row" data-revoked=is_revoked>
                                <th scope="row">{row.name.clone()}<br/><small class="muted"><code>{row.shown.clone()} "…"</code></small></th>
                                <td>{row.center.clone()}</td>
                                <td>{row.scopes.iter().map(|s| scope_label(*s)).collect::<Vec<_>>().join("; ")}</td>
                                <td>{row.rate_per_minute}</td>
                                <td>{row.created_at.clone()}</td>
                                <td>{row.last_used.clone().unwrap_or_else(|| t(Msg::ApiNeverUsed).to_string())}</td>
                                <td>
                                    {match revoked {
                                        Some(at) => view! { <span class="badge">{t(Msg::ApiRevokedOn)} " " {at}</span> }.into_any(),
                                        None => view! {
                                            <ActionForm action=revoke attr:class="inline">
                                                <input type="hidden" name="id" value=id/>
                                                <button type="submit" class="danger small" data-testid="api-token-revoke">{t(Msg::ApiRevoke)}</button>
                                            </ActionForm>
                                        }.into_any(),
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Make a token: name, center, scopes and rate; errors show by their field.
#[component]
fn NewTokenForm(
    create: ServerAction<CreateApiToken>,
    centers: Vec<(i32, String)>,
) -> impl IntoView {
    let err = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    view! {
        <section class="card wide-form" aria-labelledby="create-token-title">
            <h2 id="create-token-title">{t(Msg::CreateApiToken)}</h2>
            <ActionForm action=create attr:class="form" attr:data-testid="create-api-token">
                <div class="field">
                    <label for="tok-name">{t(Msg::ApiTokenName)}</label>
                    <input id="tok-name" type="text" name="form[name]" required maxlength="80" aria-describedby="err-tok-name"/>
                    <p class="field-error" id="err-tok-name" role="alert">{move || field_message(err.get(), "name")}</p>
                </div>
                <div class="field">
                    <label for="tok-center">{t(Msg::CenterCol)}</label>
                    <select id="tok-center" name="form[center_id]">
                        {centers.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </div>
                <fieldset class="guardian">
                    <legend>{t(Msg::ApiScopesField)}</legend>
                    {ApiScope::ALL.into_iter().enumerate().map(|(i, s)| {
                        let id = format!("tok-scope-{}", s.as_str());
                        let for_id = id.clone();
                        view! {
                            <label class="check" for=for_id>
                                <input id=id type="checkbox" name=format!("form[scopes][{i}]") value=s.as_str()/>
                                {scope_label(s)}
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-error" role="alert">{move || field_message(err.get(), "scopes")}</p>
                </fieldset>
                <div class="field">
                    <label for="tok-rate">{t(Msg::ApiRateField)}</label>
                    <input id="tok-rate" type="number" min="1" max="6000" name="form[rate_per_minute]" aria-describedby="tok-rate-hint err-tok-rate"/>
                    <small class="muted" id="tok-rate-hint">{t(Msg::ApiRateHint)}</small>
                    <p class="field-error" id="err-tok-rate" role="alert">{move || field_message(err.get(), "rate_per_minute")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || create.pending().get()>{t(Msg::CreateApiToken)}</button>
            </ActionForm>
        </section>
    }
}
