drop table if exists counter_rating_requests;
drop index if exists dossiers_ended_idx;
drop table if exists dossier_evaluations;
drop table if exists evaluation_items;
