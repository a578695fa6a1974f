alter table dossiers drop column if exists national_tech_id, drop column if exists national_loa;
