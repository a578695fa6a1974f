//! The VNPay 2.1.0 protocol (DOMAIN.md §5.4), pure: signing and verifying the redirect, return
//! and IPN parameters (HMAC-SHA512 over the sorted, form-encoded pairs), the querydr and refund
//! messages (HMAC-SHA512 over pipe-joined fields), the reply codes, and the ×100 amount
//! convention — applied here, at the protocol boundary, and nowhere else.

use std::collections::BTreeMap;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;

pub const VERSION: &str = "2.1.0";

/// Form-URL-encoding as the protocol's samples do (WHATWG `application/x-www-form-urlencoded`:
/// space → `+`).
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// HMAC-SHA512 keyed by the merchant secret (HMAC takes a key of any length: this is never
/// None, and a None would only make every signature fail).
fn mac(secret: &str) -> Option<Hmac<Sha512>> {
    <Hmac<Sha512> as KeyInit>::new_from_slice(secret.as_bytes()).ok()
}

fn hmac_hex(secret: &str, data: &str) -> String {
    mac(secret).map_or_else(String::new, |mut m| {
        m.update(data.as_bytes());
        hex::encode(m.finalize().into_bytes())
    })
}

/// The signed data of a parameter set: every `vnp_*` pair but the hash itself, empty values
/// dropped, sorted by key, `key=value` form-encoded and joined with `&`.
pub fn signing_data(params: &BTreeMap<String, String>) -> String {
    params
        .iter()
        .filter(|(k, v)| {
            k.starts_with("vnp_")
                && !v.is_empty()
                && k.as_str() != "vnp_SecureHash"
                && k.as_str() != "vnp_SecureHashType"
        })
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn sign(params: &BTreeMap<String, String>, secret: &str) -> String {
    hmac_hex(secret, &signing_data(params))
}

/// The query string of a signed parameter set: the signed data and `vnp_SecureHash`.
pub fn signed_query(params: &BTreeMap<String, String>, secret: &str) -> String {
    let data = signing_data(params);
    let hash = hmac_hex(secret, &data);
    format!("{data}&vnp_SecureHash={hash}")
}

/// Whether the parameters carry a valid `vnp_SecureHash` (compared case-insensitively, in
/// constant time).
pub fn verify(params: &BTreeMap<String, String>, secret: &str) -> bool {
    let Some(given) = params.get("vnp_SecureHash") else {
        return false;
    };
    let Ok(given) = hex::decode(given.to_ascii_lowercase()) else {
        return false;
    };
    mac(secret).is_some_and(|mut m| {
        m.update(signing_data(params).as_bytes());
        m.verify_slice(&given).is_ok()
    })
}

/// The HMAC over pipe-joined fields (querydr and refund requests and responses).
pub fn pipe_hash(fields: &[&str], secret: &str) -> String {
    hmac_hex(secret, &fields.join("|"))
}

pub fn verify_pipe(fields: &[&str], given: &str, secret: &str) -> bool {
    let Ok(given) = hex::decode(given.to_ascii_lowercase()) else {
        return false;
    };
    mac(secret).is_some_and(|mut m| {
        m.update(fields.join("|").as_bytes());
        m.verify_slice(&given).is_ok()
    })
}

/// The fields of a refund answer its `vnp_SecureHash` covers, in order (joined by `|`).
pub const REFUND_REPLY_FIELDS: [&str; 13] = [
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
];

/// Whether a refund answer (its fields as strings) is signed with `secret`.
pub fn refund_reply_verified(field: impl Fn(&str) -> String, secret: &str) -> bool {
    let values = REFUND_REPLY_FIELDS.map(&field);
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    verify_pipe(&refs, &field("vnp_SecureHash"), secret)
}

/// Whole đồng to the protocol's amount (×100).
pub fn to_protocol_amount(vnd: i64) -> Option<i64> {
    vnd.checked_mul(100)
}

/// The protocol's amount back to whole đồng; None unless it is a whole number of đồng.
pub fn from_protocol_amount(amount: &str) -> Option<i64> {
    let value: i64 = amount.trim().parse().ok()?;
    (value >= 0 && value % 100 == 0).then_some(value / 100)
}

/// `yyyyMMddHHmmss` in Vietnam time.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::deadlines::calendar::to_local(at)
        .format("%Y%m%d%H%M%S")
        .to_string()
}

