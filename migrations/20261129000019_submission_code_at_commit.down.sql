drop trigger dossiers_submitted_has_code on dossiers;
drop function dossiers_check_submitted_has_code();
alter table dossiers add constraint dossiers_submitted_has_code
    check (status = 'draft' or (code is not null and submitted_at is not null));
