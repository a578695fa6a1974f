drop trigger if exists dossier_files_report_dirty on dossier_files;
drop trigger if exists payments_report_dirty on payments;
drop trigger if exists dossier_events_report_dirty on dossier_events;
drop function if exists report_dirty_mark();
drop table if exists report_dirty;
create table report_facts_watermark (
    singleton      boolean primary key default true,
    last_event_id  bigint not null default 0,
    refreshed_at   timestamptz not null default '-infinity',
    constraint report_facts_watermark_one check (singleton)
);
insert into report_facts_watermark (last_event_id, refreshed_at)
select coalesce(max(id), 0), now() from dossier_events;
create index payments_settled_at_idx on payments (settled_at);
create index dossier_files_created_at_idx on dossier_files (created_at);
