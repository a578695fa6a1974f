drop table if exists procedure_drafts;
