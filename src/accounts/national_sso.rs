//! Sign-in with the national account (Cổng Dịch vụ công quốc gia / VNeID), an OpenID Connect
//! authorisation-code flow through the `openidconnect` crate: PKCE, `state` and `nonce` kept in
//! the server-side session, the ID token verified (signature against the provider's JWKS,
//! issuer, audience, expiry, nonce), then userinfo with the national claims (§3.2 of the
//! reference), read in one place ([`NationalClaims`]).
//!
//! The account is found by the verified 12-digit personal number, never by name, phone or
//! e-mail: an account already linked to this national subject signs in; one with the number but
//! not yet linked is linked after its owner confirms once with the portal password; a new person
//! gets an account. An organisation's national account is not a citizen's and is kept apart.
//! Each sign-in records its level of assurance. The portal's own sign-in keeps working whatever
//! the national provider does.

use std::time::Duration;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthType, AuthenticationContextClass, AuthorizationCode, ClientId,
    ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::citizen::layout;
use super::national::{SIGNED_KEY, SignedNationally, redirect_uri};
use super::signin::{self, Outcome};
use super::views::{NationalLinkPage, NationalRefusedPage};
use crate::AppState;
use crate::audit::{self, Actor};
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::paths::safe_next;
use crate::web::session::AccountKind;
use crate::web::{AppError, AppResult, FormErrors, paths};

const PENDING_KEY: &str = "dvcqg_sso_pending";
const LINK_KEY: &str = "dvcqg_sso_link";
/// The ID token of the national sign-in, for the provider's end-session.
pub const ID_TOKEN_KEY: &str = "dvcqg_sso_id_token";
/// The national claims of userinfo (reference §3.2), named as the provider names them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NationalClaims {
    /// 1 citizen, 2 enterprise, 3 organisation (a number, or its text)
    #[serde(rename = "LoaiTaiKhoan", default)]
    pub kind: Option<serde_json::Value>,
    #[serde(rename = "SoDinhDanh", default)]
    pub personal_id: Option<String>,
    #[serde(rename = "HoVaTen", default)]
    pub full_name: Option<String>,
    #[serde(rename = "SoDienThoai", default)]
    pub phone: Option<String>,
    #[serde(rename = "ThuDienTu", default)]
    pub email: Option<String>,
    #[serde(rename = "TechID", default)]
    pub tech_id: Option<String>,
    #[serde(rename = "loAs", default)]
    pub loa: Option<String>,
}
impl AdditionalClaims for NationalClaims {}

impl NationalClaims {
    fn is_person(&self) -> bool {
        match &self.kind {
            Some(serde_json::Value::Number(n)) => n.as_i64() == Some(1),
            Some(serde_json::Value::String(s)) => s.trim() == "1",
            // absent: the provider's citizens' accounts carry no kind
            None => true,
            _ => false,
        }
    }
}

/// What the sign-in started and the callback checks (kept in the session).
#[derive(Serialize, Deserialize)]
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    next: String,
}

/// A verified national identity waiting for its portal account's owner to confirm the link.
#[derive(Serialize, Deserialize)]
struct PendingLink {
    citizen: Uuid,
    personal_id: String,
    subject: String,
    loa: String,
    tech_id: String,
    id_token: String,
    next: String,
}

type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

fn http() -> anyhow::Result<openidconnect::reqwest::Client> {
    Ok(openidconnect::reqwest::ClientBuilder::new()
        // the provider never redirects a back-channel call (SSRF)
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()?)
}

/// The provider as its discovery document describes it (with its current JWKS).
async fn client(app: &AppState, http: &openidconnect::reqwest::Client) -> anyhow::Result<Client> {
    let s = &app.settings;
    let metadata =
        CoreProviderMetadata::discover_async(IssuerUrl::new(s.dvcqg_sso_issuer.clone())?, http)
            .await?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(s.dvcqg_sso_client_id.clone()),
        Some(ClientSecret::new(s.dvcqg_sso_client_secret.clone())),
    )
    .set_auth_type(AuthType::RequestBody)
    .set_redirect_uri(RedirectUrl::new(redirect_uri(s))?))
}

