-- Feedback and complaints (phản ánh, kiến nghị; issue 26, QĐ 766 group 5): anyone may send
-- one about a unit, a procedure or a dossier; it is routed to the responsible unit, which
-- classifies it (5.1), refuses it, asks for more information or answers it on the 766 clock
-- (5.2), and may publish the answer without personal data; the sender says whether the answer
-- satisfied them (5.3). A dossier with feedback counts in 5.4.

-- The 766 clock, in working days, as dated rules (a new decision adds a row).
create table feedback_rules (
    step          text not null,
    working_days  integer not null,
    valid_from    date not null,
    valid_to      date,
    source        text not null,
    primary key (step, valid_from),
    constraint feedback_rules_step_known check (step in ('refuse', 'ask', 'answer', 'publish')),
    constraint feedback_rules_days_positive check (working_days > 0)
);
insert into feedback_rules (step, working_days, valid_from, source) values
('refuse', 2, date '2025-01-01', 'QĐ 766/QĐ-TTg, chỉ số 5.2: từ chối trong 2 ngày làm việc'),
('ask', 5, date '2025-01-01', 'QĐ 766/QĐ-TTg, chỉ số 5.2: đề nghị bổ sung thông tin trong 5 ngày làm việc'),
('answer', 15, date '2025-01-01', 'QĐ 766/QĐ-TTg, chỉ số 5.2: trả lời trong 15 ngày làm việc'),
('publish', 2, date '2025-01-01', 'QĐ 766/QĐ-TTg, chỉ số 5.2: công khai trả lời trong 2 ngày làm việc');

