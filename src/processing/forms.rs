//! Forms 02–06 of Circular 03/2025 filled from a dossier and its history. The layouts are
//! reconstructed from the Circular 01/2018 predecessors (DOMAIN.md §15 1.3) and say so at
//! their foot; the words the decree requires (reasons, one-time guidance, the new date, the
//! early/on-time/late judgement of every hand-over) are all there.

use axum::response::Response;
use chrono::Utc;
use sqlx::PgPool;
use uuid::Uuid;

use super::repo::{self, HistoryRow, StaffDossier};
use crate::deadlines::calendar::{Timeliness, timeliness, to_local};
use crate::dossiers::forms::place_date;
use crate::dossiers::pdf::{self, Notice, NoticeTable};
use crate::dossiers::workflow::Action;
use crate::web::{AppError, AppResult, download, paths};

fn long(at: chrono::DateTime<Utc>) -> String {
    to_local(at)
        .format("%H giờ %M phút, ngày %d/%m/%Y")
        .to_string()
}

fn latest<'a>(history: &'a [HistoryRow], actions: &[&str]) -> Option<&'a HistoryRow> {
    history
        .iter()
        .rev()
        .find(|h| actions.contains(&h.action.as_str()))
}

fn judged(t: Timeliness) -> &'static str {
    match t {
        Timeliness::Early => "Trước hạn",
        Timeliness::OnTime => "Đúng hạn",
        Timeliness::Late => "Quá hạn",
    }
}

/// Whether a dossier has a result to hand over (or has ended): its cover carries the rating
/// link.
pub fn has_cover(status: crate::dossiers::DossierStatus) -> bool {
    use crate::dossiers::DossierStatus as S;
    matches!(status, S::ResultReady | S::OutForDelivery) || crate::evaluations::ended(status)
}

fn applicant_lines(d: &StaffDossier) -> Vec<String> {
    vec![
        format!("Hồ sơ của: {}", d.applicant_name),
        format!("Địa chỉ: {}", d.applicant_address),
        format!(
            "Số điện thoại: {}    Thư điện tử: {}",
            d.applicant_phone, d.applicant_email
        ),
        format!("Nội dung yêu cầu giải quyết: {}", d.procedure_vi),
    ]
}

