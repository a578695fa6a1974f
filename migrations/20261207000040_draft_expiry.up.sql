-- Drafts expire (issue 23, storage quotas): a draft untouched for draft_expire_days is deleted
-- with its files, its owner told draft_notice_days before (one notice per draft, kept apart
-- from the draft so that sending it does not touch the draft's updated_at).
create table draft_notices (
    dossier_id  uuid primary key references dossiers (id) on delete cascade,
    sent_at     timestamptz not null default now()
);
-- the expiry job's scan: drafts by last change
create index dossiers_draft_updated_idx on dossiers (updated_at) where status = 'draft';

insert into message_templates (kind, lang, subject, body, sms) values
('draft_expiring', 'vi', 'Hồ sơ bạn đang soạn sắp bị xoá',
 E'Kính gửi {name},\n\nHồ sơ {procedure} bạn bắt đầu soạn trên Một Cửa đã lâu chưa được tiếp tục. Nếu không được tiếp tục, hồ sơ nháp và các tệp đã tải lên sẽ bị xoá sau 7 ngày nữa.\n\nTiếp tục hồ sơ: {link}',
 'Ho so {procedure} ban dang soan se bi xoa sau 7 ngay neu khong tiep tuc: {link}'),
('draft_expiring', 'en', 'A dossier you started will be deleted soon',
 E'Dear {name},\n\nYou started a dossier for {procedure} on Một Cửa a while ago and have not gone on with it. Unless you do, the draft and its uploaded files will be deleted in 7 days.\n\nGo on with it: {link}',
 'Your draft for {procedure} will be deleted in 7 days unless you go on: {link}');