create table feedback (
    id                 uuid primary key,
    -- PAKN-YYMMDD-XXXXXX: what the sender quotes; the PIN (hashed) opens it
    code               text not null unique,
    pin_hash           text not null,
    citizen_id         uuid references citizens (id) on delete set null,
    sender_name        text not null,
    sender_phone       text not null default '',
    sender_email       text not null default '',
    lang               text not null default 'vi',
    -- the unit that answers it, and what it is about
    agency_id          uuid not null references agencies (id) on delete restrict,
    procedure_code     text not null default '',
    dossier_id         uuid references dossiers (id) on delete set null,
    -- 'procedure' (policy, rules, procedure) | 'conduct' (an official's behaviour) (766 5.1):
    -- the sender's choice, then the unit's
    category           text not null,
    classified_at      timestamptz,
    body               text not null,
    attachment_key     text,
    attachment_name    text,
    attachment_type    text,
    -- received → refused | info_requested → received … → answered → (published)
    status             text not null default 'received',
    created_at         timestamptz not null default now(),
    -- the clock: each due time fixed when its step starts (the rules in force that day)
    refuse_due         timestamptz not null,
    ask_due            timestamptz not null,
    answer_due         timestamptz not null,
    publish_due        timestamptz,
    refused_at         timestamptz,
    info_requested_at  timestamptz,
    info_received_at   timestamptz,
    answered_at        timestamptz,
    published_at       timestamptz,
    -- when the unit must act next (answer, or publish a public answer); null while the sender
    -- is asked, and once it is closed: the unit's list, overdue first
    next_due           timestamptz,
    refusal            text not null default '',
    question           text not null default '',
    info               text not null default '',
    answer             text not null default '',
    -- what is published: the question rewritten without personal data, and the answer
    public_question    text not null default '',
    answer_public      boolean not null default false,
    -- the sender's verdict on the answer (5.3)
    satisfied          boolean,
    judged_at          timestamptz,
    -- the same sender already had an answer on the same subject (5.3's "repeated")
    repeat_of          uuid references feedback (id) on delete set null,
    constraint feedback_status_known check (
        status in ('received', 'info_requested', 'refused', 'answered', 'published')),
    constraint feedback_category_known check (category in ('procedure', 'conduct')),
    constraint feedback_body_size check (char_length(body) between 1 and 4000),
    constraint feedback_contact check (citizen_id is not null or sender_phone <> '' or sender_email <> '')
);
-- a unit's list: open first, by the next due time
create index feedback_agency_due_idx on feedback (agency_id, next_due, id) where next_due is not null;
create index feedback_agency_created_idx on feedback (agency_id, created_at desc, id desc);
create index feedback_created_idx on feedback (created_at);
create index feedback_citizen_idx on feedback (citizen_id, created_at) where citizen_id is not null;
create index feedback_dossier_idx on feedback (dossier_id) where dossier_id is not null;
create index feedback_published_idx on feedback (procedure_code, published_at desc, id)
    where status = 'published';

-- Each step, append-only (the database refuses UPDATE and TRUNCATE, like dossier_events).
create table feedback_events (
    id           bigint generated always as identity primary key,
    feedback_id  uuid not null references feedback (id) on delete cascade,
    step         text not null,
    staff_id     uuid references staff_users (id) on delete restrict,
    note         text not null default '',
    at           timestamptz not null default now()
);
create index feedback_events_feedback_idx on feedback_events (feedback_id, id);
create trigger feedback_events_unchanged before update on feedback_events
    for each row execute function history_unchanged();
create trigger feedback_events_not_truncated before truncate on feedback_events
    for each statement execute function history_unchanged();

insert into message_templates (kind, lang, subject, body, sms) values
('feedback_received', 'vi', 'Đã nhận phản ánh, kiến nghị {code}',
 E'Kính gửi {name},\n\n{agency} đã nhận phản ánh, kiến nghị của bạn, mã {code}. Bạn sẽ được trả lời chậm nhất vào {due}.\n\nTheo dõi (cần mã và mã PIN): {link}',
 'Da nhan phan anh {code}. Tra loi truoc {due}. Theo doi: {link}'),
('feedback_received', 'en', 'Feedback {code} received',
 E'Dear {name},\n\n{agency} has received your feedback, code {code}. You will have an answer by {due} at the latest.\n\nFollow it (with the code and PIN): {link}',
 'Feedback {code} received. Answer by {due}. Follow: {link}'),
('feedback_refused', 'vi', 'Phản ánh, kiến nghị {code} không được xử lý',
 E'Kính gửi {name},\n\n{agency} không xử lý phản ánh, kiến nghị {code}. Lý do:\n{reason}\n\nChi tiết: {link}',
 'Phan anh {code} khong duoc xu ly. Chi tiet: {link}'),
('feedback_refused', 'en', 'Feedback {code} not taken up',
 E'Dear {name},\n\n{agency} will not take up feedback {code}. Reason:\n{reason}\n\nDetails: {link}',
 'Feedback {code} not taken up. Details: {link}'),
('feedback_info_requested', 'vi', 'Phản ánh, kiến nghị {code}: cần thêm thông tin',
 E'Kính gửi {name},\n\n{agency} cần thêm thông tin để xử lý phản ánh, kiến nghị {code}:\n{reason}\n\nBổ sung tại: {link}',
 'Phan anh {code} can them thong tin. Bo sung: {link}'),
('feedback_info_requested', 'en', 'Feedback {code}: more information needed',
 E'Dear {name},\n\n{agency} needs more information to handle feedback {code}:\n{reason}\n\nAdd it at: {link}',
 'Feedback {code} needs more information: {link}'),
('feedback_answered', 'vi', 'Phản ánh, kiến nghị {code} đã được trả lời',
 E'Kính gửi {name},\n\n{agency} đã trả lời phản ánh, kiến nghị {code}:\n{reason}\n\nXem và cho biết bạn có hài lòng không: {link}',
 'Phan anh {code} da duoc tra loi. Xem: {link}'),
('feedback_answered', 'en', 'Feedback {code} answered',
 E'Dear {name},\n\n{agency} has answered feedback {code}:\n{reason}\n\nRead it and tell us whether it satisfied you: {link}',
 'Feedback {code} answered. Read it: {link}');
