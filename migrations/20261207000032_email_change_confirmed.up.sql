-- A citizen's new e-mail address (a sign-in name that also receives reset codes) takes effect
-- only once a code sent to it was entered; until then it waits here.
alter type otp_purpose add value if not exists 'change_email';
alter table citizens add column pending_email text;
