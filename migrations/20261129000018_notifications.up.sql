-- Notifications (issue 10). A dossier's event, a settled or refunded payment and a scheduled
-- pick-up queue a notice in `notify_queue` by trigger, in the transaction that wrote them: roll
-- the event back and there is nothing to send. The worker turns each queued notice into the
-- citizen's messages (e-mail, SMS, the portal's list) from the templates in force, then sends
-- the messages of `outbound_messages` with retries, recording every attempt.

create table notify_queue (
    id          bigint generated always as identity primary key,
    dossier_id  uuid not null,
    -- the event, payment or postal item that caused it
    kind        text not null,
    event_id    bigint,
    ref_id      uuid,
    created_at  timestamptz not null default now()
);

-- Imports and data generators set motcua.notify = 'off' for their session: history is not news.
create function notify_wanted() returns boolean
language sql stable
as $$ select coalesce(current_setting('motcua.notify', true), '') <> 'off' $$;

create function notify_on_event() returns trigger
language plpgsql
as $$
begin
    if notify_wanted() then
        insert into notify_queue (dossier_id, kind, event_id)
        values (new.dossier_id, 'event', new.id);
    end if;
    return null;
end;
$$;
create trigger dossier_events_notify after insert on dossier_events
    for each row
    when (new.action in ('Submit', 'FileAtCounter', 'Accept', 'ReturnForCompletion',
        'RefuseAtReception', 'RequestPayment', 'RequestSupplement', 'RefuseOnMerits',
        'IssueResult', 'HandToPost', 'Reschedule', 'Stop', 'CloseUnanswered',
        'ReturnAtCounter', 'ReturnElectronically', 'Delivered'))
    execute function notify_on_event();

create function notify_on_payment() returns trigger
language plpgsql
as $$
begin
    if not notify_wanted() then
        return null;
    end if;
    if new.status = 'paid' and old.status is distinct from 'paid' then
        insert into notify_queue (dossier_id, kind, ref_id) values (new.dossier_id, 'payment_received', new.id);
    end if;
    if new.refunded_vnd > old.refunded_vnd then
        insert into notify_queue (dossier_id, kind, ref_id) values (new.dossier_id, 'payment_refunded', new.id);
    end if;
    return null;
end;
$$;
create trigger payments_notify after update of status, refunded_vnd on payments
    for each row execute function notify_on_payment();

create function notify_on_pickup() returns trigger
language plpgsql
as $$
begin
    if notify_wanted() and new.direction = 'pickup' then
        insert into notify_queue (dossier_id, kind, ref_id) values (new.dossier_id, 'pickup_scheduled', new.id);
    end if;
    return null;
end;
$$;
create trigger postal_items_notify after insert on postal_items
    for each row execute function notify_on_pickup();

-- What a message says, per kind and language, versioned: the newest row of a (kind, lang) is
-- in force; editing adds a row. Placeholders: {name} {code} {procedure} {agency} {due}
-- {reason} {link} {amount} {deadline}.
create table message_templates (
    id          bigint generated always as identity primary key,
    kind        text not null,
    lang        text not null,
    subject     text not null,
    body        text not null,
    sms         text not null,
    created_at  timestamptz not null default now(),
    created_by  uuid references staff_users (id) on delete restrict,
    constraint message_templates_lang_known check (lang in ('vi', 'en')),
    constraint message_templates_sms_short check (char_length(sms) <= 320)
);
create index message_templates_kind_idx on message_templates (kind, lang, id desc);

