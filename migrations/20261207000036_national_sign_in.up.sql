-- Sign-in with the national account (issue 21): the national subject an account is linked to
-- (one account per national account), its technical ID (TechID, sent as MaDoiTuong) and the
-- level of assurance of its last national sign-in (F766: "account verified with VNeID").
alter table citizens
    add column national_sub text,
    add column national_tech_id text,
    add column national_loa text,
    add column national_signed_in_at timestamptz,
    add constraint citizens_national_sub_key unique (national_sub);
