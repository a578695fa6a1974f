-- The back office: who holds a dossier, the steps of processing, dated rules of the clock,
-- and an event history rich enough to print the Form 06 control slip and judge every
-- hand-over (DOMAIN.md §1.4–1.5, §6; Decree 118 Arts. 17–23).

-- Where a dossier stands inside 'processing' (phân công → thẩm định → trình ký).
create type processing_step as enum ('assignment', 'appraisal', 'signature');

alter table dossiers
    add column step                  processing_step,
    -- the case officer handling it at the competent agency
    add column assignee_id           uuid references staff_users (id) on delete restrict,
    -- the co-operating agency of an inter-agency step, and its sub-deadline
    add column cooperating_agency_id uuid references agencies (id) on delete restrict,
    add column cooperation_due_at    timestamptz,
    -- the supplement asked during appraisal: when, and until when the citizen may answer
    add column supplement_due_at     timestamptz,
    -- the appointment as first printed on Form 01 (or after a supplement's restart): a
    -- reschedule (Form 04) changes due_at once, and the dossier still counts late against this
    add column original_due_at       timestamptz,
    add column rescheduled_at        timestamptz,
    add column result_at             timestamptz,
    add column returned_at           timestamptz,
    -- the result document issued (a file of the dossier) and whether the citizen may download it
    add column result_file_id        uuid references dossier_files (id) on delete restrict,
    -- who filed it at the counter (never the applicant's identity)
    add column filed_by              uuid references staff_users (id) on delete restrict,
    add constraint dossiers_processing_has_step check ((status = 'processing') = (step is not null)),
    add constraint dossiers_cooperation_has_agency check (status <> 'waiting_cooperation' or cooperating_agency_id is not null),
    add constraint dossiers_result_has_time check (status not in ('result_ready', 'out_for_delivery', 'returned') or result_at is not null);

-- The back office's queues and inboxes, each read by keyset in due order.
create index dossiers_competent_queue_idx on dossiers (competent_agency_id, status, due_at, id)
    where status in ('received', 'processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial', 'result_ready');
create index dossiers_assignee_idx on dossiers (assignee_id, due_at, id)
    where status in ('processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial');
create index dossiers_cooperation_idx on dossiers (cooperating_agency_id, cooperation_due_at, id)
    where status = 'waiting_cooperation';
create index dossiers_reception_queue_idx on dossiers (receiving_agency_id, submitted_at, id)
    where status = 'submitted';
create index dossiers_return_queue_idx on dossiers (receiving_agency_id, result_at, id)
    where status = 'result_ready';

-- A dossier's files say what they are: the applicant's documents, a supplement, the result.
alter table dossier_files
    add column purpose text not null default 'document',
    add column added_by_staff uuid references staff_users (id) on delete set null,
    add constraint dossier_files_purpose_known check (purpose in ('document', 'supplement', 'result'));

-- Every event says what was done, by whom in which role and agency, to whom it handed the
-- dossier, which form it issued, and the deadline its hand-over is judged against.
alter table dossier_events
    add column action        text not null default '',
    add column actor_role    text,
    add column agency_id     uuid references agencies (id) on delete restrict,
    add column to_agency_id  uuid references agencies (id) on delete restrict,
    add column to_staff_id   uuid references staff_users (id) on delete restrict,
    add column form          text,
    add column step_due_at   timestamptz,
    add column details       jsonb not null default '{}',
    add constraint dossier_events_form_known check (form is null or form in ('01', '02', '03', '04', '05', '06')),
    add constraint dossier_events_reason_given check (
        action not in ('ReturnForCompletion', 'RefuseAtReception', 'RequestSupplement', 'RefuseOnMerits', 'Reschedule', 'CorrectResult')
        or length(note) >= 10);
create index dossier_events_staff_idx on dossier_events (actor_id, at) where actor_kind = 'staff';

-- Dated rules of the clock that a regulation may change: how long a citizen has to answer a
-- supplement request before the dossier is closed (Decree 118 Art. 19(5): 15 days, or the
-- sector's own), how long the competent body has to issue that request (3 working days), how
-- long a wrong result may take to correct (Art. 23: 3 working days), and the reception limit
-- for online dossiers (Art. 17(2): 8 working hours, alert within 2 hours).
create table clock_rules (
    id                          uuid primary key default gen_random_uuid(),
    -- null: every field without its own rule
    field_id                    uuid references fields (id) on delete cascade,
    supplement_reply_days       integer not null,
    supplement_request_days     integer not null,
    correction_working_days     integer not null,
    online_acknowledge_hours    integer not null,
    online_alert_hours          integer not null,
    reschedule_notice_days      integer not null,
    valid_from                  date not null,
    valid_to                    date,
    legal_basis                 text not null,
    constraint clock_rules_positive check (supplement_reply_days > 0 and supplement_request_days > 0
        and correction_working_days > 0 and online_acknowledge_hours > 0 and online_alert_hours > 0
        and reschedule_notice_days >= 0),
    constraint clock_rules_valid_range check (valid_to is null or valid_to > valid_from)
);
create index clock_rules_field_idx on clock_rules (field_id, valid_from);
insert into clock_rules (field_id, supplement_reply_days, supplement_request_days, correction_working_days,
                         online_acknowledge_hours, online_alert_hours, reschedule_notice_days, valid_from, legal_basis)
values (null, 15, 3, 3, 8, 2, 1, '2025-07-01', 'Nghị định 118/2025/NĐ-CP, Điều 17, 19, 23');
