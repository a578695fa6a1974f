//! The national public-service payment platform (reference §2.6; TH and OCPS production code):
//! its signed JSON messages and a client for them. `INIT` opens a payment attempt and returns
//! the platform's payment page for the citizen; the platform confirms by calling the province
//! back (`Confirm`); `QUERY` asks for an attempt's state (`TrangThaiGD` 1 paid, 3 pending, 4
//! failed); `GET_BILL` returns the platform's e-receipt (PDF).
//!
//! Every message is signed by `MaXacThuc`, the hex SHA-256 of its fields joined by `|` with the
//! shared secret last; the fields and their order are each message's own (the table of §2.6).
//! A received signature is compared in constant time (TH compares with `!=`).
//!
//! The portal's side of the flows (opening an attempt for a dossier, the confirm callback,
//! the return page, the e-receipt) is in `platform`; which gateway takes a fee, in `routing`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::gateway::GatewayResult;
use super::vnpay::Outcome;

/// The protocol version sent (TH).
pub const VERSION: &str = "1.0.6";

/// `MaXacThuc`: hex SHA-256 of `fields` joined by `|`, then `|` and the secret.
pub fn checksum<S: AsRef<str>>(fields: &[S], secret: &str) -> String {
    let mut text = fields
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<&str>>()
        .join("|");
    text.push('|');
    text.push_str(secret);
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Whether `given` is the checksum of `fields` (constant time, case-insensitive hex).
pub fn verify<S: AsRef<str>>(fields: &[S], secret: &str, given: &str) -> bool {
    crate::web::csrf::same_token(
        &checksum(fields, secret),
        &given.trim().to_ascii_lowercase(),
    )
}

/// `MaThamChieu`: unique per attempt, "dvc" + the dossier code without its non-word
/// characters + the attempt's time (TH).
pub fn reference(dossier_code: &str, time: &str) -> String {
    let code: String = dossier_code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("dvc{code}{time}")
}

/// One fee line of the receipt (`PhiLePhi[]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FeeLine {
    /// 1 fee (phí), 2 charge (lệ phí)
    #[serde(rename = "LoaiPhiLePhi")]
    pub kind: String,
    #[serde(rename = "MaPhiLePhi")]
    pub code: String,
    #[serde(rename = "TenPhiLePhi")]
    pub name: String,
    #[serde(rename = "SoTien")]
    pub amount: i64,
}

/// The receipt information sent with `INIT` (`ThongTinBienLai`), the fields the platform's
/// e-receipt prints.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Receipt {
    #[serde(rename = "MaDichVu")]
    pub service: String,
    #[serde(rename = "MaTTHC")]
    pub procedure_code: String,
    #[serde(rename = "TenTTHC")]
    pub procedure_name: String,
    #[serde(rename = "MaDonVi")]
    pub agency_code: String,
    #[serde(rename = "TenDonVi")]
    pub agency_name: String,
    #[serde(rename = "MaHoSo")]
    pub dossier_code: String,
    #[serde(rename = "NoiDungThanhToan")]
    pub content: String,
    #[serde(rename = "HoTenNguoiNop")]
    pub payer_name: String,
    #[serde(rename = "SoCMNDNguoiNop")]
    pub payer_id: String,
    #[serde(rename = "PhiLePhi")]
    pub fees: Vec<FeeLine>,
}

/// `INIT`: open a payment attempt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Init {
    #[serde(rename = "LoaiBanTin")]
    pub message: String,
    #[serde(rename = "PhienBan")]
    pub version: String,
    #[serde(rename = "MaDoiTac")]
    pub partner: String,
    #[serde(rename = "MaThamChieu")]
    pub reference: String,
    #[serde(rename = "SoTien")]
    pub amount: i64,
    #[serde(rename = "LoaiHinhThanhToan")]
    pub kind: String,
    #[serde(rename = "MaKenhThanhToan")]
    pub channel: String,
    #[serde(rename = "MaThietBi")]
    pub device: String,
    #[serde(rename = "NgonNgu")]
    pub language: String,
    #[serde(rename = "MaTienTe")]
    pub currency: String,
    #[serde(rename = "MaNganHang")]
    pub bank: String,
    #[serde(rename = "ThongTinGiaoDich")]
    pub info: String,
    /// `yyyyMMddHHmmss` in Vietnam time (TH writes `hh`, a 12-hour clock: a bug [E])
    #[serde(rename = "ThoiGianGD")]
    pub time: String,
    #[serde(rename = "Ip")]
    pub ip: String,
    #[serde(rename = "ThongTinBienLai")]
    pub receipt: Receipt,
    #[serde(rename = "MaXacThuc")]
    pub signature: String,
}

