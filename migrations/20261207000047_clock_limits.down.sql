alter table clock_rules drop column if exists completion_reply_days;
alter table dossiers drop column if exists supplement_request_by;
