//! The sandbox's identity provider: the national single sign-on (an OpenID Connect
//! authorisation-code provider, reference §3) for one machine. Discovery, an authorize page
//! where the tester picks a test identity, the token endpoint (client secret in the body or by
//! Basic, PKCE S256 checked, each code once), userinfo with the national claims, JWKS with two
//! keys (the signing one can be switched: a rotation), and RP-initiated logout. Bad modes make
//! it misbehave as a portal must refuse: an ID token for another audience, an expired one, one
//! signed by a key the JWKS does not hold, or the provider down.
//!
//! The keys are development keys kept in `config/dvcqg-sandbox/`: nothing trusts them but a
//! portal pointed at this sandbox.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json, Router};
use base64::Engine as _;
use chrono::{Duration, Utc};
use openidconnect::core::{
    CoreGenderClaim, CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    AccessToken, Audience, AuthenticationContextClass, EmptyAdditionalClaims, EndUserName,
    IssuerUrl, JsonWebKeyId, LocalizedClaim, Nonce, PrivateSigningKey, StandardClaims,
    SubjectIdentifier,
};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::sandbox::Sandbox;

const KEY_1: &str = include_str!("../../config/dvcqg-sandbox/sso-key-1.pem");
const KEY_2: &str = include_str!("../../config/dvcqg-sandbox/sso-key-2.pem");
const KEY_ROGUE: &str = include_str!("../../config/dvcqg-sandbox/sso-key-rogue.pem");

/// The client the portal is registered as.
#[derive(Clone, Debug)]
pub struct SsoClient {
    pub id: String,
    pub secret: String,
    /// the one redirect URI registered, compared exactly
    pub redirect_uri: String,
}

impl SsoClient {
    /// The portal that `settings` configure, as registered with the provider.
    pub fn of(settings: &crate::Settings) -> Self {
        Self {
            id: settings.dvcqg_sso_client_id.clone(),
            secret: settings.dvcqg_sso_client_secret.clone(),
            redirect_uri: crate::accounts::national::redirect_uri(settings),
        }
    }
}

/// The modes a tester switches.
pub const SSO_MODES: [(&str, &str); 6] = [
    ("normal", "Bình thường"),
    (
        "wrong_audience",
        "Mã định danh (ID token) cấp cho ứng dụng khác",
    ),
    ("expired", "Mã định danh đã hết hạn"),
    (
        "wrong_nonce",
        "Mã định danh của một lần đăng nhập khác (nonce sai)",
    ),
    ("bad_signature", "Mã định danh ký bằng khóa không công bố"),
    ("down", "Máy chủ xác thực ngừng hoạt động"),
];

pub(super) const SCHEMA: &str = "
create table if not exists dvcqg_sandbox.sso_state (
    singleton boolean primary key default true check (singleton),
    mode text not null default 'normal', kid text not null default 'sandbox-1');
insert into dvcqg_sandbox.sso_state (singleton) values (true) on conflict do nothing;
create table if not exists dvcqg_sandbox.sso_codes (
    code text primary key, identity text not null, client_id text not null,
    redirect_uri text not null, nonce text not null default '', challenge text not null default '',
    created_at timestamptz not null default now(), used_at timestamptz);
create table if not exists dvcqg_sandbox.sso_tokens (
    token text primary key, identity text not null, expires_at timestamptz not null);
";

/// A test person or organisation, with the claims the national provider gives (§3.2).
pub struct Identity {
    pub key: &'static str,
    pub label: &'static str,
    /// 1 citizen, 2 enterprise, 3 organisation
    pub kind: i32,
    pub personal_id: &'static str,
    pub name: &'static str,
    pub birth: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub tech_id: &'static str,
    pub tax_code: &'static str,
    pub loa: &'static str,
}

