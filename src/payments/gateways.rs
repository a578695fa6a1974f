//! `/admin/payments/gateways`: which gateway takes which fees — dated rules naming a procedure,
//! a receiving agency or both (system administrators). A rule is never edited or removed: a
//! later rule replaces it from its own date, so the ledger's past stays explained.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::routing::Gateway;
use crate::AppState;
use crate::accounts::CurrentStaff;
use crate::accounts::guard::staff_layout;
use crate::deadlines::calendar::today;
use crate::kernel::Lang;
use crate::web::client::ClientIp;
use crate::web::lang::RequestLang;
use crate::web::{AppResult, FormErrors, Layout, flash};

const HERE: &str = "/admin/payments/gateways";

/// A stored rule: procedure, agency's name, gateway, from, set by.
type StoredRule = (
    Option<String>,
    Option<String>,
    String,
    NaiveDate,
    Option<String>,
);

/// A rule as the page lists it.
pub struct RuleRow {
    pub procedure: String,
    pub agency: String,
    pub gateway: String,
    pub valid_from: String,
    pub set_by: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct RuleForm {
    #[serde(default)]
    pub procedure: String,
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub gateway: String,
    #[serde(default)]
    pub valid_from: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/gateways.html")]
pub struct GatewaysPage {
    pub layout: Layout,
    pub default_gateway: String,
    pub platform_configured: bool,
    pub rules: Vec<RuleRow>,
    /// (id, name) of the agencies that receive dossiers
    pub agencies: Vec<(String, String)>,
    pub form: RuleForm,
    pub errors: FormErrors,
}

async fn page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    admin: &CurrentStaff,
    form: RuleForm,
    errors: FormErrors,
) -> AppResult<GatewaysPage> {
    let mut conn = app.db.acquire().await?;
    let rules: Vec<StoredRule> =
        sqlx::query_as(
            "select r.procedure_code, a.name_vi, r.gateway, r.valid_from, s.full_name \
             from payment_routes r left join agencies a on a.id = r.agency_id \
             left join staff_users s on s.id = r.set_by \
             order by r.valid_from desc, r.procedure_code nulls last, a.name_vi nulls last limit 500",
        )
        .fetch_all(&mut *conn)
        .await?;
    let agencies: Vec<(Uuid, String)> = sqlx::query_as(
        "select id, name_vi from agencies where kind <> 'post_office' and valid_to is null \
         order by name_vi limit 1000",
    )
    .fetch_all(&mut *conn)
    .await?;
    let name = |g: &str| {
        Gateway::parse(g).map_or_else(|| g.to_owned(), |g| lang.t(g.label_key()).into_owned())
    };
    let every = lang.t("payment.rule_any").into_owned();
    Ok(GatewaysPage {
        layout: staff_layout(lang, "payment.gateways_title", HERE, session, admin)
            .await?
            .with_errors(&errors),
        default_gateway: name(&app.settings.payment_default_gateway),
        platform_configured: app.platform.is_some(),
        rules: rules
            .into_iter()
            .map(|(procedure, agency, gateway, from, by)| RuleRow {
                procedure: procedure.unwrap_or_else(|| every.clone()),
                agency: agency.unwrap_or_else(|| every.clone()),
                gateway: name(&gateway),
                valid_from: from.format("%d/%m/%Y").to_string(),
                set_by: by.unwrap_or_default(),
            })
            .collect(),
        agencies: agencies
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect(),
        form,
        errors,
    })
}

/// `GET /admin/payments/gateways`
pub async fn show(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
) -> AppResult<GatewaysPage> {
    let form = RuleForm {
        valid_from: today().format("%Y-%m-%d").to_string(),
        ..RuleForm::default()
    };
    page(&app, lang, &session, &admin, form, FormErrors::new()).await
}

/// `POST /admin/payments/gateways`: a new rule from a date (today or later).
pub async fn add(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    admin: CurrentStaff,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<RuleForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let procedure = form.procedure.trim().to_owned();
    let mut conn = app.db.acquire().await?;
    if !procedure.is_empty() {
        let known: bool =
            sqlx::query_scalar("select exists (select 1 from procedure_versions where code = $1)")
                .bind(&procedure)
                .fetch_one(&mut *conn)
                .await?;
        if !known {
            errors.add("procedure", lang.t("payment.rule_error_procedure"));
        }
    }
    let agency = match form.agency.as_str() {
        "" => None,
        a => match a.parse::<Uuid>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("agency", lang.t("payment.rule_error_agency"));
                None
            }
        },
    };
    let gateway = Gateway::parse(&form.gateway);
    if gateway.is_none() {
        errors.add("gateway", lang.t("payment.rule_error_gateway"));
    }
    let from = NaiveDate::parse_from_str(form.valid_from.trim(), "%Y-%m-%d").ok();
    if from.is_none_or(|d| d < today()) {
        errors.add("valid_from", lang.t("payment.rule_error_date"));
    }
    let (Some(gateway), Some(from), true) = (gateway, from, errors.is_empty()) else {
        drop(conn);
        let p = page(&app, lang, &session, &admin, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    };
    drop(conn);
    let mut tx = app.db.begin().await?;
    let added = sqlx::query(
        "insert into payment_routes (procedure_code, agency_id, gateway, valid_from, set_by) \
         select $1, $2, $3, $4, $5 where $2::uuid is null or exists (select 1 from agencies where id = $2) \
         on conflict (procedure_code, agency_id, valid_from) do update set gateway = excluded.gateway, \
           set_by = excluded.set_by, set_at = now()",
    )
    .bind((!procedure.is_empty()).then_some(&procedure))
    .bind(agency)
    .bind(gateway.as_str())
    .bind(from)
    .bind(admin.id)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        drop(tx);
        let mut errors = FormErrors::new();
        errors.add("agency", lang.t("payment.rule_error_agency"));
        let p = page(&app, lang, &session, &admin, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::Staff(admin.id),
        "payment.gateway_rule",
        None,
        ip,
        json!({"procedure": procedure, "agency": agency, "gateway": gateway.as_str(), "valid_from": from}),
    )
    .await?;
    tx.commit().await?;
    flash::set(&session, lang.t("calendar.saved")).await;
    Ok(Redirect::to(HERE).into_response())
}
