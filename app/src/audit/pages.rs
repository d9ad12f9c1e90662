//! `/director/audit`: the audit log with date, kind and center filters and
//! paging (plain GET forms and links: works without JavaScript and keeps
//! the URL shareable).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::audit_log;
use super::dto::{AuditKind, AuditPageDto, AuditQuery};
use crate::i18n::Msg;
use crate::ui::{t, use_locale, ErrorBox};

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The link to another page of the same filtered log.
fn page_href(r: &AuditPageDto, page: u32) -> String {
    let mut parts = vec![
        format!("from={}", encode(&r.from)),
        format!("to={}", encode(&r.to)),
    ];
    if let Some(c) = r.center {
        parts.push(format!("center={c}"));
    }
    if let Some(k) = &r.kind {
        parts.push(format!("kind={}", encode(k)));
    }
    parts.push(format!("page={page}"));
    format!("/director/audit?{}", parts.join("&"))
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| {
        let q = query.read();
        let s = |k: &str| q.get(k).filter(|v| !v.is_empty());
        AuditQuery {
            center: s("center").and_then(|c| c.parse().ok()),
            from: s("from"),
            to: s("to"),
            kind: s("kind"),
            page: s("page").and_then(|p| p.parse().ok()),
        }
    });
    let log = Resource::new(move || q.get(), audit_log);
    let l = use_locale();
    view! {
        <h1 id="page-title">{t(Msg::AuditTitle)}</h1>
        <p class="muted">{t(Msg::AuditIntro)}</p>
        <Suspense fallback=|| view! { <p class="muted">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(r) => {
                        let kind = r.kind.clone().unwrap_or_default();
                        let current = r.center;
                        let prev = (r.page > 1).then(|| page_href(&r, r.page - 1));
                        let next = (r.page < r.pages).then(|| page_href(&r, r.page + 1));
                        let empty = r.rows.is_empty();
                        view! {
                            <form method="get" class="report-form" data-testid="audit-form">
                                <Show when={
                                    let many = r.centers.len() > 1;
                                    move || many
                                }>
                                    <label class="field-inline">{t(Msg::CenterCol)}
                                        <select name="center">
                                            <option value="">{t(Msg::AuditAllCenters)}</option>
                                            {r.centers.iter().map(|(id, name)| view! {
                                                <option value=*id selected=Some(*id) == current>{name.clone()}</option>
                                            }).collect_view()}
                                        </select>
                                    </label>
                                </Show>
                                <label class="field-inline">{t(Msg::RangeFrom)}
                                    <input type="date" name="from" value=r.from.clone()/>
                                </label>
                                <label class="field-inline">{t(Msg::RangeTo)}
                                    <input type="date" name="to" value=r.to.clone()/>
                                </label>
                                <label class="field-inline">{t(Msg::AuditKindCol)}
                                    <select name="kind">
                                        <option value="">{t(Msg::AuditAllKinds)}</option>
                                        {AuditKind::ALL.iter().map(|k| view! {
                                            <option value=k.as_str() selected=kind == k.as_str()>{k.label(l)}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" data-testid="audit-show">{t(Msg::Show)}</button>
                            </form>
                            <p class="small muted" data-testid="audit-total">
                                {crate::i18n::audit_summary(l, r.total, r.page, r.pages)}
                            </p>
                            <Show when=move || empty>
                                <p class="muted">{t(Msg::AuditEmpty)}</p>
                            </Show>
                            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="page-title">
                                <table class="report" data-testid="audit">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(Msg::AuditWhenCol)}</th>
                                            <th scope="col">{t(Msg::AuditKindCol)}</th>
                                            <th scope="col">{t(Msg::AuditWhoCol)}</th>
                                            <th scope="col">{t(Msg::CenterCol)}</th>
                                            <th scope="col">{t(Msg::AuditSubjectCol)}</th>
                                            <th scope="col">{t(Msg::AuditDetailCol)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {r.rows.iter().map(|row| view! {
                                            <tr data-kind=row.kind.clone()>
                                                <td>{row.at.clone()}</td>
                                                <td>{row.kind_label.clone()}</td>
                                                <td>{row.actor.clone()}</td>
                                                <td>{row.center.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td>{row.subject.clone()}</td>
                                                <td>{row.detail.clone()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <nav class="pager" aria-label=t(Msg::AuditPages)>
                                {prev.map(|h| view! { <a href=h rel="prev" data-testid="audit-prev">{t(Msg::AuditPrev)}</a> })}
                                " "
                                {next.map(|h| view! { <a href=h rel="next" data-testid="audit-next">{t(Msg::AuditNext)}</a> })}
                            </nav>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
