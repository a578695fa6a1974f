//! A generator of synthetic dossiers for load tests of the back office (`motcua
//! generate-dossiers`): a province's worth of history, spread over the demo agencies that have
//! an e-ID code and decide some demo procedure (each receives and decides its own dossiers, as
//! the demo's sample dossiers do) and over those procedures, with their events and case
//! officers.
//!
//! Everything is set-based: each batch is one statement that draws its rows from
//! `generate_series`, with every choice a hash of the row's serial number, so that a run is
//! reproducible and a second run only tops up. Generated dossiers carry
//! `source_system = 'generated'` and codes `<agency e-ID>-<YYMMDD>-G<serial>`.

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

/// Dossiers inserted per statement.
const BATCH: u64 = 50_000;
/// The serial number is printed in eight digits.
const MAX_SERIAL: u64 = 99_999_999;
/// The demo agency whose officials sign in: it gets a fixed share of the dossiers.
const DEMO_AGENCY: &str = "ubnd-phuong-cam-thanh";

/// Adds generated dossiers until the database holds `count` of them, with a progress bar.
/// The demo data (agencies, procedures, officials) must be loaded first (`demo::load`).
pub async fn generate(db: &PgPool, count: u64) -> anyhow::Result<()> {
    let demo: bool = sqlx::query_scalar(
        "select exists (select 1 from agencies where slug = $1) \
            and exists (select 1 from staff_users where username = 'chuyenvien')",
    )
    .bind(DEMO_AGENCY)
    .fetch_one(db)
    .await?;
    if !demo {
        bail!("the demo data is missing: load it first (`motcua demo` or `demo::load`)");
    }
    ensure_officers(db).await?;
    let (existing, next): (i64, i64) = sqlx::query_as(
        "select count(*), coalesce(max(substring(code from '-G([0-9]+)$')::bigint) + 1, 0) \
         from dossiers where source_system = 'generated'",
    )
    .fetch_one(db)
    .await?;
    let mut have = u64::try_from(existing).unwrap_or(0);
    let mut serial = u64::try_from(next).unwrap_or(0);
    if have >= count {
        println!("The database already holds {have} generated dossiers.");
        return Ok(());
    }
    if serial + (count - have) > MAX_SERIAL + 1 {
        bail!("at most {} generated dossiers", MAX_SERIAL + 1);
    }
    let bar = ProgressBar::new(count);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("Generating dossiers");
    bar.set_position(have);
    let mut conn = crate::db::batch_connection(db).await?;
    // a generated history is not news: nobody is notified of it, the nation does not hear it
    sqlx::query("set motcua.notify = 'off'")
        .execute(&mut conn)
        .await?;
    sqlx::query("set motcua.national_sync = 'off'")
        .execute(&mut conn)
        .await?;
    let started = std::time::Instant::now();
    while have < count {
        let n = BATCH.min(count - have);
        let inserted: i64 = sqlx::query_scalar(INSERT_BATCH)
            .bind(i64::try_from(serial)?)
            .bind(i64::try_from(serial + n)?)
            .bind(DEMO_AGENCY)
            .fetch_one(&mut conn)
            .await
            .context("inserting generated dossiers")?;
        serial += n;
        have += u64::try_from(inserted).unwrap_or(0);
        bar.set_position(have.min(count));
    }
    // statistics for the planner, and the visibility map that index-only scans need: the state
    // of a table that autovacuum looks after (one statement: vacuum runs outside a transaction)
    bar.set_message("Vacuuming and analysing");
    sqlx::raw_sql("vacuum (analyze) dossiers, dossier_events, staff_users, staff_roles")
        .execute(&mut conn)
        .await
        .context("vacuum (analyze)")?;
    bar.finish_with_message("Generated dossiers");
    println!(
        "The database now holds {have} generated dossiers ({:.1} s).",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Case officers for the generated dossiers: three at every deciding agency with an e-ID code,
/// two beside the demo one at the demo agency. Their password is random and never shown.
async fn ensure_officers(db: &PgPool) -> anyhow::Result<()> {
    let missing: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "{OFFICERS} select count(*) from wanted"
    )))
    .bind(DEMO_AGENCY)
    .fetch_one(db)
    .await?;
    if missing == 0 {
        return Ok(());
    }
    let hash = crate::accounts::password::hash(uuid::Uuid::new_v4().to_string()).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{OFFICERS}, users as ( \
             insert into staff_users (username, full_name, password_hash) \
             select username, full_name, $2 from wanted on conflict (username) do nothing \
             returning id, username) \
         insert into staff_roles (staff_id, role, agency_id, valid_from) \
         select u.id, 'case_officer', w.agency_id, date '2025-07-01' \
         from users u join wanted w on w.username = u.username"
    )))
    .bind(DEMO_AGENCY)
    .bind(&hash)
    .execute(db)
    .await
    .context("generated case officers")?;
    Ok(())
}

