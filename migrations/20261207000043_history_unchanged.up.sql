-- A dossier's history, the gateways' messages and the receipts issued are never rewritten
-- (issue 23): the database refuses UPDATE and TRUNCATE on them, as on audit_log. (Rows still go
-- with their dossier when scratch data are deleted; a database role without UPDATE and DELETE
-- on these tables is the next step.)
create function history_unchanged() returns trigger
language plpgsql as $$
begin
    raise exception '% is append-only: its rows are never changed', tg_table_name;
end $$;
create trigger dossier_events_no_update before update on dossier_events
    for each row execute function history_unchanged();
create trigger dossier_events_no_truncate before truncate on dossier_events
    for each statement execute function history_unchanged();
create trigger payment_events_no_update before update on payment_events
    for each row execute function history_unchanged();
create trigger payment_events_no_truncate before truncate on payment_events
    for each statement execute function history_unchanged();
create trigger receipts_no_update before update on receipts
    for each row execute function history_unchanged();
create trigger receipts_no_truncate before truncate on receipts
    for each statement execute function history_unchanged();
