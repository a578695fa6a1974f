-- Back-office queues at 1,000,000 dossiers (tests/load/back_office.sh): the "overdue" and
-- "due soon" inboxes filter the assignee over every running status, 'received' included; the
-- "awaiting assignment" and "awaiting signature" inboxes read one step; the reception desk's
-- record against the 8-hour rule counts its decisions from the index alone.
drop index if exists dossiers_assignee_idx;
create index dossiers_assignee_idx on dossiers (assignee_id, due_at, id)
    where status in ('received', 'processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial');
create index dossiers_step_queue_idx on dossiers (competent_agency_id, step, due_at, id)
    where status = 'processing';
drop index if exists dossier_events_reception_idx;
create index dossier_events_reception_idx on dossier_events (agency_id, at) include (step_due_at)
    where action in ('Accept', 'ReturnForCompletion', 'RefuseAtReception');
