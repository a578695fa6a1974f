create index national_inbox_unacked_idx on national_inbox (received_at)
    where transport = 'pull' and acked_at is null;
alter table national_inbox drop column if exists locked_until, drop column if exists claim;
