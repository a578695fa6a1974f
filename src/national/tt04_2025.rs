//! The exchange with the National Public Service Portal (DVCQG) as this portal reads it today,
//! profile `tt04-2025`: the national status codes, the wire formats of dates and texts, the two
//! outbound messages (`DongBoHoSoMC`, `CapNhatTienDoHoSoMC`) and how the national side's answers
//! are read.
//!
//! The official annex of Circular 04/2025/TT-VPCP is not public. Every field below names where
//! it was seen, with the keys of `../shared/reference/national-portal.md` §7:
//! - **TH**: Thanh Hóa's production back office (public thesis copy), `SyncLocalDataToDVCQGService`;
//! - **OCPS**: OpenCPS, `SyncDVCQGScheduler` and the DVCQG adapter;
//! - **F766**: the national indicators of Decision 766/QĐ-TTg (DOMAIN §7.1);
//! - **[E]**: this project's reading where the sources are silent.
//!
//! A province that obtains the official text corrects this one module (and its tests); nothing
//! else in the portal knows a national field name or code.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::dossiers::DossierStatus;
use crate::dossiers::workflow::Step;

/// The profile's name, sent nowhere but stored with every delivery (`national_sync_outbox`).
pub const PROFILE: &str = "tt04-2025";

/// The national dossier status (`TrangThaiHoSo`, `TrangThai`), 1–10, as two independent code
/// bases list it (TH `ApplicationDbSeeder`, a 2026 ministry portal's sync test page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NationalStatus {
    /// 1 Mới đăng ký
    New = 1,
    /// 2 Được tiếp nhận
    Accepted = 2,
    /// 3 Không được tiếp nhận
    NotAccepted = 3,
    /// 4 Đang xử lý
    Processing = 4,
    /// 5 Yêu cầu bổ sung giấy tờ
    SupplementRequested = 5,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính
    FinancialObligation = 6,
    /// 7 Công dân yêu cầu rút hồ sơ
    Withdrawn = 7,
    /// 8 Dừng xử lý
    Stopped = 8,
    /// 9 Đã xử lý xong
    Done = 9,
    /// 10 Đã trả kết quả
    Returned = 10,
}

impl NationalStatus {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The national list's own words.
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "Mới đăng ký",
            Self::Accepted => "Được tiếp nhận",
            Self::NotAccepted => "Không được tiếp nhận",
            Self::Processing => "Đang xử lý",
            Self::SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            Self::FinancialObligation => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Self::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Self::Stopped => "Dừng xử lý",
            Self::Done => "Đã xử lý xong",
            Self::Returned => "Đã trả kết quả",
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => Self::New,
            2 => Self::Accepted,
            3 => Self::NotAccepted,
            4 => Self::Processing,
            5 => Self::SupplementRequested,
            6 => Self::FinancialObligation,
            7 => Self::Withdrawn,
            8 => Self::Stopped,
            9 => Self::Done,
            10 => Self::Returned,
            _ => return None,
        })
    }
}

/// The one table from this portal's statuses (and processing steps) to the national code.
/// `None` for a draft, which the nation never sees. Statuses 5, 6 and 8 stay what they are:
/// TH rewrites them as 9 before syncing, an anti-pattern (reference §0.8).
pub fn national_status(status: DossierStatus, step: Option<Step>) -> Option<NationalStatus> {
    use DossierStatus as S;
    use NationalStatus as N;
    // the step inside processing (assignment, appraisal, signature) is all "Đang xử lý": the
    // national list has no finer code; progress items say which step it is
    let _ = step;
    Some(match status {
        S::Draft => return None,
        // filed, not yet accepted; a fee due before reception does not change that [E]
        S::Submitted | S::AwaitingPayment => N::New,
        // Form 02 at reception asks for completion: the national list's "bổ sung" [E]
        S::ReturnedForCompletion | S::SupplementRequested => N::SupplementRequested,
        S::RefusedAtReception => N::NotAccepted,
        S::Received => N::Accepted,
        // an inter-agency step is still processing; the sub-dossier is never synced on its own
        // (OCPS issue 1434)
        S::Processing | S::WaitingCooperation => N::Processing,
        S::WaitingFinancial => N::FinancialObligation,
        S::Stopped => N::Stopped,
        S::Withdrawn => N::Withdrawn,
        // a refusal on the merits ends processing with a written answer (Form 03), which is
        // the dossier's result: processed [E]
        S::RefusedOnMerits | S::ResultReady | S::OutForDelivery => N::Done,
        S::Returned => N::Returned,
    })
}