impl Init {
    /// A signed `INIT` for `amount` VND of dossier `receipt.dossier_code`, at `time`.
    pub fn new(
        partner: &str,
        secret: &str,
        amount: i64,
        time: &str,
        ip: &str,
        info: &str,
        receipt: Receipt,
    ) -> Self {
        let mut init = Self {
            message: "INIT".to_owned(),
            version: VERSION.to_owned(),
            partner: partner.to_owned(),
            reference: reference(&receipt.dossier_code, time),
            amount,
            kind: "PAY".to_owned(),
            channel: "1".to_owned(),
            device: "1".to_owned(),
            language: "vi-VN".to_owned(),
            currency: "VND".to_owned(),
            bank: "PAYMENT".to_owned(),
            info: info.to_owned(),
            time: time.to_owned(),
            ip: ip.to_owned(),
            receipt,
            signature: String::new(),
        };
        init.signature = checksum(&init.signed_fields(), secret);
        init
    }

    /// The fields `MaXacThuc` covers, in order (§2.6).
    pub fn signed_fields(&self) -> Vec<String> {
        vec![
            self.message.clone(),
            self.version.clone(),
            self.partner.clone(),
            self.reference.clone(),
            self.amount.to_string(),
            self.kind.clone(),
            self.channel.clone(),
            self.device.clone(),
            self.language.clone(),
            self.currency.clone(),
            self.bank.clone(),
            self.info.clone(),
            self.time.clone(),
            self.ip.clone(),
        ]
    }
}

/// The platform's confirmation of a payment (its call back to the province).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Confirm {
    #[serde(rename = "LoaiBanTin")]
    pub message: String,
    /// "00" paid
    #[serde(rename = "MaLoi")]
    pub error: String,
    #[serde(rename = "MaDoiTac")]
    pub partner: String,
    #[serde(rename = "MaThamChieu")]
    pub reference: String,
    #[serde(rename = "SoTien")]
    pub amount: i64,
    #[serde(rename = "MaTienTe")]
    pub currency: String,
    #[serde(rename = "MaGiaoDich")]
    pub transaction: String,
    #[serde(rename = "MaNganHang")]
    pub bank: String,
    #[serde(rename = "ThoiGianGD")]
    pub time: String,
    #[serde(rename = "ThongTinGiaoDich")]
    pub info: String,
    #[serde(rename = "MaXacThuc")]
    pub signature: String,
}

impl Confirm {
    pub fn signed_fields(&self) -> Vec<String> {
        vec![
            self.message.clone(),
            self.error.clone(),
            self.partner.clone(),
            self.reference.clone(),
            self.amount.to_string(),
            self.currency.clone(),
            self.transaction.clone(),
            self.bank.clone(),
            self.time.clone(),
            self.info.clone(),
        ]
    }

    pub fn sign(mut self, secret: &str) -> Self {
        self.signature = checksum(&self.signed_fields(), secret);
        self
    }

    pub fn verify(&self, secret: &str) -> bool {
        verify(&self.signed_fields(), secret, &self.signature)
    }

    /// What the confirmation says, as the ledger settles it: `MaLoi` "00" paid, any other
    /// code failed (the platform calls back only once an attempt is over).
    pub fn result(&self) -> GatewayResult {
        let paid = self.error == "00";
        GatewayResult {
            gateway: GATEWAY,
            txn_ref: self.reference.clone(),
            amount_vnd: Some(self.amount),
            response_code: self.error.clone(),
            transaction_status: if paid { "1" } else { "4" }.to_owned(),
            transaction_no: self.transaction.clone(),
            bank_code: self.bank.clone(),
            pay_date: self.time.clone(),
            outcome: if paid { Outcome::Paid } else { Outcome::Failed },
        }
    }
}

