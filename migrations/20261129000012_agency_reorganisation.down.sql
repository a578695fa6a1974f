drop function if exists agency_in_force(uuid, date);
drop index if exists agency_successions_pending_idx;
alter table agency_successions
    drop constraint if exists agency_successions_transfer_kind,
    drop column if exists recorded_at,
    drop column if exists recorded_by,
    drop column if exists transferred_at,
    drop column if exists transfer;
