-- The reception desk's record against the 8-working-hour rule: its decisions of the last
-- weeks, by agency and time.
create index dossier_events_reception_idx on dossier_events (agency_id, at)
    where action in ('Accept', 'ReturnForCompletion', 'RefuseAtReception');
