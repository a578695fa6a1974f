-- Officials' second factor (issue 23): the authenticator app's shared secret, sealed
-- (AES-256-GCM under second_factor_key, bound to the official), confirmed by a first code; the
-- last time step a code was accepted for (each code is good once); single-use recovery codes
-- kept as SHA-256 hashes.
create table staff_second_factors (
    staff_id       uuid primary key references staff_users (id) on delete restrict,
    secret_sealed  bytea not null,
    confirmed_at   timestamptz,
    last_step      bigint not null default 0,
    created_at     timestamptz not null default now()
);
create table staff_recovery_codes (
    staff_id     uuid not null references staff_users (id) on delete restrict,
    code_sha256  text not null,
    used_at      timestamptz,
    primary key (staff_id, code_sha256)
);