pub const IDENTITIES: [Identity; 4] = [
    Identity {
        key: "an",
        label: "Nguyễn Văn An, công dân (VNeID mức 2; đã có tài khoản Một Cửa trong dữ liệu mẫu)",
        kind: 1,
        personal_id: "051090001234",
        name: "NGUYỄN VĂN AN",
        birth: "19900512",
        phone: "0912345678",
        email: "",
        tech_id: "TECH000000001",
        tax_code: "",
        loa: "LoA2",
    },
    Identity {
        key: "hoa",
        label: "Trần Thị Hoa, công dân chưa có tài khoản Một Cửa (VNeID mức 2)",
        kind: 1,
        personal_id: "001195012345",
        name: "TRẦN THỊ HOA",
        birth: "19950203",
        phone: "0987000111",
        email: "hoa.tran@example.vn",
        tech_id: "TECH000000002",
        tax_code: "",
        loa: "LoA2",
    },
    Identity {
        key: "congty",
        label: "Công ty TNHH Thử Nghiệm, tài khoản tổ chức",
        kind: 3,
        personal_id: "",
        name: "CÔNG TY TNHH THỬ NGHIỆM",
        birth: "",
        phone: "0236000999",
        email: "lienhe@thunghiem.example.vn",
        tech_id: "TECH000000003",
        tax_code: "0101234567",
        loa: "LoA2",
    },
    Identity {
        key: "thap",
        label: "Lê Văn Thấp, công dân, mức bảo đảm thấp (LoA1)",
        kind: 1,
        personal_id: "001190000321",
        name: "LÊ VĂN THẤP",
        birth: "19900101",
        phone: "0977000222",
        email: "",
        tech_id: "TECH000000004",
        tax_code: "",
        loa: "LoA1",
    },
];

fn identity(key: &str) -> Option<&'static Identity> {
    IDENTITIES.iter().find(|i| i.key == key)
}

fn subject(i: &Identity) -> String {
    format!("dvcqg-{}", i.tech_id.to_lowercase())
}

/// The national claims of userinfo, named as the provider names them.
fn userinfo_claims(i: &Identity) -> Value {
    json!({
        "sub": subject(i), "LoaiTaiKhoan": i.kind, "SoDinhDanh": i.personal_id, "HoVaTen": i.name,
        "NgayThangNamSinh": i.birth, "SoDienThoai": i.phone, "ThuDienTu": i.email,
        "TechID": i.tech_id, "MaSoThue": i.tax_code, "loAs": i.loa,
    })
}

pub(super) fn routes(router: Router<Sandbox>) -> Router<Sandbox> {
    use axum::routing::{get, post};
    router
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/oauth2/jwks", get(jwks))
        .route("/oauth2/authorize", get(authorize_page).post(authorize))
        .route("/oauth2/token", post(token))
        .route("/oauth2/userinfo", get(userinfo).post(userinfo))
        .route("/oidc/logout", get(logout))
        .route("/sim/sso", post(set_mode_json))
        .route("/sso", post(set_mode_form))
}

async fn state(s: &Sandbox) -> (String, String) {
    sqlx::query_as("select mode, kid from dvcqg_sandbox.sso_state")
        .fetch_one(&s.db)
        .await
        .unwrap_or_else(|_| ("normal".to_owned(), "sandbox-1".to_owned()))
}

async fn down(s: &Sandbox) -> Option<Response> {
    (state(s).await.0 == "down")
        .then(|| (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response())
}

fn key(pem: &str, kid: &str) -> Result<CoreRsaPrivateSigningKey, String> {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.to_owned())))
}

