drop index if exists admin_units_successor_id_idx;
alter table admin_units drop column if exists successor_id;
