-- What the reports read: one row per received dossier with the facts its events give
-- (reception, the first finish, every supplement request and when processing resumed after
-- it), kept up to date from the events by `refresh_report_facts`, which the reports call for
-- the dossiers with events newer than the watermark. A report then reads one narrow row per
-- dossier instead of searching its events.

create table report_facts (
    dossier_id     uuid primary key references dossiers (id) on delete cascade,
    agency_id      uuid not null references agencies (id) on delete restrict,
    version_id     uuid not null references procedure_versions (id) on delete restrict,
    channel        smallint not null,
    received_at    timestamptz not null,
    finish_at      timestamptz,
    finish_status  dossier_status,
    due_at         timestamptz,
    -- supplement requests, in order, and when the status next changed after each
    -- ('9999-12-31' while it has not)
    supplement_at  timestamptz[] not null default '{}',
    resumed_at     timestamptz[] not null default '{}',
    e_result       boolean not null default false,
    has_files      boolean not null default false,
    reused         boolean not null default false,
    charged        boolean not null default false,
    paid_online    boolean not null default false
);
create index report_facts_agency_idx on report_facts (agency_id, received_at);
create index report_facts_received_idx on report_facts (received_at);

-- The newest event (and time) the facts include.
create table report_facts_watermark (
    singleton      boolean primary key default true,
    last_event_id  bigint not null default 0,
    refreshed_at   timestamptz not null default '-infinity',
    constraint report_facts_watermark_one check (singleton)
);
insert into report_facts_watermark default values;

create function refresh_report_facts(ids uuid[]) returns void
language sql
as $$
    delete from report_facts f where f.dossier_id = any(ids);
    insert into report_facts (dossier_id, agency_id, version_id, channel, received_at, finish_at,
        finish_status, due_at, supplement_at, resumed_at, e_result, has_files, reused, charged,
        paid_online)
    select d.id, d.receiving_agency_id, d.procedure_version_id, d.intake_channel, r.at, f.at,
        f.to_status, coalesce(d.original_due_at, d.due_at),
        coalesce(s.req, '{}'), coalesce(s.res, '{}'),
        d.result_file_id is not null,
        exists (select 1 from dossier_files x where x.dossier_id = d.id and x.purpose <> 'result'),
        exists (select 1 from dossier_files x where x.dossier_id = d.id and x.reused_from is not null),
        exists (select 1 from payments p where p.dossier_id = d.id),
        exists (select 1 from payments p where p.dossier_id = d.id and p.status = 'paid'
                  and p.online_mode is not null)
    from dossiers d
    cross join lateral (select min(e.at) as at from dossier_events e
        where e.dossier_id = d.id and e.to_status = 'received') r
    left join lateral (select e.at, e.to_status from dossier_events e
        where e.dossier_id = d.id and e.at >= r.at
          and e.to_status in ('result_ready', 'returned', 'refused_on_merits', 'stopped', 'withdrawn')
        order by e.at, e.id limit 1) f on true
    left join lateral (
        select array_agg(q.at order by q.at) as req, array_agg(q.resumed order by q.at) as res
        from (select e.at, coalesce((select min(n.at) from dossier_events n
                  where n.dossier_id = e.dossier_id and n.at > e.at
                    and n.from_status is distinct from n.to_status), '9999-12-31') as resumed
              from dossier_events e
              where e.dossier_id = d.id and e.to_status = 'supplement_requested') q) s on true
    where d.id = any(ids) and r.at is not null and d.receiving_agency_id is not null;
$$;

-- the history already there
select refresh_report_facts(array(select id from dossiers));
update report_facts_watermark set last_event_id = coalesce((select max(id) from dossier_events), 0),
    refreshed_at = now();

-- a payment settled or a file added later changes a dossier's facts without an event
create index payments_settled_at_idx on payments (settled_at);
create index dossier_files_created_at_idx on dossier_files (created_at);
