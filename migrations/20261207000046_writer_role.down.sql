drop function if exists refund_step(uuid, text, text, uuid, text);
alter default privileges in schema public revoke select, insert, update, delete on tables from motcua_writer;
alter default privileges in schema public revoke usage, select on sequences from motcua_writer;
alter default privileges in schema public revoke execute on functions from motcua_writer;
revoke all on all tables in schema public from motcua_writer;
revoke all on all sequences in schema public from motcua_writer;
revoke all on all functions in schema public from motcua_writer;
revoke usage on schema public from motcua_writer;
