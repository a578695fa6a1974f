-- Administrative units are reorganised with their agencies (the 2025 reform merged communes):
-- an ended unit points to the unit that took its place, so old addresses stay readable.
alter table admin_units add column successor_id uuid references admin_units (id) on delete restrict;
create index admin_units_successor_id_idx on admin_units (successor_id);
