//! `ortalyq api-token`: create a token from the command line.

use app::error::AppError;
use app::i18n::Locale;
use app::integrations::service as tokens;
use chrono::{DateTime, Utc};

/// Why `ortalyq api-token` could not create a token.
#[derive(Debug, thiserror::Error)]
pub enum TokenCliError {
    #[error("no admin account with the login {0}")]
    NoAdmin(String),
    #[error("no center with the id or slug {0}")]
    NoCenter(String),
    #[error("the token was refused: {0}")]
    Refused(String),
}

/// `ortalyq api-token`: create a token as the admin with login `admin`.
pub async fn create_token_cli(
    db: &sea_orm::DatabaseConnection,
    admin: &str,
    center: &str,
    name: &str,
    scopes: &str,
    rate: Option<u32>,
    now: DateTime<Utc>,
) -> Result<String, TokenCliError> {
    use app::access::session::{account_by_login, load_user};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let refused = |e: AppError| TokenCliError::Refused(e.message(Locale::En));
    let acc = account_by_login(db, admin)
        .await
        .map_err(refused)?
        .ok_or_else(|| TokenCliError::NoAdmin(admin.into()))?;
    let user = load_user(db, acc).await.map_err(refused)?;
    if user.role != app::domain::people::Role::Admin {
        return Err(TokenCliError::NoAdmin(admin.into()));
    }
    let by_slug = app::model::center::Entity::find()
        .filter(app::model::center::Column::Slug.eq(center))
        .one(db)
        .await
        .map_err(|e| refused(e.into()))?;
    let center_id = match (by_slug, center.parse::<i32>()) {
        (Some(c), _) => c.id,
        (None, Ok(id)) => id,
        (None, Err(_)) => return Err(TokenCliError::NoCenter(center.into())),
    };
    let form = app::integrations::dto::ApiTokenForm {
        name: name.into(),
        center_id: center_id.to_string(),
        scopes: scopes.split(',').map(|s| s.trim().to_string()).collect(),
        rate_per_minute: rate.map(|r| r.to_string()).unwrap_or_default(),
    };
    tokens::create(db, &user, &form, now)
        .await
        .map_err(|e| match e {
            AppError::Invalid { field, .. } if field == "center_id" => {
                TokenCliError::NoCenter(center.into())
            }
            e => refused(e),
        })
}