/// ASCII text for `vnp_OrderInfo`: diacritics removed, only letters, digits, spaces and
/// `.-_:`.
pub fn ascii_info(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .-_:".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The IPN reply (`{"RspCode": …, "Message": …}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct IpnReply {
    #[serde(rename = "RspCode")]
    pub code: &'static str,
    #[serde(rename = "Message")]
    pub message: &'static str,
}

impl IpnReply {
    pub const CONFIRMED: Self = Self {
        code: "00",
        message: "Confirm Success",
    };
    pub const NOT_FOUND: Self = Self {
        code: "01",
        message: "Order not found",
    };
    pub const ALREADY: Self = Self {
        code: "02",
        message: "Order already confirmed",
    };
    /// The call came from an address the gateway does not use (`vnpay_ipn_allowed`).
    pub const IP_REFUSED: Self = Self {
        code: "03",
        message: "Invalid IP address",
    };
    pub const AMOUNT: Self = Self {
        code: "04",
        message: "Invalid amount",
    };
    pub const CHECKSUM: Self = Self {
        code: "97",
        message: "Fail checksum",
    };
    pub const UNKNOWN: Self = Self {
        code: "99",
        message: "Unknown error",
    };
}

/// What a gateway result says about a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Paid,
    /// Declined, cancelled, timed out: the citizen may try again.
    Failed,
    /// Not settled: suspected fraud (07), debited at the bank but not confirmed (04),
    /// still processing.
    Pending,
}

/// Paid only if both the response code and the transaction status are `00` (DOMAIN §5.4).
pub fn outcome(response_code: &str, transaction_status: &str) -> Outcome {
    match (response_code, transaction_status) {
        ("00", "00") => Outcome::Paid,
        (_, "04" | "05" | "06" | "07" | "01") | ("07", _) => Outcome::Pending,
        _ => Outcome::Failed,
    }
}

