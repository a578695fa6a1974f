alter table citizens
    drop constraint if exists citizens_national_sub_key,
    drop column if exists national_signed_in_at,
    drop column if exists national_loa,
    drop column if exists national_tech_id,
    drop column if exists national_sub;
