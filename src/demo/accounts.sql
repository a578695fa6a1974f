-- Administrative units for addresses: the province and the communes of the demo agency tree.
-- Codes of the merged province's units were not found: these are estimates (is_estimate).
insert into admin_units (code, level, kind, name_vi, name_en, valid_from, is_estimate)
values ('51', 'province', 'tinh', 'Tỉnh Quảng Ngãi', 'Quảng Ngãi province', '2025-07-01', true)
on conflict (code) do nothing;

insert into admin_units (code, level, kind, name_vi, name_en, parent_id, valid_from, is_estimate)
select 'demo-' || substr(a.slug, 6),
       'commune',
       case when a.name_vi like '%phường%' then 'phuong'
            when a.name_vi like '%đặc khu%' then 'dac_khu' else 'xa' end,
       upper(left(substr(a.name_vi, length('Ủy ban nhân dân ') + 1), 1)) || substr(a.name_vi, length('Ủy ban nhân dân ') + 2),
       a.name_en,
       (select id from admin_units where code = '51'),
       a.valid_from,
       true
from agencies a
where a.kind = 'commune_pc' and a.valid_to is null
on conflict (code) do nothing;
