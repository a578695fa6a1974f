//! The acknowledgement of an online dossier ("Đã nộp / Chờ tiếp nhận") as PDF: Vietnamese
//! text in an embedded Liberation Serif (Times New Roman's metrics, OFL), and a QR code of the
//! public tracking address. Form 01 (the receipt and appointment slip) will use the same
//! machinery when an official accepts the dossier.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use unicode_normalization::UnicodeNormalization;

static REGULAR: &[u8] = include_bytes!("../../static/fonts/LiberationSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../static/fonts/LiberationSerif-Bold.ttf");

/// What the acknowledgement says.
pub struct Acknowledgement {
    pub agency: String,
    pub code: String,
    pub procedure: String,
    pub applicant: String,
    pub phone: String,
    pub address: String,
    pub submitted_at: String,
    pub time_limit: String,
    pub result: String,
    pub documents: Vec<String>,
    pub tracking_url: String,
}

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 60.0;

struct Writer<'a, 'b> {
    surface: &'a mut Surface<'b>,
    regular: Font,
    bold: Font,
    y: f32,
}

impl Writer<'_, '_> {
    fn text(&mut self, x: f32, text: &str, size: f32, bold: bool) {
        let text: String = text.nfc().collect();
        let font = if bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        };
        self.surface.draw_text(
            Point::from_xy(x, self.y),
            font,
            size,
            &text,
            false,
            TextDirection::Auto,
        );
    }

    /// A line, wrapped at about `chars` characters, moving down as it goes.
    fn para(&mut self, x: f32, text: &str, size: f32, bold: bool, chars: usize) {
        for line in wrap(text, chars) {
            self.text(x, &line, size, bold);
            self.y += size * 1.45;
        }
    }

    /// "Label: value", the value wrapped beside the label.
    fn field(&mut self, label: &str, value: &str) {
        self.text(LEFT, &format!("{label}:"), 12.0, true);
        let lines = wrap(value, 62);
        for line in lines {
            self.text(LEFT + 150.0, &line, 12.0, false);
            self.y += 17.0;
        }
    }
}

/// Splits text into lines of at most `width` characters, at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

fn draw_qr(surface: &mut Surface<'_>, data: &str, x: f32, y: f32, size: f32) -> anyhow::Result<()> {
    let code = qrcode::QrCode::new(data.as_bytes())?;
    let width = code.width();
    let quiet = 2.0;
    let module = size / (width as f32 + 2.0 * quiet);
    let mut path = PathBuilder::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (row, col) = ((i / width) as f32, (i % width) as f32);
            if let Some(rect) = Rect::from_xywh(
                x + (col + quiet) * module,
                y + (row + quiet) * module,
                module,
                module,
            ) {
                path.push_rect(rect);
            }
        }
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(0, 0, 0).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
        surface.draw_path(&path);
    }
    Ok(())
}

/// Renders the acknowledgement. CPU-bound: call it from `spawn_blocking`.
pub fn acknowledgement(a: &Acknowledgement) -> anyhow::Result<Vec<u8>> {
    let regular = Font::new(REGULAR.to_vec().into(), 0).ok_or_else(|| anyhow::anyhow!("font"))?;
    let bold = Font::new(BOLD.to_vec().into(), 0).ok_or_else(|| anyhow::anyhow!("font"))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Giấy biên nhận hồ sơ {}", a.code))
            .language("vi".to_owned()),
    );
    let settings =
        PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| anyhow::anyhow!("page size"))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    {
        let mut w = Writer {
            surface: &mut surface,
            regular,
            bold,
            y: 70.0,
        };
        let top = w.y;
        w.para(LEFT, &a.agency.to_uppercase(), 11.0, true, 40);
        w.y = top;
        w.text(330.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11.0, true);
        w.y += 16.0;
        w.text(362.0, "Độc lập - Tự do - Hạnh phúc", 11.0, true);
        w.y += 60.0;
        w.text(150.0, "GIẤY BIÊN NHẬN HỒ SƠ NỘP TRỰC TUYẾN", 15.0, true);
        w.y += 20.0;
        w.text(215.0, "(Đã nộp - Chờ tiếp nhận)", 12.0, false);
        w.y += 36.0;
        w.field("Mã hồ sơ", &a.code);
        w.field("Thủ tục", &a.procedure);
        w.field("Người nộp", &a.applicant);
        w.field("Điện thoại", &a.phone);
        w.field("Địa chỉ", &a.address);
        w.field("Thời điểm nộp", &a.submitted_at);
        w.field("Thời hạn giải quyết", &a.time_limit);
        w.field("Nhận kết quả", &a.result);
        w.y += 8.0;
        w.text(LEFT, "Giấy tờ đã nộp:", 12.0, true);
        w.y += 17.0;
        for (n, doc) in a.documents.iter().enumerate() {
            w.para(LEFT + 15.0, &format!("{}. {doc}", n + 1), 12.0, false, 80);
        }
        w.y += 10.0;
        w.para(
            LEFT,
            "Hồ sơ sẽ được cán bộ tiếp nhận kiểm tra trong 8 giờ làm việc. Khi hồ sơ được tiếp nhận, \
             Giấy tiếp nhận hồ sơ và hẹn trả kết quả sẽ được gửi đến bạn; thời hạn giải quyết được \
             tính từ thời điểm đó.",
            11.0,
            false,
            95,
        );
        w.y += 6.0;
        w.para(
            LEFT,
            &format!(
                "Tra cứu hồ sơ: {} (mã hồ sơ và mã tra cứu).",
                a.tracking_url
            ),
            11.0,
            false,
            95,
        );
        let qr_top = w.y + 10.0;
        drop(w);
        draw_qr(&mut surface, &a.tracking_url, LEFT, qr_top, 110.0)?;
    }
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("writing the PDF: {e:?}"))
}

