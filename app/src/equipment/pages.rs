//! Members reserve equipment; the desk checks it out and takes it back by
//! scanning the member's pass and the item's label; printable labels.

use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    center_equipment, item_label, my_loans, overdue_loans, AddItem, CancelReservation,
    CheckOutItem, DeskLendingMember, ReserveItem, ReturnItem, SetItemCondition,
};
use super::dto::{CenterEquipmentDto, DeskMemberDto, ItemDto, LoanDto, OverdueDto};
use crate::domain::lending::{Condition, ItemKind, ItemState, LoanStatus};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::passes::scan_pages::CameraPanel;
use crate::ui::{t, use_locale, ErrorBox, PrintButton};

#[component]
fn LoanLine(loan: LoanDto) -> impl IntoView {
    let status = match loan.status {
        LoanStatus::Reserved => Msg::LoanReserved,
        _ => Msg::LoanOut,
    };
    view! {
        <strong>{loan.item.clone()}</strong> " (" <code>{loan.label_code.clone()}</code> ") · " {t(status)}
        {loan.pickup_on.clone().filter(|_| loan.status == LoanStatus::Reserved).map(|d| view! { " · " {t(Msg::PickupOn)} ": " {d} }.into_any())}
        {loan.due.clone().map(|d| view! { " · " {t(Msg::DueAt)} ": " {d} }.into_any())}
        {loan.overdue.then(|| view! { " " <span class="badge danger" data-testid="overdue-badge">{t(Msg::OverdueBadge)}</span> })}
    }
}