async fn discovery(State(s): State<Sandbox>) -> Response {
    if let Some(r) = down(&s).await {
        return r;
    }
    let o = &s.origin;
    Json(json!({
        "issuer": o,
        "authorization_endpoint": format!("{o}/oauth2/authorize"),
        "token_endpoint": format!("{o}/oauth2/token"),
        "userinfo_endpoint": format!("{o}/oauth2/userinfo"),
        "jwks_uri": format!("{o}/oauth2/jwks"),
        "end_session_endpoint": format!("{o}/oidc/logout"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": ["LoA1", "LoA2"],
        "claims_supported": ["sub", "LoaiTaiKhoan", "SoDinhDanh", "HoVaTen", "NgayThangNamSinh",
            "SoDienThoai", "ThuDienTu", "TechID", "MaSoThue", "loAs"],
    }))
    .into_response()
}

async fn jwks(State(s): State<Sandbox>) -> Response {
    if let Some(r) = down(&s).await {
        return r;
    }
    match (key(KEY_1, "sandbox-1"), key(KEY_2, "sandbox-2")) {
        (Ok(k1), Ok(k2)) => Json(CoreJsonWebKeySet::new(vec![
            k1.as_verification_key(),
            k2.as_verification_key(),
        ]))
        .into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct AuthorizeQuery {
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    nonce: String,
    #[serde(default)]
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: String,
    #[serde(default)]
    acr_values: String,
    /// the identity picked (the form's POST)
    #[serde(default)]
    identity: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dvcqg_sandbox/sso_authorize.html")]
pub struct AuthorizePage {
    pub q: AuthorizeQuery,
    pub identities: Vec<(&'static str, &'static str)>,
}

fn bad_request(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.to_owned(),
    )
        .into_response()
}

/// The request must come from the registered client, for its registered address: otherwise
/// the provider says so itself and never redirects.
fn check_client(s: &Sandbox, q: &AuthorizeQuery) -> Result<(), &'static str> {
    if q.client_id != s.sso.id {
        return Err("client_id không đăng ký");
    }
    if q.redirect_uri != s.sso.redirect_uri {
        return Err("redirect_uri không khớp địa chỉ đã đăng ký");
    }
    if q.response_type != "code" {
        return Err("response_type phải là code");
    }
    if q.code_challenge.is_empty() || q.code_challenge_method != "S256" {
        return Err("cần PKCE (code_challenge, S256)");
    }
    Ok(())
}

async fn authorize_page(State(s): State<Sandbox>, Query(q): Query<AuthorizeQuery>) -> Response {
    if let Some(r) = down(&s).await {
        return r;
    }
    if let Err(why) = check_client(&s, &q) {
        return bad_request(why);
    }
    AuthorizePage {
        q,
        identities: IDENTITIES.iter().map(|i| (i.key, i.label)).collect(),
    }
    .into_response()
}

async fn authorize(State(s): State<Sandbox>, Form(q): Form<AuthorizeQuery>) -> Response {
    if let Err(why) = check_client(&s, &q) {
        return bad_request(why);
    }
    let Some(who) = identity(&q.identity) else {
        return bad_request("chọn một danh tính");
    };
    let code = uuid::Uuid::new_v4().simple().to_string();
    if sqlx::query(
        "insert into dvcqg_sandbox.sso_codes (code, identity, client_id, redirect_uri, nonce, challenge) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&code)
    .bind(who.key)
    .bind(&q.client_id)
    .bind(&q.redirect_uri)
    .bind(&q.nonce)
    .bind(&q.code_challenge)
    .execute(&s.db)
    .await
    .is_err()
    {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let Ok(mut target) = reqwest::Url::parse(&q.redirect_uri) else {
        return bad_request("redirect_uri");
    };
    target
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &q.state);
    Redirect::to(target.as_str()).into_response()
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    code_verifier: String,
}

fn token_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// The client's credentials, from the body or from Basic authorization.
fn credentials(headers: &HeaderMap, form: &TokenForm) -> (String, String) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode = |t: &str| {
                form_urlencoded::parse(format!("x={t}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Some((decode(id), decode(secret)))
        });
    basic.unwrap_or_else(|| (form.client_id.clone(), form.client_secret.clone()))
}

async fn token(
    State(s): State<Sandbox>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    if let Some(r) = down(&s).await {
        return r;
    }
    if form.grant_type != "authorization_code" {
        return token_error("unsupported_grant_type", "authorization_code only");
    }
    let (client_id, client_secret) = credentials(&headers, &form);
    if client_id != s.sso.id || client_secret != s.sso.secret {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    // each code once: a replayed code is refused
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "update dvcqg_sandbox.sso_codes set used_at = now() \
         where code = $1 and used_at is null and created_at > now() - interval '5 minutes' \
         returning identity, redirect_uri, nonce, challenge",
    )
    .bind(&form.code)
    .fetch_optional(&s.db)
    .await
    .unwrap_or(None);
    let Some((who, redirect_uri, nonce, challenge)) = row else {
        return token_error("invalid_grant", "unknown, used or expired code");
    };
    if redirect_uri != form.redirect_uri {
        return token_error("invalid_grant", "redirect_uri differs");
    }
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(form.code_verifier.as_bytes()));
    if computed != challenge {
        return token_error("invalid_grant", "PKCE verification failed");
    }
    let Some(who) = identity(&who) else {
        return token_error("invalid_grant", "unknown identity");
    };
    let (mode, kid) = state(&s).await;
    let access = uuid::Uuid::new_v4().simple().to_string();
    let _ = sqlx::query(
        "insert into dvcqg_sandbox.sso_tokens (token, identity, expires_at) \
         values ($1, $2, now() + interval '1 hour')",
    )
    .bind(&access)
    .bind(who.key)
    .execute(&s.db)
    .await;
    let now = Utc::now();
    let (issued, expires) = if mode == "expired" {
        (now - Duration::hours(2), now - Duration::hours(1))
    } else {
        (now, now + Duration::minutes(10))
    };
    let audience = if mode == "wrong_audience" {
        "another-client".to_owned()
    } else {
        s.sso.id.clone()
    };
    let Ok(issuer) = IssuerUrl::new(s.origin.clone()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut name = LocalizedClaim::new();
    name.insert(None, EndUserName::new(who.name.to_owned()));
    let claims = CoreIdTokenClaims::new(
        issuer,
        vec![Audience::new(audience)],
        expires,
        issued,
        StandardClaims::<CoreGenderClaim>::new(SubjectIdentifier::new(subject(who)))
            .set_name(Some(name)),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(if mode == "wrong_nonce" {
        format!("{nonce}-another-sign-in")
    } else {
        nonce
    })))
    .set_auth_context_ref(Some(AuthenticationContextClass::new(who.loa.to_owned())));
    let signing = match (mode.as_str(), kid.as_str()) {
        ("bad_signature", _) => key(KEY_ROGUE, "sandbox-1"),
        (_, "sandbox-2") => key(KEY_2, "sandbox-2"),
        _ => key(KEY_1, "sandbox-1"),
    };
    let Ok(signing) = signing else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let access_token = AccessToken::new(access.clone());
    let Ok(id_token) = CoreIdToken::new(
        claims,
        &signing,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&access_token),
        None,
    ) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    Json(json!({
        "access_token": access, "token_type": "Bearer", "expires_in": 3600, "scope": "openid",
        "id_token": id_token.to_string(),
    }))
    .into_response()
}

async fn userinfo(State(s): State<Sandbox>, headers: HeaderMap) -> Response {
    if let Some(r) = down(&s).await {
        return r;
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let who: Option<String> = sqlx::query_scalar(
        "select identity from dvcqg_sandbox.sso_tokens where token = $1 and expires_at > now()",
    )
    .bind(bearer)
    .fetch_optional(&s.db)
    .await
    .unwrap_or(None);
    match who.as_deref().and_then(identity) {
        Some(i) => Json(userinfo_claims(i)).into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")],
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
pub struct LogoutQuery {
    #[serde(default)]
    id_token_hint: String,
    #[serde(default)]
    post_logout_redirect_uri: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dvcqg_sandbox/sso_logout.html")]
pub struct LogoutPage {
    pub back: String,
    pub hinted: bool,
}

async fn logout(State(s): State<Sandbox>, Query(q): Query<LogoutQuery>) -> Response {
    // only an address of the registered client's origin is offered back
    let origin = reqwest::Url::parse(&s.sso.redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let back = if !origin.is_empty()
        && q.post_logout_redirect_uri
            .starts_with(&format!("{origin}/"))
    {
        q.post_logout_redirect_uri
    } else {
        String::new()
    };
    LogoutPage {
        back,
        hinted: !q.id_token_hint.is_empty(),
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct ModeForm {
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    kid: Option<String>,
}

async fn set_mode(s: &Sandbox, f: &ModeForm) -> Result<bool, sqlx::Error> {
    if let Some(mode) = &f.mode
        && !SSO_MODES.iter().any(|(m, _)| m == mode)
    {
        return Ok(false);
    }
    if let Some(kid) = &f.kid
        && !matches!(kid.as_str(), "sandbox-1" | "sandbox-2")
    {
        return Ok(false);
    }
    sqlx::query(
        "update dvcqg_sandbox.sso_state set mode = coalesce($1, mode), kid = coalesce($2, kid)",
    )
    .bind(&f.mode)
    .bind(&f.kid)
    .execute(&s.db)
    .await?;
    Ok(true)
}

async fn set_mode_json(State(s): State<Sandbox>, Json(f): Json<ModeForm>) -> Response {
    match set_mode(&s, &f).await {
        Ok(true) => Json(json!({ "error_code": 0 })).into_response(),
        Ok(false) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn set_mode_form(State(s): State<Sandbox>, Form(f): Form<ModeForm>) -> Response {
    match set_mode(&s, &f).await {
        Ok(true) => Redirect::to("/").into_response(),
        Ok(false) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The provider's mode and signing key, for the sandbox's home page.
pub(super) async fn mode_of(s: &Sandbox) -> (String, String) {
    state(s).await
}
