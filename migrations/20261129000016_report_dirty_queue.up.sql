-- report_facts is brought up to date from a queue rather than a watermark: an event, payment or
-- file written by a transaction that commits late would slip under a watermark read meanwhile,
-- while its queue row only becomes visible — and is only taken — once it has committed.

create table report_dirty (
    id          bigint generated always as identity primary key,
    dossier_id  uuid not null
);

create function report_dirty_mark() returns trigger
language plpgsql
as $$
begin
    insert into report_dirty (dossier_id) values (new.dossier_id);
    return null;
end;
$$;

create trigger dossier_events_report_dirty after insert on dossier_events
    for each row execute function report_dirty_mark();
create trigger payments_report_dirty after insert or update of status on payments
    for each row execute function report_dirty_mark();
create trigger dossier_files_report_dirty after insert on dossier_files
    for each row execute function report_dirty_mark();

-- what the watermark had not reached yet
insert into report_dirty (dossier_id)
select distinct e.dossier_id from dossier_events e
where e.id > (select last_event_id from report_facts_watermark);

drop table report_facts_watermark;
drop index if exists payments_settled_at_idx;
drop index if exists dossier_files_created_at_idx;