/// The notice for form `number` ("02"…"06"), if the dossier has one.
pub fn build(
    d: &StaffDossier,
    history: &[HistoryRow],
    number: &str,
    tracking_url: String,
) -> Option<Notice> {
    let code = d.code.clone().unwrap_or_default();
    let receiving = d.receiving_vi.clone().unwrap_or_default();
    let competent = d.competent_vi.clone().unwrap_or_else(|| receiving.clone());
    let reconstructed = "(bố cục tái dựng theo mẫu Thông tư 01/2018/TT-VPCP; đối chiếu Phụ lục I \
                         Thông tư 03/2025/TT-VPCP trước khi dùng chính thức)";
    let one_stop = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".to_owned();
    let notice = match number {
        "02" => {
            let e = latest(
                history,
                &[
                    Action::ReturnForCompletion.as_str(),
                    Action::RequestSupplement.as_str(),
                ],
            )?;
            let mut p = applicant_lines(d);
            p.push("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:".into());
            let items = crate::dossiers::domain::items_asked(&e.details.0)
                .unwrap_or_else(|| vec![e.note.clone()]);
            for (i, item) in items.iter().enumerate() {
                p.push(format!("{}. {item}", i + 1));
            }
            p.push(format!("Lý do: {}", e.note));
            if e.action == Action::RequestSupplement.as_str() {
                p.push(format!(
                    "Yêu cầu này được đưa ra một lần trong quá trình giải quyết. Ông (bà) bổ sung \
                     hồ sơ trước {}; quá thời hạn này hồ sơ sẽ bị đóng trên Hệ thống. Thời hạn giải \
                     quyết được tính lại từ đầu khi nhận đủ hồ sơ (Nghị định 118/2025/NĐ-CP, Điều 19).",
                    d.supplement_due_at.map(long).unwrap_or_default()
                ));
            }
            p.push(format!(
                "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông (bà) liên hệ với {} ({}) \
                 để được hướng dẫn.",
                e.actor_name.clone().unwrap_or_default(),
                e.agency_vi.clone().unwrap_or_else(|| receiving.clone())
            ));
            Notice {
                unit: receiving.clone(),
                sub_unit: one_stop,
                place_date: place_date(e.at),
                title: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ".into(),
                code,
                paragraphs: p,
                table: None,
                signer_title: "NGƯỜI HƯỚNG DẪN".into(),
                signer: e.actor_name.clone().unwrap_or_default(),
                form_note: format!("Mẫu số 02 {reconstructed}"),
                tracking_url,
            }
        }
        "03" => {
            let e = latest(
                history,
                &[
                    Action::RefuseAtReception.as_str(),
                    Action::RefuseOnMerits.as_str(),
                ],
            )?;
            let at_reception = e.action == Action::RefuseAtReception.as_str();
            let mut p = applicant_lines(d);
            p.push(format!(
                "Sau khi nghiên cứu, căn cứ quy định của pháp luật, cơ quan, đơn vị không tiếp nhận, \
                 giải quyết hồ sơ này với lý do cụ thể như sau: {}",
                e.note
            ));
            p.push("Xin thông báo để ông (bà) được biết và thực hiện.".into());
            Notice {
                unit: if at_reception {
                    receiving.clone()
                } else {
                    competent.clone()
                },
                sub_unit: if at_reception {
                    one_stop
                } else {
                    String::new()
                },
                place_date: place_date(e.at),
                title: if at_reception {
                    "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ".into()
                } else {
                    "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ".into()
                },
                code,
                paragraphs: p,
                table: None,
                signer_title: if at_reception {
                    "NGƯỜI TIẾP NHẬN HỒ SƠ".into()
                } else {
                    "THỦ TRƯỞNG CƠ QUAN".into()
                },
                signer: e.actor_name.clone().unwrap_or_default(),
                form_note: format!("Mẫu số 03 {reconstructed}"),
                tracking_url,
            }
        }
        "04" => {
            let e = latest(history, &[Action::Reschedule.as_str()])?;
            let original = e
                .details
                .0
                .get("original_due_at")
                .and_then(|v| v.as_str())
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .map(|t| long(t.with_timezone(&Utc)))
                .unwrap_or_default();
            let new = e
                .details
                .0
                .get("new_due_at")
                .and_then(|v| v.as_str())
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .map(|t| long(t.with_timezone(&Utc)))
                .unwrap_or_default();
            let p = vec![
                format!("Kính gửi: {}", d.applicant_name),
                format!(
                    "Vào lúc {}, {} tiếp nhận giải quyết hồ sơ của ông (bà), mã hồ sơ {}, nội \
                     dung yêu cầu giải quyết: {}.",
                    d.received_at.map(long).unwrap_or_default(),
                    receiving,
                    code,
                    d.procedure_vi
                ),
                format!("Thời gian hẹn trả kết quả giải quyết hồ sơ: {original}."),
                format!(
                    "Tuy nhiên đến nay, {competent} chưa trả kết quả giải quyết hồ sơ đúng thời hạn, \
                     lý do: {}",
                    e.note
                ),
                format!(
                    "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của ông (bà). \
                     {competent} xin lỗi ông (bà) và đề nghị gia hạn, sẽ trả kết quả giải quyết hồ \
                     sơ vào {new}."
                ),
                "Việc hẹn lại ngày trả kết quả chỉ thực hiện một lần (Nghị định 118/2025/NĐ-CP, \
                 Điều 19 khoản 6)."
                    .into(),
            ];
            Notice {
                unit: competent.clone(),
                sub_unit: String::new(),
                place_date: place_date(e.at),
                title: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT".into(),
                code,
                paragraphs: p,
                table: None,
                signer_title: "THỦ TRƯỞNG CƠ QUAN".into(),
                signer: e.actor_name.clone().unwrap_or_default(),
                form_note: format!("Mẫu số 04 {reconstructed}"),
                tracking_url,
            }
        }
        "05" => {
            let e = latest(history, &[Action::Stop.as_str()])?;
            let mut p = applicant_lines(d);
            p.push(format!(
                "Vào lúc {}, ông (bà) {} đề nghị dừng giải quyết hồ sơ{}.",
                long(e.at),
                d.applicant_name,
                if e.note.is_empty() {
                    String::new()
                } else {
                    format!(" với lý do: {}", e.note)
                }
            ));
            p.push(
                "Đến thời điểm này, cơ quan có thẩm quyền chưa ban hành quyết định giải quyết thủ tục \
                 hành chính hoặc văn bản thông báo kết quả giải quyết thủ tục hành chính."
                    .into(),
            );
            p.push(format!(
                "{receiving} thông báo dừng giải quyết hồ sơ kể từ {}.",
                long(e.at)
            ));
            p.push(
                "Việc trả lại hồ sơ giấy và phí, lệ phí (nếu có) thực hiện theo quy định của pháp \
                 luật chuyên ngành (Nghị định 118/2025/NĐ-CP, Điều 21)."
                    .into(),
            );
            Notice {
                unit: receiving.clone(),
                sub_unit: one_stop,
                place_date: place_date(e.at),
                title: "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ".into(),
                code,
                paragraphs: p,
                table: None,
                signer_title: "NGƯỜI TIẾP NHẬN HỒ SƠ".into(),
                signer: e
                    .actor_name
                    .clone()
                    .filter(|_| e.actor_kind == "staff")
                    .unwrap_or_default(),
                form_note: format!("Mẫu số 05 {reconstructed}"),
                tracking_url,
            }
        }
        // the result's cover: handed over with the result, its QR code the dossier's rating
        // link (Decree 118 Art. 31), `tracking_url` being that link
        "bia" => {
            if !has_cover(d.status) {
                return None;
            }
            let mut p = applicant_lines(d);
            p.push(format!("Mã hồ sơ: {code}"));
            p.push(format!(
                "Thời gian trả kết quả: {}",
                d.result_at.or(d.due_at).map(long).unwrap_or_default()
            ));
            p.push(
                "Mời ông (bà) quét mã QR dưới đây để đánh giá việc giải quyết hồ sơ (Nghị định \
                 118/2025/NĐ-CP, Điều 31 và 33). Đánh giá không cần đăng nhập, chỉ dùng cho hồ sơ \
                 này và được công khai cùng kết quả đánh giá của cơ quan, không kèm thông tin cá \
                 nhân."
                    .into(),
            );
            Notice {
                unit: competent.clone(),
                sub_unit: one_stop,
                place_date: place_date(d.result_at.or(d.returned_at).unwrap_or_else(Utc::now)),
                title: "BÌA HỒ SƠ KẾT QUẢ".into(),
                code,
                paragraphs: p,
                table: None,
                signer_title: String::new(),
                signer: String::new(),
                form_note: "Bìa kết quả — mã QR đánh giá việc giải quyết hồ sơ".into(),
                tracking_url,
            }
        }
        "06" => {
            d.received_at?;
            let p = vec![
                format!("Kèm theo hồ sơ của: {}", d.applicant_name),
                format!("Mã hồ sơ: {code}"),
                format!("Cơ quan (bộ phận) giải quyết hồ sơ: {competent}"),
                format!("Cơ quan phối hợp giải quyết hồ sơ: {}", {
                    let mut partners: Vec<String> = history
                        .iter()
                        .filter(|h| h.action == Action::SendToCooperation.as_str())
                        .filter_map(|h| h.to_agency_vi.clone())
                        .collect();
                    partners.dedup();
                    partners.join("; ")
                }),
            ];
            let rows = handovers(history)
                .map(|h| {
                    let giver = match (&h.actor_name, &h.agency_vi) {
                        (Some(n), Some(a)) => format!("{n} ({a})"),
                        (Some(n), None) => n.clone(),
                        _ => "Hệ thống".to_owned(),
                    };
                    let receiver = h
                        .to_staff_name
                        .clone()
                        .or_else(|| h.to_agency_vi.clone())
                        .unwrap_or_default();
                    let result = h
                        .step_due_at
                        .map(|due| judged(timeliness(to_local(h.at), to_local(due))))
                        .unwrap_or("");
                    vec![
                        format!(
                            "{}\\n→ {}",
                            h.agency_vi.clone().unwrap_or_default(),
                            h.to_agency_vi.clone().unwrap_or_default()
                        ),
                        format!("1. Giao: {giver}\\n2. Nhận: {receiver}\\n{}", long(h.at)),
                        result.to_owned(),
                        crate::kernel::Lang::Vi
                            .t(&format!("action.{}", h.action))
                            .into_owned(),
                    ]
                })
                .collect();
            Notice {
                unit: receiving.clone(),
                sub_unit: one_stop,
                // the day of its last hand-over: printed again, it reads the same
                place_date: place_date(history.last().map_or_else(Utc::now, |h| h.at)),
                title: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ".into(),
                code,
                paragraphs: p,
                table: Some(NoticeTable {
                    headers: vec![
                        "TÊN CƠ QUAN".into(),
                        "THỜI GIAN GIAO, NHẬN HỒ SƠ".into(),
                        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)".into(),
                        "GHI CHÚ".into(),
                    ],
                    widths: vec![125.0, 165.0, 80.0, 105.0],
                    rows,
                }),
                signer_title: String::new(),
                signer: String::new(),
                form_note: format!(
                    "Mẫu số 06 {reconstructed}. Hồ sơ chuyển qua bưu chính: thời gian và chữ ký \
                     ghi trên phiếu gửi của bưu điện."
                ),
                tracking_url,
            }
        }
        _ => return None,
    };
    Some(notice)
}

