//! Dossiers filed on the national portal arrive here: filed on the sandbox (over real HTTP on
//! loopback), pushed signed to the portal or pulled and acknowledged, taken in once whatever
//! the redeliveries, with their attachments checked as uploads; what cannot be taken waits in
//! an administrator's list, with the national side told; forged calls store nothing.

use base64::Engine as _;
use motcua::national::inbound::{self, Pulled};
use motcua::national::intake;
use serde_json::{Value, json};

use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_citizen, sign_in_staff};
use crate::national::{Crew, Exchange, statuses};

/// Birth registration, received by UBND phường Cẩm Thành (where the demo's `tiepnhan` works).
const PROCEDURE: &str = "1.001193";
const AGENCY: &str = "000.00.71.H48";
const PDF: &[u8] = b"%PDF-1.4\n% to khai dang ky khai sinh\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A filing for birth registration with its two papers, inline unless `as_link`.
fn filing(owner_id: &str, as_link: bool) -> Value {
    json!({
        "MaTTHC": PROCEDURE, "MaDonVi": AGENCY, "ChuHoSo": "Trần Thị Bình",
        "SoGiayToChuHoSo": owner_id, "SoDienThoai": "0987654321", "Email": "binh@example.com",
        "DiaChi": "12 Lê Lợi, phường Cẩm Thành", "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "TaiLieuNop": [
            {"TenTepDinhKem": "To_khai.pdf", "Base64": b64(PDF), "as_link": as_link, "ThuTuThanhPhan": 1},
            {"TenTepDinhKem": "Giay_chung_sinh.png", "Base64": b64(PNG), "as_link": as_link, "ThuTuThanhPhan": 2},
        ],
    })
}

