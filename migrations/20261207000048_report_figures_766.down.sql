-- Back to migration 22's facts (the appointment each event set; any paid payment) and the
-- payments trigger on status alone.

create or replace function refresh_report_facts(ids uuid[]) returns void
language plpgsql
as $$
begin
    -- the pools hold each dossier's share: only a caller that takes the old share out and
    -- puts the new one in (`reports::repo::refresh`, with the pools' rules) may change facts;
    -- a migration that changes the rules queues the dossiers in report_dirty instead
    if current_setting('motcua.pool_rules', true) is distinct from
            (select rules::text from report_pools_state) then
        raise exception 'report_facts change without their pools: queue the dossiers in report_dirty';
    end if;
    delete from report_facts f where f.dossier_id = any(ids);
    insert into report_facts (dossier_id, agency_id, version_id, channel, received_at, finish_at,
        finish_status, due_at, supplement_at, resumed_at, due_set_at, due_values, e_result,
        has_files, reused, charged, paid_online)
    select d.id, d.receiving_agency_id, d.procedure_version_id, d.intake_channel, r.at, f.at,
        f.to_status, coalesce(d.original_due_at, d.due_at),
        coalesce(s.req, '{}'), coalesce(s.res, '{}'), coalesce(a.set_at, '{}'), coalesce(a.due, '{}'),
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
              where e.dossier_id = d.id and e.to_status = 'supplement_requested'
                and e.from_status is distinct from 'supplement_requested') q) s on true
    left join lateral (
        select array_agg(e.at order by e.at, e.id) as set_at,
               array_agg((e.details ->> 'due_at')::timestamptz order by e.at, e.id) as due
        from dossier_events e where e.dossier_id = d.id and e.details ? 'due_at') a on true
    where d.id = any(ids) and r.at is not null and d.receiving_agency_id is not null;
end;
$$;

drop trigger payments_report_dirty on payments;
create trigger payments_report_dirty after insert or update of status on payments
    for each row execute function report_dirty_mark();
