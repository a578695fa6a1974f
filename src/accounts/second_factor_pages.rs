//! The second factor's pages: the code asked after the password (`/staff/login/code`), and an
//! official's enrolment (`/staff/second-factor`: the QR code and the secret, the first code to
//! confirm, the recovery codes shown once).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::guard::CurrentStaff;
use super::guard::staff_layout;
use super::second_factor as sf;
use super::throttle::{self, Verdict};
use crate::AppState;
use crate::audit::{self, Actor};
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::session::AccountKind;
use crate::web::{AppResult, FormErrors, Layout, flash};

pub const CODE_PATH: &str = "/staff/login/code";
pub const ENROL_PATH: &str = "/staff/second-factor";
/// The session's official who gave the right password and owes the code.
const PENDING_KEY: &str = "second_factor_pending";
/// Minutes the code may be given in.
const PENDING_MINUTES: i64 = 5;

#[derive(Serialize, Deserialize)]
pub(super) struct Pending {
    id: Uuid,
    username: String,
    at: i64,
    next: String,
}

/// After the password: the session waits for the code (its id renewed, nobody signed in yet).
pub(super) async fn await_code(
    session: &Session,
    id: Uuid,
    username: &str,
    next: &str,
) -> anyhow::Result<()> {
    session.cycle_id().await?;
    let pending = Pending {
        id,
        username: username.to_owned(),
        at: Utc::now().timestamp(),
        next: next.to_owned(),
    };
    session.insert(PENDING_KEY, pending).await?;
    Ok(())
}

