//! The payment gateway as the portal uses it: the signed payment link, the verification of
//! what comes back, and the server-to-server calls (querydr, refund). One adapter speaks VNPay
//! 2.1.0; the local sandbox speaks the same protocol, so the same adapter talks to both. The
//! socket is a [`Transport`]: HTTP in a running portal, the router in-process in tests.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::vnpay;
use crate::config::Settings;

/// How the adapter reaches the gateway's API and how the sandbox reaches the IPN endpoint.
#[async_trait::async_trait]
pub trait Transport: Send + Sync {
    /// POSTs JSON, returns the JSON answer.
    async fn post_json(&self, url: &str, body: &Value) -> anyhow::Result<Value>;
    /// GETs a URL, returns the status and the body.
    async fn get(&self, url: &str) -> anyhow::Result<(u16, String)>;
}

/// Chooses the process's TLS provider (aws-lc-rs, as the database connections use) once: with
/// two providers compiled in, rustls would otherwise refuse to pick one.
pub fn install_tls_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// HTTP through reqwest (rustls).
pub struct HttpTransport {
    client: reqwest::Client,
}

impl HttpTransport {
    pub fn new() -> anyhow::Result<Self> {
        install_tls_provider();
        Ok(Self {
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()?,
        })
    }
}

#[async_trait::async_trait]
impl Transport for HttpTransport {
    async fn post_json(&self, url: &str, body: &Value) -> anyhow::Result<Value> {
        Ok(self
            .client
            .post(url)
            .json(body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    async fn get(&self, url: &str) -> anyhow::Result<(u16, String)> {
        let response = self.client.get(url).send().await?;
        Ok((response.status().as_u16(), response.text().await?))
    }
}

/// The portal's own router, in-process (tests): requests come from 127.0.0.1 (X-Real-IP, which
/// the test configuration trusts).
#[derive(Default)]
pub struct RouterTransport {
    pub router: OnceLock<axum::Router>,
}

impl RouterTransport {
    async fn send(
        &self,
        request: axum::http::Request<axum::body::Body>,
    ) -> anyhow::Result<(u16, String)> {
        use tower::ServiceExt;
        let router = self
            .router
            .get()
            .ok_or_else(|| anyhow::anyhow!("router not set"))?
            .clone();
        let response = router.oneshot(request).await?;
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await?;
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    }

    fn path(url: &str) -> &str {
        url.find("://")
            .and_then(|i| url[i + 3..].find('/').map(|j| &url[i + 3 + j..]))
            .unwrap_or(url)
    }
}

#[async_trait::async_trait]
impl Transport for RouterTransport {
    async fn post_json(&self, url: &str, body: &Value) -> anyhow::Result<Value> {
        let request = axum::http::Request::post(Self::path(url))
            .header("content-type", "application/json")
            .header("x-real-ip", "127.0.0.1")
            .body(axum::body::Body::from(serde_json::to_vec(body)?))?;
        let (status, text) = self.send(request).await?;
        anyhow::ensure!(status == 200, "gateway answered {status}");
        Ok(serde_json::from_str(&text)?)
    }

    async fn get(&self, url: &str) -> anyhow::Result<(u16, String)> {
        let request = axum::http::Request::get(Self::path(url))
            .header("x-real-ip", "127.0.0.1")
            .body(axum::body::Body::empty())?;
        self.send(request).await
    }
}

/// What the gateway says about a transaction (return, IPN, querydr).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayResult {
    /// "vnpay" or "dvcqg": a result settles only its own gateway's payments.
    pub gateway: &'static str,
    pub txn_ref: String,
    /// Whole đồng.
    pub amount_vnd: Option<i64>,
    pub response_code: String,
    pub transaction_status: String,
    pub transaction_no: String,
    pub bank_code: String,
    pub pay_date: String,
    /// What the result means for the payment.
    pub outcome: vnpay::Outcome,
}

impl GatewayResult {
    /// From verified return or IPN parameters.
    pub fn from_params(p: &BTreeMap<String, String>) -> Self {
        let get = |k: &str| p.get(k).cloned().unwrap_or_default();
        Self {
            gateway: "vnpay",
            outcome: vnpay::outcome(&get("vnp_ResponseCode"), &get("vnp_TransactionStatus")),
            txn_ref: get("vnp_TxnRef"),
            amount_vnd: p
                .get("vnp_Amount")
                .and_then(|a| vnpay::from_protocol_amount(a)),
            response_code: get("vnp_ResponseCode"),
            transaction_status: get("vnp_TransactionStatus"),
            transaction_no: get("vnp_TransactionNo"),
            bank_code: get("vnp_BankCode"),
            pay_date: get("vnp_PayDate"),
        }
    }

    pub fn outcome(&self) -> vnpay::Outcome {
        self.outcome
    }
}

/// The configured gateway.
#[derive(Clone)]
pub struct Gateway {
    pub tmn_code: String,
    secret: String,
    pub pay_url: String,
    pub api_url: String,
    pub return_url: String,
    pub expire_minutes: i64,
    pub transport: Arc<dyn Transport>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("tmn_code", &self.tmn_code)
            .field("pay_url", &self.pay_url)
            .finish_non_exhaustive()
    }
}

/// The path of the sandbox's payment page and API on the portal.
pub const SANDBOX_PAY_PATH: &str = "/sandbox/vnpay/paymentv2/vpcpay.html";
pub const SANDBOX_API_PATH: &str = "/sandbox/vnpay/merchant_webapi/api/transaction";
pub const RETURN_PATH: &str = "/thanh-toan/ket-qua";
pub const IPN_PATH: &str = "/api/v1/payments/vnpay/ipn";

impl Gateway {
    pub fn from_settings(settings: &Settings, transport: Arc<dyn Transport>) -> Self {
        let origin = settings.public_origin.trim_end_matches('/');
        let or_sandbox = |url: &str, path: &str| {
            if url.is_empty() {
                format!("{origin}{path}")
            } else {
                url.to_owned()
            }
        };
        Self {
            tmn_code: settings.vnpay_tmn_code.clone(),
            secret: settings.vnpay_secret.clone(),
            pay_url: or_sandbox(&settings.vnpay_pay_url, SANDBOX_PAY_PATH),
            api_url: or_sandbox(&settings.vnpay_api_url, SANDBOX_API_PATH),
            return_url: format!("{origin}{RETURN_PATH}"),
            expire_minutes: settings.payment_expire_minutes,
            transport,
        }
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The signed link that sends the citizen's browser to the gateway.
    pub fn pay_link(
        &self,
        txn_ref: &str,
        amount_vnd: i64,
        order_info: &str,
        client_ip: &str,
        english: bool,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let amount = vnpay::to_protocol_amount(amount_vnd)?;
        let params: BTreeMap<String, String> = [
            ("vnp_Version", vnpay::VERSION.to_owned()),
            ("vnp_Command", "pay".to_owned()),
            ("vnp_TmnCode", self.tmn_code.clone()),
            ("vnp_Amount", amount.to_string()),
            ("vnp_CreateDate", vnpay::timestamp(now)),
            (
                "vnp_ExpireDate",
                vnpay::timestamp(now + Duration::minutes(self.expire_minutes)),
            ),
            ("vnp_CurrCode", "VND".to_owned()),
            ("vnp_IpAddr", client_ip.to_owned()),
            ("vnp_Locale", if english { "en" } else { "vn" }.to_owned()),
            ("vnp_OrderInfo", vnpay::ascii_info(order_info)),
            ("vnp_OrderType", "billpayment".to_owned()),
            ("vnp_ReturnUrl", self.return_url.clone()),
            ("vnp_TxnRef", txn_ref.to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Some(format!(
            "{}?{}",
            self.pay_url,
            vnpay::signed_query(&params, &self.secret)
        ))
    }

    pub fn verify(&self, params: &BTreeMap<String, String>) -> bool {
        vnpay::verify(params, &self.secret)
    }

    /// querydr: what the gateway knows of `txn_ref` (created at `created`); None when the
    /// answer's signature is wrong.
    pub async fn query(
        &self,
        txn_ref: &str,
        created: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<GatewayResult>> {
        let request_id = uuid::Uuid::new_v4().simple().to_string();
        let (create_date, transaction_date) = (vnpay::timestamp(now), vnpay::timestamp(created));
        let info = "Truy van giao dich";
        let hash = vnpay::pipe_hash(
            &[
                &request_id,
                vnpay::VERSION,
                "querydr",
                &self.tmn_code,
                txn_ref,
                &transaction_date,
                &create_date,
                "127.0.0.1",
                info,
            ],
            &self.secret,
        );
        let body = json!({
            "vnp_RequestId": request_id,
            "vnp_Version": vnpay::VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": info,
            "vnp_TransactionDate": transaction_date,
            "vnp_CreateDate": create_date,
            "vnp_IpAddr": "127.0.0.1",
            "vnp_SecureHash": hash,
        });
        let answer = self.transport.post_json(&self.api_url, &body).await?;
        let s = |k: &str| {
            answer
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let fields = [
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
            "vnp_PromotionCode",
            "vnp_PromotionAmount",
        ]
        .map(s);
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        if !vnpay::verify_pipe(&refs, &s("vnp_SecureHash"), &self.secret) {
            return Ok(None);
        }
        if s("vnp_ResponseCode") != "00" {
            // the gateway knows no such transaction (yet)
            return Ok(Some(GatewayResult {
                gateway: "vnpay",
                outcome: vnpay::Outcome::Pending,
                txn_ref: txn_ref.to_owned(),
                amount_vnd: None,
                response_code: s("vnp_ResponseCode"),
                transaction_status: String::new(),
                transaction_no: String::new(),
                bank_code: String::new(),
                pay_date: String::new(),
            }));
        }
        let status = s("vnp_TransactionStatus");
        Ok(Some(GatewayResult {
            gateway: "vnpay",
            outcome: vnpay::outcome(if status == "00" { "00" } else { &status }, &status),
            txn_ref: s("vnp_TxnRef"),
            amount_vnd: vnpay::from_protocol_amount(&s("vnp_Amount")),
            // querydr's own code is about the query; the transaction's is its status
            response_code: if s("vnp_TransactionStatus") == "00" {
                "00".to_owned()
            } else {
                s("vnp_TransactionStatus")
            },
            transaction_status: s("vnp_TransactionStatus"),
            transaction_no: s("vnp_TransactionNo"),
            bank_code: s("vnp_BankCode"),
            pay_date: s("vnp_PayDate"),
        }))
    }

    /// refund: full ("02") or partial ("03"); the gateway's response code.
    #[allow(clippy::too_many_arguments)]
    pub async fn refund(
        &self,
        txn_ref: &str,
        transaction_no: &str,
        amount_vnd: i64,
        full: bool,
        created: DateTime<Utc>,
        by: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let request_id = uuid::Uuid::new_v4().simple().to_string();
        let amount = vnpay::to_protocol_amount(amount_vnd)
            .ok_or_else(|| anyhow::anyhow!("amount"))?
            .to_string();
        let kind = if full { "02" } else { "03" };
        let (create_date, transaction_date) = (vnpay::timestamp(now), vnpay::timestamp(created));
        let info = "Hoan tien le phi";
        let hash = vnpay::pipe_hash(
            &[
                &request_id,
                vnpay::VERSION,
                "refund",
                &self.tmn_code,
                kind,
                txn_ref,
                &amount,
                transaction_no,
                &transaction_date,
                by,
                &create_date,
                "127.0.0.1",
                info,
            ],
            &self.secret,
        );
        let body = json!({
            "vnp_RequestId": request_id,
            "vnp_Version": vnpay::VERSION,
            "vnp_Command": "refund",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionType": kind,
            "vnp_TxnRef": txn_ref,
            "vnp_Amount": amount,
            "vnp_TransactionNo": transaction_no,
            "vnp_TransactionDate": transaction_date,
            "vnp_CreateBy": by,
            "vnp_CreateDate": create_date,
            "vnp_IpAddr": "127.0.0.1",
            "vnp_OrderInfo": info,
            "vnp_SecureHash": hash,
        });
        let answer = self.transport.post_json(&self.api_url, &body).await?;
        let field = |k: &str| {
            answer
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        // an answer that does not carry the gateway's signature is not believed: the refund
        // is recorded as failed ("97", as the gateway says of a bad checksum), never as done
        if !vnpay::refund_reply_verified(field, &self.secret) {
            return Ok("97".to_owned());
        }
        Ok(answer
            .get("vnp_ResponseCode")
            .and_then(Value::as_str)
            .unwrap_or("99")
            .to_owned())
    }
}
