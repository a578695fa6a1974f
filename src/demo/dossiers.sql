-- Which commune unit each commune-level agency serves (for routing by the applicant's address).
update agencies a set admin_unit_id = u.id
from admin_units u
where a.admin_unit_id is null and a.valid_to is null
  and (   (a.kind = 'commune_pc' and u.code = 'demo-' || substr(a.slug, 6))
       or (a.kind = 'commune_centre' and u.code = 'demo-' || substr(a.slug, 9))
       or (a.kind = 'commune_police' and u.code = 'demo-' || substr(a.slug, 9)));

-- Postage for results returned by public post. Amounts are estimates (the provincial
-- agreement with the postal operator was not found).
insert into postal_tariffs (valid_from, zone, amount_vnd, is_estimate)
select '2025-07-01', z.zone, z.amount, true
from (values ('province', 25000), ('national', 35000)) as z(zone, amount)
where not exists (select 1 from postal_tariffs);

-- Procedure-specific questions of a few demo procedures (reconstructed from the national
-- e-forms' usual fields).
insert into procedure_fields (version_id, position, key, label_vi, label_en, hint_vi, hint_en, kind, required, choices)
select v.id, f.position, f.key, f.label_vi, f.label_en, f.hint_vi, f.hint_en, f.kind, f.required, f.choices::jsonb
from procedure_versions v
join procedures p on p.id = v.procedure_id
join (values
    ('1.001193', 1, 'child_name', 'Họ, chữ đệm và tên của trẻ', 'Child''s full name', '', '', 'text', true, '[]'),
    ('1.001193', 2, 'child_birth_date', 'Ngày sinh của trẻ', 'Child''s date of birth', '', '', 'date', true, '[]'),
    ('1.001193', 3, 'child_sex', 'Giới tính', 'Sex', '', '', 'choice', true,
        '[{"value":"nam","vi":"Nam","en":"Male"},{"value":"nu","vi":"Nữ","en":"Female"}]'),
    ('1.001193', 4, 'birth_place', 'Nơi sinh', 'Place of birth', 'Tên cơ sở y tế hoặc địa chỉ nơi sinh.', 'Name of the health facility or address.', 'address', true, '[]'),
    ('1.001193', 5, 'mother_name', 'Họ, chữ đệm và tên người mẹ', 'Mother''s full name', '', '', 'text', true, '[]'),
    ('1.001193', 6, 'father_name', 'Họ, chữ đệm và tên người cha', 'Father''s full name', 'Bỏ trống nếu chưa xác định.', 'Leave empty if not established.', 'text', false, '[]'),
    ('1.000894', 1, 'partner_name', 'Họ, chữ đệm và tên người kết hôn cùng', 'Partner''s full name', '', '', 'text', true, '[]'),
    ('1.000894', 2, 'partner_personal_id', 'Số định danh cá nhân của người kết hôn cùng', 'Partner''s ID number', '', '', 'text', true, '[]'),
    ('1.000894', 3, 'partner_birth_date', 'Ngày sinh của người kết hôn cùng', 'Partner''s date of birth', '', '', 'date', true, '[]'),
    ('1.004222', 1, 'new_address', 'Địa chỉ đăng ký thường trú', 'Address to register', '', '', 'address', true, '[]'),
    ('1.004222', 2, 'household_head', 'Họ và tên chủ hộ', 'Name of the head of household', '', '', 'text', true, '[]'),
    ('1.004222', 3, 'relation_to_head', 'Quan hệ với chủ hộ', 'Relationship to the head of household', '', '', 'choice', true,
        '[{"value":"chu_ho","vi":"Là chủ hộ","en":"Head of household"},{"value":"vo_chong","vi":"Vợ, chồng","en":"Spouse"},{"value":"con","vi":"Con","en":"Child"},{"value":"khac","vi":"Khác","en":"Other"}]'),
    ('2.000635', 1, 'copies', 'Số bản sao yêu cầu cấp', 'Number of copies', 'Mỗi bản sao 8.000 đồng.', 'VND 8,000 a copy.', 'number', true, '[]'),
    ('2.000815', 1, 'copies', 'Số bản sao cần chứng thực', 'Number of copies to certify', '', '', 'number', true, '[]'),
    ('2.000815', 2, 'pages', 'Số trang của bản chính', 'Pages of the original', '', '', 'number', true, '[]')
) as f(code, position, key, label_vi, label_en, hint_vi, hint_en, kind, required, choices)
  on f.code = p.code
where v.version_no = 1
on conflict (version_id, key) do nothing;

-- Fees (DOMAIN §5): how the demo's fee lines are billed. Per copy for civil-status extracts; the
-- two judicial-record rates are alternatives; certification is priced per page by the official.
update procedure_fees f set quantity_field = 'copies'
from procedure_versions v where v.id = f.version_id and v.code = '2.000635' and f.quantity_field is null;
update procedure_fees f set choice_group = 'doi_tuong'
from procedure_versions v where v.id = f.version_id and v.code = '3.000333' and f.choice_group is null;
update procedure_fees f set due = 'assessment'
from procedure_versions v where v.id = f.version_id and v.code = '2.000815';

-- Exemptions a citizen may claim online, with the evidence the official checks [E: wording;
-- basis Thông tư 75/2022/TT-BTC Điều 4 for residence fees].
insert into fee_reductions (version_id, code, label_vi, label_en, percent, evidence_vi, evidence_en, legal_basis)
select v.id, r.code, r.label_vi, r.label_en, r.percent, r.evidence_vi, r.evidence_en, r.basis
from procedure_versions v join (values
    ('1.004194', 'mien_tt75', 'Người thuộc diện miễn lệ phí cư trú (hộ nghèo, người có công, trẻ em, người cao tuổi…)',
        'Exempt from residence fees (poor households, people with merit, children, the elderly…)', 100,
        'Giấy tờ chứng minh thuộc diện miễn (ví dụ giấy chứng nhận hộ nghèo)', 'Proof of the exemption (e.g. poor-household certificate)',
        'Thông tư 75/2022/TT-BTC, Điều 4'),
    ('1.004222', 'mien_tt75', 'Người thuộc diện miễn lệ phí cư trú (hộ nghèo, người có công, trẻ em, người cao tuổi…)',
        'Exempt from residence fees (poor households, people with merit, children, the elderly…)', 100,
        'Giấy tờ chứng minh thuộc diện miễn (ví dụ giấy chứng nhận hộ nghèo)', 'Proof of the exemption (e.g. poor-household certificate)',
        'Thông tư 75/2022/TT-BTC, Điều 4')
) as r(code_p, code, label_vi, label_en, percent, evidence_vi, evidence_en, basis) on r.code_p = v.code
where v.version_no = 1
on conflict (version_id, code) do nothing;

-- E-receipt books of the collecting agencies (tax codes and symbols are placeholders until each
-- agency's registration is entered: is_estimate).
insert into receipt_books (agency_id, tax_code, template_symbol, series_prefix, valid_from, is_estimate)
select a.id, v.tax_code, v.template_symbol, v.series_prefix, date '2025-07-01', true
from (values
    ('ubnd-phuong-cam-thanh', '4300000071', '01BLP0-001', 'CT'),
    ('ttpvhcc-tinh-quang-ngai', '4300000001', '01BLP0-001', 'TT')
) as v(slug, tax_code, template_symbol, series_prefix)
join agencies a on a.slug = v.slug
where not exists (select 1 from receipt_books b where b.agency_id = a.id);

-- The public postal service (QĐ 45/2016): the provincial post office serves the demo reception
-- units and issues S10 numbers from its range (placeholder range: is_estimate).
insert into agencies (slug, parent_id, kind, name_vi, name_en, address, valid_from, is_estimate)
values ('buu-dien-tinh-quang-ngai', null, 'post_office', 'Bưu điện tỉnh Quảng Ngãi',
        'Quang Ngai Provincial Post Office', null, date '2025-07-01', true)
on conflict (slug) do nothing;
insert into postal_service_areas (post_office_id, unit_id)
select o.id, u.id from agencies o join agencies u on u.slug in ('ubnd-phuong-cam-thanh', 'ttpvhcc-tinh-quang-ngai')
where o.slug = 'buu-dien-tinh-quang-ngai'
on conflict do nothing;
insert into postal_number_ranges (post_office_id, prefix, first_serial, last_serial, next_serial)
select o.id, 'EB', 10000000, 10999999, 10000000 from agencies o
where o.slug = 'buu-dien-tinh-quang-ngai'
  and not exists (select 1 from postal_number_ranges r where r.post_office_id = o.id);

-- Temporary residence registration (1.004194) is paid on the national payment platform (the others
-- through the province's gateway): the demo shows both. Used only while a platform is
-- configured (`motcua demo` points dvcqg_pay_url at its sandbox).
insert into payment_routes (procedure_code, gateway, valid_from)
values ('1.004194', 'dvcqg', date '2025-07-01')
on conflict (procedure_code, agency_id, valid_from) do nothing;