/// `yyyyMMddHHmmss` in Vietnam time (TH `FormatDate`, OCPS `APIDateTimeUtils`).
pub fn timestamp(at: DateTime<Utc>) -> String {
    crate::deadlines::calendar::to_local(at)
        .format("%Y%m%d%H%M%S")
        .to_string()
}

/// An optional instant in the wire format; the empty string when there is none (TH sends "").
pub fn timestamp_or_empty(at: Option<DateTime<Utc>>) -> String {
    at.map(timestamp).unwrap_or_default()
}

/// Reads the wire format back as an instant (Vietnam time); `None` when empty or malformed.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    use chrono::TimeZone as _;
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S").ok()?;
    Some(Utc.from_utc_datetime(&(naive - chrono::Duration::hours(7))))
}

/// Field limits seen in TH: the summary, the official's name, a file name.
pub const SUMMARY_MAX: usize = 1000;
pub const OFFICIAL_MAX: usize = 50;
pub const FILE_NAME_MAX: usize = 4000;

/// `text` within `max` characters: whole when it fits, else cut after the last whole word
/// that fits with "…" (TH cuts at 995 characters, mid-word).
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let keep: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match keep.rfind(char::is_whitespace) {
        Some(space) if space > 0 => keep[..space].trim_end(),
        // one word longer than the limit: cut it (nothing better exists)
        _ => keep.as_str(),
    };
    format!("{cut}…")
}

/// Whether a dossier filed under a national sign-in of level of assurance `loa` counts as
/// "account verified with VNeID" (`TaiKhoanDuocXacThucVoiVNeID`, F766 4.5): level 2 or higher,
/// the level of an identity checked against the population database in person [E]; level 1 and
/// the portal's own accounts do not.
pub fn verified_with_vneid(loa: Option<&str>) -> bool {
    matches!(loa.map(str::trim), Some("LoA2" | "LoA3" | "LoA4"))
}

/// "0"/"1" flags as the national side reads them.
pub fn flag(b: bool) -> String {
    if b { "1" } else { "0" }.to_owned()
}

/// A document submitted (`TaiLieuNop[]`; TH, OCPS).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SubmittedDocument {
    #[serde(rename = "TepDinhKemId")]
    pub id: String,
    /// ≤ 4000 characters (TH)
    #[serde(rename = "TenTepDinhKem")]
    pub name: String,
    #[serde(rename = "IsDeleted")]
    pub is_deleted: String,
    /// the procedure's component code [E: our document position until the national codes are
    /// mapped]
    #[serde(rename = "MaThanhPhanHoSo")]
    pub component: String,
    /// a signed, expiring download link (TH sends public links; reference §5.2)
    #[serde(rename = "DuongDanTaiTepTin")]
    pub url: String,
    /// "1": digitised (every file here is)
    #[serde(rename = "DuocSoHoa")]
    pub digitised: String,
    /// "1": reused from an earlier dossier (F766 4.4)
    #[serde(rename = "DuocTaiSuDung")]
    pub reused: String,
    #[serde(rename = "DuocLayTuKhoDMQG")]
    pub from_national_store: String,
}

/// A fee paid (`DanhSachLePhi[]`; TH sends paid, non-zero fees only).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FeePaid {
    #[serde(rename = "TenPhiLePhi")]
    pub name: String,
    #[serde(rename = "MaPhiLePhi")]
    pub code: String,
    /// 1 at reception (TH hard-codes 1; MOHA: 2 at supplement, 4 at result)
    #[serde(rename = "HinhThucThu")]
    pub when: String,
    #[serde(rename = "Gia")]
    pub amount: String,
    #[serde(rename = "LoaiPhiLePhi")]
    pub kind: String,
}

