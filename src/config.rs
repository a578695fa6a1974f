//! Layered settings: built-in `config/base.toml` < the environment's file < `MOTCUA_*`
//! variables < `DATABASE_URL`. Loaded once at start-up; a bad value stops the process with a
//! clear message.
//!
//! The environment must be named (`MOTCUA_ENV`: `production`, `development` or `test`); the
//! commands that only make sense on a developer's machine (`demo`, `generate`, …) take
//! `development` when it is not set. Development and test read `config/<env>.toml` when it is
//! there; production reads the file `MOTCUA_CONFIG` names, which must exist, and refuses to
//! start while a secret, the origin, e-mail or the proxy setting is missing or weak.

use std::net::SocketAddr;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

/// Log output format.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Every setting of the portal; see `config/base.toml` for what each one means.
#[derive(Clone, Deserialize)]
pub struct Settings {
    pub env: String,
    pub addr: SocketAddr,
    pub database_url: String,
    /// The owner's URL for the migrations, when the portal's login is not the owner.
    pub migration_database_url: String,
    pub db_max_connections: u32,
    pub log_format: LogFormat,
    pub public_origin: String,
    pub hsts: bool,
    pub reference_cache_seconds: u64,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub trust_proxy: bool,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub login_window_minutes: i64,
    pub login_free_failures: i64,
    pub login_lock_failures: i64,
    pub login_ip_lock_failures: i64,
    pub login_delay_ms: u64,
    pub anonymous_hashes_per_window: i64,
    pub tracking_per_address: i64,
    pub refund_second_approval_vnd: i64,
    pub otp_per_hour: i64,
    pub otp_per_day: i64,
    pub otp_failures_per_day: i64,
    pub tracking_per_code: i64,
    /// feedback (phản ánh, kiến nghị) a client address may send per window
    pub feedback_per_address: i64,
    pub upload_dir: String,
    pub max_file_mb: u64,
    pub max_dossier_mb: u64,
    pub max_dossier_files: i64,
    pub max_citizen_draft_mb: u64,
    pub max_citizen_drafts: i64,
    pub draft_expire_days: i64,
    pub draft_notice_days: i64,
    pub payment_gateway: String,
    pub vnpay_tmn_code: String,
    pub vnpay_secret: String,
    pub vnpay_pay_url: String,
    pub vnpay_api_url: String,
    pub vnpay_ipn_allowed: Vec<String>,
    pub payment_expire_minutes: i64,
    pub payment_reconcile_minutes: i64,
    pub payment_online_mode: i16,
    pub payment_default_gateway: String,
    pub second_factor_key: String,
    pub clamd_addr: String,
    pub show_reader_names: bool,
    pub evaluation_change_days: i64,
    pub second_factor_roles: Vec<String>,
    pub postal_webhook_secret: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_tls: String,
    pub smtp_username: String,
    pub smtp_password: String,
    pub mail_from: String,
    pub sms_gateway: String,
    pub sms_url: String,
    pub sms_key: String,
    pub sms_secret: String,
    pub outbox_poll_seconds: u64,
    pub outbox_max_attempts: i32,
    pub dvcqg_url: String,
    pub dvcqg_username: String,
    pub dvcqg_password: String,
    pub dvcqg_unit: String,
    pub dvcqg_poll_ms: u64,
    pub dvcqg_sandbox_addr: SocketAddr,
    pub national_link_secret: String,
    pub dvcqg_intake: String,
    pub dvcqg_push_secret: String,
    pub dvcqg_file_origin: String,
    pub dvcqg_sso_issuer: String,
    pub dvcqg_sso_client_id: String,
    pub dvcqg_sso_client_secret: String,
    pub dvcqg_pay_url: String,
    pub dvcqg_pay_partner: String,
    pub dvcqg_pay_secret: String,
}

impl std::fmt::Debug for Settings {
    // The database URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("env", &self.env)
            .field("addr", &self.addr)
            .field("database_url", &redact_url(&self.database_url))
            .field("log_format", &self.log_format)
            .field("public_origin", &self.public_origin)
            .finish_non_exhaustive()
    }
}

const BASE: &str = include_str!("../config/base.toml");

