//! Sign-in throttling per account name and per client address, counted in PostgreSQL so that
//! it holds across instances. Every attempt is counted before its password is checked, in one
//! statement that takes the counters' row locks (`login_counters`), so parallel attempts each
//! get their own number and none slips past the limit. After `login_free_failures` failures on
//! a name each attempt waits longer (doubling); after `login_lock_failures` the name is refused
//! until the window has passed. Counting is by the name typed, so the answer is the same
//! whether or not an account has it. A successful sign-in forgets the name's count and takes
//! its own attempt off the address's, so that an office behind one address is not locked out
//! by its own officials.
//!
//! The anonymous forms that hash a new password (registration, reset) are limited per address
//! too (`anonymous_hashes_per_window`), so that no anonymous client can keep the cores busy
//! with Argon2.

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

fn account_key(scope: &str, account: &str) -> String {
    format!("account:{scope}:{account}")
}

fn ip_key(ip: IpAddr) -> String {
    format!("ip:{ip}")
}

/// Counts one more attempt on each key (restarting a counter whose window has passed) and
/// returns the counts, in the keys' order.
async fn count(
    conn: &mut PgConnection,
    settings: &Settings,
    keys: &[String],
) -> Result<Vec<i64>, sqlx::Error> {
    let counted: Vec<(String, i32)> = sqlx::query_as(
        "insert into login_counters as c (key, attempts) \
         select k, 1 from unnest($1::text[]) with ordinality as t(k, n) order by n \
         on conflict (key) do update set \
           attempts = case when c.window_start < now() - make_interval(mins => $2::int) \
                      then 1 else c.attempts + 1 end, \
           window_start = case when c.window_start < now() - make_interval(mins => $2::int) \
                          then now() else c.window_start end \
         returning key, attempts",
    )
    .bind(keys)
    .bind(i32::try_from(settings.login_window_minutes).unwrap_or(15))
    .fetch_all(conn)
    .await?;
    Ok(keys
        .iter()
        .map(|k| {
            counted
                .iter()
                .find(|(key, _)| key == k)
                .map_or(0, |(_, n)| i64::from(*n))
        })
        .collect())
}

/// Counts this sign-in attempt on the name and the address, then says whether to check it.
pub(super) async fn attempt(
    conn: &mut PgConnection,
    settings: &Settings,
    scope: &str,
    account: &str,
    ip: Option<IpAddr>,
) -> Result<Verdict, sqlx::Error> {
    let mut keys = vec![account_key(scope, account)];
    keys.extend(ip.map(ip_key));
    let counts = count(conn, settings, &keys).await?;
    // the attempts before this one
    let by_account = counts[0] - 1;
    let by_ip = counts.get(1).map_or(0, |n| n - 1);
    Ok(verdict(settings, by_account, by_ip))
}

/// The verdict for an attempt after `by_account` earlier attempts on the name and `by_ip` from
/// the address.
fn verdict(settings: &Settings, by_account: i64, by_ip: i64) -> Verdict {
    if by_account >= settings.login_lock_failures || by_ip >= settings.login_ip_lock_failures {
        return Verdict::Locked;
    }
    let over = by_account - settings.login_free_failures;
    if over < 0 {
        return Verdict::Proceed(Duration::ZERO);
    }
    let factor = 1u64 << over.clamp(0, 4);
    Verdict::Proceed(Duration::from_millis(
        settings.login_delay_ms.saturating_mul(factor),
    ))
}

/// A successful sign-in: the name's count is forgotten, and its attempt is taken off the
/// address's count.
pub(super) async fn succeeded(
    conn: &mut PgConnection,
    scope: &str,
    account: &str,
    ip: Option<IpAddr>,
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from login_counters where key = $1")
        .bind(account_key(scope, account))
        .execute(&mut *conn)
        .await?;
    if let Some(ip) = ip {
        sqlx::query(
            "update login_counters set attempts = greatest(attempts - 1, 0) where key = $1",
        )
        .bind(ip_key(ip))
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Counts an anonymous request that will hash a new password (registration, reset) from `ip`;
/// false when the address has had its share for the window.
pub(crate) async fn may_hash(
    conn: &mut PgConnection,
    settings: &Settings,
    ip: Option<IpAddr>,
) -> Result<bool, sqlx::Error> {
    let key = format!("hash:{}", ip.map(|ip| ip.to_string()).unwrap_or_default());
    let counts = count(conn, settings, &[key]).await?;
    Ok(counts[0] <= settings.anonymous_hashes_per_window)
}

/// Counts a public tracking lookup from `ip` for the dossier `code`; false when the address or
/// the code has had its share for the window (`tracking_per_address`, `tracking_per_code`).
pub(crate) async fn may_track(
    conn: &mut PgConnection,
    settings: &Settings,
    ip: Option<IpAddr>,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let ip = ip.map(|ip| ip.to_string()).unwrap_or_default();
    let code = crate::kernel::text::fold(code);
    let keys = [format!("track-ip:{ip}"), format!("track-code:{code}")];
    let counts = count(conn, settings, &keys).await?;
    Ok(counts[0] <= settings.tracking_per_address && counts[1] <= settings.tracking_per_code)
}

/// Counts a feedback sent from `ip`; false when the address has sent its share for the window
/// (`feedback_per_address`).
pub(crate) async fn may_send_feedback(
    conn: &mut PgConnection,
    settings: &Settings,
    ip: Option<IpAddr>,
) -> Result<bool, sqlx::Error> {
    let key = format!(
        "feedback-ip:{}",
        ip.map(|ip| ip.to_string()).unwrap_or_default()
    );
    let counts = count(conn, settings, &[key]).await?;
    Ok(counts[0] <= settings.feedback_per_address)
}

/// Deletes counters whose window ended more than a day ago.
pub(crate) async fn delete_stale(db: &sqlx::PgPool) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("delete from login_counters where window_start < now() - interval '1 day'")
            .execute(db)
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_wait_longer_then_lock() {
        let mut s = Settings::for_tests("postgres://x/y");
        s.login_free_failures = 5;
        s.login_lock_failures = 10;
        s.login_ip_lock_failures = 50;
        s.login_delay_ms = 1000;
        assert_eq!(verdict(&s, 0, 0), Verdict::Proceed(Duration::ZERO));
        assert_eq!(verdict(&s, 4, 0), Verdict::Proceed(Duration::ZERO));
        assert_eq!(verdict(&s, 5, 0), Verdict::Proceed(Duration::from_secs(1)));
        assert_eq!(verdict(&s, 6, 0), Verdict::Proceed(Duration::from_secs(2)));
        assert_eq!(verdict(&s, 9, 0), Verdict::Proceed(Duration::from_secs(16)));
        assert_eq!(verdict(&s, 10, 0), Verdict::Locked);
        assert_eq!(verdict(&s, 0, 50), Verdict::Locked);
    }
}
