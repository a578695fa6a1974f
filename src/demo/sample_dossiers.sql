-- Sample dossiers of the demo citizen, one in each stage a citizen meets, so that every screen
-- has something to show. Their lookup PIN is DEMO26 (stored hashed, as real ones are). Each was
-- submitted some days before the demo was loaded, the first dossier of its day at the unit: its
-- code carries that day (<e-ID>-<YYMMDD>-0001, the day in Vietnam) and the day's counter goes
-- on from it, as a real office's would. Loading again adds none.
with citizen as (select id from citizens where phone = '+84912345678'),
samples(n, procedure, status, days_ago, due_in_days) as (values
    (1, '1.004222', 'returned', 25, null),
    (2, '2.000815', 'result_ready', 18, null),
    (3, '1.004194', 'processing', 11, 2),
    (4, '1.004873', 'supplement_requested', 8, null),
    (5, '1.000656', 'received', 4, 0),
    (6, '1.001193', 'submitted', 2, null),
    (7, '2.000635', 'withdrawn', 1, null),
    (8, '1.001612', 'awaiting_payment', 27, null),
    (9, '1.004884', 'returned_for_completion', 26, null),
    (10, '2.000908', 'refused_at_reception', 24, null),
    (11, '2.000986', 'waiting_cooperation', 23, 1),
    (12, '1.012768', 'waiting_financial', 22, null),
    (13, '1.013227', 'stopped', 21, null),
    (14, '1.014027', 'refused_on_merits', 20, null),
    (15, '1.014137', 'out_for_delivery', 19, null)),
inserted as (
    insert into dossiers (code, citizen_id, procedure_version_id, status, intake_channel, submitted_at,
        received_at, due_at, applicant_name, applicant_personal_id, applicant_phone, applicant_address,
        result_channel, receiving_agency_id, draft_step, competent_agency_id, step, assignee_id,
        cooperating_agency_id, cooperation_due_at, result_at, original_due_at)
    select '000.00.00.H48-' || to_char((now() - make_interval(days => s.days_ago))
                                       at time zone 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-0001',
        c.id, v.id, s.status::dossier_status, 2,
        now() - make_interval(days => s.days_ago),
        case when s.status in ('returned', 'result_ready', 'processing', 'supplement_requested', 'received',
                               'waiting_cooperation', 'waiting_financial', 'stopped', 'refused_on_merits', 'out_for_delivery')
             then now() - make_interval(days => s.days_ago) + interval '2 hours' end,
        case when s.due_in_days is not null then now() + make_interval(days => s.due_in_days) end,
        'Nguyễn Văn An', '051090001234', '+84912345678', '54 Hùng Vương', 'counter',
        (select id from agencies where slug = 'ubnd-phuong-cam-thanh'), 'submitted',
        (select id from agencies where slug = 'ubnd-phuong-cam-thanh'),
        case when s.status = 'processing' then 'appraisal'::processing_step end,
        case when s.status in ('processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial')
             then (select id from staff_users where username = 'chuyenvien') end,
        case when s.status = 'waiting_cooperation' then (select id from agencies where slug = 'so-tu-phap-quang-ngai') end,
        case when s.status = 'waiting_cooperation' then now() + interval '3 days' end,
        case when s.status in ('returned', 'result_ready', 'out_for_delivery', 'refused_on_merits')
             then now() - make_interval(days => greatest(s.days_ago - 7, 1)) end,
        case when s.due_in_days is not null then now() + make_interval(days => s.due_in_days) end
    from samples s
    cross join citizen c
    join procedure_versions v on v.code = s.procedure and v.version_no = 1
    where not exists (select 1 from dossiers d where d.citizen_id = c.id
                        and d.procedure_version_id = v.id and d.code like '000.00.00.H48-%')
    returning id, status, submitted_at, received_at, result_at
),
counted as (
    insert into dossier_code_counters (agency_code, day, last_value)
    select '000.00.00.H48', (i.submitted_at at time zone 'Asia/Ho_Chi_Minh')::date, 1 from inserted i
    on conflict (agency_code, day) do update
        set last_value = greatest(dossier_code_counters.last_value, 1)
)
-- submitted; received when it was (the reports count from this event); then where it stands
insert into dossier_events (dossier_id, at, from_status, to_status, actor_kind)
select i.id, i.submitted_at, 'draft'::dossier_status, 'submitted'::dossier_status, 'citizen' from inserted i
union all
select i.id, i.received_at, 'submitted'::dossier_status, 'received'::dossier_status, 'staff'
from inserted i where i.received_at is not null
union all
select i.id, coalesce(i.result_at, i.received_at + interval '1 hour', i.submitted_at + interval '2 hours'),
       case when i.received_at is not null then 'received' else 'submitted' end::dossier_status,
       i.status, 'staff'
from inserted i where i.status not in ('submitted', 'received');

-- the household-business fee is set by the provincial council: an official assessed it
insert into fee_assessments (dossier_id, amount_vnd, reason, assessed_by)
select d.id, 100000, 'Lệ phí đăng ký hộ kinh doanh theo Nghị quyết của HĐND tỉnh',
       (select id from staff_users where username = 'tiepnhan')
from dossiers d join procedure_versions v on v.id = d.procedure_version_id
where v.code = '1.001612' and d.citizen_id = (select id from citizens where phone = '+84912345678')
  and not exists (select 1 from fee_assessments f where f.dossier_id = d.id);

update dossiers d set supplement_due_at = now() + interval '7 days'
from procedure_versions v
where v.id = d.procedure_version_id and v.code = '1.004873' and d.supplement_due_at is null
  and d.status = 'supplement_requested'
  and d.citizen_id = (select id from citizens where phone = '+84912345678');

update dossiers set pin_hash = encode(sha256(convert_to(id::text || ':DEMO26', 'UTF8')), 'hex')
where citizen_id = (select id from citizens where phone = '+84912345678')
  and code like '000.00.00.H48-%' and pin_hash is null;

-- a draft left half-way, to resume
insert into dossiers (citizen_id, procedure_version_id, intake_channel, applicant_name,
    applicant_personal_id, applicant_phone, applicant_address, draft_step)
select c.id, v.id, 2, 'Nguyễn Văn An', '051090001234', '+84912345678', '54 Hùng Vương', 'details'
from citizens c join procedure_versions v on v.code = '1.000894' and v.version_no = 1
where c.phone = '+84912345678'
  and not exists (select 1 from dossiers d where d.citizen_id = c.id and d.status = 'draft');
