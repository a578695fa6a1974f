//! Signed links that let the national side fetch a dossier's file (a submitted paper, a
//! result) without an account: `GET /api/v1/dvcqg/files/{id}?exp=…&sig=…`, where `sig` is the
//! HMAC-SHA-256 of the file and the expiry under `national_link_secret`. A link works until it
//! expires (7 days) and every fetch is audited.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;
use uuid::Uuid;

use crate::AppState;
use crate::web::{AppError, AppResult};

/// How long a link given to the nation works.
pub const LINK_DAYS: i64 = 7;

/// The path of the file links.
pub const FILES_PATH: &str = "/api/v1/dvcqg/files/{id}";

/// Makes and checks the links.
#[derive(Clone)]
pub struct Links {
    origin: String,
    secret: String,
}

impl Links {
    pub fn new(origin: &str, secret: &str) -> Self {
        Self {
            origin: origin.trim_end_matches('/').to_owned(),
            secret: secret.to_owned(),
        }
    }

    fn mac(&self, file: Uuid, expires: i64) -> Option<Hmac<Sha256>> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.secret.as_bytes()).ok()?;
        mac.update(format!("{file}|{expires}").as_bytes());
        Some(mac)
    }

    /// The link to `file`, valid for [`LINK_DAYS`] from now.
    pub fn file_url(&self, file: Uuid) -> String {
        let expires = Utc::now().timestamp() + LINK_DAYS * 86_400;
        let sig = self
            .mac(file, expires)
            .map(|m| hex::encode(m.finalize().into_bytes()))
            .unwrap_or_default();
        format!(
            "{}/api/v1/dvcqg/files/{file}?exp={expires}&sig={sig}",
            self.origin
        )
    }

    /// Whether `sig` signs `file` until `expires`, and `expires` is still ahead of `now`.
    pub fn verify(&self, file: Uuid, expires: i64, sig: &str, now: i64) -> bool {
        let Ok(sig) = hex::decode(sig) else {
            return false;
        };
        expires > now
            && self
                .mac(file, expires)
                .is_some_and(|m| m.verify_slice(&sig).is_ok())
    }
}

#[derive(Deserialize)]
pub struct LinkQuery {
    exp: i64,
    sig: String,
}

/// `GET /api/v1/dvcqg/files/{id}?exp=…&sig=…`: the file, to whoever holds a valid link.
#[utoipa::path(get, path = "/api/v1/dvcqg/files/{id}", tag = "national",
    summary = "A dossier's file, for the national portal, through the signed link it was given",
    params(
        ("id" = uuid::Uuid, Path, description = "The file"),
        ("exp" = i64, Query, description = "Unix seconds the link expires at"),
        ("sig" = String, Query, description = "HMAC-SHA-256 of the file and the expiry, hex"),
    ),
    responses(
        (status = 200, description = "The file's bytes, with its content type", content_type = "application/octet-stream"),
        (status = 404, description = "No such file, or the link is forged or expired", body = crate::web::error::ApiError),
    ))]
pub async fn fetch(
    State(app): State<AppState>,
    Path(id): Path<Uuid>,
    Query(q): Query<LinkQuery>,
) -> AppResult<Response> {
    let links = Links::new(
        &app.settings.public_origin,
        &app.settings.national_link_secret,
    );
    if !links.verify(id, q.exp, &q.sig, Utc::now().timestamp()) {
        return Err(AppError::NotFound);
    }
    let row: Option<(String, String, String, Option<String>)> = sqlx::query_as(
        "select f.storage_key, f.content_type, f.original_name, d.code \
         from dossier_files f join dossiers d on d.id = f.dossier_id where f.id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db)
    .await?;
    let Some((key, content_type, name, code)) = row else {
        return Err(AppError::NotFound);
    };
    let body = app.storage.read(&key).await.map_err(anyhow::Error::from)?;
    let mut tx = app.db.begin().await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Actor::System,
        "dossier.file_national_fetch",
        code.as_deref(),
        None,
        json!({ "file": id }),
    )
    .await?;
    tx.commit().await?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_works_for_its_file_until_it_expires() {
        let links = Links::new(
            "https://motcua.example/",
            "a secret of the province, long enough",
        );
        let file = Uuid::nil();
        let url = links.file_url(file);
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let params: std::collections::HashMap<String, String> =
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
        let exp: i64 = params["exp"].parse().unwrap();
        let sig = &params["sig"];
        assert!(url.starts_with("https://motcua.example/api/v1/dvcqg/files/"));
        let now = Utc::now().timestamp();
        assert!(links.verify(file, exp, sig, now));
        assert!(!links.verify(file, exp, sig, exp), "expired");
        assert!(!links.verify(Uuid::max(), exp, sig, now), "another file");
        assert!(!links.verify(file, exp + 1, sig, now), "a longer life");
        let other = Links::new(
            "https://motcua.example",
            "another secret, long enough as well",
        );
        assert!(!other.verify(file, exp, sig, now), "another key");
    }
}
