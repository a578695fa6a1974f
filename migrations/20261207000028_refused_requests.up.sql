-- Requests refused before they proved who sent them (an IPN from an address not allowed or
-- with a wrong checksum, a postal webhook call with a bad signature): counted per source, reason
-- and day, with the last one's address, time and payload hash, never a row per request, so that
-- a flood of forgeries cannot fill the disk. The refusals of authenticated partners stay in
-- their own logs (payment_events, postal_refusals).
create table refused_requests (
    source       text not null,
    reason       text not null,
    day          date not null,
    refused      bigint not null default 1,
    last_at      timestamptz not null default now(),
    last_ip      inet,
    last_sha256  text not null,
    constraint refused_requests_pkey primary key (source, reason, day)
);
