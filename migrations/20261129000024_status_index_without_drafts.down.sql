drop index dossiers_status_idx;
create index dossiers_status_idx on dossiers (status, receiving_agency_id);
