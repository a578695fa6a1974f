drop index if exists dossiers_national_owner_idx;
alter table citizens drop column if exists identity_verified_at;
drop table if exists national_inbox;
