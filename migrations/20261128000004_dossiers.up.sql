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

-- Procedure-specific questions, as data per procedure version: an administrator changes them
-- without a release.
create table procedure_fields (
    id          uuid primary key default gen_random_uuid(),
    version_id  uuid not null references procedure_versions (id) on delete cascade,
    position    integer not null,
    -- the answer's key in dossiers.answers
    key         text not null,
    label_vi    text not null,
    label_en    text not null,
    hint_vi     text not null default '',
    hint_en     text not null default '',
    -- 'text' | 'number' | 'date' | 'choice' | 'address'
    kind        text not null,
    required    boolean not null default true,
    -- for 'choice': [{"value": "...", "vi": "...", "en": "..."}]
    choices     jsonb not null default '[]',
    constraint procedure_fields_position_key unique (version_id, position),
    constraint procedure_fields_key_key unique (version_id, key),
    constraint procedure_fields_key_format check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    constraint procedure_fields_kind_known check (kind in ('text', 'number', 'date', 'choice', 'address'))
);

-- Which commune-level unit an agency serves (to route dossiers by the applicant's address).
alter table agencies add column admin_unit_id uuid references admin_units (id) on delete set null;
create index agencies_admin_unit_id_idx on agencies (admin_unit_id);

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
    -- the applicant as submitted (prefilled from the account, editable)
    applicant_name        text not null default '',
    applicant_personal_id text not null default '',
    applicant_phone       text not null default '',
    applicant_email       text not null default '',
    applicant_address     text not null default '',
    applicant_unit_id     uuid references admin_units (id) on delete restrict,
    -- filed on behalf of someone else
    on_behalf             boolean not null default false,
    principal_name        text not null default '',
    principal_personal_id text not null default '',
    relationship          text not null default '',
    -- answers to the procedure's own fields, by key
    answers               jsonb not null default '{}',
    -- delivery choice (QĐ 45/2016): how the paper dossier arrives, how the result returns
    paper_channel         text not null default 'online_only',
    pickup_address        text not null default '',
    result_channel        text not null default 'counter',
    result_address        text not null default '',
    postage_estimate_vnd  bigint,
    -- the last step the citizen completed, to resume there
    draft_step            text not null default 'applicant',
    -- one submission per draft, whatever the retries
    submit_key            uuid,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    constraint dossiers_code_key unique (code),
    constraint dossiers_intake_channel_known check (intake_channel in (1, 2, 3)),
    constraint dossiers_submitted_has_code check (status = 'draft' or (code is not null and submitted_at is not null)),
    constraint dossiers_submit_key_key unique (submit_key),
    constraint dossiers_paper_channel_known check (paper_channel in ('online_only', 'postal_pickup')),
    constraint dossiers_result_channel_known check (result_channel in ('counter', 'post', 'electronic')),
    constraint dossiers_pickup_needs_address check (paper_channel <> 'postal_pickup' or pickup_address <> ''),
    constraint dossiers_post_needs_address check (result_channel <> 'post' or result_address <> '')
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

-- Files of a dossier: one row per uploaded (or reused) file, stored under an opaque key.
create table dossier_files (
    id                 uuid primary key default gen_random_uuid(),
    dossier_id         uuid not null references dossiers (id) on delete cascade,
    -- the required document it answers (procedure_documents.position); null for "other"
    document_position  integer,
    storage_key        text not null,
    original_name      text not null,
    content_type       text not null,
    size_bytes         bigint not null,
    sha256             text not null,
    -- taken from an earlier dossier of the same citizen (counts as data reuse)
    reused_from        uuid references dossier_files (id) on delete set null,
    created_at         timestamptz not null default now(),
    constraint dossier_files_content_type_known check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
    constraint dossier_files_size_positive check (size_bytes > 0)
);
create index dossier_files_dossier_idx on dossier_files (dossier_id, document_position);

-- Postage for returning results by public post (QĐ 45/2016), dated: the tariff changes.
create table postal_tariffs (
    id           uuid primary key default gen_random_uuid(),
    valid_from   date not null,
    valid_to     date,
    -- 'province' (within the province) | 'national'
    zone         text not null,
    amount_vnd   bigint not null,
    is_estimate  boolean not null default false,
    constraint postal_tariffs_zone_known check (zone in ('province', 'national')),
    constraint postal_tariffs_amount_positive check (amount_vnd >= 0)
);
