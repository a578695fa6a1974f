-- Demo catalogue: a real slice of the public-service catalogue of the merged Quảng Ngãi province
-- (Quảng Ngãi + Kon Tum, two-level local government since 01/07/2025).
--
-- Idempotent: every insert is `on conflict (<natural key>) do nothing`, and every foreign key is
-- looked up by its natural key (slug, code), never by a hard-coded uuid. The loader wraps the whole
-- file in one transaction, so there is no BEGIN/COMMIT here. Plain SQL, no psql meta-commands.
--
-- Source keys in comments and in `source_note` are those of shared/DOMAIN.md (§10, §15 part 3):
--   [S: key] found in a named source, [M] from memory of the legal text, [E] estimate/assumption.
-- Two keys are added here:
--   [S: CAT-COPY]  a 2025 copy of the national TTHC database's dossier-component lists (birth,
--                  marriage, death, certified copies, signatures, marital status, building-permit
--                  extension, birth + health-card linkage) found in a public repository seeder;
--   [S: PD-GDTP] / [S: PD-HT]  the official legal codification ("pháp điển") text of the Law on
--                  Judicial Expertise 13/2012 (as amended by 56/2020), Decree 85/2013, Circular
--                  11/2020/TT-BTP, and of the Law on Civil Status 60/2014, found in a public repository.
-- Everything not marked [S] is flagged with is_estimate = true on the row that carries it.

-- ---------------------------------------------------------------------------------------------
-- 1. Agency kinds
-- ---------------------------------------------------------------------------------------------
insert into agency_kinds (code, name_vi, name_en, group_vi, group_en, sort_order) values
    ('province_pc', 'Ủy ban nhân dân tỉnh', 'Provincial People''s Committee',
        'UBND cấp tỉnh', 'Provincial People''s Committee', 10),
    ('department', 'Sở', 'Provincial department',
        'Sở, ban, ngành cấp tỉnh', 'Provincial department', 20),
    ('province_centre', 'Trung tâm Phục vụ hành chính công tỉnh',
        'Provincial Public Administration Service Centre',
        'Trung tâm Phục vụ hành chính công cấp tỉnh', 'Provincial Public Administration Service Centre', 30),
    ('reception_point', 'Điểm tiếp nhận và trả kết quả', 'Reception and result-return point',
        'Điểm tiếp nhận và trả kết quả', 'Reception and result-return point', 35),
    ('land_registration_office', 'Văn phòng Đăng ký đất đai', 'Land Registration Office',
        'Văn phòng Đăng ký đất đai (hoặc chi nhánh)', 'Land Registration Office (or its branch)', 40),
    ('provincial_police', 'Công an tỉnh', 'Provincial Police',
        'Công an cấp tỉnh', 'Provincial police', 50),
    ('social_insurance', 'Bảo hiểm xã hội', 'Social Insurance',
        'Cơ quan bảo hiểm xã hội', 'Social insurance office', 55),
    ('tax_office', 'Cơ quan thuế', 'Tax office',
        'Cơ quan thuế (Thuế tỉnh, Thuế cơ sở)', 'Tax office (provincial or grassroots)', 57),
    ('commune_pc', 'Ủy ban nhân dân xã, phường, đặc khu', 'Commune-level People''s Committee',
        'UBND cấp xã (xã, phường, đặc khu)', 'Commune-level People''s Committee', 60),
    ('commune_centre', 'Trung tâm Phục vụ hành chính công cấp xã',
        'Commune-level Public Administration Service Centre',
        'Trung tâm Phục vụ hành chính công cấp xã', 'Commune-level Public Administration Service Centre', 70),
    ('commune_police', 'Công an xã, phường, đặc khu', 'Commune-level police',
        'Công an cấp xã', 'Commune-level police', 80),
    -- abolished on 01/07/2025 (Law 72/2025/QH15); kept so that old agencies stay readable
    ('district_pc', 'Ủy ban nhân dân huyện (đã bãi bỏ từ 01/07/2025)',
        'District People''s Committee (abolished 1 July 2025)',
        'UBND cấp huyện (trước 01/07/2025)', 'District People''s Committee (before 1 July 2025)', 90)
on conflict (code) do nothing;