async fn pending(session: &Session) -> Option<Pending> {
    let p: Pending = session.get(PENDING_KEY).await.ok()??;
    (Utc::now().timestamp() - p.at <= PENDING_MINUTES * 60).then_some(p)
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/login_code.html")]
pub struct CodePage {
    pub layout: Layout,
    pub errors: FormErrors,
}

async fn code_page(lang: Lang, session: &Session, errors: FormErrors) -> AppResult<CodePage> {
    let layout = Layout::for_session(lang, lang.t("second_factor.code_title"), CODE_PATH, session)
        .await?
        .with_errors(&errors);
    Ok(CodePage { layout, errors })
}

/// `GET /staff/login/code`
pub async fn code_form(RequestLang(lang): RequestLang, session: Session) -> AppResult<Response> {
    if pending(&session).await.is_none() {
        return Ok(Redirect::to("/staff/login").into_response());
    }
    Ok(code_page(lang, &session, FormErrors::new())
        .await?
        .into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /staff/login/code`: the authenticator's code, or one recovery code; throttled per
/// official like the password.
pub async fn code(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let Some(p) = pending(&session).await else {
        flash::set(&session, lang.t("second_factor.expired")).await;
        return Ok(Redirect::to("/staff/login").into_response());
    };
    let mut conn = app.db.acquire().await?;
    let key = p.id.to_string();
    let verdict = throttle::attempt(&mut conn, &app.settings, "staff_2fa", &key, ip).await?;
    let page_session = session.clone();
    let refuse = |message: &'static str, status: StatusCode| async move {
        let mut errors = FormErrors::new();
        errors.add("code", lang.t(message));
        let page = code_page(lang, &page_session, errors).await?;
        AppResult::Ok((status, page).into_response())
    };
    if let Verdict::Locked = verdict {
        drop(conn);
        return refuse("account.error_locked", StatusCode::TOO_MANY_REQUESTS).await;
    }
    let stored = sf::stored(&mut conn, p.id).await?;
    let secret = stored
        .as_ref()
        .and_then(|(sealed, _, _)| sf::open(&app.settings.second_factor_key, p.id, sealed));
    let unix = u64::try_from(Utc::now().timestamp()).unwrap_or_default();
    let by_app = match (&secret, &stored) {
        (Some(secret), Some((_, true, last))) => {
            match sf::matching_step(secret, &form.code, unix, *last) {
                Some(step) => sf::use_step(&mut conn, p.id, step).await?,
                None => false,
            }
        }
        _ => false,
    };
    let by_recovery = !by_app
        && form
            .code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .count()
            == 10
        && sf::use_recovery(&mut conn, p.id, &form.code).await?;
    if !by_app && !by_recovery {
        audit::record(
            &mut conn,
            Actor::Staff(p.id),
            "staff.second_factor_failed",
            None,
            ip,
            json!({}),
        )
        .await?;
        drop(conn);
        return refuse("second_factor.error_code", StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    throttle::succeeded(&mut conn, "staff_2fa", &key, ip).await?;
    audit::record(
        &mut conn,
        Actor::Staff(p.id),
        "staff.login",
        Some(&key),
        ip,
        json!({"second_factor": if by_app { "app" } else { "recovery_code" }}),
    )
    .await?;
    drop(conn);
    session
        .remove_value(PENDING_KEY)
        .await
        .map_err(anyhow::Error::from)?;
    super::signin::start(&app, &session, AccountKind::Staff, p.id).await?;
    if by_recovery {
        flash::set(&session, lang.t("second_factor.recovery_used")).await;
    }
    Ok(Redirect::to(&p.next).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/second_factor.html")]
pub struct EnrolPage {
    pub layout: Layout,
    pub errors: FormErrors,
    pub enrolled: bool,
    /// Why the official is here (their role requires it).
    pub required: bool,
    pub qr_svg: String,
    pub secret: String,
    pub uri: String,
    pub recovery_left: i64,
    /// Shown once, after the first code.
    pub recovery_codes: Vec<String>,
}

/// The QR code of `data` as inline SVG (dark modules on white, with a quiet zone).
fn qr_svg(data: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else {
        return String::new();
    };
    let width = code.width();
    let size = width + 8;
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"220\" height=\"220\" \
         role=\"img\" aria-labelledby=\"qr-title\"><title id=\"qr-title\">QR</title>\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

/// The unconfirmed secret of the official, made now if there is none (a reload shows the same).
async fn unconfirmed_secret(app: &AppState, staff: Uuid) -> AppResult<Vec<u8>> {
    let mut conn = app.db.acquire().await?;
    let key = &app.settings.second_factor_key;
    if let Some((sealed, false, _)) = sf::stored(&mut conn, staff).await?
        && let Some(secret) = sf::open(key, staff, &sealed)
    {
        return Ok(secret);
    }
    let secret = sf::new_secret();
    sqlx::query(
        "insert into staff_second_factors (staff_id, secret_sealed) values ($1, $2) \
         on conflict (staff_id) do update set secret_sealed = excluded.secret_sealed, \
           created_at = now(), last_step = 0 \
         where staff_second_factors.confirmed_at is null",
    )
    .bind(staff)
    .bind(sf::seal(key, staff, &secret)?)
    .execute(&mut *conn)
    .await?;
    Ok(secret)
}

async fn enrol_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    errors: FormErrors,
) -> AppResult<EnrolPage> {
    let layout = staff_layout(lang, "second_factor.title", ENROL_PATH, session, staff)
        .await?
        .with_errors(&errors);
    let mut conn = app.db.acquire().await?;
    let enrolled = sf::enrolled(&mut conn, staff.id).await?;
    let recovery_left: i64 = sqlx::query_scalar(
        "select count(*) from staff_recovery_codes where staff_id = $1 and used_at is null",
    )
    .bind(staff.id)
    .fetch_one(&mut *conn)
    .await?;
    drop(conn);
    let (qr_svg, secret, uri) = if enrolled {
        (String::new(), String::new(), String::new())
    } else {
        let secret = unconfirmed_secret(app, staff.id).await?;
        let uri = sf::uri(&secret, &staff.username);
        (qr_svg(&uri), sf::base32(&secret), uri)
    };
    Ok(EnrolPage {
        layout,
        errors,
        enrolled,
        required: super::guard::second_factor_required(&app.settings, staff) && !enrolled,
        qr_svg,
        secret,
        uri,
        recovery_left,
        recovery_codes: Vec::new(),
    })
}

/// `GET /staff/second-factor`
pub async fn enrol_form(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
) -> AppResult<EnrolPage> {
    enrol_page(&app, lang, &session, &staff, FormErrors::new()).await
}

/// `POST /staff/second-factor`: the first code from the app confirms the enrolment; the
/// recovery codes are made and shown once.
pub async fn enrol(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    let stored = sf::stored(&mut tx, staff.id).await?;
    let unix = u64::try_from(Utc::now().timestamp()).unwrap_or_default();
    let step = match &stored {
        Some((sealed, false, _)) => sf::open(&app.settings.second_factor_key, staff.id, sealed)
            .and_then(|secret| sf::matching_step(&secret, &form.code, unix, 0)),
        _ => None,
    };
    let Some(step) = step else {
        drop(tx);
        let mut errors = FormErrors::new();
        errors.add("code", lang.t("second_factor.error_code"));
        let page = enrol_page(&app, lang, &session, &staff, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    sqlx::query(
        "update staff_second_factors set confirmed_at = now(), last_step = $2 \
         where staff_id = $1 and confirmed_at is null",
    )
    .bind(staff.id)
    .bind(step)
    .execute(&mut *tx)
    .await?;
    let codes = sf::recovery_codes();
    sqlx::query("delete from staff_recovery_codes where staff_id = $1")
        .bind(staff.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "insert into staff_recovery_codes (staff_id, code_sha256) select $1, unnest($2::text[])",
    )
    .bind(staff.id)
    .bind(
        codes
            .iter()
            .map(|c| sf::recovery_hash(c))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Actor::Staff(staff.id),
        "staff.second_factor_enrolled",
        Some(&staff.id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    let mut page = enrol_page(&app, lang, &session, &staff, FormErrors::new()).await?;
    page.recovery_codes = codes;
    Ok(page.into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_an_svg_of_square_modules() {
        let svg = super::qr_svg("otpauth://totp/x?secret=ABC");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("h1v1h-1z"));
    }
}
