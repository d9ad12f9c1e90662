//! The header: a compact bar for members, menus grouped by work for staff.
//!
//! Every menu is a `<details>` dropdown, so it opens without JavaScript
//! (and with the keyboard: Tab to its label, Enter or Space). The header is
//! server-rendered HTML with no island: following a link loads the next
//! page, where every menu starts closed. Which links a role sees is decided
//! by `layout`, a plain function the tests read.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::{role_badge, t, use_locale, Auth};
use crate::access::dto::UserDto;
use crate::domain::people::Role;
use crate::i18n::{Locale, Msg};

/// One destination of the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub href: &'static str,
    pub label: Msg,
}

const fn link(href: &'static str, label: Msg) -> Link {
    Link { href, label }
}

const CENTERS: Link = link("/", Msg::NavCenters);
const CLUBS: Link = link("/clubs", Msg::NavClubs);
const EVENTS: Link = link("/events", Msg::NavEvents);
const PROGRAMS: Link = link("/programs", Msg::NavPrograms);
const LOGIN: Link = link("/login", Msg::NavLogin);
const REGISTER: Link = link("/register", Msg::NavRegister);
const MY_BOOKINGS: Link = link("/my", Msg::NavMyBookings);
const ACCOUNT: Link = link("/account", Msg::NavAccount);
const APPLICATIONS: Link = link("/my/applications", Msg::NavMyApplications);
const NOTICES: Link = link("/notices", Msg::NavNotices);
const MENTORS: Link = link("/mentors", Msg::NavMentors);
const EQUIPMENT: Link = link("/equipment", Msg::NavEquipment);
const MY_CONSULTATIONS: Link = link("/mentor/consultations", Msg::NavMyConsultations);

/// What the staff do: one dropdown each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Desk,
    Center,
    Reports,
    Admin,
}

impl Group {
    fn label(self) -> Msg {
        match self {
            Group::Desk => Msg::NavGroupDesk,
            Group::Center => Msg::NavGroupCenter,
            Group::Reports => Msg::NavGroupReports,
            Group::Admin => Msg::NavGroupAdmin,
        }
    }

    /// The group's name in `data-group` (tests and styles).
    fn id(self) -> &'static str {
        match self {
            Group::Desk => "desk",
            Group::Center => "center",
            Group::Reports => "reports",
            Group::Admin => "admin",
        }
    }
}

/// The header of one role (`None`: signed out).
#[derive(Debug, Default)]
pub struct Layout {
    /// Always visible, also on a phone.
    pub primary: Vec<Link>,
    /// Staff work, grouped.
    pub groups: Vec<(Group, Vec<Link>)>,
    /// Inside the menu.
    pub menu: Vec<Link>,
}

#[cfg(test)]
impl Layout {
    /// Every destination of this header, wherever it sits.
    pub fn hrefs(&self) -> Vec<&'static str> {
        let grouped = self.groups.iter().flat_map(|(_, links)| links.iter());
        ALWAYS_PRIMARY
            .iter()
            .chain(self.primary.iter())
            .chain(grouped)
            .chain(ALWAYS_MENU.iter())
            .chain(self.menu.iter())
            .map(|l| l.href)
            .collect()
    }
}

/// Shown to everyone.
const ALWAYS_PRIMARY: [Link; 1] = [CENTERS];
const ALWAYS_MENU: [Link; 3] = [CLUBS, EVENTS, PROGRAMS];
/// In the menu of everyone signed in.
const MEMBER_MENU: [Link; 4] = [MENTORS, EQUIPMENT, APPLICATIONS, NOTICES];

/// Which links a role sees besides `ALWAYS_PRIMARY` and `ALWAYS_MENU`, and where.
pub fn layout(role: Option<Role>) -> Layout {
    let Some(role) = role else {
        return Layout {
            primary: vec![LOGIN, REGISTER],
            ..Layout::default()
        };
    };
    let groups = staff_groups(role);
    let (primary, mut menu) = if !groups.is_empty() {
        // Staff work from the groups; their own bookings sit in the menu.
        (Vec::new(), vec![MY_BOOKINGS, ACCOUNT])
    } else if role == Role::Mentor {
        (vec![MY_CONSULTATIONS, MY_BOOKINGS], vec![ACCOUNT])
    } else {
        // The account page holds the membership card shown at the door.
        (vec![MY_BOOKINGS, ACCOUNT], Vec::new())
    };
    menu.extend(MEMBER_MENU);
    Layout {
        primary,
        groups,
        menu,
    }
}