-- ---------------------------------------------------------------------------------------------
-- 2. Agencies
-- ---------------------------------------------------------------------------------------------
-- Electronic ID codes (QCVN 102:2016 style, read right to left, DOMAIN §2.2):
--   * 000.00.00.H48 for the province is the pattern of [S: QNI-IGATE], and the merged province still
--     suffixes its procedure instance codes with 000.00.00.H48 in November 2025 [S: QNG-1628]; it is
--     therefore kept as found (is_estimate = false).
--   * 000.00.53.H48 (UBND huyện Bình Sơn, pre-merger) is real [S: QNI-IGATE].
--   * EVERY OTHER CODE BELOW IS MADE UP for the demo: the merged province's new agency codes were not
--     found (DOMAIN §15 3.2). Those agencies carry is_estimate = true. Departments use 000.00.0N.H48,
--     the provincial centre 000.00.20.H48, communes 000.00.7N.H48 and their centres 000.01.7N.H48.
--   * Vertical agencies (police, social insurance) get no code: theirs belong to their ministry's tree.
-- Addresses: only the provincial centre (54 Hùng Vương, P. Cẩm Thành) and its 2nd reception point
-- (492 Trần Phú, P. Kon Tum) are sourced [S: QNG-1628]; no other address or phone is given.
-- Vertical agencies are roots of their own trees (police, social insurance are not subordinate to
-- the provincial People's Committee); commune police hang under the provincial police.

-- 2a. roots (current) and the two pre-merger agencies (roots: their old parents are not modelled)
insert into agencies (slug, parent_id, kind, name_vi, name_en, e_id_code, e_id_scheme, address,
                      valid_from, valid_to, is_estimate)
select v.slug, null, v.kind, v.name_vi, v.name_en, v.e_id_code, v.e_id_scheme, v.address,
       v.valid_from::date, v.valid_to::date, v.is_estimate
from (values
    ('ubnd-tinh-quang-ngai', 'province_pc', 'Ủy ban nhân dân tỉnh Quảng Ngãi',
        'Quang Ngai Provincial People''s Committee', '000.00.00.H48', 'qcvn102_2016', null,
        '2025-07-01', null, false),
    ('cong-an-tinh-quang-ngai', 'provincial_police', 'Công an tỉnh Quảng Ngãi',
        'Quang Ngai Provincial Police', null, null, null, '2025-07-01', null, false),
    -- name not checked against the 2025 reorganisation of Vietnam Social Security [E]
    ('bhxh-tinh-quang-ngai', 'social_insurance', 'Bảo hiểm xã hội tỉnh Quảng Ngãi',
        'Quang Ngai Provincial Social Insurance', null, null, null, '2025-07-01', null, true),
    -- pre-merger: the district level was abolished on 01/07/2025. The code is real [S: QNI-IGATE];
    -- valid_from is a placeholder (the district is older), hence is_estimate = true.
    ('ubnd-huyen-binh-son', 'district_pc', 'Ủy ban nhân dân huyện Bình Sơn',
        'Binh Son District People''s Committee', '000.00.53.H48', 'qcvn102_2016', null,
        '2008-01-01', '2025-07-01', true),
    -- pre-merger Kon Tum body, merged into the Quảng Ngãi Department of Justice; its e-ID code was
    -- not found and is left empty; valid_from is a placeholder.
    ('so-tu-phap-kon-tum', 'department', 'Sở Tư pháp tỉnh Kon Tum',
        'Kon Tum Department of Justice', null, null, null, '2008-01-01', '2025-07-01', true)
) as v(slug, kind, name_vi, name_en, e_id_code, e_id_scheme, address, valid_from, valid_to, is_estimate)
on conflict (slug) do nothing;

-- 2b. children of the roots
insert into agencies (slug, parent_id, kind, name_vi, name_en, e_id_code, e_id_scheme, address,
                      valid_from, is_estimate)
select v.slug, p.id, v.kind, v.name_vi, v.name_en, v.e_id_code,
       case when v.e_id_code is null then null else 'qcvn102_2016' end, v.address,
       date '2025-07-01', true
from (values
    -- departments (codes made up)
    ('so-tu-phap-quang-ngai', 'ubnd-tinh-quang-ngai', 'department', 'Sở Tư pháp tỉnh Quảng Ngãi',
        'Quang Ngai Department of Justice', '000.00.01.H48', null),
    ('so-tai-chinh-quang-ngai', 'ubnd-tinh-quang-ngai', 'department', 'Sở Tài chính tỉnh Quảng Ngãi',
        'Quang Ngai Department of Finance', '000.00.02.H48', null),
    ('so-xay-dung-quang-ngai', 'ubnd-tinh-quang-ngai', 'department', 'Sở Xây dựng tỉnh Quảng Ngãi',
        'Quang Ngai Department of Construction', '000.00.03.H48', null),
    ('so-nong-nghiep-va-moi-truong-quang-ngai', 'ubnd-tinh-quang-ngai', 'department',
        'Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi',
        'Quang Ngai Department of Agriculture and Environment', '000.00.04.H48', null),
    ('so-y-te-quang-ngai', 'ubnd-tinh-quang-ngai', 'department', 'Sở Y tế tỉnh Quảng Ngãi',
        'Quang Ngai Department of Health', '000.00.05.H48', null),
    ('so-dan-toc-va-ton-giao-quang-ngai', 'ubnd-tinh-quang-ngai', 'department',
        'Sở Dân tộc và Tôn giáo tỉnh Quảng Ngãi',
        'Quang Ngai Department of Ethnic Minorities and Religion', '000.00.06.H48', null),
    ('so-khoa-hoc-va-cong-nghe-quang-ngai', 'ubnd-tinh-quang-ngai', 'department',
        'Sở Khoa học và Công nghệ tỉnh Quảng Ngãi',
        'Quang Ngai Department of Science and Technology', '000.00.07.H48', null),
    -- the provincial centre: address sourced [S: QNG-1628], code made up
    ('ttpvhcc-tinh-quang-ngai', 'ubnd-tinh-quang-ngai', 'province_centre',
        'Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi',
        'Quang Ngai Provincial Public Administration Service Centre', '000.00.20.H48',
        '54 Hùng Vương, phường Cẩm Thành, tỉnh Quảng Ngãi'),
    -- commune-level People's Committees (names from DOMAIN §9/§15; codes made up)
    ('ubnd-phuong-cam-thanh', 'ubnd-tinh-quang-ngai', 'commune_pc',
        'Ủy ban nhân dân phường Cẩm Thành', 'Cam Thanh Ward People''s Committee', '000.00.71.H48', null),
    ('ubnd-phuong-kon-tum', 'ubnd-tinh-quang-ngai', 'commune_pc',
        'Ủy ban nhân dân phường Kon Tum', 'Kon Tum Ward People''s Committee', '000.00.72.H48', null),
    ('ubnd-dac-khu-ly-son', 'ubnd-tinh-quang-ngai', 'commune_pc',
        'Ủy ban nhân dân đặc khu Lý Sơn', 'Ly Son Special Zone People''s Committee', '000.00.73.H48', null),
    ('ubnd-xa-dak-long', 'ubnd-tinh-quang-ngai', 'commune_pc',
        'Ủy ban nhân dân xã Đăk Long', 'Dak Long Commune People''s Committee', '000.00.74.H48', null),
    ('ubnd-xa-ba-xa', 'ubnd-tinh-quang-ngai', 'commune_pc',
        'Ủy ban nhân dân xã Ba Xa', 'Ba Xa Commune People''s Committee', '000.00.75.H48', null),
    ('ubnd-xa-ro-koi', 'ubnd-tinh-quang-ngai', 'commune_pc',
        'Ủy ban nhân dân xã Rờ Kơi', 'Ro Koi Commune People''s Committee', '000.00.76.H48', null),
    ('ubnd-xa-mo-rai', 'ubnd-tinh-quang-ngai', 'commune_pc',
        'Ủy ban nhân dân xã Mô Rai', 'Mo Rai Commune People''s Committee', '000.00.77.H48', null),
    ('ubnd-xa-ia-dal', 'ubnd-tinh-quang-ngai', 'commune_pc',
        'Ủy ban nhân dân xã Ia Đal', 'Ia Dal Commune People''s Committee', '000.00.78.H48', null),
    -- commune police (names follow the usual pattern, not checked; no codes)
    ('cong-an-phuong-cam-thanh', 'cong-an-tinh-quang-ngai', 'commune_police',
        'Công an phường Cẩm Thành', 'Cam Thanh Ward Police', null, null),
    ('cong-an-phuong-kon-tum', 'cong-an-tinh-quang-ngai', 'commune_police',
        'Công an phường Kon Tum', 'Kon Tum Ward Police', null, null),
    ('cong-an-dac-khu-ly-son', 'cong-an-tinh-quang-ngai', 'commune_police',
        'Công an đặc khu Lý Sơn', 'Ly Son Special Zone Police', null, null),
    ('cong-an-xa-dak-long', 'cong-an-tinh-quang-ngai', 'commune_police',
        'Công an xã Đăk Long', 'Dak Long Commune Police', null, null)
) as v(slug, parent_slug, kind, name_vi, name_en, e_id_code, address)
join agencies p on p.slug = v.parent_slug
on conflict (slug) do nothing;

-- 2c. grandchildren: land registration office, the 2nd reception point, the commune centres
insert into agencies (slug, parent_id, kind, name_vi, name_en, e_id_code, e_id_scheme, address,
                      valid_from, is_estimate)
select v.slug, p.id, v.kind, v.name_vi, v.name_en, v.e_id_code, 'qcvn102_2016', v.address,
       date '2025-07-01', true
from (values
    -- existence under the department assumed [E]; code made up
    ('van-phong-dang-ky-dat-dai-quang-ngai', 'so-nong-nghiep-va-moi-truong-quang-ngai',
        'land_registration_office', 'Văn phòng Đăng ký đất đai tỉnh Quảng Ngãi',
        'Quang Ngai Land Registration Office', '000.01.04.H48', null),
    -- address sourced [S: QNG-1628]; exact name and code not found
    ('ttpvhcc-tinh-diem-tiep-nhan-so-2-kon-tum', 'ttpvhcc-tinh-quang-ngai', 'reception_point',
        'Điểm tiếp nhận và trả kết quả số 2 (Kon Tum) — Trung tâm Phục vụ hành chính công tỉnh',
        'Reception point no. 2 (Kon Tum) — Provincial Public Administration Service Centre',
        '000.01.20.H48', '492 Trần Phú, phường Kon Tum, tỉnh Quảng Ngãi'),
    ('ttpvhcc-phuong-cam-thanh', 'ubnd-phuong-cam-thanh', 'commune_centre',
        'Trung tâm Phục vụ hành chính công phường Cẩm Thành',
        'Cam Thanh Ward Public Administration Service Centre', '000.01.71.H48', null),
    ('ttpvhcc-phuong-kon-tum', 'ubnd-phuong-kon-tum', 'commune_centre',
        'Trung tâm Phục vụ hành chính công phường Kon Tum',
        'Kon Tum Ward Public Administration Service Centre', '000.01.72.H48', null),
    ('ttpvhcc-dac-khu-ly-son', 'ubnd-dac-khu-ly-son', 'commune_centre',
        'Trung tâm Phục vụ hành chính công đặc khu Lý Sơn',
        'Ly Son Special Zone Public Administration Service Centre', '000.01.73.H48', null),
    ('ttpvhcc-xa-dak-long', 'ubnd-xa-dak-long', 'commune_centre',
        'Trung tâm Phục vụ hành chính công xã Đăk Long',
        'Dak Long Commune Public Administration Service Centre', '000.01.74.H48', null),
    ('ttpvhcc-xa-ba-xa', 'ubnd-xa-ba-xa', 'commune_centre',
        'Trung tâm Phục vụ hành chính công xã Ba Xa',
        'Ba Xa Commune Public Administration Service Centre', '000.01.75.H48', null),
    ('ttpvhcc-xa-ro-koi', 'ubnd-xa-ro-koi', 'commune_centre',
        'Trung tâm Phục vụ hành chính công xã Rờ Kơi',
        'Ro Koi Commune Public Administration Service Centre', '000.01.76.H48', null),
    ('ttpvhcc-xa-mo-rai', 'ubnd-xa-mo-rai', 'commune_centre',
        'Trung tâm Phục vụ hành chính công xã Mô Rai',
        'Mo Rai Commune Public Administration Service Centre', '000.01.77.H48', null),
    ('ttpvhcc-xa-ia-dal', 'ubnd-xa-ia-dal', 'commune_centre',
        'Trung tâm Phục vụ hành chính công xã Ia Đal',
        'Ia Dal Commune Public Administration Service Centre', '000.01.78.H48', null)
) as v(slug, parent_slug, kind, name_vi, name_en, e_id_code, address)
join agencies p on p.slug = v.parent_slug
on conflict (slug) do nothing;

-- 2d. successions
--   * Sở Tư pháp Kon Tum merged into Sở Tư pháp Quảng Ngãi when the provinces merged [S: NQ202].
--   * UBND huyện Bình Sơn: the district level was abolished [S: NB163 preamble, NQ1677]; its work
--     went partly to the province and mostly to the communes formed on its territory (those communes
--     are not in this demo, their names were not found). Recorded as a 'split' towards the province,
--     not a 'merge': one successor row of a split, the others not modelled.
insert into agency_successions (predecessor_id, successor_id, kind, effective_on, decision)
select a.id, b.id, v.kind, date '2025-07-01', v.decision
from (values
    ('so-tu-phap-kon-tum', 'so-tu-phap-quang-ngai', 'merge',
        'Nghị quyết số 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh)'),
    ('ubnd-huyen-binh-son', 'ubnd-tinh-quang-ngai', 'split',
        'Luật Tổ chức chính quyền địa phương số 72/2025/QH15; Nghị quyết số 1677/NQ-UBTVQH15')
) as v(predecessor, successor, kind, decision)
join agencies a on a.slug = v.predecessor
join agencies b on b.slug = v.successor
on conflict (predecessor_id, successor_id) do nothing;

-- ---------------------------------------------------------------------------------------------
-- 3. Fields (lĩnh vực). Only TLHDH is a real sector code [S: QNI-IGATE]; the official TT 03/2025
--    code lists were not captured, so the other codes are short demo codes.
-- ---------------------------------------------------------------------------------------------
insert into fields (code, name_vi, name_en, sort_order) values
    ('HOTICH', 'Hộ tịch', 'Civil status', 10),
    ('CHUNGTHUC', 'Chứng thực', 'Certification', 20),
    ('CUTRU', 'Cư trú', 'Residence', 30),
    ('CANCUOC', 'Căn cước', 'Identity cards', 40),
    ('LLTP', 'Lý lịch tư pháp', 'Judicial records', 50),
    ('TLHDH', 'Thành lập và hoạt động của hộ kinh doanh',
        'Establishment and operation of household businesses', 60),
    ('HDXD', 'Hoạt động xây dựng', 'Construction activities', 70),
    ('DATDAI', 'Đất đai', 'Land', 80),
    ('BTXH', 'Bảo trợ xã hội', 'Social protection', 90),
    ('BHYT', 'Bảo hiểm y tế', 'Health insurance', 100),
    ('GDTP', 'Giám định tư pháp', 'Judicial expertise', 110),
    -- no demo procedure yet: 1.012507 (QĐ 1622/QĐ-UBND) has no sourced time limit or components
    ('DAUTHAU', 'Đấu thầu', 'Public procurement', 120)
on conflict (code) do nothing;

-- ---------------------------------------------------------------------------------------------
-- 4. Printable form templates
-- ---------------------------------------------------------------------------------------------
-- RECONSTRUCTIONS, not the official annexes: the labels follow the contents the laws require
-- (e.g. Law on Civil Status Art. 14 for a birth) and memory of the official layouts [M]. Each one
-- says so visibly. is_reconstructed = true on every row.
insert into form_templates (slug, name_vi, name_en, legal_ref, file_name, content_type, body,
                            is_reconstructed)
values
(
    'to-khai-dang-ky-khai-sinh', 'Tờ khai đăng ký khai sinh', 'Birth registration form',
    'Mẫu tờ khai hộ tịch theo Thông tư số 04/2020/TT-BTP (sửa đổi bởi Thông tư số 04/2024/TT-BTP)',
    'to-khai-dang-ky-khai-sinh.html', 'text/html; charset=utf-8',
    convert_to($form$<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Tờ khai đăng ký khai sinh</title>
<style>
body { font-family: "Times New Roman", serif; max-width: 46rem; margin: 2rem auto; line-height: 2; }
.quoc-hieu { text-align: center; font-weight: bold; margin: 0; line-height: 1.4; }
.tieu-ngu { text-align: center; margin: 0 0 1rem; line-height: 1.4; }
h1 { text-align: center; font-size: 1.3rem; margin: 1rem 0 0.5rem; }
.canh-bao { border: 1px solid #a00; color: #a00; padding: 0.2rem 0.6rem; font-size: 0.9rem; line-height: 1.4; }
p { margin: 0; }
.ky { display: flex; justify-content: flex-end; text-align: center; margin-top: 1.5rem; }
</style>
</head>
<body>
<p class="canh-bao">Bản dựng lại để minh hoạ — đối chiếu với mẫu chính thức trước khi sử dụng</p>
<p class="quoc-hieu">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<p class="tieu-ngu">Độc lập - Tự do - Hạnh phúc</p>
<h1>TỜ KHAI ĐĂNG KÝ KHAI SINH</h1>
<p>Kính gửi: ...........................................................................................................</p>
<p>Họ, chữ đệm, tên người yêu cầu: ...................................................................................</p>
<p>Nơi cư trú: ...........................................................................................................</p>
<p>Giấy tờ tùy thân (loại, số): ..........................................................................................</p>
<p>Quan hệ với người được khai sinh: ..................................................................................</p>
<p><strong>Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:</strong></p>
<p>Họ, chữ đệm, tên: ....................................................................................................</p>
<p>Ngày, tháng, năm sinh: ............................ ghi bằng chữ: ......................................................</p>
<p>Giới tính: ........................ Dân tộc: ........................ Quốc tịch: ........................</p>
<p>Nơi sinh: ............................................................................................................</p>
<p>Quê quán: ............................................................................................................</p>
<p>Họ, chữ đệm, tên người mẹ: ..........................................................................................</p>
<p>Năm sinh: ................ Dân tộc: ................ Quốc tịch: ................</p>
<p>Nơi cư trú của người mẹ: .............................................................................................</p>
<p>Họ, chữ đệm, tên người cha: .........................................................................................</p>
<p>Năm sinh: ................ Dân tộc: ................ Quốc tịch: ................</p>
<p>Nơi cư trú của người cha: ............................................................................................</p>
<p>Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về cam đoan của mình.</p>
<p>Đề nghị cấp bản sao Trích lục khai sinh: ☐ Có, số lượng: ........ bản &nbsp;&nbsp; ☐ Không</p>
<div class="ky"><div>Làm tại: ................., ngày ...... tháng ...... năm ..........<br><strong>Người yêu cầu</strong><br>(Ký, ghi rõ họ, chữ đệm, tên)<br><br><br>..............................................</div></div>
</body>
</html>
$form$, 'UTF8'),
    true
),
(
    'to-khai-dang-ky-ket-hon', 'Tờ khai đăng ký kết hôn', 'Marriage registration form',
    'Mẫu tờ khai hộ tịch theo Thông tư số 04/2020/TT-BTP (sửa đổi bởi Thông tư số 04/2024/TT-BTP)',
    'to-khai-dang-ky-ket-hon.html', 'text/html; charset=utf-8',
    convert_to($form$<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Tờ khai đăng ký kết hôn</title>
<style>
body { font-family: "Times New Roman", serif; max-width: 50rem; margin: 2rem auto; line-height: 1.8; }
.quoc-hieu { text-align: center; font-weight: bold; margin: 0; line-height: 1.4; }
.tieu-ngu { text-align: center; margin: 0 0 1rem; line-height: 1.4; }
h1 { text-align: center; font-size: 1.3rem; margin: 1rem 0 0.5rem; }
.canh-bao { border: 1px solid #a00; color: #a00; padding: 0.2rem 0.6rem; font-size: 0.9rem; line-height: 1.4; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 0.2rem 0.4rem; vertical-align: top; }
td.o { width: 38%; }
.ky { display: flex; justify-content: space-around; text-align: center; margin-top: 1.5rem; }
</style>
</head>
<body>
<p class="canh-bao">Bản dựng lại để minh hoạ — đối chiếu với mẫu chính thức trước khi sử dụng</p>
<p class="quoc-hieu">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<p class="tieu-ngu">Độc lập - Tự do - Hạnh phúc</p>
<h1>TỜ KHAI ĐĂNG KÝ KẾT HÔN</h1>
<p>Kính gửi: ...........................................................................................................</p>
<table>
<tr><th>Thông tin</th><th>Bên nữ</th><th>Bên nam</th></tr>
<tr><td>Họ, chữ đệm, tên</td><td class="o">.......................................</td><td class="o">.......................................</td></tr>
<tr><td>Ngày, tháng, năm sinh</td><td class="o">.......................................</td><td class="o">.......................................</td></tr>
<tr><td>Dân tộc</td><td class="o">.......................................</td><td class="o">.......................................</td></tr>
<tr><td>Quốc tịch</td><td class="o">.......................................</td><td class="o">.......................................</td></tr>
<tr><td>Nơi cư trú</td><td class="o">.......................................<br>.......................................</td><td class="o">.......................................<br>.......................................</td></tr>
<tr><td>Giấy tờ tùy thân (loại, số, ngày cấp)</td><td class="o">.......................................</td><td class="o">.......................................</td></tr>
<tr><td>Kết hôn lần thứ mấy</td><td class="o">.......................................</td><td class="o">.......................................</td></tr>
</table>
<p>Chúng tôi cam đoan những lời khai trên đây là đúng sự thật; việc kết hôn của chúng tôi là tự nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam; chúng tôi chịu trách nhiệm trước pháp luật về cam đoan của mình.</p>
<p>Đề nghị cấp bản sao Trích lục kết hôn: ☐ Có, số lượng: ........ bản &nbsp;&nbsp; ☐ Không</p>
<p style="text-align:right">Làm tại: ................., ngày ...... tháng ...... năm ..........</p>
<div class="ky">
<div><strong>Bên nữ</strong><br>(Ký, ghi rõ họ, chữ đệm, tên)<br><br><br>..............................................</div>
<div><strong>Bên nam</strong><br>(Ký, ghi rõ họ, chữ đệm, tên)<br><br><br>..............................................</div>
</div>
</body>
</html>
$form$, 'UTF8'),
    true
),
(
    'to-khai-dang-ky-khai-tu', 'Tờ khai đăng ký khai tử', 'Death registration form',
    'Mẫu tờ khai hộ tịch theo Thông tư số 04/2020/TT-BTP (sửa đổi bởi Thông tư số 04/2024/TT-BTP)',
    'to-khai-dang-ky-khai-tu.html', 'text/html; charset=utf-8',
    convert_to($form$<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Tờ khai đăng ký khai tử</title>
<style>
body { font-family: "Times New Roman", serif; max-width: 46rem; margin: 2rem auto; line-height: 2; }
.quoc-hieu { text-align: center; font-weight: bold; margin: 0; line-height: 1.4; }
.tieu-ngu { text-align: center; margin: 0 0 1rem; line-height: 1.4; }
h1 { text-align: center; font-size: 1.3rem; margin: 1rem 0 0.5rem; }
.canh-bao { border: 1px solid #a00; color: #a00; padding: 0.2rem 0.6rem; font-size: 0.9rem; line-height: 1.4; }
p { margin: 0; }
.ky { display: flex; justify-content: flex-end; text-align: center; margin-top: 1.5rem; }
</style>
</head>
<body>
<p class="canh-bao">Bản dựng lại để minh hoạ — đối chiếu với mẫu chính thức trước khi sử dụng</p>
<p class="quoc-hieu">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<p class="tieu-ngu">Độc lập - Tự do - Hạnh phúc</p>
<h1>TỜ KHAI ĐĂNG KÝ KHAI TỬ</h1>
<p>Kính gửi: ...........................................................................................................</p>
<p>Họ, chữ đệm, tên người yêu cầu: ...................................................................................</p>
<p>Nơi cư trú: ...........................................................................................................</p>
<p>Giấy tờ tùy thân (loại, số): ..........................................................................................</p>
<p>Quan hệ với người đã chết: ..........................................................................................</p>
<p><strong>Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:</strong></p>
<p>Họ, chữ đệm, tên: ....................................................................................................</p>
<p>Ngày, tháng, năm sinh: ....................... Giới tính: ................ Dân tộc: ................ Quốc tịch: ................</p>
<p>Giấy tờ tùy thân (loại, số): ..........................................................................................</p>
<p>Nơi cư trú cuối cùng: .................................................................................................</p>
<p>Đã chết vào lúc: ...... giờ ...... phút, ngày ...... tháng ...... năm ..........</p>
<p>Nơi chết: .............................................................................................................</p>
<p>Nguyên nhân chết: ....................................................................................................</p>
<p>Giấy báo tử/Giấy tờ thay Giấy báo tử số: .............. do ............................................ cấp ngày ..............</p>
<p>Tôi cam đoan nội dung đề nghị đăng ký khai tử trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về cam đoan của mình.</p>
<p>Đề nghị cấp bản sao Trích lục khai tử: ☐ Có, số lượng: ........ bản &nbsp;&nbsp; ☐ Không</p>
<div class="ky"><div>Làm tại: ................., ngày ...... tháng ...... năm ..........<br><strong>Người yêu cầu</strong><br>(Ký, ghi rõ họ, chữ đệm, tên)<br><br><br>..............................................</div></div>
</body>
</html>
$form$, 'UTF8'),
    true
),
(
    'to-khai-thay-doi-thong-tin-cu-tru-ct01', 'Tờ khai thay đổi thông tin cư trú (Mẫu CT01)',
    'Residence information change form (form CT01)',
    'Mẫu CT01 — biểu mẫu đăng ký, quản lý cư trú của Bộ Công an (Thông tư số 66/2023/TT-BCA)',
    'to-khai-thay-doi-thong-tin-cu-tru-ct01.html', 'text/html; charset=utf-8',
    convert_to($form$<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Tờ khai thay đổi thông tin cư trú (Mẫu CT01)</title>
<style>
body { font-family: "Times New Roman", serif; max-width: 52rem; margin: 2rem auto; line-height: 1.9; }
.mau { text-align: right; margin: 0; }
.quoc-hieu { text-align: center; font-weight: bold; margin: 0; line-height: 1.4; }
.tieu-ngu { text-align: center; margin: 0 0 1rem; line-height: 1.4; }
h1 { text-align: center; font-size: 1.3rem; margin: 1rem 0 0.5rem; }
.canh-bao { border: 1px solid #a00; color: #a00; padding: 0.2rem 0.6rem; font-size: 0.9rem; line-height: 1.4; }
p { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 0.3rem 0; }
th, td { border: 1px solid #000; padding: 0.2rem 0.3rem; font-size: 0.9rem; }
.ky { display: flex; justify-content: space-between; text-align: center; margin-top: 1.5rem; font-size: 0.9rem; }
.ky div { width: 24%; }
</style>
</head>
<body>
<p class="canh-bao">Bản dựng lại để minh hoạ — đối chiếu với mẫu chính thức trước khi sử dụng</p>
<p class="mau">Mẫu CT01</p>
<p class="quoc-hieu">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<p class="tieu-ngu">Độc lập - Tự do - Hạnh phúc</p>
<h1>TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ</h1>
<p>Kính gửi: ...........................................................................................................</p>
<p>1. Họ, chữ đệm và tên: ................................................................................................</p>
<p>2. Ngày, tháng, năm sinh: ...... / ...... / ..........  &nbsp; 3. Giới tính: ................</p>
<p>4. Số định danh cá nhân: ..............................................................................................</p>
<p>5. Số điện thoại liên hệ: ............................... 6. Email: ...................................................</p>
<p>7. Họ, chữ đệm và tên chủ hộ: ............................... 8. Mối quan hệ với chủ hộ: ...............................</p>
<p>9. Số định danh cá nhân của chủ hộ: ....................................................................................</p>
<p>10. Nội dung đề nghị: ..................................................................................................</p>
<p>.......................................................................................................................</p>
<p>11. Những thành viên trong hộ gia đình cùng thay đổi:</p>
<table>
<tr><th>TT</th><th>Họ, chữ đệm và tên</th><th>Ngày, tháng, năm sinh</th><th>Giới tính</th><th>Số định danh cá nhân</th><th>Mối quan hệ với chủ hộ</th></tr>
<tr><td>1</td><td>..........................</td><td>................</td><td>..........</td><td>......................</td><td>................</td></tr>
<tr><td>2</td><td>..........................</td><td>................</td><td>..........</td><td>......................</td><td>................</td></tr>
<tr><td>3</td><td>..........................</td><td>................</td><td>..........</td><td>......................</td><td>................</td></tr>
</table>
<p style="text-align:right">................., ngày ...... tháng ...... năm ..........</p>
<div class="ky">
<div><strong>Ý kiến của chủ hộ</strong><br>(Ghi rõ nội dung và ký, ghi rõ họ tên)<br><br>........................</div>
<div><strong>Ý kiến của chủ sở hữu chỗ ở hợp pháp</strong><br>(Ghi rõ nội dung và ký, ghi rõ họ tên)<br><br>........................</div>
<div><strong>Ý kiến của cha, mẹ hoặc người giám hộ</strong><br>(Ghi rõ nội dung và ký, ghi rõ họ tên)<br><br>........................</div>
<div><strong>Người kê khai</strong><br>(Ký, ghi rõ họ tên)<br><br><br>........................</div>
</div>
</body>
</html>
$form$, 'UTF8'),
    true
),
(
    'giay-de-nghi-dang-ky-ho-kinh-doanh', 'Giấy đề nghị đăng ký hộ kinh doanh',
    'Household business registration application',
    'Mẫu giấy đề nghị đăng ký hộ kinh doanh theo Nghị định số 168/2025/NĐ-CP và văn bản hướng dẫn',
    'giay-de-nghi-dang-ky-ho-kinh-doanh.html', 'text/html; charset=utf-8',
    convert_to($form$<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Giấy đề nghị đăng ký hộ kinh doanh</title>
<style>
body { font-family: "Times New Roman", serif; max-width: 46rem; margin: 2rem auto; line-height: 2; }
.quoc-hieu { text-align: center; font-weight: bold; margin: 0; line-height: 1.4; }
.tieu-ngu { text-align: center; margin: 0 0 1rem; line-height: 1.4; }
h1 { text-align: center; font-size: 1.3rem; margin: 1rem 0 0.5rem; }
.canh-bao { border: 1px solid #a00; color: #a00; padding: 0.2rem 0.6rem; font-size: 0.9rem; line-height: 1.4; }
p { margin: 0; }
.ky { display: flex; justify-content: flex-end; text-align: center; margin-top: 1.5rem; }
</style>
</head>
<body>
<p class="canh-bao">Bản dựng lại để minh hoạ — đối chiếu với mẫu chính thức trước khi sử dụng</p>
<p class="quoc-hieu">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<p class="tieu-ngu">Độc lập - Tự do - Hạnh phúc</p>
<h1>GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH</h1>
<p>Kính gửi: Ủy ban nhân dân xã/phường/đặc khu ..........................................................................</p>
<p>Tôi là (ghi họ tên bằng chữ in hoa): ...............................................................................</p>
<p>Đăng ký hộ kinh doanh do tôi là chủ hộ với các nội dung sau:</p>
<p>1. Tên hộ kinh doanh (ghi bằng chữ in hoa): .........................................................................</p>
<p>2. Địa chỉ trụ sở hộ kinh doanh: .....................................................................................</p>
<p>&nbsp;&nbsp;&nbsp;Điện thoại: ................................ Email (nếu có): ................................................</p>
<p>3. Ngành, nghề kinh doanh: ...........................................................................................</p>
<p>.......................................................................................................................</p>
<p>4. Vốn kinh doanh (bằng số và bằng chữ): .............................................................................</p>
<p>5. Số lượng lao động (dự kiến): ..................... người</p>
<p>6. Thông tin về chủ hộ kinh doanh: họ, chữ đệm và tên ...................................................</p>
<p>&nbsp;&nbsp;&nbsp;Ngày sinh: ...... / ...... / .......... &nbsp; Số định danh cá nhân: ........................................................</p>
<p>&nbsp;&nbsp;&nbsp;Nơi cư trú: ........................................................................................................</p>
<p>7. Thông tin về các thành viên hộ gia đình tham gia đăng ký hộ kinh doanh (nếu có): ........................................</p>
<p>.......................................................................................................................</p>
<p>Tôi cam kết: bản thân không thuộc diện bị cấm thành lập hộ kinh doanh; trụ sở hộ kinh doanh thuộc quyền sử dụng hợp pháp; chịu trách nhiệm trước pháp luật về tính hợp pháp, chính xác và trung thực của nội dung đăng ký.</p>
<div class="ky"><div>................., ngày ...... tháng ...... năm ..........<br><strong>Chủ hộ kinh doanh</strong><br>(Ký và ghi họ tên)<br><br><br>..............................................</div></div>
</body>
</html>
$form$, 'UTF8'),
    true
),
(
    'to-khai-yeu-cau-cap-phieu-ly-lich-tu-phap', 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp',
    'Application form for a judicial record certificate',
    'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (ký hiệu mẫu 03/2024/LLTP theo nguồn yếu — chưa đối chiếu văn bản gốc)',
    'to-khai-yeu-cau-cap-phieu-ly-lich-tu-phap.html', 'text/html; charset=utf-8',
    convert_to($form$<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp</title>
<style>
body { font-family: "Times New Roman", serif; max-width: 50rem; margin: 2rem auto; line-height: 1.9; }
.quoc-hieu { text-align: center; font-weight: bold; margin: 0; line-height: 1.4; }
.tieu-ngu { text-align: center; margin: 0 0 1rem; line-height: 1.4; }
h1 { text-align: center; font-size: 1.3rem; margin: 1rem 0 0.5rem; }
.canh-bao { border: 1px solid #a00; color: #a00; padding: 0.2rem 0.6rem; font-size: 0.9rem; line-height: 1.4; }
p { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 0.3rem 0; }
th, td { border: 1px solid #000; padding: 0.2rem 0.3rem; font-size: 0.9rem; }
.ky { display: flex; justify-content: flex-end; text-align: center; margin-top: 1.5rem; }
</style>
</head>
<body>
<p class="canh-bao">Bản dựng lại để minh hoạ — đối chiếu với mẫu chính thức trước khi sử dụng</p>
<p class="quoc-hieu">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<p class="tieu-ngu">Độc lập - Tự do - Hạnh phúc</p>
<h1>TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP</h1>
<p>Kính gửi: ...........................................................................................................</p>
<p>1. Họ và tên: ...................................................... 2. Giới tính: ................</p>
<p>3. Tên gọi khác (nếu có): ..............................................................................................</p>
<p>4. Ngày, tháng, năm sinh: ...... / ...... / .......... &nbsp; 5. Nơi sinh: ..............................................</p>
<p>6. Quốc tịch: ........................ 7. Dân tộc: ........................</p>
<p>8. Số định danh cá nhân / Hộ chiếu: ....................................................................................</p>
<p>9. Nơi thường trú: ......................................................................................................</p>
<p>10. Nơi tạm trú: ........................................................................................................</p>
<p>11. Họ và tên cha: ............................................ 12. Họ và tên mẹ: ............................................</p>
<p>13. Họ và tên vợ/chồng: .................................................................................................</p>
<p>14. Điện thoại / Email: .................................................................................................</p>
<p>15. Quá trình cư trú, học tập, làm việc (kể từ khi đủ 14 tuổi):</p>
<table>
<tr><th>Từ tháng, năm</th><th>Đến tháng, năm</th><th>Nơi cư trú</th><th>Nghề nghiệp, nơi làm việc</th></tr>
<tr><td>................</td><td>................</td><td>................................</td><td>................................</td></tr>
<tr><td>................</td><td>................</td><td>................................</td><td>................................</td></tr>
<tr><td>................</td><td>................</td><td>................................</td><td>................................</td></tr>
</table>
<p>16. Tình trạng án tích (nếu có): ........................................................................................</p>
<p>17. Yêu cầu cấp: ☐ Phiếu lý lịch tư pháp số 1 &nbsp;&nbsp; ☐ Phiếu lý lịch tư pháp số 2 &nbsp;&nbsp; Số lượng: ........ Phiếu</p>
<p>18. Mục đích sử dụng Phiếu: .............................................................................................</p>
<p>Tôi xin cam đoan những lời khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật về lời khai của mình.</p>
<div class="ky"><div>................., ngày ...... tháng ...... năm ..........<br><strong>Người khai</strong><br>(Ký và ghi rõ họ tên)<br><br><br>..............................................</div></div>
</body>
</html>
$form$, 'UTF8'),
    true
)
on conflict (slug) do nothing;

-- ---------------------------------------------------------------------------------------------
-- 5. Procedures
-- ---------------------------------------------------------------------------------------------
-- Codes: national TTHC database codes as listed in DOMAIN §10 / §15 [S]; 3.000333 (judicial record
-- certificate) is from a single weak source. §10 #15 (building permit) and #17 (first land
-- registration) have no verified code and are left out; no code here is invented.
-- popularity = dossiers in the last 12 months: ALL VALUES ARE ESTIMATES [E] for a province of about
-- 2.16 million people, chosen so that certified copies, residence and birth registration lead.
insert into procedures (code, field_id, popularity)
select v.code, f.id, v.popularity
from (values
    ('1.001193', 'HOTICH', 30000),
    ('2.000986', 'HOTICH', 9000),
    ('1.000894', 'HOTICH', 11000),
    ('1.000656', 'HOTICH', 10500),
    ('1.004873', 'HOTICH', 14000),
    ('2.000635', 'HOTICH', 18000),
    ('2.000806', 'HOTICH', 260),
    ('2.000528', 'HOTICH', 110),
    ('1.004884', 'HOTICH', 2400),
    ('1.000419', 'HOTICH', 280),
    ('2.001023', 'HOTICH', 1400),
    ('2.000815', 'CHUNGTHUC', 185000),
    ('2.000884', 'CHUNGTHUC', 21000),
    ('2.000908', 'CHUNGTHUC', 2600),
    ('1.004222', 'CUTRU', 36000),
    ('1.004194', 'CUTRU', 29000),
    ('2.000200', 'CANCUOC', 24000),
    ('3.000333', 'LLTP', 8500),
    ('1.001612', 'TLHDH', 5800),
    ('1.013227', 'HDXD', 350),
    ('1.012768', 'DATDAI', 7600),
    ('1.012796', 'DATDAI', 1300),
    ('1.012994', 'DATDAI', 140),
    ('1.001776', 'BTXH', 4700),
    ('1.014027', 'BTXH', 3900),
    ('1.014137', 'BHYT', 6800),
    ('1.001122', 'GDTP', 24),
    ('2.000894', 'GDTP', 9),
    ('1.009832', 'GDTP', 6),
    ('2.000890', 'GDTP', 2),
    ('2.000823', 'GDTP', 2),
    ('1.001117', 'GDTP', 1),
    ('1.000555', 'GDTP', 3)
) as v(code, field_code, popularity)
join fields f on f.code = v.field_code
on conflict (code) do nothing;

-- ---------------------------------------------------------------------------------------------
-- 6. Procedure versions (one each, version 1)
-- ---------------------------------------------------------------------------------------------
-- decision_no / decision_date: only the judicial-expertise procedures have a sourced provincial
-- publishing decision (QĐ 1628/QĐ-UBND of 21/11/2025 [S: QNG-1628]). For the others the Quảng Ngãi
-- publishing decision was NOT found; rather than invent a decision number the columns are left
-- empty, effective_from is the start of the two-level government (2025-07-01), and the version is
-- flagged is_estimate = true with the reason in source_note.
insert into procedure_versions (
    procedure_id, version_no, name_vi, name_en, decision_no, decision_date, effective_from,
    competent_kind, competent_agency_id, applicant_vi, applicant_en, result_vi, result_en,
    time_limit_value, time_limit_unit, time_note_vi, time_note_en, online_level,
    submit_online, submit_counter, submit_post, result_counter, result_post, result_electronic,
    fee_note_vi, fee_note_en, legal_basis, is_estimate, source_note)
select p.id, 1, v.name_vi, v.name_en, v.decision_no, v.decision_date::date, v.effective_from::date,
       v.competent_kind, a.id, v.applicant_vi, v.applicant_en, v.result_vi, v.result_en,
       v.tl_value, v.tl_unit::time_unit, v.time_note_vi, v.time_note_en, v.online::online_level,
       v.s_online, v.s_counter, v.s_post, v.r_counter, v.r_post, v.r_electronic,
       v.fee_note_vi, v.fee_note_en, v.legal_basis, v.is_estimate, v.source_note
from (values
-- ===== Hộ tịch =====
(
    '1.001193', 'Đăng ký khai sinh', 'Birth registration', null, null, '2025-07-01',
    'commune_pc', null,
    'Cha, mẹ; hoặc ông, bà, người thân thích khác, cá nhân, tổ chức đang nuôi dưỡng trẻ em',
    'The father or mother; or grandparents, other relatives, or the person or organisation caring for the child',
    'Giấy khai sinh (bản chính) và bản sao Trích lục khai sinh nếu có yêu cầu',
    'Birth certificate (original), plus copies of the birth extract if requested',
    null, 'same_day',
    'Giải quyết ngay trong ngày khi nhận đủ giấy tờ; nếu nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo. Cha, mẹ có trách nhiệm đăng ký khai sinh cho con trong 60 ngày kể từ ngày sinh.',
    'Decided the same day once the papers are complete; if the dossier is received after 15:00 the result is returned on the next working day. Parents must register a birth within 60 days.',
    'full', true, true, true, true, true, true,
    'Miễn lệ phí khi đăng ký đúng hạn; đăng ký quá hạn nộp lệ phí theo mức Hội đồng nhân dân tỉnh quy định.',
    'No fee when registered on time; late registration pays the fee set by the provincial People''s Council.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Nghị định số 123/2015/NĐ-CP', 'Nghị định số 87/2020/NĐ-CP',
          'Nghị định số 07/2025/NĐ-CP', 'Thông tư số 04/2020/TT-BTP'],
    true,
    '[S: CATALOG-NQ] code; components [S: CAT-COPY, PD-HT Luật Hộ tịch Đ.16]; 15:00 rule [S: CATALOG-APP, weak]; fee exemption [S: PD-HT Luật Hộ tịch Đ.11]; online level [E]; publishing decision not found'
),
(
    '2.000986',
    'Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    'Linked procedures: birth registration, permanent residence registration and health-insurance card for children under 6',
    null, null, '2025-07-01', 'commune_pc', null,
    'Cha, mẹ hoặc người đi đăng ký khai sinh cho trẻ em dưới 6 tuổi',
    'The parents, or the person registering the birth of a child under 6',
    'Giấy khai sinh; thông tin đăng ký thường trú của trẻ; thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    'Birth certificate; the child''s permanent residence entry; the child''s health-insurance card',
    3, 'working_days',
    'Tối đa 05 ngày làm việc nếu phải xác minh. Hồ sơ nhận sau 15 giờ thì thời hạn tính từ ngày làm việc tiếp theo. UBND cấp xã chủ trì; Công an cấp xã và cơ quan bảo hiểm xã hội phối hợp.',
    'Up to 5 working days if verification is needed. For dossiers received after 15:00 the clock starts on the next working day. The commune People''s Committee leads; commune police and social insurance take part.',
    'full', true, true, false, true, true, true,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Nghị định số 63/2024/NĐ-CP', 'Luật Hộ tịch số 60/2014/QH13', 'Luật Cư trú số 68/2020/QH14',
          'Luật Bảo hiểm y tế số 25/2008/QH12'],
    true,
    '[S: CATALOG-NQ] code; time limit, 15:00 rule, online level [S: LT-LINKED]; fee [E]; decree number and components [M]/[E]; publishing decision not found'
),
(
    '1.000894', 'Đăng ký kết hôn', 'Marriage registration', null, null, '2025-07-01',
    'commune_pc', null,
    'Hai bên nam, nữ là công dân Việt Nam cư trú ở trong nước',
    'A man and a woman, both Vietnamese citizens residing in Vietnam',
    'Giấy chứng nhận kết hôn (bản chính)', 'Marriage certificate (original)',
    null, 'same_day',
    'Giải quyết ngay khi nhận đủ giấy tờ nếu đủ điều kiện kết hôn; trường hợp cần xác minh điều kiện kết hôn thì không quá 05 ngày làm việc. Hai bên nam, nữ phải cùng có mặt khi đăng ký.',
    'Decided as soon as the papers are complete if the couple meets the conditions; up to 5 working days if the conditions must be verified. Both parties must be present.',
    'partial', true, true, true, true, false, false,
    'Miễn lệ phí đăng ký kết hôn của công dân Việt Nam cư trú ở trong nước.',
    'No fee for the marriage of Vietnamese citizens residing in Vietnam.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Luật Hôn nhân và gia đình số 52/2014/QH13',
          'Nghị định số 123/2015/NĐ-CP', 'Nghị định số 07/2025/NĐ-CP'],
    true,
    '[S: CATALOG-NQ] code; time limit [S: PD-HT Luật Hộ tịch Đ.18]; marital status looked up in databases [S: HOTICH-PROC, CAT-COPY]; fee [S: PD-HT Đ.11]; online level [E]; publishing decision not found'
),
(
    '1.000656', 'Đăng ký khai tử', 'Death registration', null, null, '2025-07-01',
    'commune_pc', null,
    'Vợ, chồng, con, cha, mẹ hoặc người thân thích khác của người chết; đại diện cơ quan, tổ chức, cá nhân liên quan nếu người chết không có người thân thích',
    'The spouse, children, parents or other relatives of the deceased; a representative of the body, organisation or person concerned if there are no relatives',
    'Trích lục khai tử (bản chính)', 'Death extract (original)',
    null, 'same_day',
    'Giải quyết ngay sau khi nhận đủ giấy tờ; trường hợp cần xác minh thì không quá 03 ngày làm việc. Thời hạn đi đăng ký khai tử: 15 ngày kể từ ngày có người chết.',
    'Decided as soon as the papers are complete; up to 3 working days if verification is needed. A death must be registered within 15 days.',
    'full', true, true, true, true, true, true,
    'Miễn lệ phí khi đăng ký đúng hạn; đăng ký quá hạn nộp lệ phí theo mức Hội đồng nhân dân tỉnh quy định.',
    'No fee when registered on time; late registration pays the fee set by the provincial People''s Council.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Nghị định số 123/2015/NĐ-CP', 'Thông tư số 04/2020/TT-BTP'],
    true,
    '[S: CATALOG-NQ] code; same day and 15-day duty [S: PD-HT Luật Hộ tịch Đ.33-34]; 3-day verification [M]; fee exemption [S: PD-HT Đ.11]; online level [E]; publishing decision not found'
),
(
    '1.004873', 'Cấp Giấy xác nhận tình trạng hôn nhân', 'Issuing a certificate of marital status',
    null, null, '2025-07-01', 'commune_pc', null,
    'Công dân Việt Nam cư trú ở trong nước có yêu cầu xác nhận tình trạng hôn nhân',
    'Vietnamese citizens residing in Vietnam who need their marital status certified',
    'Giấy xác nhận tình trạng hôn nhân', 'Certificate of marital status',
    3, 'working_days',
    'Nếu phải đề nghị UBND cấp xã nơi người yêu cầu thường trú trước đây xác minh, nơi đó có 03 ngày làm việc để trả lời. Giấy xác nhận để kết hôn chỉ cấp 01 bản.',
    'If the commune where the applicant used to live must verify, it has 3 working days to answer. A certificate for marriage is issued in a single copy.',
    'full', true, true, true, true, true, true,
    'Lệ phí theo mức Hội đồng nhân dân tỉnh quy định; miễn cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật.',
    'Fee set by the provincial People''s Council; waived for families of people with merit, poor households and people with disabilities.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Nghị định số 123/2015/NĐ-CP', 'Nghị định số 07/2025/NĐ-CP'],
    true,
    '[S: CATALOG-NQ] code; components and 3-day verification [S: CAT-COPY]; time limit [M]; fee amount [E] (set by HĐND, not captured); online level [E]; publishing decision not found'
),
(
    '2.000635', 'Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh',
    'Issuing copies of civil-status extracts and copies of birth certificates',
    null, null, '2025-07-01', 'commune_pc', null,
    'Cá nhân có yêu cầu (hoặc người được ủy quyền); cơ quan, tổ chức có yêu cầu nêu rõ lý do',
    'Individuals (or their authorised representatives); bodies and organisations stating their reason',
    'Bản sao Trích lục hộ tịch hoặc bản sao Giấy khai sinh (bản giấy hoặc bản điện tử)',
    'Copy of the civil-status extract or of the birth certificate (paper or electronic)',
    null, 'same_day',
    'Trả kết quả trong ngày; nếu nhận yêu cầu sau 15 giờ thì trả trong ngày làm việc tiếp theo.',
    'Returned the same day; requests received after 15:00 are returned on the next working day.',
    'full', true, true, true, true, true, true,
    '8.000 đồng/bản sao.', 'VND 8,000 per copy.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Nghị định số 87/2020/NĐ-CP', 'Nghị định số 123/2015/NĐ-CP'],
    true,
    '[S: CATALOG-NQ] code; time limit [S]; fee [S: KIOSK]; components [S: CAT-COPY]; online with e-result [S: HN-STUDY] (Hà Nội, assumed for Quảng Ngãi [E]); publishing decision not found'
),
(
    '2.000806', 'Đăng ký kết hôn có yếu tố nước ngoài', 'Marriage registration with a foreign element',
    null, null, '2025-07-01', 'commune_pc', null,
    'Công dân Việt Nam kết hôn với người nước ngoài; công dân Việt Nam cư trú ở trong nước kết hôn với công dân Việt Nam định cư ở nước ngoài; người nước ngoài cư trú tại Việt Nam kết hôn với nhau',
    'A Vietnamese citizen marrying a foreigner; a resident Vietnamese citizen marrying a Vietnamese citizen living abroad; foreigners residing in Vietnam marrying each other',
    'Giấy chứng nhận kết hôn (bản chính)', 'Marriage certificate (original)',
    15, 'days',
    'Trong 15 ngày kể từ ngày nhận đủ giấy tờ, cơ quan đăng ký hộ tịch xác minh điều kiện kết hôn; hai bên nam, nữ phải cùng có mặt tại trụ sở khi đăng ký. Từ 01/07/2025 thẩm quyền chuyển từ UBND cấp huyện về UBND cấp xã.',
    'Within 15 days of receiving the complete papers the registry verifies the conditions; both parties must be present at the office. Since 1 July 2025 the competence moved from the district to the commune People''s Committee.',
    'partial', true, true, true, true, false, false,
    'Lệ phí theo mức Hội đồng nhân dân tỉnh quy định.', 'Fee set by the provincial People''s Council.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Luật Hôn nhân và gia đình số 52/2014/QH13',
          'Nghị định số 123/2015/NĐ-CP', 'Nghị định số 07/2025/NĐ-CP'],
    true,
    '[S: CATALOG-NQ] code; 15 days and components [S: PD-HT Luật Hộ tịch Đ.38] (later shortening not checked); commune competence since 2025 [E]; fee amount [E]; online level [E]; publishing decision not found'
),
(
    '2.000528', 'Đăng ký khai sinh có yếu tố nước ngoài', 'Birth registration with a foreign element',
    null, null, '2025-07-01', 'commune_pc', null,
    'Cha, mẹ hoặc người thân thích của trẻ em sinh ra tại Việt Nam có cha hoặc mẹ là người nước ngoài, người không quốc tịch hoặc công dân Việt Nam định cư ở nước ngoài',
    'Parents or relatives of a child born in Vietnam whose father or mother is a foreigner, a stateless person or a Vietnamese citizen living abroad',
    'Giấy khai sinh (bản chính)', 'Birth certificate (original)',
    null, 'same_day',
    'Giải quyết ngay sau khi nhận đủ giấy tờ nếu thông tin khai sinh đầy đủ và phù hợp. Từ 01/07/2025 thẩm quyền chuyển từ UBND cấp huyện về UBND cấp xã.',
    'Decided as soon as the papers are complete and consistent. Since 1 July 2025 the competence moved from the district to the commune People''s Committee.',
    'partial', true, true, true, true, true, false,
    'Lệ phí theo mức Hội đồng nhân dân tỉnh quy định.', 'Fee set by the provincial People''s Council.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Nghị định số 123/2015/NĐ-CP', 'Nghị định số 07/2025/NĐ-CP'],
    true,
    '[S: CATALOG-NQ] code; same day and nationality agreement [S: PD-HT Luật Hộ tịch Đ.36]; commune competence since 2025 [E]; fee [E]; online level [E]; publishing decision not found'
),
(
    '1.004884', 'Đăng ký lại khai sinh', 'Re-registration of birth',
    null, null, '2025-07-01', 'commune_pc', null,
    'Người đã đăng ký khai sinh tại cơ quan có thẩm quyền của Việt Nam nhưng Sổ hộ tịch và bản chính Giấy khai sinh đều bị mất',
    'People whose birth was registered in Vietnam but whose register entry and original birth certificate are both lost',
    'Giấy khai sinh (đăng ký lại)', 'Birth certificate (re-registered)',
    5, 'working_days',
    'Thời hạn tính từ ngày nhận đủ hồ sơ hợp lệ; bao gồm thời gian xác minh tại nơi đã đăng ký khai sinh trước đây.',
    'Counted from receipt of a complete dossier; includes verification at the place of the original registration.',
    'partial', true, true, true, true, true, false,
    'Lệ phí theo mức Hội đồng nhân dân tỉnh quy định.', 'Fee set by the provincial People''s Council.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Nghị định số 123/2015/NĐ-CP'],
    true,
    '[S: CATALOG-NQ] code; time limit, applicant and components [M: ND 123/2015]; fee [E]; online level [E]; publishing decision not found'
),
(
    '1.000419', 'Đăng ký khai tử lưu động', 'Mobile death registration',
    null, null, '2025-07-01', 'commune_pc', null,
    'Thân nhân của người chết khi người có trách nhiệm đi khai tử là người cao tuổi, người khuyết tật, ốm đau không thể đến trụ sở, hoặc người chết không có người thân thích',
    'Relatives of the deceased when the person who should register is elderly, disabled or too ill to come, or when the deceased has no relatives',
    'Trích lục khai tử (bản chính), trao tại nơi đăng ký lưu động', 'Death extract (original), handed over on the spot',
    5, 'working_days',
    'Công chức tư pháp - hộ tịch đến tận nơi hướng dẫn kê khai và trao kết quả.',
    'The civil-status officer comes to the family, helps fill in the form and hands over the result.',
    'none', false, true, false, true, false, false,
    'Miễn lệ phí khi đăng ký đúng hạn.', 'No fee when registered on time.',
    array['Luật Hộ tịch số 60/2014/QH13', 'Nghị định số 123/2015/NĐ-CP', 'Thông tư số 04/2020/TT-BTP'],
    true,
    '[S: CATALOG-NQ] code; applicant conditions and 5-day limit [M: TT 04/2020]; fee [S: PD-HT Đ.11]; channels [E]; publishing decision not found'
),
(
    '2.001023',
    'Liên thông các thủ tục hành chính về đăng ký khai sinh, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    'Linked procedures: birth registration and health-insurance card for children under 6',
    null, null, '2025-07-01', 'commune_pc', null,
    'Cha, mẹ hoặc người đi đăng ký khai sinh cho trẻ em dưới 6 tuổi',
    'The parents, or the person registering the birth of a child under 6',
    'Giấy khai sinh; thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi', 'Birth certificate; the child''s health-insurance card',
    5, 'working_days',
    'Giấy khai sinh được cấp ngay trong ngày; thẻ bảo hiểm y tế được trả sau khi cơ quan bảo hiểm xã hội cấp.',
    'The birth certificate is issued the same day; the health-insurance card follows once social insurance issues it.',
    'partial', true, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Thông tư liên tịch số 05/2015/TTLT-BTP-BCA-BYT', 'Luật Hộ tịch số 60/2014/QH13',
          'Luật Bảo hiểm y tế số 25/2008/QH12'],
    true,
    '[S: CATALOG-NQ] code; components [S: CAT-COPY]; joint circular [S: PD-HT]; time limit [E]; online level [E]; publishing decision not found'
),
-- ===== Chứng thực =====
(
    '2.000815',
    'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận',
    'Certifying copies from originals of papers issued or certified by competent Vietnamese bodies',
    null, null, '2025-07-01', 'commune_pc', null,
    'Cá nhân, tổ chức có yêu cầu chứng thực bản sao', 'Individuals and organisations requesting certified copies',
    'Bản sao được chứng thực từ bản chính (bản giấy hoặc bản điện tử)',
    'Copy certified from the original (paper or electronic)',
    null, 'same_day',
    'Trong ngày tiếp nhận, hoặc ngày làm việc tiếp theo nếu tiếp nhận sau 15 giờ. Yêu cầu số lượng lớn, văn bản nhiều trang hoặc phức tạp có thể kéo dài thêm nhưng không quá 02 ngày làm việc.',
    'The same day, or the next working day if received after 15:00. Large batches, long or complex documents may take up to 2 more working days.',
    'partial', true, true, false, true, false, true,
    'Mức thu tối đa không quá 200.000 đồng/bản.', 'Capped at VND 200,000 per copy.',
    array['Nghị định số 23/2015/NĐ-CP', 'Nghị định số 45/2020/NĐ-CP', 'Thông tư số 226/2016/TT-BTC'],
    false,
    '[S: CATALOG-NQ] code; time limit and fee [S: KIOSK; TT 226/2016 M]; e-certified copies, original must be shown [S: NB163]; components [S: CAT-COPY]; publishing decision not found'
),
(
    '2.000884',
    'Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)',
    'Authenticating signatures on papers and documents (also fingerprints, and cases where the requester can neither sign nor fingerprint)',
    null, null, '2025-07-01', 'commune_pc', null,
    'Cá nhân có yêu cầu chứng thực chữ ký', 'Individuals requesting signature authentication',
    'Giấy tờ, văn bản đã được chứng thực chữ ký', 'The paper or document with its signature authenticated',
    null, 'same_day',
    'Trong ngày tiếp nhận, hoặc ngày làm việc tiếp theo nếu tiếp nhận sau 15 giờ. Người yêu cầu phải ký trước mặt người thực hiện chứng thực và nhận kết quả tại nơi nộp hồ sơ.',
    'The same day, or the next working day if received after 15:00. The requester signs in front of the certifying officer and collects the result where it was filed.',
    'none', false, true, false, true, false, false,
    '10.000 đồng/trường hợp.', 'VND 10,000 per case.',
    array['Nghị định số 23/2015/NĐ-CP', 'Thông tư số 226/2016/TT-BTC'],
    true,
    '[S: CATALOG-NQ] code; components [S: CAT-COPY]; same day and fee [M]; counter only [E]; publishing decision not found'
),
(
    '2.000908', 'Cấp bản sao từ sổ gốc', 'Issuing copies from master registers',
    null, null, '2025-07-01', 'commune_pc', null,
    'Người được cấp bản chính; người đại diện theo pháp luật, người được ủy quyền; cha, mẹ, con, vợ, chồng, anh, chị, em ruột, người thừa kế khác khi người được cấp bản chính đã chết',
    'The holder of the original; their legal representative or proxy; their parents, children, spouse, siblings or other heirs if the holder has died',
    'Bản sao từ sổ gốc', 'Copy from the master register',
    null, 'same_day',
    'Trong ngày tiếp nhận, hoặc ngày làm việc tiếp theo nếu tiếp nhận sau 15 giờ.',
    'The same day, or the next working day if received after 15:00.',
    'partial', true, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Nghị định số 23/2015/NĐ-CP'],
    true,
    '[S: CATALOG-NQ] code; time limit and channels [S: CHUNGTHUC-HN]; no fee [S: CHUNGTHUC-HN] (Hà Nội, not checked for Quảng Ngãi); applicant [M]; online level [E]; publishing decision not found'
),
-- ===== Cư trú =====
(
    '1.004222', 'Đăng ký thường trú', 'Permanent residence registration',
    null, null, '2025-07-01', 'commune_police', null,
    'Công dân Việt Nam có chỗ ở hợp pháp đủ điều kiện đăng ký thường trú',
    'Vietnamese citizens with a lawful residence that qualifies for permanent registration',
    'Thông tin thường trú được cập nhật vào Cơ sở dữ liệu về cư trú; thông báo kết quả cho người đăng ký',
    'Permanent residence recorded in the residence database; the applicant is notified',
    7, 'working_days', '', '',
    'full', true, true, true, true, false, true,
    'Lệ phí 20.000 đồng khi nộp trực tiếp, 10.000 đồng khi nộp trực tuyến; một số đối tượng được miễn.',
    'VND 20,000 at the counter, VND 10,000 online; some groups are exempt.',
    array['Luật Cư trú số 68/2020/QH14', 'Nghị định số 154/2024/NĐ-CP', 'Thông tư số 53/2025/TT-BCA',
          'Thông tư số 66/2023/TT-BCA', 'Thông tư số 75/2022/TT-BTC'],
    true,
    '[S: CATALOG-NQ] code; time limit [M: Luật Cư trú 2020]; fee [M: TT 75/2022]; proof of residence [S: NQ-REUSE partial]; online level [E]; publishing decision not found'
),
(
    '1.004194', 'Đăng ký tạm trú', 'Temporary residence registration',
    null, null, '2025-07-01', 'commune_police', null,
    'Công dân Việt Nam đến sinh sống tại chỗ ở hợp pháp ngoài phạm vi đơn vị hành chính cấp xã nơi đã đăng ký thường trú từ 30 ngày trở lên',
    'Vietnamese citizens living for 30 days or more at a lawful residence outside the commune of their permanent residence',
    'Thông tin tạm trú được cập nhật vào Cơ sở dữ liệu về cư trú; thông báo kết quả cho người đăng ký',
    'Temporary residence recorded in the residence database; the applicant is notified',
    3, 'working_days', '', '',
    'full', true, true, true, true, false, true,
    'Lệ phí 15.000 đồng khi nộp trực tiếp, 7.000 đồng khi nộp trực tuyến; một số đối tượng được miễn.',
    'VND 15,000 at the counter, VND 7,000 online; some groups are exempt.',
    array['Luật Cư trú số 68/2020/QH14', 'Nghị định số 154/2024/NĐ-CP', 'Thông tư số 53/2025/TT-BCA',
          'Thông tư số 66/2023/TT-BCA', 'Thông tư số 75/2022/TT-BTC'],
    true,
    '[S: CATALOG-NQ] code; time limit and fee [M], corroborated by a public app''s data [weak]; 30-day applicant rule [M]; online level [E]; publishing decision not found'
),
-- ===== Căn cước =====
(
    '2.000200', 'Cấp, cấp đổi, cấp lại thẻ căn cước', 'Issuing, renewing and replacing identity cards',
    null, null, '2025-07-01', 'provincial_police', 'cong-an-tinh-quang-ngai',
    'Công dân Việt Nam (bắt buộc từ đủ 14 tuổi; dưới 14 tuổi cấp theo nhu cầu)',
    'Vietnamese citizens (mandatory from age 14; on request below 14)',
    'Thẻ căn cước', 'Identity card',
    7, 'working_days',
    'Công dân phải có mặt để thu nhận ảnh khuôn mặt, vân tay, mống mắt. Hồ sơ tiếp nhận tại Công an cấp xã hoặc cơ quan quản lý căn cước của Công an tỉnh.',
    'The citizen must attend in person for face, fingerprint and iris capture. Applications are taken by commune police or the provincial police identity office.',
    'partial', true, true, false, true, true, false,
    'Cấp lần đầu không thu lệ phí; chuyển từ thẻ Căn cước công dân, cấp đổi, cấp lại thu theo mức quy định.',
    'First issue is free; switching from the old citizen ID card, renewal and replacement are charged.',
    array['Luật Căn cước số 26/2023/QH15', 'Nghị định số 70/2024/NĐ-CP'],
    true,
    '[S: KIOSK, medium] code, time limit, fees; competent body (provincial police, commune police receiving) [E]; decree number [M]; online level [E]; publishing decision not found'
),
-- ===== Lý lịch tư pháp =====
(
    '3.000333',
    'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
    'Issuing judicial record (criminal record) certificates to Vietnamese citizens and foreigners residing in Vietnam',
    null, null, '2025-07-01', 'provincial_police', 'cong-an-tinh-quang-ngai',
    'Công dân Việt Nam; người nước ngoài đã hoặc đang cư trú tại Việt Nam',
    'Vietnamese citizens; foreigners who reside or have resided in Vietnam',
    'Phiếu lý lịch tư pháp số 1 hoặc số 2 (bản giấy hoặc bản điện tử)',
    'Judicial record certificate no. 1 or no. 2 (paper or electronic)',
    10, 'days',
    'Không quá 15 ngày nếu phải xác minh (người đã cư trú ở nhiều nơi, người nước ngoài, trường hợp phải xác minh về điều kiện đương nhiên được xoá án tích).',
    'Up to 15 days if verification is needed (several past residences, foreigners, automatic expungement to be checked).',
    'full', true, true, true, true, true, true,
    'Miễn, giảm phí cho các đối tượng theo Thông tư số 244/2016/TT-BTC.',
    'Exemptions and reductions for the groups listed in Circular 244/2016/TT-BTC.',
    array['Luật Lý lịch tư pháp số 28/2009/QH12', 'Thông tư số 244/2016/TT-BTC'],
    true,
    'code 3.000333 from a single weak source; competent body since 2025 [S: weak]; time limit [S: weak; M: Luật LLTP Đ.48]; fee [S: LLTP-FEE]; online via VNeID [E]; publishing decision not found'
),
-- ===== Hộ kinh doanh =====
(
    '1.001612', 'Đăng ký thành lập hộ kinh doanh', 'Household business registration',
    null, null, '2025-07-01', 'commune_pc', null,
    'Cá nhân hoặc các thành viên hộ gia đình là công dân Việt Nam có năng lực hành vi dân sự đầy đủ',
    'An individual or members of a household, Vietnamese citizens with full legal capacity',
    'Giấy chứng nhận đăng ký hộ kinh doanh', 'Household business registration certificate',
    3, 'working_days',
    'Tính từ ngày nhận đủ hồ sơ hợp lệ. Từ 01/07/2025 do UBND cấp xã giải quyết (trước đây cấp huyện).',
    'Counted from receipt of a complete dossier. Since 1 July 2025 decided by the commune People''s Committee (previously the district).',
    'full', true, true, true, true, true, true,
    'Lệ phí đăng ký hộ kinh doanh theo mức Hội đồng nhân dân tỉnh quy định.',
    'Registration fee set by the provincial People''s Council.',
    array['Nghị định số 168/2025/NĐ-CP'],
    true,
    '[S: QNI-IGATE] code (local 1.001612.000.00.00.H48), 3 working days, TLHDH sector; commune level [S: LEG-SUM]; fee [E]; components [M]; online level [E]; publishing decision not found'
),
-- ===== Hoạt động xây dựng =====
(
    '1.013227',
    'Gia hạn giấy phép xây dựng đối với công trình cấp III, cấp IV và nhà ở riêng lẻ',
    'Extending a building permit for grade III and IV works and individual houses',
    null, null, '2025-07-01', 'commune_pc', null,
    'Chủ đầu tư có giấy phép xây dựng sắp hết hiệu lực khởi công', 'Owners whose building permit is about to lapse before construction starts',
    'Giấy phép xây dựng đã được gia hạn', 'The extended building permit',
    5, 'working_days', '', '',
    'full', true, true, true, true, true, true,
    'Lệ phí theo mức Hội đồng nhân dân tỉnh quy định (nếu có).', 'Fee, if any, set by the provincial People''s Council.',
    array['Luật Xây dựng số 50/2014/QH13', 'Luật số 62/2020/QH14 sửa đổi, bổ sung Luật Xây dựng',
          'Nghị định số 175/2024/NĐ-CP'],
    true,
    '[S: DOMAIN §10] code; components [S: CAT-COPY]; competent body [E]; time limit [M]; fee [E]; online level [E]; publishing decision not found'
),
-- ===== Đất đai =====
(
    '1.012768',
    'Đăng ký biến động đất đai, tài sản gắn liền với đất do đổi tên, thay đổi thông tin về người sử dụng đất, chủ sở hữu tài sản hoặc do sạt lở, sụt đất tự nhiên',
    'Land change registration: new name or details of the land user or asset owner, or change caused by natural landslides',
    null, null, '2025-07-01', 'land_registration_office', 'van-phong-dang-ky-dat-dai-quang-ngai',
    'Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất đã được cấp Giấy chứng nhận',
    'Land users and owners of assets attached to land who hold a certificate',
    'Giấy chứng nhận được xác nhận nội dung biến động hoặc Giấy chứng nhận mới',
    'The certificate endorsed with the change, or a new certificate',
    10, 'working_days',
    'Không tính thời gian người sử dụng đất thực hiện nghĩa vụ tài chính (nếu có).',
    'The time the land user takes to pay any financial obligations is not counted.',
    'partial', true, true, true, true, true, false,
    'Theo Nghị quyết số 08/2025/NQ-HĐND, lệ phí cấp Giấy chứng nhận là 0 đồng khi thực hiện trực tuyến.',
    'Under Resolution 08/2025/NQ-HĐND the certificate fee is zero when the procedure is done online.',
    array['Luật Đất đai số 31/2024/QH15', 'Nghị định số 101/2024/NĐ-CP', 'Nghị định số 151/2025/NĐ-CP',
          'Nghị quyết số 07/2025/NQ-HĐND tỉnh Quảng Ngãi', 'Nghị quyết số 08/2025/NQ-HĐND tỉnh Quảng Ngãi'],
    true,
    '[S: DOMAIN §10] code; name paraphrased from §10 [E]; fees NQ 07, NQ 08 (0 online) [S: QNG-FEE07, QNG-FEE08], amounts not captured; time limit [M]; online level [E]; publishing decision not found'
),
(
    '1.012796', 'Đính chính Giấy chứng nhận đã cấp lần đầu có sai sót',
    'Correcting errors in a first-issued land-use certificate',
    null, null, '2025-07-01', 'commune_pc', null,
    'Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất phát hiện sai sót trên Giấy chứng nhận',
    'Land users or asset owners who find an error on their certificate',
    'Giấy chứng nhận đã được đính chính hoặc Giấy chứng nhận mới', 'The corrected certificate or a new certificate',
    10, 'working_days', '', '',
    'partial', true, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Đất đai số 31/2024/QH15', 'Nghị định số 101/2024/NĐ-CP', 'Nghị định số 151/2025/NĐ-CP'],
    true,
    '[S: DOMAIN §10] code; commune competence [S: DANGKY-XA]; time limit [M]; free [E]; online level [E]; publishing decision not found'
),
(
    '1.012994',
    'Khấu trừ kinh phí bồi thường, hỗ trợ, tái định cư vào tiền sử dụng đất, tiền thuê đất phải nộp',
    'Offsetting compensation, support and resettlement costs against land levy or land rent',
    null, null, '2025-07-01', 'commune_pc', null,
    'Người sử dụng đất đã ứng trước kinh phí bồi thường, hỗ trợ, tái định cư',
    'Land users who advanced compensation, support and resettlement costs',
    'Văn bản xác định số kinh phí được khấu trừ vào tiền sử dụng đất, tiền thuê đất',
    'A document stating the amount offset against land levy or land rent',
    168, 'working_hours',
    '168 giờ làm việc = 21 ngày làm việc; thời gian trả kết quả không tính vào thời hạn.',
    '168 working hours = 21 working days; the hand-over of the result is not counted.',
    'full', true, true, true, true, true, true,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Đất đai số 31/2024/QH15', 'Nghị định số 103/2024/NĐ-CP'],
    true,
    '[S: DOMAIN §10] code; 168 working hours and full online [S: TT03-NA] (Nghệ An process, assumed for Quảng Ngãi [E]); name, applicant, result [E]; fee not stated in source [E]; publishing decision not found'
),
-- ===== Bảo trợ xã hội, bảo hiểm y tế =====
(
    '1.001776',
    'Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng',
    'Granting, adjusting and stopping monthly social allowances and monthly care support',
    null, null, '2025-07-01', 'commune_pc', null,
    'Đối tượng bảo trợ xã hội (trẻ em không có nguồn nuôi dưỡng, người cao tuổi, người khuyết tật…) hoặc người giám hộ, người chăm sóc',
    'Social-protection beneficiaries (children without support, elderly people, people with disabilities…) or their guardians or carers',
    'Quyết định của Chủ tịch UBND cấp xã về việc hưởng, điều chỉnh hoặc thôi hưởng trợ cấp xã hội',
    'Decision of the commune chairperson granting, adjusting or stopping the allowance',
    10, 'working_days', '', '',
    'partial', true, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Nghị định số 20/2021/NĐ-CP', 'Luật Người cao tuổi số 39/2009/QH12', 'Luật Người khuyết tật số 51/2010/QH12'],
    true,
    '[S: KIOSK] code, 10 working days; name [M]; free [S]; online level [E]; publishing decision not found'
),
(
    '1.014027', 'Giải quyết hưởng trợ cấp hưu trí xã hội', 'Granting the social pension allowance',
    null, null, '2025-07-01', 'commune_pc', null,
    'Công dân Việt Nam từ đủ 75 tuổi trở lên không hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng; từ đủ 70 đến dưới 75 tuổi thuộc hộ nghèo, hộ cận nghèo',
    'Vietnamese citizens aged 75 or more without a pension or monthly social-insurance benefit; aged 70 to 74 in poor or near-poor households',
    'Quyết định hưởng trợ cấp hưu trí xã hội (500.000 đồng/tháng)', 'Decision granting the social pension (VND 500,000 a month)',
    10, 'working_days', '', '',
    'partial', true, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Bảo hiểm xã hội số 41/2024/QH15'],
    true,
    '[S: KIOSK] code, 10 working days, 500,000/month; name and age thresholds [M]; free [S]; online level [E]; publishing decision not found'
),
(
    '1.014137', 'Cấp thẻ bảo hiểm y tế cho người thuộc đối tượng do ngân sách nhà nước đóng',
    'Health-insurance cards for people whose contributions are paid by the State budget',
    null, null, '2025-07-01', 'social_insurance', null,
    'Người thuộc nhóm được ngân sách nhà nước đóng bảo hiểm y tế (qua UBND cấp xã lập danh sách)',
    'People in groups whose health insurance is paid by the State budget (listed by the commune People''s Committee)',
    'Thẻ bảo hiểm y tế (bản giấy hoặc hiển thị trên VNeID)', 'Health-insurance card (paper or shown in VNeID)',
    5, 'working_days', '', '',
    'full', true, true, true, true, true, true,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Bảo hiểm y tế số 25/2008/QH12'],
    true,
    '[S: KIOSK] code, 5 working days; name and applicant [E]; free [S]; online level [E]; publishing decision not found'
),
-- ===== Giám định tư pháp (QĐ 1628/QĐ-UBND, 21/11/2025) =====
-- All: fee "Không", handled at the provincial centre (54 Hùng Vương, P. Cẩm Thành) and its 2nd
-- reception point (492 Trần Phú, P. Kon Tum) [S: QNG-1628]. Where the decision allows online
-- submission it does not say full or partial; partial is assumed [E].
(
    '1.001122', 'Bổ nhiệm và cấp thẻ giám định viên tư pháp',
    'Appointment of judicial experts and issue of judicial-expert cards',
    'QĐ 1628/QĐ-UBND', '2025-11-21', '2025-11-21', 'province_pc', 'ubnd-tinh-quang-ngai',
    'Người đủ tiêu chuẩn được cơ quan chuyên môn thuộc UBND tỉnh quản lý lĩnh vực giám định đề nghị bổ nhiệm',
    'Qualified people proposed by the provincial department that manages the field of expertise',
    'Quyết định bổ nhiệm và cấp thẻ giám định viên tư pháp của Chủ tịch UBND tỉnh; thẻ giám định viên tư pháp',
    'Decision of the provincial chairperson appointing the expert and issuing the card; the judicial-expert card',
    20, 'days',
    '20 ngày kể từ ngày nhận hồ sơ hợp lệ để Chủ tịch UBND tỉnh quyết định; thẻ được cấp trong 10 ngày sau đó (Sở Tư pháp giúp thực hiện).',
    '20 days from a valid dossier for the chairperson''s decision; the card follows within 10 days (prepared by the Department of Justice).',
    'none', false, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Giám định tư pháp số 13/2012/QH13', 'Luật số 56/2020/QH14 sửa đổi, bổ sung Luật Giám định tư pháp',
          'Thông tư số 11/2020/TT-BTP', 'Nghị định số 118/2025/NĐ-CP'],
    false,
    '[S: QNG-1628] code, time limit, fee, channels; components [S: PD-GDTP Luật GĐTP Đ.8, TT 11/2020 Đ.6]'
),
(
    '2.000894', 'Miễn nhiệm giám định viên tư pháp', 'Dismissal of judicial experts',
    'QĐ 1628/QĐ-UBND', '2025-11-21', '2025-11-21', 'province_pc', 'ubnd-tinh-quang-ngai',
    'Cơ quan, tổ chức quản lý giám định viên tư pháp; giám định viên tư pháp xin miễn nhiệm',
    'The body managing the judicial expert; or the expert asking to be dismissed',
    'Quyết định miễn nhiệm giám định viên tư pháp và thu hồi thẻ giám định viên tư pháp',
    'Decision dismissing the judicial expert and withdrawing the card',
    10, 'days',
    '10 ngày kể từ ngày nhận hồ sơ hợp lệ. Tiếp nhận không phụ thuộc địa giới hành chính, cả tại Trung tâm Phục vụ hành chính công cấp xã.',
    '10 days from a valid dossier. Received regardless of administrative boundaries, including at commune centres.',
    'partial', true, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Giám định tư pháp số 13/2012/QH13', 'Luật số 56/2020/QH14 sửa đổi, bổ sung Luật Giám định tư pháp',
          'Nghị định số 118/2025/NĐ-CP'],
    true,
    '[S: QNG-1628] code, time limit, fee, channels incl. online and commune centres; components [S: PD-GDTP Luật GĐTP Đ.10]; online level partial [E]'
),
(
    '1.009832', 'Cấp lại thẻ giám định viên tư pháp', 'Re-issue of a judicial-expert card',
    'QĐ 1628/QĐ-UBND', '2025-11-21', '2025-11-21', 'province_pc', 'ubnd-tinh-quang-ngai',
    'Giám định viên tư pháp có thẻ bị mất, bị hỏng hoặc thay đổi thông tin ghi trên thẻ',
    'Judicial experts whose card is lost, damaged or whose details changed',
    'Quyết định cấp lại thẻ và thẻ giám định viên tư pháp', 'Decision re-issuing the card, and the card',
    20, 'days',
    '10 ngày để Sở Tư pháp trình + 10 ngày để Chủ tịch UBND tỉnh quyết định. Tiếp nhận không phụ thuộc địa giới hành chính.',
    '10 days for the Department of Justice to submit + 10 days for the chairperson to decide. Received regardless of administrative boundaries.',
    'partial', true, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Giám định tư pháp số 13/2012/QH13', 'Thông tư số 11/2020/TT-BTP', 'Nghị định số 118/2025/NĐ-CP'],
    true,
    '[S: QNG-1628] code, time limits, fee, channels; components [S: PD-GDTP TT 11/2020 Đ.8]; online level partial [E]'
),
(
    '2.000890', 'Cấp phép thành lập Văn phòng giám định tư pháp',
    'Licence to establish a judicial expertise office',
    'QĐ 1628/QĐ-UBND', '2025-11-21', '2025-11-21', 'province_pc', 'ubnd-tinh-quang-ngai',
    'Giám định viên tư pháp có từ đủ 03 năm trở lên là giám định viên và không phải cán bộ, công chức, viên chức, sĩ quan, quân nhân chuyên nghiệp',
    'Judicial experts with at least 3 years as an expert who are not civil servants, public employees or officers',
    'Quyết định cho phép thành lập Văn phòng giám định tư pháp', 'Decision licensing the judicial expertise office',
    45, 'days',
    '30 ngày để Sở Tư pháp thẩm định + 15 ngày để Chủ tịch UBND tỉnh quyết định.',
    '30 days for the Department of Justice to appraise + 15 days for the chairperson to decide.',
    'none', false, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Giám định tư pháp số 13/2012/QH13', 'Luật số 56/2020/QH14 sửa đổi, bổ sung Luật Giám định tư pháp',
          'Nghị định số 85/2013/NĐ-CP', 'Nghị định số 157/2020/NĐ-CP', 'Nghị định số 118/2025/NĐ-CP'],
    false,
    '[S: QNG-1628] code, time limits, fee, channels; components and applicant [S: PD-GDTP Luật GĐTP Đ.15-16, NĐ 85/2013 Đ.13]'
),
(
    '2.000823', 'Đăng ký hoạt động Văn phòng giám định tư pháp',
    'Registration of operation of a judicial expertise office',
    'QĐ 1628/QĐ-UBND', '2025-11-21', '2025-11-21', 'department', 'so-tu-phap-quang-ngai',
    'Văn phòng giám định tư pháp đã được cho phép thành lập (đăng ký trong 01 năm kể từ ngày có quyết định)',
    'Judicial expertise offices already licensed (must register within one year of the licence)',
    'Giấy đăng ký hoạt động của Văn phòng giám định tư pháp', 'Operation registration certificate of the office',
    30, 'days', '', '',
    'none', false, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Giám định tư pháp số 13/2012/QH13', 'Nghị định số 85/2013/NĐ-CP', 'Nghị định số 118/2025/NĐ-CP'],
    false,
    '[S: QNG-1628] code, time limit, fee, channels; components [S: PD-GDTP Luật GĐTP Đ.17, NĐ 85/2013 Đ.14]'
),
(
    '1.001117',
    'Cấp lại Giấy đăng ký hoạt động của Văn phòng giám định tư pháp trong trường hợp Giấy đăng ký hoạt động bị hư hỏng hoặc bị mất',
    'Re-issue of a judicial expertise office''s operation registration certificate that was damaged or lost',
    'QĐ 1628/QĐ-UBND', '2025-11-21', '2025-11-21', 'department', 'so-tu-phap-quang-ngai',
    'Văn phòng giám định tư pháp có Giấy đăng ký hoạt động bị hư hỏng hoặc bị mất',
    'Judicial expertise offices whose registration certificate is damaged or lost',
    'Giấy đăng ký hoạt động được cấp lại', 'The re-issued registration certificate',
    5, 'working_days',
    'Tiếp nhận không phụ thuộc địa giới hành chính.', 'Received regardless of administrative boundaries.',
    'partial', true, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Giám định tư pháp số 13/2012/QH13', 'Nghị định số 85/2013/NĐ-CP', 'Nghị định số 118/2025/NĐ-CP'],
    true,
    '[S: QNG-1628] code, time limit, fee, channels; full title reconstructed from the truncated list [E]; components [S: PD-GDTP NĐ 85/2013 Đ.15]; online level partial [E]'
),
(
    '1.000555',
    'Cấp lại Giấy đăng ký hoạt động của Văn phòng giám định tư pháp khi thay đổi tên gọi, địa chỉ trụ sở, người đại diện theo pháp luật, danh sách thành viên hợp danh',
    'Re-issue of a judicial expertise office''s operation registration certificate after a change of name, address, legal representative or partners',
    'QĐ 1628/QĐ-UBND', '2025-11-21', '2025-11-21', 'department', 'so-tu-phap-quang-ngai',
    'Văn phòng giám định tư pháp thay đổi tên gọi, địa chỉ trụ sở, người đại diện theo pháp luật hoặc danh sách thành viên hợp danh',
    'Judicial expertise offices that changed their name, address, legal representative or partners',
    'Giấy đăng ký hoạt động được cấp lại', 'The re-issued registration certificate',
    5, 'working_days',
    'Văn phòng phải gửi đơn trong 05 ngày làm việc kể từ ngày thay đổi.',
    'The office must apply within 5 working days of the change.',
    'none', false, true, true, true, true, false,
    'Không thu phí, lệ phí.', 'No fees or charges.',
    array['Luật Giám định tư pháp số 13/2012/QH13', 'Nghị định số 85/2013/NĐ-CP', 'Nghị định số 118/2025/NĐ-CP'],
    false,
    '[S: QNG-1628] code, time limit, fee, channels; components [S: PD-GDTP NĐ 85/2013 Đ.15]'
)
) as v(code, name_vi, name_en, decision_no, decision_date, effective_from, competent_kind,
       competent_slug, applicant_vi, applicant_en, result_vi, result_en, tl_value, tl_unit,
       time_note_vi, time_note_en, online, s_online, s_counter, s_post, r_counter, r_post,
       r_electronic, fee_note_vi, fee_note_en, legal_basis, is_estimate, source_note)
