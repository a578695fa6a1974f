drop table if exists postal_refusals;
drop table if exists postal_events;
drop table if exists postal_items;
drop table if exists postal_manifests;
drop table if exists postal_number_ranges;
drop table if exists postal_service_areas;
-- the kind stays while post offices are recorded (they are agencies' data, not this migration's)
delete from agency_kinds where code = 'post_office' and not exists (select 1 from agencies where kind = 'post_office');
