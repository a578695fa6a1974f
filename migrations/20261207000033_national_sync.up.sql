-- The exchange with the National Public Service Portal (DVCQG): every change of every dossier,
-- of every channel, goes out within minutes (Decree 63/2024 Art. 7: ten minutes at most;
-- Circular 04/2025/TT-VPCP: automatic, in real time). The change to deliver is written by the
-- same transaction as the dossier's event (a trigger on dossier_events, so that no path that
-- records an event can forget it); a worker delivers it (src/national/sync.rs).

-- One row per dossier the nation hears about: its place in the delivery queue. Deliveries of one
-- dossier are claimed together, so they leave in order and never twice at once.
create table national_sync_state (
    dossier_id       uuid primary key references dossiers (id) on delete cascade,
    -- the nation holds the dossier (created there once): later records go as updates
    national_exists  boolean not null default false,
    -- the oldest change not yet delivered; null when the nation is up to date
    pending_since    timestamptz,
    next_attempt_at  timestamptz not null default now(),
    attempts         integer not null default 0,
    locked_until     timestamptz,
    -- refused for a reason no retry can fix: waits for an administrator's resend or the next change
    failed_at        timestamptz,
    last_error       text,
    -- the national side's last answer, as it came
    last_answer      jsonb,
    delivered_at     timestamptz
);
create index national_sync_due_idx on national_sync_state (next_attempt_at)
    where pending_since is not null and failed_at is null;
create index national_sync_failed_idx on national_sync_state (failed_at desc, dossier_id)
    where failed_at is not null;
create index national_sync_pending_idx on national_sync_state (pending_since)
    where pending_since is not null;

-- Every change to deliver: the event it came from, when it was written and when it arrived.
create table national_sync_outbox (
    id            bigint generated always as identity primary key,
    dossier_id    uuid not null references dossiers (id) on delete cascade,
    event_id      bigint references dossier_events (id) on delete cascade,
    -- the wire profile the change was delivered under (src/national/tt04_2025.rs)
    profile       text not null default 'tt04-2025',
    created_at    timestamptz not null default now(),
    delivered_at  timestamptz
);
create index national_sync_outbox_pending_idx on national_sync_outbox (dossier_id, id)
    where delivered_at is null;
create index national_sync_outbox_delivered_idx on national_sync_outbox (delivered_at)
    where delivered_at is not null;

-- Historical data loaded in bulk (the demo's sample dossiers, the load generators) sets
-- motcua.national_sync to 'off' for its transaction: it never happened, the nation need not hear.
create function national_sync_enqueue() returns trigger
language plpgsql as $$
begin
    if coalesce(current_setting('motcua.national_sync', true), '') = 'off' then
        return new;
    end if;
    insert into national_sync_outbox (dossier_id, event_id) values (new.dossier_id, new.id);
    insert into national_sync_state (dossier_id, pending_since, next_attempt_at)
    values (new.dossier_id, now(), now())
    on conflict (dossier_id) do update set
        pending_since = coalesce(national_sync_state.pending_since, now()),
        -- a dossier waiting out its back-off keeps waiting; one up to date or refused goes now
        next_attempt_at = case
            when national_sync_state.pending_since is null or national_sync_state.failed_at is not null
            then now() else national_sync_state.next_attempt_at end,
        attempts = case when national_sync_state.failed_at is not null then 0
                        else national_sync_state.attempts end,
        failed_at = null;
    return new;
end;
$$;
create trigger dossier_events_national_sync after insert on dossier_events
    for each row execute function national_sync_enqueue();
