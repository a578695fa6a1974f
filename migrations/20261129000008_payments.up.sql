-- Fees paid online through a gateway (VNPay 2.1.0) or at the counter, one ledger; electronic
-- receipts numbered per collecting agency and year; refunds; the gateway's every message
-- logged (DOMAIN.md §5). Amounts are whole đồng (bigint), never floating point.

-- When a fee line is due, how it is counted, and which lines are alternatives.
alter table procedure_fees
    -- 'submission': paid with the online submission; 'assessment': set by an official
    add column due            text not null default 'submission',
    -- lines of one group are alternatives: the applicant picks the one that applies
    add column choice_group   text,
    -- per-unit lines: the procedure field (key) holding the quantity, and a cap on the line
    add column quantity_field text,
    add column cap_vnd        bigint,
    add constraint procedure_fees_due_known check (due in ('submission', 'assessment')),
    add constraint procedure_fees_cap_positive check (cap_vnd is null or cap_vnd >= 0);

-- Exemptions and reductions by applicant group, with the evidence an official checks.
create table fee_reductions (
    id           uuid primary key default gen_random_uuid(),
    version_id   uuid not null references procedure_versions (id) on delete cascade,
    code         text not null,
    label_vi     text not null,
    label_en     text not null,
    -- 100: exempt
    percent      integer not null,
    evidence_vi  text not null default '',
    evidence_en  text not null default '',
    legal_basis  text not null default '',
    constraint fee_reductions_code_key unique (version_id, code),
    constraint fee_reductions_percent_range check (percent > 0 and percent <= 100)
);

-- An amount an official assessed for a dossier (fees set case by case), with reasons; the
-- latest one is the dossier's bill.
create table fee_assessments (
    id           uuid primary key default gen_random_uuid(),
    dossier_id   uuid not null references dossiers (id) on delete restrict,
    amount_vnd   bigint not null,
    reason       text not null,
    assessed_by  uuid not null references staff_users (id) on delete restrict,
    at           timestamptz not null default now(),
    constraint fee_assessments_amount_positive check (amount_vnd > 0),
    constraint fee_assessments_reason_given check (length(reason) >= 10)
);
create index fee_assessments_dossier_idx on fee_assessments (dossier_id, at desc);

-- An agency's e-receipt registration (Decree 123/2020 Art. 32, Circular 32/2025): tax code,
-- template and series symbols. Dated: a new registration starts a new book.
create table receipt_books (
    id               uuid primary key default gen_random_uuid(),
    agency_id        uuid not null references agencies (id) on delete restrict,
    tax_code         text not null,
    -- ký hiệu mẫu biên lai
    template_symbol  text not null,
    -- ký hiệu biên lai without the year: the series symbol adds the year's last two digits
    series_prefix    text not null,
    valid_from       date not null,
    valid_to         date,
    is_estimate      boolean not null default false,
    constraint receipt_books_valid_range check (valid_to is null or valid_to > valid_from)
);
create index receipt_books_agency_idx on receipt_books (agency_id, valid_from);

-- Receipt numbers restart at 1 each year per book.
create table receipt_counters (
    book_id     uuid not null references receipt_books (id) on delete restrict,
    year        integer not null,
    last_value  integer not null,
    constraint receipt_counters_pkey primary key (book_id, year),
    constraint receipt_counters_range check (last_value between 1 and 9999999)
);

create type payment_status as enum ('pending', 'paid', 'failed');

