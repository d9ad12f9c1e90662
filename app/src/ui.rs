//! Shell, layout, navigation and small shared components.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use leptos_router::SsrMode;

use crate::access::dto::UserDto;
use crate::domain::people::Role;
use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use crate::membership::api::{whoami, Login, Logout};
use nav::Nav;

#[cfg(feature = "ssr")]
mod assets;

/// Every island calls this first: on the server it makes the page load the
/// browser bundle (pages without islands load none).
pub fn uses_islands() {
    #[cfg(feature = "ssr")]
    assets::uses_islands();
}
mod nav;

/// The interface language of this page load. Switching language reloads the
/// page (a form post to `/lang/:code`), so it is constant while the page lives.
#[derive(Clone, Copy, Debug)]
pub struct LocaleCtx(pub Locale);

/// Pages get it from the context `App` provides; islands, woken in the
/// browser without that context, read the page's `<html lang>`.
pub fn use_locale() -> Locale {
    use_context::<LocaleCtx>()
        .map(|c| c.0)
        .unwrap_or_else(detect_locale)
}

/// Translate in the current page language.
pub fn t(m: Msg) -> &'static str {
    m.text(use_locale())
}

/// A form field's `aria-invalid`: "true" while `error` names the field.
/// (The attribute takes the strings "true"/"false", not a boolean.)
pub fn aria_invalid(
    error: Signal<Option<crate::error::AppError>>,
    field: impl Into<String>,
) -> impl Fn() -> &'static str + Send + Sync + 'static {
    let field = field.into();
    move || {
        let bad = matches!(error.get(), Some(crate::error::AppError::Invalid { field: f, .. }) if f == field);
        if bad {
            "true"
        } else {
            "false"
        }
    }
}

fn detect_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        crate::access::request_locale()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Locale::parse(&l))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

/// Sign-in state shared by the navigation and the login page.
#[derive(Clone, Copy)]
pub struct Auth {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub user: Resource<Result<Option<UserDto>, AppError>>,
}

/// The page around the app. The pages' handler passes the state's shared
/// options (cloning `LeptosOptions` per page was measurable); leptos_axum's
/// fallback passes its own copy.
#[cfg(feature = "ssr")]
pub fn shell(options: &LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_script_policy();
    provide_context(assets::PageIslands::default());
    // The answer (or the refused fields) of a form posted just before.
    crate::access::flash::provide_flash();
    let lang = detect_locale().code();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {assets::page_head(options)}
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
                {assets::page_scripts(options)}
                {watched().then(|| view! { <AutoReload options=options.clone()/> })}
            </body>
        </html>
    }
}

/// Served under `cargo leptos watch` (what AutoReload checks), read once:
/// the environment does not change while the server runs.
#[cfg(feature = "ssr")]
fn watched() -> bool {
    static WATCHED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WATCHED.get_or_init(|| std::env::var_os("LEPTOS_WATCH").is_some())
}

/// What every response may do besides running scripts: no framing by other
/// sites, forms post only here, no plugins, no `<base>` rewriting. Pages add
/// their `script-src` (see `send_script_policy`); the server sends this with
/// `script-src 'self'` on every other answer.
pub const BASE_POLICY: &str =
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

