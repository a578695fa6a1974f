-- Dossiers filed on the National Public Service Portal arrive here (pushed by the national side
-- or pulled from it, src/national/intake.rs). Each lands first in the inbox, whole, under its
-- national code: the same dossier delivered twice, or pushed and pulled, is one row and one
-- dossier. A dossier whose attachment cannot be had yet stays 'incomplete' and is retried; one
-- for a procedure or agency this portal does not know is an administrator's 'problem', with
-- its payload kept. Neither is ever dropped.
create table national_inbox (
    id              uuid primary key default gen_random_uuid(),
    national_code   text not null,
    -- 'push' or 'pull': how it arrived first
    transport       text not null,
    procedure_code  text not null default '',
    agency_code     text not null default '',
    payload         jsonb not null,
    payload_sha256  text not null,
    received_at     timestamptz not null default now(),
    -- how many times it was delivered (a second delivery of the same payload changes nothing)
    deliveries      integer not null default 1,
    status          text not null default 'pending',
    -- why it is incomplete or a problem, in the words an administrator reads
    reason          text,
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    dossier_id      uuid references dossiers (id) on delete set null,
    processed_at    timestamptz,
    -- pull: when the national side was told it was taken (or why not)
    acked_at        timestamptz,
    constraint national_inbox_code_key unique (national_code),
    constraint national_inbox_transport_known check (transport in ('push', 'pull')),
    constraint national_inbox_status_known check (status in ('pending', 'incomplete', 'problem', 'done')),
    constraint national_inbox_done_has_dossier check (status <> 'done' or dossier_id is not null)
);
create index national_inbox_due_idx on national_inbox (next_attempt_at)
    where status in ('pending', 'incomplete');
create index national_inbox_open_idx on national_inbox (received_at desc, id)
    where status in ('incomplete', 'problem');
create index national_inbox_unacked_idx on national_inbox (received_at)
    where transport = 'pull' and acked_at is null;

-- A dossier filed nationally is linked to a citizen's account here only when the account's
-- personal number was verified by the national identity (VNeID through the national portal's
-- sign-in, issue 21): a number typed at registration proves nothing.
alter table citizens add column identity_verified_at timestamptz;
create index dossiers_national_owner_idx on dossiers (applicant_personal_id)
    where source_system = 'dvcqg' and citizen_id is null;
