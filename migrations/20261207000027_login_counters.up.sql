-- Sign-in attempts counted atomically, before any password is checked: one counter per account
-- name, per client address, and per client address for the anonymous forms that hash a new
-- password (registration, reset). An upsert takes the row's lock, so parallel attempts each get
-- their own number: a burst cannot slip past the limit between a check and a write. A counter
-- restarts when its window has passed.
create table login_counters (
    key           text primary key,
    attempts      integer not null,
    window_start  timestamptz not null default now(),
    constraint login_counters_attempts_positive check (attempts >= 0)
);
create index login_counters_window_idx on login_counters (window_start);

drop table login_failures;
