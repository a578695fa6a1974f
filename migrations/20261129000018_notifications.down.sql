alter table citizens drop column if exists notify_email, drop column if exists notify_sms,
    drop column if exists lang;
drop table if exists digest_days;
drop table if exists notifications;
drop table if exists message_attempts;
drop index if exists outbound_messages_failed_idx;
drop index if exists outbound_messages_due_idx;
alter table outbound_messages drop constraint if exists outbound_messages_status_known,
    drop column if exists status, drop column if exists attempts,
    drop column if exists next_attempt_at, drop column if exists locked_until,
    drop column if exists last_error, drop column if exists kind,
    drop column if exists citizen_id, drop column if exists dossier_id,
    drop column if exists attachment;
drop table if exists message_templates;
drop trigger if exists postal_items_notify on postal_items;
drop function if exists notify_on_pickup();
drop trigger if exists payments_notify on payments;
drop function if exists notify_on_payment();
drop trigger if exists dossier_events_notify on dossier_events;
drop function if exists notify_on_event();
drop function if exists notify_wanted();
drop table if exists notify_queue;
