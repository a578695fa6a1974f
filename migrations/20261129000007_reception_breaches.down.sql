drop index if exists dossier_events_reception_idx;
