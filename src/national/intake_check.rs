//! What an inbound dossier must be before it is taken into the inbox: every field the
//! province needs, in the national formats, and attachments either inline or on the national
//! host (a link anywhere else is refused before any fetch: no SSRF). A refusal names the field.

use serde_json::Value;

use super::tt04_2025::{self as wire, InboundDossier};
use crate::dossiers::code::DossierCode;

/// Attachments one dossier may carry.
pub const DOCUMENTS_MAX: usize = 50;

/// A payload refused as malformed: the field at fault and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

fn field_error(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Reads and checks an inbound dossier; `file_origin` is where attachments may be fetched
/// from (scheme://host[:port]).
pub fn read(body: &[u8], file_origin: &str) -> Result<InboundDossier, FieldError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| field_error("body", format!("not JSON: {e}")))?;
    if !value.is_object() {
        return Err(field_error("body", "a JSON object is expected"));
    }
    for name in [
        "MaHoSo",
        "MaTTHC",
        "MaDonVi",
        "NgayNopHoSo",
        "ChuHoSo",
        "SoGiayToChuHoSo",
    ] {
        match value.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            Some(Value::String(_)) | None | Some(Value::Null) => {
                return Err(field_error(name, "required"));
            }
            Some(_) => return Err(field_error(name, "a string is expected")),
        }
    }
    let dossier: InboundDossier = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        field_error(field, e.into_inner().to_string())
    })?;
    if DossierCode::parse(&dossier.code).is_none() || dossier.code.trim() != dossier.code {
        return Err(field_error(
            "MaHoSo",
            "not a dossier code <agency e-ID>-<YYMMDD>-<sequence>",
        ));
    }
    let procedure = dossier.procedure_code.split('.').collect::<Vec<_>>();
    if procedure.len() != 2
        || procedure[1].len() != 6
        || !dossier
            .procedure_code
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.')
    {
        return Err(field_error(
            "MaTTHC",
            "not a national procedure code (1.001612)",
        ));
    }
    if !crate::dossiers::code::is_agency_code(&dossier.agency_code) {
        return Err(field_error("MaDonVi", "not an agency electronic ID"));
    }
    if wire::parse_timestamp(&dossier.submitted_at).is_none() {
        return Err(field_error("NgayNopHoSo", "not yyyyMMddHHmmss"));
    }
    if dossier.owner_id.len() != 12 || !dossier.owner_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(field_error(
            "SoGiayToChuHoSo",
            "the 12-digit personal identification number",
        ));
    }
    if dossier.owner.chars().count() > 200 || dossier.summary.chars().count() > 4000 {
        return Err(field_error("ChuHoSo", "too long"));
    }
    if dossier.documents.len() > DOCUMENTS_MAX {
        return Err(field_error(
            "TaiLieuNop",
            format!("at most {DOCUMENTS_MAX} documents"),
        ));
    }
    for (i, d) in dossier.documents.iter().enumerate() {
        let at = |name: &str| format!("TaiLieuNop[{i}].{name}");
        if d.name.trim().is_empty() || d.name.chars().count() > wire::FILE_NAME_MAX {
            return Err(field_error(at("TenTepDinhKem"), "required"));
        }
        if d.position.is_some_and(|p| p < 1) {
            return Err(field_error(at("ThuTuThanhPhan"), "1 or more"));
        }
        match (&d.base64, &d.url) {
            (Some(_), None) => {}
            (None, Some(url)) => {
                if !same_origin(url, file_origin) {
                    return Err(field_error(
                        at("DuongDanTaiTepTin"),
                        "files are fetched from the national portal's host only",
                    ));
                }
            }
            _ => {
                return Err(field_error(
                    at("Base64"),
                    "either Base64 or DuongDanTaiTepTin, not both or neither",
                ));
            }
        }
    }
    Ok(dossier)
}

/// Whether `url` is on `origin` (scheme, host and port alike, nothing before the path that
/// could point elsewhere: no user info).
pub fn same_origin(url: &str, origin: &str) -> bool {
    let origin = origin.trim_end_matches('/');
    if origin.is_empty() {
        return false;
    }
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    let Ok(o) = reqwest::Url::parse(origin) else {
        return false;
    };
    matches!(u.scheme(), "http" | "https")
        && u.username().is_empty()
        && u.password().is_none()
        && u.scheme() == o.scheme()
        && u.host_str() == o.host_str()
        && u.port_or_known_default() == o.port_or_known_default()
}

