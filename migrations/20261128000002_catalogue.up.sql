-- The public catalogue: agencies (as a dated tree), fields, procedures and their versions.
-- Everything a decree or a provincial decision can change is a row here, never a constant in code.

-- Kinds of agency (provincial People's Committee, department, service centre, commune ...).
create table agency_kinds (
    code        text primary key,
    name_vi     text not null,
    name_en     text not null,
    -- the kind's label when it stands for "any agency of this kind" (e.g. "UBND cấp xã")
    group_vi    text not null,
    group_en    text not null,
    sort_order  integer not null default 0
);

create table agencies (
    id           uuid primary key default gen_random_uuid(),
    slug         text not null,
    parent_id    uuid references agencies (id) on delete restrict,
    kind         text not null references agency_kinds (code) on delete restrict,
    name_vi      text not null,
    name_en      text not null,
    -- mã định danh điện tử: opaque text, never parsed into a hierarchy (DOMAIN §2.2)
    e_id_code    text,
    e_id_scheme  text,
    address      text,
    phone        text,
    valid_from   date not null,
    valid_to     date,
    -- demo or imported data that nobody has checked against a decision yet
    is_estimate  boolean not null default false,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint agencies_slug_key unique (slug),
    constraint agencies_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    constraint agencies_valid_range check (valid_to is null or valid_to > valid_from),
    constraint agencies_e_id_code_format check (
        e_id_code is null or (e_id_code ~ '^[0-9A-Z]+(\.[0-9A-Z]+)*$' and length(e_id_code) <= 35)),
    constraint agencies_e_id_scheme_known check (
        e_id_scheme is null or e_id_scheme in ('qcvn102_2016', 'qd20_2020'))
);
create index agencies_parent_id_idx on agencies (parent_id);
create index agencies_kind_idx on agencies (kind);
create trigger agencies_set_updated_at before update on agencies
    for each row execute function set_updated_at();

-- Merges, splits and renames: old agencies stay readable under their old names.
create table agency_successions (
    id              uuid primary key default gen_random_uuid(),
    predecessor_id  uuid not null references agencies (id) on delete cascade,
    successor_id    uuid not null references agencies (id) on delete cascade,
    kind            text not null,
    effective_on    date not null,
    decision        text,
    constraint agency_successions_pair_key unique (predecessor_id, successor_id),
    constraint agency_successions_kind_known check (kind in ('merge', 'split', 'rename')),
    constraint agency_successions_not_self check (predecessor_id <> successor_id)
);
create index agency_successions_successor_id_idx on agency_successions (successor_id);

-- Lĩnh vực: the sector a procedure belongs to.
create table fields (
    id          uuid primary key default gen_random_uuid(),
    code        text not null,
    name_vi     text not null,
    name_en     text not null,
    sort_order  integer not null default 0,
    constraint fields_code_key unique (code)
);

-- Downloadable form templates (tờ khai, mẫu đơn). Reconstructed ones are marked as such.
create table form_templates (
    id                uuid primary key default gen_random_uuid(),
    slug              text not null,
    name_vi           text not null,
    name_en           text not null,
    legal_ref         text,
    file_name         text not null,
    content_type      text not null,
    body              bytea not null,
    is_reconstructed  boolean not null default false,
    created_at        timestamptz not null default now(),
    constraint form_templates_slug_key unique (slug),
    constraint form_templates_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);

create type online_level as enum ('full', 'partial', 'none');
create type time_unit as enum ('working_days', 'working_hours', 'days', 'same_day');

create table procedures (
    id          uuid primary key default gen_random_uuid(),
    -- national database code, e.g. 1.001193 (DOMAIN §2.3)
    code        text not null,
    field_id    uuid not null references fields (id) on delete restrict,
    -- dossiers received in the last twelve months; orders "most used" (demo data: an estimate)
    popularity  integer not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint procedures_code_key unique (code),
    constraint procedures_code_format check (code ~ '^[0-9]\.[0-9]{6}$'),
    constraint procedures_popularity_positive check (popularity >= 0)
);
create index procedures_field_id_idx on procedures (field_id);
create index procedures_popularity_idx on procedures (popularity desc, id);
create trigger procedures_set_updated_at before update on procedures
    for each row execute function set_updated_at();

-- One published version of a procedure. A dossier keeps the version it was received under.
create table procedure_versions (
    id                   uuid primary key default gen_random_uuid(),
    procedure_id         uuid not null references procedures (id) on delete cascade,
    version_no           integer not null,
    name_vi              text not null,
    name_en              text not null,
    -- Quyết định công bố: the decision that published this version
    decision_no          text,
    decision_date        date,
    effective_from       date not null,
    effective_to         date,
    competent_kind       text not null references agency_kinds (code) on delete restrict,
    -- set when one named agency decides (a department, the provincial police ...)
    competent_agency_id  uuid references agencies (id) on delete restrict,
    applicant_vi         text not null default '',
    applicant_en         text not null default '',
    result_vi            text not null default '',
    result_en            text not null default '',
    time_limit_value     integer,
    time_limit_unit      time_unit not null,
    time_note_vi         text not null default '',
    time_note_en         text not null default '',
    online_level         online_level not null,
    submit_online        boolean not null,
    submit_counter       boolean not null,
    submit_post          boolean not null,
    result_counter       boolean not null,
    result_post          boolean not null,
    result_electronic    boolean not null,
    fee_note_vi          text not null default '',
    fee_note_en          text not null default '',
    legal_basis          text[] not null default '{}',
    -- figures in this version that were estimated rather than read from a source
    is_estimate          boolean not null default false,
    source_note          text not null default '',
    search_doc           tsvector generated always as (
        setweight(to_tsvector('simple', f_fold(name_vi)), 'A')
        || setweight(to_tsvector('simple', f_fold(name_en)), 'B')
        || setweight(to_tsvector('simple', f_fold(result_vi)), 'C')
    ) stored,
    -- the folded Vietnamese name, words separated by single spaces: sorting, and the exact-name
    -- match that ranks first. Byte order ("C") so that ranges and seeks use the index whatever
    -- the database's locale.
    name_folded          text collate "C" generated always as (
        btrim(regexp_replace(f_fold(name_vi), '[^[:alnum:]]+', ' ', 'g'))) stored,
    -- copied from procedures by triggers, so that searches read one table and walk one index
    code                 text collate "C" not null,
    field_id             uuid not null,
    popularity           integer not null default 0,
    created_at           timestamptz not null default now(),
    constraint procedure_versions_no_key unique (procedure_id, version_no),
    constraint procedure_versions_valid_range check (effective_to is null or effective_to > effective_from),
    constraint procedure_versions_time_limit check (
        (time_limit_unit = 'same_day' and time_limit_value is null)
        or (time_limit_unit <> 'same_day' and time_limit_value > 0)),
    constraint procedure_versions_online_needs_channel check (
        online_level = 'none' or submit_online),
    constraint procedure_versions_some_submit_channel check (submit_online or submit_counter or submit_post),
    constraint procedure_versions_some_result_channel check (result_counter or result_post or result_electronic),
    -- at most one version in force on any day
    constraint procedure_versions_no_overlap exclude using gist (
        procedure_id with =, daterange(effective_from, effective_to) with &&)
);
create index procedure_versions_search_doc_idx on procedure_versions using gin (search_doc);
create index procedure_versions_name_folded_idx on procedure_versions (name_folded, code);
create index procedure_versions_popularity_idx on procedure_versions (popularity desc, code);
create index procedure_versions_code_idx on procedure_versions (code);
create index procedure_versions_field_id_idx on procedure_versions (field_id, popularity desc, code);

create function procedure_versions_copy_procedure() returns trigger
language plpgsql
as $$
begin
    select p.code, p.field_id, p.popularity into new.code, new.field_id, new.popularity
    from procedures p where p.id = new.procedure_id;
    return new;
end;
$$;
create trigger procedure_versions_copy_procedure before insert or update of procedure_id
    on procedure_versions for each row execute function procedure_versions_copy_procedure();

create function procedures_propagate() returns trigger
language plpgsql
as $$
begin
    update procedure_versions
    set code = new.code, field_id = new.field_id, popularity = new.popularity
    where procedure_id = new.id;
    return null;
end;
$$;
create trigger procedures_propagate after update of code, field_id, popularity on procedures
    for each row execute function procedures_propagate();
create index procedure_versions_competent_kind_idx on procedure_versions (competent_kind);
create index procedure_versions_competent_agency_idx on procedure_versions (competent_agency_id);
create index procedure_versions_online_level_idx on procedure_versions (online_level);

create table procedure_documents (
    id                uuid primary key default gen_random_uuid(),
    version_id        uuid not null references procedure_versions (id) on delete cascade,
    position          integer not null,
    name_vi           text not null,
    name_en           text not null,
    -- original | copy | certified_copy | original_or_copy | original_to_show | electronic
    requirement       text not null,
    copies            integer not null default 1,
    mandatory         boolean not null default true,
    condition_vi      text not null default '',
    condition_en      text not null default '',
    form_template_id  uuid references form_templates (id) on delete set null,
    constraint procedure_documents_position_key unique (version_id, position),
    constraint procedure_documents_requirement_known check (requirement in
        ('original', 'copy', 'certified_copy', 'original_or_copy', 'original_to_show', 'electronic')),
    constraint procedure_documents_copies_range check (copies between 0 and 20)
);

create table procedure_fees (
    id            uuid primary key default gen_random_uuid(),
    version_id    uuid not null references procedure_versions (id) on delete cascade,
    position      integer not null,
    -- 'fee' = lệ phí, 'charge' = phí
    kind          text not null,
    label_vi      text not null,
    label_en      text not null,
    -- whole đồng; null when the amount is set case by case (e.g. by the provincial council)
    amount_vnd    bigint,
    -- 'any' | 'online' | 'counter': some fees are lower online
    channel       text not null default 'any',
    unit_vi       text not null default '',
    unit_en       text not null default '',
    exemption_vi  text not null default '',
    exemption_en  text not null default '',
    is_estimate   boolean not null default false,
    constraint procedure_fees_position_key unique (version_id, position),
    constraint procedure_fees_kind_known check (kind in ('fee', 'charge')),
    constraint procedure_fees_channel_known check (channel in ('any', 'online', 'counter')),
    constraint procedure_fees_amount_positive check (amount_vnd is null or amount_vnd >= 0)
);
