-- One-time codes are limited per account, per destination and per client address over an hour
-- and a day (settings otp_per_hour, otp_per_day): the address each was requested from, and
-- indexes to count by destination and address.
alter table one_time_codes add column requested_ip inet;
create index one_time_codes_destination_idx on one_time_codes (destination, created_at desc);
create index one_time_codes_requested_ip_idx on one_time_codes (requested_ip, created_at desc)
    where requested_ip is not null;
