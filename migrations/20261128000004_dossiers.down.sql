drop table if exists postal_tariffs;
drop table if exists dossier_files;
drop table if exists dossier_events;
drop table if exists dossiers;
drop table if exists dossier_code_counters;
drop type if exists dossier_status;
drop index if exists agencies_admin_unit_id_idx;
alter table agencies drop column if exists admin_unit_id;
drop table if exists procedure_fields;
