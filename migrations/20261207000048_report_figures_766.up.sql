-- QĐ 766 indicator 2.1 judges a dossier against its first appointment moved by the time spent
-- waiting (for a supplement, or for the citizen's financial obligation), not against the
-- appointment Decree 118 restarts from zero when the supplement arrives. The event that ends
-- the wait now records both (`due_at`: the legal one, kept on the dossier;
-- `statistics_due_at`: the 766 one); the reports' appointment history takes the 766 one where
-- an event has it.
--
-- QĐ 766 indicator 3.6 (fees paid online ÷ dossiers billed): a payment refunded in full is not
-- paid. (A dossier exempted or billed nothing has no payment row at all: an exemption records
-- none, and `payments_amount_positive` refuses a payment of 0 đồng; a failed attempt is not
-- paid.) A refund changes the payment's `refunded_vnd`, which now also queues its dossier.
--
-- The dossiers these change are queued to be worked out again.

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
                  and p.online_mode is not null and p.refunded_vnd < p.amount_vnd)
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
               array_agg(coalesce((e.details ->> 'statistics_due_at')::timestamptz,
                                  (e.details ->> 'due_at')::timestamptz) order by e.at, e.id) as due
        from dossier_events e where e.dossier_id = d.id and e.details ? 'due_at') a on true
    where d.id = any(ids) and r.at is not null and d.receiving_agency_id is not null;
end;
$$;

drop trigger payments_report_dirty on payments;
create trigger payments_report_dirty after insert or update of status, refunded_vnd on payments
    for each row execute function report_dirty_mark();

insert into report_dirty (dossier_id)
select distinct e.dossier_id from dossier_events e where e.action = 'SupplementReceived'
union
select distinct p.dossier_id from payments p where p.refunded_vnd > 0;