join procedures p on p.code = v.code
left join agencies a on a.slug = v.competent_slug
on conflict (procedure_id, version_no) do nothing;

-- the 15:00 rule, where the version's own time note states it (received after 15:00, the clock
-- starts at the next working day's opening): same-day civil status and copies, certification of
-- copies, and the linked birth-residence-insurance group
update procedure_versions v set clock_starts_next_day_after_cutoff = true
from procedures p
where p.id = v.procedure_id and v.version_no = 1
  and p.code in ('1.001193', '2.000986', '2.000635', '2.000815', '2.000884', '2.000908');

-- ---------------------------------------------------------------------------------------------
-- 7. Dossier components (thành phần hồ sơ)
-- ---------------------------------------------------------------------------------------------
-- requirement: original | copy | certified_copy | original_or_copy | original_to_show | electronic
insert into procedure_documents (version_id, position, name_vi, name_en, requirement, copies,
                                 mandatory, condition_vi, condition_en, form_template_id)
select pv.id, d.pos, d.name_vi, d.name_en, d.requirement, d.copies, d.mandatory,
       d.condition_vi, d.condition_en, t.id
from (values
-- 1.001193 Đăng ký khai sinh [S: CAT-COPY; PD-HT Đ.16]
('1.001193', 1, 'Tờ khai đăng ký khai sinh', 'Birth registration form', 'original', 1, true,
    'Khi nộp trực tiếp hoặc qua bưu chính; nộp trực tuyến thì khai mẫu điện tử tương tác trên Cổng Dịch vụ công',
    'When filing at the counter or by post; online applicants fill in the interactive e-form instead',
    'to-khai-dang-ky-khai-sinh'),
('1.001193', 2, 'Giấy chứng sinh', 'Birth notice issued by the health facility', 'original', 1, true,
    'Không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận việc sinh; không có người làm chứng thì nộp giấy cam đoan về việc sinh. Không phải nộp bản giấy nếu đã có Giấy chứng sinh điện tử có ký số',
    'Without one, a witness statement on the birth; without a witness, a written undertaking. Not needed on paper if a signed electronic birth notice is available',
    null),
('1.001193', 3, 'Giấy tờ chứng minh nhân thân của người đi đăng ký (hộ chiếu, thẻ căn cước, căn cước điện tử…)',
    'Identity document of the person registering (passport, identity card, electronic ID…)', 'original_to_show', 1, true,
    'Không phải xuất trình hoặc tải lên nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư',
    'Not needed if the data is already in the national population database', null),
('1.001193', 4, 'Văn bản ủy quyền', 'Letter of authorisation', 'original', 1, false,
    'Khi ủy quyền đăng ký khai sinh; không phải chứng thực nếu người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột',
    'When someone registers on the parents'' behalf; no certification needed for grandparents, parents, children, spouses or siblings', null),
('1.001193', 5, 'Biên bản xác nhận việc trẻ bị bỏ rơi', 'Record of the child''s abandonment', 'original', 1, false,
    'Khi đăng ký khai sinh cho trẻ em bị bỏ rơi', 'For an abandoned child', null),
('1.001193', 6, 'Văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ',
    'Confirmation from the facility that performed the assisted reproduction for the surrogacy', 'original', 1, false,
    'Khi khai sinh cho trẻ em sinh ra do mang thai hộ', 'For a child born through surrogacy', null),
-- 2.000986 Liên thông khai sinh – thường trú – BHYT [E]
('2.000986', 1, 'Tờ khai điện tử liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế',
    'Linked e-form for birth registration, permanent residence and health-insurance card', 'electronic', 1, true,
    '', '', null),
('2.000986', 2, 'Giấy chứng sinh (bản điện tử hoặc bản chụp)', 'Birth notice (electronic or scanned)', 'electronic', 1, true,
    'Không phải tải lên nếu cơ sở y tế đã liên thông Giấy chứng sinh điện tử',
    'Not needed if the health facility already shared the electronic birth notice', null),
('2.000986', 3, 'Ý kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở hợp pháp',
    'Consent of the household head or owner of the dwelling', 'electronic', 1, false,
    'Khi trẻ đăng ký thường trú tại chỗ ở không thuộc sở hữu của cha, mẹ',
    'When the child is registered at a dwelling not owned by the parents', null),
('2.000986', 4, 'Văn bản ủy quyền', 'Letter of authorisation', 'electronic', 1, false,
    'Khi người đi đăng ký không phải cha, mẹ và không thuộc trường hợp được miễn ủy quyền',
    'When the applicant is not a parent and no exemption applies', null),
-- 1.000894 Đăng ký kết hôn [S: CAT-COPY; ND 07/2025 — no marital-status certificate required]
('1.000894', 1, 'Tờ khai đăng ký kết hôn (hai bên có thể khai chung một tờ khai)',
    'Marriage registration form (both parties may use one form)', 'original', 1, true,
    'Khi nộp trực tiếp; nộp trực tuyến thì khai mẫu điện tử tương tác',
    'At the counter; online applicants fill in the interactive e-form', 'to-khai-dang-ky-ket-hon'),
('1.000894', 2, 'Giấy tờ chứng minh nhân thân của hai bên nam, nữ', 'Identity documents of both parties',
    'original_to_show', 1, true,
    'Không phải xuất trình hoặc tải lên nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư. Tình trạng hôn nhân do cơ quan đăng ký tự tra cứu, không yêu cầu Giấy xác nhận tình trạng hôn nhân',
    'Not needed if the data is in the national population database. The registry looks up marital status itself; no marital-status certificate is required', null),
('1.000894', 3, 'Giấy tờ chứng minh nơi cư trú', 'Proof of residence', 'original_to_show', 1, false,
    'Chỉ khi cơ quan đăng ký không khai thác được thông tin cư trú từ Cơ sở dữ liệu quốc gia về dân cư',
    'Only if the registry cannot read the residence data from the national population database', null),
-- 1.000656 Đăng ký khai tử [S: PD-HT Đ.34]
('1.000656', 1, 'Tờ khai đăng ký khai tử', 'Death registration form', 'original', 1, true,
    'Khi nộp trực tiếp hoặc qua bưu chính; nộp trực tuyến thì khai mẫu điện tử tương tác',
    'At the counter or by post; online applicants fill in the interactive e-form', 'to-khai-dang-ky-khai-tu'),
('1.000656', 2, 'Giấy báo tử hoặc giấy tờ thay Giấy báo tử', 'Death notice, or a document replacing it', 'original', 1, true,
    '', '', null),
('1.000656', 3, 'Giấy tờ chứng minh nhân thân của người đi khai tử', 'Identity document of the person registering',
    'original_to_show', 1, true,
    'Không phải xuất trình nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư',
    'Not needed if the data is in the national population database', null),
('1.000656', 4, 'Văn bản ủy quyền', 'Letter of authorisation', 'original', 1, false,
    'Khi ủy quyền đăng ký khai tử', 'When registering on someone else''s behalf', null),
-- 1.004873 Xác nhận tình trạng hôn nhân [S: CAT-COPY]
('1.004873', 1, 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân', 'Application for a certificate of marital status',
    'original', 1, true,
    'Khi nộp trực tiếp; nộp trực tuyến thì khai mẫu điện tử tương tác', 'At the counter; online applicants use the e-form', null),
('1.004873', 2, 'Giấy tờ chứng minh việc ly hôn hoặc việc vợ, chồng đã chết', 'Proof of divorce or of the spouse''s death',
    'original_or_copy', 1, false,
    'Khi người yêu cầu đã có vợ hoặc chồng nhưng đã ly hôn hoặc người vợ, chồng đã chết',
    'If the applicant was married and is divorced or widowed', null),
('1.004873', 3, 'Bản sao Trích lục ghi chú ly hôn', 'Copy of the extract recording a foreign divorce', 'copy', 1, false,
    'Khi công dân Việt Nam đã ly hôn, hủy việc kết hôn ở nước ngoài', 'If the divorce or annulment took place abroad', null),
('1.004873', 4, 'Giấy xác nhận tình trạng hôn nhân đã được cấp trước đó', 'The previously issued certificate',
    'original', 1, false,
    'Khi xin cấp lại để dùng vào mục đích khác hoặc vì giấy đã hết thời hạn sử dụng',
    'When applying again for another purpose or because the old one expired', null),
('1.004873', 5, 'Giấy tờ chứng minh nhân thân', 'Identity document', 'original_to_show', 1, true,
    'Không phải xuất trình nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư',
    'Not needed if the data is in the national population database', null),
('1.004873', 6, 'Văn bản ủy quyền', 'Letter of authorisation', 'original', 1, false,
    'Khi ủy quyền; không phải chứng thực nếu người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột',
    'When authorising someone; no certification needed for close relatives', null),
-- 2.000635 Bản sao trích lục [S: CAT-COPY]
('2.000635', 1, 'Tờ khai đề nghị cấp bản sao Trích lục hộ tịch (cá nhân) hoặc văn bản yêu cầu nêu rõ lý do (cơ quan, tổ chức)',
    'Request form (individuals) or a letter stating the reason (organisations)', 'original', 1, true,
    'Nộp trực tuyến thì khai mẫu điện tử tương tác', 'Online applicants use the e-form', null),
('2.000635', 2, 'Giấy tờ chứng minh nhân thân của người yêu cầu', 'Identity document of the applicant', 'original_to_show', 1, true,
    'Gửi qua bưu chính thì kèm bản sao có chứng thực; không phải tải lên nếu thông tin đã có trong cơ sở dữ liệu',
    'By post, send a certified copy; online, not needed if the data is in the databases', null),
('2.000635', 3, 'Văn bản ủy quyền', 'Letter of authorisation', 'original', 1, false,
    'Khi ủy quyền; không phải chứng thực nếu người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột',
    'When authorising someone; no certification needed for close relatives', null),
-- 2.000806 Kết hôn có yếu tố nước ngoài [S: PD-HT Đ.38]
('2.000806', 1, 'Tờ khai đăng ký kết hôn', 'Marriage registration form', 'original', 1, true, '', '', 'to-khai-dang-ky-ket-hon'),
('2.000806', 2, 'Giấy xác nhận của tổ chức y tế có thẩm quyền về việc không mắc bệnh tâm thần hoặc bệnh khác mà không có khả năng nhận thức, làm chủ được hành vi',
    'Medical certificate that the person has no mental illness or other condition preventing them from understanding or controlling their actions',
    'original', 1, true, 'Của mỗi bên nam, nữ', 'One for each party', null),
('2.000806', 3, 'Giấy tờ chứng minh tình trạng hôn nhân', 'Proof of marital status', 'original', 1, false,
    'Đối với người nước ngoài, công dân Việt Nam định cư ở nước ngoài; giấy tờ nước ngoài phải hợp pháp hóa lãnh sự (trừ trường hợp được miễn)',
    'For foreigners and Vietnamese citizens living abroad; foreign papers need consular legalisation unless exempt', null),
('2.000806', 4, 'Bản sao hộ chiếu hoặc giấy tờ có giá trị thay hộ chiếu', 'Copy of the passport or equivalent travel document',
    'copy', 1, false, 'Đối với người nước ngoài, công dân Việt Nam định cư ở nước ngoài',
    'For foreigners and Vietnamese citizens living abroad', null),
('2.000806', 5, 'Giấy tờ chứng minh nhân thân của công dân Việt Nam cư trú trong nước', 'Identity document of the resident Vietnamese party',
    'original_to_show', 1, true, '', '', null),
-- 2.000528 Khai sinh có yếu tố nước ngoài [S: PD-HT Đ.16, Đ.36]
('2.000528', 1, 'Tờ khai đăng ký khai sinh', 'Birth registration form', 'original', 1, true, '', '', 'to-khai-dang-ky-khai-sinh'),
('2.000528', 2, 'Giấy chứng sinh', 'Birth notice issued by the health facility', 'original', 1, true,
    'Không có Giấy chứng sinh thì nộp văn bản của người làm chứng hoặc giấy cam đoan về việc sinh',
    'Without one, a witness statement or a written undertaking on the birth', null),
('2.000528', 3, 'Văn bản thỏa thuận của cha, mẹ về việc chọn quốc tịch cho con', 'Parents'' agreement on the child''s nationality',
    'original', 1, false,
    'Khi cha hoặc mẹ hoặc cả hai là người nước ngoài; nếu chọn quốc tịch nước ngoài thì phải có xác nhận của cơ quan có thẩm quyền của nước đó',
    'When one or both parents are foreigners; a foreign nationality choice must be confirmed by that country''s authority', null),
('2.000528', 4, 'Giấy tờ chứng minh nhân thân của người đi đăng ký (hộ chiếu, thẻ căn cước…)',
    'Identity document of the person registering (passport, identity card…)', 'original_to_show', 1, true, '', '', null),
-- 1.004884 Đăng ký lại khai sinh [M]
('1.004884', 1, 'Tờ khai đăng ký lại khai sinh', 'Birth re-registration form', 'original', 1, true, '', '', null),
('1.004884', 2, 'Bản sao giấy tờ, hồ sơ có thông tin liên quan đến nội dung khai sinh (giấy tờ tùy thân, học bạ, hồ sơ công chức…)',
    'Copies of papers carrying the birth details (identity papers, school records, personnel files…)', 'copy', 1, true, '', '', null),
('1.004884', 3, 'Văn bản cam đoan về việc đã đăng ký khai sinh nhưng không lưu giữ được bản chính Giấy khai sinh',
    'Written undertaking that the birth was registered but the original certificate was not kept', 'original', 1, true, '', '', null),
-- 1.000419 Khai tử lưu động [M]
('1.000419', 1, 'Tờ khai đăng ký khai tử (công chức hướng dẫn kê khai tại chỗ)', 'Death registration form (filled in on the spot with the officer)',
    'original', 1, true, '', '', 'to-khai-dang-ky-khai-tu'),
('1.000419', 2, 'Giấy báo tử hoặc giấy tờ thay Giấy báo tử', 'Death notice, or a document replacing it', 'original', 1, true, '', '', null),
-- 2.001023 Liên thông khai sinh – BHYT [S: CAT-COPY]
('2.001023', 1, 'Tờ khai đăng ký khai sinh', 'Birth registration form', 'original', 1, true, '', '', 'to-khai-dang-ky-khai-sinh'),
('2.001023', 2, 'Giấy chứng sinh', 'Birth notice issued by the health facility', 'original', 1, true,
    'Trẻ sinh ngoài cơ sở y tế: văn bản xác nhận của người làm chứng hoặc giấy cam đoan; trẻ bị bỏ rơi: biên bản về việc trẻ bị bỏ rơi',
    'Born outside a facility: witness statement or undertaking; abandoned child: record of abandonment', null),
('2.001023', 3, 'Tờ khai tham gia bảo hiểm y tế; Danh sách đề nghị cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi của UBND cấp xã',
    'Health-insurance enrolment form; the commune''s list of children under 6 for health-insurance cards', 'original', 1, true, '', '', null),
-- 2.000815 Chứng thực bản sao [S: CAT-COPY]
('2.000815', 1, 'Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao', 'The original paper or document',
    'original_to_show', 1, true, '', '', null),
('2.000815', 2, 'Bản sao cần chứng thực', 'The copies to be certified', 'copy', 1, true,
    'Nếu chỉ xuất trình bản chính, cơ quan chứng thực chụp từ bản chính (trừ khi không có phương tiện chụp); bản sao phải có đủ các trang đã ghi thông tin của bản chính',
    'If only the original is shown, the office makes the copy (unless it has no copier); copies must include every page with content', null),
-- 2.000884 Chứng thực chữ ký [S: CAT-COPY]
('2.000884', 1, 'Thẻ căn cước hoặc hộ chiếu, giấy tờ có giá trị đi lại quốc tế còn giá trị sử dụng, hoặc căn cước điện tử',
    'Valid identity card, passport or international travel document, or electronic ID', 'original_to_show', 1, true,
    'Có thể thay bằng bản sao có chứng thực', 'A certified copy is also accepted', null),
('2.000884', 2, 'Giấy tờ, văn bản cần chứng thực chữ ký', 'The paper or document to be signed', 'original', 1, true,
    'Người yêu cầu ký trước mặt người thực hiện chứng thực; giấy tờ bằng tiếng nước ngoài có thể phải kèm bản dịch tiếng Việt',
    'The requester signs in front of the officer; foreign-language documents may need a Vietnamese translation', null),
-- 2.000908 Bản sao từ sổ gốc [M]
('2.000908', 1, 'Giấy tờ chứng minh nhân thân của người yêu cầu', 'Identity document of the applicant', 'original_to_show', 1, true,
    'Gửi qua bưu chính thì kèm bản sao có chứng thực và phong bì ghi rõ địa chỉ người nhận',
    'By post, send a certified copy and a self-addressed envelope', null),
('2.000908', 2, 'Giấy tờ chứng minh quyền yêu cầu cấp bản sao', 'Proof of the right to request the copy', 'original_or_copy', 1, false,
    'Khi người yêu cầu không phải người được cấp bản chính (người được ủy quyền, người thân, người thừa kế)',
    'When the applicant is not the holder of the original (proxy, relative, heir)', null),
-- 1.004222 Thường trú [S: NQ-REUSE partial; M]
('1.004222', 1, 'Tờ khai thay đổi thông tin cư trú (Mẫu CT01)', 'Residence information change form (CT01)', 'original', 1, true,
    'Người chưa thành niên: ghi ý kiến đồng ý của cha, mẹ hoặc người giám hộ vào tờ khai',
    'Minors: a parent or guardian records their consent on the form', 'to-khai-thay-doi-thong-tin-cu-tru-ct01'),
('1.004222', 2, 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp', 'Proof of lawful residence', 'original_or_copy', 1, true,
    'Không phải nộp nếu thông tin đã khai thác được từ cơ sở dữ liệu',
    'Not needed if the information is available in the databases', null),
('1.004222', 3, 'Ý kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở hợp pháp', 'Consent of the household head and of the owner',
    'original', 1, false,
    'Khi đăng ký thường trú vào chỗ ở không thuộc quyền sở hữu của mình (ghi vào tờ khai hoặc văn bản riêng)',
    'When registering at a dwelling one does not own (on the form or in a separate letter)', null),
('1.004222', 4, 'Giấy tờ chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình', 'Proof of family relationship with the household',
    'original_or_copy', 1, false,
    'Khi đăng ký theo diện vợ về ở với chồng, con về ở với cha mẹ… mà không khai thác được thông tin từ cơ sở dữ liệu',
    'When registering to join a spouse or parents and the relationship is not in the databases', null),
-- 1.004194 Tạm trú [M; weak corroboration]
('1.004194', 1, 'Tờ khai thay đổi thông tin cư trú (Mẫu CT01)', 'Residence information change form (CT01)', 'original', 1, true,
    '', '', 'to-khai-thay-doi-thong-tin-cu-tru-ct01'),
('1.004194', 2, 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp', 'Proof of lawful residence', 'original_or_copy', 1, false,
    'Chỉ khi cơ sở dữ liệu không khai thác được thông tin', 'Only if the databases do not hold the information', null),
('1.004194', 3, 'Ý kiến đồng ý của cha, mẹ hoặc người giám hộ', 'Consent of a parent or guardian', 'original', 1, false,
    'Đối với người chưa thành niên (trừ khi đã ghi ý kiến vào tờ khai)', 'For minors (unless recorded on the form)', null),
-- 2.000200 Căn cước [E]
('2.000200', 1, 'Phiếu thu nhận thông tin căn cước (cán bộ lập trên hệ thống; công dân kiểm tra và ký)',
    'Identity data capture slip (prepared by the officer; checked and signed by the citizen)', 'original', 1, true, '', '', null),
('2.000200', 2, 'Thẻ căn cước công dân hoặc thẻ căn cước đang sử dụng', 'The citizen ID card or identity card in use',
    'original', 1, false, 'Khi cấp đổi, cấp lại (trừ trường hợp bị mất); thẻ cũ được thu lại',
    'For renewal or replacement (unless lost); the old card is withdrawn', null),
('2.000200', 3, 'Giấy tờ chứng minh thông tin thay đổi', 'Proof of changed details', 'original_to_show', 1, false,
    'Khi thông tin nhân thân thay đổi mà Cơ sở dữ liệu quốc gia về dân cư chưa được cập nhật',
    'When personal details changed and the population database is not yet updated', null),
-- 3.000333 Lý lịch tư pháp [M]
('3.000333', 1, 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', 'Application for a judicial record certificate', 'original', 1, true,
    'Nộp qua VNeID hoặc Cổng Dịch vụ công thì khai trên biểu mẫu điện tử', 'Online applicants use the e-form (VNeID or the national portal)',
    'to-khai-yeu-cau-cap-phieu-ly-lich-tu-phap'),
('3.000333', 2, 'Bản chụp giấy tờ tùy thân (thẻ căn cước, hộ chiếu)', 'Copy of an identity document (identity card, passport)', 'copy', 1, true,
    'Không phải nộp khi nộp qua VNeID hoặc khi thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư',
    'Not needed when applying through VNeID or when the data is in the population database', null),
('3.000333', 3, 'Văn bản ủy quyền', 'Letter of authorisation', 'original', 1, false,
    'Khi ủy quyền yêu cầu cấp Phiếu lý lịch tư pháp số 1', 'When someone applies for certificate no. 1 on the person''s behalf', null),
-- 1.001612 Hộ kinh doanh [M]
('1.001612', 1, 'Giấy đề nghị đăng ký hộ kinh doanh', 'Household business registration application', 'original', 1, true,
    '', '', 'giay-de-nghi-dang-ky-ho-kinh-doanh'),
('1.001612', 2, 'Bản sao giấy tờ pháp lý của cá nhân đối với chủ hộ và các thành viên hộ gia đình đăng ký',
    'Copies of the identity papers of the owner and registering household members', 'copy', 1, false,
    'Không phải nộp nếu thông tin đã khai thác được từ Cơ sở dữ liệu quốc gia về dân cư',
    'Not needed if the data is in the national population database', null),
('1.001612', 3, 'Bản sao biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh',
    'Copy of the minutes of the household meeting deciding to set up the business', 'copy', 1, false,
    'Khi các thành viên hộ gia đình cùng đăng ký hộ kinh doanh', 'When several household members register together', null),
('1.001612', 4, 'Bản sao văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh',
    'Copy of the members'' authorisation naming one member as owner', 'copy', 1, false,
    'Khi các thành viên hộ gia đình cùng đăng ký hộ kinh doanh', 'When several household members register together', null),
-- 1.013227 Gia hạn GPXD [S: CAT-COPY]
('1.013227', 1, 'Đơn đề nghị gia hạn giấy phép xây dựng (Mẫu số 2 Phụ lục II Nghị định số 175/2024/NĐ-CP)',
    'Application to extend the building permit (form 2, annex II, Decree 175/2024)', 'original', 1, true, '', '', null),
('1.013227', 2, 'Bản chính giấy phép xây dựng đã được cấp', 'The original building permit', 'original', 1, true, '', '', null),
-- 1.012768 Đăng ký biến động [M]
('1.012768', 1, 'Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (theo mẫu)', 'Application for land change registration (standard form)',
    'original', 1, true, '', '', null),
('1.012768', 2, 'Giấy chứng nhận đã cấp', 'The certificate already issued', 'original', 1, true, '', '', null),
('1.012768', 3, 'Giấy tờ chứng minh nội dung biến động', 'Papers proving the change', 'certified_copy', 1, true,
    'Ví dụ: văn bản công nhận việc đổi tên, giấy tờ nhân thân mới, văn bản xác nhận sạt lở của UBND cấp xã',
    'For example: decision on the change of name, new identity papers, commune confirmation of the landslide', null),
-- 1.012796 Đính chính GCN [DOMAIN §10]
('1.012796', 1, 'Đơn đề nghị đính chính Giấy chứng nhận', 'Request to correct the certificate', 'original', 1, true, '', '', null),
('1.012796', 2, 'Bản gốc Giấy chứng nhận đã cấp', 'The original certificate', 'original', 1, true, '', '', null),
('1.012796', 3, 'Giấy tờ chứng minh nhân thân', 'Identity document', 'original_to_show', 1, true,
    'Không phải xuất trình nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư',
    'Not needed if the data is in the national population database', null),
-- 1.012994 Khấu trừ kinh phí bồi thường [E]
('1.012994', 1, 'Văn bản đề nghị khấu trừ kinh phí bồi thường, hỗ trợ, tái định cư', 'Request for the offset', 'original', 1, true, '', '', null),
('1.012994', 2, 'Chứng từ, hồ sơ về kinh phí bồi thường, hỗ trợ, tái định cư đã ứng trước', 'Receipts and files for the costs advanced',
    'copy', 1, true, '', '', null),
-- 1.001776 Trợ cấp xã hội hằng tháng [M]
('1.001776', 1, 'Tờ khai đề nghị trợ cấp xã hội (theo mẫu Nghị định số 20/2021/NĐ-CP)', 'Social allowance application (Decree 20/2021 form)',
    'original', 1, true, '', '', null),
('1.001776', 2, 'Giấy tờ chứng minh thuộc diện đối tượng (giấy xác nhận khuyết tật, giấy tờ về hoàn cảnh…)',
    'Proof of eligibility (disability certificate, papers on the person''s situation…)', 'copy', 1, false,
    'Theo từng nhóm đối tượng; không phải nộp nếu đã khai thác được từ cơ sở dữ liệu', 'Depending on the group; not needed if in the databases', null),
-- 1.014027 Hưu trí xã hội [M]
('1.014027', 1, 'Tờ khai đề nghị hưởng trợ cấp hưu trí xã hội', 'Social pension application', 'original', 1, true, '', '', null),
-- 1.014137 Thẻ BHYT [E]
('1.014137', 1, 'Tờ khai tham gia, điều chỉnh thông tin bảo hiểm y tế', 'Health-insurance enrolment / update form', 'original', 1, true,
    'Không phải nộp nếu UBND cấp xã đã lập danh sách đề nghị cấp thẻ', 'Not needed if the commune already listed the person', null),
('1.014137', 2, 'Giấy tờ chứng minh thuộc đối tượng được ngân sách nhà nước đóng bảo hiểm y tế', 'Proof of belonging to a State-paid group',
    'copy', 1, false, 'Khi thông tin chưa có trong cơ sở dữ liệu', 'When the data is not yet in the databases', null),
-- 1.001122 Bổ nhiệm GĐVTP [S: PD-GDTP Luật Đ.8; TT 11/2020 Đ.6]
('1.001122', 1, 'Văn bản đề nghị bổ nhiệm giám định viên tư pháp của cơ quan, tổ chức có thẩm quyền đề nghị',
    'Appointment proposal from the competent body', 'original', 1, true,
    'Hoặc đơn đề nghị của người đã là giám định viên tư pháp nhưng bị miễn nhiệm do nghỉ hưu, thôi việc để thành lập Văn phòng giám định tư pháp',
    'Or an application by a former expert dismissed on retirement or resignation who wants to set up an office', null),
('1.001122', 2, 'Bản sao bằng tốt nghiệp đại học trở lên phù hợp với lĩnh vực chuyên môn được đề nghị bổ nhiệm',
    'Copy of a university degree or higher in the relevant field', 'copy', 1, true, '', '', null),
('1.001122', 3, 'Sơ yếu lý lịch', 'Curriculum vitae', 'original', 1, true, '', '', null),
('1.001122', 4, 'Phiếu lý lịch tư pháp', 'Judicial record certificate', 'original', 1, false,
    'Không cần nếu người được đề nghị là công chức, viên chức, sĩ quan quân đội, sĩ quan công an nhân dân, quân nhân chuyên nghiệp, công nhân quốc phòng',
    'Not needed for civil servants, public employees, army or police officers, professional soldiers and defence workers', null),
('1.001122', 5, 'Giấy xác nhận về thời gian thực tế hoạt động chuyên môn của cơ quan, tổ chức nơi người được đề nghị làm việc',
    'Employer''s confirmation of the years of professional practice', 'original', 1, true, '', '', null),
('1.001122', 6, 'Chứng chỉ đào tạo hoặc bồi dưỡng nghiệp vụ giám định', 'Certificate of training in expert practice', 'copy', 1, false,
    'Đối với lĩnh vực pháp y, pháp y tâm thần và kỹ thuật hình sự', 'For forensic medicine, forensic psychiatry and criminal technique', null),
('1.001122', 7, 'Giấy tờ khác chứng minh đủ tiêu chuẩn theo quy định của bộ quản lý lĩnh vực giám định',
    'Other papers showing the standards set by the ministry in charge of the field are met', 'copy', 1, false,
    'Theo quy định của từng lĩnh vực', 'As the field requires', null),
('1.001122', 8, 'Ảnh màu chân dung cỡ 2 cm x 3 cm (chụp trong 06 tháng gần nhất)', 'Colour portrait photos, 2 x 3 cm, taken within 6 months',
    'original', 2, true, 'Để cấp thẻ giám định viên tư pháp', 'For the judicial-expert card', null),
-- 2.000894 Miễn nhiệm GĐVTP [S: PD-GDTP Luật Đ.10]
('2.000894', 1, 'Văn bản đề nghị miễn nhiệm của cơ quan, tổ chức quản lý giám định viên tư pháp hoặc đơn xin miễn nhiệm của giám định viên tư pháp',
    'Dismissal proposal from the managing body, or the expert''s own request', 'original', 1, true, '', '', null),
('2.000894', 2, 'Văn bản, giấy tờ chứng minh giám định viên tư pháp thuộc trường hợp miễn nhiệm',
    'Papers showing a ground for dismissal applies', 'original_or_copy', 1, true, '', '', null),
-- 1.009832 Cấp lại thẻ GĐVTP [S: PD-GDTP TT 11/2020 Đ.8]
('1.009832', 1, 'Đơn đề nghị cấp lại thẻ giám định viên tư pháp', 'Application to re-issue the judicial-expert card', 'original', 1, true,
    'Phải có xác nhận của cơ quan, đơn vị chủ quản khi thẻ bị mất hoặc có thay đổi nội dung ghi trên thẻ',
    'Must be confirmed by the employer when the card is lost or its details changed', null),
('1.009832', 2, 'Thẻ giám định viên tư pháp đang sử dụng', 'The card in use', 'original', 1, false,
    'Khi thẻ bị hỏng hoặc có thay đổi thông tin ghi trên thẻ', 'When the card is damaged or its details changed', null),
('1.009832', 3, 'Ảnh màu chân dung cỡ 2 cm x 3 cm (chụp trong 06 tháng gần nhất)', 'Colour portrait photos, 2 x 3 cm, taken within 6 months',
    'original', 2, true, '', '', null),
-- 2.000890 Cấp phép thành lập VP GĐTP [S: PD-GDTP Luật Đ.16]
('2.000890', 1, 'Đơn xin phép thành lập Văn phòng giám định tư pháp', 'Application to establish the office', 'original', 1, true, '', '', null),
('2.000890', 2, 'Bản sao Quyết định bổ nhiệm giám định viên tư pháp', 'Copy of the appointment decision as judicial expert', 'copy', 1, true, '', '', null),
('2.000890', 3, 'Dự thảo Quy chế tổ chức, hoạt động của Văn phòng giám định tư pháp', 'Draft rules of organisation and operation', 'original', 1, true, '', '', null),
('2.000890', 4, 'Đề án thành lập Văn phòng giám định tư pháp (mục đích, tên gọi, nhân sự, trụ sở, cơ sở vật chất, trang thiết bị, kế hoạch triển khai)',
    'Establishment plan (purpose, name, staff, premises, facilities and equipment, implementation plan)', 'original', 1, true, '', '', null),
-- 2.000823 Đăng ký hoạt động VP GĐTP [S: PD-GDTP Luật Đ.17]
('2.000823', 1, 'Đơn đề nghị đăng ký hoạt động', 'Application for operation registration', 'original', 1, true, '', '', null),
('2.000823', 2, 'Quy chế tổ chức, hoạt động của Văn phòng giám định tư pháp', 'Rules of organisation and operation of the office', 'original', 1, true, '', '', null),
('2.000823', 3, 'Giấy tờ chứng minh có đủ điều kiện bảo đảm hoạt động theo Đề án thành lập', 'Papers proving the conditions of the establishment plan are met',
    'original_or_copy', 1, true, '', '', null),
('2.000823', 4, 'Bản sao quyết định cho phép thành lập Văn phòng giám định tư pháp', 'Copy of the establishment licence', 'copy', 1, true, '', '', null),
-- 1.001117 Cấp lại GĐKHĐ (hư hỏng, mất) [S: PD-GDTP NĐ 85/2013 Đ.15]
('1.001117', 1, 'Đơn đề nghị cấp lại Giấy đăng ký hoạt động', 'Application to re-issue the registration certificate', 'original', 1, true, '', '', null),
('1.001117', 2, 'Giấy tờ chứng minh Giấy đăng ký hoạt động bị hư hỏng hoặc bị mất', 'Proof that the certificate was damaged or lost',
    'original_or_copy', 1, true, 'Kèm Giấy đăng ký hoạt động bị hư hỏng (nếu có)', 'Attach the damaged certificate, if any', null),
-- 1.000555 Cấp lại GĐKHĐ (thay đổi) [S: PD-GDTP NĐ 85/2013 Đ.15]
('1.000555', 1, 'Đơn đề nghị cấp lại Giấy đăng ký hoạt động', 'Application to re-issue the registration certificate', 'original', 1, true, '', '', null),
('1.000555', 2, 'Giấy đăng ký hoạt động cũ', 'The old registration certificate', 'original', 1, true, '', '', null)
) as d(code, pos, name_vi, name_en, requirement, copies, mandatory, condition_vi, condition_en, form_slug)
join procedures p on p.code = d.code
join procedure_versions pv on pv.procedure_id = p.id and pv.version_no = 1
left join form_templates t on t.slug = d.form_slug
on conflict (version_id, position) do nothing;