impl Exchange {
    /// Files on the sandbox as a citizen: its answer (the code, the pushes' answers).
    async fn file(&self, filing: Value) -> Value {
        let response = self
            .http
            .post(format!("{}/sim/citizen/submit", self.national))
            .json(&filing)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn count(&self, sql: &'static str, code: &str) -> i64 {
        sqlx::query_scalar(sql)
            .bind(code)
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap()
    }

    async fn files(&self) -> i64 {
        sqlx::query_scalar("select count(*) from dossier_files")
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap()
    }

    /// Files in the portal's storage (outside its temporary folder).
    fn stored_files(&self) -> usize {
        std::fs::read_dir(&self.app.settings.upload_dir)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .count()
            })
            .unwrap_or(0)
    }

    async fn dossiers_coded(&self, code: &str) -> i64 {
        self.count("select count(*) from dossiers where code = $1", code)
            .await
    }

    async fn pull(&self) -> Pulled {
        inbound::pull_once(&self.app.state, &self.client)
            .await
            .expect("a pull pass")
    }

    async fn refused(&self, reason: &str) -> i64 {
        sqlx::query_scalar(
            "select coalesce(sum(refused), 0)::int8 from refused_requests \
             where source = 'dvcqg_intake' and reason = $1",
        )
        .bind(reason)
        .fetch_one(&self.app.db.pool)
        .await
        .unwrap()
    }

    /// A push to the portal signed with `secret` at `timestamp`.
    async fn push_raw(&self, body: &[u8], secret: &str, timestamp: i64) -> reqwest::Response {
        self.http
            .post(format!(
                "{}/api/v1/dvcqg/dossiers",
                self.app.settings.public_origin
            ))
            .header("content-type", "application/json")
            .header("X-DVCQG-Timestamp", timestamp.to_string())
            .header("X-DVCQG-Signature", inbound::sign(secret, timestamp, body))
            .body(body.to_vec())
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_dossier_pushed_twice_by_the_nation_waits_once_at_reception_with_its_papers() {
    let x = Exchange::start().await;
    x.fault("twice").await;
    let filed = x.file(filing("001190000001", false)).await;
    let code = filed["MaHoSo"].as_str().unwrap().to_owned();
    assert!(code.starts_with(&format!("{AGENCY}-")), "{code}");
    // both pushes were answered: taken, then the same dossier again
    let pushes = filed["pushes"].as_array().unwrap();
    assert_eq!(pushes.len(), 2);
    for p in pushes {
        assert_eq!(p["status"], 200, "{p}");
        assert_eq!(p["answer"]["status"], "received", "{p}");
        assert_eq!(p["answer"]["MaHoSo"], code.as_str());
    }
    // one dossier, keeping the national code, with both papers stored as uploads are
    assert_eq!(x.dossiers_coded(&code).await, 1);
    let (status, channel, source, external): (String, i16, String, String) = sqlx::query_as(
        "select status::text, intake_channel, source_system, external_code from dossiers where code = $1",
    )
    .bind(&code)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), channel, source.as_str(), external.as_str()),
        ("submitted", 2, "dvcqg", code.as_str())
    );
    let files: Vec<(String, String, Option<i32>)> = sqlx::query_as(
        "select f.original_name, f.content_type, f.document_position from dossier_files f \
         join dossiers d on d.id = f.dossier_id where d.code = $1 order by f.document_position",
    )
    .bind(&code)
    .fetch_all(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        files,
        [
            ("To_khai.pdf".into(), "application/pdf".into(), Some(1)),
            ("Giay_chung_sinh.png".into(), "image/png".into(), Some(2)),
        ]
    );
    assert_eq!(
        x.count(
            "select deliveries::int8 from national_inbox where national_code = $1",
            &code
        )
        .await,
        2
    );

    // the same dossier delivered twice at the same instant: still one
    let racing = serde_json::to_vec(&json!({
        "MaHoSo": format!("{AGENCY}-261207-9500"), "MaTTHC": PROCEDURE, "MaDonVi": AGENCY,
        "NgayNopHoSo": "20261207090000", "ChuHoSo": "Đỗ Văn Đua", "SoGiayToChuHoSo": "001190000099",
        "TaiLieuNop": [{"TenTepDinhKem": "a.pdf", "Base64": b64(PDF)}],
    }))
    .unwrap();
    let secret = x.app.settings.dvcqg_push_secret.clone();
    let now = chrono::Utc::now().timestamp();
    let (a, b) = tokio::join!(
        x.push_raw(&racing, &secret, now),
        x.push_raw(&racing, &secret, now)
    );
    for r in [a.status().as_u16(), b.status().as_u16()] {
        assert!(r == 200 || r == 202, "{r}");
    }
    assert_eq!(x.dossiers_coded(&format!("{AGENCY}-261207-9500")).await, 1);
    assert_eq!(
        x.count(
            "select count(*) from dossier_files f join dossiers d on d.id = f.dossier_id where d.code = $1",
            &format!("{AGENCY}-261207-9500")
        )
        .await,
        1
    );

    // the reception queue shows it, with its channel
    sign_in_staff(&x.app, "tiepnhan").await;
    let queue = Page::parse(&x.app.server.get("/staff/reception").await.text());
    let row = queue
        .texts("tbody tr")
        .into_iter()
        .find(|r| r.contains(&code))
        .unwrap_or_else(|| panic!("{code} is in the queue: {:?}", queue.texts("tbody tr")));
    assert!(row.contains("Trực tuyến qua Cổng DVCQG"), "{row}");
    assert!(row.contains("Trần Thị Bình"), "{row}");
    // and the dossier's page names the papers
    let id = x.id(&code).await;
    let page = x
        .app
        .server
        .get(&format!("/staff/dossiers/{id}"))
        .await
        .text();
    assert!(page.contains("To_khai.pdf"), "the paper is listed");
    assert!(page.contains("Trực tuyến qua Cổng DVCQG"));
}

