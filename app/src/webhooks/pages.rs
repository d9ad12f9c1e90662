//! `/director/webhooks`: register endpoints, show their signing secrets,
//! switch them off and on, and read the delivery log. Every form here is a
//! plain form post, so the page works before hydration and without
//! JavaScript.

use leptos::prelude::*;

use super::api::{list_webhooks, CreateWebhook, SetWebhookActive};
use super::dto::{secret_path, DeliveryDto, EndpointDto};
use crate::domain::webhook::WebhookEvent;
use crate::i18n::Msg;
use crate::ui::{t, use_locale, ErrorBox};

fn status_label(status: &str) -> Msg {
    match status {
        "sent" => Msg::HooksStSent,
        "failed" => Msg::HooksStFailed,
        _ => Msg::HooksStPending,
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let create = crate::access::flash::form_action::<CreateWebhook>();
    let toggle = crate::access::flash::form_action::<SetWebhookActive>();
    let data = Resource::new(
        move || (create.version().get(), toggle.version().get()),
        |_| list_webhooks(),
    );
    view! {
        <h1 id="page-title">{t(Msg::HooksTitle)}</h1>
        <p class="muted">{t(Msg::HooksIntro)}</p>
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let urls: Vec<(i32, String)> = d.endpoints.iter().map(|e| (e.id, e.url.clone())).collect();
                        let no_endpoints = d.endpoints.is_empty();
                        let no_log = d.deliveries.is_empty();
                        view! {
                            <NewWebhookForm create=create may_all=d.may_choose_all centers=d.centers/>
                            <Show when=move || no_endpoints>
                                <p class="muted">{t(Msg::HooksNone)}</p>
                            </Show>
                            <ul class="board-list" data-testid="webhooks">
                                {d.endpoints.into_iter().map(|e| view! { <EndpointLine e=e toggle=toggle/> }).collect_view()}
                            </ul>
                            {move || toggle.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
                            <h2>{t(Msg::HooksLog)}</h2>
                            <Show when=move || no_log>
                                <p class="muted">{t(Msg::HooksLogEmpty)}</p>
                            </Show>
                            <DeliveryLog deliveries=d.deliveries urls=urls/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Register an endpoint: URL, center and events; the new secret is shown
/// once below.
#[component]
fn NewWebhookForm(
    create: ServerAction<CreateWebhook>,
    may_all: bool,
    centers: Vec<(i32, String)>,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card">
            <h2>{t(Msg::HooksNew)}</h2>
            // A plain form post (named `form[...]` fields): it works
            // before hydration and without JavaScript too.
            <ActionForm action=create attr:class="form" attr:data-testid="webhook-form">
                <label>{t(Msg::HooksUrl)}
                    <input type="url" name="form[url]" required placeholder="https://" data-testid="webhook-url"/>
                </label>
                <label>{t(Msg::CenterCol)}
                    // Directors have no "every center" choice: their first
                    // center is preselected.
                    <select name="form[center]" data-testid="webhook-center">
                        {may_all.then(|| view! { <option value="">{t(Msg::HooksAllCenters)}</option> })}
                        {centers.iter().map(|(id, name)| view! {
                            <option value=id.to_string()>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <fieldset>
                    <legend>{t(Msg::HooksEvents)}</legend>
                    {WebhookEvent::ALL.iter().enumerate().map(|(i, e)| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("form[events][{i}]") value=e.as_str() checked/>
                            " " {e.label(l)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="primary" data-testid="webhook-create"
                    disabled=move || create.pending().get()>{t(Msg::HooksCreate)}</button>
            </ActionForm>
            {move || create.value().get().map(|r| match r {
                Ok(c) => view! {
                    <p class="alert ok" role="status">{t(Msg::HooksSecretOnce)} " "
                        <code data-testid="webhook-secret">{c.secret}</code>
                    </p>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
        </section>
    }
}

/// One endpoint: where it posts, what, its state, switching it off or on,
/// and a button showing its secret.
#[component]
fn EndpointLine(e: EndpointDto, toggle: ServerAction<SetWebhookActive>) -> impl IntoView {
    let l = use_locale();
    let id = e.id;
    let active = e.active;
    view! {
        <li data-active=active.to_string()>
            <strong>{format!("#{} ", e.id)}</strong>
            <code>{e.url.clone()}</code>
            " · " {e.center.clone().unwrap_or_else(|| t(Msg::HooksAllCenters).to_string())}
            " · " {e.events.iter().filter_map(|x| WebhookEvent::parse(x)).map(|x| x.label(l)).collect::<Vec<_>>().join(", ")}
            " · " <span>{if active { t(Msg::HooksActive) } else { t(Msg::HooksDisabled) }}</span>
            {e.disabled_at.clone().map(|at| format!(" ({at})"))}
            " · " {t(Msg::HooksFailures)} ": " {e.consecutive_failures}
            <ActionForm action=toggle attr:class="inline">
                <input type="hidden" name="endpoint_id" value=id.to_string()/>
                <input type="hidden" name="active" value=(!active).to_string()/>
                <button type="submit" class="secondary small" data-testid="webhook-toggle">
                    {if active { t(Msg::HooksDisable) } else { t(Msg::HooksEnable) }}
                </button>
            </ActionForm>
            // The secret is not on this page: a plain form post shows it
            // on a page of its own (and records that it was shown).
            <form method="post" action=secret_path(id) class="inline">
                <button type="submit" class="secondary small" data-testid="webhook-reveal">
                    {t(Msg::HooksReveal)}
                </button>
            </form>
        </li>
    }
}

/// The delivery log; `urls` names each delivery's endpoint.
#[component]
fn DeliveryLog(deliveries: Vec<DeliveryDto>, urls: Vec<(i32, String)>) -> impl IntoView {
    let l = use_locale();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-title">
            <table class="report" data-testid="webhook-log">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::HooksCreated)}</th>
                        <th scope="col">{t(Msg::HooksEndpoint)}</th>
                        <th scope="col">{t(Msg::HooksEvents)}</th>
                        <th scope="col">{t(Msg::HooksStatus)}</th>
                        <th scope="col">{t(Msg::HooksAttempts)}</th>
                        <th scope="col">{t(Msg::HooksCode)}</th>
                        <th scope="col">{t(Msg::HooksError)}</th>
                        <th scope="col">{t(Msg::HooksNext)}</th>
                    </tr>
                </thead>
                <tbody>
                    {deliveries.iter().map(|row| {
                        let endpoint = urls.iter().find(|(id, _)| *id == row.endpoint_id)
                            .map(|(id, u)| format!("#{id} {u}")).unwrap_or_default();
                        let event = WebhookEvent::parse(&row.event).map(|e| e.label(l).to_string()).unwrap_or_else(|| row.event.clone());
                        view! {
                            <tr data-status=row.status.clone()>
                                <td>{row.created.clone()}</td>
                                <td>{endpoint}</td>
                                <td>{event}</td>
                                <td>{status_label(&row.status).text(l)}</td>
                                <td>{row.attempts}</td>
                                <td>{row.response_code.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                                <td>{row.last_error.clone().unwrap_or_default()}</td>
                                <td>{row.next_attempt.clone().unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
