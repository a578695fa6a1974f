drop trigger if exists receipts_no_truncate on receipts;
drop trigger if exists receipts_no_update on receipts;
drop trigger if exists payment_events_no_truncate on payment_events;
drop trigger if exists payment_events_no_update on payment_events;
drop trigger if exists dossier_events_no_truncate on dossier_events;
drop trigger if exists dossier_events_no_update on dossier_events;
drop function if exists history_unchanged();