#[tokio::test]
async fn a_pulled_dossier_is_acknowledged_once_stored_and_pulled_again_it_stays_one() {
    let x = Exchange::start_with("pull").await;
    let filed = x.file(filing("001190000002", true)).await;
    let code = filed["MaHoSo"].as_str().unwrap().to_owned();
    assert!(
        filed["pushes"].as_array().unwrap().is_empty(),
        "nothing pushed"
    );
    assert_eq!(x.dossiers_coded(&code).await, 0);
    // the pull takes it (its papers fetched from the national host) and acknowledges it
    assert_eq!(
        x.pull().await,
        Pulled {
            taken: 1,
            ..Pulled::default()
        }
    );
    assert_eq!(x.dossiers_coded(&code).await, 1);
    let (acks, ack): (i32, Value) =
        sqlx::query_as("select acks, ack from dvcqg_sandbox.filed where code = $1")
            .bind(&code)
            .fetch_one(&x.app.db.pool)
            .await
            .unwrap();
    assert_eq!(acks, 1);
    assert_eq!(ack["DaNhan"], "1");
    assert_eq!(
        x.pull().await,
        Pulled::default(),
        "acknowledged: not listed again"
    );
    // the nation lists it again (delivering twice): still one dossier
    x.fault("twice").await;
    assert_eq!(x.pull().await.taken, 1);
    assert_eq!(x.dossiers_coded(&code).await, 1);
    assert_eq!(
        x.count(
            "select count(*) from dossier_files f join dossiers d on d.id = f.dossier_id where d.code = $1",
            &code
        )
        .await,
        2
    );
    // a push to a portal that pulls is not taken
    let body = serde_json::to_vec(&json!({})).unwrap();
    let pushed = x
        .push_raw(
            &body,
            &x.app.settings.dvcqg_push_secret,
            chrono::Utc::now().timestamp(),
        )
        .await;
    assert_eq!(pushed.status(), 404);
}

#[tokio::test]
async fn an_unknown_procedure_waits_for_an_administrator_and_the_nation_is_told() {
    let x = Exchange::start().await;
    let mut unknown = filing("001190000003", false);
    unknown["MaTTHC"] = json!("2.999999");
    let filed = x.file(unknown).await;
    let code = filed["MaHoSo"].as_str().unwrap().to_owned();
    let push = &filed["pushes"][0];
    assert_eq!(push["status"], 422);
    assert_eq!(push["answer"]["accepted"], false);
    assert!(
        push["answer"]["message"]
            .as_str()
            .unwrap()
            .contains("2.999999"),
        "{push}"
    );
    assert_eq!(x.dossiers_coded(&code).await, 0);
    // an unknown agency too, by pull: acknowledged as not taken, with the reason
    let x2 = Exchange::start_with("pull").await;
    let mut elsewhere = filing("001190000004", false);
    elsewhere["MaDonVi"] = json!("000.00.99.H99");
    let code2 = x2.file(elsewhere).await["MaHoSo"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        x2.pull().await,
        Pulled {
            refused: 1,
            ..Pulled::default()
        }
    );
    let ack: Value = sqlx::query_scalar("select ack from dvcqg_sandbox.filed where code = $1")
        .bind(&code2)
        .fetch_one(&x2.app.db.pool)
        .await
        .unwrap();
    assert_eq!(ack["DaNhan"], "0");
    assert!(ack["LyDo"].as_str().unwrap().contains("000.00.99.H99"));

    // the administrator's list keeps the payload (files shown by their size only)
    sign_in_staff(&x.app, "quantri").await;
    let admin = Page::parse(&x.app.server.get("/admin/dvcqg").await.text());
    let list = admin.text("#dvcqg-intake");
    assert!(list.contains(&code), "{list}");
    assert!(
        list.contains("Thủ tục 2.999999 không có phiên bản"),
        "{list}"
    );
    assert!(list.contains("Cần quản trị xử lý"), "{list}");
    assert!(
        list.contains("Trần Thị Bình"),
        "the payload is kept: {list}"
    );
    assert!(!list.contains(&b64(PDF)), "no file contents on the page");
    assert!(list.contains("bytes …"), "their size instead: {list}");

    // the national side sends it again, corrected: the same code with the procedure fixed
    // replaces what was not taken, and is taken
    let mut corrected: Value =
        sqlx::query_scalar("select payload from dvcqg_sandbox.filed where code = $1")
            .bind(&code)
            .fetch_one(&x.app.db.pool)
            .await
            .unwrap();
    corrected["MaTTHC"] = json!(PROCEDURE);
    let body = serde_json::to_vec(&corrected).unwrap();
    let resent = x
        .push_raw(
            &body,
            &x.app.settings.dvcqg_push_secret,
            chrono::Utc::now().timestamp(),
        )
        .await;
    assert_eq!(resent.status(), 200);
    assert_eq!(x.dossiers_coded(&code).await, 1);
    // once taken, other content under its code is a conflict
    corrected["ChuHoSo"] = json!("Người Khác");
    let body = serde_json::to_vec(&corrected).unwrap();
    let again = x
        .push_raw(
            &body,
            &x.app.settings.dvcqg_push_secret,
            chrono::Utc::now().timestamp(),
        )
        .await;
    assert_eq!(again.status(), 409);

    // an unknown agency, pushed: once an administrator adds it to the catalogue and tries
    // again, the dossier is taken
    let mut unknown_agency = filing("001190000010", false);
    unknown_agency["MaDonVi"] = json!("000.00.79.H48");
    let filed = x.file(unknown_agency).await;
    let code = filed["MaHoSo"].as_str().unwrap().to_owned();
    assert_eq!(filed["pushes"][0]["status"], 422);
    let admin = Page::parse(&x.app.server.get("/admin/dvcqg").await.text());
    assert!(
        admin
            .text("#dvcqg-intake")
            .contains("Không có cơ quan nào mang mã định danh 000.00.79.H48"),
        "{}",
        admin.text("#dvcqg-intake")
    );
    sqlx::query(
        "insert into agencies (slug, kind, name_vi, name_en, e_id_code, e_id_scheme, valid_from) \
         values ('ubnd-xa-thu-nghiem', 'commune_pc', 'Ủy ban nhân dân xã Thử Nghiệm', \
           'Thu Nghiem Commune People''s Committee', '000.00.79.H48', 'qcvn102_2016', '2025-07-01')",
    )
    .execute(&x.app.db.pool)
    .await
    .unwrap();
    let id: uuid::Uuid =
        sqlx::query_scalar("select id from national_inbox where national_code = $1")
            .bind(&code)
            .fetch_one(&x.app.db.pool)
            .await
            .unwrap();
    let retried = post_form(
        &x.app,
        "/admin/dvcqg",
        &format!("/admin/dvcqg/intake/{id}/retry"),
        &[],
    )
    .await;
    assert_eq!(location(&retried), "/admin/dvcqg");
    assert_eq!(x.dossiers_coded(&code).await, 1);
    let admin = Page::parse(&x.app.server.get("/admin/dvcqg").await.text());
    assert!(
        admin
            .text("main")
            .contains("Hồ sơ đã vào hàng chờ tiếp nhận.")
    );
    assert!(!admin.has("#dvcqg-intake"));
    assert_eq!(x.audited("dvcqg.intake_retry", &code).await, 1);
}