/// The hand-overs of the history (Form 06 rows): events that passed the dossier to someone.
pub fn handovers(history: &[HistoryRow]) -> impl Iterator<Item = &HistoryRow> {
    history
        .iter()
        .filter(|h| h.to_agency_id_known() || h.to_staff_name.is_some())
}

impl HistoryRow {
    fn to_agency_id_known(&self) -> bool {
        self.to_agency_vi.is_some()
    }
}

/// A form as a printable page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "forms/notice.html")]
pub struct NoticePage {
    pub n: Notice,
    pub css: &'static str,
}

/// What a notice's QR code opens: the dossier's rating link on the result's cover, else public
/// tracking.
async fn qr_url(
    db: &PgPool,
    public_origin: &str,
    id: Uuid,
    number: &str,
    code: &str,
) -> AppResult<String> {
    if number == "bia" {
        let mut conn = db.acquire().await?;
        let token = crate::evaluations::link_token(&mut conn, id).await?;
        return Ok(format!("{public_origin}/danh-gia/{token}"));
    }
    Ok(format!(
        "{public_origin}/tra-cuu?code={}",
        paths::encode(code)
    ))
}

/// Form `file` ("01.pdf" … "06.html", "bia.pdf") of a dossier: the PDF, or the printable page; 404 when
/// the dossier has none.
pub async fn respond(
    db: &PgPool,
    public_origin: &str,
    id: Uuid,
    file: &str,
) -> AppResult<Response> {
    use axum::response::IntoResponse;
    let (number, html) = match (file.strip_suffix(".pdf"), file.strip_suffix(".html")) {
        (Some(n), _) => (n, false),
        (_, Some(n)) => (n, true),
        _ => return Err(AppError::NotFound),
    };
    if number == "01" {
        let form = crate::dossiers::forms::form01_data(db, public_origin, id).await?;
        return if html {
            Ok(NoticePage {
                n: pdf::form01_notice(&form),
                css: crate::web::assets::url("app.css"),
            }
            .into_response())
        } else {
            crate::dossiers::forms::form01_response(db, public_origin, id).await
        };
    }
    if !html {
        return response(db, public_origin, id, number).await;
    }
    let mut conn = db.acquire().await?;
    let d = repo::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let history = repo::history(&mut conn, id).await?;
    drop(conn);
    let code = d.code.clone().unwrap_or_default();
    let url = qr_url(db, public_origin, id, number, &code).await?;
    let n = build(&d, &history, number, url).ok_or(AppError::NotFound)?;
    Ok(NoticePage {
        n,
        css: crate::web::assets::url("app.css"),
    }
    .into_response())
}

/// Form `number` of a dossier as a PDF download; 404 when the dossier has none.
pub async fn response(
    db: &PgPool,
    public_origin: &str,
    id: Uuid,
    number: &str,
) -> AppResult<Response> {
    let mut conn = db.acquire().await?;
    let d = repo::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let history = repo::history(&mut conn, id).await?;
    drop(conn);
    let code = d.code.clone().unwrap_or_default();
    let url = qr_url(db, public_origin, id, number, &code).await?;
    let notice = build(&d, &history, number, url).ok_or(AppError::NotFound)?;
    let bytes = tokio::task::spawn_blocking(move || pdf::notice(&notice))
        .await
        .map_err(anyhow::Error::from)??;
    Ok(download::attachment(
        bytes,
        "application/pdf",
        &format!("mau-{number}-{code}.pdf"),
    ))
}