async fn refused(
    lang: Lang,
    session: &Session,
    status: StatusCode,
    reason_key: &str,
    log: &str,
) -> AppResult<Response> {
    tracing::warn!(reason = log, "national sign-in refused");
    let page = NationalRefusedPage {
        layout: layout(lang, "sso.refused_title", "/account/login", session).await?,
        reason: lang.t(reason_key).into_owned(),
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// `GET /account/login/dvcqg`: off to the national provider.
pub async fn start(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    Query(q): Query<StartQuery>,
) -> AppResult<Response> {
    if app.settings.dvcqg_sso_issuer.is_empty() {
        return Err(AppError::NotFound);
    }
    let found = match http() {
        Ok(http) => client(&app, &http).await,
        Err(e) => Err(e),
    };
    let client = match found {
        Ok(c) => c,
        Err(e) => {
            return refused(
                lang,
                &session,
                StatusCode::SERVICE_UNAVAILABLE,
                "sso.provider_down",
                &format!("{e:#}"),
            )
            .await;
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_auth_context_value(AuthenticationContextClass::new("LoA1".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = Pending {
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next: safe_next(q.next.as_deref(), paths::ACCOUNT),
    };
    session
        .insert(PENDING_KEY, pending)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Redirect::to(url.as_str()).into_response())
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: Option<String>,
}

/// What the provider vouched for.
struct Verified {
    subject: String,
    claims: NationalClaims,
    loa: String,
    id_token: String,
}

async fn verify(app: &AppState, pending: &Pending, code: String) -> anyhow::Result<Verified> {
    let http = http()?;
    let client = client(app, &http).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .request_async(&http)
        .await?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| anyhow::anyhow!("no ID token"))?;
    let claims = id_token.claims(
        &client.id_token_verifier(),
        &Nonce::new(pending.nonce.clone()),
    )?;
    let subject = claims.subject().clone();
    let acr = claims
        .auth_context_ref()
        .map(|a| a.as_str().to_owned())
        .unwrap_or_default();
    let info: UserInfoClaims<NationalClaims, CoreGenderClaim> = client
        .user_info(tokens.access_token().clone(), Some(subject.clone()))?
        .request_async(&http)
        .await?;
    let national = info.additional_claims().clone();
    let loa = national
        .loa
        .clone()
        .filter(|l| !l.is_empty())
        .unwrap_or(acr);
    Ok(Verified {
        subject: subject.as_str().to_owned(),
        claims: national,
        loa,
        id_token: id_token.to_string(),
    })
}

/// `GET /account/login/dvcqg/callback`: the provider's answer.
pub async fn callback(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Query(q): Query<CallbackQuery>,
) -> AppResult<Response> {
    let pending: Option<Pending> = session
        .remove(PENDING_KEY)
        .await
        .map_err(anyhow::Error::from)?;
    let Some(pending) = pending.filter(|p| crate::web::csrf::same_token(&p.state, &q.state)) else {
        return refused(
            lang,
            &session,
            StatusCode::BAD_REQUEST,
            "sso.bad_state",
            "state missing or not this session's",
        )
        .await;
    };
    if let Some(error) = q.error.as_deref() {
        let key = if error == "access_denied" {
            "sso.cancelled"
        } else {
            "sso.failed"
        };
        return refused(lang, &session, StatusCode::BAD_REQUEST, key, error).await;
    }
    let verified = match verify(&app, &pending, q.code).await {
        Ok(v) => v,
        Err(e) => {
            let mut conn = app.db.acquire().await?;
            audit::record(
                &mut conn,
                Actor::Anonymous,
                "citizen.login_national_refused",
                None,
                ip,
                json!({ "reason": format!("{e:#}") }),
            )
            .await?;
            return refused(
                lang,
                &session,
                StatusCode::UNAUTHORIZED,
                "sso.failed",
                &format!("{e:#}"),
            )
            .await;
        }
    };
    if !verified.claims.is_person() {
        return refused(
            lang,
            &session,
            StatusCode::FORBIDDEN,
            "sso.organisation",
            "an organisation's account",
        )
        .await;
    }
    let personal_id = verified.claims.personal_id.clone().unwrap_or_default();
    if personal_id.len() != 12 || !personal_id.bytes().all(|b| b.is_ascii_digit()) {
        return refused(
            lang,
            &session,
            StatusCode::FORBIDDEN,
            "sso.no_personal_id",
            "no valid personal number",
        )
        .await;
    }
    let mut conn = app.db.acquire().await?;
    // by the national subject, then by the verified number: never by name, phone or e-mail
    let known: Option<(Uuid, String, Option<String>)> = sqlx::query_as(
        "select id, personal_id, national_sub from citizens \
         where national_sub = $1 or personal_id = $2 order by national_sub = $1 desc nulls last limit 1",
    )
    .bind(&verified.subject)
    .bind(&personal_id)
    .fetch_optional(&mut *conn)
    .await?;
    drop(conn);
    match known {
        Some((id, number, Some(sub))) if sub == verified.subject => {
            if number != personal_id {
                // the account holds another number than the one verified now: never linked
                return refused(
                    lang,
                    &session,
                    StatusCode::FORBIDDEN,
                    "sso.number_differs",
                    "subject linked to another number",
                )
                .await;
            }
            finish(&app, &session, ip, id, &verified, &pending.next).await
        }
        Some((_, _, Some(_))) => {
            refused(
                lang,
                &session,
                StatusCode::FORBIDDEN,
                "sso.linked_elsewhere",
                "the number's account is linked to another national account",
            )
            .await
        }
        Some((id, _, None)) => {
            // the owner confirms the link once, with the portal password
            let link = PendingLink {
                citizen: id,
                personal_id,
                subject: verified.subject,
                loa: verified.loa,
                tech_id: verified.claims.tech_id.unwrap_or_default(),
                id_token: verified.id_token,
                next: pending.next,
            };
            session
                .insert(LINK_KEY, link)
                .await
                .map_err(anyhow::Error::from)?;
            Ok(Redirect::to("/account/login/dvcqg/link").into_response())
        }
        None => match create(&app, &personal_id, &verified).await? {
            Some(id) => finish(&app, &session, ip, id, &verified, &pending.next).await,
            None => {
                refused(
                    lang,
                    &session,
                    StatusCode::CONFLICT,
                    "sso.cannot_create",
                    "no usable phone number for a new account",
                )
                .await
            }
        },
    }
}

/// A new account for a verified person: the name, number and contacts the provider vouched
/// for. None when its phone is missing or another account's (the portal's accounts are reached
/// by phone).
async fn create(app: &AppState, personal_id: &str, v: &Verified) -> AppResult<Option<Uuid>> {
    let Some(phone) = v
        .claims
        .phone
        .as_deref()
        .and_then(crate::accounts::domain::PhoneNumber::parse)
    else {
        return Ok(None);
    };
    let email = v
        .claims
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| e.contains('@'));
    // the register writes names in capitals
    let name = crate::kernel::text::name_case(v.claims.full_name.as_deref().unwrap_or_default());
    let id: Option<Uuid> = sqlx::query_scalar(
        "insert into citizens (full_name, personal_id, phone, email, confirmed_at, \
           identity_verified_at, national_sub, national_tech_id, national_loa) \
         select $1, $2, $3, (select $4::text where not exists (select 1 from citizens where email = $4)), \
           now(), now(), $5, $6, $7 \
         where not exists (select 1 from citizens where phone = $3) \
         on conflict do nothing returning id",
    )
    .bind(name.trim())
    .bind(personal_id)
    .bind(phone.as_str())
    .bind(email)
    .bind(&v.subject)
    .bind(v.claims.tech_id.as_deref().unwrap_or_default())
    .bind(&v.loa)
    .fetch_optional(&app.db)
    .await?;
    Ok(id)
}

/// Signs the citizen in: the level of assurance recorded, the national dossiers filed under
/// the number linked, the ID token kept for the provider's end-session.
async fn finish(
    app: &AppState,
    session: &Session,
    ip: Option<std::net::IpAddr>,
    id: Uuid,
    v: &Verified,
    next: &str,
) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "update citizens set national_sub = $2, national_loa = $3, \
           national_tech_id = coalesce(nullif($4, ''), national_tech_id), \
           identity_verified_at = coalesce(identity_verified_at, now()), \
           confirmed_at = coalesce(confirmed_at, now()), national_signed_in_at = now() \
         where id = $1",
    )
    .bind(id)
    .bind(&v.subject)
    .bind(&v.loa)
    .bind(v.claims.tech_id.as_deref().unwrap_or_default())
    .execute(&mut *tx)
    .await?;
    crate::national::intake::claim(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Actor::Citizen(id),
        "citizen.login_national",
        Some(&id.to_string()),
        ip,
        json!({ "loa": v.loa }),
    )
    .await?;
    tx.commit().await?;
    super::signin::start(app, session, AccountKind::Citizen, id).await?;
    session
        .insert(ID_TOKEN_KEY, v.id_token.clone())
        .await
        .map_err(anyhow::Error::from)?;
    session
        .insert(
            SIGNED_KEY,
            SignedNationally {
                loa: v.loa.clone(),
                tech_id: v.claims.tech_id.clone().unwrap_or_default(),
            },
        )
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Redirect::to(next).into_response())
}

