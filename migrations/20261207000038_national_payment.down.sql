drop index if exists payments_national_paid_idx;
drop table if exists payment_bills;
alter table payments drop constraint if exists payments_gateway_known;
alter table payments drop constraint payments_settled_by_known;
alter table payments add constraint payments_settled_by_known
    check (settled_by is null or settled_by in ('ipn', 'reconciliation', 'counter'));
drop table if exists payment_routes;