-- The outbox: a message is sent at least once, retried with back-off, failed after the
-- configured attempts; its id is the idempotency key (the e-mail's Message-ID, the SMS
-- gateway's request id).
alter table outbound_messages
    add column status          text not null default 'pending',
    add column attempts        integer not null default 0,
    add column next_attempt_at timestamptz not null default now(),
    add column locked_until    timestamptz,
    add column last_error      text,
    add column kind            text not null default 'code',
    add column citizen_id      uuid references citizens (id) on delete restrict,
    add column dossier_id      uuid references dossiers (id) on delete restrict,
    -- a PDF the e-mail carries, rendered when it is sent: 'form-01', 'receipt:<receipt id>'
    add column attachment      text,
    add constraint outbound_messages_status_known check (status in ('pending', 'sent', 'failed'));
update outbound_messages set status = 'sent' where sent_at is not null;
create index outbound_messages_due_idx on outbound_messages (next_attempt_at) where status = 'pending';
create index outbound_messages_failed_idx on outbound_messages (created_at desc, id) where status = 'failed';

create table message_attempts (
    id          bigint generated always as identity primary key,
    message_id  uuid not null references outbound_messages (id) on delete cascade,
    at          timestamptz not null default now(),
    ok          boolean not null,
    error       text
);
create index message_attempts_message_idx on message_attempts (message_id, id);

-- The portal's own list of what concerns a citizen.
create table notifications (
    id          uuid primary key default gen_random_uuid(),
    citizen_id  uuid not null references citizens (id) on delete restrict,
    dossier_id  uuid references dossiers (id) on delete restrict,
    kind        text not null,
    subject     text not null,
    body        text not null,
    created_at  timestamptz not null default now(),
    read_at     timestamptz
);
create index notifications_citizen_idx on notifications (citizen_id, created_at desc, id desc);

-- The channels a citizen wants, and the language to write to them in.
alter table citizens
    add column notify_email boolean not null default true,
    add column notify_sms   boolean not null default true,
    add column lang         text not null default 'vi',
    add constraint citizens_lang_known check (lang in ('vi', 'en'));

insert into message_templates (kind, lang, subject, body, sms) values
('submitted', 'vi', 'Hồ sơ {code} đã được gửi',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã được gửi đến {agency}. Bộ phận Một cửa sẽ kiểm tra và trả lời trong thời hạn quy định.\n\nTheo dõi hồ sơ: {link}',
 'Ho so {code} da duoc gui den {agency}. Theo doi: {link}'),
('submitted', 'en', 'Dossier {code} has been submitted',
 E'Dear {name},\n\nDossier {code} ({procedure}) has been sent to {agency}. The one-stop desk will check it and answer within the legal time limit.\n\nTrack it: {link}',
 'Dossier {code} was sent to {agency}. Track: {link}'),
('accepted', 'vi', 'Hồ sơ {code} đã được tiếp nhận — hẹn trả kết quả {due}',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã được {agency} tiếp nhận. Ngày hẹn trả kết quả: {due}.\n\nGiấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01): {link}',
 'Ho so {code} da duoc tiep nhan. Hen tra ket qua: {due}. {link}'),
('accepted', 'en', 'Dossier {code} accepted — result due {due}',
 E'Dear {name},\n\nDossier {code} ({procedure}) has been accepted by {agency}. The result is due on {due}.\n\nReceipt and appointment slip (Form 01): {link}',
 'Dossier {code} accepted. Result due {due}. {link}'),
('completion_requested', 'vi', 'Hồ sơ {code} cần bổ sung, hoàn thiện',
 E'Kính gửi {name},\n\nĐể tiếp nhận hồ sơ {code} ({procedure}), đề nghị bổ sung, hoàn thiện:\n{reason}\n\nBạn chỉ cần thay những giấy tờ nêu trên, trực tuyến: {link}',
 'Ho so {code} can bo sung, hoan thien. Xem chi tiet: {link}'),
('completion_requested', 'en', 'Dossier {code} needs completing',
 E'Dear {name},\n\nBefore dossier {code} ({procedure}) can be accepted, please complete:\n{reason}\n\nReplace only those documents, online: {link}',
 'Dossier {code} needs completing. Details: {link}'),
('supplement_requested', 'vi', 'Hồ sơ {code} cần bổ sung',
 E'Kính gửi {name},\n\nCơ quan giải quyết đề nghị bổ sung hồ sơ {code} ({procedure}):\n{reason}\n\nHạn bổ sung: {deadline}. Thời hạn giải quyết tạm dừng cho đến khi nhận được phần bổ sung; quá hạn bổ sung, hồ sơ sẽ bị đóng. Bổ sung trực tuyến: {link}',
 'Ho so {code} can bo sung truoc {deadline}. Xem chi tiet: {link}'),
