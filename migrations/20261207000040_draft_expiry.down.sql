delete from message_templates where kind = 'draft_expiring';
drop index if exists dossiers_draft_updated_idx;
drop table if exists draft_notices;