-- ---------------------------------------------------------------------------------------------
-- 8. Fees: kind 'fee' = lệ phí, 'charge' = phí; amount in whole đồng, NULL when set by the
--    provincial People's Council and not captured. Free procedures have no row; a 0 row is used
--    only where the law grants an exemption.
-- ---------------------------------------------------------------------------------------------
insert into procedure_fees (version_id, position, kind, label_vi, label_en, amount_vnd, channel,
                            unit_vi, unit_en, exemption_vi, exemption_en, is_estimate)
select pv.id, f.pos, f.kind, f.label_vi, f.label_en, f.amount, f.channel, f.unit_vi, f.unit_en,
       f.exemption_vi, f.exemption_en, f.is_estimate
from (values
-- Luật Hộ tịch Đ.11: on-time birth/death registration and marriage of residents are exempt [S: PD-HT]
('1.001193', 1, 'fee', 'Lệ phí đăng ký khai sinh đúng hạn', 'Birth registration fee (on time)', 0::bigint, 'any',
    'lần đăng ký', 'registration',
    'Miễn lệ phí khi đăng ký đúng hạn (trong 60 ngày kể từ ngày sinh) (Luật Hộ tịch, Điều 11)',
    'Exempt when registered within 60 days of birth (Law on Civil Status, Art. 11)', false),
('1.001193', 2, 'fee', 'Lệ phí đăng ký khai sinh quá hạn', 'Birth registration fee (late)', null, 'any',
    'lần đăng ký', 'registration',
    'Miễn cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật',
    'Waived for families of people with merit, poor households and people with disabilities', true),
('1.000894', 1, 'fee', 'Lệ phí đăng ký kết hôn', 'Marriage registration fee', 0, 'any', 'lần đăng ký', 'registration',
    'Miễn lệ phí đăng ký kết hôn của công dân Việt Nam cư trú ở trong nước (Luật Hộ tịch, Điều 11)',
    'Exempt for Vietnamese citizens residing in Vietnam (Law on Civil Status, Art. 11)', false),
('1.000656', 1, 'fee', 'Lệ phí đăng ký khai tử đúng hạn', 'Death registration fee (on time)', 0, 'any', 'lần đăng ký', 'registration',
    'Miễn lệ phí khi đăng ký đúng hạn (trong 15 ngày kể từ ngày chết) (Luật Hộ tịch, Điều 11)',
    'Exempt when registered within 15 days of death (Law on Civil Status, Art. 11)', false),
('1.000656', 2, 'fee', 'Lệ phí đăng ký khai tử quá hạn', 'Death registration fee (late)', null, 'any', 'lần đăng ký', 'registration',
    'Miễn cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật',
    'Waived for families of people with merit, poor households and people with disabilities', true),
('1.000419', 1, 'fee', 'Lệ phí đăng ký khai tử đúng hạn', 'Death registration fee (on time)', 0, 'any', 'lần đăng ký', 'registration',
    'Miễn lệ phí khi đăng ký đúng hạn (Luật Hộ tịch, Điều 11)', 'Exempt when registered on time (Law on Civil Status, Art. 11)', false),
-- set by the provincial People's Council, amount not captured [E]
('1.004873', 1, 'fee', 'Lệ phí cấp Giấy xác nhận tình trạng hôn nhân', 'Certificate of marital status fee', null, 'any',
    'bản', 'certificate',
    'Miễn cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật',
    'Waived for families of people with merit, poor households and people with disabilities', true),
('2.000806', 1, 'fee', 'Lệ phí đăng ký kết hôn có yếu tố nước ngoài', 'Fee for marriage registration with a foreign element', null, 'any',
    'lần đăng ký', 'registration', '', '', true),
('2.000528', 1, 'fee', 'Lệ phí đăng ký khai sinh có yếu tố nước ngoài', 'Fee for birth registration with a foreign element', null, 'any',
    'lần đăng ký', 'registration', '', '', true),
('1.004884', 1, 'fee', 'Lệ phí đăng ký lại khai sinh', 'Birth re-registration fee', null, 'any', 'lần đăng ký', 'registration',
    '', '', true),
-- 8,000 per copy [S: KIOSK]; Luật Hộ tịch Đ.11(2) makes it a lệ phí
('2.000635', 1, 'fee', 'Lệ phí cấp bản sao Trích lục hộ tịch', 'Fee for a copy of a civil-status extract', 8000, 'any',
    'bản sao', 'copy', '', '', false),
-- certified copies [S: KIOSK; M: TT 226/2016]
('2.000815', 1, 'charge', 'Phí chứng thực bản sao từ bản chính — trang thứ nhất và thứ hai', 'Copy certification charge — first and second page',
    2000, 'any', 'trang', 'page', '', '', false),
('2.000815', 2, 'charge', 'Phí chứng thực bản sao từ bản chính — từ trang thứ ba trở đi', 'Copy certification charge — from the third page',
    1000, 'any', 'trang', 'page', 'Tổng mức thu tối đa không quá 200.000 đồng/bản', 'Capped at VND 200,000 per copy', false),
('2.000884', 1, 'charge', 'Phí chứng thực chữ ký', 'Signature authentication charge', 10000, 'any', 'trường hợp', 'case',
    '', '', true),
-- residence [M: TT 75/2022/TT-BTC]
('1.004222', 1, 'fee', 'Lệ phí đăng ký thường trú (nộp trực tiếp)', 'Permanent residence registration fee (counter)', 20000, 'counter',
    'lần đăng ký', 'registration', 'Miễn cho các đối tượng theo Thông tư số 75/2022/TT-BTC', 'Exemptions under Circular 75/2022/TT-BTC', true),
('1.004222', 2, 'fee', 'Lệ phí đăng ký thường trú (nộp trực tuyến)', 'Permanent residence registration fee (online)', 10000, 'online',
    'lần đăng ký', 'registration', 'Miễn cho các đối tượng theo Thông tư số 75/2022/TT-BTC', 'Exemptions under Circular 75/2022/TT-BTC', true),
('1.004194', 1, 'fee', 'Lệ phí đăng ký tạm trú (nộp trực tiếp)', 'Temporary residence registration fee (counter)', 15000, 'counter',
    'lần đăng ký', 'registration', 'Miễn cho các đối tượng theo Thông tư số 75/2022/TT-BTC', 'Exemptions under Circular 75/2022/TT-BTC', true),
('1.004194', 2, 'fee', 'Lệ phí đăng ký tạm trú (nộp trực tuyến)', 'Temporary residence registration fee (online)', 7000, 'online',
    'lần đăng ký', 'registration', 'Miễn cho các đối tượng theo Thông tư số 75/2022/TT-BTC', 'Exemptions under Circular 75/2022/TT-BTC', true),
-- identity card [S: KIOSK]
('2.000200', 1, 'fee', 'Lệ phí cấp thẻ căn cước lần đầu', 'Identity card fee — first issue', 0, 'any', 'thẻ', 'card',
    'Công dân được cấp thẻ căn cước lần đầu không phải nộp lệ phí', 'No fee for a first identity card', false),
('2.000200', 2, 'fee', 'Lệ phí chuyển từ thẻ Căn cước công dân sang thẻ căn cước', 'Identity card fee — switching from the citizen ID card',
    30000, 'any', 'thẻ', 'card', '', '', false),
('2.000200', 3, 'fee', 'Lệ phí cấp đổi thẻ căn cước', 'Identity card fee — renewal', 50000, 'any', 'thẻ', 'card', '', '', false),
('2.000200', 4, 'fee', 'Lệ phí cấp lại thẻ căn cước', 'Identity card fee — replacement', 70000, 'any', 'thẻ', 'card', '', '', false),
-- judicial record [S: LLTP-FEE, TT 244/2016 Đ.4]
('3.000333', 1, 'charge', 'Phí cung cấp thông tin lý lịch tư pháp', 'Judicial record information charge', 200000, 'any',
    'lần yêu cầu', 'request', 'Miễn phí cho các đối tượng theo Thông tư số 244/2016/TT-BTC',
    'Exemptions under Circular 244/2016/TT-BTC', false),
('3.000333', 2, 'charge', 'Phí cung cấp thông tin lý lịch tư pháp — sinh viên, người có công với cách mạng, thân nhân liệt sĩ',
    'Judicial record information charge — students, people with merit, relatives of martyrs', 100000, 'any',
    'lần yêu cầu', 'request', '', '', false),
-- household business, building permit: set by the provincial People's Council [E]
('1.001612', 1, 'fee', 'Lệ phí đăng ký hộ kinh doanh', 'Household business registration fee', null, 'any', 'lần đăng ký', 'registration',
    '', '', true),
('1.013227', 1, 'fee', 'Lệ phí cấp giấy phép xây dựng (nếu có)', 'Building permit fee (if any)', null, 'any', 'giấy phép', 'permit',
    '', '', true),
-- land [S: QNG-FEE07, QNG-FEE08] amounts not captured; applicability to this procedure [E]
('1.012768', 1, 'fee', 'Lệ phí cấp Giấy chứng nhận (nộp trực tiếp)', 'Certificate fee (counter)', null, 'counter',
    'giấy chứng nhận', 'certificate', '', '', true),
('1.012768', 2, 'fee', 'Lệ phí cấp Giấy chứng nhận (nộp trực tuyến)', 'Certificate fee (online)', 0, 'online',
    'giấy chứng nhận', 'certificate', '0 đồng khi thực hiện trực tuyến (Nghị quyết số 08/2025/NQ-HĐND)',
    'Zero when done online (Resolution 08/2025/NQ-HĐND)', true),
('1.012768', 3, 'charge', 'Phí thẩm định hồ sơ cấp Giấy chứng nhận (Nghị quyết số 07/2025/NQ-HĐND)',
    'Certificate dossier appraisal charge (Resolution 07/2025/NQ-HĐND)', null, 'any', 'hồ sơ', 'dossier', '', '', true)
) as f(code, pos, kind, label_vi, label_en, amount, channel, unit_vi, unit_en, exemption_vi, exemption_en, is_estimate)
join procedures p on p.code = f.code
join procedure_versions pv on pv.procedure_id = p.id and pv.version_no = 1
on conflict (version_id, position) do nothing;
