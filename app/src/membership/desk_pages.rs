use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{desk_members, IssueResetCode, RecordConsent};
use super::dto::MemberRowDto;
use crate::booking::api::{BookSlot, PardonNoShows};
use crate::centers::api::SetInduction;
use crate::centers::dto::SpaceDto;
use crate::domain::membership::ConsentState;
use crate::i18n::Msg;
use crate::ui::{t, ErrorBox};

/// The desk's actions on a member row.
#[derive(Clone, Copy)]
struct MemberActions {
    record: ServerAction<RecordConsent>,
    reset: ServerAction<IssueResetCode>,
    induct: ServerAction<SetInduction>,
    pardon: ServerAction<PardonNoShows>,
    book: ServerAction<BookSlot>,
}

/// A walk-in booking from the today board: space, start, and its label.
type WalkIn = Option<(i32, i64, String)>;

/// Front desk: find a member, see age band and consent state, record a
/// guardian's paper consent.
#[component]
pub fn DeskMembersPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let record = crate::access::flash::form_action::<RecordConsent>();
    let reset = crate::access::flash::form_action::<IssueResetCode>();
    let induct = crate::access::flash::form_action::<SetInduction>();
    let pardon = crate::access::flash::form_action::<PardonNoShows>();
    let members = Resource::new(
        move || {
            (
                q.get(),
                record.version().get(),
                induct.version().get(),
                pardon.version().get(),
            )
        },
        |(q, _, _, _)| desk_members(q),
    );
    // Walk-in mode (from the today board): `space`, `start`, `label`.
    let walk_in = Memo::new(move |_| {
        let q = query.read();
        match (
            q.get("space").and_then(|s| s.parse::<i32>().ok()),
            q.get("start").and_then(|s| s.parse::<i64>().ok()),
        ) {
            (Some(space), Some(start)) => Some((space, start, q.get("label").unwrap_or_default())),
            _ => None,
        }
    });
    let book = crate::access::flash::form_action::<BookSlot>();
    let induction_spaces = Resource::new(|| (), |_| crate::centers::api::induction_spaces());
    let acts = MemberActions {
        record,
        reset,
        induct,
        pardon,
        book,
    };
    view! {
        <h1 id="page-title">{t(Msg::MembersTitle)}</h1>
        <form method="get" class="search-form" role="search">
            <label for="q">{t(Msg::SearchMembers)}</label>
            <div class="search-row">
                <input id="q" type="search" name="q" prop:value=move || q.get() autocomplete="off"/>
                <button type="submit" class="primary">{t(Msg::Search)}</button>
            </div>
        </form>
        {move || record.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        {move || induct.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        {move || walk_in.get().map(|(_, _, label)| view! {
            <div class="banner-inline" role="status" data-testid="walk-in-banner">{t(Msg::WalkInBanner)} " · " <strong>{label}</strong></div>
        })}
        <ActionResults acts=acts/>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let spaces = induction_spaces.await.unwrap_or_default();
                match members.await {
                    Ok(rows) if rows.is_empty() => view! { <p class="muted">{t(Msg::NoMembersFound)}</p> }.into_any(),
                    Ok(rows) => view! { <MembersTable rows=rows spaces=spaces.clone() acts=acts walk_in=walk_in/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What the last booking, pardon or reset code came to.
#[component]
fn ActionResults(acts: MemberActions) -> impl IntoView {
    let MemberActions {
        book,
        pardon,
        reset,
        ..
    } = acts;
    view! {
        {move || match book.value().get() {
            Some(Ok(_)) => view! {
                <div class="alert ok" role="status" data-testid="booked">
                    <p>{t(Msg::BookedForMember)} " " <a href="/desk/today">{t(Msg::NavToday)}</a></p>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match pardon.value().get() {
            Some(Ok(_)) => view! { <div class="alert ok" role="status" data-testid="pardoned"><p>{t(Msg::Pardoned)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match reset.value().get() {
            Some(Ok(code)) => view! {
                <div class="alert ok" role="status">
                    <p>{t(Msg::ResetCodeIssued)} " " <strong class="big-code" data-testid="reset-code">{code}</strong></p>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// The members found, one row each.
#[component]
fn MembersTable(
    rows: Vec<MemberRowDto>,
    spaces: Vec<SpaceDto>,
    acts: MemberActions,
    walk_in: Memo<WalkIn>,
) -> impl IntoView {
    view! {
       <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-title">
           <table class="report" data-testid="members">
               <thead>
                   <tr>
                       <th scope="col">{t(Msg::FullName)}</th>
                       <th scope="col">{t(Msg::AgeBandCol)}</th>
                       <th scope="col">{t(Msg::ConsentCol)}</th>
                       <th scope="col">{t(Msg::InductionsCol)}</th>
                       <th scope="col">{t(Msg::ChangePasswordTitle)}</th>
                   </tr>
               </thead>
               <tbody>
                   {rows.into_iter().map(|m| view! {
                       <MemberRow m=m spaces=spaces.clone() acts=acts walk_in=walk_in/>
                   }).collect_view()}
               </tbody>
           </table>
       </div>
    }
    .into_any()
}

/// One member: no-shows (and pardoning them), age band, consent (and
/// recording a paper one), inductions, and booking or a reset code.
#[component]
fn MemberRow(
    m: MemberRowDto,
    spaces: Vec<SpaceDto>,
    acts: MemberActions,
    walk_in: Memo<WalkIn>,
) -> impl IntoView {
    let l = crate::ui::use_locale();
    let MemberActions {
        record,
        reset,
        induct,
        pardon,
        book,
    } = acts;
    let awaiting = m.consent == ConsentState::Awaiting;
    view! {
        <tr data-person=m.person_id data-consent=m.consent.as_str()>
            <th scope="row">
                {m.name.clone()}
                {(m.no_shows > 0).then(|| view! {
                    <br/><small class="badge warn" data-testid="no-shows">{crate::i18n::no_shows(l, m.no_shows)}</small>
                    {m.blocked_until.clone().map(|u| view! { <br/><small>{t(Msg::BlockedUntilLabel)} " " {u}</small> })}
                    <ActionForm action=pardon attr:class="inline-action">
                        <input type="hidden" name="person_id" value=m.person_id/>
                        <button type="submit" class="small" data-testid="pardon">{t(Msg::Pardon)}</button>
                    </ActionForm>
                })}
            </th>
            <td>{m.age_band.label()}</td>
            <td>
                {t(m.consent.msg())}
                <Show when=move || awaiting>
                    <ActionForm action=record attr:class="inline-action">
                        <input type="hidden" name="person_id" value=m.person_id/>
                        <button type="submit" class="primary small" data-testid="record-consent">
                            {t(Msg::RecordPaperConsent)}
                        </button>
                    </ActionForm>
                </Show>
                {m.guardian_name.clone().map(|g| view! { <br/><small class="muted">{t(Msg::GuardianName)} ": " {g}</small> })}
            </td>
            <td data-testid="inductions">
                {spaces.iter().cloned().map(|s| {
                    let passed = m.inductions.contains(&s.id);
                    view! { <InductionToggle person_id=m.person_id space=s passed=passed induct=induct/> }
                }).collect_view()}
            </td>
            <td>
                {walk_in.get_untracked().map(|(space, start, _)| view! {
                    <ActionForm action=book attr:class="inline-action">
                        <input type="hidden" name="space_id" value=space/>
                        <input type="hidden" name="starts_at" value=start/>
                        <input type="hidden" name="for_person" value=m.person_id/>
                        <button type="submit" class="primary small" data-testid="walk-in-book"
                            disabled=move || book.pending().get()>{t(Msg::BookNow)}</button>
                    </ActionForm>
                })}
                {m.home_center_id.map(|c| view! {
                    <a href=format!("/centers/{c}?for={}", m.person_id) class="small-link" data-testid="book-for">
                        {t(Msg::BookForMember)}
                    </a>
                })}
                <ActionForm action=reset attr:class="inline-action">
                    <input type="hidden" name="person_id" value=m.person_id/>
                    <button type="submit" class="small" data-testid="issue-reset">{t(Msg::IssueResetCode)}</button>
                </ActionForm>
            </td>
        </tr>
     }
    // Erased: the row's view type is deep enough to overflow the
    // compiler's query depth when the wasm build lays it out.
    .into_any()
}

/// A space's induction for one member: record it, or withdraw it once passed.
#[component]
fn InductionToggle(
    person_id: i32,
    space: SpaceDto,
    passed: bool,
    induct: ServerAction<SetInduction>,
) -> impl IntoView {
    let s = space;
    view! {
        <ActionForm action=induct attr:class="inline-action">
            <input type="hidden" name="person_id" value=person_id/>
            <input type="hidden" name="space_id" value=s.id/>
            <input type="hidden" name="passed" value=(!passed).to_string()/>
            {if passed {
                view! {
                    <span class="badge ok">"✓ " {s.name.clone()}</span>
                    <button type="submit" class="small">{t(Msg::Withdraw)}</button>
                }.into_any()
            } else {
                view! {
                    <button type="submit" class="small" data-testid="record-induction">
                        {t(Msg::RecordInduction)} ": " {s.name.clone()}
                    </button>
                }.into_any()
            }}
        </ActionForm>
    }
}
