//! Layered settings: built-in `config/base.toml` < `config/<env>.toml` < `MOTCUA_*` variables
//! < `DATABASE_URL`. Loaded once at start-up; a bad value stops the process with a clear message.

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
    pub db_max_connections: u32,
    pub log_format: LogFormat,
    pub public_origin: String,
    pub hsts: bool,
    pub reference_cache_seconds: u64,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub trust_proxy: bool,
    pub login_window_minutes: i64,
    pub login_free_failures: i64,
    pub login_lock_failures: i64,
    pub login_ip_lock_failures: i64,
    pub login_delay_ms: u64,
    pub upload_dir: String,
    pub max_file_mb: u64,
    pub max_dossier_mb: u64,
    pub max_dossier_files: i64,
    pub payment_gateway: String,
    pub vnpay_tmn_code: String,
    pub vnpay_secret: String,
    pub vnpay_pay_url: String,
    pub vnpay_api_url: String,
    pub vnpay_ipn_allowed: Vec<String>,
    pub payment_expire_minutes: i64,
    pub payment_reconcile_minutes: i64,
    pub payment_online_mode: i16,
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

impl Settings {
    /// Loads the layers for the environment named by `MOTCUA_ENV` (default `local`).
    pub fn load() -> anyhow::Result<Self> {
        let env = std::env::var("MOTCUA_ENV").unwrap_or_else(|_| "local".to_owned());
        Self::load_for(&env)
    }

    /// Loads the layers for a named environment.
    pub fn load_for(env: &str) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Toml::string(BASE))
            .merge(Toml::file(format!("config/{env}.toml")))
            .merge(Env::prefixed("MOTCUA_").ignore(&["ENV"]))
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

    /// Refuses what must never run: the payment sandbox, or the sandbox's secret, in
    /// production.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.env == "production" {
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
        }
        if self.env == "production" && self.postal_webhook_secret.starts_with("development-") {
            anyhow::bail!("the postal webhook needs MOTCUA_POSTAL_WEBHOOK_SECRET");
        }
        if self.env == "production" {
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
        }
        if !matches!(self.smtp_tls.as_str(), "starttls" | "tls" | "none") {
            anyhow::bail!("smtp_tls must be \"starttls\", \"tls\" or \"none\"");
        }
        if !matches!(self.sms_gateway.as_str(), "dev" | "http") {
            anyhow::bail!("sms_gateway must be \"dev\" or \"http\"");
        }
        if !matches!(self.payment_gateway.as_str(), "sandbox" | "vnpay") {
            anyhow::bail!("payment_gateway must be \"sandbox\" or \"vnpay\"");
        }
        Ok(())
    }

    /// Whether the local payment sandbox is served (development and demo only).
    pub fn sandbox_payments(&self) -> bool {
        self.payment_gateway == "sandbox" && self.is_development()
    }

    /// True outside production: one-time codes are logged and the dev outbox page exists.
    pub fn is_development(&self) -> bool {
        self.env != "production"
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

    #[test]
    fn production_refuses_the_payment_sandbox() {
        let mut s = Settings::for_tests("postgres://x/y");
        s.env = "production".into();
        assert!(s.check().unwrap_err().to_string().contains("sandbox"));
        s.payment_gateway = "vnpay".into();
        assert!(s.check().is_err(), "the sandbox secret is refused too");
        s.vnpay_secret = "a-real-secret".into();
        s.vnpay_pay_url = "https://pay.example/vpcpay.html".into();
        assert!(s.check().unwrap_err().to_string().contains("POSTAL"));
        s.postal_webhook_secret = "a-shared-secret".into();
        assert!(s.check().unwrap_err().to_string().contains("SMTP"));
        s.smtp_host = "smtp.province.example".into();
        assert!(s.check().unwrap_err().to_string().contains("SMS"));
        s.sms_gateway = "http".into();
        s.sms_url = "https://sms.province.example/send".into();
        assert!(s.check().is_ok());
        assert!(!s.sandbox_payments());
    }
}