/// The gateway's name in the ledger (`payments.gateway`).
pub const GATEWAY: &str = "dvcqg";

/// `QUERY` and `GET_BILL`: the same four fields, signed alike.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Lookup {
    #[serde(rename = "LoaiBanTin")]
    pub message: String,
    #[serde(rename = "PhienBan")]
    pub version: String,
    #[serde(rename = "MaDoiTac")]
    pub partner: String,
    #[serde(rename = "MaThamChieu")]
    pub reference: String,
    #[serde(rename = "ThoiGianGD")]
    pub time: String,
    #[serde(rename = "MaXacThuc")]
    pub signature: String,
}

impl Lookup {
    /// A signed `QUERY` (`message` "QUERY") or `GET_BILL`.
    pub fn new(message: &str, partner: &str, secret: &str, reference: &str, time: &str) -> Self {
        let mut l = Self {
            message: message.to_owned(),
            version: VERSION.to_owned(),
            partner: partner.to_owned(),
            reference: reference.to_owned(),
            time: time.to_owned(),
            signature: String::new(),
        };
        l.signature = checksum(&l.signed_fields(), secret);
        l
    }

    pub fn signed_fields(&self) -> Vec<String> {
        vec![
            self.message.clone(),
            self.version.clone(),
            self.partner.clone(),
            self.reference.clone(),
            self.time.clone(),
        ]
    }

    pub fn verify(&self, secret: &str) -> bool {
        verify(&self.signed_fields(), secret, &self.signature)
    }
}

/// What `QUERY` says of an attempt (`TrangThaiGD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Paid,
    Pending,
    Failed,
}

impl State {
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "1" => Some(Self::Paid),
            "3" => Some(Self::Pending),
            "4" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// The platform, spoken to over HTTP: `{base}/thanh-toan/init`, `/query` and `/bill` (the
/// paths of the sandbox; a province sets the real ones' base in `dvcqg_pay_url`).
pub struct Platform {
    http: reqwest::Client,
    base: String,
    pub partner: String,
    secret: String,
}

/// What `QUERY` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queried {
    pub state: State,
    pub amount: i64,
    pub transaction: String,
}

impl Queried {
    /// The answer about attempt `reference`, as the ledger settles it (reconciliation).
    pub fn result(&self, reference: &str) -> GatewayResult {
        let (code, status, outcome) = match self.state {
            State::Paid => ("00", "1", Outcome::Paid),
            State::Pending => ("", "3", Outcome::Pending),
            State::Failed => ("99", "4", Outcome::Failed),
        };
        GatewayResult {
            gateway: GATEWAY,
            txn_ref: reference.to_owned(),
            amount_vnd: Some(self.amount),
            response_code: code.to_owned(),
            transaction_status: status.to_owned(),
            transaction_no: self.transaction.clone(),
            bank_code: String::new(),
            pay_date: String::new(),
            outcome,
        }
    }
}

impl Platform {
    /// The platform the settings name (`dvcqg_pay_url`); None when none is configured.
    pub fn from_settings(settings: &crate::Settings) -> anyhow::Result<Option<Self>> {
        if settings.dvcqg_pay_url.is_empty() {
            return Ok(None);
        }
        crate::payments::gateway::install_tls_provider();
        Self::new(
            &settings.dvcqg_pay_url,
            &settings.dvcqg_pay_partner,
            &settings.dvcqg_pay_secret,
        )
        .map(Some)
    }