/// `GET /account/login/dvcqg/link`: the owner of the account with this number confirms the
/// link once, with the portal password.
pub async fn link_form(RequestLang(lang): RequestLang, session: Session) -> AppResult<Response> {
    let link: Option<PendingLink> = session.get(LINK_KEY).await.map_err(anyhow::Error::from)?;
    let Some(link) = link else {
        return Ok(Redirect::to("/account/login").into_response());
    };
    Ok(link_page(lang, &session, &link, FormErrors::new())
        .await?
        .into_response())
}

async fn link_page(
    lang: Lang,
    session: &Session,
    link: &PendingLink,
    errors: FormErrors,
) -> AppResult<NationalLinkPage> {
    Ok(NationalLinkPage {
        layout: layout(lang, "sso.link_title", "/account/login/dvcqg/link", session)
            .await?
            .with_errors(&errors),
        personal_id: link.personal_id.clone(),
        errors,
    })
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    password: String,
}

/// `POST /account/login/dvcqg/link`
pub async fn link(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<LinkForm>,
) -> AppResult<Response> {
    let link: Option<PendingLink> = session.get(LINK_KEY).await.map_err(anyhow::Error::from)?;
    let Some(link) = link else {
        return Ok(Redirect::to("/account/login").into_response());
    };
    let account: Option<(Uuid, String)> = sqlx::query_as(
        "select c.id, k.password_hash from citizens c join citizen_credentials k on k.citizen_id = c.id \
         where c.id = $1 and c.personal_id = $2 and c.national_sub is null",
    )
    .bind(link.citizen)
    .bind(&link.personal_id)
    .fetch_optional(&app.db)
    .await?;
    // the password is tried as a sign-in is: throttled, audited
    let outcome = signin::attempt(
        &app,
        &session,
        AccountKind::Citizen,
        &link.personal_id,
        ip,
        account,
        form.password,
    )
    .await?;
    match outcome {
        Outcome::SignedIn => {
            let verified = Verified {
                subject: link.subject.clone(),
                claims: NationalClaims {
                    tech_id: Some(link.tech_id.clone()),
                    ..NationalClaims::default()
                },
                loa: link.loa.clone(),
                id_token: link.id_token.clone(),
            };
            session
                .remove_value(LINK_KEY)
                .await
                .map_err(anyhow::Error::from)?;
            finish(&app, &session, ip, link.citizen, &verified, &link.next).await
        }
        // (a citizen has no second factor)
        Outcome::Refused | Outcome::Locked | Outcome::SecondFactor(_) => {
            let mut errors = FormErrors::new();
            let key = if matches!(outcome, Outcome::Locked) {
                "account.error_locked"
            } else {
                "sso.link_wrong_password"
            };
            errors.add("password", lang.t(key));
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                link_page(lang, &session, &link, errors).await?,
            )
                .into_response())
        }
    }
}

/// Where a citizen signed in nationally is sent after signing out here: the provider's
/// end-session with the ID token as a hint, back to the portal's home. None when the provider
/// cannot be asked (its session then ends by itself).
pub async fn end_session_url(app: &AppState, id_token: &str) -> Option<String> {
    let http = http().ok()?;
    let discovery: serde_json::Value = http
        .get(format!(
            "{}/.well-known/openid-configuration",
            app.settings.dvcqg_sso_issuer.trim_end_matches('/')
        ))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let endpoint = discovery.get("end_session_endpoint")?.as_str()?;
    let mut url = reqwest::Url::parse(endpoint).ok()?;
    url.query_pairs_mut()
        .append_pair("id_token_hint", id_token)
        .append_pair(
            "post_logout_redirect_uri",
            &format!("{}/", app.settings.public_origin.trim_end_matches('/')),
        );
    Some(url.to_string())
}
