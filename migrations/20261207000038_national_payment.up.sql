-- The national payment platform as a second gateway (issue 21). Which gateway takes a
-- dossier's fee is dated configuration: a rule names a procedure, an agency (the receiving
-- one), or both, and holds from its date; the most specific rule in force wins, else the
-- setting payment_gateway. The platform's confirm callback settles a payment ('confirm'); an
-- attempt the platform refused to open is closed at once ('init'). The platform's e-receipt
-- (GET_BILL) is kept with its payment.
create table payment_routes (
    id              uuid primary key default gen_random_uuid(),
    procedure_code  text,
    agency_id       uuid references agencies (id) on delete restrict,
    -- 'vnpay' (the province's own gateway) | 'dvcqg' (the national platform)
    gateway         text not null,
    valid_from      date not null,
    set_by          uuid references staff_users (id) on delete restrict,
    set_at          timestamptz not null default now(),
    constraint payment_routes_gateway_known check (gateway in ('vnpay', 'dvcqg')),
    constraint payment_routes_key unique nulls not distinct (procedure_code, agency_id, valid_from)
);
create index payment_routes_lookup_idx on payment_routes (procedure_code, agency_id, valid_from desc);

alter table payments drop constraint payments_settled_by_known;
alter table payments add constraint payments_settled_by_known
    check (settled_by is null or settled_by in ('ipn', 'reconciliation', 'counter', 'confirm', 'init'));
alter table payments add constraint payments_gateway_known
    check (gateway is null or gateway in ('vnpay', 'dvcqg'));

create table payment_bills (
    payment_id  uuid primary key references payments (id) on delete restrict,
    pdf         bytea not null,
    fetched_at  timestamptz not null default now(),
    constraint payment_bills_is_pdf check (substring(pdf from 1 for 5) = '%PDF-'::bytea)
);
-- paid national payments whose e-receipt is still to be fetched
create index payments_national_paid_idx on payments (settled_at)
    where gateway = 'dvcqg' and status = 'paid';
