-- A submission takes its dossier code last, just before it commits: the agency's counter for
-- the day stays locked from the code to the commit (so that a rolled-back submission gives
-- its number back), and every concurrent submission to the agency waits for it. The rule
-- that a dossier past its draft has a code and a submission time is therefore checked when
-- the transaction commits, not at each statement.

alter table dossiers drop constraint dossiers_submitted_has_code;

create function dossiers_check_submitted_has_code() returns trigger
language plpgsql
as $$
begin
    if exists (select 1 from dossiers d where d.id = new.id and d.status <> 'draft'
               and (d.code is null or d.submitted_at is null)) then
        raise exception using errcode = 'check_violation',
            message = 'a dossier past its draft has a code and a submission time',
            constraint = 'dossiers_submitted_has_code';
    end if;
    return null;
end
$$;

-- the condition is evaluated at once: only a row left without its code is checked again at
-- the commit
create constraint trigger dossiers_submitted_has_code
    after insert or update on dossiers
    deferrable initially deferred
    for each row
    when (new.status <> 'draft' and (new.code is null or new.submitted_at is null))
    execute function dossiers_check_submitted_has_code();
