drop index if exists dossier_events_reception_idx;
create index dossier_events_reception_idx on dossier_events (agency_id, at)
    where action in ('Accept', 'ReturnForCompletion', 'RefuseAtReception');
drop index if exists dossiers_step_queue_idx;
drop index if exists dossiers_assignee_idx;
create index dossiers_assignee_idx on dossiers (assignee_id, due_at, id)
    where status in ('processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial');
