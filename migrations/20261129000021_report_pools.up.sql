-- A province's year is hundreds of thousands of dossiers; reading each one's facts took more
-- than the report's second. Most of them were received and finished inside the period, and
-- such a dossier counts the same in every period that holds both its reception and its finish
-- (a pooled dossier: finished, with every supplement request between its reception and its
-- finish). The refresh adds its share, worked out by the reports' own rules, to its agency's
-- and procedure's pool for the local day of its finish; a report sums the pools of its days and
-- reads individually only the dossiers that cross one of its bounds (received before its
-- start and not finished then, or not finished at its end) and the few that are not pooled.

alter table report_facts
    add column pooled boolean generated always as (
        finish_at is not null
        and received_at <= all (supplement_at)
        and finish_at > all (supplement_at)
    ) stored;

-- the dossiers open at an instant: received at or before it, not finished by then
create index report_facts_span_idx on report_facts
    using gist (tstzrange(received_at, finish_at, '[)'));
create index report_facts_unpooled_idx on report_facts (finish_at)
    where finish_at is not null and not pooled;

-- the counts of the pooled dossiers finished on a local day, by receiving agency and procedure
-- version (the names are those of `Tally::COUNTS`)
create table report_pools (
    day                   date not null,
    agency_id             uuid not null,
    version_id            uuid not null,
    received_counter      bigint not null default 0,
    received_online       bigint not null default 0,
    received_post         bigint not null default 0,
    carried_over          bigint not null default 0,
    early                 bigint not null default 0,
    on_time               bigint not null default 0,
    late                  bigint not null default 0,
    refused               bigint not null default 0,
    withdrawn             bigint not null default 0,
    stopped               bigint not null default 0,
    waiting_supplement    bigint not null default 0,
    in_progress_within    bigint not null default 0,
    in_progress_late      bigint not null default 0,
    supplement_requested  bigint not null default 0,
    timely                bigint not null default 0,
    online_counted        bigint not null default 0,
    finished_with_result  bigint not null default 0,
    processing_seconds    bigint not null default 0,
    results_electronic    bigint not null default 0,
    digitised             bigint not null default 0,
    reused                bigint not null default 0,
    charged               bigint not null default 0,
    paid_online           bigint not null default 0,
    primary key (day, agency_id, version_id)
);

-- every dossier received on a local day, by agency, procedure version and channel (the trend
-- and the procedures used online)
create table report_received (
    day         date not null,
    agency_id   uuid not null,
    version_id  uuid not null,
    channel     smallint not null,
    dossiers    bigint not null,
    primary key (day, agency_id, version_id, channel)
);

-- Which rules the pools were summed with (`repo::POOL_RULES`): when the portal's are newer, it
-- sums the pools again from the facts (at start-up, in the background job, or with `motcua
-- refresh-reports`), and the reports say they are catching up meanwhile. 0: never summed.
create table report_pools_state (
    singleton  boolean primary key default true,
    rules      integer not null,
    built_at   timestamptz,
    constraint report_pools_state_one check (singleton)
);
insert into report_pools_state (rules) values (0);

-- a received dossier is a public record and is never deleted; its facts must not vanish
-- without the refresh taking its share out of the pools
alter table report_facts drop constraint report_facts_dossier_id_fkey,
    add constraint report_facts_dossier_id_fkey foreign key (dossier_id)
        references dossiers (id) on delete restrict not valid;
alter table report_facts validate constraint report_facts_dossier_id_fkey;
