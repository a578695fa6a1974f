-- Dossiers (hồ sơ): the foundation of online submission. Statuses follow DOMAIN.md §1.4.

create type dossier_status as enum (
    'draft',                    -- 0 Nháp
    'submitted',                -- 1 Đã nộp / Chờ tiếp nhận
    'awaiting_payment',         -- 1a Chờ thanh toán
    'returned_for_completion',  -- 2 Yêu cầu bổ sung trước tiếp nhận (Form 02)
    'refused_at_reception',     -- 3 Từ chối tiếp nhận (Form 03)
    'received',                 -- 4 Đã tiếp nhận (Form 01): the clock starts
    'processing',               -- 5 Đang xử lý
    'waiting_cooperation',      -- 5a Chờ cơ quan phối hợp
    'supplement_requested',     -- 6 Yêu cầu bổ sung trong giải quyết
    'waiting_financial',        -- 6a Chờ thực hiện nghĩa vụ tài chính
    'stopped',                  -- 8 Dừng xử lý (Form 05)
    'withdrawn',                -- 9 Công dân rút hồ sơ
    'refused_on_merits',        -- 10 Từ chối giải quyết
    'result_ready',             -- 11 Chờ trả kết quả
    'out_for_delivery',         -- 12 Đang chuyển phát
    'returned'                  -- 13 Đã trả kết quả
);

-- One counter per agency code and day: the daily sequence of dossier codes (DOMAIN §2.1),
-- taken atomically with insert … on conflict … returning.
create table dossier_code_counters (
    agency_code  text not null,
    day          date not null,
    last_value   integer not null,
    constraint dossier_code_counters_pkey primary key (agency_code, day),
    constraint dossier_code_counters_positive check (last_value > 0)
);

create table dossiers (
    id                    uuid primary key default gen_random_uuid(),
    -- <agency e-ID>-<YYMMDD>-<sequence>; issued at submission, one code across all channels
    code                  text,
    -- hash of the short lookup PIN printed on the acknowledgement
    pin_hash              text,
    citizen_id            uuid references citizens (id) on delete restrict,
    procedure_version_id  uuid not null references procedure_versions (id) on delete restrict,
    status                dossier_status not null default 'draft',
    -- 1 counter, 2 online, 3 public post (national statistics' KenhThucHien)
    intake_channel        smallint not null,
    -- where the dossier came from: this portal, the national portal …
    source_system         text not null default 'motcua',
    external_code         text,
    receiving_agency_id   uuid references agencies (id) on delete restrict,
    competent_agency_id   uuid references agencies (id) on delete restrict,
    submitted_at          timestamptz,
    received_at           timestamptz,
    due_at                timestamptz,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    constraint dossiers_code_key unique (code),
    constraint dossiers_intake_channel_known check (intake_channel in (1, 2, 3)),
    constraint dossiers_submitted_has_code check (status = 'draft' or (code is not null and submitted_at is not null))
);
create index dossiers_citizen_idx on dossiers (citizen_id, created_at desc, id);
create index dossiers_status_idx on dossiers (status, receiving_agency_id);
create trigger dossiers_set_updated_at before update on dossiers
    for each row execute function set_updated_at();

-- Every change of a dossier's status, with who made it.
create table dossier_events (
    id           bigint generated always as identity primary key,
    dossier_id   uuid not null references dossiers (id) on delete cascade,
    at           timestamptz not null default now(),
    from_status  dossier_status,
    to_status    dossier_status not null,
    actor_kind   text not null,
    actor_id     uuid,
    note         text not null default '',
    constraint dossier_events_actor_kind_known check (actor_kind in ('citizen', 'staff', 'system'))
);
create index dossier_events_dossier_idx on dossier_events (dossier_id, at);