    /// Where the platform's pages are (its origin, for the content security policy).
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn new(base: &str, partner: &str, secret: &str) -> anyhow::Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(20))
                .build()?,
            base: base.trim_end_matches('/').to_owned(),
            partner: partner.to_owned(),
            secret: secret.to_owned(),
        })
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Posts `body` to the platform's `path`; an HTTP error is an error.
    async fn post<B: Serialize>(&self, path: &str, body: &B) -> anyhow::Result<reqwest::Response> {
        Ok(self
            .http
            .post(format!("{}/thanh-toan/{path}", self.base))
            .json(body)
            .send()
            .await?
            .error_for_status()?)
    }

    /// Opens the attempt; returns the payment page to send the citizen to (`UrlThanhToan`).
    pub async fn init(&self, init: &Init) -> anyhow::Result<String> {
        let answer: serde_json::Value = self.post("init", init).await?.json().await?;
        let code = answer["error_code"].as_str().unwrap_or_default();
        anyhow::ensure!(
            code == "0",
            "the platform refused the payment ({code}: {})",
            answer["message"]
        );
        // the reply's message is itself a JSON text (TH)
        let inner: serde_json::Value =
            serde_json::from_str(answer["message"].as_str().unwrap_or_default())?;
        let url = inner["UrlThanhToan"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no UrlThanhToan"))?;
        Ok(url.to_owned())
    }

    /// What the platform knows of attempt `reference` (None: no such attempt, `MaLoi` 01).
    pub async fn query(&self, reference: &str, time: &str) -> anyhow::Result<Option<Queried>> {
        let q = Lookup::new("QUERY", &self.partner, &self.secret, reference, time);
        let answer: serde_json::Value = self.post("query", &q).await?.json().await?;
        let code = answer["MaLoi"].as_str().unwrap_or_default();
        if code == "01" {
            return Ok(None);
        }
        anyhow::ensure!(
            code == "00",
            "the platform answered {code}: {}",
            answer["MoTaLoi"]
        );
        // the answer's own MaXacThuc, when the platform signs it (the sandbox does, over
        // MaLoi|MaThamChieu|TrangThaiGD|MaGiaoDich; §2.6 names no fields for it)
        if let Some(given) = answer["MaXacThuc"].as_str() {
            let fields =
                ["MaLoi", "MaThamChieu", "TrangThaiGD", "MaGiaoDich"].map(|k| match &answer[k] {
                    serde_json::Value::String(v) => v.clone(),
                    v => v.to_string(),
                });
            anyhow::ensure!(
                verify(&fields, &self.secret, given),
                "the platform's answer is not signed with the partner's secret"
            );
        }
        anyhow::ensure!(
            answer["MaThamChieu"]
                .as_str()
                .is_none_or(|r| r == reference),
            "the platform answered about another attempt"
        );
        let state = State::from_code(answer["TrangThaiGD"].as_str().unwrap_or_default())
            .ok_or_else(|| anyhow::anyhow!("an unknown TrangThaiGD {}", answer["TrangThaiGD"]))?;
        Ok(Some(Queried {
            state,
            amount: answer["SoTien"].as_i64().unwrap_or_default(),
            transaction: answer["MaGiaoDich"].as_str().unwrap_or_default().to_owned(),
        }))
    }

    /// The platform's e-receipt of a paid attempt (PDF).
    pub async fn bill(&self, reference: &str, time: &str) -> anyhow::Result<Vec<u8>> {
        let q = Lookup::new("GET_BILL", &self.partner, &self.secret, reference, time);
        let bytes = self.post("bill", &q).await?.bytes().await?.to_vec();
        anyhow::ensure!(bytes.starts_with(b"%PDF-"), "the receipt is not a PDF");
        Ok(bytes)
    }
}

/// Where the platform calls back and where it sends the citizen back (registered with it).
pub const CONFIRM_PATH: &str = "/api/v1/payments/dvcqg/confirm";

pub const RETURN_PATH: &str = "/account/payments/dvcqg/ket-qua";

