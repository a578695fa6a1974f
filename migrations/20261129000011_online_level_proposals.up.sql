-- Opening procedures online with the chairman's approval (DOMAIN.md §3): an agency
-- administrator proposes a new online level with a justification and the readiness checklist
-- the system computed; the chairman's office approves (decision number, effective date),
-- returns or rejects. An approval makes a new procedure version from the effective date; the
-- version in force until then ends that day, and dossiers keep the version they were filed on.

create table online_level_proposals (
    id                uuid primary key default gen_random_uuid(),
    procedure_id      uuid not null references procedures (id) on delete restrict,
    -- the version in force when proposed
    version_id        uuid not null references procedure_versions (id) on delete restrict,
    from_level        online_level not null,
    to_level          online_level not null,
    justification     text not null,
    -- [{"item": …, "ok": true|false}] as computed when proposed
    checklist         jsonb not null,
    -- why it goes ahead with red items
    red_explanation   text not null default '',
    agency_id         uuid not null references agencies (id) on delete restrict,
    proposed_by       uuid not null references staff_users (id) on delete restrict,
    proposed_at       timestamptz not null default now(),
    -- 'submitted' | 'approved' | 'returned' | 'rejected'
    status            text not null default 'submitted',
    decided_by        uuid references staff_users (id) on delete restrict,
    decided_at        timestamptz,
    decision_no       text,
    effective_date    date,
    comment           text not null default '',
    new_version_id    uuid references procedure_versions (id) on delete restrict,
    constraint online_level_proposals_status_known check (status in ('submitted', 'approved', 'returned', 'rejected')),
    constraint online_level_proposals_changes check (from_level <> to_level),
    constraint online_level_proposals_justified check (length(justification) >= 10),
    constraint online_level_proposals_approved check (
        status <> 'approved' or (decision_no is not null and effective_date is not null and new_version_id is not null)),
    constraint online_level_proposals_decided check ((status = 'submitted') = (decided_at is null))
);
create index online_level_proposals_status_idx on online_level_proposals (status, proposed_at);
create index online_level_proposals_procedure_idx on online_level_proposals (procedure_id, proposed_at);
-- one open proposal per procedure
create unique index online_level_proposals_one_open on online_level_proposals (procedure_id)
    where status = 'submitted';

-- A new version of a procedure from `effective`: every column of `old` and every row of the
-- tables that belong to a version (documents, fees, fields, reductions) copied, whatever
-- columns they have; `old` ends the day before. Returns the new version's id.
create function copy_procedure_version(old uuid, effective date) returns uuid
language plpgsql
as $$
declare
    new_id uuid := gen_random_uuid();
    cols text;
    child text;
    ends date;
begin
    -- the old version ends first: two versions never overlap
    select effective_to into ends from procedure_versions where id = old for update;
    update procedure_versions set effective_to = effective where id = old;
    select string_agg(quote_ident(column_name), ', ' order by ordinal_position) into cols
    from information_schema.columns
    where table_schema = current_schema() and table_name = 'procedure_versions'
      and column_name not in ('id', 'version_no', 'effective_from', 'effective_to', 'created_at')
      and is_generated = 'NEVER';
    execute format(
        'insert into procedure_versions (id, version_no, effective_from, effective_to, %s) '
        'select $1, (select max(version_no) + 1 from procedure_versions w where w.procedure_id = v.procedure_id), $2, $4, %s '
        'from procedure_versions v where v.id = $3', cols, cols)
    using new_id, effective, old, ends;
    foreach child in array array['procedure_documents', 'procedure_fees', 'procedure_fields', 'fee_reductions'] loop
        select string_agg(quote_ident(column_name), ', ' order by ordinal_position) into cols
        from information_schema.columns
        where table_schema = current_schema() and table_name = child
          and column_name not in ('id', 'version_id') and is_generated = 'NEVER';
        execute format('insert into %I (version_id, %s) select $1, %s from %I where version_id = $2',
                       child, cols, cols, child)
        using new_id, old;
    end loop;
    return new_id;
end;
$$;
