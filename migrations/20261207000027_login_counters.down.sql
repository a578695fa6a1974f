create table login_failures (
    id     bigint generated always as identity primary key,
    scope  text not null,
    key    text not null,
    at     timestamptz not null default now(),
    constraint login_failures_scope_known check (scope in ('account', 'ip'))
);
create index login_failures_key_idx on login_failures (scope, key, at desc);
drop table if exists login_counters;
