-- Accounts, roles, sessions, one-time codes, login throttling and the audit log.

-- Administrative units for addresses (tỉnh; xã, phường, đặc khu), dated like agencies: the
-- 2025 reform will not be the last.
create table admin_units (
    id           uuid primary key default gen_random_uuid(),
    code         text not null,
    -- 'province' | 'commune'
    level        text not null,
    -- 'tinh' | 'xa' | 'phuong' | 'dac_khu'
    kind         text not null,
    name_vi      text not null,
    name_en      text not null default '',
    parent_id    uuid references admin_units (id) on delete restrict,
    valid_from   date not null,
    valid_to     date,
    is_estimate  boolean not null default false,
    constraint admin_units_code_key unique (code),
    constraint admin_units_level_known check (level in ('province', 'commune')),
    constraint admin_units_kind_known check (kind in ('tinh', 'xa', 'phuong', 'dac_khu')),
    constraint admin_units_valid_range check (valid_to is null or valid_to > valid_from)
);
create index admin_units_parent_id_idx on admin_units (parent_id);

-- A citizen's identity and contact details. How they sign in is kept apart
-- (citizen_credentials), so that the national e-ID single sign-on can be added as another way.
create table citizens (
    id              uuid primary key default gen_random_uuid(),
    full_name       text not null,
    -- số định danh cá nhân (12 digits)
    personal_id     text not null,
    -- E.164, +84…
    phone           text not null,
    -- lower case
    email           text,
    address_line    text not null default '',
    admin_unit_id   uuid references admin_units (id) on delete restrict,
    -- when the phone or email was confirmed with a one-time code
    confirmed_at    timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint citizens_personal_id_key unique (personal_id),
    constraint citizens_phone_key unique (phone),
    constraint citizens_email_key unique (email),
    constraint citizens_personal_id_format check (personal_id ~ '^[0-9]{12}$'),
    constraint citizens_phone_format check (phone ~ '^\+84[0-9]{9,10}$'),
    constraint citizens_email_lower check (email is null or email = lower(email))
);
create trigger citizens_set_updated_at before update on citizens
    for each row execute function set_updated_at();

create table citizen_credentials (
    citizen_id     uuid primary key references citizens (id) on delete cascade,
    password_hash  text not null,
    changed_at     timestamptz not null default now()
);

create type staff_role as enum (
    'reception', 'case_officer', 'division_head', 'signing_authority', 'postal',
    'agency_admin', 'system_admin', 'chairman');

create table staff_users (
    id             uuid primary key default gen_random_uuid(),
    username       text not null,
    full_name      text not null,
    email          text,
    password_hash  text not null,
    active         boolean not null default true,
    created_by     uuid references staff_users (id) on delete set null,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint staff_users_username_key unique (username),
    constraint staff_users_username_format check (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$')
);
create trigger staff_users_set_updated_at before update on staff_users
    for each row execute function set_updated_at();

-- A role held at one agency for a period: a transferred official loses it on valid_to.
create table staff_roles (
    id          uuid primary key default gen_random_uuid(),
    staff_id    uuid not null references staff_users (id) on delete cascade,
    role        staff_role not null,
    agency_id   uuid not null references agencies (id) on delete restrict,
    valid_from  date not null,
    valid_to    date,
    granted_by  uuid references staff_users (id) on delete set null,
    created_at  timestamptz not null default now(),
    constraint staff_roles_valid_range check (valid_to is null or valid_to > valid_from)
);
create index staff_roles_staff_id_idx on staff_roles (staff_id);
create index staff_roles_agency_id_idx on staff_roles (agency_id);

create type otp_purpose as enum ('confirm_contact', 'reset_password');

-- One-time codes: only their hash is kept.
create table one_time_codes (
    id           uuid primary key default gen_random_uuid(),
    citizen_id   uuid not null references citizens (id) on delete cascade,
    purpose      otp_purpose not null,
    channel      text not null,
    destination  text not null,
    code_hash    text not null,
    attempts     integer not null default 0,
    expires_at   timestamptz not null,
    used_at      timestamptz,
    created_at   timestamptz not null default now(),
    constraint one_time_codes_channel_known check (channel in ('sms', 'email'))
);
create index one_time_codes_citizen_idx on one_time_codes (citizen_id, purpose, created_at desc);

-- Messages to send. The notifications capability sends them; in development the /dev/outbox
-- page shows them.
create table outbound_messages (
    id          uuid primary key default gen_random_uuid(),
    channel     text not null,
    recipient   text not null,
    subject     text not null default '',
    body        text not null,
    created_at  timestamptz not null default now(),
    sent_at     timestamptz,
    constraint outbound_messages_channel_known check (channel in ('sms', 'email'))
);
create index outbound_messages_created_at_idx on outbound_messages (created_at desc);

-- Failed sign-ins per account name and per client address, for throttling across instances.
create table login_failures (
    id     bigint generated always as identity primary key,
    scope  text not null,
    key    text not null,
    at     timestamptz not null default now(),
    constraint login_failures_scope_known check (scope in ('account', 'ip'))
);
create index login_failures_key_idx on login_failures (scope, key, at desc);

-- Server-side sessions (tower-sessions), shared by every instance.
create table sessions (
    id           text primary key,
    data         jsonb not null,
    expiry_date  timestamptz not null
);
create index sessions_expiry_date_idx on sessions (expiry_date);

-- Append-only: the database refuses UPDATE, DELETE and TRUNCATE.
create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default now(),
    actor_kind  text not null,
    actor_id    uuid,
    action      text not null,
    ip          inet,
    -- what the event is about: an account, a role, a dossier code …
    subject     text,
    details     jsonb not null default '{}',
    constraint audit_log_actor_kind_known check (actor_kind in ('citizen', 'staff', 'system', 'anonymous'))
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_subject_idx on audit_log (subject, at desc);

create function audit_log_append_only() returns trigger
language plpgsql
as $$
begin
    raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only();
