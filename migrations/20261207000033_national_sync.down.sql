drop trigger if exists dossier_events_national_sync on dossier_events;
drop function if exists national_sync_enqueue();
drop table if exists national_sync_outbox;
drop table if exists national_sync_state;
