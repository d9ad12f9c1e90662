//! API tokens (server only): creation, revocation and the authentication
//! of API requests with the shared per-minute rate window; plus the few
//! reads the REST API needs that no page has (find a member, a member's
//! passes at the token's center).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::dto::{ApiScope, ApiTokenForm, ApiTokenRowDto, ApiTokensDto};
use crate::access::session::{hash_password, token_hash, CurrentUser};
use crate::audit::dto::AuditKind;
use crate::domain::apitoken::{self, DEFAULT_RATE_PER_MINUTE, MAX_RATE_PER_MINUTE};
use crate::domain::login::LoginId;
use crate::domain::people::Role;
use crate::error::{AppError, Problem};
use crate::i18n::{pick, Locale};
use crate::model::{account, account_center, api_token, booking, center, pass, person, space};

const MAX_NAME_CHARS: usize = 80;

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid {
        field: field.into(),
        problem,
    }
}

fn stamp(t: DateTime<Utc>, c: Option<&center::Model>) -> String {
    let tz = c
        .map(crate::centers::service::center_tz)
        .unwrap_or(chrono_tz::Asia::Almaty);
    t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

/// Every token, newest first, and the centers a token can be made for.
pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    l: Locale,
) -> Result<ApiTokensDto, AppError> {
    user.require(Role::is_admin)?;
    let centers = center::Entity::find()
        .order_by_asc(center::Column::Id)
        .all(db)
        .await?;
    let name = |c: &center::Model| pick(l, &c.name_kk, &c.name_ru, &c.name_en).to_string();
    let tokens = api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            let c = centers.iter().find(|c| c.id == t.center_id);
            ApiTokenRowDto {
                id: t.id,
                name: t.name,
                center: c.map(name).unwrap_or_default(),
                scopes: apitoken::split_scopes(&t.scopes),
                shown: t.token_prefix,
                rate_per_minute: t.rate_per_minute.max(0) as u32,
                created_at: stamp(t.created_at, c),
                last_used: t.last_used_at.map(|at| stamp(at, c)),
                revoked_at: t.revoked_at.map(|at| stamp(at, c)),
            }
        })
        .collect();
    Ok(ApiTokensDto {
        tokens,
        centers: centers.iter().map(|c| (c.id, name(c))).collect(),
    })
}

