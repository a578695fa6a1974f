-- Who looked at my dossier (issue 26): every read of a dossier's page or of one of its files by
-- an official, with the unit and the role it was read in; the citizen sees the list on the
-- dossier's page. Append-only: the database refuses UPDATE and DELETE.
create table dossier_reads (
    id          bigint generated always as identity primary key,
    dossier_id  uuid not null references dossiers (id) on delete restrict,
    staff_id    uuid not null references staff_users (id) on delete restrict,
    agency_id   uuid references agencies (id) on delete restrict,
    role        text not null,
    -- 'dossier' (its page) | 'file'
    what        text not null,
    file_id     uuid,
    at          timestamptz not null default now(),
    constraint dossier_reads_what_known check (what in ('dossier', 'file'))
);
create index dossier_reads_dossier_idx on dossier_reads (dossier_id, at desc, id desc);

create function dossier_reads_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'dossier_reads is append-only';
end $$;
create trigger dossier_reads_no_change before update or delete on dossier_reads
    for each row execute function dossier_reads_append_only();
