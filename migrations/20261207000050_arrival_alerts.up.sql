-- Decree 118 Art. 17(2): when an online dossier arrives, the reception officials of its unit
-- are told within 2 working hours (`clock_rules.online_alert_hours`), once. A row here is the
-- "once": the alert of a dossier is written by whichever instance takes it first.
create table staff_alerts (
    dossier_id  uuid not null references dossiers (id) on delete cascade,
    kind        text not null,
    at          timestamptz not null,
    constraint staff_alerts_pkey primary key (dossier_id, kind),
    constraint staff_alerts_kind_known check (kind in ('online_arrival'))
);

insert into message_templates (kind, lang, subject, body, sms) values
('arrival', 'vi', 'Một Cửa: hồ sơ trực tuyến mới cần tiếp nhận',
 E'Kính gửi {name},\n\nCó hồ sơ trực tuyến mới gửi đến đơn vị, cần kiểm tra, tiếp nhận hoặc hướng dẫn bổ sung trong thời hạn quy định:\n\n{reason}\nDanh sách chờ tiếp nhận: {link}',
 'Mot Cua: co ho so truc tuyen moi can tiep nhan. {link}'),
('arrival', 'en', 'Một Cửa: new online dossiers to receive',
 E'Dear {name},\n\nNew online dossiers have arrived for your unit; check, accept or return them within the time allowed:\n\n{reason}\nThe reception queue: {link}',
 'Mot Cua: new online dossiers to receive. {link}');