/// A supplement round with the appointment before and after (`DanhSachHoSoBoSung[]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SupplementRound {
    #[serde(rename = "HoSoBoSungId")]
    pub id: String,
    #[serde(rename = "NguoiYeuCauBoSung")]
    pub requested_by: String,
    #[serde(rename = "NoiDungBoSung")]
    pub content: String,
    #[serde(rename = "NgayBoSung")]
    pub requested_at: String,
    #[serde(rename = "NgayTiepNhanBoSung")]
    pub received_at: String,
    /// "1" answered, "0" waiting [E]
    #[serde(rename = "TrangThaiBoSung")]
    pub answered: String,
    #[serde(rename = "NgayHenTraTruoc")]
    pub due_before: String,
    #[serde(rename = "NgayHenTraMoi")]
    pub due_after: String,
}

/// An electronic result (`DanhSachGiayToKetQua[]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ResultDocument {
    #[serde(rename = "TenGiayTo")]
    pub name: String,
    #[serde(rename = "GiayToId")]
    pub id: String,
    #[serde(rename = "DuongDanTepTinKetQua")]
    pub url: String,
    /// the procedure's national result code (`MaKetQuaChinh`); empty until mapped [E]
    #[serde(rename = "MaGiayToKetQua")]
    pub code: String,
}

/// An identity of the dossier's owner (`DinhDanhCHS[]`): 1 = 12-digit personal number.
/// Never a placeholder when there is none (TH sends "000000001").
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OwnerId {
    #[serde(rename = "LoaiDinhDanh")]
    pub kind: String,
    #[serde(rename = "SoDinhDanh")]
    pub number: String,
}

/// The full record of one dossier (`DongBoHoSoMC`), sent whole on creation and on every
/// change, so that a retry or a reordering never leaves the nation with half a change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DossierRecord {
    /// the TT 03/2025 code issued here, or the national code kept for a national dossier
    #[serde(rename = "MaHoSo")]
    pub code: String,
    #[serde(rename = "MaTTHC")]
    pub procedure_code: String,
    #[serde(rename = "TenTTHC")]
    pub procedure_name: String,
    #[serde(rename = "MaLinhVuc")]
    pub field_code: String,
    #[serde(rename = "TenLinhVuc")]
    pub field_name: String,
    /// 1 counter, 2 online, 3 public post (F766)
    #[serde(rename = "KenhThucHien")]
    pub channel: String,
    #[serde(rename = "ChuHoSo")]
    pub owner: String,
    #[serde(rename = "SoGiayToChuHoSo")]
    pub owner_id: String,
    /// 1 citizen (TH: 2 enterprise, 3 state agency, 4 other)
    #[serde(rename = "LoaiDoiTuong")]
    pub owner_kind: String,
    /// the submitter's national account `TechID`, online dossiers only (TH)
    #[serde(rename = "MaDoiTuong")]
    pub owner_tech_id: String,
    #[serde(rename = "Email")]
    pub email: String,
    #[serde(rename = "SoDienThoai")]
    pub phone: String,
    /// ≤ 1000 characters, cut at a word (TH: 995 + "…")
    #[serde(rename = "TrichYeuHoSo")]
    pub summary: String,
    #[serde(rename = "NgayNopHoSo")]
    pub submitted_at: String,
    #[serde(rename = "NgayTiepNhan")]
    pub received_at: String,
    #[serde(rename = "NgayHenTra")]
    pub due_at: String,
    #[serde(rename = "TrangThaiHoSo")]
    pub status: String,
    #[serde(rename = "NgayKetThucXuLy")]
    pub finished_at: String,
    #[serde(rename = "NgayTra")]
    pub returned_at: String,
    #[serde(rename = "NgayTuChoi")]
    pub refused_at: String,
    /// "1" by post, else "0" (OCPS)
    #[serde(rename = "HinhThuc")]
    pub by_post: String,
    #[serde(rename = "DonViXuLy")]
    pub agency: String,
    #[serde(rename = "HoSoCoThanhPhanSoHoa")]
    pub has_digitised: String,
    /// F766 4.5; set once national sign-in records the level of assurance (issue 21)
    #[serde(rename = "TaiKhoanDuocXacThucVoiVNeID")]
    pub vneid_verified: String,
    /// 0 none, 1 paid on the national platform, 2 on the province's own gateway (F766)
    #[serde(rename = "DuocThanhToanTrucTuyen")]
    pub paid_online: String,
    #[serde(rename = "DinhDanhCHS")]
    pub owner_ids: Vec<OwnerId>,
    #[serde(rename = "TaiLieuNop")]
    pub documents: Vec<SubmittedDocument>,
    #[serde(rename = "DanhSachLePhi")]
    pub fees: Vec<FeePaid>,
    #[serde(rename = "DanhSachHoSoBoSung")]
    pub supplements: Vec<SupplementRound>,
    #[serde(rename = "DanhSachGiayToKetQua")]
    pub results: Vec<ResultDocument>,
}

