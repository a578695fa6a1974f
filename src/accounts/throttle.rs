//! Sign-in throttling per account name and per client address, counted in PostgreSQL so that
//! it holds across instances. After `login_free_failures` failures on a name each attempt waits
//! longer (doubling); after `login_lock_failures` the name is refused until the window has
//! passed. Counting is by the name typed, so the answer is the same whether or not an account
//! has it.

use std::net::IpAddr;
use std::time::Duration;

use sqlx::PgConnection;

use crate::Settings;

/// What to do with a sign-in attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Go ahead after waiting this long.
    Proceed(Duration),
    /// Refuse without checking the password.
    Locked,
}

pub(super) async fn check(
    conn: &mut PgConnection,
    settings: &Settings,
    scope: &str,
    account: &str,
    ip: Option<IpAddr>,
) -> Result<Verdict, sqlx::Error> {
    let (by_account, by_ip): (i64, i64) = sqlx::query_as(
        "select \
           count(*) filter (where scope = 'account' and key = $1), \
           count(*) filter (where scope = 'ip' and key = $2) \
         from login_failures \
         where at > now() - make_interval(mins => $3::int) \
           and ((scope = 'account' and key = $1) or (scope = 'ip' and key = $2))",
    )
    .bind(format!("{scope}:{account}"))
    .bind(ip.map(|ip| ip.to_string()).unwrap_or_default())
    .bind(i32::try_from(settings.login_window_minutes).unwrap_or(15))
    .fetch_one(conn)
    .await?;
    if by_account >= settings.login_lock_failures || by_ip >= settings.login_ip_lock_failures {
        return Ok(Verdict::Locked);
    }
    let over = by_account - settings.login_free_failures;
    if over < 0 {
        return Ok(Verdict::Proceed(Duration::ZERO));
    }
    let factor = 1u64 << over.clamp(0, 4);
    Ok(Verdict::Proceed(Duration::from_millis(
        settings.login_delay_ms.saturating_mul(factor),
    )))
}

pub(super) async fn record_failure(
    conn: &mut PgConnection,
    scope: &str,
    account: &str,
    ip: Option<IpAddr>,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into login_failures (scope, key) values ('account', $1)")
        .bind(format!("{scope}:{account}"))
        .execute(&mut *conn)
        .await?;
    if let Some(ip) = ip {
        sqlx::query("insert into login_failures (scope, key) values ('ip', $1)")
            .bind(ip.to_string())
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A successful sign-in forgets the name's failures.
pub(super) async fn clear(
    conn: &mut PgConnection,
    scope: &str,
    account: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from login_failures where scope = 'account' and key = $1")
        .bind(format!("{scope}:{account}"))
        .execute(conn)
        .await?;
    Ok(())
}
