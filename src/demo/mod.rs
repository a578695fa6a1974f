//! Demo data: a real slice of the merged Quảng Ngãi catalogue (`catalogue.sql`, idempotent),
//! and a generator of synthetic procedures for load tests.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

use crate::accounts::domain::StaffRole;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "MotCua-demo-2026";

/// Demo officials: username, full name, role, agency slug.
pub const DEMO_STAFF: &[(&str, &str, StaffRole, &str)] = &[
    (
        "tiepnhan",
        "Nguyễn Thị Tiếp",
        StaffRole::Reception,
        "ubnd-phuong-cam-thanh",
    ),
    (
        "chuyenvien",
        "Trần Văn Xử",
        StaffRole::CaseOfficer,
        "ubnd-phuong-cam-thanh",
    ),
    (
        "lanhdaophong",
        "Lê Thị Phòng",
        StaffRole::DivisionHead,
        "ubnd-phuong-cam-thanh",
    ),
    (
        "lanhdao",
        "Phạm Văn Ký",
        StaffRole::SigningAuthority,
        "ubnd-phuong-cam-thanh",
    ),
    (
        "phoihop",
        "Đỗ Văn Hợp",
        StaffRole::CaseOfficer,
        "so-tu-phap-quang-ngai",
    ),
    (
        "buudien",
        "Võ Văn Phát",
        StaffRole::Postal,
        "buu-dien-tinh-quang-ngai",
    ),
    (
        "quantricoquan",
        "Đặng Thị Quản",
        StaffRole::AgencyAdmin,
        "ubnd-phuong-cam-thanh",
    ),
    (
        "quantri",
        "Huỳnh Văn Trị",
        StaffRole::SystemAdmin,
        "ubnd-tinh-quang-ngai",
    ),
    (
        "chutich",
        "Bùi Văn Tịch",
        StaffRole::Chairman,
        "ubnd-tinh-quang-ngai",
    ),
];

/// The demo citizen: phone, personal ID number, full name.
pub const DEMO_CITIZEN: (&str, &str, &str) = ("+84912345678", "051090001234", "Nguyễn Văn An");

/// The lookup PIN of the sample dossiers (for `/tra-cuu`).
pub const SAMPLE_PIN: &str = "DEMO26";

/// The code of the sample dossier being processed, to track at `/tra-cuu` with [`SAMPLE_PIN`]:
/// it carries the day it was submitted, some days before the demo was loaded.
pub async fn sample_code(db: &PgPool) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select d.code from dossiers d join procedure_versions v on v.id = d.procedure_version_id \
         join citizens c on c.id = d.citizen_id \
         where c.phone = $1 and v.code = '1.004194' and d.status = 'processing' limit 1",
    )
    .bind(DEMO_CITIZEN.0)
    .fetch_optional(db)
    .await
}

/// What `motcua demo` prints about accounts.
pub fn accounts_note() -> String {
    let mut note = format!(
        "Demo accounts (password {DEMO_PASSWORD} for all):\n  citizen: 0912 345 678 \
         (or ID {}) at /account/login\n  officials at /staff/login:",
        DEMO_CITIZEN.1
    );
    for (username, _, role, agency) in DEMO_STAFF {
        note.push_str(&format!(
            "\n    {username:<14} {} at {agency}",
            role.as_str()
        ));
    }
    note
}

/// Loads the demo catalogue and accounts in one transaction. Running it again changes nothing.
pub async fn load(db: &PgPool) -> anyhow::Result<()> {
    let mut tx = db.begin().await.context("begin")?;
    sqlx::raw_sql(include_str!("catalogue.sql"))
        .execute(&mut *tx)
        .await
        .context("loading the demo catalogue")?;
    sqlx::raw_sql(include_str!("accounts.sql"))
        .execute(&mut *tx)
        .await
        .context("loading the demo address units")?;
    sqlx::raw_sql(include_str!("dossiers.sql"))
        .execute(&mut *tx)
        .await
        .context("loading the demo dossier set-up")?;
    load_accounts(&mut tx).await?;
    // sample history is not news: nobody is notified of it, the nation does not hear it
    sqlx::query("set local motcua.notify = 'off'")
        .execute(&mut *tx)
        .await?;
    sqlx::query("set local motcua.national_sync = 'off'")
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(include_str!("sample_dossiers.sql"))
        .execute(&mut *tx)
        .await
        .context("loading the sample dossiers")?;
    tx.commit().await.context("commit")?;
    Ok(())
}

