drop function if exists copy_procedure_version(uuid, date);
drop table if exists online_level_proposals;