/// Message key of a response code, for the citizen.
pub fn response_key(code: &str) -> &'static str {
    match code {
        "00" => "payment.code_00",
        "07" => "payment.code_07",
        "11" => "payment.code_11",
        "24" => "payment.code_24",
        "51" => "payment.code_51",
        _ => "payment.code_other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "SECRETKEYFORTESTS0123456789ABCDE";

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// A pay request as the protocol signs it; the hash was computed independently (Python's
    /// hmac over the same sorted, form-encoded string).
    #[test]
    fn a_pay_request_signs_as_the_protocol_says() {
        let p = params(&[
            ("vnp_Version", "2.1.0"),
            ("vnp_Command", "pay"),
            ("vnp_TmnCode", "MOTCUA01"),
            ("vnp_Amount", "3000000"),
            ("vnp_CreateDate", "20261129100000"),
            ("vnp_CurrCode", "VND"),
            ("vnp_IpAddr", "127.0.0.1"),
            ("vnp_Locale", "vn"),
            (
                "vnp_OrderInfo",
                "Thanh toan le phi ho so 000.00.71.H48-261129-0001",
            ),
            ("vnp_OrderType", "other"),
            ("vnp_ReturnUrl", "http://127.0.0.1:8080/thanh-toan/ket-qua"),
            ("vnp_TxnRef", "P20261129X0001"),
            ("vnp_ExpireDate", "20261129101500"),
        ]);
        assert_eq!(
            signing_data(&p),
            "vnp_Amount=3000000&vnp_Command=pay&vnp_CreateDate=20261129100000&vnp_CurrCode=VND&\
             vnp_ExpireDate=20261129101500&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+\
             toan+le+phi+ho+so+000.00.71.H48-261129-0001&vnp_OrderType=other&vnp_ReturnUrl=http%3A\
             %2F%2F127.0.0.1%3A8080%2Fthanh-toan%2Fket-qua&vnp_TmnCode=MOTCUA01&vnp_TxnRef=\
             P20261129X0001&vnp_Version=2.1.0"
        );
        assert_eq!(
            sign(&p, SECRET),
            "cffca0fe10b05f1a0be1ab00a58e2b50ab100e24e5b7fe64f4296b236b947389fb2228ce7999391321bc6c78\
             67c4eaf13925022939eb534b1307b9b3cf5ec647"
        );
    }

    #[test]
    fn vietnamese_text_and_spaces_are_form_encoded_and_empty_values_dropped() {
        let mut p = params(&[
            ("vnp_OrderInfo", "Lệ phí đăng ký khai sinh"),
            ("vnp_TxnRef", "A B"),
            ("vnp_Amount", "2000000"),
            ("vnp_Empty", ""),
        ]);
        assert_eq!(
            signing_data(&p),
            "vnp_Amount=2000000&vnp_OrderInfo=L%E1%BB%87+ph%C3%AD+%C4%91%C4%83ng+k%C3%BD+khai+sinh&\
             vnp_TxnRef=A+B"
        );
        let hash = "75256f8269253c32c270730739f0327d8f559b2f96ea6a4676d63c90d4ef91c400899ed96250b6a\
                    bb19f1ef4fb3e5dd9a1c2317617e3cdd40aba7bb18544e21e";
        assert_eq!(sign(&p, SECRET), hash);
        // verification, both ways: the hash (any case) passes; a changed value or key fails
        p.insert("vnp_SecureHash".into(), hash.to_ascii_uppercase());
        p.insert("vnp_SecureHashType".into(), "HmacSHA512".into());
        assert!(verify(&p, SECRET));
        assert!(!verify(&p, "another secret"));
        p.insert("vnp_Amount".into(), "2000100".into());
        assert!(!verify(&p, SECRET));
    }

    #[test]
    fn querydr_signs_the_pipe_joined_fields() {
        let fields = [
            "REQ1",
            "2.1.0",
            "querydr",
            "MOTCUA01",
            "P20261129X0001",
            "20261129100000",
            "20261129103000",
            "127.0.0.1",
            "Truy van giao dich",
        ];
        let hash = "62f11083202c53165b51c705e994e51d4524c4a3c4a087cc261a600be89c3f988da3319312fc44f0\
                    fadd57ecb1b6ef6ccbe86d54417fb4f12b2ed3fd64ea77c5";
        assert_eq!(pipe_hash(&fields, SECRET), hash);
        assert!(verify_pipe(&fields, hash, SECRET));
        assert!(!verify_pipe(&fields[..8], hash, SECRET));
    }

    #[test]
    fn amounts_cross_the_boundary_times_100_and_only_whole() {
        assert_eq!(to_protocol_amount(30_000), Some(3_000_000));
        assert_eq!(from_protocol_amount("3000000"), Some(30_000));
        assert_eq!(from_protocol_amount("3000050"), None);
        assert_eq!(from_protocol_amount("-100"), None);
        assert_eq!(from_protocol_amount("30000.5"), None);
        assert_eq!(to_protocol_amount(i64::MAX), None);
    }

    #[test]
    fn only_00_and_00_pay() {
        assert_eq!(outcome("00", "00"), Outcome::Paid);
        assert_eq!(outcome("24", "02"), Outcome::Failed);
        assert_eq!(outcome("51", "02"), Outcome::Failed);
        assert_eq!(outcome("11", "02"), Outcome::Failed);
        assert_eq!(outcome("07", "07"), Outcome::Pending);
        assert_eq!(outcome("00", "04"), Outcome::Pending);
    }

    #[test]
    fn order_info_is_ascii() {
        assert_eq!(
            ascii_info("Lệ phí Đăng ký khai sinh — hồ sơ 000.00.71.H48-261129-0001"),
            "Le phi Dang ky khai sinh ho so 000.00.71.H48-261129-0001"
        );
    }

    #[test]
    fn a_refund_answer_is_believed_only_with_its_signature() {
        let secret = "SECRETKEY";
        let mut answer: std::collections::HashMap<&str, String> = REFUND_REPLY_FIELDS
            .iter()
            .map(|k| (*k, String::new()))
            .collect();
        answer.insert("vnp_ResponseCode", "00".into());
        answer.insert("vnp_TxnRef", "R1".into());
        let values: Vec<String> = REFUND_REPLY_FIELDS
            .iter()
            .map(|k| answer[k].clone())
            .collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        answer.insert("vnp_SecureHash", pipe_hash(&refs, secret));
        let field = |a: &std::collections::HashMap<&str, String>, k: &str| {
            a.get(k).cloned().unwrap_or_default()
        };
        assert!(refund_reply_verified(|k| field(&answer, k), secret));
        // a forged "success" for another order does not verify
        answer.insert("vnp_TxnRef", "R2".into());
        assert!(!refund_reply_verified(|k| field(&answer, k), secret));
    }
}