('supplement_requested', 'en', 'Dossier {code}: more documents needed',
 E'Dear {name},\n\nThe deciding agency asks for more on dossier {code} ({procedure}):\n{reason}\n\nSupplement by {deadline}. The time limit is paused until the supplement arrives; past that date the dossier is closed. Supplement it online: {link}',
 'Dossier {code}: more documents needed by {deadline}. Details: {link}'),
('refused', 'vi', 'Hồ sơ {code} không được giải quyết',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) không được giải quyết. Lý do:\n{reason}\n\nChi tiết: {link}',
 'Ho so {code} khong duoc giai quyet. Ly do xem tai: {link}'),
('refused', 'en', 'Dossier {code} refused',
 E'Dear {name},\n\nDossier {code} ({procedure}) has been refused. Reasons:\n{reason}\n\nDetails: {link}',
 'Dossier {code} refused. Reasons: {link}'),
('payment_requested', 'vi', 'Hồ sơ {code}: đề nghị nộp phí, lệ phí',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) cần nộp phí, lệ phí trước khi được tiếp nhận. Thanh toán trực tuyến: {link}',
 'Ho so {code}: de nghi nop phi, le phi. Thanh toan: {link}'),
('payment_requested', 'en', 'Dossier {code}: fees to pay',
 E'Dear {name},\n\nFees are due on dossier {code} ({procedure}) before it can be accepted. Pay online: {link}',
 'Dossier {code}: fees to pay. Pay: {link}'),
('payment_received', 'vi', 'Đã nhận thanh toán {amount} cho hồ sơ {code}',
 E'Kính gửi {name},\n\nĐã nhận {amount} phí, lệ phí của hồ sơ {code} ({procedure}). Biên lai điện tử: {link}',
 'Da nhan {amount} cho ho so {code}. Bien lai: {link}'),
('payment_received', 'en', 'Payment of {amount} received for dossier {code}',
 E'Dear {name},\n\nWe received {amount} in fees for dossier {code} ({procedure}). E-receipt: {link}',
 'Received {amount} for dossier {code}. Receipt: {link}'),
('payment_refunded', 'vi', 'Hoàn trả phí, lệ phí hồ sơ {code}',
 E'Kính gửi {name},\n\nPhí, lệ phí đã nộp cho hồ sơ {code} ({procedure}) được hoàn trả: {amount}.\n\nChi tiết: {link}',
 'Hoan tra {amount} phi, le phi ho so {code}. {link}'),
('payment_refunded', 'en', 'Fees refunded for dossier {code}',
 E'Dear {name},\n\nThe fees paid for dossier {code} ({procedure}) are refunded: {amount}.\n\nDetails: {link}',
 'Refunded {amount} for dossier {code}. {link}'),
('pickup_scheduled', 'vi', 'Bưu điện sẽ đến nhận hồ sơ {code}',
 E'Kính gửi {name},\n\nBưu điện sẽ đến nhận giấy tờ của hồ sơ {code} ({procedure}) tại địa chỉ bạn đã chọn. Nhân viên bưu điện sẽ gọi trước khi đến.\n\nChi tiết: {link}',
 'Buu dien se den nhan ho so {code}. Chi tiet: {link}'),
('pickup_scheduled', 'en', 'The post office will collect dossier {code}',
 E'Dear {name},\n\nThe post office will collect the papers of dossier {code} ({procedure}) at the address you chose, and will call before coming.\n\nDetails: {link}',
 'The post will collect dossier {code}. Details: {link}'),
('result_ready', 'vi', 'Đã có kết quả hồ sơ {code}',
 E'Kính gửi {name},\n\nĐã có kết quả giải quyết hồ sơ {code} ({procedure}). Cách nhận kết quả bạn đã chọn và kết quả điện tử (nếu có): {link}',
 'Da co ket qua ho so {code}. Cach nhan: {link}'),
('result_ready', 'en', 'The result of dossier {code} is ready',
 E'Dear {name},\n\nThe result of dossier {code} ({procedure}) is ready. How to collect it, and the electronic result where there is one: {link}',
 'Result of dossier {code} is ready. How to collect: {link}'),
