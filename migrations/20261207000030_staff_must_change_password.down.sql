alter table staff_users drop column if exists must_change_password;