/// Where attachments may be fetched from: the configured origin, else that of `dvcqg_url`.
pub fn file_origin(settings: &crate::Settings) -> String {
    if !settings.dvcqg_file_origin.is_empty() {
        return settings.dvcqg_file_origin.clone();
    }
    reqwest::Url::parse(&settings.dvcqg_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ORIGIN: &str = "https://dvcqg.example:8443";

    fn body(extra: &Value) -> Vec<u8> {
        let mut v = json!({
            "MaHoSo": "000.00.12.H48-261207-9001", "MaTTHC": "1.001612", "MaDonVi": "000.00.12.H48",
            "NgayNopHoSo": "20261207083000", "ChuHoSo": "Nguyễn Văn A",
            "SoGiayToChuHoSo": "001090000001",
        });
        for (k, val) in extra.as_object().unwrap() {
            v[k] = val.clone();
        }
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn a_well_formed_dossier_is_read() {
        let d = read(
            &body(&json!({"TaiLieuNop": [
                {"TenTepDinhKem": "don.pdf", "Base64": "JVBERi0="},
                {"TenTepDinhKem": "anh.png", "DuongDanTaiTepTin": "https://dvcqg.example:8443/tep/1"}]})),
            ORIGIN,
        )
        .unwrap();
        assert_eq!(d.code, "000.00.12.H48-261207-9001");
        assert_eq!(d.documents.len(), 2);
    }

    #[test]
    fn a_malformed_dossier_names_its_field() {
        let field = |b: Vec<u8>| read(&b, ORIGIN).unwrap_err().field;
        assert_eq!(field(b"[1]".to_vec()), "body");
        assert_eq!(field(b"{".to_vec()), "body");
        assert_eq!(field(body(&json!({"MaTTHC": ""}))), "MaTTHC");
        assert_eq!(field(body(&json!({"MaTTHC": "TTHC-1"}))), "MaTTHC");
        assert_eq!(field(body(&json!({"MaHoSo": 12}))), "MaHoSo");
        assert_eq!(field(body(&json!({"MaHoSo": "HS-1"}))), "MaHoSo");
        assert_eq!(
            field(body(&json!({"MaHoSo": " 000.00.12.H48-261207-9001"}))),
            "MaHoSo"
        );
        assert_eq!(
            field(body(&json!({"NgayNopHoSo": "07/12/2026"}))),
            "NgayNopHoSo"
        );
        assert_eq!(
            field(body(&json!({"SoGiayToChuHoSo": "12345"}))),
            "SoGiayToChuHoSo"
        );
        assert_eq!(field(body(&json!({"MaDonVi": "ubnd xa"}))), "MaDonVi");
        assert_eq!(
            field(body(&json!({"TaiLieuNop": [{"TenTepDinhKem": "a.pdf"}]}))),
            "TaiLieuNop[0].Base64"
        );
        assert_eq!(
            field(body(
                &json!({"TaiLieuNop": [{"TenTepDinhKem": "a.pdf", "Base64": 5}]})
            )),
            "TaiLieuNop[0].Base64"
        );
    }

    #[test]
    fn attachments_are_fetched_from_the_national_host_only() {
        let at = |url: &str| {
            read(
                &body(
                    &json!({"TaiLieuNop": [{"TenTepDinhKem": "a.pdf", "DuongDanTaiTepTin": url}]}),
                ),
                ORIGIN,
            )
            .map(|_| ())
            .map_err(|e| e.field)
        };
        assert_eq!(at("https://dvcqg.example:8443/tep/1"), Ok(()));
        for bad in [
            "http://dvcqg.example:8443/tep/1",
            "https://dvcqg.example/tep/1",
            "https://dvcqg.example.evil:8443/tep/1",
            "https://user@dvcqg.example:8443/tep/1",
            "https://169.254.169.254/latest/meta-data",
            "http://127.0.0.1:5432/",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert_eq!(
                at(bad),
                Err("TaiLieuNop[0].DuongDanTaiTepTin".to_owned()),
                "{bad}"
            );
        }
        assert!(!same_origin("https://dvcqg.example:8443/x", ""));
    }
}