('out_for_delivery', 'vi', 'Kết quả hồ sơ {code} đã chuyển bưu điện',
 E'Kính gửi {name},\n\nKết quả hồ sơ {code} ({procedure}) đã được giao cho bưu điện để chuyển đến địa chỉ của bạn.\n\nChi tiết: {link}',
 'Ket qua ho so {code} da chuyen buu dien. {link}'),
('out_for_delivery', 'en', 'The result of dossier {code} is on its way',
 E'Dear {name},\n\nThe result of dossier {code} ({procedure}) has been handed to the post for delivery to your address.\n\nDetails: {link}',
 'Result of dossier {code} handed to the post. {link}'),
('late_apology', 'vi', 'Xin lỗi: hồ sơ {code} trễ hẹn, hẹn lại {due}',
 E'Kính gửi {name},\n\n{agency} xin lỗi vì hồ sơ {code} ({procedure}) chưa có kết quả đúng hẹn. Lý do:\n{reason}\n\nNgày hẹn trả kết quả mới: {due} (Phiếu xin lỗi và hẹn lại ngày trả kết quả, Mẫu 04): {link}',
 'Xin loi: ho so {code} tre hen. Hen lai: {due}. {link}'),
('late_apology', 'en', 'Apologies: dossier {code} is late, new date {due}',
 E'Dear {name},\n\n{agency} apologises that dossier {code} ({procedure}) was not decided on time. Reason:\n{reason}\n\nNew date for the result: {due} (apology slip, Form 04): {link}',
 'Apologies: dossier {code} is late. New date {due}. {link}'),
('stopped', 'vi', 'Hồ sơ {code} đã dừng xử lý',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã dừng xử lý theo đề nghị. {reason}\n\nChi tiết: {link}',
 'Ho so {code} da dung xu ly. {link}'),
('stopped', 'en', 'Dossier {code} stopped',
 E'Dear {name},\n\nProcessing of dossier {code} ({procedure}) has stopped as requested. {reason}\n\nDetails: {link}',
 'Dossier {code} stopped. {link}'),
('closed', 'vi', 'Hồ sơ {code} đã đóng do quá hạn bổ sung',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã đóng vì phần bổ sung không đến trong thời hạn. {reason}\n\nChi tiết: {link}',
 'Ho so {code} da dong do qua han bo sung. {link}'),
('closed', 'en', 'Dossier {code} closed: supplement not received',
 E'Dear {name},\n\nDossier {code} ({procedure}) is closed because the supplement did not arrive in time. {reason}\n\nDetails: {link}',
 'Dossier {code} closed: supplement not received. {link}'),
('finished', 'vi', 'Hồ sơ {code} đã hoàn thành — mời bạn đánh giá',
 E'Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã trả kết quả. Cảm ơn bạn đã sử dụng dịch vụ công; mời bạn đánh giá sự phục vụ: {link}',
 'Ho so {code} da tra ket qua. Moi danh gia: {link}'),
('finished', 'en', 'Dossier {code} is complete — please rate us',
 E'Dear {name},\n\nThe result of dossier {code} ({procedure}) has been returned. Thank you; please rate the service: {link}',
 'Dossier {code} complete. Please rate us: {link}'),
('digest', 'vi', 'Một Cửa: hồ sơ đến hạn và quá hạn của bạn',
 E'Kính gửi {name},\n\nCác hồ sơ bạn đang xử lý đã quá hạn hoặc đến hạn trong hai ngày làm việc tới:\n{reason}\n\nHộp việc: {link}',
 'Mot Cua: ho so den han, qua han cua ban: {link}'),
('digest', 'en', 'Một Cửa: your dossiers due and overdue',
 E'Dear {name},\n\nDossiers you are handling that are overdue or due within the next two working days:\n{reason}\n\nYour inbox: {link}',
 'Mot Cua: your dossiers due and overdue: {link}');

-- The officials' daily digest: one row per local day, taken by the one instance that sends it.
create table digest_days (
    day      date primary key,
    sent_at  timestamptz not null default now()
);
