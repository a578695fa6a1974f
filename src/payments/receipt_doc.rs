//! The receipt as a document: its series and number, its PDF and its signature. The receipt
//! pages (`receipt.rs`) and the notification worker (which attaches it) use this.

use chrono::Datelike;
use uuid::Uuid;

use super::repo::{self, ReceiptRow};
use super::words::vnd_in_words;
use crate::deadlines::calendar::to_local;
use crate::dossiers::pdf::{self, Notice, NoticeTable};
use crate::kernel::Lang;
use crate::kernel::money::format_vnd;

/// The series symbol of a year: the book's letters and the year's last two digits.
pub fn series(prefix: &str, year: i32) -> String {
    format!("{prefix}{:02}", year.rem_euclid(100))
}

/// "0000123": receipt numbers have up to 7 digits.
pub fn number(n: i32) -> String {
    format!("{n:07}")
}

/// The signing hook (see the module note): the signed PDF. Unsigned for now.
pub fn sign(pdf: Vec<u8>) -> Vec<u8> {
    pdf
}

pub(crate) fn notice(r: &ReceiptRow, tracking_url: String) -> Notice {
    let issued = to_local(r.issued_at);
    let mut paragraphs = vec![
        format!(
            "Mẫu số: {}    Ký hiệu: {}    Số: {}",
            r.template_symbol,
            series(&r.series_prefix, r.year),
            number(r.number)
        ),
        format!("Đơn vị thu: {}", r.agency_vi),
        format!("Mã số thuế: {}", r.tax_code),
    ];
    if let Some(a) = &r.agency_address {
        paragraphs.push(format!("Địa chỉ: {a}"));
    }
    paragraphs.extend([
        format!("Họ tên người nộp: {}", r.applicant_name),
        format!("Địa chỉ: {}", r.applicant_address),
        format!(
            "Hồ sơ: {} — {}",
            r.code.clone().unwrap_or_default(),
            r.procedure_vi
        ),
        format!(
            "Hình thức thanh toán: {}",
            Lang::Vi.t(&format!("payment.method_{}", r.method))
        ),
    ]);
    let mut rows: Vec<Vec<String>> = r
        .items
        .0
        .iter()
        .enumerate()
        .map(|(i, item)| {
            vec![
                (i + 1).to_string(),
                item.label.clone(),
                item.quantity.to_string(),
                format_vnd(item.amount_vnd),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        "Tổng cộng".to_owned(),
        String::new(),
        format_vnd(r.amount_vnd),
    ]);
    Notice {
        unit: r.agency_vi.clone(),
        sub_unit: String::new(),
        place_date: format!(
            "Ngày {:02} tháng {:02} năm {}",
            issued.day(),
            issued.month(),
            issued.year()
        ),
        title: "BIÊN LAI THU PHÍ, LỆ PHÍ (điện tử)".to_owned(),
        code: r.code.clone().unwrap_or_default(),
        paragraphs,
        table: Some(NoticeTable {
            headers: vec![
                "STT".into(),
                "Nội dung thu".into(),
                "Số lượng".into(),
                "Số tiền".into(),
            ],
            widths: vec![35.0, 275.0, 60.0, 105.0],
            rows,
        }),
        signer_title: "NGƯỜI THU TIỀN".to_owned(),
        signer: "(chưa ký số — chức năng ký số sẽ được bổ sung)".to_owned(),
        form_note: format!(
            "Số tiền bằng chữ: {}. Biên lai điện tử theo Nghị định 123/2020/NĐ-CP (sửa đổi bởi Nghị định \
             70/2025/NĐ-CP) và Thông tư 32/2025/TT-BTC.",
            vnd_in_words(u64::try_from(r.amount_vnd).unwrap_or_default())
        ),
        tracking_url,
    }
}

/// The e-receipt as a signed PDF, and its file name.
pub(crate) async fn pdf_of(origin: &str, r: ReceiptRow) -> anyhow::Result<(String, Vec<u8>)> {
    let code = r.code.clone().unwrap_or_default();
    let url = format!("{origin}/tra-cuu?code={}", crate::web::paths::encode(&code));
    let name = format!(
        "bien-lai-{}-{}.pdf",
        series(&r.series_prefix, r.year),
        number(r.number)
    );
    let n = notice(&r, url);
    let bytes = tokio::task::spawn_blocking(move || pdf::notice(&n).map(sign)).await??;
    Ok((name, bytes))
}

/// The e-receipt `receipt` as a PDF and its file name, for the e-mail that says it was paid.
pub async fn pdf_bytes(
    db: &sqlx::PgPool,
    origin: &str,
    receipt: Uuid,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let mut conn = db.acquire().await?;
    let Some(r) = repo::receipt(&mut conn, receipt).await? else {
        return Ok(None);
    };
    drop(conn);
    Ok(Some(pdf_of(origin, r).await?))
}