/// The page's Content-Security-Policy: scripts only from this site and the
/// inline hydration scripts carrying this response's nonce (leptos_axum
/// makes a fresh one per request and puts it on every script it writes);
/// `'wasm-unsafe-eval'` lets the browser compile the app's WebAssembly.
/// Injected markup cannot run script: it cannot know the nonce.
#[cfg(feature = "ssr")]
fn send_script_policy() {
    use axum::http::{header, HeaderValue};
    let (Some(nonce), Some(opts)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!("{BASE_POLICY}; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'");
    if let Ok(v) = HeaderValue::from_str(&policy) {
        opts.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
}

/// A button that prints the page (cards, certificates, reports); the
/// browser's print dialog needs script, so it shows once the page is live.
#[island]
pub fn PrintButton(label: String, #[prop(optional)] class: Option<String>) -> impl IntoView {
    uses_islands();
    let class = class.unwrap_or_default();
    view! {
        <button type="button" class=format!("{class} needs-js") on:click=|_| { let _ = window().print(); }>{label}</button>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(LocaleCtx(detect_locale()));
    let login = crate::access::flash::form_action::<Login>();
    let logout = crate::access::flash::form_action::<Logout>();
    let user = Resource::new(
        move || (login.version().get(), logout.version().get()),
        |_| whoami(),
    );
    provide_context(Auth {
        login,
        logout,
        user,
    });
    view! {
        <Title text=t(Msg::AppName)/>
        <Meta name="description" content=t(Msg::Tagline)/>
        <Router>
            <Nav/>
            <main class="page">
                // Every page is sent whole (`SsrMode::Async`: its data first,
                // then the HTML): out-of-order streaming would leave a browser
                // without JavaScript with the fallbacks, and these pages gain
                // nothing from streaming their few queries.
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=crate::booking::pages::CentersPage ssr=SsrMode::Async/>
                    <Route path=path!("/centers/:id") view=crate::booking::pages::CenterPage ssr=SsrMode::Async/>
                    <Route path=path!("/spaces/:id") view=crate::booking::pages::SpacePage ssr=SsrMode::Async/>
                    <Route path=path!("/my") view=crate::booking::pages::MyBookingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=crate::membership::pages::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=crate::membership::pages::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=crate::membership::pages::VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset") view=crate::membership::account_pages::ResetPage ssr=SsrMode::Async/>
                    <Route path=path!("/consent") view=crate::membership::account_pages::ConsentPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=crate::membership::account_pages::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/staff") view=crate::membership::staff_pages::StaffPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/api-tokens") view=crate::integrations::pages::ApiTokensPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/directions") view=crate::centers::directions_pages::DirectionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/centers") view=crate::centers::admin_pages::CentersAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/centers/new") view=crate::centers::admin_pages::NewCenterPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/centers/:id") view=crate::centers::admin_pages::CenterAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/holidays") view=crate::centers::admin_pages::HolidaysPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/members") view=crate::membership::desk_pages::DeskMembersPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/closures") view=crate::centers::pages::ClosuresPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/requests") view=crate::booking::manage_pages::ApprovalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/spaces") view=crate::centers::pages::SpacesPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/spaces/new") view=crate::centers::spaces_pages::NewSpacePage ssr=SsrMode::Async/>
                    <Route path=path!("/director/spaces/:id") view=crate::centers::spaces_pages::SpaceEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/centers/:id") view=crate::centers::pages::CenterSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/scan") view=crate::passes::pages::ScanPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/today") view=crate::passes::pages::TodayPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/occupancy") view=crate::reporting::pages::OccupancyPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/reports") view=crate::reporting::pages::ReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/region") view=crate::reporting::pages::RegionPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/audit") view=crate::audit::pages::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/webhooks") view=crate::webhooks::pages::WebhooksPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs") view=crate::clubs::pages::ClubsPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id") view=crate::clubs::pages::ClubPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id/roster") view=crate::clubs::manage_pages::RosterPage ssr=SsrMode::Async/>
                    <Route path=path!("/events") view=crate::clubs::pages::EventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id") view=crate::clubs::pages::EventPage ssr=SsrMode::Async/>
                    <Route path=path!("/notices") view=crate::clubs::pages::NoticesPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/clubs/new") view=crate::clubs::manage_pages::NewClubPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/events/new") view=crate::clubs::manage_pages::NewEventPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/clubs/:id/edit") view=crate::clubs::edit_pages::ClubEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/director/events/:id/edit") view=crate::clubs::edit_pages::EventEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/programs") view=crate::programs::pages::ProgramsPage ssr=SsrMode::Async/>
                    <Route path=path!("/programs/:id") view=crate::programs::pages::ProgramPage ssr=SsrMode::Async/>
                    <Route path=path!("/my/applications") view=crate::programs::pages::MyApplicationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/programs") view=crate::programs::pages::ManageProgramsPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/programs/review") view=crate::programs::pages::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/programs/:id") view=crate::programs::pages::ProgramStaffPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/program-sessions/:id") view=crate::programs::pages::RosterPage ssr=SsrMode::Async/>
                    <Route path=path!("/certificates/:code") view=crate::programs::pages::CertificatePage ssr=SsrMode::Async/>
                    <Route path=path!("/mentors") view=crate::mentors::pages::MentorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/mentor/consultations") view=crate::mentors::pages::MentorSchedulePage ssr=SsrMode::Async/>
                    <Route path=path!("/director/consultations") view=crate::mentors::pages::ConsultationReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/equipment") view=crate::equipment::pages::EquipmentPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/equipment") view=crate::equipment::pages::EquipmentDeskPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/equipment/label/:id") view=crate::equipment::pages::ItemLabelPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

fn role_badge(role: Role) -> &'static str {
    t(match role {
        Role::Visitor => Msg::RoleVisitor,
        Role::Mentor => Msg::RoleMentor,
        Role::FrontDesk => Msg::RoleFrontDesk,
        Role::Director => Msg::RoleDirector,
        Role::Admin => Msg::RoleAdmin,
    })
}

/// A localized error with its machine code for tests and support.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let needs_login = error == AppError::NotAuthenticated;
    view! {
        <div class="alert error" role="alert" data-code=error.code()>
            <p>{error.message(use_locale())}</p>
            <Show when=move || needs_login>
                <p><a href="/login">{t(Msg::NavLogin)}</a></p>
            </Show>
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <section class="card">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <p><A href="/">{t(Msg::BackHome)}</A></p>
        </section>
    }
}
