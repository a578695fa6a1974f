-- The working-day calendar (DOMAIN.md §6): days that differ from "Monday to Friday works".
-- Dated data an administrator maintains; seeded with 2025–2027 from the official notices
-- (the source column names each one).

create table calendar_days (
    day      date primary key,
    -- 'holiday' (public holiday), 'compensation' (day off for a holiday on a weekend),
    -- 'bridge' (swapped day off), 'makeup_workday' (a Saturday worked to make up for a bridge)
    kind     text not null,
    name_vi  text not null,
    name_en  text not null default '',
    source   text not null default '',
    constraint calendar_days_kind_known check (kind in ('holiday', 'compensation', 'bridge', 'makeup_workday'))
);

insert into calendar_days (day, kind, name_vi, name_en, source) values
    ('2025-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', '45/2019/QH14'),
    ('2025-01-27', 'holiday', 'Tết Nguyên đán (28 tháng Chạp Giáp Thìn)', 'Lunar New Year (Tet) - 28th day of 12th lunar month', '6150/TB-BLĐTBXH'),
    ('2025-01-28', 'holiday', 'Tết Nguyên đán (29 tháng Chạp - ngày cuối năm Giáp Thìn)', 'Lunar New Year (Tet) - lunar New Year''s Eve', '6150/TB-BLĐTBXH'),
    ('2025-01-29', 'holiday', 'Tết Nguyên đán (mùng 1 Tết Ất Tỵ)', 'Lunar New Year (Tet) - 1st day', '6150/TB-BLĐTBXH'),
    ('2025-01-30', 'holiday', 'Tết Nguyên đán (mùng 2 Tết)', 'Lunar New Year (Tet) - 2nd day', '6150/TB-BLĐTBXH'),
    ('2025-01-31', 'holiday', 'Tết Nguyên đán (mùng 3 Tết)', 'Lunar New Year (Tet) - 3rd day', '6150/TB-BLĐTBXH'),
    ('2025-04-07', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hung Kings'' Commemoration Day (10th day of 3rd lunar month)', '45/2019/QH14'),
    ('2025-04-26', 'makeup_workday', 'Làm việc bù (thứ Bảy) cho ngày nghỉ hoán đổi 02/05/2025', 'Make-up working Saturday for the 2025-05-02 swap', '6150/TB-BLĐTBXH'),
    ('2025-04-30', 'holiday', 'Ngày Chiến thắng (30/4)', 'Victory Day / Reunification Day (30 April)', '45/2019/QH14'),
    ('2025-05-01', 'holiday', 'Ngày Quốc tế Lao động (1/5)', 'International Labour Day (1 May)', '45/2019/QH14'),
    ('2025-05-02', 'bridge', 'Nghỉ hoán đổi dịp 30/4 - 1/5 (làm bù thứ Bảy 26/04/2025)', 'Swapped day off after 30 April - 1 May (worked back on Sat 2025-04-26)', '6150/TB-BLĐTBXH'),
    ('2025-09-01', 'holiday', 'Quốc khánh (ngày liền kề trước 2/9)', 'National Day - adjacent day (before 2 September)', '6150/TB-BLĐTBXH'),
    ('2025-09-02', 'holiday', 'Quốc khánh (2/9)', 'National Day (2 September)', '45/2019/QH14'),
    ('2026-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', '45/2019/QH14'),
    ('2026-01-02', 'bridge', 'Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)', 'Swapped day off after New Year''s Day (worked back on Sat 2026-01-10)', '12729/VPCP-KGVX'),
    ('2026-01-10', 'makeup_workday', 'Làm việc bù (thứ Bảy) cho ngày nghỉ hoán đổi 02/01/2026', 'Make-up working Saturday for the 2026-01-02 swap', '12729/VPCP-KGVX'),
    ('2026-02-16', 'holiday', 'Tết Nguyên đán (29 tháng Chạp - ngày cuối năm Ất Tỵ)', 'Lunar New Year (Tet) - lunar New Year''s Eve', '9441/TB-BNV'),
    ('2026-02-17', 'holiday', 'Tết Nguyên đán (mùng 1 Tết Bính Ngọ)', 'Lunar New Year (Tet) - 1st day', '9441/TB-BNV'),
    ('2026-02-18', 'holiday', 'Tết Nguyên đán (mùng 2 Tết)', 'Lunar New Year (Tet) - 2nd day', '9441/TB-BNV'),
    ('2026-02-19', 'holiday', 'Tết Nguyên đán (mùng 3 Tết)', 'Lunar New Year (Tet) - 3rd day', '9441/TB-BNV'),
    ('2026-02-20', 'holiday', 'Tết Nguyên đán (mùng 4 Tết)', 'Lunar New Year (Tet) - 4th day', '9441/TB-BNV'),
    ('2026-04-26', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch; trùng Chủ nhật)', 'Hung Kings'' Commemoration Day (falls on Sunday)', '45/2019/QH14'),
    ('2026-04-27', 'compensation', 'Nghỉ bù Giỗ Tổ Hùng Vương (26/4 trùng Chủ nhật)', 'Compensation day for Hung Kings'' Day (Sunday 26 April)', '45/2019/QH14'),
    ('2026-04-30', 'holiday', 'Ngày Chiến thắng (30/4)', 'Victory Day / Reunification Day (30 April)', '45/2019/QH14'),
    ('2026-05-01', 'holiday', 'Ngày Quốc tế Lao động (1/5)', 'International Labour Day (1 May)', '45/2019/QH14'),
    ('2026-08-22', 'makeup_workday', 'Làm việc bù (thứ Bảy) cho ngày nghỉ hoán đổi 31/08/2026', 'Make-up working Saturday for the 2026-08-31 swap', '9441/TB-BNV'),
    ('2026-08-31', 'bridge', 'Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/08/2026)', 'Swapped day off before National Day (worked back on Sat 2026-08-22)', '9441/TB-BNV'),
    ('2026-09-01', 'holiday', 'Quốc khánh (ngày liền kề trước 2/9)', 'National Day - adjacent day (before 2 September)', '9441/TB-BNV'),
    ('2026-09-02', 'holiday', 'Quốc khánh (2/9)', 'National Day (2 September)', '45/2019/QH14'),
    ('2026-11-24', 'holiday', 'Ngày Văn hóa Việt Nam (24/11)', 'Vietnamese Culture Day (24 November)', '28/2026/QH16'),
    ('2027-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', 'computed'),
    ('2027-02-04', 'holiday', 'Tết Nguyên đán (28 tháng Chạp Bính Ngọ)', 'Lunar New Year (Tet) - 28th day of 12th lunar month', '10065/VPCP-KGVX'),
    ('2027-02-05', 'holiday', 'Tết Nguyên đán (29 tháng Chạp - ngày cuối năm Bính Ngọ)', 'Lunar New Year (Tet) - lunar New Year''s Eve', '10065/VPCP-KGVX'),
    ('2027-02-06', 'holiday', 'Tết Nguyên đán (mùng 1 Tết Đinh Mùi; trùng thứ Bảy)', 'Lunar New Year (Tet) - 1st day (falls on Saturday)', '10065/VPCP-KGVX'),
    ('2027-02-07', 'holiday', 'Tết Nguyên đán (mùng 2 Tết; trùng Chủ nhật)', 'Lunar New Year (Tet) - 2nd day (falls on Sunday)', '10065/VPCP-KGVX'),
    ('2027-02-08', 'holiday', 'Tết Nguyên đán (mùng 3 Tết)', 'Lunar New Year (Tet) - 3rd day', '10065/VPCP-KGVX'),
    ('2027-02-09', 'compensation', 'Nghỉ bù Tết (mùng 1 trùng thứ Bảy)', 'Compensation day for Tet day on Saturday 6 February', '10065/VPCP-KGVX'),
    ('2027-02-10', 'compensation', 'Nghỉ bù Tết (mùng 2 trùng Chủ nhật)', 'Compensation day for Tet day on Sunday 7 February', '10065/VPCP-KGVX'),
    ('2027-04-16', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hung Kings'' Commemoration Day (10th day of 3rd lunar month)', 'computed'),
    ('2027-04-30', 'holiday', 'Ngày Chiến thắng (30/4)', 'Victory Day / Reunification Day (30 April)', 'computed'),
    ('2027-05-01', 'holiday', 'Ngày Quốc tế Lao động (1/5; trùng thứ Bảy)', 'International Labour Day (falls on Saturday)', 'computed'),
    ('2027-05-03', 'compensation', 'Nghỉ bù Ngày Quốc tế Lao động (1/5 trùng thứ Bảy)', 'Compensation day for Labour Day (Saturday 1 May)', 'computed'),
    ('2027-09-02', 'holiday', 'Quốc khánh (2/9)', 'National Day (2 September)', '10065/VPCP-KGVX'),
    ('2027-09-03', 'holiday', 'Quốc khánh (ngày liền kề sau 2/9)', 'National Day - adjacent day (after 2 September)', '10065/VPCP-KGVX'),
    ('2027-11-24', 'holiday', 'Ngày Văn hóa Việt Nam (24/11)', 'Vietnamese Culture Day (24 November)', 'computed');

-- Office hours of a working day, per agency (null: every agency without its own). Working
-- hours limits count only these intervals (8 working hours = 1 working day).
create table office_hours (
    id          uuid primary key default gen_random_uuid(),
    agency_id   uuid references agencies (id) on delete cascade,
    opens       time not null,
    closes      time not null,
    valid_from  date not null,
    valid_to    date,
    -- the usual provincial hours; each province sets its own by decision
    is_estimate boolean not null default false,
    constraint office_hours_order check (closes > opens)
);
create index office_hours_agency_idx on office_hours (agency_id);

insert into office_hours (agency_id, opens, closes, valid_from, is_estimate) values
    (null, '07:30', '11:30', '2025-01-01', true),
    (null, '13:30', '17:30', '2025-01-01', true);

-- Procedures whose clock starts the next working day when received after 15:00.
alter table procedure_versions add column clock_starts_next_day_after_cutoff boolean not null default false;
