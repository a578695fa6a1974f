-- An official whose password an administrator set (a new account, a reset) must choose their
-- own before doing anything else.
alter table staff_users add column must_change_password boolean not null default false;
