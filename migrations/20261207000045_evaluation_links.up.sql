-- How a citizen reaches the evaluation of an ended dossier without signing in (issue 26): one
-- random token per dossier, made when first needed (public tracking, the finishing notice,
-- the QR code on Form 01), so that a walk-in applicant rates from the notice's link or the
-- receipt they hold. The token rates that dossier only and shows no personal data.
create table evaluation_links (
    dossier_id  uuid primary key references dossiers (id) on delete cascade,
    token       text not null,
    created_at  timestamptz not null default now(),
    constraint evaluation_links_token_key unique (token)
);

-- The national portal's feeds other than the dossier exchange, dated: which message carries
-- them from when (reference §3 row 9: the evaluation feed's API is not public; the service
-- name below is this portal's, kept as data so that the real one replaces it by a new row).
create table national_feeds (
    kind        text not null,
    profile     text not null,
    service     text not null,
    valid_from  date not null,
    valid_to    date,
    primary key (kind, valid_from),
    constraint national_feeds_kind_known check (kind in ('evaluation'))
);
insert into national_feeds (kind, profile, service, valid_from) values
('evaluation', 'nd118-art32-2025', 'DongBoDanhGiaHoSo', date '2025-07-01');

-- Each evaluation (and each change of it) to deliver to the national evaluation system in
-- real time (Decree 118 Art. 32(2)); written by the transaction that saves the evaluation.
create table national_evaluation_outbox (
    id               bigint generated always as identity primary key,
    dossier_id       uuid not null references dossiers (id) on delete cascade,
    profile          text not null,
    service          text not null,
    created_at       timestamptz not null default now(),
    next_attempt_at  timestamptz not null default now(),
    attempts         integer not null default 0,
    locked_until     timestamptz,
    delivered_at     timestamptz,
    failed_at        timestamptz,
    last_error       text
);
create index national_evaluation_outbox_due_idx on national_evaluation_outbox (next_attempt_at)
    where delivered_at is null and failed_at is null;

-- The notices of an ended dossier invite the citizen to rate it by its own link.
insert into message_templates (kind, lang, subject, body, sms) values
('finished', 'vi', 'Hồ sơ {code} đã hoàn thành — mời bạn đánh giá',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã trả kết quả. Cảm ơn bạn đã sử dụng dịch vụ công; mời bạn đánh giá sự phục vụ (không cần đăng nhập): {rating_link}\n\nChi tiết hồ sơ: {link}',
 'Ho so {code} da tra ket qua. Moi danh gia: {rating_link}'),
('finished', 'en', 'Dossier {code} is complete — please rate us',
 E'Dear {name},\n\nThe result of dossier {code} ({procedure}) has been returned. Thank you; please rate the service (no sign-in needed): {rating_link}\n\nDossier details: {link}',
 'Dossier {code} complete. Please rate us: {rating_link}'),
('refused', 'vi', 'Hồ sơ {code} không được giải quyết',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) không được giải quyết. Lý do:\n{reason}\n\nChi tiết: {link}\n\nMời bạn đánh giá việc giải quyết hồ sơ: {rating_link}',
 'Ho so {code} khong duoc giai quyet. Ly do xem tai: {link}'),
('refused', 'en', 'Dossier {code} refused',
 E'Dear {name},\n\nDossier {code} ({procedure}) has been refused. Reasons:\n{reason}\n\nDetails: {link}\n\nPlease rate how it was handled: {rating_link}',
 'Dossier {code} refused. Reasons: {link}'),
('stopped', 'vi', 'Hồ sơ {code} đã dừng xử lý',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã dừng xử lý theo đề nghị. {reason}\n\nChi tiết: {link}\n\nMời bạn đánh giá việc giải quyết hồ sơ: {rating_link}',
 'Ho so {code} da dung xu ly. {link}'),
('stopped', 'en', 'Dossier {code} stopped',
 E'Dear {name},\n\nProcessing of dossier {code} ({procedure}) has stopped as requested. {reason}\n\nDetails: {link}\n\nPlease rate how it was handled: {rating_link}',
 'Dossier {code} stopped. {link}');
