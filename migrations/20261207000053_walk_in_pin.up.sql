-- A walk-in's first message carries the lookup PIN the counter gave them (the dossier keeps
-- only its hash): it waits on the queued notice, deleted in the transaction that writes the
-- message, so it lives no longer than the message itself (as a one-time code does).
alter table notify_queue add column pin text;

-- Newer versions (the newest of a kind and language is in force): the filing notice gives a
-- walk-in their PIN ({pin_line} is empty for an account holder), and the acceptance notice
-- says the receipt (Form 01) is attached rather than behind a link that has none.
insert into message_templates (kind, lang, subject, body, sms) values
('submitted', 'vi', 'Hồ sơ {code} đã được gửi',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã được gửi đến {agency}. Bộ phận Một cửa sẽ kiểm tra và trả lời trong thời hạn quy định.{pin_line}\n\nTheo dõi hồ sơ: {link}',
 'Ho so {code} da duoc gui den {agency}.{pin_line} Theo doi: {link}'),
('submitted', 'en', 'Dossier {code} has been submitted',
 E'Dear {name},\n\nDossier {code} ({procedure}) has been sent to {agency}. The one-stop desk will check it and answer within the legal time limit.{pin_line}\n\nTrack it: {link}',
 'Dossier {code} was sent to {agency}.{pin_line} Track: {link}'),
('accepted', 'vi', 'Hồ sơ {code} đã được tiếp nhận — hẹn trả kết quả {due}',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã được {agency} tiếp nhận. Ngày hẹn trả kết quả: {due}.\n\nGiấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01) được đính kèm thư này.\n\nTheo dõi hồ sơ: {link}',
 'Ho so {code} da duoc tiep nhan. Hen tra ket qua: {due}. {link}'),
('accepted', 'en', 'Dossier {code} accepted — result due {due}',
 E'Dear {name},\n\nDossier {code} ({procedure}) has been accepted by {agency}. The result is due on {due}.\n\nThe receipt and appointment slip (Form 01) is attached to this e-mail.\n\nTrack it: {link}',
 'Dossier {code} accepted. Result due {due}. {link}');
