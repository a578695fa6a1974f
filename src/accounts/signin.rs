//! One sign-in procedure for citizens and officials: throttle, verify, record, sign in. The
//! account is looked up by the caller (by phone, e-mail, ID number or username); from here on
//! the work and the answer are the same whether or not it exists.

use std::net::IpAddr;

use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::password;
use super::throttle::{self, Verdict};
use crate::AppState;
use crate::audit::{self, Actor};
use crate::web::AppResult;
use crate::web::session::{self, AccountKind};

/// How a sign-in attempt ended.
pub(super) enum Outcome {
    /// Too many failures on this name or from this address: not even checked.
    Locked,
    /// Wrong name or password.
    Refused,
    SignedIn,
    /// The password was right; the official's second factor is still owed (nobody is signed
    /// in yet).
    SecondFactor(Uuid),
}

fn scope(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Citizen => "citizen",
        AccountKind::Staff => "staff",
    }
}

fn actor(kind: AccountKind, id: Uuid) -> Actor {
    match kind {
        AccountKind::Citizen => Actor::Citizen(id),
        AccountKind::Staff => Actor::Staff(id),
    }
}

/// Tries `password` against `account` (its id and hash), counted under `key`, the name as
/// typed in its normal form.
pub(super) async fn attempt(
    app: &AppState,
    session: &Session,
    kind: AccountKind,
    key: &str,
    ip: Option<IpAddr>,
    account: Option<(Uuid, String)>,
    password: String,
) -> AppResult<Outcome> {
    let scope = scope(kind);
    // no pooled connection is held across the delay and the (deliberately slow) hashing
    let verdict = {
        let mut conn = app.db.acquire().await?;
        throttle::attempt(&mut conn, &app.settings, scope, key, ip).await?
    };
    match verdict {
        Verdict::Locked => return Ok(Outcome::Locked),
        Verdict::Proceed(delay) => tokio::time::sleep(delay).await,
    }
    let (id, stored) = account.map_or((None, None), |(id, hash)| (Some(id), Some(hash)));
    let verified = password::verify(stored, password).await;
    let mut conn = app.db.acquire().await?;
    let Some(id) = id.filter(|_| verified) else {
        let action = format!("{scope}.login_failed");
        audit::record(&mut conn, Actor::Anonymous, &action, None, ip, json!({})).await?;
        return Ok(Outcome::Refused);
    };
    throttle::succeeded(&mut conn, scope, key, ip).await?;
    if kind == AccountKind::Citizen {
        // dossiers filed on the national portal under a verified identity's number
        crate::national::intake::claim(&mut conn, id).await?;
    }
    if kind == AccountKind::Staff && super::second_factor::enrolled(&mut conn, id).await? {
        let detail = Some(id.to_string());
        audit::record(
            &mut conn,
            actor(kind, id),
            "staff.login_password",
            detail.as_deref(),
            ip,
            json!({}),
        )
        .await?;
        return Ok(Outcome::SecondFactor(id));
    }
    let action = format!("{scope}.login");
    audit::record(
        &mut conn,
        actor(kind, id),
        &action,
        Some(&id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    // the session store takes a connection of its own: this one goes back first
    drop(conn);
    start(app, session, kind, id).await?;
    Ok(Outcome::SignedIn)
}

/// Signs `id` in on this session, with the name every page's header shows.
pub(super) async fn start(
    app: &AppState,
    session: &Session,
    kind: AccountKind,
    id: Uuid,
) -> AppResult<()> {
    let name = {
        let mut conn = app.db.acquire().await?;
        super::repo::account_name(&mut conn, kind, id).await?
    };
    session::sign_in(session, kind, id, &name.unwrap_or_default()).await?;
    Ok(())
}

/// Records the sign-out and ends the session.
pub(super) async fn sign_out(
    app: &AppState,
    session: &Session,
    kind: AccountKind,
    id: Uuid,
    ip: Option<IpAddr>,
) -> AppResult<()> {
    let mut conn = app.db.acquire().await?;
    let action = format!("{}.logout", scope(kind));
    audit::record(
        &mut conn,
        actor(kind, id),
        &action,
        Some(&id.to_string()),
        ip,
        json!({}),
    )
    .await?;
    drop(conn);
    session::sign_out(session).await?;
    Ok(())
}
