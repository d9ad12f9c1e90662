//! Staff page of the booking workflow: the approval queue. (Space rules
//! and center settings: `centers::pages`.)

use leptos::prelude::*;

use super::api::{pending_requests, DecideRequest};
use crate::i18n::Msg;
use crate::ui::{t, ErrorBox};

/// Front desk and directors: approve or deny requests for spaces that need
/// approval (the lecture hall).
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let decide = crate::access::flash::form_action::<DecideRequest>();
    let list = Resource::new(move || decide.version().get(), |_| pending_requests());
    view! {
        <h1 id="page-title">{t(Msg::ApprovalsTitle)}</h1>
        <p class="muted">{t(Msg::ApprovalsIntro)}</p>
        {move || match decide.value().get() {
            Some(Ok(true)) => view! {
                <div class="alert ok" role="status" data-testid="decided"><p>{t(Msg::RequestApproved)}</p></div>
            }.into_any(),
            Some(Ok(false)) => view! {
                <div class="alert ok" role="status" data-testid="decided"><p>{t(Msg::RequestDenied)}</p></div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) if rows.is_empty() => view! { <p class="muted" data-testid="no-requests">{t(Msg::NoPending)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="cards" data-testid="requests">
                            {rows.into_iter().map(|r| view! {
                                <li class="card request" data-booking=r.id>
                                    <h2>{r.space_name.clone()}</h2>
                                    <p><strong>{r.when.clone()}</strong></p>
                                    <p>{r.member.clone()} " · " {t(Msg::PartySize)} ": " {r.party_size}</p>
                                    <p>{t(Msg::Purpose)} ": " {r.purpose.clone()}</p>
                                    <p class="muted small">{r.center_name.clone()} " · " {t(Msg::RequestedAt)} " " {r.requested.clone()}</p>
                                    <div class="button-row">
                                        <ActionForm action=decide attr:class="inline-action">
                                            <input type="hidden" name="booking_id" value=r.id/>
                                            <input type="hidden" name="approve" value="true"/>
                                            <button type="submit" class="primary" data-testid="approve"
                                                disabled=move || decide.pending().get()>{t(Msg::Approve)}</button>
                                        </ActionForm>
                                    </div>
                                    <ActionForm action=decide attr:class="form deny-form">
                                        <input type="hidden" name="booking_id" value=r.id/>
                                        <input type="hidden" name="approve" value="false"/>
                                        <label for=format!("reason-{}", r.id)>{t(Msg::DenyReason)}</label>
                                        <input id=format!("reason-{}", r.id) type="text" name="reason" required maxlength="300" data-testid="deny-reason"/>
                                        <button type="submit" class="danger small" data-testid="deny"
                                            disabled=move || decide.pending().get()>{t(Msg::Deny)}</button>
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
