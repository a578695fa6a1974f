alter table procedure_versions drop column if exists clock_starts_next_day_after_cutoff;
drop table if exists office_hours;
drop table if exists calendar_days;