fn staff_groups(role: Role) -> Vec<(Group, Vec<Link>)> {
    let mut desk = Vec::new();
    let mut center = Vec::new();
    let mut reports = Vec::new();
    let mut admin = Vec::new();
    if role.can_scan() {
        desk.extend([
            link("/desk/scan", Msg::NavScan),
            link("/desk/today", Msg::NavToday),
            link("/desk/members", Msg::NavMembers),
            link("/desk/requests", Msg::NavApprovals),
            link("/desk/programs/review", Msg::ProgReviewTitle),
            link("/desk/equipment", Msg::NavEquipmentDesk),
            link("/desk/closures", Msg::ClosuresTitle),
        ]);
    }
    if role.can_report() {
        center.push(link("/director/spaces", Msg::NavSpaces));
    }
    if role.can_scan() {
        center.extend([
            link("/desk/programs", Msg::NavManagePrograms),
            link("/director/consultations", Msg::NavConsultationReport),
        ]);
    }
    if role.can_report() {
        reports.extend([
            link("/director/occupancy", Msg::NavOccupancy),
            link("/director/reports", Msg::NavReports),
            link("/director/region", Msg::RegionTitle),
            link("/director/audit", Msg::NavAudit),
        ]);
        admin.extend([
            link("/admin/staff", Msg::NavStaff),
            link("/director/webhooks", Msg::NavWebhooks),
        ]);
    }
    if role.is_admin() {
        admin.extend([
            link("/admin/centers", Msg::NavAdminCenters),
            link("/admin/holidays", Msg::NavHolidays),
            link("/admin/directions", Msg::NavDirections),
            link("/admin/api-tokens", Msg::NavApiTokens),
        ]);
    }
    [
        (Group::Desk, desk),
        (Group::Center, center),
        (Group::Reports, reports),
        (Group::Admin, admin),
    ]
    .into_iter()
    .filter(|(_, links)| !links.is_empty())
    .collect()
}

/// The header, and below it the consent reminder of a minor without a
/// guardian's consent. Both depend on who is signed in, so they are
/// rendered together once the sign-in state is known (pages are sent whole,
/// `SsrMode::Async`, so the header is never sent without its links).
#[component]
pub fn Nav() -> impl IntoView {
    let auth = expect_context::<Auth>();
    // The header is plain server-rendered HTML (no island): the current
    // page is read once, and links are `<a>` marked with `aria-current`,
    // not the router's reactive `<A>`.
    let here: Here = use_location().pathname.get_untracked().into();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let here = here.clone();
                Suspend::new(async move {
                    let user = auth.user.await.ok().flatten();
                    view! { <Header user=user here=here/> }
                })
            }}
        </Transition>
    }
}

/// The path of the page being rendered.
type Here = std::sync::Arc<str>;

#[component]
fn Header(user: Option<UserDto>, here: Here) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let Layout {
        primary,
        groups,
        menu,
    } = layout(user.as_ref().map(|u| u.role));
    let needs_consent = user.as_ref().is_some_and(|u| u.needs_consent);
    let groups = groups.into_iter().map(|(g, links)| {
        view! { <Dropdown label=t(g.label()) class="group" id=g.id() links=links here=here.clone()/> }
    });
    let who = user.map(|u| {
        view! {
            <div class="who-row">
                <span class="who" data-testid="who">{u.first_name} " " <small>{role_badge(u.role)}</small></span>
                <ActionForm action=auth.logout attr:class="inline">
                    <button type="submit" class="link-button" data-testid="logout">{t(Msg::NavLogout)}</button>
                </ActionForm>
            </div>
        }
    });
    let menu_links = menu.iter().map(|l| nav_link(*l, &here)).collect_view();
    view! {
        <header class="topbar">
            <a href="/" class="brand">"Ortalyq"</a>
            <nav class="links" aria-label=t(Msg::NavMain)>
                {ALWAYS_PRIMARY.map(|l| nav_link(l, &here))}
                {primary.into_iter().map(|l| nav_link(l, &here)).collect_view()}
                {groups.collect_view()}
                <Dropdown label=t(Msg::NavMenu) class="menu" id="menu" links=ALWAYS_MENU.to_vec() also=menu here=here.clone()>
                    {menu_links}
                    {who}
                </Dropdown>
            </nav>
            <Langs here=here/>
        </header>
        {needs_consent.then(|| view! {
            <div class="banner" role="status" data-testid="consent-banner">{t(Msg::ConsentBanner)}</div>
        })}
    }
}