/// Form 01 (Circular 03/2025 Annex I): receipt and appointment slip.
pub struct Form01 {
    pub agency: String,
    pub code: String,
    pub applicant: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub procedure: String,
    /// "name — original/copy, n"
    pub documents: Vec<String>,
    pub time_limit: String,
    pub received_at: String,
    pub due_at: String,
    pub result_at: String,
    pub official: String,
    pub tracking_url: String,
    /// The dossier's evaluation link, printed as a second QR code (Decree 118 Art. 31).
    pub rating_url: String,
    /// "Quảng Ngãi, ngày … tháng … năm …" of the receipt
    pub place_date: String,
    /// "Vào sổ theo dõi hồ sơ, quyển số …, số thứ tự …" (the unit's Form 07 of the year)
    pub register: String,
    /// A counter dossier's lookup PIN, printed on the applicant's copy only: known to the
    /// official's session right after filing (only its hash is stored).
    pub pin: Option<String>,
}

/// Renders Form 01, two copies (one for the applicant, one that travels with the dossier).
/// CPU-bound: call it from `spawn_blocking`.
pub fn form01(f: &Form01) -> anyhow::Result<Vec<u8>> {
    let regular = Font::new(REGULAR.to_vec().into(), 0).ok_or_else(|| anyhow::anyhow!("font"))?;
    let bold = Font::new(BOLD.to_vec().into(), 0).ok_or_else(|| anyhow::anyhow!("font"))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!(
                "Giấy tiếp nhận hồ sơ và hẹn trả kết quả {}",
                f.code
            ))
            .language("vi".to_owned()),
    );
    for copy in ["Liên 1: giao người nộp hồ sơ", "Liên 2: lưu theo hồ sơ"] {
        let settings =
            PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let qr_top;
        {
            let mut w = Writer {
                surface: &mut surface,
                regular: regular.clone(),
                bold: bold.clone(),
                y: 60.0,
            };
            let top = w.y;
            w.para(LEFT, &f.agency.to_uppercase(), 11.0, true, 40);
            w.text(LEFT, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", 10.0, true);
            w.y += 15.0;
            w.text(LEFT, &format!("Số: {}", f.code), 10.0, false);
            w.y = top;
            w.text(330.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11.0, true);
            w.y += 16.0;
            w.text(362.0, "Độc lập - Tự do - Hạnh phúc", 11.0, true);
            w.y += 20.0;
            w.text(340.0, &f.place_date, 10.5, false);
            w.y += 14.0;
            w.text(400.0, copy, 9.0, false);
            w.y += 34.0;
            w.text(110.0, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", 15.0, true);
            w.y += 18.0;
            w.text(245.0, &format!("Mã hồ sơ: {}", f.code), 11.0, false);
            w.y += 28.0;
            w.para(
                LEFT,
                &format!("{} tiếp nhận hồ sơ của: {}", f.agency, f.applicant),
                12.0,
                false,
                85,
            );
            w.para(LEFT, &format!("Địa chỉ: {}", f.address), 12.0, false, 85);
            w.para(
                LEFT,
                &format!("Số điện thoại: {}    Thư điện tử: {}", f.phone, f.email),
                12.0,
                false,
                85,
            );
            w.para(
                LEFT,
                &format!("Nội dung yêu cầu giải quyết: {}", f.procedure),
                12.0,
                false,
                85,
            );
            w.y += 4.0;
            w.text(LEFT, "1. Thành phần hồ sơ nộp gồm:", 12.0, true);
            w.y += 17.0;
            for (n, d) in f.documents.iter().enumerate() {
                w.para(LEFT + 15.0, &format!("{}. {d}", n + 1), 11.5, false, 88);
            }
            w.para(LEFT, "2. Số lượng hồ sơ: 01 (bộ)", 12.0, false, 85);
            w.para(
                LEFT,
                &format!(
                    "3. Thời gian giải quyết hồ sơ theo quy định là: {}",
                    f.time_limit
                ),
                12.0,
                false,
                85,
            );
            w.para(
                LEFT,
                &format!("4. Thời gian nhận hồ sơ: {}", f.received_at),
                12.0,
                false,
                85,
            );
            w.para(
                LEFT,
                &format!("5. Thời gian trả kết quả giải quyết hồ sơ: {}", f.due_at),
                12.0,
                false,
                85,
            );
            w.para(
                LEFT,
                &format!("6. Đăng ký nhận kết quả tại: {}", f.result_at),
                12.0,
                false,
                85,
            );
            w.para(LEFT, &f.register, 11.0, false, 90);
            if let Some(pin) = f.pin.as_deref().filter(|_| copy.starts_with("Liên 1")) {
                w.para(
                    LEFT,
                    &format!(
                        "Mã PIN tra cứu hồ sơ: {pin} (dùng cùng mã hồ sơ; giữ kín, không đưa \
                         cho người khác)"
                    ),
                    12.0,
                    true,
                    85,
                );
            }
            w.para(
                LEFT,
                &format!("Tra cứu tình trạng hồ sơ: {}", f.tracking_url),
                10.0,
                false,
                100,
            );
            w.y += 16.0;
            let signatures = w.y;
            w.text(LEFT + 20.0, "NGƯỜI NỘP HỒ SƠ", 11.0, true);
            w.text(350.0, "NGƯỜI TIẾP NHẬN HỒ SƠ", 11.0, true);
            w.y += 14.0;
            w.text(LEFT + 25.0, "(Ký và ghi rõ họ tên)", 10.0, false);
            w.text(360.0, "(Ký và ghi rõ họ tên)", 10.0, false);
            w.y = signatures + 80.0;
            w.text(LEFT + 20.0, &f.applicant, 11.0, false);
            w.text(350.0, &f.official, 11.0, false);
            qr_top = w.y + 20.0;
            w.y = qr_top + 100.0;
            w.text(LEFT, "Tra cứu hồ sơ", 9.0, false);
            if !f.rating_url.is_empty() {
                w.text(LEFT + 130.0, "Đánh giá khi có kết quả", 9.0, false);
            }
        }
        draw_qr(&mut surface, &f.tracking_url, LEFT, qr_top, 90.0)?;
        if !f.rating_url.is_empty() {
            draw_qr(&mut surface, &f.rating_url, LEFT + 130.0, qr_top, 90.0)?;
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("writing the PDF: {e:?}"))
}

/// Form 01 as a notice (for its printable HTML): the same fields, in the same order.
pub fn form01_notice(f: &Form01) -> Notice {
    let mut paragraphs = vec![
        format!("{} tiếp nhận hồ sơ của: {}", f.agency, f.applicant),
        format!("Địa chỉ: {}", f.address),
        format!("Số điện thoại: {}    Thư điện tử: {}", f.phone, f.email),
        format!("Nội dung yêu cầu giải quyết: {}", f.procedure),
        "1. Thành phần hồ sơ nộp gồm:".to_owned(),
    ];
    paragraphs.extend(
        f.documents
            .iter()
            .enumerate()
            .map(|(n, d)| format!("   {}. {d}", n + 1)),
    );
    paragraphs.extend([
        "2. Số lượng hồ sơ: 01 (bộ)".to_owned(),
        format!(
            "3. Thời gian giải quyết hồ sơ theo quy định là: {}",
            f.time_limit
        ),
        format!("4. Thời gian nhận hồ sơ: {}", f.received_at),
        format!("5. Thời gian trả kết quả giải quyết hồ sơ: {}", f.due_at),
        format!("6. Đăng ký nhận kết quả tại: {}", f.result_at),
        f.register.clone(),
        format!("Người nộp hồ sơ: {}", f.applicant),
    ]);
    Notice {
        unit: f.agency.clone(),
        sub_unit: "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".to_owned(),
        place_date: f.place_date.clone(),
        title: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".to_owned(),
        code: f.code.clone(),
        paragraphs,
        table: None,
        signer_title: "NGƯỜI TIẾP NHẬN HỒ SƠ".to_owned(),
        signer: f.official.clone(),
        form_note: "Mẫu số 01 — Thông tư 03/2025/TT-VPCP".to_owned(),
        tracking_url: f.tracking_url.clone(),
    }
}

/// A regulated notice (Forms 02–06 of Circular 03/2025): the common header, a title, the
/// body's paragraphs, an optional table (Form 06), a signature block and the QR code.
pub struct Notice {
    /// The issuing unit (its name printed upper-case, left block).
    pub unit: String,
    /// The line under it, e.g. "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" (may be empty).
    pub sub_unit: String,
    /// "…, ngày … tháng … năm …"
    pub place_date: String,
    pub title: String,
    pub code: String,
    pub paragraphs: Vec<String>,
    pub table: Option<NoticeTable>,
    pub signer_title: String,
    pub signer: String,
    /// "Mẫu số 02 …" printed at the foot.
    pub form_note: String,
    pub tracking_url: String,
}

impl Notice {
    /// What the QR code opens, as printed beside it: the rating page on a result's cover,
    /// public tracking elsewhere.
    pub fn qr_label(&self) -> &'static str {
        if self.tracking_url.contains("/danh-gia/") {
            "Đánh giá"
        } else {
            "Tra cứu"
        }
    }
}

/// A table with fixed column widths (points) and wrapped cells.
pub struct NoticeTable {
    pub headers: Vec<String>,
    pub widths: Vec<f32>,
    pub rows: Vec<Vec<String>>,
}

/// One piece of text at an absolute position on a long virtual page.
struct Piece {
    x: f32,
    y: f32,
    text: String,
    size: f32,
    bold: bool,
}

/// Lays out text and rules top to bottom, then cuts the result into A4 pages.
#[derive(Default)]
struct Layout {
    pieces: Vec<Piece>,
    rules: Vec<(f32, f32, f32, f32)>,
    y: f32,
}

impl Layout {
    fn text(&mut self, x: f32, text: &str, size: f32, bold: bool) {
        self.pieces.push(Piece {
            x,
            y: self.y,
            text: text.nfc().collect(),
            size,
            bold,
        });
    }

    /// Text centred on the page (by an estimate of its width).
    fn centred(&mut self, text: &str, size: f32, bold: bool) {
        for line in wrap(text, 70) {
            let width = line.chars().count() as f32 * size * if bold { 0.52 } else { 0.47 };
            self.text(((WIDTH - width) / 2.0).max(LEFT), &line, size, bold);
            self.y += size * 1.4;
        }
    }

    fn para(&mut self, text: &str, size: f32) {
        for line in wrap(text, 88) {
            self.text(LEFT, &line, size, false);
            self.y += size * 1.45;
        }
    }

    fn table(&mut self, t: &NoticeTable) {
        let size = 9.5;
        let line = size * 1.35;
        let mut rows = vec![(t.headers.clone(), true)];
        rows.extend(t.rows.iter().map(|r| (r.clone(), false)));
        for (cells, bold) in rows {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&t.widths)
                .map(|(c, w)| {
                    c.split('\n')
                        .flat_map(|p| wrap(p, ((w - 8.0) / (size * 0.5)) as usize))
                        .collect()
                })
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * line + 8.0;
            let top = self.y;
            let mut x = LEFT;
            for (lines, w) in wrapped.iter().zip(&t.widths) {
                self.y = top + size + 3.0;
                for l in lines {
                    self.text(x + 4.0, l, size, bold);
                    self.y += line;
                }
                self.rules.push((x, top, x, top + height));
                x += w;
            }
            self.rules.push((x, top, x, top + height));
            self.rules.push((LEFT, top, x, top));
            self.rules.push((LEFT, top + height, x, top + height));
            self.y = top + height;
        }
        self.y += 10.0;
    }
}