/// `ThoiGianGD`: `yyyyMMddHHmmss` in Vietnam time, on a 24-hour clock (TH's `hh` is taken for
/// the bug it is: two attempts twelve hours apart would share a reference).
pub fn timestamp(at: DateTime<Utc>) -> String {
    crate::deadlines::calendar::to_local(at)
        .format("%Y%m%d%H%M%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt() -> Receipt {
        Receipt {
            service: "2".to_owned(),
            procedure_code: "1.001193".to_owned(),
            procedure_name: "Đăng ký khai sinh".to_owned(),
            agency_code: "000.00.71.H48".to_owned(),
            agency_name: "UBND phường Cẩm Thành".to_owned(),
            dossier_code: "000.00.12.H48-260302-0007".to_owned(),
            content: "Lệ phí đăng ký khai sinh".to_owned(),
            payer_name: "Nguyễn Văn An".to_owned(),
            payer_id: "051090001234".to_owned(),
            fees: vec![FeeLine {
                kind: "2".to_owned(),
                code: "LP01".to_owned(),
                name: "Lệ phí".to_owned(),
                amount: 100_000,
            }],
        }
    }

    #[test]
    fn init_is_signed_over_its_fields_in_the_protocols_order() {
        // reconstruction R4 of the reference, with "secret" as the secret
        let init = Init::new(
            "MADOITAC",
            "secret",
            100_000,
            "20260302093600",
            "10.0.0.5",
            "THANH TOAN HO SO 000.00.12.H48-260302-0007",
            receipt(),
        );
        assert_eq!(init.reference, "dvc0000012H48260302000720260302093600");
        let text = "INIT|1.0.6|MADOITAC|dvc0000012H48260302000720260302093600|100000|PAY|1|1|\
                    vi-VN|VND|PAYMENT|THANH TOAN HO SO 000.00.12.H48-260302-0007|20260302093600|\
                    10.0.0.5|secret";
        assert_eq!(init.signature, hex::encode(Sha256::digest(text.as_bytes())));
        let json = serde_json::to_value(&init).unwrap();
        assert_eq!(json["LoaiBanTin"], "INIT");
        assert_eq!(
            json["ThongTinBienLai"]["MaHoSo"],
            "000.00.12.H48-260302-0007"
        );
        assert_eq!(json["MaXacThuc"], init.signature);
    }

    #[test]
    fn a_confirmation_is_checked_against_every_signed_field() {
        let confirm = Confirm {
            message: "CONFIRM".to_owned(),
            error: "00".to_owned(),
            partner: "MADOITAC".to_owned(),
            reference: "dvc0000012H48260302000720260302093600".to_owned(),
            amount: 100_000,
            currency: "VND".to_owned(),
            transaction: "GD123".to_owned(),
            bank: "VCB".to_owned(),
            time: "20260302093800".to_owned(),
            info: "THANH TOAN".to_owned(),
            signature: String::new(),
        }
        .sign("secret");
        let text = "CONFIRM|00|MADOITAC|dvc0000012H48260302000720260302093600|100000|VND|GD123|VCB|20260302093800|THANH TOAN|secret";
        assert_eq!(
            confirm.signature,
            hex::encode(Sha256::digest(text.as_bytes()))
        );
        assert!(confirm.verify("secret"));
        assert!(!confirm.verify("other"));
        let mut upper = confirm.clone();
        upper.signature = upper.signature.to_uppercase();
        assert!(
            upper.verify("secret"),
            "hex in capitals is the same signature"
        );
        let mut more = confirm.clone();
        more.amount = 1_000_000;
        assert!(!more.verify("secret"), "the amount is signed");
        let mut failed = confirm;
        failed.error = "24".to_owned();
        assert!(!failed.verify("secret"), "the outcome is signed");
    }

    #[test]
    fn query_and_bill_are_signed_over_four_fields() {
        let q = Lookup::new("QUERY", "MADOITAC", "secret", "dvcREF", "20260302100000");
        let text = "QUERY|1.0.6|MADOITAC|dvcREF|20260302100000|secret";
        assert_eq!(q.signature, hex::encode(Sha256::digest(text.as_bytes())));
        assert!(q.verify("secret"));
        let bill = Lookup::new("GET_BILL", "MADOITAC", "secret", "dvcREF", "20260302100000");
        assert_ne!(bill.signature, q.signature);
        assert_eq!(State::from_code("1"), Some(State::Paid));
        assert_eq!(State::from_code("3"), Some(State::Pending));
        assert_eq!(State::from_code("4"), Some(State::Failed));
        assert_eq!(State::from_code("2"), None);
    }
}