/// One hand-over (`CapNhatTienDoHoSoMC`; TH, OCPS).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProgressItem {
    #[serde(rename = "MaHoSo")]
    pub code: String,
    /// ≤ 50 characters (TH)
    #[serde(rename = "NguoiXuLy")]
    pub official: String,
    #[serde(rename = "ChucDanh")]
    pub title: String,
    #[serde(rename = "ThoiDiemXuLy")]
    pub at: String,
    #[serde(rename = "PhongBanXuLy")]
    pub unit: String,
    #[serde(rename = "NoiDungXuLy")]
    pub content: String,
    #[serde(rename = "TrangThai")]
    pub status: String,
    #[serde(rename = "NgayBatDau")]
    pub started_at: String,
    #[serde(rename = "NgayKetThucTheoQuyDinh")]
    pub due_at: String,
}

/// Progress items per call (TH sends at most 10).
pub const PROGRESS_PER_CALL: usize = 10;

/// The service names of the envelope (reference §2.2, style A).
pub const SERVICE_RECORD: &str = "DongBoHoSoMC";
pub const SERVICE_PROGRESS: &str = "CapNhatTienDoHoSoMC";

/// The pull transport's services (reference §2.5 example 2, TH DVCLT `LayDanhSachHoSo`,
/// `hosolienthong/{id}`, `CapNhatDaNhanHoSo`, spoken here in the same envelope [E]): the list
/// of dossiers waiting for the province, one dossier's detail, and the acknowledgement.
pub const SERVICE_PULL_LIST: &str = "LayDanhSachHoSo";
pub const SERVICE_PULL_DETAIL: &str = "LayChiTietHoSo";
pub const SERVICE_PULL_ACK: &str = "CapNhatDaNhanHoSo";

/// A dossier filed on the national portal, as it arrives (pushed, or the detail of a pull).
/// The generic post-07/2025 message is not public (reference §2.5 item 4): the fields are the
/// union of TH's pushed sector dossier (`MaHoSo, MaTTHC, NgayNopHoSo, TaiLieuNop[{TenTepDinhKem,
/// Base64}]`), the DVCLT pull (`maDonVi`, `fileDinhKem[].duLieuTepDinhKem` base64) and its
/// supplement's file URL fetched from the national host (`URLTepDangKy`); the owner's fields
/// are named as in the outbound record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct InboundDossier {
    /// the national dossier code, kept as this portal's code (TH)
    #[serde(rename = "MaHoSo")]
    pub code: String,
    #[serde(rename = "MaTTHC")]
    pub procedure_code: String,
    /// the receiving agency's electronic ID (DVCLT `maDonVi`)
    #[serde(rename = "MaDonVi")]
    pub agency_code: String,
    #[serde(rename = "NgayNopHoSo")]
    pub submitted_at: String,
    #[serde(rename = "ChuHoSo")]
    pub owner: String,
    #[serde(rename = "SoGiayToChuHoSo")]
    pub owner_id: String,
    #[serde(rename = "SoDienThoai", default)]
    pub phone: String,
    #[serde(rename = "Email", default)]
    pub email: String,
    #[serde(rename = "DiaChi", default)]
    pub address: String,
    /// the submitter's national account (TH `MaDoiTuong`)
    #[serde(rename = "MaDoiTuong", default)]
    pub owner_tech_id: String,
    #[serde(rename = "TrichYeuHoSo", default)]
    pub summary: String,
    /// the e-form's answers by the procedure's field keys (DVCLT `data`, a JSON object)
    #[serde(rename = "DuLieuBieuMau", default)]
    pub answers: std::collections::BTreeMap<String, String>,
    #[serde(rename = "TaiLieuNop", default)]
    pub documents: Vec<InboundDocument>,
}