/// The environments the portal knows.
pub const ENVIRONMENTS: [&str; 3] = ["production", "development", "test"];

/// Shortest secret accepted in production (HMAC keys, webhook secrets).
const MIN_SECRET_CHARS: usize = 32;

impl Settings {
    /// Loads the layers for the environment named by `MOTCUA_ENV`, which must be set.
    pub fn load() -> anyhow::Result<Self> {
        let Ok(env) = std::env::var("MOTCUA_ENV") else {
            anyhow::bail!(
                "name the environment: set MOTCUA_ENV to production, development or test (`motcua demo` sets development itself)"
            );
        };
        Self::load_for(&env)
    }

    /// As `load`, but `development` when `MOTCUA_ENV` is not set: for the commands that only
    /// make sense on a developer's machine (demo data, generators, benchmarks).
    pub fn load_or_development() -> anyhow::Result<Self> {
        let env = std::env::var("MOTCUA_ENV").unwrap_or_else(|_| "development".to_owned());
        Self::load_for(&env)
    }

    /// Loads the layers for a named environment.
    pub fn load_for(env: &str) -> anyhow::Result<Self> {
        if !ENVIRONMENTS.contains(&env) {
            anyhow::bail!("MOTCUA_ENV is \"{env}\": set it to production, development or test");
        }
        let file = if env == "production" {
            let Some(path) = std::env::var_os("MOTCUA_CONFIG") else {
                anyhow::bail!(
                    "production reads its settings from a file named explicitly: set MOTCUA_CONFIG to its path (config/production.toml is a starting point)"
                );
            };
            let path = std::path::PathBuf::from(path);
            if !path.is_file() {
                anyhow::bail!(
                    "MOTCUA_CONFIG names {}, which is not a readable file",
                    path.display()
                );
            }
            path
        } else {
            std::path::PathBuf::from(format!("config/{env}.toml"))
        };
        let mut figment = Figment::from(Toml::string(BASE))
            .merge(Toml::file(file))
            .merge(Env::prefixed("MOTCUA_").ignore(&["ENV", "CONFIG"]))
            .merge(("env", env));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(("database_url", url));
        }
        let settings: Self = figment
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        settings.check()?;
        Ok(settings)
    }

    /// Refuses what must never run: an unknown environment, the payment sandbox or a default or
    /// short secret in production, production without e-mail, SMS, an https origin with HSTS,
    /// or with a proxy setting that would trust any client's header; plain SMTP to a host
    /// that is not this machine.
    pub fn check(&self) -> anyhow::Result<()> {
        if !ENVIRONMENTS.contains(&self.env.as_str()) {
            anyhow::bail!(
                "the environment \"{}\" is unknown: production, development or test",
                self.env
            );
        }
        if !matches!(self.smtp_tls.as_str(), "starttls" | "tls" | "none") {
            anyhow::bail!("smtp_tls must be \"starttls\", \"tls\" or \"none\"");
        }
        if !matches!(self.sms_gateway.as_str(), "dev" | "http") {
            anyhow::bail!("sms_gateway must be \"dev\" or \"http\"");
        }
        if !matches!(self.dvcqg_intake.as_str(), "push" | "pull") {
            anyhow::bail!("dvcqg_intake must be \"push\" or \"pull\"");
        }
        if crate::payments::routing::Gateway::parse(&self.payment_default_gateway).is_none() {
            anyhow::bail!("payment_default_gateway must be \"vnpay\" or \"dvcqg\"");
        }
        if !matches!(self.payment_gateway.as_str(), "sandbox" | "vnpay") {
            anyhow::bail!("payment_gateway must be \"sandbox\" or \"vnpay\"");
        }
        if self.smtp_tls == "none" && !self.smtp_host.is_empty() && !is_loopback(&self.smtp_host) {
            anyhow::bail!(
                "e-mail to {} would travel unencrypted: set MOTCUA_SMTP_TLS to starttls or tls (\"none\" is for a relay on this machine only)",
                self.smtp_host
            );
        }
        if self.env == "production" {
            self.check_production()?;
        }
        Ok(())
    }

    fn check_production(&self) -> anyhow::Result<()> {
        if self.payment_gateway == "sandbox" {
            anyhow::bail!(
                "the payment sandbox cannot run in production: set MOTCUA_PAYMENT_GATEWAY=vnpay"
            );
        }
        if self.vnpay_secret.starts_with("sandbox-") || self.vnpay_pay_url.is_empty() {
            anyhow::bail!(
                "the VNPay gateway needs MOTCUA_VNPAY_SECRET, MOTCUA_VNPAY_PAY_URL and MOTCUA_VNPAY_API_URL"
            );
        }
        if self.postal_webhook_secret.starts_with("development-") {
            anyhow::bail!("the postal webhook needs MOTCUA_POSTAL_WEBHOOK_SECRET");
        }
        if self.smtp_host.is_empty() {
            anyhow::bail!(
                "e-mail needs an SMTP server: set MOTCUA_SMTP_HOST (and its port, TLS and credentials)"
            );
        }
        if self.sms_gateway != "http" || self.sms_url.is_empty() {
            anyhow::bail!(
                "SMS needs a gateway: set MOTCUA_SMS_GATEWAY=http, MOTCUA_SMS_URL, MOTCUA_SMS_KEY and MOTCUA_SMS_SECRET"
            );
        }
        if !self.dvcqg_url.starts_with("https://") {
            anyhow::bail!(
                "the national portal is reached over HTTPS: set MOTCUA_DVCQG_URL to the exchange's https:// base, with MOTCUA_DVCQG_USERNAME, MOTCUA_DVCQG_PASSWORD and MOTCUA_DVCQG_UNIT"
            );
        }
        if self.dvcqg_password.starts_with("sandbox-") {
            anyhow::bail!("the national portal needs MOTCUA_DVCQG_PASSWORD");
        }
        if self.national_link_secret.starts_with("development-") {
            anyhow::bail!("the national portal's file links need MOTCUA_NATIONAL_LINK_SECRET");
        }
        if !self.dvcqg_sso_issuer.is_empty()
            && (!self.dvcqg_sso_issuer.starts_with("https://")
                || self.dvcqg_sso_client_secret.starts_with("development-"))
        {
            anyhow::bail!(
                "sign-in with the national account needs its https:// issuer in MOTCUA_DVCQG_SSO_ISSUER and the client's MOTCUA_DVCQG_SSO_CLIENT_ID and MOTCUA_DVCQG_SSO_CLIENT_SECRET"
            );
        }
        if self.second_factor_key.len() < 32 || self.second_factor_key.starts_with("development-") {
            anyhow::bail!(
                "officials' second factors are sealed with MOTCUA_SECOND_FACTOR_KEY: set it to a secret of at least 32 characters"
            );
        }
        for role in ["system_admin", "agency_admin", "chairman"] {
            if !self.second_factor_roles.iter().any(|r| r == role) {
                anyhow::bail!(
                    "second_factor_roles must include {role}: administrators and the chairman sign in with a second factor"
                );
            }
        }
        if !self.dvcqg_pay_url.is_empty()
            && (!self.dvcqg_pay_url.starts_with("https://")
                || self.dvcqg_pay_secret.starts_with("development-"))
        {
            anyhow::bail!(
                "the national payment platform needs its https:// base in MOTCUA_DVCQG_PAY_URL and the partner's MOTCUA_DVCQG_PAY_PARTNER and MOTCUA_DVCQG_PAY_SECRET"
            );
        }
        if self.dvcqg_intake == "push" && self.dvcqg_push_secret.starts_with("development-") {
            anyhow::bail!(
                "dossiers pushed by the national portal are signed: set MOTCUA_DVCQG_PUSH_SECRET (or MOTCUA_DVCQG_INTAKE=pull)"
            );
        }
        if self.trust_proxy && self.trusted_proxies.is_empty() {
            anyhow::bail!(
                "trust_proxy takes the client's address from X-Real-IP: name the proxy's addresses in MOTCUA_TRUSTED_PROXIES (or turn trust_proxy off when the portal is reached directly)"
            );
        }
        for (name, secret) in [
            ("MOTCUA_VNPAY_SECRET", &self.vnpay_secret),
            ("MOTCUA_POSTAL_WEBHOOK_SECRET", &self.postal_webhook_secret),
            ("MOTCUA_SMS_SECRET", &self.sms_secret),
            ("MOTCUA_NATIONAL_LINK_SECRET", &self.national_link_secret),
            ("MOTCUA_DVCQG_PUSH_SECRET", &self.dvcqg_push_secret),
        ] {
            if secret.chars().count() < MIN_SECRET_CHARS {
                anyhow::bail!(
                    "{name} is too short: give it at least {MIN_SECRET_CHARS} characters"
                );
            }
        }
        if !self.public_origin.starts_with("https://") || !self.hsts {
            anyhow::bail!(
                "production is served over HTTPS: set MOTCUA_PUBLIC_ORIGIN to its https:// address and keep hsts on"
            );
        }
        Ok(())
    }

    /// Whether the local payment sandbox is served (development and demo only).
    pub fn sandbox_payments(&self) -> bool {
        self.payment_gateway == "sandbox" && self.is_development()
    }

    /// True in development and test: one-time codes are logged and the dev outbox page exists.
    pub fn is_development(&self) -> bool {
        matches!(self.env.as_str(), "development" | "test")
    }

    /// True in production.
    pub fn is_production(&self) -> bool {
        self.env == "production"
    }

    /// Settings for tests: the base defaults plus the given database URL.
    pub fn for_tests(database_url: &str) -> Self {
        let mut settings = Figment::from(Toml::string(BASE))
            .merge(Toml::string(include_str!("../config/test.toml")))
            .extract::<Settings>()
            .unwrap_or_else(|e| panic!("config/base.toml must parse: {e}"));
        settings.env = "test".to_owned();
        database_url.clone_into(&mut settings.database_url);
        settings
    }
}

