alter table citizens drop column if exists pending_email;
-- PostgreSQL cannot drop an enum value: 'change_email' stays in otp_purpose.
