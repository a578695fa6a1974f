-- The citizen's evaluation of each dossier (issue 26; Decree 118/2025 Art. 33, QĐ 766 5.4):
-- one answer per item of Art. 33 in force (dated data: the items can change), an overall
-- satisfied / not satisfied, a comment; once per dossier, changeable for
-- evaluation_change_days.
create table evaluation_items (
    code        text not null,
    position    integer not null,
    label_vi    text not null,
    label_en    text not null,
    valid_from  date not null,
    valid_to    date,
    primary key (code, valid_from)
);
insert into evaluation_items (code, position, label_vi, label_en, valid_from) values
('a', 1, 'Thời gian giải quyết so với quy định', 'Time to the result against the rules', date '2025-07-01'),
('b', 2, 'Số lượng cơ quan phải liên hệ để hoàn thiện hồ sơ', 'Number of agencies you had to contact to complete the dossier', date '2025-07-01'),
('c', 3, 'Số lần phải liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ', 'Number of contacts with the receiving office to complete it', date '2025-07-01'),
('d', 4, 'Tính chính xác, đầy đủ, kịp thời của thông tin thủ tục được công khai', 'Accuracy, completeness and timeliness of the published procedure', date '2025-07-01'),
('dd', 5, 'Thái độ, hành vi của cán bộ, công chức', 'The officials'' behaviour', date '2025-07-01'),
('e', 6, 'Sự phù hợp pháp luật của kết quả và chi phí (kể cả chi phí ngoài quy định)', 'Lawfulness of the result and of the costs (including costs beyond those the law allows)', date '2025-07-01'),
('g', 7, 'Thời gian, chất lượng trả lời phản ánh, kiến nghị', 'Time and quality of answers to feedback and complaints', date '2025-07-01'),
('h', 8, 'Tiến độ, chất lượng cung cấp dịch vụ công trực tuyến', 'Progress and quality of the online service', date '2025-07-01'),
('i', 9, 'Nội dung khác', 'Other', date '2025-07-01');

create table dossier_evaluations (
    dossier_id  uuid primary key references dossiers (id) on delete restrict,
    satisfied   boolean not null,
    -- {"a": "satisfied" | "not_satisfied", …}: items not answered are left out
    answers     jsonb not null,
    comment     text not null default '',
    -- 'account' (signed in) | 'link' (the signed link public tracking gives) | 'counter' (the
    -- tablet facing the citizen at the official's counter, Art. 31(b))
    channel     text not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint dossier_evaluations_channel_known check (channel in ('account', 'link', 'counter')),
    constraint dossier_evaluations_comment_short check (char_length(comment) <= 1000)
);
create index dossier_evaluations_created_idx on dossier_evaluations (created_at);
-- the results page: dossiers that ended in a period (the result's time, else the last change)
create index dossiers_ended_idx on dossiers ((coalesce(result_at, updated_at)), receiving_agency_id)
    where status in ('returned', 'refused_on_merits', 'refused_at_reception', 'stopped');

-- The tablet at an official's counter: the official invites the citizen being served to rate
-- the dossier; the tablet (its link signed for that official) shows it until it is rated.
create table counter_rating_requests (
    staff_id      uuid primary key references staff_users (id) on delete restrict,
    dossier_id    uuid not null references dossiers (id) on delete restrict,
    requested_at  timestamptz not null default now()
);
