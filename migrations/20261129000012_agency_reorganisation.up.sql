-- Reorganising agencies (the 2025 reform is the example): a rename, merge or split is recorded
-- as succession links with the date it takes effect and the decision. For a rename or a merge the
-- administrator may ask the system to hand the predecessor's work to the successor on that date:
-- dossiers still in progress, officials' roles, office hours and postal service areas. Finished
-- dossiers keep the old agency, so they keep showing the old name.

alter table agency_successions
    add column transfer        boolean not null default false,
    add column transferred_at  timestamptz,
    add column recorded_by     uuid references staff_users (id) on delete set null,
    add column recorded_at     timestamptz not null default now(),
    add constraint agency_successions_transfer_kind check (not transfer or kind in ('merge', 'rename'));
create index agency_successions_pending_idx on agency_successions (effective_on)
    where transfer and transferred_at is null;

-- The agency that stands for `start` on `on_day`: `start` itself, or the end of its chain of
-- renames and merges in effect by then (a split has several successors and is not followed).
create function agency_in_force(start uuid, on_day date) returns uuid
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
