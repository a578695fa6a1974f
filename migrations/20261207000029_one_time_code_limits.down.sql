drop index if exists one_time_codes_requested_ip_idx;
drop index if exists one_time_codes_destination_idx;
alter table one_time_codes drop column if exists requested_ip;
