drop table if exists sandbox_ipn_queue;
drop table if exists sandbox_transactions;
drop table if exists payment_events;
drop table if exists receipts;
drop table if exists refunds;
drop table if exists payments;
drop type if exists payment_status;
drop table if exists receipt_counters;
drop table if exists receipt_books;
drop table if exists fee_reductions;
drop table if exists fee_assessments;
alter table procedure_fees
    drop constraint if exists procedure_fees_cap_positive,
    drop constraint if exists procedure_fees_due_known,
    drop column if exists cap_vnd, drop column if exists quantity_field,
    drop column if exists choice_group, drop column if exists due;