#[tokio::test]
async fn an_attachment_the_national_host_cannot_serve_yet_leaves_the_dossier_incomplete_then_it_arrives()
 {
    let x = Exchange::start().await;
    let files_before = x.files().await;
    // the national host's file server fails while the dossier is pushed: the first paper
    // comes inline (and is stored), the second by link (and cannot be fetched)
    x.fault("down").await;
    let mut half = filing("001190000005", true);
    half["TaiLieuNop"][0]["as_link"] = json!(false);
    let filed = x.file(half).await;
    let code = filed["MaHoSo"].as_str().unwrap().to_owned();
    let push = &filed["pushes"][0];
    assert_eq!(push["status"], 202, "{push}");
    assert_eq!(push["answer"]["status"], "incomplete");
    assert_eq!(x.dossiers_coded(&code).await, 0);
    assert_eq!(x.files().await, files_before, "no file row was written");
    assert_eq!(x.stored_files(), 0, "the paper stored first was removed");
    sign_in_staff(&x.app, "quantri").await;
    let admin = Page::parse(&x.app.server.get("/admin/dvcqg").await.text());
    let list = admin.text("#dvcqg-intake");
    assert!(list.contains(&code), "{list}");
    assert!(list.contains("Thiếu tệp, đang thử lại"), "{list}");
    assert!(list.contains("HTTP 503"), "{list}");
    // not due yet: the retry waits its back-off
    assert_eq!(intake::retry_due(&x.app.state).await.unwrap(), 0);
    // the host is back and the back-off over: the next pass takes it
    x.fault("normal").await;
    sqlx::query("update national_inbox set next_attempt_at = now() where national_code = $1")
        .bind(&code)
        .execute(&x.app.db.pool)
        .await
        .unwrap();
    assert_eq!(intake::retry_due(&x.app.state).await.unwrap(), 1);
    assert_eq!(x.dossiers_coded(&code).await, 1);
    assert_eq!(x.stored_files(), 2);
    // a file that is not a paper (by its content) is never retried: an administrator's
    let mut bad = filing("001190000006", false);
    bad["TaiLieuNop"][0]["Base64"] = json!(b64(b"MZ\x90\0 an executable"));
    let filed = x.file(bad).await;
    assert_eq!(filed["pushes"][0]["status"], 422);
    let reason = filed["pushes"][0]["answer"]["message"].as_str().unwrap();
    assert!(reason.contains("To_khai.pdf"), "{reason}");
    assert!(reason.contains("không phải PDF, JPEG hay PNG"), "{reason}");
}

