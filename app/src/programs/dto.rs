//! Wasm-safe shapes of the programs workflow.

use serde::{Deserialize, Serialize};

use crate::domain::eligibility::Ineligible;

pub use crate::domain::codes::AppStatus;

/// A program in the public list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramCardDto {
    pub id: i32,
    pub name: String,
    pub center_name: String,
    /// The direction's name.
    pub direction: String,
    /// `07.12.2026 – 11.01.2027` (first and last session), empty without sessions.
    pub dates: String,
    pub sessions: u32,
    pub capacity: i32,
    pub places_left: i32,
    /// Localized "applications until …", if there is a deadline.
    pub closes: Option<String>,
    /// Still takes applications.
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDto {
    pub id: i32,
    /// `Mon 07.12, 18:00–20:00`.
    pub when: String,
    pub title: String,
    pub place: Option<String>,
    /// Has started.
    pub held: bool,
}

/// The signed-in member's profile facts the rules look at (stored codes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileFacts {
    pub education: String,
    pub occupation: String,
    pub settlement: String,
}

/// A program's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramDetailDto {
    pub card: ProgramCardDto,
    pub description: String,
    /// Each eligibility rule in words; empty: open to every member.
    pub rules: Vec<String>,
    /// "Completed with at least N% attendance".
    pub completion: String,
    pub sessions: Vec<SessionDto>,
    /// For a signed-in member: the rules they fail today, their profile and
    /// their live application if any.
    pub me: Option<MyStandingDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyStandingDto {
    pub reasons: Vec<Ineligible>,
    pub profile: ProfileFacts,
    pub application: Option<MyApplicationDto>,
}

/// One of the member's applications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplicationDto {
    pub id: i32,
    pub program_id: i32,
    pub program_name: String,
    pub center_name: String,
    pub status: AppStatus,
    /// Why staff rejected it.
    pub decision_reason: Option<String>,
    /// Center-local `01.12.2026 10:50`.
    pub submitted: String,
    /// "Attended 4 of 5 sessions (80%)" for an accepted participant.
    pub attendance: Option<String>,
    pub certificate_code: Option<String>,
}

/// What the application form posts (`form[field]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    pub education: String,
    pub occupation: String,
    pub settlement: String,
    pub motivation: String,
}

/// Longest motivation letter, characters.
pub const MAX_MOTIVATION: usize = 2000;

/// An application waiting for staff review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRowDto {
    pub id: i32,
    pub program_id: i32,
    pub program_name: String,
    pub center_name: String,
    pub applicant: String,
    pub age: i32,
    /// Localized education, occupation and residence.
    pub education: String,
    pub occupation: String,
    pub settlement: String,
    pub motivation: String,
    pub submitted: String,
    /// "3 of 20 places left".
    pub places: String,
    pub full: bool,
}

/// A program on the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedProgramDto {
    pub id: i32,
    pub name: String,
    pub center_name: String,
    pub dates: String,
    pub accepted: u32,
    pub capacity: i32,
    pub submitted: u32,
    pub sessions: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i32,
    pub name: String,
}

/// The staff programs page: programs, and where the caller may create one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedProgramsDto {
    pub programs: Vec<ManagedProgramDto>,
    /// Centers the caller may create programs in (directors, admins).
    pub centers: Vec<Choice>,
    /// The region's directions (not retired), for the new program form.
    pub directions: Vec<crate::centers::dto::DirectionOption>,
}

/// A new program as the director's form posts it (`form[field]`). Numbers
/// arrive as text so optional ones may be left empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgramForm {
    pub center_id: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_kk: String,
    pub description_ru: String,
    pub description_en: String,
    pub direction: String,
    pub min_age: String,
    pub max_age: String,
    pub min_education: String,
    pub rural_only: bool,
    pub occ_pupil: bool,
    pub occ_student: bool,
    pub occ_employed: bool,
    pub occ_neet: bool,
    pub capacity: String,
    pub completion_percent: String,
    /// `YYYY-MM-DD`, optional.
    pub applications_close_on: String,
}

/// A weekly series of sessions (`series[field]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionsForm {
    /// `YYYY-MM-DD` of the first session.
    pub first_date: String,
    /// `HH:MM`, center-local.
    pub start_time: String,
    pub minutes: String,
    /// How many weekly sessions (1 = just this one).
    pub weeks: String,
    pub title: String,
    /// A space of the program's center, or empty.
    pub space_id: String,
}

/// Longest weekly series one form makes.
pub const MAX_SERIES: u32 = 26;

/// A session on the staff program page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSessionDto {
    pub id: i32,
    pub when: String,
    pub title: String,
    pub held: bool,
    pub present: u32,
}

/// A participant's progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantDto {
    pub application_id: i32,
    pub name: String,
    pub attended: u32,
    pub held: u32,
    pub percent: u32,
    pub reached: bool,
    pub certificate_code: Option<String>,
}

/// The staff page of one program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramStaffDto {
    pub card: ProgramCardDto,
    pub completion_percent: i32,
    /// The caller may add sessions (directors and admins).
    pub can_edit: bool,
    /// Every session has started: certificates may be issued.
    pub over: bool,
    pub sessions: Vec<StaffSessionDto>,
    pub participants: Vec<ParticipantDto>,
    /// Spaces of the center (for the sessions form).
    pub spaces: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRowDto {
    pub person_id: i32,
    pub name: String,
    pub present: bool,
}

/// One session's attendance list (accepted participants).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterDto {
    pub session_id: i32,
    pub program_id: i32,
    pub program_name: String,
    pub when: String,
    pub title: String,
    pub held: bool,
    pub rows: Vec<RosterRowDto>,
}

/// A certificate as its public verification page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateDto {
    pub code: String,
    pub holder: String,
    pub program_name: String,
    pub center_name: String,
    pub dates: String,
    pub issued: String,
    pub attended: String,
    /// The QR (SVG) pointing to this page.
    pub qr_svg: String,
    pub verify_url: String,
}