/// One account per role, and a confirmed citizen. The password is hashed once.
async fn load_accounts(conn: &mut sqlx::PgConnection) -> anyhow::Result<()> {
    let missing: i64 = sqlx::query_scalar(
        "select (select count(*) from unnest($1::text[]) u(name) \
                 where not exists (select 1 from staff_users s where s.username = u.name)) \
              + (select count(*) from (select 1) x \
                 where not exists (select 1 from citizens where phone = $2))",
    )
    .bind(DEMO_STAFF.iter().map(|s| s.0).collect::<Vec<_>>())
    .bind(DEMO_CITIZEN.0)
    .fetch_one(&mut *conn)
    .await?;
    if missing == 0 {
        return Ok(());
    }
    let hash = crate::accounts::password::hash(DEMO_PASSWORD.to_owned()).await?;
    for (username, full_name, role, agency) in DEMO_STAFF {
        sqlx::query(
            "with s as (insert into staff_users (username, full_name, password_hash) \
                 values ($1, $2, $3) on conflict (username) do nothing returning id) \
             insert into staff_roles (staff_id, role, agency_id, valid_from) \
             select s.id, $4, a.id, date '2025-07-01' from s join agencies a on a.slug = $5",
        )
        .bind(username)
        .bind(full_name)
        .bind(&hash)
        .bind(role)
        .bind(agency)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("demo official {username}"))?;
    }
    let (phone, personal_id, full_name) = DEMO_CITIZEN;
    sqlx::query(
        "with c as (insert into citizens (full_name, personal_id, phone, confirmed_at, address_line, admin_unit_id) \
             values ($1, $2, $3, now(), '54 Hùng Vương', (select id from admin_units where code = 'demo-phuong-cam-thanh')) \
             on conflict do nothing returning id) \
         insert into citizen_credentials (citizen_id, password_hash) select id, $4 from c",
    )
    .bind(full_name)
    .bind(personal_id)
    .bind(phone)
    .bind(&hash)
    .execute(&mut *conn)
    .await
    .context("demo citizen")?;
    Ok(())
}

/// Rows inserted per statement.
const BATCH: u32 = 2_000;
/// Generated procedures take codes from 5.000000 up, far from real national codes.
const FIRST_GENERATED: u32 = 5_000_000;

/// Adds generated procedures until the catalogue holds `target` of them, with a progress bar.
pub async fn generate(db: &PgPool, target: u32) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar("select count(*) from procedures where code >= '5.'")
        .fetch_one(db)
        .await?;
    let start = u32::try_from(existing).unwrap_or(u32::MAX).min(target);
    let bar = ProgressBar::new(u64::from(target));
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("Generating procedures");
    bar.set_position(u64::from(start));
    let mut next = start;
    while next < target {
        let end = (next + BATCH).min(target);
        insert_batch(db, next, end).await?;
        bar.set_position(u64::from(end));
        next = end;
    }
    bar.finish_with_message("Generated procedures");
    // analysing is the tables' owner's: a connection of the URL's role, not the writer's
    let mut conn = crate::db::batch_connection(db).await?;
    sqlx::query("analyze procedures, procedure_versions")
        .execute(&mut conn)
        .await?;
    println!("The catalogue now holds {target} generated procedures.");
    Ok(())
}

