drop index if exists dossier_files_created_at_idx;
drop index if exists payments_settled_at_idx;
drop function if exists refresh_report_facts(uuid[]);
drop table if exists report_facts_watermark;
drop table if exists report_facts;