/// Members: a center's equipment to reserve, and their own reservations
/// and loans.
#[component]
pub fn EquipmentPage() -> impl IntoView {
    let query = use_query_map();
    let center = Memo::new(move |_| {
        query
            .read()
            .get("center")
            .and_then(|s| s.parse::<i32>().ok())
    });
    let reserve = crate::access::flash::form_action::<ReserveItem>();
    let cancel = crate::access::flash::form_action::<CancelReservation>();
    let items = Resource::new(
        move || {
            (
                center.get(),
                reserve.version().get(),
                cancel.version().get(),
            )
        },
        |(c, _, _)| center_equipment(c),
    );
    let mine = Resource::new(
        move || (reserve.version().get(), cancel.version().get()),
        |_| my_loans(),
    );
    view! {
        <h1>{t(Msg::EquipmentTitle)}</h1>
        <p class="muted">{t(Msg::EquipmentIntro)}</p>
        {move || match reserve.value().get() {
            Some(Ok(_)) => view! { <div class="alert ok" role="status" data-testid="item-reserved"><p>{t(Msg::ItemReservedOk)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {move || match cancel.value().get() {
            Some(Ok(())) => view! { <div class="alert ok" role="status"><p>{t(Msg::ReservationCancelled)}</p></div> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            None => ().into_any(),
        }}
        <MyLoans mine=mine cancel=cancel/>
        <CenterEquipment items=items reserve=reserve/>
    }
}

/// The member's own reservations (each can be cancelled) and loans.
#[component]
fn MyLoans(
    mine: Resource<Result<Vec<LoanDto>, AppError>>,
    cancel: ServerAction<CancelReservation>,
) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(list) => view! {
                        <section class="card" data-testid="my-loans">
                            <h2>{t(Msg::MyLoansTitle)}</h2>
                            {if list.is_empty() {
                                view! { <p class="muted">{t(Msg::NoLoans)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="board-list">
                                        {list.into_iter().map(|ln| {
                                            let reserved = ln.status == LoanStatus::Reserved;
                                            let id = ln.id;
                                            view! {
                                                <li data-loan=id>
                                                    <LoanLine loan=ln/>
                                                    <Show when=move || reserved>
                                                        <ActionForm action=cancel attr:class="inline-action">
                                                            <input type="hidden" name="loan_id" value=id/>
                                                            <button type="submit" class="danger small" data-testid="cancel-reservation">{t(Msg::CancelReservation)}</button>
                                                        </ActionForm>
                                                    </Show>
                                                </li>
                                            }.into_any()
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A center's items to reserve, with the choice of center above them.
#[component]
fn CenterEquipment(
    items: Resource<Result<CenterEquipmentDto, AppError>>,
    reserve: ServerAction<ReserveItem>,
) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(eq) => {
                        let current = eq.center.id;
                        view! {
                            <form method="get" action="/equipment" class="booking-options">
                                <label class="field-inline">
                                    {t(Msg::CenterLabel)}
                                    <select name="center">
                                        {eq.centers.iter().map(|c| view! {
                                            <option value=c.id selected=c.id == current>{c.name.clone()}</option>
                                        }.into_any()).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" class="secondary">{t(Msg::Show)}</button>
                            </form>
                            <ul class="cards" data-testid="equipment">
                                {eq.items.into_iter().map(|i| view! { <ItemCard item=i reserve=reserve/> }.into_any()).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One item's card: its state and rules, and a reservation form while it
/// is available.
#[component]
fn ItemCard(item: ItemDto, reserve: ServerAction<ReserveItem>) -> impl IntoView {
    let l = use_locale();
    let i = item;
    let available = i.state == ItemState::Available;
    let badge = if available {
        "badge avail"
    } else {
        "badge warn"
    };
    view! {
        <li class="card" data-item=i.id data-label=i.label_code.clone() data-state=i.state.as_str()>
            <h2>{i.name.clone()}</h2>
            <p>{i.kind.label(l)} " · " <span class=badge data-testid="item-state">{i.state.label(l)}</span></p>
            <p class="muted small">{t(Msg::ConditionLabel)} ": " {i.condition.label(l)}
                " · " {t(Msg::LoanDaysLabel)} ": " {i.loan_days}</p>
            {i.needs_induction.clone().map(|s| view! { <p class="small"><span class="badge warn">{t(Msg::NeedsInduction)} " " {s}</span></p> }.into_any())}
            <Show when=move || available>
                <ActionForm action=reserve attr:class="search-row">
                    <input type="hidden" name="item_id" value=i.id/>
                    <label class="visually-hidden" for=format!("pickup-{}", i.id)>{t(Msg::PickupOn)}</label>
                    <input id=format!("pickup-{}", i.id) type="date" name="pickup_on" title=t(Msg::PickupOn)/>
                    <button type="submit" class="primary small" data-testid="reserve-item"
                        disabled=move || reserve.pending().get()>{t(Msg::ReserveButton)}</button>
                </ActionForm>
            </Show>
        </li>
    }
}

/// The desk: find the member by pass, hand out items by label, take them
/// back with a condition note, and see what is overdue.
#[component]
pub fn EquipmentDeskPage() -> impl IntoView {
    view! { <LendingDesk/> }
}

/// The desk works by camera and chains a lookup after each check-out in the
/// browser, so the whole of it is one island.
#[island(lazy)]
fn LendingDesk() -> impl IntoView {
    crate::ui::uses_islands();
    let lookup = crate::access::flash::form_action::<DeskLendingMember>();
    let check_out = crate::access::flash::form_action::<CheckOutItem>();
    let give_back = crate::access::flash::form_action::<ReturnItem>();
    let item_input: NodeRef<html::Input> = NodeRef::new();
    // The member's code stays for the check-outs that follow.
    let member_code = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(i) = lookup.input().get() {
            member_code.set(i.code);
        }
    });
    // After a check-out, refresh the member's panel and clear the item field.
    Effect::new(move |_| {
        if check_out.version().get() > 0 {
            let code = member_code.get_untracked();
            if !code.is_empty() {
                lookup.dispatch(DeskLendingMember { code });
            }
            if let Some(el) = item_input.get_untracked() {
                el.set_value("");
                let _ = el.focus();
            }
        }
    });
    let add = crate::access::flash::form_action::<AddItem>();
    let set_cond = crate::access::flash::form_action::<SetItemCondition>();
    let versions = move || {
        (
            check_out.version().get(),
            give_back.version().get(),
            add.version().get(),
            set_cond.version().get(),
        )
    };
    let overdue = Resource::new(versions, |_| overdue_loans());
    let items = Resource::new(versions, |_| center_equipment(None));
    let member: Signal<Option<Result<DeskMemberDto, AppError>>> =
        Signal::derive(move || lookup.value().get());
    // The device's camera reads both kinds of code: a member's pass finds
    // the member, an item's label hands that item to the member found.
    let on_code = move |code: String| {
        let code = code.trim().to_string();
        if code.starts_with(crate::domain::pass::PREFIX) {
            lookup.dispatch(DeskLendingMember { code });
        } else if matches!(member.get_untracked(), Some(Ok(_))) {
            check_out.dispatch(CheckOutItem {
                code: member_code.get_untracked(),
                item_code: code,
            });
        }
    };
    view! {
        <h1>{t(Msg::EquipmentDeskTitle)}</h1>
        <CameraPanel on_code=on_code/>
        <MemberAtDesk lookup=lookup member=member check_out=check_out member_code=member_code item_input=item_input/>
        <ReturnForm give_back=give_back/>
        <OverdueList overdue=overdue/>
        <DeskItems items=items set_cond=set_cond add=add/>
    }
    // A named type this deep overflows the server's layout computation.
    .into_any()
}

/// Find the member by pass or number; their panel, and the last check-out.
#[component]
fn MemberAtDesk(
    lookup: ServerAction<DeskLendingMember>,
    member: Signal<Option<Result<DeskMemberDto, AppError>>>,
    check_out: ServerAction<CheckOutItem>,
    member_code: RwSignal<String>,
    item_input: NodeRef<html::Input>,
) -> impl IntoView {
    let code_input: NodeRef<html::Input> = NodeRef::new();
    view! {
        <section class="card">
            <ActionForm action=lookup attr:class="form scan-form" attr:data-testid="member-form">
                <label>
                    {t(Msg::MemberCodeLabel)}
                    <input node_ref=code_input type="text" name="code" required autofocus autocomplete="off"
                        autocapitalize="characters" spellcheck="false" data-testid="member-code"/>
                </label>
                <button type="submit" class="primary" disabled=move || lookup.pending().get()>{t(Msg::FindMember)}</button>
            </ActionForm>
            {move || member.get().map(|r| match r {
                Ok(m) => view! {
                    <DeskMemberPanel m=m check_out=check_out member_code=member_code item_input=item_input/>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
            {move || match check_out.value().get() {
                Some(Ok(ln)) => view! {
                    <div class="alert ok" role="status" data-testid="checked-out">
                        <p>{ln.item.clone()} ": " {t(Msg::CheckedOutOk)} " " {ln.due.clone().unwrap_or_default()}</p>
                    </div>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

/// The member found: what blocks them, their reservations (handed out with
/// one tap) and loans, and the form to check an item out by its label.
#[component]
fn DeskMemberPanel(
    m: DeskMemberDto,
    check_out: ServerAction<CheckOutItem>,
    member_code: RwSignal<String>,
    item_input: NodeRef<html::Input>,
) -> impl IntoView {
    let blocked = !m.overdue.is_empty();
    view! {
        <div data-testid="desk-member">
            <h2>{m.name.clone()} " · " <small>{t(Msg::MemberNumber)} " " {m.member_number.clone()}</small></h2>
            <Show when=move || blocked>
                <p class="alert error" role="alert" data-testid="member-blocked">{t(Msg::MemberBlocked)} " " {m.overdue.join(", ")}</p>
            </Show>
            {if m.loans.is_empty() {
                view! { <p class="muted">{t(Msg::NothingOpen)}</p> }.into_any()
            } else {
                view! {
                    <ul class="board-list" data-testid="member-loans">
                        {m.loans.into_iter().map(|ln| {
                            let reserved = ln.status == LoanStatus::Reserved;
                            let label = ln.label_code.clone();
                            view! {
                                <li>
                                    <LoanLine loan=ln/>
                                    <Show when=move || reserved>
                                        {
                                            let label = label.clone();
                                            view! {
                                                <button type="button" class="primary small inline-action needs-js" data-testid="hand-out"
                                                    on:click=move |_| {
                                                        check_out.dispatch(CheckOutItem { code: member_code.get_untracked(), item_code: label.clone() });
                                                    }>{t(Msg::HandOutButton)}</button>
                                            }
                                        }
                                    </Show>
                                </li>
                            }.into_any()
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=check_out attr:class="form" attr:data-testid="checkout-form">
                <input type="hidden" name="code" prop:value=move || member_code.get()/>
                <label>
                    {t(Msg::ItemCodeLabel)}
                    <input node_ref=item_input type="text" name="item_code" required autocomplete="off"
                        autocapitalize="characters" spellcheck="false" data-testid="checkout-item"/>
                </label>
                <p class="muted small">{t(Msg::ScanItemHint)}</p>
                <button type="submit" class="primary" data-testid="checkout" disabled=move || check_out.pending().get()>{t(Msg::CheckOutButton)}</button>
            </ActionForm>
        </div>
    }
}

/// Take an item back by its label, with its condition and a note.
#[component]
fn ReturnForm(give_back: ServerAction<ReturnItem>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card wide-form">
            <h2>{t(Msg::ReturnTitle)}</h2>
            {move || match give_back.value().get() {
                Some(Ok(ln)) => view! {
                    <div class="alert ok" role="status" data-testid="returned"><p>{ln.item.clone()} ": " {t(Msg::ReturnedOk)}</p></div>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                None => ().into_any(),
            }}
            <ActionForm action=give_back attr:class="form" attr:data-testid="return-form">
                <div class="field">
                    <label for="return-item">{t(Msg::ItemCodeLabel)}</label>
                    <input id="return-item" type="text" name="item_code" required autocomplete="off"
                        autocapitalize="characters" spellcheck="false" data-testid="return-item"/>
                </div>
                <div class="field">
                    <label for="return-condition">{t(Msg::ConditionLabel)}</label>
                    <select id="return-condition" name="condition" data-testid="return-condition">
                        {Condition::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.label(l)}</option> }.into_any()).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="return-note">{t(Msg::ReturnNote)}</label>
                    <input id="return-note" type="text" name="note" maxlength="500" data-testid="return-note"/>
                    <small class="muted">{t(Msg::ReturnNoteHint)}</small>
                </div>
                <button type="submit" class="primary" data-testid="return" disabled=move || give_back.pending().get()>{t(Msg::ReturnButton)}</button>
            </ActionForm>
        </section>
    }
}

/// Loans past their due time, with who holds them and how late they are.
#[component]
fn OverdueList(overdue: Resource<Result<Vec<OverdueDto>, AppError>>) -> impl IntoView {
    view! {
        <section>
            <h2>{t(Msg::OverdueTitle)}</h2>
            <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match overdue.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="no-overdue">{t(Msg::NoOverdue)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="board-list" data-testid="overdue-list">
                                {list.into_iter().map(|o| view! {
                                    <li>
                                        <strong>{o.item.clone()}</strong> " (" <code>{o.label_code.clone()}</code> ") · "
                                        {o.member.clone()} " · " {t(Msg::MemberNumber)} " " {o.member_number.clone()}
                                        " · " {t(Msg::DueAt)} ": " {o.due.clone()}
                                        " · " <span class="badge danger">{crate::i18n::days_late(crate::ui::use_locale(), o.days_late)}</span>
                                    </li>
                                }.into_any()).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The center's items for staff: condition (and setting it), holder, label;
/// directors and admins add items below.
#[component]
fn DeskItems(
    items: Resource<Result<CenterEquipmentDto, AppError>>,
    set_cond: ServerAction<SetItemCondition>,
    add: ServerAction<AddItem>,
) -> impl IntoView {
    view! {
        <section>
            <h2>{t(Msg::ItemsTitle)}</h2>
            {move || match set_cond.value().get() {
                Some(Ok(())) => view! { <div class="alert ok" role="status"><p>{t(Msg::ConditionSaved)}</p></div> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                None => ().into_any(),
            }}
            {move || match add.value().get() {
                Some(Ok(label)) => view! { <div class="alert ok" role="status" data-testid="item-added"><p>{t(Msg::ItemAdded)} " " <code>{label}</code></p></div> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                None => ().into_any(),
            }}
            <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(eq) => view! {
                            <p class="muted">{eq.center.name.clone()}</p>
                            <table class="report" data-testid="desk-items">
                                <thead><tr>
                                    <th>{t(Msg::ItemsTitle)}</th>
                                    <th>{t(Msg::SerialLabel)}</th>
                                    <th>{t(Msg::ConditionLabel)}</th>
                                    <th>{t(Msg::HolderLabel)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {eq.items.into_iter().map(|i| view! { <DeskItemRow item=i set_cond=set_cond/> }.into_any()).collect_view()}
                                </tbody>
                            </table>
                            <Show when=move || eq.can_add>
                                <AddItemForm add=add center_id=eq.center.id spaces=eq.induction_spaces.clone()/>
                            </Show>
                        }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One item in the staff's table, with the form to set its condition.
#[component]
fn DeskItemRow(item: ItemDto, set_cond: ServerAction<SetItemCondition>) -> impl IntoView {
    let l = use_locale();
    let i = item;
    view! {
        <tr data-label=i.label_code.clone() data-state=i.state.as_str()>
            <td><strong>{i.name.clone()}</strong> <br/><code>{i.label_code.clone()}</code> " · " {i.state.label(l)}</td>
            <td>{i.serial.clone()}</td>
            <td>
                {i.condition.label(l)} {i.notes.clone().map(|n| view! { <br/><small class="muted">{n}</small> })}
                <ActionForm action=set_cond attr:class="search-row">
                    <input type="hidden" name="item_id" value=i.id/>
                    <label class="visually-hidden" for=format!("cond-{}", i.id)>{t(Msg::ConditionLabel)}</label>
                    <select id=format!("cond-{}", i.id) name="condition">
                        {Condition::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=c == i.condition>{c.label(l)}</option>
                        }.into_any()).collect_view()}
                    </select>
                    <button type="submit" class="secondary small" data-testid="set-condition">{t(Msg::SetCondition)}</button>
                </ActionForm>
            </td>
            <td>{i.holder.clone().unwrap_or_default()}</td>
            <td><a href=format!("/desk/equipment/label/{}", i.id)>{t(Msg::LabelLink)}</a></td>
        </tr>
    }
}

/// A printable QR label for an item.
#[component]
pub fn ItemLabelPage() -> impl IntoView {
    // Its print or full-screen button is an island rendered once the data
    // is in: say so before the page is written.
    crate::ui::uses_islands();
    let l = use_locale();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i32>().ok()));
    let label = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => item_label(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <p class="crumbs no-print"><A href="/desk/equipment">{t(Msg::EquipmentDeskTitle)}</A></p>
        <Transition fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match label.await {
                    Ok(x) => view! {
                        <section class="card member-card" data-testid="item-label">
                            <p class="card-name">{x.item.clone()}</p>
                            <p>{x.kind.label(l)} " · " {t(Msg::SerialLabel)} " " {x.serial.clone()}</p>
                            <figure class="qr">
                                <div class="qr-img" inner_html=x.svg.clone()></div>
                                <figcaption class="big-code">{x.label_code.clone()}</figcaption>
                            </figure>
                            <p class="muted small">{x.center_name.clone()}</p>
                            <PrintButton label=t(Msg::PrintCard).to_string() class="primary no-print".to_string()/>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AddItemForm(
    add: ServerAction<AddItem>,
    center_id: i32,
    spaces: Vec<(i32, String)>,
) -> impl IntoView {
    let l = use_locale();
    let err = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let invalid = move |field: &'static str| crate::ui::aria_invalid(err, field);
    view! {
        <details class="card wide-form">
            <summary>{t(Msg::AddItemTitle)}</summary>
            <ActionForm action=add attr:class="form" attr:data-testid="add-item-form">
                <input type="hidden" name="center_id" value=center_id/>
                <div class="field">
                    <label for="new-kind">{t(Msg::KindLabel)}</label>
                    <select id="new-kind" name="kind">
                        {ItemKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label(l)}</option> }.into_any()).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="new-name">{t(Msg::ItemName)}</label>
                    <input id="new-name" type="text" name="name" required maxlength="120" aria-invalid=invalid("name")/>
                </div>
                <div class="field">
                    <label for="new-serial">{t(Msg::SerialLabel)}</label>
                    <input id="new-serial" type="text" name="serial" required maxlength="120" aria-invalid=invalid("serial")/>
                </div>
                <div class="field">
                    <label for="new-days">{t(Msg::LoanDaysLabel)}</label>
                    <input id="new-days" type="number" name="loan_days" value="2" min="0" max="30" required aria-invalid=invalid("loan_days")/>
                </div>
                <div class="field">
                    <label for="new-induction">{t(Msg::NeedsInduction)}</label>
                    <select id="new-induction" name="induction_space_id">
                        <option value="">{t(Msg::NoInduction)}</option>
                        {spaces.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }.into_any()).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary" disabled=move || add.pending().get()>{t(Msg::AddItemButton)}</button>
            </ActionForm>
        </details>
    }
}