const ACTIONS: &[(&str, &str)] = &[
    ("Cấp", "Issue of"),
    ("Cấp lại", "Re-issue of"),
    ("Gia hạn", "Extension of"),
    ("Điều chỉnh", "Amendment of"),
    ("Thu hồi", "Revocation of"),
    ("Xác nhận", "Confirmation of"),
    ("Công nhận", "Recognition of"),
    ("Đăng ký", "Registration of"),
    ("Phê duyệt", "Approval of"),
    ("Thẩm định", "Appraisal of"),
];
const OBJECTS: &[(&str, &str)] = &[
    ("giấy phép", "the licence"),
    ("chứng chỉ hành nghề", "the practising certificate"),
    (
        "giấy chứng nhận đủ điều kiện",
        "the certificate of eligibility",
    ),
    ("hồ sơ đề nghị", "the application"),
    ("giấy xác nhận", "the confirmation"),
    ("quyết định", "the decision"),
    ("thông báo", "the notice"),
];
const SUBJECTS: &[(&str, &str)] = &[
    ("kinh doanh dược", "for pharmacies"),
    ("hoạt động xây dựng", "for construction"),
    ("vận tải hành khách", "for passenger transport"),
    ("khai thác thủy sản", "for fishing"),
    ("cơ sở giáo dục", "for schools"),
    ("kinh doanh karaoke", "for karaoke businesses"),
    ("an toàn thực phẩm", "for food safety"),
    ("hoạt động khoáng sản", "for mining"),
    (
        "trồng trọt và bảo vệ thực vật",
        "for crops and plant protection",
    ),
    ("quảng cáo ngoài trời", "for outdoor advertising"),
    ("lữ hành nội địa", "for domestic travel agencies"),
    ("phòng cháy chữa cháy", "for fire safety"),
];
const QUALIFIERS: &[(&str, &str)] = &[
    ("", ""),
    (" cho tổ chức", " (organisations)"),
    (" cho cá nhân", " (individuals)"),
    (" có yếu tố nước ngoài", " (foreign element)"),
    (" tại cấp xã", " (commune level)"),
];

async fn insert_batch(db: &PgPool, from: u32, to: u32) -> anyhow::Result<()> {
    let mut codes = Vec::new();
    let mut names_vi = Vec::new();
    let mut names_en = Vec::new();
    let mut popularity = Vec::new();
    for i in from..to {
        let n = i as usize;
        // mixed radices so that neighbouring codes get different names
        let (a, o, s, q) = (
            ACTIONS[n % ACTIONS.len()],
            OBJECTS[(n / 10) % OBJECTS.len()],
            SUBJECTS[(n / 70) % SUBJECTS.len()],
            QUALIFIERS[(n / 840) % QUALIFIERS.len()],
        );
        let number = n / 4200;
        codes.push(format!(
            "{}.{:06}",
            (FIRST_GENERATED + i) / 1_000_000,
            (FIRST_GENERATED + i) % 1_000_000
        ));
        names_vi.push(format!("{} {} {}{} (mẫu số {number})", a.0, o.0, s.0, q.0));
        names_en.push(format!("{} {} {}{} (sample {number})", a.1, o.1, s.1, q.1));
        popularity.push(i32::try_from((n * 7919) % 500).unwrap_or(0));
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "with input as ( \
             select * from unnest($1::text[], $2::text[], $3::text[], $4::int[]) \
                 as t(code, name_vi, name_en, popularity)), \
         fields_n as (select id, row_number() over (order by code) - 1 as i, count(*) over () as n from fields), \
         inserted as ( \
             insert into procedures (code, field_id, popularity) \
             select input.code, f.id, input.popularity from input \
             join fields_n f on f.i = (substr(input.code, 3)::int % f.n) \
             on conflict (code) do nothing \
             returning id, code) \
         insert into procedure_versions (procedure_id, version_no, name_vi, name_en, effective_from, \
             competent_kind, time_limit_value, time_limit_unit, online_level, submit_online, \
             submit_counter, submit_post, result_counter, result_post, result_electronic, \
             is_estimate, source_note) \
         select inserted.id, 1, input.name_vi, input.name_en, date '2025-07-01', \
             case when substr(inserted.code, 8, 1)::int % 2 = 0 then 'commune_pc' else 'department' end, \
             1 + substr(inserted.code, 7, 2)::int % 20, 'working_days', \
             (array['full','partial','none'])[1 + substr(inserted.code, 8, 1)::int % 3]::online_level, \
             substr(inserted.code, 8, 1)::int % 3 < 2, true, true, true, true, false, \
             true, 'generated for load tests' \
         from inserted join input on input.code = inserted.code",
    )
    .bind(&codes)
    .bind(&names_vi)
    .bind(&names_en)
    .bind(&popularity)
    .execute(&mut *tx)
    .await
    .context("inserting generated procedures")?;
    tx.commit().await?;
    Ok(())
}