/// One link, marked as the current page on exactly its own path (`/my` is
/// not current on `/my/applications`).
fn nav_link(l: Link, here: &str) -> impl IntoView {
    let current = (l.href == here).then_some("page");
    view! { <a href=l.href aria-current=current>{t(l.label)}</a> }
}

/// A menu that opens without script (`<details>`); its label is marked
/// while the current page is one of its `links` or of `also` (the links
/// its children add). Following a link loads the next page, where every menu
/// starts closed.
#[component]
fn Dropdown(
    label: &'static str,
    class: &'static str,
    id: &'static str,
    links: Vec<Link>,
    #[prop(optional)] also: Vec<Link>,
    here: Here,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let marked = links.iter().chain(also.iter()).any(|l| l.href == &*here);
    view! {
        <details class=class data-group=id name="nav">
            <summary class:here=marked>{label}</summary>
            <div class="panel">
                {links.into_iter().map(|l| nav_link(l, &here)).collect_view()}
                {children.map(|c| c())}
            </div>
        </details>
    }
}

/// The language switch: a small form post per language (the switch also
/// saves a signed-in member's language, and a GET writes nothing).
#[component]
fn Langs(here: Here) -> impl IntoView {
    let current = use_locale();
    view! {
        <nav class="langs" aria-label=t(Msg::Language)>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    let action = format!("/lang/{}?back={here}", l.code());
                    view! {
                        <form method="post" action=action class="inline">
                            <button type="submit" class="link-button" class:active=l == current lang=l.code()>
                                {l.code().to_uppercase()}
                            </button>
                        </form>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const ROLES: [Role; 5] = [
        Role::Visitor,
        Role::Mentor,
        Role::FrontDesk,
        Role::Director,
        Role::Admin,
    ];

    /// The links each role had in the single-row header before the menus
    /// (commit 8f2e10f), so regrouping hides none.
    fn before(role: Option<Role>) -> BTreeSet<&'static str> {
        let mut s: BTreeSet<_> = ["/", "/clubs", "/events", "/programs"].into();
        let Some(role) = role else {
            s.extend(["/login", "/register"]);
            return s;
        };
        s.extend([
            "/my",
            "/my/applications",
            "/account",
            "/notices",
            "/mentors",
            "/equipment",
        ]);
        if role == Role::Mentor {
            s.insert("/mentor/consultations");
        }
        if role.can_scan() {
            s.extend([
                "/desk/scan",
                "/desk/today",
                "/desk/members",
                "/desk/closures",
                "/desk/requests",
                "/desk/programs/review",
                "/desk/programs",
                "/desk/equipment",
                "/director/consultations",
            ]);
        }
        if role.can_report() {
            s.extend([
                "/director/occupancy",
                "/director/reports",
                "/director/spaces",
                "/director/audit",
                "/director/webhooks",
                "/admin/staff",
            ]);
        }
        if role.is_admin() {
            s.extend([
                "/admin/api-tokens",
                "/admin/directions",
                "/admin/centers",
                "/admin/holidays",
            ]);
        }
        s
    }

    #[test]
    fn every_role_keeps_its_links_once_each() {
        for role in ROLES.map(Some).into_iter().chain([None]) {
            let hrefs = layout(role).hrefs();
            let set: BTreeSet<_> = hrefs.iter().copied().collect();
            assert_eq!(set.len(), hrefs.len(), "{role:?}: a link shown twice");
            let mut expected = before(role);
            // New: the centers compared, reached before only from the reports.
            if role.is_some_and(|r| r.can_report()) {
                expected.insert("/director/region");
            }
            assert_eq!(set, expected, "{role:?}");
        }
    }

    #[test]
    fn members_see_few_links_and_staff_only_their_groups() {
        for role in [None, Some(Role::Visitor), Some(Role::Mentor)] {
            let l = layout(role);
            assert!(ALWAYS_PRIMARY.len() + l.primary.len() <= 3, "{role:?}");
            assert!(l.groups.is_empty(), "{role:?}");
        }
        let groups = |r| {
            layout(Some(r))
                .groups
                .iter()
                .map(|(g, _)| *g)
                .collect::<Vec<_>>()
        };
        use Group::*;
        assert_eq!(groups(Role::FrontDesk), [Desk, Center]);
        assert_eq!(groups(Role::Director), [Desk, Center, Reports, Admin]);
        assert_eq!(groups(Role::Admin), [Desk, Center, Reports, Admin]);
        assert!(layout(Some(Role::Visitor)).primary.contains(&ACCOUNT));
        assert!(layout(Some(Role::FrontDesk)).menu.contains(&MY_BOOKINGS));
    }
}
