//! The citizen's profile: contact details, commune, e-mail change, password.

use super::*;

/// `GET /account`
pub async fn profile(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
) -> AppResult<ProfilePage> {
    profile_page(&app, lang, &session, citizen, None, FormErrors::new()).await
}

#[derive(Deserialize, Default)]
pub struct ProfileForm {
    #[serde(default)]
    email: String,
    /// Asked only when the e-mail address changes.
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    address_line: String,
    #[serde(default)]
    admin_unit: String,
    /// checkboxes: present when ticked
    notify_email: Option<String>,
    notify_sms: Option<String>,
}

pub(super) async fn profile_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    citizen: CurrentCitizen,
    typed: Option<&ProfileForm>,
    errors: FormErrors,
) -> AppResult<ProfilePage> {
    let mut conn = app.db.acquire().await?;
    let me = repo::citizen(&mut conn, citizen.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let units = repo::admin_units_in_force(&mut conn).await?;
    let chosen = typed.map_or_else(
        || me.admin_unit_id.map(|u| u.to_string()).unwrap_or_default(),
        |t| t.admin_unit.clone(),
    );
    let layout = layout(lang, "account.profile_title", paths::ACCOUNT, session)
        .await?
        .with_errors(&errors);
    let personal_id = PersonalId::parse(&me.personal_id, this_year())
        .map_or_else(|_| me.personal_id.clone(), |p| p.masked());
    drop(conn);
    let unread = crate::notify::repo::unread(&app.db, citizen.id).await?;
    Ok(ProfilePage {
        layout,
        full_name: me.full_name,
        personal_id,
        phone: PhoneNumber::parse(&me.phone).map_or(me.phone.clone(), |p| p.national()),
        email: typed.map_or_else(|| me.email.clone().unwrap_or_default(), |t| t.email.clone()),
        address_line: typed.map_or(me.address_line, |t| t.address_line.clone()),
        units: units
            .into_iter()
            .map(|u| FilterOption {
                selected: u.id.to_string() == chosen,
                value: u.id.to_string(),
                label: lang.pick(&u.name_vi, &u.name_en).to_owned(),
            })
            .collect(),
        confirmed: me.confirmed_at.is_some(),
        notify_email: typed.map_or(me.notify_email, |t| t.notify_email.is_some()),
        notify_sms: typed.map_or(me.notify_sms, |t| t.notify_sms.is_some()),
        unread,
        errors,
    })
}

/// `POST /account/profile`
pub async fn update_profile(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let email = optional_email("email", &form.email, lang, &mut errors);
    let address_line = form.address_line.trim().to_owned();
    if address_line.chars().count() > 200 {
        errors.add("address_line", lang.t("account.error_address"));
    }
    let mut conn = app.db.acquire().await?;
    let units = repo::admin_units_in_force(&mut conn).await?;
    let unit = if form.admin_unit.is_empty() {
        None
    } else {
        let found = units
            .iter()
            .find(|u| u.id.to_string() == form.admin_unit)
            .map(|u| u.id);
        if found.is_none() {
            errors.add("admin_unit", lang.t("account.error_admin_unit"));
        }
        found
    };
    // A new e-mail address is a new way to sign in and to receive reset codes: it needs the
    // current password, and takes effect only once a code sent to it is entered.
    let me = repo::citizen(&mut conn, citizen.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let new_email = email.as_ref().map(EmailAddress::as_str);
    let changes_email = new_email != me.email.as_deref();
    if changes_email && errors.is_empty() {
        let stored = repo::citizen_password_hash(&mut conn, citizen.id).await?;
        drop(conn);
        if !password::verify(stored, form.current_password.clone()).await {
            errors.add(
                "current_password",
                lang.t("account.error_current_password_for_email"),
            );
        }
        conn = app.db.acquire().await?;
    }
    let pending = new_email.filter(|_| changes_email).map(str::to_owned);
    if errors.is_empty() {
        // the address in force stays until the new one is confirmed (removing one needs only
        // the password)
        let email_str = if pending.is_some() {
            me.email.as_deref()
        } else {
            new_email
        };
        match repo::update_profile(&mut conn, citizen.id, email_str, &address_line, unit).await? {
            Ok(()) => {
                // the language of the page saved is the one to write to them in
                sqlx::query(
                    "update citizens set notify_email = $2, notify_sms = $3, lang = $4 where id = $1",
                )
                .bind(citizen.id)
                .bind(form.notify_email.is_some())
                .bind(form.notify_sms.is_some())
                .bind(lang.code())
                .execute(&mut *conn)
                .await?;
                audit::record(
                    &mut conn,
                    Actor::Citizen(citizen.id),
                    "citizen.profile_updated",
                    Some(&citizen.id.to_string()),
                    ip,
                    json!({"email_changed": changes_email}),
                )
                .await?;
                if let Some(new) = pending {
                    drop(conn);
                    return crate::accounts::email::ask_to_confirm(
                        &app, lang, &session, citizen, &new, ip,
                    )
                    .await;
                }
                flash::set(&session, lang.t("account.saved")).await;
                return Ok(Redirect::to(paths::ACCOUNT).into_response());
            }
            Err(_) => errors.add("email", lang.t("account.error_email_taken")),
        }
    }
    drop(conn);
    Ok(unprocessable(
        profile_page(&app, lang, &session, citizen, Some(&form), errors).await?,
    ))
}

/// `GET /account/password`
pub async fn password_form(
    RequestLang(lang): RequestLang,
    session: Session,
) -> AppResult<PasswordPage> {
    Ok(PasswordPage {
        layout: layout(
            lang,
            "account.password_title",
            "/account/password",
            &session,
        )
        .await?,
        errors: FormErrors::new(),
        action: "/account/password",
        back: paths::ACCOUNT,
        lead: None,
    })
}

/// A change of one's own password (citizens and officials alike).
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub(in crate::accounts) current_password: String,
    #[serde(default)]
    pub(in crate::accounts) password: String,
    #[serde(default)]
    pub(in crate::accounts) password_confirm: String,
}

/// `POST /account/password`
pub async fn change_password(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    citizen: CurrentCitizen,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let (me, stored) = {
        let mut conn = app.db.acquire().await?;
        let me = repo::citizen(&mut conn, citizen.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let stored = repo::citizen_password_hash(&mut conn, citizen.id).await?;
        (me, stored)
    };
    // no pooled connection is held while hashing
    let mut errors = FormErrors::new();
    if !password::verify(stored, form.current_password).await {
        errors.add("current_password", lang.t("account.error_current_password"));
    }
    new_password_field(
        &form.password,
        &form.password_confirm,
        &[&me.full_name, &me.phone, &me.personal_id],
        lang,
        &mut errors,
    );
    if !errors.is_empty() {
        let layout = layout(
            lang,
            "account.password_title",
            "/account/password",
            &session,
        )
        .await?
        .with_errors(&errors);
        return Ok(unprocessable(PasswordPage {
            layout,
            errors,
            action: "/account/password",
            back: paths::ACCOUNT,
            lead: None,
        }));
    }
    let hash = password::hash(form.password).await?;
    let mut conn = app.db.acquire().await?;
    repo::set_citizen_password(&mut conn, citizen.id, &hash).await?;
    audit::record(
        &mut conn,
        Actor::Citizen(citizen.id),
        "citizen.password_changed",
        Some(&citizen.id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    // a changed password ends every other session of the account
    let this = session.id().map(|id| id.to_string());
    session::end_account_sessions(&mut conn, AccountKind::Citizen, citizen.id, this.as_deref())
        .await?;
    drop(conn);
    session.cycle_id().await.map_err(anyhow::Error::from)?;
    flash::set(&session, lang.t("account.password_changed")).await;
    Ok(Redirect::to(paths::ACCOUNT).into_response())
}