#[tokio::test]
async fn forged_stale_malformed_and_oversized_pushes_store_nothing() {
    let x = Exchange::start().await;
    let secret = x.app.settings.dvcqg_push_secret.clone();
    let now = chrono::Utc::now().timestamp();
    let mut dossier = json!({
        "MaHoSo": format!("{AGENCY}-261207-8001"), "MaTTHC": PROCEDURE, "MaDonVi": AGENCY,
        "NgayNopHoSo": "20261207083000", "ChuHoSo": "Lê Văn C", "SoGiayToChuHoSo": "001190000007",
        "TaiLieuNop": [{"TenTepDinhKem": "a.pdf", "Base64": b64(PDF)}],
    });
    let body = serde_json::to_vec(&dossier).unwrap();
    let inbox = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from national_inbox")
            .fetch_one(&x.app.db.pool)
            .await
            .unwrap()
    };
    let url = format!("{}/api/v1/dvcqg/dossiers", x.app.settings.public_origin);
    // unsigned, signed with another secret, or outside the replay window: 401
    let unsigned = x.http.post(&url).body(body.clone()).send().await.unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(x.push_raw(&body, "not-the-secret", now).await.status(), 401);
    assert_eq!(x.push_raw(&body, &secret, now - 600).await.status(), 401);
    assert_eq!(inbox().await, 0);
    assert_eq!(x.refused("unsigned").await, 1);
    assert_eq!(x.refused("bad_signature").await, 1);
    assert_eq!(x.refused("stale_timestamp").await, 1);
    // the signature covers the timestamp: a valid one replayed with a fresh time fails
    let replay = x
        .http
        .post(&url)
        .header("X-DVCQG-Timestamp", (now + 1).to_string())
        .header("X-DVCQG-Signature", inbound::sign(&secret, now, &body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);

    // malformed: 422 naming the field
    for (field, value) in [
        ("NgayNopHoSo", json!("07/12/2026")),
        ("SoGiayToChuHoSo", json!("123")),
        ("MaHoSo", json!(42)),
    ] {
        let mut bad = dossier.clone();
        bad[field] = value;
        let bad = serde_json::to_vec(&bad).unwrap();
        let answer = x.push_raw(&bad, &secret, now).await;
        assert_eq!(answer.status(), 422, "{field}");
        let answer: Value = answer.json().await.unwrap();
        assert_eq!(answer["field"], field);
    }
    // an attachment elsewhere than the national host: refused before any fetch (no SSRF)
    let mut ssrf = dossier.clone();
    ssrf["TaiLieuNop"][0] = json!({"TenTepDinhKem": "a.pdf", "DuongDanTaiTepTin": "http://169.254.169.254/latest/meta-data/"});
    let answer = x
        .push_raw(&serde_json::to_vec(&ssrf).unwrap(), &secret, now)
        .await;
    assert_eq!(answer.status(), 422);
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(answer["field"], "TaiLieuNop[0].DuongDanTaiTepTin");
    assert_eq!(inbox().await, 0);
    assert_eq!(x.refused("malformed").await, 4);

    // far larger than the limit: refused from its declared length, before it is read
    // (only its headers are sent: the answer comes without waiting for the body)
    let answer = {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let address = x.app.settings.public_origin.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let head = format!(
            "POST /api/v1/dvcqg/dossiers HTTP/1.1\r\nHost: {address}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\
             X-DVCQG-Timestamp: {now}\r\nX-DVCQG-Signature: sha256=00\r\n\r\n",
            inbound::PUSH_BODY_LIMIT * 4
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = vec![0u8; 4096];
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
            .await
            .expect("answered without the body")
            .unwrap();
        String::from_utf8_lossy(&answer[..n]).into_owned()
    };
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(inbox().await, 0);
    assert_eq!(x.refused("too_large").await, 1);
    // without the signature's headers nothing is read at all
    let unsigned_huge = x.http.post(&url).body(vec![b' '; 1024 * 1024]).send().await;
    if let Ok(r) = unsigned_huge {
        assert_eq!(r.status(), 401);
    }

    // taken once; the same code with other content is a conflict, and changes nothing
    assert_eq!(x.push_raw(&body, &secret, now).await.status(), 200);
    dossier["ChuHoSo"] = json!("Người Khác");
    let other = serde_json::to_vec(&dossier).unwrap();
    assert_eq!(x.push_raw(&other, &secret, now).await.status(), 409);
    let owner: String = sqlx::query_scalar("select applicant_name from dossiers where code = $1")
        .bind(format!("{AGENCY}-261207-8001"))
        .fetch_one(&x.app.db.pool)
        .await
        .unwrap();
    assert_eq!(owner, "Lê Văn C");
    // the agency's own numbering of that day goes on after the national number
    let last: i32 = sqlx::query_scalar(
        "select last_value from dossier_code_counters where agency_code = $1 and day = '2026-12-07'",
    )
    .bind(AGENCY)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert!(last >= 8001, "{last}");
}

#[tokio::test]
async fn a_national_dossier_accepted_here_shows_status_2_on_the_national_portal() {
    let x = Exchange::start().await;
    let code = x.file(filing("001190000008", false)).await["MaHoSo"]
        .as_str()
        .unwrap()
        .to_owned();
    // the nation holds it at 1 from the filing
    assert_eq!(statuses(&x.national(&code).await.unwrap()), [1]);
    // the intake itself is reported (still 1, now with the province's record)
    assert_eq!(x.sync().await.delivered, 1);
    let national = x.national(&code).await.unwrap();
    assert_eq!(national["record"]["TrangThaiHoSo"], "1");
    assert_eq!(national["record"]["MaTTHC"], PROCEDURE);
    assert_eq!(
        national["record"]["TaiLieuNop"].as_array().unwrap().len(),
        2
    );
    sign_in_staff(&x.app, "tiepnhan").await;
    x.accept(&code).await;
    assert_eq!(x.sync().await.delivered, 1);
    let national = x.national(&code).await.unwrap();
    assert_eq!(statuses(&national), [1, 2]);
    assert_eq!(national["record"]["TrangThaiHoSo"], "2");
    assert_eq!(
        national["record"]["NgayTiepNhan"].as_str().unwrap().len(),
        14
    );
    // the sandbox's page shows it as a tester reads it
    let page = x.national_page(&code).await;
    assert!(page.text("#national-status").starts_with("2 —"));
    assert!(!page.text("#received-at").is_empty());
}

#[tokio::test]
async fn national_dossiers_appear_in_my_dossiers_only_for_a_verified_identity() {
    let x = Exchange::start().await;
    let (_, personal_id, _) = motcua::demo::DEMO_CITIZEN;
    // filed under the demo citizen's number before the account's identity was verified
    let before = x.file(filing(personal_id, false)).await["MaHoSo"]
        .as_str()
        .unwrap()
        .to_owned();
    sign_in_citizen(&x.app).await;
    let mine = x.app.server.get("/account/dossiers").await.text();
    assert!(!mine.contains(&before), "a typed number proves nothing");
    // verified by the national identity (issue 21 signs it in; here set as it would)
    sqlx::query("update citizens set identity_verified_at = now() where personal_id = $1")
        .bind(personal_id)
        .execute(&x.app.db.pool)
        .await
        .unwrap();
    let after = x.file(filing(personal_id, false)).await["MaHoSo"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = Page::parse(&x.app.server.get("/account/dossiers").await.text());
    assert!(mine.text("main").contains(&after), "{}", mine.text("main"));
    assert!(!mine.text("main").contains(&before));
    // the one filed before the verification is linked at the next sign-in
    sign_in_citizen(&x.app).await;
    let mine = Page::parse(&x.app.server.get("/account/dossiers").await.text());
    assert!(mine.text("main").contains(&before), "{}", mine.text("main"));
    // both are linked to this account, none to another
    let other: i64 = sqlx::query_scalar(
        "select count(*) from dossiers where code = any($1) and citizen_id is distinct from \
           (select id from citizens where personal_id = $2)",
    )
    .bind(vec![before.clone(), after.clone()])
    .bind(personal_id)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(other, 0);
    let id = x.id(&after).await;
    let page = x.app.server.get(&format!("/account/dossiers/{id}")).await;
    assert_eq!(page.status_code(), 200);
    assert!(page.text().contains(&after));
}

#[tokio::test]
async fn a_national_dossier_lives_its_whole_life_here_and_the_nation_records_each_status() {
    let x = Exchange::start().await;
    let code = x.file(filing("001190000009", false)).await["MaHoSo"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = x.id(&code).await;
    let crew = Crew::of(&x.app).await;
    let assignee = [("assignee", crew.officer_id.as_str())];
    let appraisal = "Processing/Appraisal";

    // each step synced before the next, as the worker polling every second would
    x.sync().await;
    x.step(&crew.desk, id, "Submitted", "accept", &[]).await;
    x.step(&crew.desk, id, "Received", "forward", &[]).await;
    x.step(&crew.head, id, "Processing/Assignment", "assign", &assignee)
        .await;
    // a supplement asked, and brought to the desk
    let asked = [
        ("items", "Bản sao giấy chứng nhận kết hôn"),
        ("reason", "Cần giấy chứng nhận kết hôn của cha mẹ"),
    ];
    x.step(&crew.officer, id, appraisal, "request_supplement", &asked)
        .await;
    x.step(
        &crew.desk,
        id,
        "SupplementRequested",
        "supplement_received",
        &[],
    )
    .await;
    // the fee (a financial obligation) asked and paid
    let reason = [("reason", "Cần bổ sung theo quy định của thủ tục")];
    x.step(&crew.officer, id, appraisal, "wait_financial", &reason)
        .await;
    x.step(&crew.officer, id, "WaitingFinancial", "financial_done", &[])
        .await;
    x.step(&crew.officer, id, appraisal, "submit_for_signature", &[])
        .await;
    x.issue(&crew, id, "trich-luc-khai-sinh.pdf").await;
    x.step(&crew.desk, id, "ResultReady", "return_at_counter", &[])
        .await;

    let national = x.national(&code).await.unwrap();
    // received nationally (1), accepted, processing, supplement, processing, financial
    // obligation, processing, processed, returned: 5 and 6 never rewritten
    assert_eq!(statuses(&national), [1, 2, 4, 5, 4, 6, 4, 9, 10]);
    let record = &national["record"];
    assert_eq!(record["TrangThaiHoSo"], "10");
    assert_eq!(record["MaHoSo"], code.as_str());
    assert_eq!(record["KenhThucHien"], "2");
    let rounds = record["DanhSachHoSoBoSung"].as_array().unwrap();
    assert_eq!(rounds.len(), 1, "{record}");
    assert_eq!(rounds[0]["TrangThaiBoSung"], "1", "answered: {}", rounds[0]);
    assert_eq!(rounds[0]["NgayTiepNhanBoSung"].as_str().unwrap().len(), 14);
    assert!(
        rounds[0]["NoiDungBoSung"]
            .as_str()
            .unwrap()
            .contains("giấy chứng nhận kết hôn"),
        "{}",
        rounds[0]
    );
    assert_eq!(
        record["DanhSachGiayToKetQua"][0]["TenGiayTo"],
        "trich-luc-khai-sinh.pdf"
    );
    // nothing waits
    assert_eq!(x.sync().await, motcua::national::sync::Pass::default());
}
