-- The portal's queries run as motcua_writer (src/db.rs sets it on every pooled connection); the
-- migrations run as the owner. The writer reads and writes every table, but the append-only
-- ones — the audit log, the dossiers' and gateways' histories, issued receipts, refunds, the
-- feedback steps and the officials' reads — it may only read and add to: no UPDATE, DELETE or
-- TRUNCATE, whatever code or injected statement asks (the triggers refusing UPDATE and TRUNCATE
-- stay, for the owner). Deleting a scratch dossier still takes its history with it: PostgreSQL
-- runs ON DELETE CASCADE as the referencing table's owner. A refund moves forward only through
-- refund_step (below), which the writer may call but not bypass.
--
-- The role is the cluster's: created here when missing (the migrating role needs CREATEROLE
-- then; in production a database administrator creates it first, see the README).
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'motcua_writer') then
        create role motcua_writer nologin;
    end if;
exception when duplicate_object or unique_violation then
    -- another database's migration created it at the same moment
    null;
end
$$;

-- the migrating role takes the writer's part in its sessions (a superuser may anyway)
do $$
begin
    execute format('grant motcua_writer to %I', current_user);
exception when others then
    null;
end
$$;

grant usage on schema public to motcua_writer;
grant select, insert, update, delete on all tables in schema public to motcua_writer;
grant usage, select on all sequences in schema public to motcua_writer;
grant execute on all functions in schema public to motcua_writer;
-- tables and sequences later migrations create (as the owner) are the writer's too
alter default privileges in schema public grant select, insert, update, delete on tables to motcua_writer;
alter default privileges in schema public grant usage, select on sequences to motcua_writer;
alter default privileges in schema public grant execute on functions to motcua_writer;

revoke update, delete, truncate on audit_log, dossier_events, payment_events, receipts, refunds,
    feedback_events, dossier_reads from motcua_writer;
-- the migrations' own bookkeeping is the owner's alone
revoke insert, update, delete, truncate on _sqlx_migrations from motcua_writer;

-- A refund's one way forward: awaiting_approval → sending (approved by a second official, not
-- the one who asked), sending → done | failed (the gateway's outcome). Anything else changes
-- nothing and answers false.
create function refund_step(p_refund uuid, p_from text, p_to text, p_official uuid, p_gateway_code text)
returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    moved integer;
begin
    if p_from = 'awaiting_approval' and p_to = 'sending' then
        update refunds set status = 'sending', approved_by = p_official, approved_at = now()
         where id = p_refund and status = 'awaiting_approval';
    elsif p_from = 'sending' and p_to in ('done', 'failed') then
        update refunds set status = p_to, gateway_code = p_gateway_code
         where id = p_refund and status = 'sending';
    else
        return false;
    end if;
    get diagnostics moved = row_count;
    return moved = 1;
end
$$;
revoke all on function refund_step(uuid, text, text, uuid, text) from public;
grant execute on function refund_step(uuid, text, text, uuid, text) to motcua_writer;