/// `localhost`, `127.0.0.1`, `::1` and the like: this machine.
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact_url("postgres://motcua:s3cret@db:5432/motcua"),
            "postgres://motcua:***@db:5432/motcua"
        );
        assert_eq!(
            redact_url("postgres:///motcua?host=/var/run/postgresql"),
            "postgres:///motcua?host=/var/run/postgresql"
        );
    }

    #[test]
    fn base_settings_parse() {
        let s = Settings::for_tests("postgres://x/y");
        assert_eq!(s.addr.port(), 8080);
        assert_eq!(s.log_format, LogFormat::Pretty);
        assert_eq!(s.reference_cache_seconds, 0);
        assert!(s.sandbox_payments());
    }

    /// Settings that pass every production check.
    fn production() -> Settings {
        let mut s = Settings::for_tests("postgres://x/y");
        s.env = "production".into();
        s.payment_gateway = "vnpay".into();
        s.vnpay_secret = "A".repeat(32);
        s.vnpay_pay_url = "https://pay.example/vpcpay.html".into();
        s.postal_webhook_secret = "p".repeat(40);
        s.smtp_host = "smtp.province.example".into();
        s.sms_gateway = "http".into();
        s.sms_url = "https://sms.province.example/send".into();
        s.sms_secret = "s".repeat(32);
        s.public_origin = "https://dichvucong.province.example".into();
        s.hsts = true;
        s.trust_proxy = false;
        s.trusted_proxies = Vec::new();
        s.dvcqg_url = "https://dvcqg.example/lgsp".into();
        s.dvcqg_password = "n".repeat(20);
        s.national_link_secret = "l".repeat(32);
        s.dvcqg_push_secret = "q".repeat(32);
        s.second_factor_key = "k".repeat(32);
        s.second_factor_roles = ["system_admin", "agency_admin", "chairman"]
            .map(str::to_owned)
            .to_vec();
        s
    }

    #[test]
    fn production_refuses_each_missing_or_weak_setting_with_what_to_set() {
        assert!(production().check().is_ok());
        assert!(!production().sandbox_payments());
        assert!(!production().is_development());
        let refused = |change: &dyn Fn(&mut Settings), says: &str| {
            let mut s = production();
            change(&mut s);
            let error = s.check().expect_err(says).to_string();
            assert!(error.contains(says), "{says}: {error}");
        };
        refused(&|s| s.payment_gateway = "sandbox".into(), "sandbox");
        refused(
            &|s| s.vnpay_secret = "sandbox-secret".into(),
            "MOTCUA_VNPAY_SECRET",
        );
        refused(
            &|s| s.vnpay_secret = "short".into(),
            "MOTCUA_VNPAY_SECRET is too short",
        );
        refused(
            &|s| s.postal_webhook_secret = "development-postal-secret".into(),
            "MOTCUA_POSTAL_WEBHOOK_SECRET",
        );
        refused(
            &|s| s.postal_webhook_secret = "p".repeat(31),
            "MOTCUA_POSTAL_WEBHOOK_SECRET is too short",
        );
        refused(&|s| s.smtp_host = String::new(), "MOTCUA_SMTP_HOST");
        refused(&|s| s.smtp_tls = "none".into(), "MOTCUA_SMTP_TLS");
        refused(&|s| s.sms_gateway = "dev".into(), "MOTCUA_SMS_URL");
        refused(
            &|s| s.sms_secret = String::new(),
            "MOTCUA_SMS_SECRET is too short",
        );
        refused(
            &|s| s.public_origin = "http://dichvucong.province.example".into(),
            "https://",
        );
        refused(&|s| s.hsts = false, "hsts");
        refused(&|s| s.trust_proxy = true, "MOTCUA_TRUSTED_PROXIES");
        refused(&|s| s.dvcqg_url = String::new(), "MOTCUA_DVCQG_URL");
        refused(
            &|s| s.dvcqg_url = "http://dvcqg.example".into(),
            "MOTCUA_DVCQG_URL",
        );
        refused(
            &|s| s.dvcqg_password = "sandbox-password-not-for-production".into(),
            "MOTCUA_DVCQG_PASSWORD",
        );
        refused(
            &|s| s.national_link_secret = "development-national-link-secret".into(),
            "MOTCUA_NATIONAL_LINK_SECRET",
        );
        refused(
            &|s| s.dvcqg_push_secret = "development-dvcqg-push-secret".into(),
            "MOTCUA_DVCQG_PUSH_SECRET",
        );
        refused(&|s| s.dvcqg_intake = "mail".into(), "dvcqg_intake");
        refused(
            &|s| s.second_factor_key = "development-second-factor-key-not-for-production".into(),
            "MOTCUA_SECOND_FACTOR_KEY",
        );
        refused(
            &|s| s.second_factor_roles = vec!["system_admin".into()],
            "second_factor_roles must include agency_admin",
        );
        refused(
            &|s| s.dvcqg_pay_url = "http://thanhtoan.example".into(),
            "MOTCUA_DVCQG_PAY_URL",
        );
        refused(
            &|s| s.dvcqg_sso_issuer = "http://xacthuc.example".into(),
            "MOTCUA_DVCQG_SSO_ISSUER",
        );
        refused(
            &|s| {
                s.dvcqg_sso_issuer = "https://xacthuc.example".into();
                s.dvcqg_sso_client_secret = "development-sso-secret".into();
            },
            "MOTCUA_DVCQG_SSO_CLIENT_SECRET",
        );
        refused(
            &|s| s.national_link_secret = "l".repeat(31),
            "MOTCUA_NATIONAL_LINK_SECRET is too short",
        );
        let mut behind_proxy = production();
        behind_proxy.trust_proxy = true;
        behind_proxy.trusted_proxies = vec!["10.0.0.2".parse().unwrap()];
        assert!(behind_proxy.check().is_ok());
        refused(&|s| s.env = "local".into(), "unknown");
    }

    #[test]
    fn plain_smtp_is_for_a_relay_on_this_machine_only() {
        let mut s = Settings::for_tests("postgres://x/y");
        s.smtp_tls = "none".into();
        s.smtp_host = "127.0.0.1".into();
        assert!(s.check().is_ok());
        s.smtp_host = "localhost".into();
        assert!(s.check().is_ok());
        s.smtp_host = "mail.province.example".into();
        assert!(s.check().unwrap_err().to_string().contains("unencrypted"));
    }

    #[test]
    fn the_environment_must_be_one_the_portal_knows() {
        let error = Settings::load_for("staging").unwrap_err().to_string();
        assert!(error.contains("production, development or test"), "{error}");
        assert!(Settings::for_tests("postgres://x/y").is_development());
    }
}
