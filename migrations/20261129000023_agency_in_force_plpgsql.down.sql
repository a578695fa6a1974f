create or replace function agency_in_force(start uuid, on_day date) returns uuid
language sql stable
as $$
    with recursive chain (id, depth) as (
        select start, 0
        union all
        select s.successor_id, c.depth + 1
        from chain c
        join agency_successions s on s.predecessor_id = c.id
            and s.kind in ('merge', 'rename') and s.effective_on <= on_day
        where c.depth < 16
    )
    select id from chain order by depth desc limit 1
$$;
