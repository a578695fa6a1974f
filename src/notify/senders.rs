//! The channels' senders: e-mail over SMTP (lettre), SMS through a generic HTTP gateway, and
//! the development sender that only marks a message sent (it stays on `/dev/outbox`).

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;
use uuid::Uuid;

use crate::Settings;

/// Why a message was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Trying again will not help (a malformed address, a refused recipient).
    Permanent(String),
    /// The server or gateway is unreachable or busy: try again later.
    Temporary(String),
}

/// A message to send.
pub struct Outgoing<'a> {
    pub id: Uuid,
    pub channel: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// a PDF the e-mail carries: (file name, bytes)
    pub attachment: Option<&'a (String, Vec<u8>)>,
}

enum Email {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Dev,
}

enum Sms {
    Http {
        client: reqwest::Client,
        url: String,
        key: String,
        secret: String,
    },
    Dev,
}

/// Every channel's sender, built from the settings.
pub struct Senders {
    email: Email,
    sms: Sms,
}

impl Senders {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let email = if settings.smtp_host.is_empty() {
            Email::Dev
        } else {
            let builder = match settings.smtp_tls.as_str() {
                "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.smtp_host)?,
                "starttls" => {
                    AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.smtp_host)?
                }
                "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                    settings.smtp_host.as_str(),
                ),
                other => anyhow::bail!("smtp_tls must be tls, starttls or none, not {other:?}"),
            };
            let mut builder = builder
                .port(settings.smtp_port)
                .timeout(Some(Duration::from_secs(30)));
            if !settings.smtp_username.is_empty() {
                builder = builder.credentials(Credentials::new(
                    settings.smtp_username.clone(),
                    settings.smtp_password.clone(),
                ));
            }
            Email::Smtp {
                transport: builder.build(),
                from: settings
                    .mail_from
                    .parse()
                    .map_err(|e| anyhow::anyhow!("mail_from {:?}: {e}", settings.mail_from))?,
            }
        };
        let sms = match settings.sms_gateway.as_str() {
            "dev" => Sms::Dev,
            "http" => Sms::Http {
                client: reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()?,
                url: settings.sms_url.clone(),
                key: settings.sms_key.clone(),
                secret: settings.sms_secret.clone(),
            },
            other => anyhow::bail!("sms_gateway must be dev or http, not {other:?}"),
        };
        Ok(Self { email, sms })
    }

    /// Sends one message.
    pub async fn send(&self, m: &Outgoing<'_>) -> Result<(), SendError> {
        match m.channel {
            "email" => self.send_email(m).await,
            "sms" => self.send_sms(m).await,
            other => Err(SendError::Permanent(format!("unknown channel {other}"))),
        }
    }

    async fn send_email(&self, m: &Outgoing<'_>) -> Result<(), SendError> {
        let Email::Smtp { transport, from } = &self.email else {
            return Ok(());
        };
        let to: Mailbox = m
            .recipient
            .parse()
            .map_err(|e| SendError::Permanent(format!("địa chỉ e-mail không hợp lệ: {e}")))?;
        let builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(m.subject)
            // the same id on every attempt: a retried message is recognisable
            .message_id(Some(format!("<{}@motcua>", m.id)));
        let message = match m.attachment {
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(m.body.to_owned()),
            Some((name, bytes)) => {
                let pdf = ContentType::parse("application/pdf")
                    .map_err(|e| SendError::Permanent(e.to_string()))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(m.body.to_owned()))
                        .singlepart(Attachment::new(name.clone()).body(bytes.clone(), pdf)),
                )
            }
        }
        .map_err(|e| SendError::Permanent(e.to_string()))?;
        match transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Temporary(e.to_string())),
        }
    }

    async fn send_sms(&self, m: &Outgoing<'_>) -> Result<(), SendError> {
        let Sms::Http {
            client,
            url,
            key,
            secret,
        } = &self.sms
        else {
            return Ok(());
        };
        let payload = serde_json::json!({
            "id": m.id,
            "to": m.recipient,
            "text": m.body,
        })
        .to_string();
        let response = client
            .post(url)
            .header("content-type", "application/json")
            .header("x-api-key", key)
            .header("idempotency-key", m.id.to_string())
            .header("x-signature", sign(secret, &payload))
            .body(payload)
            .send()
            .await
            .map_err(|e| SendError::Temporary(e.without_url().to_string()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status.is_client_error() && status.as_u16() != 429 {
            Err(SendError::Permanent(format!("SMS gateway: {status}")))
        } else {
            Err(SendError::Temporary(format!("SMS gateway: {status}")))
        }
    }
}

/// HMAC-SHA256 of the request body in hex: what the gateway checks.
pub fn sign(secret: &str, payload: &str) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        return String::new(); // HMAC takes keys of any length
    };
    mac.update(payload.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_signature_is_the_bodys_hmac() {
        // RFC 4231 test case 2
        assert_eq!(
            super::sign("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