/// Lays a notice out on one long virtual page; returns it and where the QR code goes.
fn lay_out(n: &Notice) -> (Layout, f32) {
    let mut l = Layout {
        y: 60.0,
        ..Layout::default()
    };
    for line in wrap(&n.unit.to_uppercase(), 40) {
        l.text(LEFT, &line, 11.0, true);
        l.y += 15.0;
    }
    if !n.sub_unit.is_empty() {
        l.text(LEFT, &n.sub_unit, 10.0, true);
        l.y += 15.0;
    }
    l.text(LEFT, "Số: …/…", 11.0, false);
    let left_end = l.y;
    l.y = 60.0;
    l.text(330.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11.0, true);
    l.y += 16.0;
    l.text(362.0, "Độc lập - Tự do - Hạnh phúc", 11.0, true);
    l.y += 20.0;
    l.text(340.0, &n.place_date, 10.5, false);
    l.y = l.y.max(left_end) + 34.0;
    l.centred(&n.title, 14.0, true);
    l.centred(&format!("Mã hồ sơ: {}", n.code), 11.0, false);
    l.y += 12.0;
    for p in &n.paragraphs {
        l.para(p, 12.0);
        l.y += 3.0;
    }
    if let Some(t) = &n.table {
        l.y += 6.0;
        l.table(t);
    }
    l.y += 12.0;
    l.text(340.0, &n.signer_title, 11.0, true);
    l.y += 14.0;
    l.text(350.0, "(Ký và ghi rõ họ tên)", 10.0, false);
    l.y += 60.0;
    l.text(345.0, &n.signer, 11.0, false);
    l.y += 24.0;
    let qr_top = l.y;
    l.y += 100.0;
    l.text(LEFT, &n.form_note, 8.5, false);
    l.y += 12.0;
    l.text(
        LEFT,
        &format!("{}: {}", n.qr_label(), n.tracking_url),
        8.5,
        false,
    );
    (l, qr_top)
}