create table payments (
    id                 uuid primary key default gen_random_uuid(),
    dossier_id         uuid not null references dossiers (id) on delete restrict,
    amount_vnd         bigint not null,
    -- the bill: [{"label": …, "amount_vnd": …, "quantity": …}]
    items              jsonb not null,
    -- a reduction the applicant claimed (fee_reductions.code), for the official to check
    reduction_code     text,
    -- 'gateway' | 'cash' | 'transfer'
    method             text not null,
    -- national statistics DuocThanhToanTrucTuyen: 1 national portal, 2 the province's own gateway
    online_mode        smallint,
    gateway            text,
    -- our order reference at the gateway (vnp_TxnRef), unique
    txn_ref            text,
    -- the gateway's transaction number (vnp_TransactionNo): each IPN takes effect once
    gateway_txn_no     text,
    response_code      text,
    transaction_status text,
    bank_code          text,
    pay_date           text,
    status             payment_status not null default 'pending',
    created_at         timestamptz not null default now(),
    settled_at         timestamptz,
    -- 'ipn' | 'reconciliation' | 'counter'
    settled_by         text,
    recorded_by        uuid references staff_users (id) on delete restrict,
    -- reconciliation asks the gateway about pending payments from this time on
    next_check_at      timestamptz,
    checks             integer not null default 0,
    refunded_vnd       bigint not null default 0,
    constraint payments_amount_positive check (amount_vnd > 0),
    constraint payments_method_known check (method in ('gateway', 'cash', 'transfer')),
    constraint payments_online_mode_known check (online_mode is null or online_mode in (1, 2)),
    constraint payments_gateway_has_ref check (method <> 'gateway' or (txn_ref is not null and gateway is not null)),
    constraint payments_txn_ref_key unique (txn_ref),
    constraint payments_gateway_txn_key unique (gateway, gateway_txn_no),
    constraint payments_settled check ((status = 'pending') = (settled_at is null)),
    constraint payments_settled_by_known check (settled_by is null or settled_by in ('ipn', 'reconciliation', 'counter')),
    constraint payments_refund_range check (refunded_vnd >= 0 and refunded_vnd <= amount_vnd)
);
create index payments_dossier_idx on payments (dossier_id, created_at);
create index payments_pending_idx on payments (next_check_at) where status = 'pending';
create index payments_created_idx on payments (created_at, id);

create table refunds (
    id            uuid primary key default gen_random_uuid(),
    payment_id    uuid not null references payments (id) on delete restrict,
    amount_vnd    bigint not null,
    reason        text not null,
    -- 'done' | 'failed'
    status        text not null,
    gateway_code  text,
    requested_by  uuid references staff_users (id) on delete restrict,
    created_at    timestamptz not null default now(),
    constraint refunds_amount_positive check (amount_vnd > 0),
    constraint refunds_reason_given check (length(reason) >= 10),
    constraint refunds_status_known check (status in ('done', 'failed'))
);
create index refunds_payment_idx on refunds (payment_id);

create table receipts (
    id          uuid primary key default gen_random_uuid(),
    payment_id  uuid not null references payments (id) on delete restrict,
    book_id     uuid not null references receipt_books (id) on delete restrict,
    year        integer not null,
    number      integer not null,
    issued_at   timestamptz not null default now(),
    -- the collector's digital signature (a later issue): the signed PDF's hash and signer
    signature   jsonb,
    constraint receipts_payment_key unique (payment_id),
    constraint receipts_number_key unique (book_id, year, number),
    constraint receipts_number_range check (number between 1 and 9999999)
);

-- Every gateway message and every refused one (forged, replayed, from a wrong address).
create table payment_events (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default now(),
    payment_id  uuid references payments (id) on delete set null,
    -- 'ipn' | 'return' | 'querydr' | 'refund' | 'counter' | 'assess'
    kind        text not null,
    source_ip   inet,
    -- the reply or result code ('00', '97', 'ip_refused'…)
    outcome     text not null,
    params      jsonb not null default '{}'
);
create index payment_events_at_idx on payment_events (at desc, id desc);

-- The local sandbox gateway (development and demo only): its transactions and the IPNs it
-- still has to send.
create table sandbox_transactions (
    txn_ref             text primary key,
    transaction_no      text not null,
    amount              bigint not null,
    order_info          text not null,
    create_date         text not null,
    response_code       text not null,
    transaction_status  text not null,
    bank_code           text not null,
    pay_date            text not null,
    refunded            bigint not null default 0,
    created_at          timestamptz not null default now(),
    constraint sandbox_transactions_no_key unique (transaction_no)
);
create table sandbox_ipn_queue (
    id        bigint generated always as identity primary key,
    query     text not null,
    send_at   timestamptz not null,
    sent_at   timestamptz,
    attempts  integer not null default 0
);
create index sandbox_ipn_queue_due_idx on sandbox_ipn_queue (send_at) where sent_at is null;
