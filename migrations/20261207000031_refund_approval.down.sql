drop index if exists refunds_open_idx;
update refunds set status = 'failed' where status in ('awaiting_approval', 'sending');
alter table refunds drop constraint if exists refunds_approved_by_another,
    drop column if exists approved_at,
    drop column if exists approved_by,
    drop constraint refunds_status_known,
    add constraint refunds_status_known check (status in ('done', 'failed'));