/// The generated officers still missing (`$1`: the demo agency's slug).
const OFFICERS: &str = "with wanted as ( \
      select a.id as agency_id, 'gen-' || lower(a.e_id_code) || '-' || k as username, \
        (array['Nguyễn','Trần','Lê','Phạm','Hoàng','Huỳnh','Phan','Võ'])[1 + (r % 8)] || ' ' \
          || (array['Văn','Thị','Minh','Thanh','Ngọc'])[1 + (r / 8) % 5] || ' ' \
          || (array['Hải','Hạnh','Khoa','Lâm','Nhung','Quang','Tùng','Yến'])[1 + (r / 40) % 8] \
          as full_name \
      from agencies a \
      cross join generate_series(1, 3) as k \
      cross join lateral (select hashint8extended(k, hashtext(a.slug)) & 2147483647 as r) h \
      where a.e_id_code is not null and a.valid_to is null \
        and (a.kind in (select competent_kind from procedure_versions) \
             or a.id in (select competent_agency_id from procedure_versions)) \
        and not (a.slug = $1 and k = 3) \
        and not exists (select 1 from staff_users u \
                        where u.username = 'gen-' || lower(a.e_id_code) || '-' || k))";

/// One batch: dossiers with serial numbers `$1 ..< $2` (`$3`: the demo agency's slug), their
/// submission, acceptance and latest events; returns how many dossiers were inserted.
///
/// The status mix, per 10,000: 150 submitted, 50 returned for completion, 50 refused at
/// reception, 100 withdrawn, 200 received, 600 processing (a quarter waiting for assignment, half
/// in appraisal, a quarter for signature), 100 waiting for a co-operating agency, 150 waiting
/// for a supplement, 50 for financial obligations, 200 results ready, 30 out for delivery, 50
/// stopped, 100 refused on the merits, and the rest (81.7 %) returned. Running dossiers are recent,
/// about a fifth of them past due; finished ones spread over the last two years (or the agency's
/// life, if shorter). The demo agency gets 2 % of the dossiers, and its demo case officer most of
/// its assignments.
const INSERT_BATCH: &str = r"
with
versions as (
    select v.id, v.competent_kind, v.competent_agency_id, v.time_limit_value, v.time_limit_unit
    from procedure_versions v
    where v.source_note <> 'generated for load tests' and v.effective_to is null
),
ag as (
    select (row_number() over (order by a.slug <> $3, a.e_id_code, a.id) - 1)::bigint as n,
           count(*) over ()::bigint as total,
           a.id, a.e_id_code, a.kind,
           greatest(least(730 * 86400, extract(epoch from now() - a.valid_from::timestamptz)),
                    60 * 86400)::bigint as span
    from agencies a
    where a.e_id_code is not null and a.valid_to is null
      and (a.kind in (select competent_kind from versions)
           or a.id in (select competent_agency_id from versions))
),
pv as (
    select 'k:' || v.competent_kind as key, v.id, v.time_limit_value, v.time_limit_unit,
           (row_number() over (partition by v.competent_kind order by v.id) - 1)::bigint as n
    from versions v
    union all
    select 'a:' || v.competent_agency_id, v.id, v.time_limit_value, v.time_limit_unit,
           (row_number() over (partition by v.competent_agency_id order by v.id) - 1)::bigint
    from versions v where v.competent_agency_id is not null
    union all
    select '*', v.id, v.time_limit_value, v.time_limit_unit,
           (row_number() over (order by v.id) - 1)::bigint
    from versions v
),
pk as (select key, count(*)::bigint as total from pv group by key),
officers as (
    select r.agency_id, r.staff_id,
           (row_number() over (partition by r.agency_id
                               order by u.username like 'gen-%', u.username) - 1)::bigint as n
    from staff_roles r join staff_users u on u.id = r.staff_id
    where r.role = 'case_officer' and r.valid_to is null and u.active
),
agk as (
    select ag.*, p.key as pkey, p.total as ptotal,
           (select count(*) from officers o where o.agency_id = ag.id)::bigint as ocount
    from ag
    cross join lateral (
        select pk.key, pk.total from pk
        where pk.key in ('a:' || ag.id, 'k:' || ag.kind, '*')
        order by pk.key = '*', pk.key like 'k:%' limit 1) p
),
g as (
    select i,
           hashint8extended(i, 1) & 2147483647 as r1,
           hashint8extended(i, 2) & 2147483647 as r2,
           hashint8extended(i, 3) & 2147483647 as r3,
           hashint8extended(i, 4) & 2147483647 as r4,
           hashint8extended(i, 5) & 2147483647 as r5,
           hashint8extended(i, 6) & 2147483647 as r6,
           hashint8extended(i, 7) & 2147483647 as r7
    from generate_series($1::bigint, $2::bigint - 1) as i
),
s as (
    select g.*,
           case when r1 % 10000 < 200 then 0
                else 1 + (r1 / 10000) % ((select max(total) from ag) - 1) end as agency_n,
           case
               when r2 % 10000 < 150 then 'submitted'
               when r2 % 10000 < 200 then 'returned_for_completion'
               when r2 % 10000 < 250 then 'refused_at_reception'
               when r2 % 10000 < 350 then 'withdrawn'
               when r2 % 10000 < 550 then 'received'
               when r2 % 10000 < 1150 then 'processing'
               when r2 % 10000 < 1250 then 'waiting_cooperation'
               when r2 % 10000 < 1400 then 'supplement_requested'
               when r2 % 10000 < 1450 then 'waiting_financial'
               when r2 % 10000 < 1650 then 'result_ready'
               when r2 % 10000 < 1680 then 'out_for_delivery'
               when r2 % 10000 < 1730 then 'stopped'
               when r2 % 10000 < 1830 then 'refused_on_merits'
               else 'returned'
           end::dossier_status as status
    from g
),
d as (
    select s.*,
           case when s.status = 'processing'
                then (array['assignment', 'appraisal', 'appraisal', 'signature'])[1 + (s.r2 / 10000) % 4]
           end::processing_step as step,
           a.n as an, a.id as agency_id, a.e_id_code, a.span, v.id as version_id,
           case v.time_limit_unit
               when 'working_days' then make_interval(days => ceil(coalesce(v.time_limit_value, 5) * 1.4)::int)
               when 'days' then make_interval(days => coalesce(v.time_limit_value, 5))
               when 'working_hours' then make_interval(hours => coalesce(v.time_limit_value, 8) * 3)
               else interval '8 hours'
           end as limit_span,
           o.staff_id as officer_id, c.id as cooperating_id
    from s
    join agk a on a.n = s.agency_n
    join pv v on v.key = a.pkey and v.n = s.r3 % a.ptotal
    join ag c on c.n = (a.n + 1 + s.r7 % (a.total - 1)) % a.total
    left join officers o on o.agency_id = a.id
        and o.n = case when a.n = 0 and s.r7 % 10 < 7 then 0 else (s.r7 / 10) % greatest(a.ocount, 1) end
),
t as (
    select d.*,
           case
               when status in ('submitted', 'returned_for_completion', 'refused_at_reception', 'withdrawn')
                   then null::timestamptz
               when status = 'received'
                   then now() - make_interval(secs => (r4 % 172800)::float8)
               when status in ('processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial')
                   then now() - limit_span * ((r4 % 1000) / 800.0)::float8
               when status in ('result_ready', 'out_for_delivery')
                   then now() - interval '1 day' - limit_span * (0.3 + (r4 % 1000) / 1000.0)::float8
               else now() - make_interval(secs => (2592000 + r4 % (span - 2592000))::float8)
           end as received_at
    from d
),
u as (
    select t.*,
           case
               when status = 'submitted' then now() - make_interval(secs => (r4 % 259200)::float8)
               when received_at is null then now() - make_interval(secs => (86400 + r4 % (span - 86400))::float8)
               else received_at - make_interval(secs => (600 + r6 % 28800)::float8)
           end as submitted_at,
           received_at + limit_span as due_at,
           case
               when status in ('result_ready', 'out_for_delivery')
                   then received_at + (now() - received_at) * 0.7
               when status in ('returned', 'refused_on_merits')
                   then least(received_at + limit_span * ((r5 % 1100) / 1000.0)::float8,
                              now() - interval '2 hours')
           end as result_at,
           (array['Nguyễn','Trần','Lê','Phạm','Hoàng','Huỳnh','Phan','Vũ','Võ','Đặng','Bùi','Đỗ','Hồ','Ngô','Dương','Lý'])[1 + r5 % 16]
             || ' ' || (array['Văn','Thị','Hữu','Đức','Minh','Thanh','Ngọc','Quốc','Xuân','Thu'])[1 + (r5 / 16) % 10]
             || ' ' || (array['An','Bình','Cường','Dũng','Giang','Hà','Hải','Hạnh','Hiếu','Hoa','Hùng','Hương',
                              'Khánh','Lan','Linh','Long','Mai','Nam','Nga','Phong','Phúc','Quân','Quỳnh','Sơn',
                              'Tâm','Thảo','Thắng','Trang','Tuấn','Vy'])[1 + (r5 / 160) % 30] as applicant_name,
           '051' || ((r5 / 4800) % 4)::text || lpad(((r5 / 19200) % 100)::text, 2, '0')
             || lpad((r6 % 1000000)::text, 6, '0') as applicant_personal_id,
           '+849' || lpad((r7 % 100000000)::text, 8, '0') as applicant_phone,
           (1 + r4 % 250)::text || ' '
             || (array['Hùng Vương','Quang Trung','Lê Lợi','Trần Hưng Đạo','Nguyễn Huệ','Phan Đình Phùng',
                       'Bà Triệu','Lý Thường Kiệt','Phạm Văn Đồng','Nguyễn Nghiêm'])[1 + (r5 / 4800) % 10]
             as applicant_address,
           case when r6 % 100 < 40 then 1 when r6 % 100 < 95 then 2 else 3 end::smallint as intake_channel,
           case (r6 / 100) % 10 when 0 then 'post' when 1 then 'electronic' when 2 then 'electronic'
                else 'counter' end as result_channel
    from t
),
w as (
    select u.*,
           least(now(), case
               when status = 'submitted' then submitted_at
               when received_at is null then submitted_at + make_interval(secs => (600 + r6 % 28800)::float8)
               when status = 'received' then received_at
               when status = 'processing' and step = 'assignment' then received_at + interval '1 hour'
               when status in ('processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial')
                   then received_at + (now() - received_at) * 0.6
               when status in ('result_ready', 'refused_on_merits') then result_at
               when status = 'out_for_delivery' then result_at + interval '4 hours'
               when status = 'returned' then result_at + make_interval(secs => (r7 % 259200)::float8)
               else received_at + limit_span * 0.5
           end) as changed_at
    from u
),
ins as (
    insert into dossiers (code, procedure_version_id, status, step, intake_channel, source_system,
        receiving_agency_id, competent_agency_id, submitted_at, received_at, due_at, original_due_at,
        applicant_name, applicant_personal_id, applicant_phone, applicant_address,
        result_channel, result_address, draft_step, assignee_id, cooperating_agency_id,
        cooperation_due_at, supplement_due_at, result_at, returned_at, created_at, updated_at)
    select
        e_id_code || '-' || to_char(submitted_at at time zone 'Asia/Ho_Chi_Minh', 'YYMMDD')
            || '-G' || lpad(i::text, 8, '0'),
        version_id, status, step, intake_channel, 'generated',
        agency_id, agency_id, submitted_at, received_at, due_at, due_at,
        applicant_name, applicant_personal_id, applicant_phone, applicant_address,
        result_channel, case when result_channel = 'post' then applicant_address else '' end,
        'submitted',
        case when (status = 'processing' and step <> 'assignment')
                  or status in ('waiting_cooperation', 'supplement_requested', 'waiting_financial',
                                'result_ready', 'out_for_delivery', 'returned', 'refused_on_merits', 'stopped')
             then officer_id end,
        case when status = 'waiting_cooperation' then cooperating_id end,
        case when status = 'waiting_cooperation' then changed_at + interval '5 days' end,
        case when status = 'supplement_requested' then changed_at + interval '15 days' end,
        result_at,
        case when status = 'returned' then changed_at end,
        submitted_at - make_interval(secs => (60 + r7 % 3600)::float8),
        changed_at
    from w
    on conflict (code) do nothing
    returning id, status, step, intake_channel, result_channel, submitted_at, received_at, due_at,
        receiving_agency_id, competent_agency_id, assignee_id, cooperating_agency_id, updated_at
),
last_change(status, step, from_status, action, actor_role, form, note) as (values
    ('returned_for_completion'::dossier_status, '', 'submitted'::dossier_status, 'return_for_completion',
        'reception', '02', 'Thiếu bản sao giấy tờ chứng minh nơi cư trú.'),
    ('refused_at_reception', '', 'submitted', 'refuse_at_reception', 'reception', '03',
        'Thủ tục không thuộc thẩm quyền giải quyết của cơ quan.'),
    ('withdrawn', '', 'submitted', 'withdraw', 'citizen', null, ''),
    ('processing', 'assignment', 'received', 'forward', 'reception', null, ''),
    ('processing', 'appraisal', 'processing', 'assign', 'division_head', null, ''),
    ('processing', 'signature', 'processing', 'submit_for_signature', 'case_officer', null, ''),
    ('waiting_cooperation', '', 'processing', 'send_to_cooperation', 'case_officer', null, ''),
    ('supplement_requested', '', 'processing', 'request_supplement', 'case_officer', '02',
        'Đề nghị bổ sung bản sao có chứng thực giấy tờ liên quan.'),
    ('waiting_financial', '', 'processing', 'wait_financial', 'case_officer', null, ''),
    ('result_ready', '', 'processing', 'issue_result', 'signing_authority', null, ''),
    ('out_for_delivery', '', 'result_ready', 'hand_to_post', 'reception', null, ''),
    ('returned', '', 'result_ready', 'return_at_counter', 'reception', null, ''),
    ('refused_on_merits', '', 'processing', 'refuse_on_merits', 'signing_authority', '03',
        'Hồ sơ không đủ điều kiện giải quyết theo quy định.'),
    ('stopped', '', 'processing', 'stop', 'case_officer', '05',
        'Dừng xử lý theo đề nghị của người nộp hồ sơ.')
),
events as (
    insert into dossier_events (dossier_id, at, from_status, to_status, actor_kind, actor_id, action,
        actor_role, agency_id, to_agency_id, to_staff_id, form, step_due_at, note)
    select id, submitted_at, 'draft'::dossier_status, 'submitted'::dossier_status,
           case when intake_channel = 1 then 'staff' else 'citizen' end, null::uuid,
           case when intake_channel = 1 then 'file_at_counter' else 'submit' end,
           case when intake_channel = 1 then 'reception' else 'citizen' end,
           case when intake_channel = 1 then receiving_agency_id end, receiving_agency_id,
           null::uuid, null::text, null::timestamptz, ''::text
    from ins
    union all
    select id, received_at, 'submitted'::dossier_status, 'received'::dossier_status, 'staff',
           null::uuid, 'accept', 'reception', receiving_agency_id, competent_agency_id, null::uuid,
           '01', due_at, ''
    from ins where received_at is not null
    union all
    select ins.id, ins.updated_at,
           case when ins.status = 'returned' and ins.result_channel = 'post' then 'out_for_delivery'
                else l.from_status end,
           ins.status,
           case when l.actor_role = 'citizen' then 'citizen' else 'staff' end,
           case when l.actor_role = 'case_officer' then ins.assignee_id end,
           case when ins.status = 'returned' and ins.result_channel = 'post' then 'delivered'
                when ins.status = 'returned' and ins.result_channel = 'electronic' then 'return_electronically'
                else l.action end,
           l.actor_role,
           case when l.actor_role <> 'citizen' then ins.competent_agency_id end,
           ins.cooperating_agency_id,
           case when l.action = 'assign' then ins.assignee_id end,
           l.form, null, l.note
    from ins
    join last_change l on l.status = ins.status and l.step = coalesce(ins.step::text, '')
)
select count(*) from ins
";
