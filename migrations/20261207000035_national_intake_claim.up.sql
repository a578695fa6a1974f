-- Who is processing an inbox row: a claim token and its lease. Every write that ends the
-- processing checks the token, so that a run whose lease ran out (a slow attachment) cannot
-- overwrite what a later run or an administrator's retry decided.
alter table national_inbox
    add column claim uuid,
    add column locked_until timestamptz;
drop index if exists national_inbox_unacked_idx;
