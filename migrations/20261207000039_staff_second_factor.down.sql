drop table if exists staff_recovery_codes;
drop table if exists staff_second_factors;
