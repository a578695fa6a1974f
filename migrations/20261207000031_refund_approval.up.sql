-- A refund above refund_second_approval_vnd waits for a second official's approval; the gateway
-- is called only after the refund was claimed for sending ('sending') and the payment's lock
-- released, and the outcome is recorded afterwards.
alter table refunds drop constraint refunds_status_known,
    add constraint refunds_status_known
        check (status in ('awaiting_approval', 'sending', 'done', 'failed')),
    add column approved_by uuid references staff_users (id) on delete restrict,
    add column approved_at timestamptz,
    add constraint refunds_approved_by_another
        check (approved_by is null or approved_by <> requested_by);
create index refunds_open_idx on refunds (payment_id) where status in ('awaiting_approval', 'sending');
