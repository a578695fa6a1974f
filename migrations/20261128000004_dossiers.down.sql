drop table if exists dossier_events;
drop table if exists dossiers;
drop table if exists dossier_code_counters;
drop type if exists dossier_status;
