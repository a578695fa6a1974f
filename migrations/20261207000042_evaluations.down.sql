drop table if exists dossier_evaluations;
drop table if exists evaluation_items;