/// Create a token for one center; returns the token (shown once). The token
/// gets an account of its own to act through: role front desk, linked to
/// the center only, with no login and no usable password.
pub async fn create(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    f: &ApiTokenForm,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    admin.require(Role::is_admin)?;
    let name = f.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() < 2 {
        return Err(invalid("name", Problem::Required));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid("name", Problem::TooLong));
    }
    let center_id: i32 = f
        .center_id
        .trim()
        .parse()
        .map_err(|_| invalid("center_id", Problem::Required))?;
    let mut scopes = Vec::new();
    for s in &f.scopes {
        scopes.push(ApiScope::parse(s).ok_or_else(|| invalid("scopes", Problem::Required))?);
    }
    if scopes.is_empty() {
        return Err(invalid("scopes", Problem::Required));
    }
    let rate = match f.rate_per_minute.trim() {
        "" => DEFAULT_RATE_PER_MINUTE,
        r => r
            .parse::<u32>()
            .ok()
            .filter(|r| (1..=MAX_RATE_PER_MINUTE).contains(r))
            .ok_or_else(|| invalid("rate_per_minute", Problem::Range))?,
    };
    let token = {
        use rand::RngCore;
        let mut bytes = [0u8; apitoken::RANDOM_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        apitoken::format_token(&bytes)
    };
    // A password nobody knows: the account has no login either way.
    let unusable = {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hash_password(&data_encoding::BASE32_NOPAD.encode(&bytes))
    };
    let txn = crate::model::begin_write(db).await?;
    let c = center::Entity::find_by_id(center_id)
        .one(&txn)
        .await?
        .ok_or_else(|| invalid("center_id", Problem::Required))?;
    let p = person::ActiveModel {
        full_name: Set(format!("API: {name}")),
        birth_date: Set(now.date_naive()),
        phone: Set(None),
        email: Set(None),
        preferred_lang: Set(admin.lang),
        created_at: Set(now),
        iin: Set(None),
        settlement: Set(crate::domain::people::Settlement::City),
        occupation: Set(crate::domain::people::Occupation::Employed),
        education: Set(crate::domain::people::Education::Bachelor),
        guardian_name: Set(None),
        guardian_phone: Set(None),
        eligibility_override: Set(Some("API token".into())),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let a = account::ActiveModel {
        person_id: Set(p.id),
        password_hash: Set(unusable),
        role: Set(Role::FrontDesk),
        home_center_id: Set(Some(c.id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    account_center::ActiveModel {
        account_id: Set(a.id),
        center_id: Set(c.id),
    }
    .insert(&txn)
    .await?;
    let stored_scopes = apitoken::join_scopes(&scopes);
    let t = api_token::ActiveModel {
        center_id: Set(c.id),
        account_id: Set(a.id),
        name: Set(name.clone()),
        token_hash: Set(token_hash(&token)),
        token_prefix: Set(apitoken::shown_part(&token)),
        scopes: Set(stored_scopes.clone()),
        rate_per_minute: Set(rate as i32),
        created_by: Set(Some(admin.account_id)),
        created_at: Set(now),
        revoked_at: Set(None),
        last_used_at: Set(None),
        window_start: Set(None),
        window_count: Set(0),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::audit::service::record(
        &txn,
        admin,
        Some(c.id),
        AuditKind::ApiTokenCreated,
        format!("api token {}", t.id),
        format!("{name}: {stored_scopes}, {rate}/min"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// Revoke a token. Revoking twice is harmless.
pub async fn revoke(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    admin.require(Role::is_admin)?;
    let txn = crate::model::begin_write(db).await?;
    let t = api_token::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if t.revoked_at.is_some() {
        return Ok(());
    }
    let (center_id, name) = (t.center_id, t.name.clone());
    let mut am = t.into_active_model();
    am.revoked_at = Set(Some(now));
    am.update(&txn).await?;
    crate::audit::service::record(
        &txn,
        admin,
        Some(center_id),
        AuditKind::ApiTokenRevoked,
        format!("api token {id}"),
        name,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Who is calling the API: the token's center and scopes, and the account
/// it acts through.
#[derive(Clone, Debug)]
pub struct ApiPrincipal {
    pub token_id: i32,
    pub center_id: i32,
    pub scopes: Vec<ApiScope>,
    pub rate_per_minute: u32,
    pub name: String,
    pub user: CurrentUser,
}

impl ApiPrincipal {
    pub fn require(&self, scope: ApiScope) -> Result<(), AppError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Check a token and count the request in the token's rate window. The
/// count lives in the database, so every instance behind a proxy shares it.
///
/// Two statements per request. First one `UPDATE … RETURNING` finds the
/// token (by hash, not revoked), counts the request — one more in the same
/// window, or a new window starting at one — and returns the row as
/// counted. The `CASE` reads the row as it was before this statement and
/// the row is locked while it is written (PostgreSQL re-reads it after a
/// concurrent update; SQLite has one writer), so two instances never lose
/// or forgive a request. Then the acting account with its person, in one
/// query. Nothing is cached: a revoked token is refused on its next request.
pub async fn authenticate(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<ApiPrincipal, AppError> {
    use sea_orm::sea_query::ExprTrait;
    use sea_orm::QueryTrait;
    // Each column update reads the row as it was: CASE WHEN window_start =
    // this window THEN window_count + 1 ELSE 1 END.
    let window = apitoken::rate_window(now);
    let mut counted = api_token::Entity::update_many()
        .col_expr(
            api_token::Column::WindowCount,
            Expr::case(
                ExprTrait::eq(Expr::col(api_token::Column::WindowStart), window),
                ExprTrait::add(Expr::col(api_token::Column::WindowCount), 1),
            )
            .finally(1)
            .into(),
        )
        .col_expr(api_token::Column::WindowStart, Expr::value(window))
        .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
        .filter(api_token::Column::TokenHash.eq(token_hash(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .into_query();
    // SQLite has RETURNING since 3.35 (the bundled one is newer); sea-orm's
    // own `exec_with_returning` is switched off for SQLite by its features,
    // so the statement is run as a query.
    counted.returning_all();
    let t = api_token::Entity::find()
        .from_raw_sql(db.get_database_backend().build(&counted))
        .one(db)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    let limit = Ord::max(t.rate_per_minute, 0) as u32;
    if apitoken::over_limit(i64::from(t.window_count), limit) {
        metrics::counter!("ortalyq_api_rate_limited_total").increment(1);
        return Err(AppError::RateLimited {
            retry_after_minutes: 1,
        });
    }
    let user = crate::access::session::load_user_by_account(db, t.account_id)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    Ok(ApiPrincipal {
        token_id: t.id,
        center_id: t.center_id,
        scopes: apitoken::split_scopes(&t.scopes),
        rate_per_minute: limit,
        name: t.name,
        user,
    })
}

/// A member found by email or phone, for booking on their behalf.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberRef {
    pub id: i32,
    pub number: String,
    pub short_name: String,
    pub lang: Locale,
}

/// Find a member (a visitor account) of the token's center by login. Staff
/// accounts, members of other centers and unknown logins are all
/// `not_found`.
pub async fn member_by_login(
    db: &DatabaseConnection,
    api: &ApiPrincipal,
    login: &str,
) -> Result<MemberRef, AppError> {
    api.require(ApiScope::Book)?;
    if LoginId::parse(login).is_none() {
        return Err(invalid("login", Problem::PhoneOrEmail));
    }
    let p = crate::access::session::person_by_login(db, login)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_member = account::Entity::find()
        .filter(account::Column::PersonId.eq(p.id))
        .filter(account::Column::Role.eq(Role::Visitor))
        .filter(account::Column::HomeCenterId.eq(api.center_id))
        .one(db)
        .await?
        .is_some();
    if !is_member {
        return Err(AppError::NotFound);
    }
    Ok(MemberRef {
        id: p.id,
        number: crate::domain::membership::member_number(p.id),
        short_name: crate::domain::membership::short_name(&p.full_name),
        lang: p.preferred_lang,
    })
}

/// A member's passes at the token's center that are still usable (not
/// revoked, not expired), soonest first.
pub async fn member_passes(
    db: &DatabaseConnection,
    api: &ApiPrincipal,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<pass::Model>, AppError> {
    api.require(ApiScope::Book)?;
    let member = account::Entity::find()
        .filter(account::Column::PersonId.eq(person_id))
        .filter(account::Column::Role.eq(Role::Visitor))
        .one(db)
        .await?;
    if member.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(pass::Entity::find()
        .filter(pass::Column::PersonId.eq(person_id))
        .filter(pass::Column::CenterId.eq(api.center_id))
        .filter(pass::Column::RevokedAt.is_null())
        .filter(pass::Column::ValidUntil.gt(now))
        .order_by_asc(pass::Column::ValidFrom)
        .all(db)
        .await?)
}

/// A booking at the token's center with its space; others are `not_found`
/// (their existence is not revealed).
pub async fn booking_at_center<C: ConnectionTrait>(
    db: &C,
    api: &ApiPrincipal,
    id: i32,
) -> Result<(booking::Model, space::Model), AppError> {
    let b = booking::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = space::Entity::find_by_id(b.space_id)
        .one(db)
        .await?
        .filter(|s| s.center_id == api.center_id)
        .ok_or(AppError::NotFound)?;
    Ok((b, s))
}

/// The pass a booking issued, if it has one.
pub async fn pass_of_booking<C: ConnectionTrait>(
    db: &C,
    booking_id: i32,
) -> Result<Option<pass::Model>, AppError> {
    Ok(pass::Entity::find()
        .filter(pass::Column::BookingId.eq(booking_id))
        .order_by_desc(pass::Column::Id)
        .one(db)
        .await?)
}

/// A space of the token's center (active), else `not_found`.
pub async fn space_at_center<C: ConnectionTrait>(
    db: &C,
    api: &ApiPrincipal,
    space_id: i32,
) -> Result<space::Model, AppError> {
    space::Entity::find_by_id(space_id)
        .filter(space::Column::Active.eq(true))
        .one(db)
        .await?
        .filter(|s| s.center_id == api.center_id)
        .ok_or(AppError::NotFound)
}