/// A document of an inbound dossier: its bytes in base64 (TH `Base64`, DVCLT
/// `duLieuTepDinhKem`) or a link on the national host (`DuongDanTaiTepTin`), one or the other.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct InboundDocument {
    #[serde(rename = "TenTepDinhKem")]
    pub name: String,
    /// the procedure's document it answers, by its position in the list (1, 2, …) [E]
    #[serde(
        rename = "ThuTuThanhPhan",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub position: Option<i32>,
    #[serde(rename = "Base64", default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
    #[serde(
        rename = "DuongDanTaiTepTin",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<String>,
}

/// The national side's answer `{"error_code", "message"}`, where the code comes as a number
/// or a string (OCPS accepts `0` and `"00"`).
#[derive(Debug, Clone, Deserialize)]
pub struct Answer {
    #[serde(default)]
    pub error_code: serde_json::Value,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub session: Option<String>,
    /// what a pull call returns (the list, a dossier)
    #[serde(default)]
    pub data: serde_json::Value,
}

/// What an answer means for the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// created before: send it again as an update
    AlreadyExists,
    /// updated, but the nation has no such dossier: send it again as a creation
    NotFound,
    /// the session expired: sign in again and retry at once
    SessionExpired,
    /// a retry may succeed (the national side's own trouble)
    Retry,
    /// a retry cannot fix it (the record itself was refused)
    Refused,
}

/// Codes first (reference §0.8: never decide on Vietnamese message text). `0`, `"0"`, `"00"`
/// success (OCPS, TH); `3`/`-3` also success in TH, as "nothing to change" [E]. The sandbox and
/// this profile use `-2` already exists, `-4` not found, `-1` session expired, `-5` the
/// national side busy. An answer with an unknown code is read from its text only through
/// [`TEXT_VERDICTS`], the one documented table; anything else is refused (and shown to an
/// administrator with the answer).
pub fn verdict(answer: &Answer) -> Verdict {
    let code = match &answer.error_code {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().to_owned(),
        _ => String::new(),
    };
    match code.as_str() {
        "0" | "00" | "3" | "-3" => Verdict::Accepted,
        "-1" => Verdict::SessionExpired,
        "-2" => Verdict::AlreadyExists,
        "-4" => Verdict::NotFound,
        "-5" => Verdict::Retry,
        _ => {
            let text = crate::kernel::text::fold(&answer.message);
            TEXT_VERDICTS
                .iter()
                .find(|(needle, _)| text.contains(needle))
                .map_or(Verdict::Refused, |(_, v)| *v)
        }
    }
}

