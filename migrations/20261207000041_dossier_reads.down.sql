drop table if exists dossier_reads;
drop function if exists dossier_reads_append_only();
