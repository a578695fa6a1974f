-- The public postal channel (QĐ 45/2016/QĐ-TTg; DOMAIN.md §4.3): post offices serving reception
-- units, S10 item numbers from ranges per office, items picked up from citizens and results
-- delivered to them, hand-over manifests signed off by the receiving side, every step an event,
-- and a signed webhook for an operator's own system.

insert into agency_kinds (code, name_vi, name_en, group_vi, group_en, sort_order)
values ('post_office', 'Bưu điện', 'Post office', 'Bưu điện (dịch vụ bưu chính công ích)',
        'Post office (public postal service)', 90)
on conflict (code) do nothing;

-- Which reception units a post office serves.
create table postal_service_areas (
    post_office_id  uuid not null references agencies (id) on delete cascade,
    unit_id         uuid not null references agencies (id) on delete cascade,
    constraint postal_service_areas_pkey primary key (post_office_id, unit_id)
);
create index postal_service_areas_unit_idx on postal_service_areas (unit_id);

-- S10 item numbers an office may issue: a two-letter prefix and a serial range.
create table postal_number_ranges (
    id              uuid primary key default gen_random_uuid(),
    post_office_id  uuid not null references agencies (id) on delete cascade,
    prefix          text not null,
    first_serial    integer not null,
    last_serial     integer not null,
    next_serial     integer not null,
    constraint postal_number_ranges_prefix_format check (prefix ~ '^[A-Z]{2}$'),
    constraint postal_number_ranges_order check (first_serial >= 0 and last_serial <= 99999999
        and first_serial <= last_serial and next_serial between first_serial and last_serial + 1)
);
create index postal_number_ranges_office_idx on postal_number_ranges (post_office_id);

create table postal_manifests (
    id              uuid primary key default gen_random_uuid(),
    post_office_id  uuid not null references agencies (id) on delete restrict,
    unit_id         uuid not null references agencies (id) on delete restrict,
    -- 'to_unit': picked-up dossiers handed to the reception unit; 'to_post': results handed to
    -- the post office for delivery
    direction       text not null,
    created_by      uuid references staff_users (id) on delete restrict,
    created_at      timestamptz not null default now(),
    -- the receiving side's sign-off
    confirmed_by    uuid references staff_users (id) on delete restrict,
    confirmed_at    timestamptz,
    constraint postal_manifests_direction_known check (direction in ('to_unit', 'to_post')),
    constraint postal_manifests_confirmed check ((confirmed_by is null) = (confirmed_at is null))
);
create index postal_manifests_unit_idx on postal_manifests (unit_id, direction, created_at);
create index postal_manifests_office_idx on postal_manifests (post_office_id, created_at);

create table postal_items (
    id               uuid primary key default gen_random_uuid(),
    dossier_id       uuid not null references dossiers (id) on delete restrict,
    -- 'pickup': the citizen's papers to the unit; 'delivery': the result to the citizen
    direction        text not null,
    post_office_id   uuid not null references agencies (id) on delete restrict,
    -- pickup: scheduled → collected | incomplete → handed_over → received
    -- delivery: handed_over → out → delivered | returned (failed attempts stay out)
    status           text not null,
    tracking_number  text,
    address          text not null,
    phone            text not null default '',
    attempts         integer not null default 0,
    manifest_id      uuid references postal_manifests (id) on delete restrict,
    note             text not null default '',
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint postal_items_direction_known check (direction in ('pickup', 'delivery')),
    constraint postal_items_status_known check (status in ('scheduled', 'collected', 'incomplete',
        'handed_over', 'received', 'out', 'delivered', 'returned')),
    constraint postal_items_tracking_key unique (tracking_number),
    constraint postal_items_collected_numbered check (status in ('scheduled', 'incomplete') or tracking_number is not null)
);
create index postal_items_office_idx on postal_items (post_office_id, direction, status, created_at);
create index postal_items_dossier_idx on postal_items (dossier_id);
create trigger postal_items_set_updated_at before update on postal_items
    for each row execute function set_updated_at();

-- Every step of an item, by postal staff or by the operator's system.
create table postal_events (
    id           bigint generated always as identity primary key,
    item_id      uuid not null references postal_items (id) on delete cascade,
    at           timestamptz not null default now(),
    kind         text not null,
    -- 'staff' | 'webhook' | 'unit'
    source       text not null,
    staff_id     uuid references staff_users (id) on delete restrict,
    -- the operator's event id (webhook): each takes effect once
    external_id  text,
    details      jsonb not null default '{}',
    constraint postal_events_source_known check (source in ('staff', 'webhook', 'unit')),
    constraint postal_events_external_key unique (external_id)
);
create index postal_events_item_idx on postal_events (item_id, at);

-- Refused webhook calls and delivery attempts (bad signature, old, replayed, wrong office…).
create table postal_refusals (
    id      bigint generated always as identity primary key,
    at      timestamptz not null default now(),
    source  text not null,
    reason  text not null,
    details jsonb not null default '{}'
);