/// The answers known only by their text (TH matches "đã tồn tại"), folded (no tones, lower
/// case). Used only when the code is not one of [`verdict`]'s.
pub const TEXT_VERDICTS: [(&str, Verdict); 3] = [
    ("da ton tai", Verdict::AlreadyExists),
    ("khong ton tai", Verdict::NotFound),
    ("het phien", Verdict::SessionExpired),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_national_sign_in_of_level_2_or_more_counts_as_verified_with_vneid() {
        assert!(verified_with_vneid(Some("LoA2")));
        assert!(verified_with_vneid(Some("LoA3")));
        assert!(!verified_with_vneid(Some("LoA1")));
        assert!(!verified_with_vneid(Some("")));
        assert!(!verified_with_vneid(None));
    }
    use chrono::TimeZone;

    #[test]
    fn every_status_and_step_has_exactly_one_national_code() {
        let steps = [
            None,
            Some(Step::Assignment),
            Some(Step::Appraisal),
            Some(Step::Signature),
        ];
        for status in DossierStatus::ALL {
            for step in steps {
                let code = national_status(status, step);
                if status == DossierStatus::Draft {
                    assert_eq!(code, None, "a draft is never synced");
                } else {
                    let code = code.expect("a national code").code();
                    assert!((1..=10).contains(&code), "{status:?} → {code}");
                }
            }
        }
    }

    #[test]
    fn supplement_financial_and_stopped_are_never_rewritten_as_done() {
        assert_eq!(
            national_status(DossierStatus::SupplementRequested, None).map(NationalStatus::code),
            Some(5)
        );
        assert_eq!(
            national_status(DossierStatus::WaitingFinancial, None).map(NationalStatus::code),
            Some(6)
        );
        assert_eq!(
            national_status(DossierStatus::Stopped, None).map(NationalStatus::code),
            Some(8)
        );
        assert_eq!(
            national_status(DossierStatus::Withdrawn, None).map(NationalStatus::code),
            Some(7)
        );
        assert_eq!(
            national_status(DossierStatus::Received, None).map(NationalStatus::code),
            Some(2)
        );
        assert_eq!(
            national_status(DossierStatus::Returned, None).map(NationalStatus::code),
            Some(10)
        );
        for code in 1..=10 {
            assert_eq!(
                NationalStatus::from_code(code).map(NationalStatus::code),
                Some(code)
            );
        }
        assert_eq!(NationalStatus::from_code(11), None);
    }

    #[test]
    fn timestamps_are_vietnam_time_without_separators() {
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 17, 30, 5).unwrap();
        // 00:30:05 on 1 January in Vietnam
        assert_eq!(timestamp(at), "20270101003005");
        assert_eq!(timestamp_or_empty(None), "");
    }

    #[test]
    fn long_texts_are_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(clip("Đăng ký kết hôn", 50), "Đăng ký kết hôn");
        let long = "Cấp giấy chứng nhận ".repeat(100);
        let cut = clip(&long, SUMMARY_MAX);
        assert!(
            cut.chars().count() <= SUMMARY_MAX,
            "{}",
            cut.chars().count()
        );
        assert!(
            cut.ends_with("nhận…")
                || cut.ends_with("Cấp…")
                || cut.ends_with("giấy…")
                || cut.ends_with("chứng…"),
            "{cut}"
        );
        assert!(!cut.contains(" …"));
        assert_eq!(clip("Nguyễn Thị Thanh Hương", 12), "Nguyễn Thị…");
        assert_eq!(clip("Aaaaaaaaaaaaaaaa", 5), "Aaaa…");
    }

    fn answer(code: serde_json::Value, message: &str) -> Answer {
        Answer {
            error_code: code,
            message: message.to_owned(),
            session: None,
            data: serde_json::Value::Null,
        }
    }

    #[test]
    fn answers_are_read_by_their_codes_and_only_then_by_the_documented_texts() {
        use serde_json::json;
        assert_eq!(verdict(&answer(json!(0), "")), Verdict::Accepted);
        assert_eq!(verdict(&answer(json!("00"), "")), Verdict::Accepted);
        assert_eq!(verdict(&answer(json!("0"), "lỗi")), Verdict::Accepted);
        assert_eq!(verdict(&answer(json!(-2), "")), Verdict::AlreadyExists);
        assert_eq!(verdict(&answer(json!("-4"), "")), Verdict::NotFound);
        assert_eq!(verdict(&answer(json!(-1), "")), Verdict::SessionExpired);
        assert_eq!(verdict(&answer(json!(-5), "")), Verdict::Retry);
        assert_eq!(
            verdict(&answer(json!("99"), "Hồ sơ ĐÃ TỒN TẠI trên hệ thống")),
            Verdict::AlreadyExists
        );
        assert_eq!(
            verdict(&answer(json!("99"), "Thiếu trường MaTTHC")),
            Verdict::Refused
        );
        // a success text with a failure code is a failure: text never overrides a code
        assert_eq!(
            verdict(&answer(json!("7"), "Đồng bộ thành công")),
            Verdict::Refused
        );
    }
}
