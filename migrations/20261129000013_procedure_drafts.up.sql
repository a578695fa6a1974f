-- Catalogue editing: a published procedure version is never changed. An administrator edits a
-- draft (the form as typed, kept as JSON), previews it as the public page, and publishes it
-- from an effective date: a new version then (the version in force that day ends there), or a
-- new procedure's first version.

create table procedure_drafts (
    id                 uuid primary key default gen_random_uuid(),
    -- null: a procedure that does not exist yet
    procedure_id       uuid references procedures (id) on delete cascade,
    -- the version the draft was started from
    based_on           uuid references procedure_versions (id) on delete set null,
    body               jsonb not null,
    -- 'editing' | 'published' | 'discarded'
    status             text not null default 'editing',
    created_by         uuid not null references staff_users (id) on delete restrict,
    updated_by         uuid not null references staff_users (id) on delete restrict,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    published_version  uuid references procedure_versions (id) on delete restrict,
    constraint procedure_drafts_status_known check (status in ('editing', 'published', 'discarded')),
    constraint procedure_drafts_published check ((status = 'published') = (published_version is not null))
);
-- one draft in progress per procedure
create unique index procedure_drafts_one_open on procedure_drafts (procedure_id)
    where status = 'editing';
create index procedure_drafts_status_idx on procedure_drafts (status, updated_at desc, id);