/// The height of one printed page's content.
#[cfg(test)]
const USABLE: f32 = HEIGHT - 60.0;

/// Renders a notice. CPU-bound: call it from `spawn_blocking`.
pub fn notice(n: &Notice) -> anyhow::Result<Vec<u8>> {
    let (l, qr_top) = lay_out(n);
    render(
        &l,
        format!("{} {}", n.title, n.code),
        (WIDTH, HEIGHT),
        Some((&n.tracking_url, qr_top)),
    )
}

/// Cuts a laid-out long page into pages of `size` (points): the text, the rules, and the QR
/// code of `qr` (its data and where it goes).
fn render(
    l: &Layout,
    title: String,
    size: (f32, f32),
    qr: Option<(&str, f32)>,
) -> anyhow::Result<Vec<u8>> {
    let (width, height) = size;
    let regular = Font::new(REGULAR.to_vec().into(), 0).ok_or_else(|| anyhow::anyhow!("font"))?;
    let bold = Font::new(BOLD.to_vec().into(), 0).ok_or_else(|| anyhow::anyhow!("font"))?;
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(title).language("vi".to_owned()));
    let usable = height - 60.0;
    let pages = (l.y / usable).floor() as usize + 1;
    for p in 0..pages {
        let offset = p as f32 * usable - if p > 0 { 50.0 } else { 0.0 };
        let settings =
            PageSettings::from_wh(width, height).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let top = p as f32 * usable;
        let bottom = top + usable;
        for piece in l.pieces.iter().filter(|x| x.y >= top && x.y < bottom) {
            let font = if piece.bold {
                bold.clone()
            } else {
                regular.clone()
            };
            surface.draw_text(
                Point::from_xy(piece.x, piece.y - offset),
                font,
                piece.size,
                &piece.text,
                false,
                TextDirection::Auto,
            );
        }
        let mut path = PathBuilder::new();
        for &(x1, y1, x2, y2) in l.rules.iter().filter(|r| r.1 >= top && r.1 < bottom) {
            path.move_to(x1, y1 - offset);
            path.line_to(x2, (y2 - offset).min(height - 20.0));
        }
        if let Some(path) = path.finish() {
            surface.set_stroke(Some(krilla::paint::Stroke {
                paint: rgb::Color::new(0, 0, 0).into(),
                width: 0.6,
                ..Default::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
        }
        if let Some((data, qr_top)) = qr
            && qr_top >= top
            && qr_top < bottom
        {
            draw_qr(&mut surface, data, LEFT, qr_top - offset, 90.0)?;
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("writing the PDF: {e:?}"))
}

/// Form 07 of Circular 03/2025, the dossier register (sổ theo dõi hồ sơ), of one unit and
/// period, on landscape pages.
pub struct Register {
    pub unit: String,
    /// "Từ ngày … đến ngày …"
    pub period: String,
    pub table: NoticeTable,
    /// "Mẫu số 07 …" printed at the foot.
    pub form_note: String,
}

/// Renders the register. CPU-bound: call it from `spawn_blocking`.
pub fn register(r: &Register) -> anyhow::Result<Vec<u8>> {
    let (width, height) = (HEIGHT, WIDTH);
    let mut l = Layout {
        y: 50.0,
        ..Layout::default()
    };
    for line in wrap(&r.unit.to_uppercase(), 60) {
        l.text(LEFT, &line, 11.0, true);
        l.y += 15.0;
    }
    l.text(LEFT, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", 10.0, true);
    l.y += 28.0;
    let title = "SỔ THEO DÕI HỒ SƠ";
    let centre = |text: &str, size: f32| (width - text.chars().count() as f32 * size * 0.5) / 2.0;
    l.text(centre(title, 15.0), title, 15.0, true);
    l.y += 20.0;
    l.text(centre(&r.period, 11.0), &r.period, 11.0, false);
    l.y += 22.0;
    l.table(&r.table);
    l.y += 6.0;
    l.text(LEFT, &r.form_note, 8.5, false);
    render(
        &l,
        format!("Sổ theo dõi hồ sơ — {}", r.unit),
        (width, height),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_at_spaces() {
        assert_eq!(wrap("một hai ba bốn", 7), vec!["một hai", "ba bốn"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("x".repeat(12).as_str(), 5), vec!["x".repeat(12)]);
    }

    #[test]
    fn a_notice_with_a_long_table_spans_pages() {
        let n = Notice {
            unit: "Ủy ban nhân dân phường Cẩm Thành".into(),
            sub_unit: "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into(),
            place_date: "Quảng Ngãi, ngày 29 tháng 11 năm 2026".into(),
            title: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ".into(),
            code: "000.00.00.H48-261129-0001".into(),
            paragraphs: vec!["Kèm theo hồ sơ của: Nguyễn Văn An".into()],
            table: Some(NoticeTable {
                headers: vec!["TÊN CƠ QUAN".into(), "THỜI GIAN".into()],
                widths: vec![200.0, 275.0],
                rows: (0..60)
                    .map(|i| vec![format!("Cơ quan {i}"), "1. Giao: …\n2. Nhận: …".into()])
                    .collect(),
            }),
            signer_title: "NGƯỜI TIẾP NHẬN".into(),
            signer: "Nguyễn Thị Tiếp".into(),
            form_note: "Mẫu số 06".into(),
            tracking_url: "http://127.0.0.1:8080/tra-cuu".into(),
        };
        let (layout, _) = lay_out(&n);
        assert!(layout.y > 2.0 * USABLE, "{}", layout.y);
        // every row's text is placed
        assert_eq!(
            layout
                .pieces
                .iter()
                .filter(|p| p.text.starts_with("Cơ quan "))
                .count(),
            60
        );
        let pdf = notice(&n).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn an_acknowledgement_is_a_pdf() {
        let pdf = acknowledgement(&Acknowledgement {
            agency: "Ủy ban nhân dân phường Cẩm Thành".into(),
            code: "000.00.00.H48-261128-0001".into(),
            procedure: "Đăng ký khai sinh".into(),
            applicant: "Nguyễn Văn An".into(),
            phone: "0912 345 678".into(),
            address: "54 Hùng Vương".into(),
            submitted_at: "28/11/2026 10:00".into(),
            time_limit: "Trong ngày".into(),
            result: "Qua dịch vụ bưu chính công ích".into(),
            documents: vec!["Tờ khai đăng ký khai sinh".into()],
            tracking_url: "http://127.0.0.1:8080/tra-cuu?code=000.00.00.H48-261128-0001".into(),
        })
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 1000);
    }
}
